"""The repository: the only module that touches TinyDB and the data file.

It opens the data file safely (moving a broken one aside, refusing a newer one, migrating an older one with a
backup first), writes atomically, and offers small typed methods for settings, sessions and other state."""

from __future__ import annotations

import errno
import json
import logging
import math
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from sciatica_coach.core.affected_side import parse_up_by
from sciatica_coach.core.plausible import clean_text, day_from_text, moment_from_text, plausible_day
from sciatica_coach.i18n import N_, _, ngettext
from sciatica_coach.storage.atomic import (
    DIR_MODE,
    FILE_MODE,
    atomic_write,
    ensure_private_dir,
    remove_stale_temp_files,
)
from sciatica_coach.storage.migrations import SCHEMA_VERSION, known_version, migrate

if TYPE_CHECKING:
    from sciatica_coach.core.model import SafetyEvent, SessionRecord
    from sciatica_coach.core.sitting import SittingBreak

# The session codec (and the model behind it) is imported when the year files are checked, entry by entry, as
# the folder opens (Repository._set_aside_bad_entries); the decoded records are kept for the pages.

log = logging.getLogger(__name__)

DATA_FILE = "sciatica-coach.json"  # settings and state; sessions are in HISTORY_FOLDER, a file per year
HISTORY_FOLDER = "history"
EVENTS_TABLE = "safety_events"  # in each year's history file, beside "sessions"
SITTING_BREAKS_TABLE = "sitting_breaks"  # the answers to sitting-break cards, a third table in the year file
# State keys that more than one layer reads (the routine's and the reminders' owners, and backups).
ROUTINE_KEY = "routine"
REMINDER_PLAN_KEY = "reminder_plan"

# Every setting and its default, declared once; stored values are merged over these at start.
DEFAULT_SETTINGS: dict[str, Any] = {
    "theme": "system",  # system | light | dark
    "text_scale": 100,  # percent
    "language": "system",
    "sound_on": True,
    "voice_on": True,
    "voice_commands_on": False,  # listening for "pause", "next", a pain number... (opt-in: the microphone)
    "volume": 80,  # percent
    "disclaimer_accepted_at": None,  # ISO time the user acknowledged the guidance note
    "window_geometry": None,  # base64 of QWidget.saveGeometry()
    "told_about_tray": False,
    "avoid_direction": None,  # "flexion" | "extension" | None
    "country": None,  # ISO code ("GB", "DE") or "other" for the numbers to call; None: the system locale's
    "get_ready_s": 15,  # seconds to get into position before the first exercise of a session (5-60)
    "count_reps_aloud": False,  # the voice says which repetition a hold is ("Three of ten")
    "halfway_cue": False,  # the voice says "Halfway" in the middle of a long hold
    "still_pictures": False,  # reduced motion: the exercise figure never moves, two still pictures instead
    "affected_side": None,  # which leg has the sciatica: "left" | "right" | "both" | None (not said yet)
    "usually_up_by": None,  # "HH:MM", the person's usual time of getting up; None: not said
    "sitting_breaks_on": False,  # sitting breaks (core/sitting.py): off until the person turns them on
    "sitting_interval_min": 30,  # minutes of sitting at the computer before a break card (15-120)
    "sitting_work_days": [0, 1, 2, 3, 4],  # the weekdays breaks are offered on (Monday is 0)
    "sitting_work_start": "08:00",  # "HH:MM": breaks are offered from this time ...
    "sitting_work_end": "18:00",  # ... up to this one (across midnight when earlier than the start)
}


# What each setting can really be, one check per kind of value. A stored value outside it (a text size that is
# a word, a volume of 10**40, NaN) is read as the nearest usable value: a number is rounded and kept within its
# range, a switch is on or off as Python reads it, and anything else is the default, with a log line. The file
# keeps what it holds until the person changes the setting.
_UNUSABLE = object()


def _choice(*allowed: object) -> Any:
    return lambda value: value if value in allowed and not isinstance(value, bool | float) else _UNUSABLE


def _whole(low: int, high: int) -> Any:
    def nearest(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _UNUSABLE
        if isinstance(value, float) and not math.isfinite(value):  # (math.isfinite(10**400) would overflow)
            return _UNUSABLE
        return max(low, min(high, round(value)))

    return nearest


def _flag(value: object) -> object:
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return _UNUSABLE
    return bool(value)  # as the session has always read a hand-edited "yes" or 0


def _text_of(longest: int, optional: bool = True) -> Any:
    def usable(value: object) -> object:
        if optional and value is None:
            return None
        return value if clean_text(value, longest) is not None else _UNUSABLE

    return usable


def _optional_moment(value: object) -> object:
    """None, or an ISO time on a plausible day (a time written without its zone still counts: it only
    records that something was done)."""
    if value is None or moment_from_text(value) is not None:
        return value
    if isinstance(value, str) and value.isascii():
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return _UNUSABLE
        return value if moment.tzinfo is None and plausible_day(moment.date()) else _UNUSABLE
    return _UNUSABLE


def _weekdays(value: object) -> object:
    """A list of distinct weekdays, 0 (Monday) to 6; an empty list is usable (no working days)."""
    if not isinstance(value, list) or len(value) > 7:
        return _UNUSABLE
    if not all(isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6 for day in value):
        return _UNUSABLE
    return value if len(set(value)) == len(value) else _UNUSABLE


def _clock_time(value: object) -> object:
    """An "HH:MM" time of day."""
    return value if parse_up_by(value) is not None else _UNUSABLE


SETTING_CHECKS: dict[str, Any] = {
    "theme": _choice("system", "light", "dark"),
    "text_scale": _whole(50, 300),
    "language": _text_of(35, optional=False),
    "sound_on": _flag,
    "voice_on": _flag,
    "voice_commands_on": _flag,
    "volume": _whole(0, 100),
    "disclaimer_accepted_at": _optional_moment,
    "window_geometry": _text_of(10_000),
    "told_about_tray": _flag,
    "avoid_direction": _choice(None, "flexion", "extension"),
    "country": _text_of(10),
    "get_ready_s": _whole(5, 60),
    "count_reps_aloud": _flag,
    "halfway_cue": _flag,
    "still_pictures": _flag,
    "affected_side": _choice(None, "left", "right", "both"),
    "usually_up_by": lambda value: value if value is None or parse_up_by(value) is not None else _UNUSABLE,
    "sitting_breaks_on": _flag,
    "sitting_interval_min": _whole(15, 120),
    "sitting_work_days": _weekdays,
    "sitting_work_start": _clock_time,
    "sitting_work_end": _clock_time,
}


def usable_setting(key: str, value: Any) -> Any:
    """The value the setting `key` is used with when `value` is stored (see SETTING_CHECKS)."""
    usable = SETTING_CHECKS[key](value)
    if usable is _UNUSABLE:
        log.warning("Ignoring an impossible stored value for the setting %r: %s", key, ascii(value)[:80])
        return DEFAULT_SETTINGS[key]
    return usable


class DataError(Exception):
    """A problem with the data folder or file, worded for the person using the app."""


@dataclass
class OpenResult:
    """Plain-words notices gathered while opening (e.g. a broken file was moved aside). `read_only`: nothing
    on disk may change while opening (a read-only folder, or a command reading while another process holds
    the folder lock): every step that would move, copy, migrate or rewrite a file checks it first."""

    notices: list[str] = field(default_factory=list)
    read_only: bool = False


class AtomicJSONStorage(Storage):
    """A TinyDB storage that keeps the data in memory and replaces the file atomically on every write.

    Stock JSONStorage rewrites the file in place and can be torn by a crash; this one cannot. If a write
    fails (disk full, folder made read-only), the in-memory copy is rolled back to what is on disk.

    `on_disk`: `initial` is exactly what the file holds. Then no second copy is kept for that rollback (the
    file is read back instead), and `release` may drop the data until TinyDB next asks for it: a year's
    history is decoded once as the folder opens, and its raw JSON (about 1 MB for half a year) needn't stay
    in memory beside the decoded records. Data that differs from the file (a key renumbered, a version mark
    repaired, a file not yet written) keeps its text until it has been saved.

    `rebuild`, when set, gives the data again should the file no longer read back (another program changed or
    removed it while the app held the folder): the damaged file is kept aside and the data are rebuilt, so a
    save still keeps everything the app knew, as it did when the data stayed in memory."""

    read_only = (
        False  # a folder opened read-only: writes change the copy in memory only (see Repository.open)
    )
    rebuild: Callable[[], dict[str, Any]] | None = None

    def __init__(self, path: Path, initial: dict[str, Any], *, on_disk: bool = False) -> None:
        self.path = path
        self._data: dict[str, Any] | None = initial
        # What to roll back to after a failed write; None: the file itself.
        self._saved_text = None if on_disk else json.dumps(initial, ensure_ascii=False, separators=(",", ":"))

    def read(self) -> dict[str, Any]:
        if self._data is None:
            try:
                self._data = self._read_back()
            except OSError as err:
                if self.rebuild is None:
                    raise
                log.warning("Could not read %s back (%s): rebuilding it from what was read at start", self.path,
                            err.strerror)  # fmt: skip
                if self.path.exists():
                    _move_aside(self.path, "it could no longer be read", OpenResult())
                self._data = self.rebuild()
                self._saved_text = json.dumps(self._data, ensure_ascii=False, separators=(",", ":"))
        return self._data

    def release(self) -> None:
        """Drop the data from memory if the file holds exactly it (it is read back when next needed)."""
        if self._saved_text is None and not self.read_only:
            self._data = None

    def _read_back(self) -> dict[str, Any]:
        """The file as last saved or read, which is the data (see `on_disk`). A file changed or removed
        behind the app's back reads as an OSError, which the caller words as a failed save."""
        try:
            data = json.loads(_decode(self.path.read_bytes())[0])
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            raise OSError(errno.EIO, _("the file was changed by another program"), str(self.path))
        return data

    def write(self, data: dict[str, Any]) -> None:
        if self.read_only:
            log.info("Not saved (the data folder was opened only to read): %s", self.path)
            self._data = data
            return
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        try:
            blob = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate kept from a damaged file: written escaped, kept exactly
            blob = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        del text
        try:
            atomic_write(self.path, blob)
        except OSError:
            self._data = None
            if self._saved_text is not None:
                self._data = json.loads(self._saved_text)
            raise
        self._data = data
        self._saved_text = None  # the file holds it now

    def close(self) -> None:
        pass


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _move_aside(path: Path, why: str, result: OpenResult) -> Path:
    """Keep a broken file (or folder) under a new name beside it; never delete it. Opening read-only, it is
    left where it is (and that is the name returned)."""
    if result.read_only:
        log.warning("Left %s as it is (opened read-only): %s", path, why)
        return path
    target = path.with_name(f"{path.name}.broken-{_stamp()}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.broken-{_stamp()}-{n}")
    os.replace(path, target)
    log.warning("Moved %s aside to %s: %s", path, target, why)
    return target


def _empty_data() -> dict[str, Any]:
    return {"meta": {"1": {"schema_version": SCHEMA_VERSION}}}


def _schema_version(raw: dict[str, Any]) -> int | None:
    """The file's version mark as stored (0 and -1 too: see known_version), None when it has none."""
    meta = raw.get("meta")
    if not isinstance(meta, dict):
        return None
    for doc in meta.values():
        version = doc.get("schema_version") if isinstance(doc, dict) else None
        if isinstance(version, int) and not isinstance(version, bool):
            return version
    return None


def _well_formed(raw: object) -> bool:
    if not isinstance(raw, dict):
        return False
    for name, table in raw.items():
        if not isinstance(name, str) or not isinstance(table, dict):
            return False
        if not all(isinstance(doc, dict) for doc in table.values()):
            return False
    return True


def _decode(blob: bytes) -> tuple[str, bool]:
    """The text of a file and whether it was all valid Unicode. The encodings JSON allows are recognised as
    JSON's own reader does (json.detect_encoding): a byte-order mark (UTF-8, as Windows editors write, or
    UTF-16/32) and UTF-16/32 without one. Bytes that are not UTF-8 (a record typed in another encoding) become
    lone surrogates, so the rest of the file still reads and only the entries holding them are set aside."""
    encoding = json.detect_encoding(blob)
    if encoding != "utf-8":
        try:
            return blob.decode(encoding), True
        except UnicodeDecodeError:
            pass
    try:
        return blob.decode("utf-8"), True
    except UnicodeDecodeError:
        return blob.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape"), False


LONGEST_DOC_ID = 9  # digits: TinyDB numbers documents 1, 2, 3...; a billion is far beyond any real file


def _renumber_documents(raw: dict[str, Any]) -> bool:
    """TinyDB reads a document's key as a whole number; a key it can't read ("abc", "٣", "01", 10**5000) would
    crash it. Such documents get fresh numbers; their contents are untouched. True when any changed."""
    changed = False
    for name, table in raw.items():
        if not isinstance(table, dict):
            continue
        good = {
            k
            for k in table
            if isinstance(k, str) and k.isascii() and k.isdigit() and k[0] != "0" and len(k) <= LONGEST_DOC_ID
        }
        if len(good) == len(table):
            continue
        next_id = max((int(k) for k in good), default=0) + 1
        fixed: dict[str, Any] = {}
        for key, doc in table.items():
            if key in good:
                fixed[key] = doc
            else:
                fixed[str(next_id)] = doc
                next_id += 1
        raw[name] = fixed
        changed = True
    return changed


# The notice for each reason a data file is moved aside: whole sentences, so a translation can reword them.
_BROKEN_FILE_NOTICES: dict[str, str] = {
    "it was empty": N_(
        "Your data file could not be used because it was empty. It has been kept, unchanged, as {kept}. "
        "Sciatica Coach started with a fresh file; your earlier file is still there if you need it."
    ),
    "it could not be read (it may have been cut short or damaged)": N_(
        "Your data file could not be used because it could not be read (it may have been cut short or "
        "damaged). It has been kept, unchanged, as {kept}. "
        "Sciatica Coach started with a fresh file; your earlier file is still there if you need it."
    ),
    "its contents were not in the expected shape": N_(
        "Your data file could not be used because its contents were not in the expected shape. "
        "It has been kept, unchanged, as {kept}. "
        "Sciatica Coach started with a fresh file; your earlier file is still there if you need it."
    ),
    "it had no version mark": N_(
        "Your data file could not be used because it had no version mark. It has been kept, unchanged, as "
        "{kept}. Sciatica Coach started with a fresh file; your earlier file is still there if you need it."
    ),
    "its version mark was impossible": N_(
        "Your data file could not be used because its version mark is not one Sciatica Coach ever wrote. "
        "It has been kept, unchanged, as {kept}. "
        "Sciatica Coach started with a fresh file; your earlier file is still there if you need it."
    ),
}


def _load_raw(path: Path, result: OpenResult, history: bool = False) -> tuple[dict[str, Any], bool]:
    """Read the data file, and whether the data are exactly what the file holds (not renumbered, not
    replaced, all valid Unicode). A broken one is moved aside and replaced by empty data, with a notice. A
    `history` (year) file is only moved aside when it can't be read at all: its entries are checked one by
    one later (Repository._set_aside_bad_entries), so one bad entry never hides a year."""
    if path.is_dir():
        kept = _move_aside(path, "a folder stood where the data file should be", result)
        result.notices.append(
            _(
                "A folder was in the place of your data file. It was moved, untouched, to {kept}. "
                "Sciatica Coach started with a fresh data file."
            ).format(kept=kept)
        )
        return _empty_data(), False
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return _empty_data(), False
    except PermissionError:
        raise DataError(
            _(
                "Sciatica Coach isn't allowed to read its data file {path}. "
                "Please check the file's permissions; nothing has been changed."
            ).format(path=path)
        ) from None
    problem = None
    raw: object = None
    text, exact = _decode(blob)
    del blob  # (not kept beside the text and the data while they are read)
    if not text.strip():
        problem = "it was empty"
    else:
        try:
            raw = json.loads(text)
        except (ValueError, RecursionError):  # torn, not JSON, nested too deep, a number of 5000 digits
            problem = "it could not be read (it may have been cut short or damaged)"
        else:
            if history:
                if not isinstance(raw, dict):
                    problem = "its contents were not in the expected shape"
            elif not _well_formed(raw):
                problem = "its contents were not in the expected shape"
            elif (version := _schema_version(raw)) is None:  # type: ignore[arg-type]
                problem = "it had no version mark"
            elif version <= SCHEMA_VERSION and not known_version(version):
                problem = "its version mark was impossible"
    if problem is None:
        assert isinstance(raw, dict)
        if not history and not exact and not result.read_only:
            kept = path.with_name(f"{path.name}.as-found-{_stamp()}")
            try:
                shutil.copy2(path, kept)
            except OSError as err:
                log.warning("Could not keep a copy of %s as it was: %s", path, err)
            else:
                result.notices.append(
                    _(
                        "Part of your data file was not readable text, so the settings there use their "
                        "defaults. The file as it was is kept, unchanged, as {kept}."
                    ).format(kept=kept)
                )
        renumbered = _renumber_documents(raw)
        if renumbered:
            log.warning("Renumbered documents with unreadable keys in %s", path)
        return raw, exact and not renumbered
    kept = _move_aside(path, problem, result)
    result.notices.append(_(_BROKEN_FILE_NOTICES[problem]).format(kept=kept))
    return _empty_data(), False


def _check_version(raw: dict[str, Any], path: Path) -> int:
    version = _schema_version(raw)
    assert version is not None
    if version > SCHEMA_VERSION:
        raise DataError(
            _(
                "Your data file {path} was saved by a newer version of Sciatica Coach "
                "(data version {version}; this version understands up to {supported}). "
                "It has been left untouched. Please update Sciatica Coach to open it."
            ).format(path=path, version=version, supported=SCHEMA_VERSION)
        )
    return version


def _open_failure(folder: Path, err: OSError) -> str:
    return _("Sciatica Coach couldn't open its data in {folder} ({error}).").format(
        folder=folder, error=(err.strerror or str(err)).lower()
    )


def _not_a_folder(folder: Path, err: OSError) -> DataError:
    return DataError(
        _(
            "Sciatica Coach can't use {folder} as its data folder: {reason}. "
            "Nothing there has been changed. Please choose a folder with --data-dir."
        ).format(folder=folder, reason=err.strerror)
    )


def _prepare_folder(folder: Path, result: OpenResult) -> None:
    """The data folder, ready to be written: made if missing (private), else refused in plain words when it
    is not a folder or is read-only, and warned about when other people can change it."""
    try:
        ensure_private_dir(folder)
    except NotADirectoryError as err:
        raise _not_a_folder(folder, err) from None
    except OSError as err:
        raise DataError(
            _(
                "Sciatica Coach can't create its data folder {folder} ({error}). "
                "Please choose another folder with --data-dir."
            ).format(folder=folder, error=err.strerror)
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataError(
            _(
                "Sciatica Coach can't save in its data folder {folder}: it is read-only. "
                "Your data there is untouched. Please make the folder writable or choose another one."
            ).format(folder=folder)
        )
    if folder.stat().st_mode & stat.S_IWOTH:
        # As SSH does for a key's folder: say so. The folder may be one the person chose, so its permissions
        # are theirs to change, not ours.
        log.warning("The data folder %s can be written by every user", folder)
        result.notices.append(
            _(
                "Other people using this computer can change the files in your data folder {folder}. "
                "Sciatica Coach has left the folder as it is; to keep your data safe, please let only your "
                "own account change it (for example with: chmod 700 {folder})."
            ).format(folder=folder)
        )


def _check_readable_folder(folder: Path) -> None:
    """For a read-only open: the folder (if it exists) must be a folder we may read."""
    if folder.is_symlink() and not folder.exists():
        raise _not_a_folder(
            folder, NotADirectoryError(errno.ENOTDIR, _("it is a link to a folder that is not there"))
        )
    if not folder.exists():
        return
    if not folder.is_dir():
        raise _not_a_folder(folder, NotADirectoryError(errno.ENOTDIR, _("it is a file, not a folder")))
    if not os.access(folder, os.R_OK | os.X_OK):
        raise DataError(
            _(
                "Sciatica Coach isn't allowed to read its data folder {folder}. "
                "Please check the folder's permissions; nothing has been changed."
            ).format(folder=folder)
        )


OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


def _tighten_own_files(folder: Path, result: OpenResult) -> None:
    """The app's own files and its history folder are private (0600, 0700) as it makes them; one that other
    people have been allowed to change is made private again, with a notice (as SSH insists on for its keys).
    Links are not followed and files of another owner are left alone."""
    history = folder / HISTORY_FOLDER
    own = [folder / DATA_FILE, history]
    if history.is_dir() and not history.is_symlink():
        own += sorted(history.glob("sessions-*.json"))
    fixed = []
    for path in own:
        try:
            info = path.lstat()
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode) or not info.st_mode & OTHERS_WRITE:
            continue
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            continue
        try:
            os.chmod(path, DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE)
        except OSError as err:
            log.warning("Could not make %s private: %s", path, err.strerror)
            continue
        fixed.append(path)
    if fixed:
        log.warning("Made private again (others could change them): %s", ", ".join(map(str, fixed)))
        result.notices.append(
            _(
                "Other people using this computer could change some of Sciatica Coach's files ({names}). "
                "They are private to you again; nothing in them was changed."
            ).format(names=", ".join(str(p.relative_to(folder)) for p in fixed))
        )


def history_file(folder: Path, year: int) -> Path:
    """Sessions live in one file per year, so recording a session rewrites a year, not a decade. The year's
    safety events (red-flag answers, "It hurts", stops, unanswered questions) are a second table in the same
    file: they are history too, and adding a table needed no new schema version (older versions keep tables
    they don't know). The answers to sitting-break cards are a third table, SITTING_BREAKS_TABLE, the same way."""
    return folder / HISTORY_FOLDER / f"sessions-{year}.json"


def _year_of(doc: dict[str, Any]) -> int:
    try:
        return datetime.fromisoformat(str(doc.get("started_at"))).year
    except ValueError:
        return 0  # a damaged date still keeps its record, in a file of its own


class _JsonFile:
    """One TinyDB file behind an AtomicJSONStorage."""

    def __init__(self, path: Path, raw: dict[str, Any], *, on_disk: bool = False) -> None:
        self.path = path
        self.storage = AtomicJSONStorage(path, raw, on_disk=on_disk)
        storage = self.storage
        self.db = TinyDB(storage=lambda: storage)

    def table(self, name: str) -> Table:
        return self.db.table(name, cache_size=0)

    def write(self, action: str, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except OSError as err:
            self.db.clear_cache()
            raise DataError(_write_failure(self.path, err, action)) from None


class Repository:
    """All stored data of one data folder. Open with `Repository.open(folder)`."""

    def __init__(
        self, folder: Path, main: _JsonFile, years: dict[int, _JsonFile], notices: list[str]
    ) -> None:
        self.folder = folder
        self.path = folder / DATA_FILE
        self.notices = notices
        self.read_only = False  # opened with read_only=True: saves stay in memory (see open)
        self._main = main
        self._years = years
        self._decoded: dict[int, dict[str, SessionRecord]] = {}  # decoded sessions by year, read on demand
        self._decoded_events: dict[int, list[SafetyEvent]] = {}  # decoded safety events by year, on demand
        self._decoded_breaks: dict[int, list[SittingBreak]] = {}  # decoded sitting-break answers by year
        for year in years:
            self._can_rebuild(year)

    # ---- opening -------------------------------------------------------------------------------------
    @classmethod
    def open(cls, folder: Path, *, read_only: bool = False) -> Repository:
        """Open the data folder (made if missing). The caller holds the folder lock (see storage.lock).

        `read_only` is for commands that only read, when the folder can't be written (a backup on a
        read-only medium) or another process holds its lock: nothing on disk is made, moved, migrated or
        rewritten (an older file is migrated in memory only; a broken one is skipped where it is). What such
        a command saves along the way (e.g. the plan history it derives) stays in memory, never on disk: only
        commands that read may open read-only (cli.common.open_repository). A missing folder reads as empty."""
        result = OpenResult(read_only=read_only)
        if read_only:
            _check_readable_folder(folder)
        else:
            _prepare_folder(folder, result)
        path = folder / DATA_FILE
        if not read_only:
            _tighten_own_files(folder, result)
            for stale_folder in (folder, folder / HISTORY_FOLDER):
                if stale_folder.is_dir():
                    remove_stale_temp_files(stale_folder)
        try:
            raw, on_disk = _load_raw(path, result)
            version = _check_version(raw, path)
            years = cls._open_years(folder, result)
        except OSError as err:  # moving a broken file aside failed (the folder changed under us)
            raise DataError(_open_failure(folder, err)) from None
        had_sessions = "sessions" in raw
        try:
            if version < SCHEMA_VERSION:
                if not read_only:
                    backup = path.with_name(f"{path.name}.v{version}-backup-{_stamp()}")
                    atomic_write(backup, path.read_bytes())  # a new file: never through a planted link
                    log.info("Migrating %s from version %d to %d (backup %s)", path, version, SCHEMA_VERSION,
                             backup)  # fmt: skip
                raw = migrate(raw, version)
                for doc in raw["meta"].values():
                    doc["schema_version"] = SCHEMA_VERSION
            if "sessions" in raw:
                # Older layouts kept sessions in the main file: move them to the yearly files first, then
                # save the main file without them (a crash in between leaves them in both; upserting by id
                # makes the next start finish the job without doubling anything).
                cls._move_sessions_to_years(folder, raw.pop("sessions"), years, read_only=read_only)
            main = _JsonFile(path, raw, on_disk=on_disk and version == SCHEMA_VERSION and not had_sessions)
            if read_only:
                for store in (main, *years.values()):
                    store.storage.read_only = True
            elif version < SCHEMA_VERSION or not path.exists() or had_sessions:
                main.storage.write(raw)
            elif not path.is_symlink():
                os.chmod(path, FILE_MODE)
        except OSError as err:
            raise DataError(_write_failure(path, err)) from None
        repo = cls(folder, main, years, result.notices)
        repo.read_only = read_only
        repo._set_aside_bad_entries(result)
        if read_only and result.notices:
            result.notices.append(
                _("This command only read your data folder: nothing in it was changed, moved or set aside.")
            )
        return repo

    @staticmethod
    def _open_years(folder: Path, result: OpenResult) -> dict[int, _JsonFile]:
        years: dict[int, _JsonFile] = {}
        history = folder / HISTORY_FOLDER
        if history.exists() and not history.is_dir():
            kept = _move_aside(history, "a file stood where the history folder should be", result)
            result.notices.append(
                _(
                    "A file was in the place of your session history folder. It was moved, untouched, to {kept}."
                ).format(kept=kept)
            )
        if not history.is_dir():
            return years
        for path in sorted(history.glob("sessions-*.json")):
            try:
                year = int(path.stem.removeprefix("sessions-"))
            except ValueError:
                continue
            raw, on_disk = _load_raw(path, result, history=True)
            version = _schema_version(raw)
            if version is None or (not known_version(version) and version <= SCHEMA_VERSION):
                # A year file's mark only guards against a newer layout; its entries are checked one by one.
                log.warning("Repairing the version mark of %s (was %r)", path, version)
                raw["meta"] = _empty_data()["meta"]
                on_disk = False
            _check_version(raw, path)
            years[year] = _JsonFile(path, raw, on_disk=on_disk)
        return years

    def _set_aside_bad_entries(self, result: OpenResult) -> None:
        """Decode every year's sessions and safety events once; an entry that can't be used (wrong shape, an
        impossible value, text that is not valid Unicode) is set aside: the year file as it was is copied
        beside it, unchanged, and the entry leaves the live file, so the rest of the year stays in use and
        the notice names each entry. If no copy can be made (read-only folder), the entry stays in the file
        and is only skipped."""
        from sciatica_coach.core.model import SafetyEvent as Event
        from sciatica_coach.core.model import SessionRecord as Session
        from sciatica_coach.storage.codec import (
            RecordError,
            event_from_dict,
            session_from_dict,
            sitting_break_from_dict,
        )

        for year, store in sorted(self._years.items()):
            raw = store.storage.read()
            sessions: dict[str, SessionRecord] = {}
            events: list[SafetyEvent] = []
            breaks: list[SittingBreak] = []
            bad: list[tuple[str, str | None, str]] = []  # (table, document key or None for the table, why)
            tables = (
                (_("sessions"), "sessions", session_from_dict),
                (_("safety events"), EVENTS_TABLE, event_from_dict),
                (_("sitting breaks"), SITTING_BREAKS_TABLE, sitting_break_from_dict),
            )
            for what, name, decode in tables:
                table = raw.get(name, {})
                if not isinstance(table, dict):
                    bad.append(
                        (name, None, _("the list of {what} is not in the expected shape").format(what=what))
                    )
                    continue
                for key, doc in table.items():
                    try:
                        if not isinstance(doc, dict):
                            raise RecordError(
                                _("entry {n} of the {what} is not a record").format(n=key, what=what)
                            )
                        value = decode(doc)
                    except RecordError as err:
                        bad.append((name, key, str(err)))
                        continue
                    if isinstance(value, Session):
                        sessions[value.id] = value
                    elif isinstance(value, Event):
                        events.append(value)
                    else:
                        breaks.append(value)
            self._decoded[year] = sessions
            self._decoded_events[year] = events
            self._decoded_breaks[year] = breaks
            if not bad:
                store.storage.release()  # the pages use the decoded records; TinyDB reads it back to save
                continue
            kept = store.path.with_name(f"{store.path.name}.set-aside-{_stamp()}")
            try:
                if result.read_only:  # nothing may change: the entries are only skipped
                    raise OSError(errno.EROFS, "opened read-only", str(store.path))
                shutil.copy2(store.path, kept)
                os.chmod(kept, FILE_MODE)
            except OSError as err:
                log.warning("Could not keep %s before setting entries aside: %s", store.path, err)
                where = _("They stay in {path}, unused.").format(path=store.path)
            else:
                dropped = {(name, key) for name, key, _why in bad}
                clean = {
                    name: {key: doc for key, doc in table.items() if (name, key) not in dropped}
                    for name, table in raw.items()
                    if (name, None) not in dropped
                }
                try:
                    store.storage.write(clean)
                except OSError as err:
                    log.warning("Could not rewrite %s without its damaged entries: %s", store.path, err)
                store.db.clear_cache()
                where = _("The file as it was is kept, unchanged, as {kept}.").format(kept=kept)
            shown = [why for _t, _k, why in bad[:5]]
            if len(bad) > 5:
                shown.append(_("and {n} more").format(n=len(bad) - 5))
            result.notices.append(
                ngettext(
                    "In your {year} history, {n} entry could not be read and was set aside: {what}. "
                    "Everything else from {year} is here. {where}",
                    "In your {year} history, {n} entries could not be read and were set aside: {what}. "
                    "Everything else from {year} is here. {where}",
                    len(bad),
                ).format(year=year, n=len(bad), what="; ".join(shown), where=where)
            )

    @staticmethod
    def _year_store(
        folder: Path, years: dict[int, _JsonFile], year: int, *, read_only: bool = False
    ) -> _JsonFile:
        if year not in years:
            if not read_only:
                ensure_private_dir(folder / HISTORY_FOLDER)
            years[year] = _JsonFile(history_file(folder, year), _empty_data())
            years[year].storage.read_only = read_only
        return years[year]

    @classmethod
    def _move_sessions_to_years(
        cls, folder: Path, table: dict[str, Any], years: dict[int, _JsonFile], *, read_only: bool = False
    ) -> None:
        by_year: dict[int, list[dict[str, Any]]] = {}
        for doc in table.values():
            if isinstance(doc, dict):
                by_year.setdefault(_year_of(doc), []).append(doc)
        for year, docs in by_year.items():
            store = cls._year_store(folder, years, year, read_only=read_only)
            data = store.storage.read()
            sessions = data.setdefault("sessions", {})
            known = {d.get("id") for d in sessions.values() if isinstance(d, dict)}
            next_id = max((int(k) for k in sessions if str(k).isdigit()), default=0) + 1
            for doc in docs:
                if doc.get("id") not in known:
                    sessions[str(next_id)] = doc
                    next_id += 1
            if not read_only:  # read-only: the sessions are moved in memory only
                store.storage.write(data)
            store.db.clear_cache()

    # ---- generic helpers ----------------------------------------------------------------------------
    def _table(self, name: str) -> Table:
        return self._main.table(name)

    def _get_kv(self, table: str, key: str, default: Any = None) -> Any:
        doc = self._table(table).get(Query().key == key)
        return default if doc is None else doc.get("value", default)

    def _put_kv(self, table: str, key: str, value: Any) -> None:
        self._main.write(
            f"save {key}", self._table(table).upsert, {"key": key, "value": value}, Query().key == key
        )

    # ---- settings ------------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        merged = dict(DEFAULT_SETTINGS)
        for doc in self._table("settings").all():
            key = doc.get("key")
            if isinstance(key, str) and key in DEFAULT_SETTINGS and "value" in doc:
                merged[key] = usable_setting(key, doc["value"])
        return merged

    def setting(self, key: str) -> Any:
        if key not in DEFAULT_SETTINGS:
            raise KeyError(key)
        return usable_setting(key, self._get_kv("settings", key, DEFAULT_SETTINGS[key]))

    def set_setting(self, key: str, value: Any) -> None:
        if key not in DEFAULT_SETTINGS:
            raise KeyError(key)
        self._put_kv("settings", key, value)

    # ---- free-form state owned by other parts (reminder state, routine, progression history) ---------
    def state(self, key: str, default: Any = None) -> Any:
        return self._get_kv("state", key, default)

    def set_state(self, key: str, value: Any) -> None:
        self._put_kv("state", key, value)

    # ---- sessions ------------------------------------------------------------------------------------
    def _year(self, year: int) -> _JsonFile:
        store = self._year_store(self.folder, self._years, year, read_only=self.read_only)
        self._can_rebuild(year)
        return store

    def _can_rebuild(self, year: int) -> None:
        """Let the year's storage rebuild its data from the decoded records (see AtomicJSONStorage)."""
        from sciatica_coach.storage.codec import event_to_dict, session_to_dict, sitting_break_to_dict

        def rebuilt() -> dict[str, Any]:
            sessions = self._decoded.get(year, {}).values()
            events = self._decoded_events.get(year, [])
            breaks = self._decoded_breaks.get(year, [])
            return {
                **_empty_data(),
                "sessions": {str(n): session_to_dict(r) for n, r in enumerate(sessions, 1)},
                EVENTS_TABLE: {str(n): event_to_dict(e) for n, e in enumerate(events, 1)},
                SITTING_BREAKS_TABLE: {str(n): sitting_break_to_dict(b) for n, b in enumerate(breaks, 1)},
            }

        self._years[year].storage.rebuild = rebuilt

    def _decoded_year(self, year: int) -> dict[str, SessionRecord]:
        if year not in self._decoded:
            from sciatica_coach.storage.codec import RecordError, session_from_dict

            decoded: dict[str, SessionRecord] = {}
            store = self._years.get(year)
            for doc in store.table("sessions").all() if store is not None else ():
                try:
                    record = session_from_dict(doc)
                except RecordError as err:
                    log.warning("Skipping a damaged session record: %s", err)
                    continue
                decoded[record.id] = record
            self._decoded[year] = decoded
        return self._decoded[year]

    def save_session(self, record: SessionRecord) -> None:
        """Add a session, or replace the checkpoint of the same session id. Rewrites only its year's file."""
        from sciatica_coach.storage.codec import session_to_dict

        year = record.started_at.year
        store = self._year(year)
        decoded = self._decoded_year(year)
        store.write(
            "save the session",
            store.table("sessions").upsert,
            session_to_dict(record),
            Query().id == record.id,
        )
        decoded[record.id] = record

    def add_sessions(self, records: list[SessionRecord]) -> int:
        """Add many sessions, one write per year, skipping ids already stored. Returns how many were new."""
        from sciatica_coach.storage.codec import session_to_dict

        known = {record.id for record in self.sessions()}
        by_year: dict[int, list[SessionRecord]] = {}
        for record in records:
            if record.id not in known:
                known.add(record.id)
                by_year.setdefault(record.started_at.year, []).append(record)
        for year, new in sorted(by_year.items()):
            store = self._year(year)
            decoded = self._decoded_year(year)
            store.write(
                "save the sessions",
                store.table("sessions").insert_multiple,
                [session_to_dict(r) for r in new],
            )
            decoded.update((r.id, r) for r in new)
        return sum(len(new) for new in by_year.values())

    def sessions(self, since: date | None = None) -> list[SessionRecord]:
        """Stored sessions (those starting on or after `since`, if given), oldest first. A damaged record
        is skipped with a log line, never a crash. Decoded once per year and kept."""
        out: list[SessionRecord] = []
        for year in sorted(self._years):
            if since is not None and year < since.year:
                continue
            out.extend(self._decoded_year(year).values())
        if since is not None:
            out = [r for r in out if r.started_at.date() >= since]
        out.sort(key=lambda r: r.started_at)
        return out

    # ---- safety events -------------------------------------------------------------------------------
    def _events_of_year(self, year: int) -> list[SafetyEvent]:
        if year not in self._decoded_events:
            from sciatica_coach.storage.codec import RecordError, event_from_dict

            decoded: list[SafetyEvent] = []
            store = self._years.get(year)
            for doc in store.table(EVENTS_TABLE).all() if store is not None else ():
                try:
                    decoded.append(event_from_dict(doc))
                except RecordError as err:
                    log.warning("Skipping a damaged safety event: %s", err)
            self._decoded_events[year] = decoded
        return self._decoded_events[year]

    def add_safety_event(self, event: SafetyEvent) -> None:
        """Keep one safety moment in its year's history file (an identical one already kept is not doubled)."""
        self.add_safety_events([event])

    def add_safety_events(self, events: list[SafetyEvent]) -> int:
        """Add many safety events, one write per year, skipping any already stored (same time, kind, exercise
        and session). Returns how many were new."""
        from sciatica_coach.storage.codec import event_key, event_to_dict

        by_year: dict[int, list[SafetyEvent]] = {}
        known: set[tuple[str, str, str, str]] = set()
        for event in events:
            year = event.at.year
            if year not in by_year:
                by_year[year] = []
                known.update(event_key(e) for e in self._events_of_year(year))
            if event_key(event) not in known:
                known.add(event_key(event))
                by_year[year].append(event)
        for year, new in sorted(by_year.items()):
            if not new:
                continue
            store = self._year(year)
            decoded = self._events_of_year(year)
            store.write(
                "save the safety events",
                store.table(EVENTS_TABLE).insert_multiple,
                [event_to_dict(e) for e in new],
            )
            decoded.extend(new)
        return sum(len(new) for new in by_year.values())

    def safety_events(self, since: date | None = None) -> list[SafetyEvent]:
        """Stored safety events (those on or after `since`, if given), oldest first. A damaged entry is
        skipped with a log line; the others, and the sessions, are kept."""
        out: list[SafetyEvent] = []
        for year in sorted(self._years):
            if since is None or year >= since.year:
                out.extend(self._events_of_year(year))
        if since is not None:
            out = [e for e in out if e.at.date() >= since]
        out.sort(key=lambda e: e.at)
        return out

    # ---- sitting breaks (the answers to break cards; core/sitting.py) ----------------------------------
    def _breaks_of_year(self, year: int) -> list[SittingBreak]:
        if year not in self._decoded_breaks:
            from sciatica_coach.storage.codec import RecordError, sitting_break_from_dict

            decoded: list[SittingBreak] = []
            store = self._years.get(year)
            for doc in store.table(SITTING_BREAKS_TABLE).all() if store is not None else ():
                try:
                    decoded.append(sitting_break_from_dict(doc))
                except RecordError as err:
                    log.warning("Skipping a damaged sitting break: %s", err)
            self._decoded_breaks[year] = decoded
        return self._decoded_breaks[year]

    def add_sitting_break(self, record: SittingBreak) -> None:
        """Keep one answer to a break card (taken or skipped) in its year's history file. The write is atomic;
        a failed one raises DataError in plain words and leaves what was saved before as it was."""
        self.add_sitting_breaks([record])

    def add_sitting_breaks(self, records: list[SittingBreak]) -> int:
        """Add many answers, one write per year, skipping any already stored (same time, outcome and
        movement: importing a file twice doubles nothing). Returns how many were new."""
        from sciatica_coach.storage.codec import sitting_break_key, sitting_break_to_dict

        by_year: dict[int, list[SittingBreak]] = {}
        known: set[tuple[str, str, str]] = set()
        for record in records:
            year = record.at.year
            if year not in by_year:
                by_year[year] = []
                known.update(sitting_break_key(b) for b in self._breaks_of_year(year))
            if sitting_break_key(record) not in known:
                known.add(sitting_break_key(record))
                by_year[year].append(record)
        for year, new in sorted(by_year.items()):
            if not new:
                continue
            store = self._year(year)
            decoded = self._breaks_of_year(year)
            store.write(
                "save the sitting breaks",
                store.table(SITTING_BREAKS_TABLE).insert_multiple,
                [sitting_break_to_dict(b) for b in new],
            )
            decoded.extend(new)
        return sum(len(new) for new in by_year.values())

    def sitting_breaks(self, since: date | None = None) -> list[SittingBreak]:
        """The stored answers to break cards (those on or after `since`, by their local date, if given),
        oldest first. A damaged entry is skipped with a log line (and set aside as the folder opens)."""
        out: list[SittingBreak] = []
        for year in sorted(self._years):
            if since is None or year >= since.year:
                out.extend(self._breaks_of_year(year))
        if since is not None:
            out = [b for b in out if b.at.date() >= since]
        out.sort(key=lambda b: b.at)
        return out

    # ---- flare / excused days and the programme start ------------------------------------------------
    def excused_days(self) -> set[date]:
        days = set()
        stored = self.state("excused_days", [])
        for text in stored if isinstance(stored, list) else ():
            day = day_from_text(text)
            if day is None:
                log.warning("Ignoring a damaged excused day: %s", ascii(text)[:80])
            else:
                days.add(day)
        return days

    def set_excused(self, day: date, excused: bool) -> None:
        days = self.excused_days()
        (days.add if excused else days.discard)(day)
        self.set_state("excused_days", sorted(d.isoformat() for d in days))

    def add_excused_days(self, new_days: set[date] | frozenset[date]) -> None:
        self.set_state("excused_days", sorted(d.isoformat() for d in self.excused_days() | new_days))

    def plan_start(self) -> date | None:
        return day_from_text(self.state("plan_start"))

    def ensure_plan_start(self, day: date) -> date:
        """The day the programme started; set to `day` the first time it is asked for."""
        start = self.plan_start()
        if start is None:
            self.set_state("plan_start", day.isoformat())
            start = day
        return start

    def session_count(self) -> int:
        return sum(len(store.table("sessions")) for store in self._years.values())

    def close(self) -> None:
        self._main.db.close()
        for store in self._years.values():
            store.db.close()

    def reload(self) -> None:
        """Read the folder anew (after a restore replaced its files in a running app): this same object, wherever
        it is held, then reads the restored data, so a later save adds to it instead of writing the old back."""
        fresh = Repository.open(self.folder, read_only=self.read_only)
        self.close()
        vars(self).update(vars(fresh))
        for year in self._years:
            self._can_rebuild(year)  # from this object's records


# Why a save failed, as whole sentences for each thing being saved: (the disk is full, another reason).
_WRITE_FAILURES: dict[str, tuple[str, str]] = {
    "save": (
        N_(
            "Sciatica Coach couldn't save in {folder} because the disk is full. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
        N_(
            "Sciatica Coach couldn't save in {folder} because {reason}. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
    ),
    "save the session": (
        N_(
            "Sciatica Coach couldn't save the session in {folder} because the disk is full. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
        N_(
            "Sciatica Coach couldn't save the session in {folder} because {reason}. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
    ),
    "save the sessions": (
        N_(
            "Sciatica Coach couldn't save the sessions in {folder} because the disk is full. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
        N_(
            "Sciatica Coach couldn't save the sessions in {folder} because {reason}. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
    ),
    "save the safety events": (
        N_(
            "Sciatica Coach couldn't save what happened for your safety record in {folder} because the disk "
            "is full. What was saved before is safe; please free some space or fix the folder, then try again."
        ),
        N_(
            "Sciatica Coach couldn't save what happened for your safety record in {folder} because {reason}. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
    ),
    "save the sitting breaks": (
        N_(
            "Sciatica Coach couldn't save your sitting break in {folder} because the disk is full. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
        N_(
            "Sciatica Coach couldn't save your sitting break in {folder} because {reason}. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
    ),
    "save {key}": (
        N_(
            "Sciatica Coach couldn't save {key} in {folder} because the disk is full. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
        N_(
            "Sciatica Coach couldn't save {key} in {folder} because {reason}. "
            "What was saved before is safe; please free some space or fix the folder, then try again."
        ),
    ),
}


def _write_failure(path: Path, err: OSError, action: str = "save") -> str:
    key = ""
    if action not in _WRITE_FAILURES:  # "save <setting or state key>"
        action, key = "save {key}", action.removeprefix("save ")
    disk_full, other = _WRITE_FAILURES[action]
    reason = (err.strerror or str(err)).lower()
    template = disk_full if err.errno == 28 else other
    return _(template).format(folder=path.parent, reason=reason, key=key)
