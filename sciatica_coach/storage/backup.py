"""A backup of everything in a data folder, in one JSON file: write it, check it, describe it, restore it.

A backup holds the data file's every table (settings, and state: the routine, its history, the reminder
times, progression, outcome answers, anything stored later) and every year's history file (sessions and
safety events), each exactly as stored. Nothing here names a table or a state key it must copy, so new state
is backed up without a change here. The file's layout and versioning are in docs/backup-format.md.

Restoring checks the whole file first (`read_backup`), keeps a copy of the current data in the folder's
"backups" folder, then swaps the new files in: a failure before the swap (full disk, read-only folder)
changes nothing, and a failure during it puts the old files back. Automatic backups (`auto_backup`) keep one
a day, the newest AUTO_KEEP of them, beside those copies. Qt-free; the command line and Settings both use it."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sciatica_coach import __version__

# SHA-256 from CPython's own module, not hashlib's OpenSSL one: loading OpenSSL into the window's process for the
# daily backup kept about 4 MB more resident for the rest of the run (benchmarks/startup_bench.py).
try:
    from _sha2 import sha256 as _sha256  # Python 3.12 and later
except ImportError:  # pragma: no cover - depends on the Python version
    try:
        from _sha256 import sha256 as _sha256  # Python 3.11
    except ImportError:
        from hashlib import sha256 as _sha256
from sciatica_coach.i18n import _, ngettext
from sciatica_coach.storage.atomic import DIR_MODE, atomic_write, ensure_private_dir
from sciatica_coach.storage.migrations import SCHEMA_VERSION
from sciatica_coach.storage.repository import (
    DATA_FILE,
    DEFAULT_SETTINGS,
    EVENTS_TABLE,
    HISTORY_FOLDER,
    REMINDER_PLAN_KEY,
    ROUTINE_KEY,
    Repository,
    _schema_version,
    _well_formed,
    history_file,
)

log = logging.getLogger(__name__)

BACKUP_FORMAT = "sciatica-coach-backup"
BACKUP_VERSION = 1  # the newest backup layout this build writes and reads (docs/backup-format.md)
BACKUPS_FOLDER = "backups"  # in the data folder: automatic backups and the copies taken before a restore
AUTO_KEEP = 7  # automatic backups kept: the newest 7 days on which the app was opened
MAX_BACKUP_BYTES = 100 * 1024 * 1024  # ten years of twice-daily sessions is about 5 MB
_AUTO_NAME = re.compile(r"^auto-(\d{4}-\d{2}-\d{2})\.json$")
_STAGE_PREFIX = ".restore-"  # the new files wait here before the swap; the old history waits beside them


class BackupError(Exception):
    """A backup that can't be written, read or restored, in plain words (what happened, what was kept)."""


@dataclass(frozen=True)
class Backup:
    """The whole content of a data folder at one moment."""

    created_at: str  # ISO time the backup was made
    app_version: str
    data: dict[str, Any]  # the data file: table name -> {document id -> document}
    history: dict[int, dict[str, Any]]  # year -> that year's history file, the same shape


@dataclass(frozen=True)
class Summary:
    """What a backup (or the current data) holds, in the terms a person would check before a restore."""

    sessions: int
    first_day: date | None
    last_day: date | None
    safety_events: int
    routine_phase: int | None  # None: no routine of one's own (the phase-1 starting routine is used)
    routine_exercises: int
    reminder_times: tuple[str, ...] | None  # enabled times; None: none set (the default times are used)
    settings_changed: int  # settings set away from their defaults
    saved_at: datetime | None = None  # when the backup was made (None for the current data)


# ---- reading a folder and writing a file ------------------------------------------------------------------
def _read_table_file(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as err:
        raise BackupError(
            _("{path} could not be read ({error}), so no backup was made.").format(
                path=path, error=getattr(err, "strerror", None) or err.__class__.__name__
            )
        ) from None
    if not _well_formed(raw) or _schema_version(raw) is None:
        raise BackupError(_("{path} is not in the expected shape, so no backup was made.").format(path=path))
    return dict(raw)


def snapshot(folder: Path, now: datetime | None) -> Backup:
    """Everything stored in `folder`, read from its files as they are now (made at `now`, if given)."""
    try:
        data = _read_table_file(folder / DATA_FILE)
    except FileNotFoundError:
        data = {"meta": {"1": {"schema_version": SCHEMA_VERSION}}}
    history: dict[int, dict[str, Any]] = {}
    history_folder = folder / HISTORY_FOLDER
    if history_folder.is_dir():
        for path in sorted(history_folder.glob("sessions-*.json")):
            try:
                year = int(path.stem.removeprefix("sessions-"))
            except ValueError:
                continue  # not a year's file: the repository doesn't read it either
            try:
                history[year] = _read_table_file(path)
            except FileNotFoundError:
                continue
    return Backup(now.isoformat(timespec="seconds") if now else "", __version__, data, history)


def _content(backup: Backup) -> dict[str, Any]:
    return {
        "data": backup.data,
        "history": {str(year): backup.history[year] for year in sorted(backup.history)},
    }


def _canonical(content: object) -> str:
    """`content` as canonical JSON: keys sorted, no spaces, non-ASCII as it is (what the check mark is of)."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _checksum(canonical: str) -> str:
    digest: str = _sha256(canonical.encode("utf-8")).hexdigest()
    return digest


def backup_bytes(backup: Backup) -> bytes:
    """The backup file's bytes (docs/backup-format.md): the fields a person may read one a line, then the
    content as its canonical JSON, which is also what the check mark is taken of (one encoding: a tenth of a
    second for ten years of history, where an indented file took seconds)."""
    content = _canonical(_content(backup))
    header = {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "app_version": backup.app_version,
        "created_at": backup.created_at,
        "data_schema_version": _schema_version(backup.data),
        "content_sha256": _checksum(content),
    }
    head = json.dumps(header, ensure_ascii=False, indent=1)
    return f'{head.removesuffix("}").rstrip()},\n "content": {content}\n}}\n'.encode()


def _write_failed(path: Path, err: OSError) -> BackupError:
    if err.errno == 28:
        return BackupError(
            _("The backup could not be saved as {path} because the disk is full.").format(path=path)
        )
    return BackupError(
        _("The backup could not be saved as {path} ({reason}).").format(
            path=path, reason=(err.strerror or str(err)).lower()
        )
    )


def write_backup(folder: Path, target: Path, now: datetime) -> Backup:
    """Save a backup of everything in `folder` as `target` (written whole or not at all). A target inside
    `folder`, or one that is a folder, pipe or device, is refused (BackupError); nothing is written."""
    from sciatica_coach.core.chosen_files import ChosenFileError, check_output

    try:
        target = check_output(target, folder).path
    except ChosenFileError as err:
        raise BackupError(str(err)) from None
    backup = snapshot(folder, now)
    try:
        atomic_write(target, backup_bytes(backup))
    except OSError as err:
        raise _write_failed(target, err) from None
    return backup


# ---- reading a backup file ---------------------------------------------------------------------------------
def _refused(source: str, why: str) -> BackupError:
    return BackupError(
        _("{source} can't be restored: {why} Nothing was changed.").format(source=source, why=why)
    )


def _check_tables(raw: object, what: str, source: str) -> dict[str, Any]:
    if not _well_formed(raw):
        raise _refused(source, _("{what} is damaged (not in the expected shape).").format(what=what))
    assert isinstance(raw, dict)
    version = _schema_version(raw)
    if version is None:
        raise _refused(source, _("{what} is damaged (it has no version mark).").format(what=what))
    if version > SCHEMA_VERSION:
        raise _refused(
            source,
            _(
                "it was made by a newer Sciatica Coach (data version {version}; this one reads up to "
                "{supported}). Please update Sciatica Coach to restore it."
            ).format(version=version, supported=SCHEMA_VERSION),
        )
    return raw


def parse_backup(blob: bytes, source: str | None = None) -> Backup:
    """Check a backup file completely; BackupError in plain words for anything that is not a whole backup this
    build can restore."""
    if source is None:
        source = _("The file")
    if len(blob) > MAX_BACKUP_BYTES:
        raise _refused(source, _("it is far too large to be a Sciatica Coach backup."))
    try:
        raw = json.loads(blob.decode("utf-8-sig"))  # a byte-order mark is accepted, as in the imports
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refused(
            source, _("it is not a Sciatica Coach backup (it is not JSON text, or it was cut short).")
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != BACKUP_FORMAT:
        if isinstance(raw, dict) and raw.get("format") == "sciatica-coach-history":
            raise _refused(
                source,
                _(
                    "it is a history export, not a backup of everything. Import it from Progress "
                    "(or with 'sciatica-coach import') instead."
                ),
            )
        raise _refused(source, _("it is not a Sciatica Coach backup."))
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refused(source, _("its version mark is damaged."))
    if version > BACKUP_VERSION:
        raise _refused(
            source,
            _(
                "it was made by a newer Sciatica Coach (backup version {version}; this one reads up to "
                "{supported}). Please update Sciatica Coach to restore it."
            ).format(version=version, supported=BACKUP_VERSION),
        )
    content = raw.get("content")
    if not isinstance(content, dict) or not isinstance(content.get("history"), dict):
        raise _refused(source, _("it is damaged (part of it is missing)."))
    data = _check_tables(content.get("data"), _("its settings and routine part"), source)
    history: dict[int, dict[str, Any]] = {}
    for key, part in content["history"].items():
        try:
            year = int(key)
        except ValueError:
            year = -1
        if year < 0 or str(year) != key:
            raise _refused(source, _("its history part {name} is damaged.").format(name=repr(key)))
        history[year] = _check_tables(part, _("its history of {year}").format(year=year), source)
    if raw.get("content_sha256") != _checksum(_canonical(content)):
        raise _refused(source, _("it is damaged (its contents don't match its check mark)."))
    created_at = raw.get("created_at")
    app_version = raw.get("app_version")
    return Backup(
        created_at if isinstance(created_at, str) else "",
        app_version if isinstance(app_version, str) else "",
        data,
        history,
    )


def read_backup(path: Path) -> Backup:
    """Read and check the backup file at `path` (see parse_backup): an ordinary file only (a pipe or device
    is refused, never waited on)."""
    from sciatica_coach.core.chosen_files import ChosenFileError, TooLargeError, read_chosen_file

    try:
        blob = read_chosen_file(path, MAX_BACKUP_BYTES)
    except TooLargeError:
        raise _refused(path.name, _("it is far too large to be a Sciatica Coach backup.")) from None
    except ChosenFileError as err:
        raise BackupError(str(err)) from None
    return parse_backup(blob, path.name)


# ---- what a backup holds -----------------------------------------------------------------------------------
def _state(data: dict[str, Any], key: str) -> Any:
    for doc in data.get("state", {}).values():
        if doc.get("key") == key:
            return doc.get("value")
    return None


def _day(text: object) -> date | None:
    try:
        return datetime.fromisoformat(str(text)).date()
    except ValueError:
        return None


def describe(backup: Backup) -> Summary:
    """What `backup` holds: sessions and their dates, safety events, the routine, the reminder times."""
    days: list[date] = []
    sessions = events = 0
    for year_data in backup.history.values():
        for doc in year_data.get("sessions", {}).values():
            sessions += 1
            if (day := _day(doc.get("started_at"))) is not None:
                days.append(day)
        events += len(year_data.get(EVENTS_TABLE, {}))
    routine = _state(backup.data, ROUTINE_KEY)
    phase, exercises = None, 0
    if isinstance(routine, dict):
        phase = routine.get("phase", 1) if isinstance(routine.get("phase", 1), int) else None
        items = routine.get("items")
        exercises = len(items) if isinstance(items, list) else 0
    plan = _state(backup.data, REMINDER_PLAN_KEY)
    times: tuple[str, ...] | None = None
    if isinstance(plan, dict) and isinstance(plan.get("reminders"), list):
        times = tuple(
            sorted(
                str(r.get("time"))
                for r in plan["reminders"]
                if isinstance(r, dict) and r.get("enabled", True) and r.get("time")
            )
        )
    changed = sum(
        1
        for doc in backup.data.get("settings", {}).values()
        if isinstance(key := doc.get("key"), str)
        and key in DEFAULT_SETTINGS
        and doc.get("value") != DEFAULT_SETTINGS[key]
    )
    try:
        saved_at: datetime | None = datetime.fromisoformat(backup.created_at)
    except ValueError:
        saved_at = None
    return Summary(
        sessions=sessions,
        first_day=min(days, default=None),
        last_day=max(days, default=None),
        safety_events=events,
        routine_phase=phase,
        routine_exercises=exercises,
        reminder_times=times,
        settings_changed=changed,
        saved_at=saved_at,
    )


def describe_current(repo: Repository) -> Summary:
    """What the data folder of `repo` holds now: what a restore would replace."""
    return describe(snapshot(repo.folder, None))


def summary_lines(summary: Summary) -> list[str]:
    """The summary as short lines for a person (the dates as ISO dates, the same in every language)."""
    from sciatica_coach.core.schedule import default_plan

    lines = []
    if summary.sessions and summary.first_day and summary.last_day:
        lines.append(
            ngettext(
                "{n} session, from {first} to {last}",
                "{n} sessions, from {first} to {last}",
                summary.sessions,
            ).format(
                n=summary.sessions, first=summary.first_day.isoformat(), last=summary.last_day.isoformat()
            )
        )
    else:
        lines.append(ngettext("{n} session", "{n} sessions", summary.sessions).format(n=summary.sessions))
    if summary.routine_phase is None:
        lines.append(_("Routine: the phase 1 starting routine"))
    else:
        lines.append(
            ngettext(
                "Routine: phase {phase}, {n} exercise",
                "Routine: phase {phase}, {n} exercises",
                summary.routine_exercises,
            ).format(phase=summary.routine_phase, n=summary.routine_exercises)
        )
    if summary.reminder_times is None:
        times = sorted(r.slot for r in default_plan().reminders if r.enabled)
        lines.append(_("Reminders: {times} (the usual times)").format(times=", ".join(times)))
    elif summary.reminder_times:
        lines.append(_("Reminders: {times}").format(times=", ".join(summary.reminder_times)))
    else:
        lines.append(_("Reminders: none"))
    lines.append(
        ngettext("{n} safety record", "{n} safety records", summary.safety_events).format(
            n=summary.safety_events
        )
    )
    lines.append(
        ngettext("{n} setting changed", "{n} settings changed", summary.settings_changed).format(
            n=summary.settings_changed
        )
    )
    return lines


# ---- restoring ----------------------------------------------------------------------------------------------
def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def _keep_copy(folder: Path, name: str, backup: Backup) -> Path:
    backups = folder / BACKUPS_FOLDER
    ensure_private_dir(backups)
    target = backups / name
    atomic_write(target, backup_bytes(backup))
    return target


def _remove_tree(path: Path) -> None:
    with contextlib.suppress(OSError):
        shutil.rmtree(path)


def _stage(folder: Path, backup: Backup) -> Path:
    """Write the backup's files into a new folder inside `folder`, ready to be swapped in."""
    stage = folder / f"{_STAGE_PREFIX}{os.getpid()}"
    _remove_tree(stage)
    os.mkdir(stage, DIR_MODE)
    os.mkdir(stage / HISTORY_FOLDER, DIR_MODE)
    dumps = {"ensure_ascii": False, "separators": (",", ":")}
    atomic_write(stage / DATA_FILE, json.dumps(backup.data, **dumps).encode("utf-8"))  # type: ignore[arg-type]
    for year, part in backup.history.items():
        atomic_write(history_file(stage, year), json.dumps(part, **dumps).encode("utf-8"))  # type: ignore[arg-type]
    return stage


def _restore_failed(folder: Path, err: OSError, copy: Path | None) -> BackupError:
    reason = _("the disk is full") if err.errno == 28 else (err.strerror or str(err)).lower()
    text = _(
        "The backup could not be restored into {folder} because {reason}. Your data there is as it was; "
        "nothing was changed."
    ).format(folder=folder, reason=reason)
    if copy is not None:
        text += " " + _("A copy of it is also in {path}.").format(path=copy)
    return BackupError(text)


def restore(folder: Path, backup: Backup, now: datetime) -> Path:
    """Replace everything in `folder` with `backup`; returns the copy of the data as it was, kept first in
    the "backups" folder. Nobody may be writing the folder meanwhile (the command line holds the folder
    lock; the app stops its reminders and reloads afterwards, see `reload`). A failure before the swap
    changes nothing; a failure during it puts the old files back. Either way BackupError says so."""
    for stale in folder.glob(f"{_STAGE_PREFIX}*"):
        if stale.is_dir():  # left by a restore that was stopped: never the live data
            _remove_tree(stale)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(
            _(
                "The backup could not be restored: the data folder {folder} is read-only. Your data there is "
                "as it was; nothing was changed."
            ).format(folder=folder)
        )
    try:
        current = snapshot(folder, now)
    except BackupError as err:
        raise BackupError(
            _(
                "Your current data could not be copied first, so nothing was restored or changed. {why}"
            ).format(why=err)
        ) from None
    copy: Path | None = None
    try:
        copy = _keep_copy(folder, f"before-restore-{_stamp(now)}.json", current)
        stage = _stage(folder, backup)
    except OSError as err:
        _remove_tree(folder / f"{_STAGE_PREFIX}{os.getpid()}")
        raise _restore_failed(folder, err, copy) from None
    history = folder / HISTORY_FOLDER
    old_history = folder / f"{_STAGE_PREFIX}old-{os.getpid()}"
    moved_old = swapped_in = False
    try:
        if history.exists():
            os.replace(history, old_history)
            moved_old = True
        os.replace(stage / HISTORY_FOLDER, history)
        swapped_in = True
        os.replace(stage / DATA_FILE, folder / DATA_FILE)  # the last step: one atomic rename
    except OSError as err:
        with contextlib.suppress(OSError):
            if swapped_in:
                os.replace(history, stage / HISTORY_FOLDER)
            if moved_old:
                os.replace(old_history, history)
        _remove_tree(stage)
        raise _restore_failed(folder, err, copy) from None
    _remove_tree(stage)
    _remove_tree(old_history)
    log.info("Restored %s from a backup made %s; the data before is in %s", folder, backup.created_at, copy)
    return copy


# ---- automatic backups --------------------------------------------------------------------------------------
def auto_backups(folder: Path) -> list[Path]:
    """The automatic backups in `folder`'s "backups" folder, oldest first."""
    backups = folder / BACKUPS_FOLDER
    if not backups.is_dir():
        return []
    return sorted(p for p in backups.iterdir() if _AUTO_NAME.match(p.name))


def auto_backup(folder: Path, now: datetime, keep: int = AUTO_KEEP) -> Path | None:
    """Today's automatic backup, unless there is one already; then only the newest `keep` are kept. Returns
    the new file (None if today's was there). Call only for a folder that opened without error. A failure
    raises BackupError and removes nothing."""
    name = f"auto-{now.date().isoformat()}.json"
    target = folder / BACKUPS_FOLDER / name
    if target.exists():
        return None
    backup = snapshot(folder, now)
    try:
        _keep_copy(folder, name, backup)
    except OSError as err:
        raise _write_failed(target, err) from None
    for old in auto_backups(folder)[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target
