"""`sciatica-coach export --format csv|json [--safety-events] [-o FILE [--force]]`: your history, to keep or to share.

JSON holds everything (sessions and safety events) and can be imported again; CSV is one table for a
spreadsheet: the sessions, or with --safety-events the safety events."""

from __future__ import annotations

import argparse
from pathlib import Path

from sciatica_coach.cli.args import add_force_option


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=["csv", "json"], default="json", help="json (can be imported) or csv"
    )
    parser.add_argument(
        "--safety-events",
        action="store_true",
        help="with --format csv: the safety events (red-flag answers, 'It hurts', stops) instead of the sessions",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")
    add_force_option(parser)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository, output_target, write_output
    from sciatica_coach.cli.main import UsageError
    from sciatica_coach.core.clock import SystemClock
    from sciatica_coach.storage.exchange import export_csv, export_events_csv, export_json

    if args.safety_events and args.format != "csv":
        raise UsageError("--safety-events is for --format csv; the JSON export already holds them.")
    if args.output not in (None, "-"):  # checked before the data is read: a refused -o changes nothing
        output_target(args.output, data_dir, force=args.force)
    with open_repository(data_dir) as repo:
        if args.format == "json":
            text = export_json(repo, SystemClock().now())
        else:
            text = export_events_csv(repo) if args.safety_events else export_csv(repo)
    write_output(text, args.output, data_dir, force=args.force)
    return 0
