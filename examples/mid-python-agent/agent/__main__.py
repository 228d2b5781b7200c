"""Command line: `python -m agent "fix the failing test"` or `python -m agent --resume <id>`."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from .loop import run


def main() -> None:
    parser = argparse.ArgumentParser(prog="mid-agent", description=__doc__)
    parser.add_argument("task", nargs="?", help="what the agent should do")
    parser.add_argument("--resume", metavar="SESSION_ID", help="continue a saved session")
    parser.add_argument("--workspace", type=Path, default=Path.cwd(), help="folder the tools work in")
    args = parser.parse_args()
    if not args.task and not args.resume:
        parser.error("give a task or --resume SESSION_ID")

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    print(run(args.task, args.workspace, session_id=args.resume))


if __name__ == "__main__":
    main()
