"""plumbline's permission decision protocol over JSON lines: one request per line in, one decision out."""
import json
import sys

from agent.permissions import check_permission

# The corpora speak Claude Code's tool names; map them onto this agent's tools.
TOOLS = {"Bash": "run_command", "Read": "read_file", "Edit": "write_file", "Write": "write_file"}

for line in sys.stdin:
    request = json.loads(line)
    args = dict(request.get("input", {}))
    if "file_path" in args:
        args["path"] = args.pop("file_path")
    verdict = check_permission(TOOLS.get(request["tool"], request["tool"]), args)
    sys.stdout.write(json.dumps({"id": request.get("id"), "decision": verdict.decision, "reason": verdict.reason}) + "\n")
    sys.stdout.flush()
