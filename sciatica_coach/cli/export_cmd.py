"""`sciatica-coach export --format csv|json [-o FILE]`: your session history, to keep or to share."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=["csv", "json"], default="json", help="json (can be imported) or csv"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository, write_output
    from sciatica_coach.core.clock import SystemClock
    from sciatica_coach.storage.exchange import export_csv, export_json

    with open_repository(data_dir) as repo:
        text = export_csv(repo) if args.format == "csv" else export_json(repo, SystemClock().now())
    write_output(text, args.output)
    return 0
