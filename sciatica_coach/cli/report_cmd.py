"""`sciatica-coach report -o FILE.pdf [--csv FILE.csv] [--weeks N] [--name TEXT]`: the report for the
physiotherapist or doctor (PDF), and the same period in long format for clinicians who analyse data (CSV: one
row per exercise per session, see :func:`sciatica_coach.report_data.long_csv`). Either or both.

The PDF uses QtGui's PDF writer (offscreen on Linux, so no display is needed) and never QtWidgets; the CSV
needs no Qt at all. Both come from the same figures as `stats` and the Progress page."""

from __future__ import annotations

import argparse
from pathlib import Path

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


def _target(text: str, suffix: str) -> Path:
    from sciatica_coach.cli.main import UsageError

    path = Path(text).expanduser()
    if path.is_dir():
        raise UsageError(f"{path} is a folder; please give a file name ending in {suffix}.")
    if not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} does not exist.")
    if path.suffix.lower() != suffix:
        raise UsageError(f"{path.name} should end in {suffix}.")
    return path


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository
    from sciatica_coach.cli.main import UsageError
    from sciatica_coach.storage.atomic import atomic_write

    if not args.output and not args.csv:
        raise UsageError("please say where to save the report: -o FILE.pdf, --csv FILE.csv, or both.")
    pdf_path = _target(args.output, ".pdf") if args.output else None
    csv_path = _target(args.csv, ".csv") if args.csv else None

    from sciatica_coach.report_data import long_csv

    outputs: list[tuple[Path, bytes, str]] = []
    with open_repository(data_dir) as repo:
        if pdf_path is not None:
            from sciatica_coach.report import render_report_pdf

            outputs.append(
                (pdf_path, render_report_pdf(repo, weeks=args.weeks, name=args.name), "the report")
            )
        if csv_path is not None:
            outputs.append((csv_path, long_csv(repo, weeks=args.weeks).encode("utf-8"), "the CSV"))
    for path, data, what in outputs:
        try:
            atomic_write(path, data, mode=0o600)
        except OSError as err:
            raise UsageError(f"could not write {path} ({err.strerror}).") from None
        print(f"Saved {what} to {path}.")
    return 0
