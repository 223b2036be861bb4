"""The repository: the only module that touches TinyDB and the data file.

It opens the data file safely (moving a broken one aside, refusing a newer one, migrating an older one with a
backup first), writes atomically, and offers small typed methods for settings, sessions and other state."""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from sciatica_coach.i18n import N_, _
from sciatica_coach.storage.atomic import FILE_MODE, atomic_write, ensure_private_dir, remove_stale_temp_files
from sciatica_coach.storage.migrations import SCHEMA_VERSION, migrate

if TYPE_CHECKING:
    from sciatica_coach.core.model import SafetyEvent, SessionRecord

# The session codec (and the model behind it) is imported where sessions are first read or written: opening
# the data file as the window starts does not need it.

log = logging.getLogger(__name__)

DATA_FILE = "sciatica-coach.json"  # settings and state; sessions are in HISTORY_FOLDER, a file per year
HISTORY_FOLDER = "history"
EVENTS_TABLE = "safety_events"  # in each year's history file, beside "sessions"
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
    "volume": 80,  # percent
    "disclaimer_accepted_at": None,  # ISO time the user acknowledged the guidance note
    "window_geometry": None,  # base64 of QWidget.saveGeometry()
    "told_about_tray": False,
    "avoid_direction": None,  # "flexion" | "extension" | None
    "country": None,  # ISO code ("GB", "DE") or "other" for the numbers to call; None: the system locale's
    "get_ready_s": 15,  # seconds to get into position before the first exercise of a session (5-60)
    "count_reps_aloud": False,  # the voice says which repetition a hold is ("Three of ten")
    "halfway_cue": False,  # the voice says "Halfway" in the middle of a long hold
}


class DataError(Exception):
    """A problem with the data folder or file, worded for the person using the app."""


@dataclass
class OpenResult:
    """Plain-words notices gathered while opening (e.g. a broken file was moved aside)."""

    notices: list[str] = field(default_factory=list)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that keeps the data in memory and replaces the file atomically on every write.

    Stock JSONStorage rewrites the file in place and can be torn by a crash; this one cannot. If a write
    fails (disk full, folder made read-only), the in-memory copy is rolled back to what is on disk."""

    def __init__(self, path: Path, initial: dict[str, Any]) -> None:
        self.path = path
        self._data = initial
        self._saved_text = json.dumps(initial, ensure_ascii=False, separators=(",", ":"))

    def read(self) -> dict[str, Any]:
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        try:
            atomic_write(self.path, text.encode("utf-8"))
        except OSError:
            self._data = json.loads(self._saved_text)
            raise
        self._data = data
        self._saved_text = text

    def close(self) -> None:
        pass


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _move_aside(path: Path, why: str) -> Path:
    """Keep a broken file (or folder) under a new name beside it; never delete it."""
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
    meta = raw.get("meta")
    if not isinstance(meta, dict):
        return None
    for doc in meta.values():
        if isinstance(doc, dict) and isinstance(doc.get("schema_version"), int):
            version: int = doc["schema_version"]
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
}


def _load_raw(path: Path, result: OpenResult) -> dict[str, Any]:
    """Read the data file; a broken one is moved aside and replaced by empty data, with a notice."""
    if path.is_dir():
        kept = _move_aside(path, "a folder stood where the data file should be")
        result.notices.append(
            _(
                "A folder was in the place of your data file. It was moved, untouched, to {kept}. "
                "Sciatica Coach started with a fresh data file."
            ).format(kept=kept)
        )
        return _empty_data()
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return _empty_data()
    except PermissionError:
        raise DataError(
            _(
                "Sciatica Coach isn't allowed to read its data file {path}. "
                "Please check the file's permissions; nothing has been changed."
            ).format(path=path)
        ) from None
    problem = None
    raw: object = None
    if not blob.strip():
        problem = "it was empty"
    else:
        try:
            raw = json.loads(blob.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            problem = "it could not be read (it may have been cut short or damaged)"
        else:
            if not _well_formed(raw):
                problem = "its contents were not in the expected shape"
            elif _schema_version(raw) is None:  # type: ignore[arg-type]
                problem = "it had no version mark"
    if problem is None:
        assert isinstance(raw, dict)
        return raw
    kept = _move_aside(path, problem)
    result.notices.append(_(_BROKEN_FILE_NOTICES[problem]).format(kept=kept))
    return _empty_data()


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


def history_file(folder: Path, year: int) -> Path:
    """Sessions live in one file per year, so recording a session rewrites a year, not a decade. The year's
    safety events (red-flag answers, "It hurts", stops, unanswered questions) are a second table in the same
    file: they are history too, and adding a table needed no new schema version (older versions keep tables
    they don't know)."""
    return folder / HISTORY_FOLDER / f"sessions-{year}.json"


def _year_of(doc: dict[str, Any]) -> int:
    try:
        return datetime.fromisoformat(str(doc.get("started_at"))).year
    except ValueError:
        return 0  # a damaged date still keeps its record, in a file of its own


class _JsonFile:
    """One TinyDB file behind an AtomicJSONStorage."""

    def __init__(self, path: Path, raw: dict[str, Any]) -> None:
        self.path = path
        self.storage = AtomicJSONStorage(path, raw)
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
        self._main = main
        self._years = years
        self._decoded: dict[int, dict[str, SessionRecord]] = {}  # decoded sessions by year, read on demand
        self._decoded_events: dict[int, list[SafetyEvent]] = {}  # decoded safety events by year, on demand

    # ---- opening -------------------------------------------------------------------------------------
    @classmethod
    def open(cls, folder: Path) -> Repository:
        result = OpenResult()
        try:
            ensure_private_dir(folder)
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
        path = folder / DATA_FILE
        for stale_folder in (folder, folder / HISTORY_FOLDER):
            if stale_folder.is_dir():
                remove_stale_temp_files(stale_folder)
        raw = _load_raw(path, result)
        version = _check_version(raw, path)
        years = cls._open_years(folder, result)
        main = _JsonFile(path, raw)
        try:
            if version < SCHEMA_VERSION:
                backup = path.with_name(f"{path.name}.v{version}-backup-{_stamp()}")
                shutil.copy2(path, backup)
                os.chmod(backup, FILE_MODE)
                raw = migrate(raw, version)
                for doc in raw["meta"].values():
                    doc["schema_version"] = SCHEMA_VERSION
                log.info(
                    "Migrating %s from version %d to %d (backup %s)", path, version, SCHEMA_VERSION, backup
                )
            if "sessions" in raw:
                # Older layouts kept sessions in the main file: move them to the yearly files first, then
                # save the main file without them (a crash in between leaves them in both; upserting by id
                # makes the next start finish the job without doubling anything).
                cls._move_sessions_to_years(folder, raw.pop("sessions"), years)
            if version < SCHEMA_VERSION or not path.exists() or "sessions" in main.storage.read():
                main.storage.write(raw)
            else:
                os.chmod(path, FILE_MODE)
        except OSError as err:
            raise DataError(_write_failure(path, err)) from None
        return cls(folder, main, years, result.notices)

    @staticmethod
    def _open_years(folder: Path, result: OpenResult) -> dict[int, _JsonFile]:
        years: dict[int, _JsonFile] = {}
        history = folder / HISTORY_FOLDER
        if history.exists() and not history.is_dir():
            kept = _move_aside(history, "a file stood where the history folder should be")
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
            raw = _load_raw(path, result)
            _check_version(raw, path)
            years[year] = _JsonFile(path, raw)
        return years

    @staticmethod
    def _year_store(folder: Path, years: dict[int, _JsonFile], year: int) -> _JsonFile:
        if year not in years:
            ensure_private_dir(folder / HISTORY_FOLDER)
            years[year] = _JsonFile(history_file(folder, year), _empty_data())
        return years[year]

    @classmethod
    def _move_sessions_to_years(
        cls, folder: Path, table: dict[str, Any], years: dict[int, _JsonFile]
    ) -> None:
        by_year: dict[int, list[dict[str, Any]]] = {}
        for doc in table.values():
            if isinstance(doc, dict):
                by_year.setdefault(_year_of(doc), []).append(doc)
        for year, docs in by_year.items():
            store = cls._year_store(folder, years, year)
            data = store.storage.read()
            sessions = data.setdefault("sessions", {})
            known = {d.get("id") for d in sessions.values() if isinstance(d, dict)}
            next_id = max((int(k) for k in sessions if str(k).isdigit()), default=0) + 1
            for doc in docs:
                if doc.get("id") not in known:
                    sessions[str(next_id)] = doc
                    next_id += 1
            store.storage.write(data)
            store.db.clear_cache()

    # ---- generic helpers ----------------------------------------------------------------------------
    def _table(self, name: str) -> Table:
        return self._main.table(name)

    def _get_kv(self, table: str, key: str, default: Any = None) -> Any:
        doc = self._table(table).get(Query().key == key)
        return default if doc is None else doc["value"]

    def _put_kv(self, table: str, key: str, value: Any) -> None:
        self._main.write(
            f"save {key}", self._table(table).upsert, {"key": key, "value": value}, Query().key == key
        )

    # ---- settings ------------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        merged = dict(DEFAULT_SETTINGS)
        for doc in self._table("settings").all():
            merged[doc["key"]] = doc["value"]
        return merged

    def setting(self, key: str) -> Any:
        if key not in DEFAULT_SETTINGS:
            raise KeyError(key)
        return self._get_kv("settings", key, DEFAULT_SETTINGS[key])

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
        return self._year_store(self.folder, self._years, year)

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

    # ---- flare / excused days and the programme start ------------------------------------------------
    def excused_days(self) -> set[date]:
        days = set()
        for text in self.state("excused_days", []):
            try:
                days.add(date.fromisoformat(text))
            except (TypeError, ValueError):
                log.warning("Ignoring a damaged excused day: %r", text)
        return days

    def set_excused(self, day: date, excused: bool) -> None:
        days = self.excused_days()
        (days.add if excused else days.discard)(day)
        self.set_state("excused_days", sorted(d.isoformat() for d in days))

    def add_excused_days(self, new_days: set[date] | frozenset[date]) -> None:
        self.set_state("excused_days", sorted(d.isoformat() for d in self.excused_days() | new_days))

    def plan_start(self) -> date | None:
        text = self.state("plan_start")
        try:
            return date.fromisoformat(text) if isinstance(text, str) else None
        except ValueError:
            return None

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
        fresh = Repository.open(self.folder)
        self.close()
        vars(self).update(vars(fresh))


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
