"""Decides whether a tool call may run: the deny list first, then tools that need a yes, then the rest."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import PurePosixPath
from typing import Any, Literal

Decision = Literal["allow", "ask", "deny"]


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    reason: str


# (tool, pattern) pairs that are never allowed. Paths match on the whole path or the file name.
DENY_RULES: list[tuple[str, str]] = [
    ("read_file", ".env*"),
    ("read_file", "*.pem"),
    ("read_file", "secrets/*"),
    ("write_file", ".git/*"),
    ("run_command", "git push*"),
    ("run_command", "python -c*"),
]

# Tools that change the workspace: a person says yes first.
ASK_TOOLS = {"write_file", "run_command"}

# Tools that only look.
ALLOW_TOOLS = {"read_file"}


def _subject(args: dict[str, Any]) -> str:
    return str(args.get("path") or args.get("command") or "")


def _matches(subject: str, pattern: str) -> bool:
    return fnmatch(subject, pattern) or fnmatch(PurePosixPath(subject).name, pattern)


def check_permission(tool: str, args: dict[str, Any]) -> Verdict:
    subject = _subject(args)
    for denied_tool, pattern in DENY_RULES:
        if tool == denied_tool and _matches(subject, pattern):
            return Verdict("deny", f"{tool} {subject!r} matches the deny rule {pattern!r}")
    if tool in ASK_TOOLS:
        return Verdict("ask", f"{tool} changes the workspace")
    if tool in ALLOW_TOOLS:
        return Verdict("allow", f"{tool} only reads")
    return Verdict("deny", f"{tool} is not a known tool")
