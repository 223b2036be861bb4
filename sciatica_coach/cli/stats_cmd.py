"""`sciatica-coach stats [--weeks N]`: the weekly adherence and pain table, from the same code as Progress."""

from __future__ import annotations

import argparse
from pathlib import Path

from sciatica_coach.cli.args import whole_number

MAX_WEEKS = 520


weeks_arg = whole_number("--weeks", 1, MAX_WEEKS)


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
