"""`sciatica-coach stats [--weeks N]`: the weekly adherence and pain table, from the same code as Progress."""

from __future__ import annotations

import argparse
from pathlib import Path

MAX_WEEKS = 520


def weeks_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--weeks needs a whole number, not {text!r}") from None
    if not 1 <= value <= MAX_WEEKS:
        raise argparse.ArgumentTypeError(f"--weeks must be from 1 to {MAX_WEEKS} (got {value})")
    return value


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--weeks", type=weeks_arg, default=12, metavar="N", help="how many weeks (default 12)"
    )


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository
    from sciatica_coach.core.adherence import format_weekly_table
    from sciatica_coach.progress_data import load_history

    with open_repository(data_dir) as repo:
        history = load_history(repo)
    print(format_weekly_table(history.weekly_table(args.weeks)))
    summary = history.summary()
    print()
    print(f"Current streak: {summary.current_streak} day(s); best: {summary.best_streak}; "
          f"habit score {summary.score_pct:.0f} %.")  # fmt: skip
    return 0
