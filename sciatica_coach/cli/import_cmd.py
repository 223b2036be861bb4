"""`sciatica-coach import FILE`: restore history from a JSON export. Nothing changes unless the file is clean."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a JSON file made by 'sciatica-coach export'")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository
    from sciatica_coach.cli.main import UsageError
    from sciatica_coach.storage.exchange import (
        ExchangeError,
        RoutineFileError,
        apply_import,
        parse_import,
        read_import_file,
    )

    path = Path(args.file).expanduser()
    try:
        bundle = parse_import(read_import_file(path), path.name)
    except RoutineFileError:
        raise UsageError(
            f"This is a routine file, not a history file: use `sciatica-coach routine import {args.file}`"
        ) from None
    except ExchangeError as err:
        raise UsageError(str(err)) from None
    with open_repository(data_dir, write=True) as repo:
        result = apply_import(repo, bundle)  # a disk full part-way: PartialImportError says what was imported
    print(
        f"Imported {result.added} session(s); {result.already_there} were already there. "
        f"Added {result.events_added} safety event(s)."
        + (f" Added {result.breaks_added} sitting break(s)." if result.breaks_added else "")
    )
    return 0
