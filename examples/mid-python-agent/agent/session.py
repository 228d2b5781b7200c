"""Transcripts as JSON Lines files, so a session can be resumed after the process stops or crashes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SESSIONS_DIR = Path(".agent/sessions")


class Session:
    def __init__(self, session_id: str, directory: Path = SESSIONS_DIR) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.id = session_id
        self.path = directory / f"{session_id}.jsonl"
        self._cut_torn_tail()
        self._file = self.path.open("a", encoding="utf-8")

    def append(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(record) + "\n")

    def end_turn(self) -> None:
        """Makes the turn durable: flush Python's buffer, then have the OS write it to disk."""
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self.end_turn()
        self._file.close()

    def _cut_torn_tail(self) -> None:
        # A crash mid-write leaves a last line without its newline; new records must not join it.
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            with self.path.open("r+b") as f:
                f.truncate(data.rfind(b"\n") + 1)


def resume(session_id: str, directory: Path = SESSIONS_DIR) -> list[dict[str, Any]]:
    """Loads the records of a session. A torn last line is skipped; damage anywhere else is an error."""
    lines = (directory / f"{session_id}.jsonl").read_text(encoding="utf-8").splitlines()
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            if number == len(lines):
                break
            raise
    return records
