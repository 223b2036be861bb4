"""`sciatica-coach stats [--weeks N]`: the weekly adherence and pain table, from the same code as Progress.

Each week is measured against the plan in force that week (see :mod:`sciatica_coach.core.plan_history`); the
last line names the plan changes that took effect in the weeks shown, with their dates and reasons."""

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
    from sciatica_coach.core.clock import SystemClock
    from sciatica_coach.core.plan_history import ChangeKind
    from sciatica_coach.services.plans import plan_history
    from sciatica_coach.services.progress_data import load_history

    clock = SystemClock()
    with open_repository(data_dir) as repo:
        history = load_history(repo, clock)
        plans = plan_history(repo, clock.now())
    rows = history.weekly_table(args.weeks)
    print(format_weekly_table(rows))
    summary = history.summary()
    print()
    print(f"Current streak: {summary.current_streak} day(s); best: {summary.best_streak}; "
          f"habit score {summary.score_pct:.0f} %.")  # fmt: skip
    changes = [c for c in plans.between(rows[0].start, rows[-1].end) if c.kind is not ChangeKind.START]
    if changes:
        named = "; ".join(f"from {c.on.isoformat()}, {c.reason}" for c in changes)
        print(f"Plan changes in these weeks (each week is measured against its own plan): {named}.")
    else:
        print("Plan changes in these weeks: none.")
    return 0
