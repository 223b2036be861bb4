"""`sciatica-coach report -o FILE.pdf [--csv FILE.csv] [--weeks N] [--name TEXT] [--force]`: the report for the
physiotherapist or doctor (PDF), and the same period in long format for clinicians who analyse data (CSV: one
row per exercise per session, see :func:`sciatica_coach.services.report_data.long_csv`). Either or both.

The PDF uses QtGui's PDF writer (offscreen on Linux, so no display is needed) and never QtWidgets; the CSV
needs no Qt at all. Both come from the same figures as `stats` and the Progress page."""

from __future__ import annotations

import argparse
from pathlib import Path

from sciatica_coach.cli.args import add_force_option
from sciatica_coach.cli.stats_cmd import weeks_arg


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE.pdf", help="where to save the PDF")
    parser.add_argument(
        "--csv",
        metavar="FILE.csv",
        help="also (or only) save the period as a CSV, one row per exercise per session",
    )
    parser.add_argument(
        "--weeks", type=weeks_arg, default=12, metavar="N", help="how many weeks to cover (default 12)"
    )
    parser.add_argument(
        "--name", default="", metavar="TEXT", help="a name or identifier to print at the top (optional)"
    )
    add_force_option(parser)


def _target(text: str, suffix: str, data_dir: Path, force: bool) -> Path:
    from sciatica_coach.cli.common import output_target

    return output_target(text, data_dir, force=force, suffix=suffix)


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository, write_file
    from sciatica_coach.cli.main import UsageError

    if not args.output and not args.csv:
        raise UsageError("please say where to save the report: -o FILE.pdf, --csv FILE.csv, or both.")
    pdf_path = _target(args.output, ".pdf", data_dir, args.force) if args.output else None
    csv_path = _target(args.csv, ".csv", data_dir, args.force) if args.csv else None

    from sciatica_coach.services.report_data import long_csv

    outputs: list[tuple[Path, bytes, str]] = []
    with open_repository(data_dir) as repo:
        if pdf_path is not None:
            from sciatica_coach.services.report import render_report_pdf

            outputs.append(
                (pdf_path, render_report_pdf(repo, weeks=args.weeks, name=args.name), "the report")
            )
        if csv_path is not None:
            outputs.append((csv_path, long_csv(repo, weeks=args.weeks).encode("utf-8"), "the CSV"))
    for path, data, what in outputs:
        write_file(path, data)
        print(f"Saved {what} to {path}.")
    return 0
