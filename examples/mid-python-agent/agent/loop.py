"""The agent loop: ask the model, check and run the tools it asks for, save every step."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any, Callable

import anthropic

from .budget import Budget, BudgetExceeded
from .permissions import Verdict, check_permission
from .session import Session, resume
from .tools import TOOLS

log = logging.getLogger("agent")

MODEL = "claude-sonnet-4-6"
SYSTEM = (
    "You help with a software project in the current workspace. Read before you change anything, "
    "run the tests after you do, and say what you changed."
)

Approver = Callable[[str, dict[str, Any]], bool]


def ask_on_terminal(tool: str, args: dict[str, Any]) -> bool:
    return input(f"Allow {tool} {args}? [y/N] ").strip().lower() in {"y", "yes"}


def run(
    task: str | None,
    workspace: Path,
    session_id: str | None = None,
    approve: Approver = ask_on_terminal,
    client: anthropic.Anthropic | None = None,
) -> str:
    client = client or anthropic.Anthropic()
    if session_id:
        messages = [r["message"] for r in resume(session_id) if r["type"] == "message"]
        log.info("resumed session %s with %d messages", session_id, len(messages))
    else:
        session_id = uuid.uuid4().hex
        messages = []
    session = Session(session_id)
    budget = Budget()
    if task:
        messages.append({"role": "user", "content": task})
        session.append({"type": "message", "message": messages[-1]})

    try:
        while True:
            budget.check()
            response = client.messages.create(
                model=MODEL,
                max_tokens=4096,
                system=SYSTEM,
                tools=[tool.to_api() for tool in TOOLS.values()],
                messages=messages,
            )
            budget.add(response.usage)
            session.append({"type": "usage", "usage": response.usage.model_dump()})
            messages.append({"role": "assistant", "content": [block.model_dump() for block in response.content]})
            session.append({"type": "message", "message": messages[-1]})
            log.info("turn %d: stop_reason=%s", budget.turns, response.stop_reason)

            if response.stop_reason != "tool_use":
                return "".join(block.text for block in response.content if block.type == "text")

            results = [
                execute(block, workspace, session, approve) for block in response.content if block.type == "tool_use"
            ]
            messages.append({"role": "user", "content": results})
            session.append({"type": "message", "message": messages[-1]})
            session.end_turn()
    except BudgetExceeded as stop:
        log.warning("session %s stopped: %s", session_id, stop)
        return f"Stopped early: {stop}. Resume with --resume {session_id}."
    finally:
        session.close()


def execute(block: Any, workspace: Path, session: Session, approve: Approver) -> dict[str, Any]:
    tool = TOOLS.get(block.name)
    if tool is None:
        return tool_result(block.id, f"There is no tool named {block.name}.", is_error=True)

    verdict = check_permission(block.name, block.input)
    if verdict.decision == "ask":
        approved = approve(block.name, block.input)
        verdict = Verdict("allow", "approved by the user") if approved else Verdict("deny", "declined by the user")
    session.append(
        {"type": "permission", "tool_use_id": block.id, "tool": block.name, "decision": verdict.decision, "reason": verdict.reason}
    )
    log.info("%s %s: %s", verdict.decision, block.name, verdict.reason)
    if verdict.decision != "allow":
        return tool_result(block.id, f"Not permitted: {verdict.reason}", is_error=True)

    try:
        return tool_result(block.id, tool.handler(block.input, workspace))
    except Exception as error:  # the model should see the failure and adapt
        log.warning("%s failed: %s", block.name, error)
        return tool_result(block.id, f"{type(error).__name__}: {error}", is_error=True)


def tool_result(tool_use_id: str, content: str, is_error: bool = False) -> dict[str, Any]:
    return {"type": "tool_result", "tool_use_id": tool_use_id, "content": content, "is_error": is_error}
