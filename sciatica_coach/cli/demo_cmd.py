"""`sciatica-coach demo-data --weeks N [--force]`: fill a fresh data folder with a realistic demo history.

For trying the app and for screenshots. A folder that already holds real sessions is refused unless
--force is given, so nobody's own history gets mixed with made-up sessions by accident."""

from __future__ import annotations

import argparse
from pathlib import Path

from sciatica_coach.cli.args import whole_number

MAX_WEEKS = 520 + 2  # ten years and a bit


weeks_arg = whole_number("--weeks", 1, MAX_WEEKS)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--weeks", type=weeks_arg, default=16, metavar="N", help="how many weeks of history (default 16)"
    )
    parser.add_argument(
        "--force", action="store_true", help="add the demo history even if the folder has real sessions"
    )
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="a different demo story")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository
    from sciatica_coach.cli.main import UsageError
    from sciatica_coach.core.clock import SystemClock
    from sciatica_coach.core.demo import DEFAULT_SEED, generate_demo_history, is_demo_session

    with open_repository(data_dir, write=True) as repo:
        real = sum(1 for record in repo.sessions() if not is_demo_session(record))
        if real and not args.force:
            raise UsageError(
                f"{data_dir} already has {real} real session(s); demo data is meant for a fresh folder. "
                "Choose another folder with --data-dir, or add --force to mix them."
            )
        demo = generate_demo_history(
            args.weeks, SystemClock().now(), seed=DEFAULT_SEED if args.seed is None else args.seed
        )
        added = repo.add_sessions(list(demo.sessions))
        repo.add_safety_events(list(demo.safety_events))
        repo.add_excused_days(demo.excused_days)
        repo.add_sitting_breaks(list(demo.sitting_breaks))
        start = repo.plan_start()
        if start is None or demo.plan_start < start:
            repo.set_state("plan_start", demo.plan_start.isoformat())
    print(
        f"Added {added} demo session(s) over {args.weeks} week(s) to {data_dir}"
        f" ({len(demo.sessions) - added} were already there)."
    )
    return 0
