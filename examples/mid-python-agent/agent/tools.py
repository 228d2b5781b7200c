"""The tools the model can call: each one declared as data next to the function that implements it."""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

Handler = Callable[[dict[str, Any], Path], str]


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    input_schema: dict[str, Any]
    capabilities: frozenset[str]
    handler: Handler

    def to_api(self) -> dict[str, Any]:
        """The definition the Messages API expects."""
        return {"name": self.name, "description": self.description, "input_schema": self.input_schema}


def _inside(workspace: Path, path: str) -> Path:
    target = (workspace / path).resolve()
    if not target.is_relative_to(workspace.resolve()):
        raise ValueError(f"{path} is outside the workspace")
    return target


def read_file(args: dict[str, Any], workspace: Path) -> str:
    return _inside(workspace, args["path"]).read_text(encoding="utf-8")


def write_file(args: dict[str, Any], workspace: Path) -> str:
    target = _inside(workspace, args["path"])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(args["content"], encoding="utf-8")
    return f"Wrote {len(args['content'])} characters to {args['path']}"


# Programs the model may start. Anything else is refused before a process is created.
ALLOWED_PROGRAMS = {"ls", "cat", "grep", "wc", "git", "python", "pytest"}


def run_command(args: dict[str, Any], workspace: Path) -> str:
    argv = shlex.split(args["command"])
    if not argv or argv[0] not in ALLOWED_PROGRAMS:
        raise PermissionError(f"{argv[0] if argv else 'an empty command'} is not an allowed program")
    result = subprocess.run(argv, timeout=30, cwd=workspace, capture_output=True, text=True)
    return f"exit code {result.returncode}\n{result.stdout}{result.stderr}"


TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in [
        Tool(
            name="read_file",
            description="Read a UTF-8 text file from the workspace and return its content.",
            input_schema={
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": "Path relative to the workspace root."},
                },
                "required": ["path"],
            },
            capabilities=frozenset({"read"}),
            handler=read_file,
        ),
        Tool(
            name="write_file",
            description="Create or overwrite a UTF-8 text file in the workspace.",
            input_schema={
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": "Path relative to the workspace root."},
                    "content": {"type": "string", "description": "The complete new content of the file."},
                },
                "required": ["path", "content"],
            },
            capabilities=frozenset({"write"}),
            handler=write_file,
        ),
        Tool(
            name="run_command",
            description="Run one allowed program (ls, cat, grep, wc, git, python, pytest) in the workspace.",
            input_schema={
                "type": "object",
                "properties": {
                    "command": {"type": "string", "description": "Program and arguments, e.g. 'pytest -q tests'."},
                },
                "required": ["command"],
            },
            capabilities=frozenset({"exec"}),
            handler=run_command,
        ),
    ]
}
