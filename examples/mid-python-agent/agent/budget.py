"""Limits on how long one run may go on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class BudgetExceeded(Exception):
    pass


@dataclass
class Budget:
    max_turns: int = 20
    max_tokens: int = 300_000
    turns: int = 0
    tokens: int = 0

    def check(self) -> None:
        """Called before every model call."""
        if self.turns >= self.max_turns:
            raise BudgetExceeded(f"reached the limit of {self.max_turns} turns")
        if self.tokens >= self.max_tokens:
            raise BudgetExceeded(f"used {self.tokens} of {self.max_tokens} tokens")

    def add(self, usage: Any) -> None:
        """Counts what the API says a response used."""
        self.turns += 1
        self.tokens += usage.input_tokens + usage.output_tokens
