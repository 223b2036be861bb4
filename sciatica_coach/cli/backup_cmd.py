"""`sciatica-coach backup -o FILE [--force]` and `sciatica-coach restore FILE [--yes]`: everything, in one file.

A backup holds the history, the routine and its history, the reminders, the settings, the safety records and
every other saved answer (storage/backup.py, docs/backup-format.md); `export` stays the history alone.
Restore checks the whole file, shows what it would replace, asks (or takes --yes), keeps a copy of the data
as it was in the data folder's "backups" folder, then replaces everything."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sciatica_coach.cli.args import add_force_option


def register(parser: argparse.ArgumentParser) -> None:
    if parser.prog.split()[-1] == "backup":
        parser.add_argument("-o", "--output", metavar="FILE", required=True, help="the backup file to write")
        add_force_option(parser)
    else:
        parser.add_argument("file", metavar="FILE", help="a backup file made by 'sciatica-coach backup'")
        parser.add_argument(
            "--yes", action="store_true", help="replace your data without asking (for scripts)"
        )


def run(args: argparse.Namespace, data_dir: Path) -> int:
    return _backup(args, data_dir) if args.command == "backup" else _restore(args, data_dir)


def _backup(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository, output_target
    from sciatica_coach.cli.main import UsageError
    from sciatica_coach.core.clock import SystemClock
    from sciatica_coach.storage.backup import BackupError, describe, summary_lines, write_backup

    path = output_target(args.output, data_dir, force=args.force)  # never inside the data folder
    with open_repository(data_dir) as repo:  # only a folder that opens cleanly is backed up
        try:
            backup = write_backup(repo.folder, path, SystemClock().now())
        except BackupError as err:
            raise UsageError(str(err)) from None
    print(f"Saved a backup of everything in {path}:")
    for line in summary_lines(describe(backup)):
        print(f"  {line}")
    return 0


def _restore(args: argparse.Namespace, data_dir: Path) -> int:
    from sciatica_coach.cli.common import open_repository
    from sciatica_coach.cli.main import UsageError
    from sciatica_coach.core.clock import SystemClock
    from sciatica_coach.storage.backup import (
        BackupError,
        describe,
        describe_current,
        read_backup,
        restore,
        summary_lines,
    )

    try:
        backup = read_backup(Path(args.file).expanduser())
    except BackupError as err:
        raise UsageError(str(err)) from None
    with open_repository(data_dir, write=True) as repo:  # the folder lock: the app must not be open
        saved = describe(backup).saved_at
        print("Restoring replaces everything Sciatica Coach holds in", repo.folder)
        print("Now:")
        for line in summary_lines(describe_current(repo)):
            print(f"  {line}")
        print(f"In the backup{f' (made {saved:%Y-%m-%d %H:%M})' if saved else ''}:")
        for line in summary_lines(describe(backup)):
            print(f"  {line}")
        if not args.yes:
            if not sys.stdin.isatty():
                raise UsageError("nothing was restored: add --yes to replace your data without being asked.")
            answer = input("Replace your data with the backup? A copy of it is kept first. [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing was changed.")
                return 1
        try:
            copy = restore(repo.folder, backup, SystemClock().now())
        except BackupError as err:
            raise UsageError(str(err)) from None
    print(f"Restored. Your data as it was before is kept in {copy}.")
    return 0
