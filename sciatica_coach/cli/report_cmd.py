"""`sciatica-coach report -o FILE.pdf [--weeks N]`: the one-page PDF for the physiotherapist or doctor.

Uses QtGui's PDF writer (offscreen on Linux, so no display is needed) and never QtWidgets."""

from __future__ import annotations

import argparse
from pathlib import Path

from sciatica_coach.cli.stats_cmd import weeks_arg


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE.pdf", required=True, help="where to save the PDF")
    parser.add_argument(
        "--weeks", type=weeks_arg, default=12, metavar="N", help="how many weeks to cover (default 12)"
    )


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository
    from sciatica_coach.cli.main import UsageError
    from sciatica_coach.storage.atomic import atomic_write

    path = Path(args.output).expanduser()
    if path.is_dir():
        raise UsageError(f"{path} is a folder; please give a file name ending in .pdf.")
    if not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} does not exist.")
    if path.suffix.lower() != ".pdf":
        raise UsageError(f"{path.name} should end in .pdf.")

    from sciatica_coach.report import render_report_pdf

    with open_repository(data_dir) as repo:
        data = render_report_pdf(repo, weeks=args.weeks)
    try:
        atomic_write(path, data, mode=0o600)
    except OSError as err:
        raise UsageError(f"could not write {path} ({err.strerror}).") from None
    print(f"Saved the report to {path}.")
    return 0
