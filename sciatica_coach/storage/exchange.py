"""History export (JSON and CSV) and import (JSON), shared by the command line and the Progress page.

The history is the sessions and the safety events (red-flag answers, "It hurts", stops, unanswered questions):
the JSON backup carries both; CSV has a table for each (`export_csv`, `export_events_csv`). The JSON export
also carries the answers to sitting-break cards (taken or skipped; per day they are in the clinician's CSV,
services/report_data.long_csv); importing adds those not already stored (same time, answer and movement).

The whole file is checked before anything changes: every problem is listed, and only a clean file touches the
data. Sessions are then written one year's file at a time, each atomically; if the computer stops part-way, the
years already written are kept, and importing the same file again completes the rest, because sessions already
stored (same id) are skipped, as are safety events already stored (same time, kind, exercise and session).
Importing twice never doubles anything.

The JSON backup also carries the plan's history (which routine and reminders were in force when; see
:mod:`sciatica_coach.core.plan_history`). It is read tolerantly (a damaged entry is left out, never a reason to
refuse the file) and restored only into a folder that has no history of its own: none at all, or only the
first reading of today's plan that data without a history gets."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sciatica_coach import __version__
from sciatica_coach.core.chosen_files import MB, ChosenFileError, TooLargeError, read_chosen_file, size_words
from sciatica_coach.core.model import SafetyEvent, SessionRecord, SymptomChange
from sciatica_coach.core.outcomes import OUTCOMES_KEY, CheckIn, checkin_to_dict, read_checkins
from sciatica_coach.core.plan_history import (
    PLAN_HISTORY_KEY,
    REASON_FIRST_READ,
    ChangeKind,
    PlanHistory,
    history_from_list,
    history_to_list,
)
from sciatica_coach.core.prescription import FORMAT_NAME as ROUTINE_FORMAT
from sciatica_coach.core.safety import session_reach_change
from sciatica_coach.core.sitting import SittingBreak
from sciatica_coach.i18n import _, ngettext
from sciatica_coach.storage.codec import (
    RecordError,
    event_from_dict,
    event_key,
    event_to_dict,
    session_from_dict,
    session_to_dict,
    sitting_break_from_dict,
    sitting_break_key,
    sitting_break_to_dict,
)
from sciatica_coach.storage.repository import DataError, Repository

EXPORT_FORMAT = "sciatica-coach-history"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 20 * MB  # ten years of twice-daily sessions is about 5 MB
MAX_PROBLEMS_LISTED = 10
_Record = TypeVar("_Record", SessionRecord, SafetyEvent, SittingBreak)

CSV_COLUMNS = [
    "id", "date", "start", "end", "minutes", "outcome", "reason", "slot", "phase",
    "back_before", "leg_before", "reach_before", "back_after", "leg_after", "reach_after",
    "exercises_done", "exercises_planned", "symptoms_spread_down", "symptoms_not_answered", "reach_change",
]  # fmt: skip
EVENT_CSV_COLUMNS = ["date", "time", "kind", "detail", "exercise", "session", "red_flags_yes"]
# How the leg reach after a session compares with before it, in the CSV (blank when either was not given).
REACH_CHANGE_WORDS = {
    SymptomChange.DOWN: "further-down",
    SymptomChange.UP: "less-far",
    SymptomChange.SAME: "same",
}


class ExchangeError(ValueError):
    """A file that cannot be imported; the message lists the problems in plain words."""


class PartialImportError(DataError):
    """An import stopped part-way by a failed write (a full disk): `result` counts what was imported before
    it, `new_sessions` how many new sessions the file held; the message says both, and what to do."""

    def __init__(self, cause: str, result: ImportResult, new_sessions: int) -> None:
        self.result = result
        done = ngettext(
            "Before that, {added} of the file's {total} new session was imported.",
            "Before that, {added} of the file's {total} new sessions were imported.",
            new_sessions,
        ).format(added=result.added, total=new_sessions)
        if result.events_added:
            done += " " + ngettext(
                "{n} safety event was added.", "{n} safety events were added.", result.events_added
            ).format(n=result.events_added)
        advice = _("Once there is space, import the same file again: what is already there is skipped.")
        super().__init__(f"{cause} {done} {advice}")


class RoutineFileError(ExchangeError):
    """The file is a routine (prescription) file, not a history export: it belongs to the routine import."""


@dataclass(frozen=True)
class ImportBundle:
    sessions: tuple[SessionRecord, ...]
    excused_days: frozenset[date]
    plan_start: date | None
    safety_events: tuple[SafetyEvent, ...] = ()
    plan_history: PlanHistory | None = None  # None when the file has none
    outcomes: tuple[CheckIn, ...] = ()  # SBI / PSFS / sitting and walking check-ins (damaged ones left out)
    sitting_breaks: tuple[SittingBreak, ...] = ()  # answers to sitting-break cards


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_there: int
    events_added: int = 0
    breaks_added: int = 0  # answers to sitting-break cards


def export_json(repo: Repository, now: datetime) -> str:
    payload = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "app_version": __version__,
        "exported_at": now.isoformat(timespec="seconds"),
        "plan_start": start.isoformat() if (start := repo.plan_start()) else None,
        "excused_days": sorted(d.isoformat() for d in repo.excused_days()),
        "sessions": [session_to_dict(s) for s in repo.sessions()],
        "safety_events": [event_to_dict(e) for e in repo.safety_events()],
        "plan_history": history_to_list(history_from_list(repo.state(PLAN_HISTORY_KEY))),
        "outcome_checkins": [checkin_to_dict(c) for c in read_checkins(repo.state(OUTCOMES_KEY))[0]],
        "sitting_breaks": [sitting_break_to_dict(b) for b in repo.sitting_breaks()],
    }
    return _terminal_safe_json(json.dumps(payload, ensure_ascii=False, indent=1)) + "\n"


# Text a spreadsheet would run as a formula starts with one of these (OWASP "CSV injection"; the fullwidth
# forms count in some spreadsheets' East Asian modes); such a cell gets a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
# Control characters (C0, DEL, C1) and the bidirectional overrides that reorder what a terminal or an editor
# shows ("Trojan Source"): in a CSV cell tab, CR and LF become a space and the rest go; in JSON (whose C0
# controls json.dumps escapes already) the others are written as \\uXXXX escapes, as are lone surrogates.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CELL_SPACES = re.compile("[\t\n\r]")
_CELL_INVISIBLE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def spreadsheet_cell(value: object) -> object:
    """One CSV cell made safe to open in a spreadsheet and to print in a terminal. Numbers (int and float,
    negative ones too) stay numbers; text loses control characters and bidi overrides, a lone surrogate
    becomes U+FFFD, and text a spreadsheet would run as a formula (= + - @ first, after any spaces) gets a
    leading apostrophe. Text that is only a plain decimal number ("-3", "2.5") is left alone: a spreadsheet
    reads it as that number, never as a formula."""
    if isinstance(value, bool) or not isinstance(value, str):
        return value
    text = _CELL_INVISIBLE.sub("", _CELL_SPACES.sub(" ", _SURROGATE.sub("\ufffd", value)))
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    if text.lstrip(" ").startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def spreadsheet_row(cells: list[Any]) -> list[Any]:
    return [spreadsheet_cell(cell) for cell in cells]


def _terminal_safe_json(text: str) -> str:
    """JSON text with C1 controls, bidi overrides and lone surrogates written as \\uXXXX escapes: the same
    JSON once read, but nothing a terminal would act on and nothing UTF-8 can't hold (json.dumps already
    escapes C0 controls)."""
    return _JSON_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _pain_cells(report: Any) -> list[Any]:
    return ["", "", ""] if report is None else [report.back, report.leg, report.reach.value]


def export_csv(repo: Repository) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in repo.sessions():
        done = sum(1 for e in s.exercises if not e.skipped and e.reps_done > 0)
        down = " ".join(e.exercise_id for e in s.exercises if e.symptom is SymptomChange.DOWN)
        # Skipped exercises were never asked; a done one without an answer was left unanswered.
        unanswered = " ".join(e.exercise_id for e in s.exercises if e.symptom is None and not e.skipped)
        reach = session_reach_change(s)
        writer.writerow(
            spreadsheet_row([
                s.id, s.started_at.date().isoformat(), s.started_at.isoformat(timespec="seconds"),
                s.ended_at.isoformat(timespec="seconds"),
                round((s.ended_at - s.started_at).total_seconds() / 60, 1),
                s.outcome.value, s.reason, s.slot, int(s.phase),
                *_pain_cells(s.pain_before)[:3], *_pain_cells(s.pain_after),
                done, len(s.exercises), down, unanswered, REACH_CHANGE_WORDS[reach] if reach else "",
            ])
        )  # fmt: skip
    return out.getvalue()


def export_events_csv(repo: Repository) -> str:
    """The safety events, one row each, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EVENT_CSV_COLUMNS)
    for e in repo.safety_events():
        writer.writerow(
            spreadsheet_row([e.at.date().isoformat(), e.at.isoformat(timespec="seconds"), e.kind.value,
                             e.detail, e.exercise_id, e.session_id, " ".join(e.flags)])
        )  # fmt: skip
    return out.getvalue()


def _problem_list(problems: list[str]) -> str:
    shown = problems[:MAX_PROBLEMS_LISTED]
    more = len(problems) - len(shown)
    text = "; ".join(shown)
    if not more:
        return text
    return text + ngettext("; and {n} more problem(s)", "; and {n} more problem(s)", more).format(n=more)


def _read_records(
    raw: object, not_a_list: str, name: str, read: Callable[[object, str], _Record], problems: list[str]
) -> list[_Record]:
    """The records of one list field, each read by `read` under its `name` ("session {n}", counted from 1);
    a field that is not a list and every record that can't be read add to `problems`."""
    if not isinstance(raw, list):
        problems.append(not_a_list)
        return []
    records: list[_Record] = []
    for i, item in enumerate(raw):
        try:
            records.append(read(item, name.format(n=i + 1)))
        except RecordError as err:
            problems.append(str(err))
    return records


def _too_large(source: str, size: int) -> ExchangeError:
    return ExchangeError(
        _("{source} is too large to be a Sciatica Coach export ({size} MB; the limit is {limit} MB).").format(
            source=source, size=size_words(size, MB), limit=MAX_IMPORT_BYTES // MB
        )
    )


def read_import_file(path: Path) -> bytes:
    """The bytes of a chosen export file, for `parse_import`: an ordinary file of at most MAX_IMPORT_BYTES
    (a pipe or a device is refused, never waited on); ExchangeError in plain words otherwise."""
    try:
        return read_chosen_file(path, MAX_IMPORT_BYTES)
    except TooLargeError as err:
        raise _too_large(path.name, err.size) from None
    except ChosenFileError as err:
        raise ExchangeError(str(err)) from None


def parse_import(blob: bytes, source: str | None = None) -> ImportBundle:
    """Check an export file completely; raise ExchangeError listing every problem."""
    if source is None:
        source = _("the file")
    if len(blob) > MAX_IMPORT_BYTES:
        raise _too_large(source, len(blob))
    if b"\x00" in blob[:4096]:
        raise ExchangeError(
            _("{source} is not a text file, so it can't be a Sciatica Coach export.").format(source=source)
        )
    try:
        data = json.loads(blob.decode("utf-8-sig"))  # a byte-order mark is accepted, as in routine files
    except UnicodeDecodeError:
        raise ExchangeError(
            _("{source} is not UTF-8 text, so it can't be a Sciatica Coach export.").format(source=source)
        ) from None
    except json.JSONDecodeError as err:
        raise ExchangeError(
            _("{source} is not valid JSON (line {line}, column {column}).").format(
                source=source, line=err.lineno, column=err.colno
            )
        ) from None
    except (ValueError, RecursionError):  # a number too long to read, or nesting too deep to follow
        raise ExchangeError(
            _("{source} is not a Sciatica Coach export (its contents can't be read).").format(source=source)
        ) from None
    if not isinstance(data, dict) or "format" not in data:
        raise ExchangeError(
            _("{source} is not a Sciatica Coach history export (its 'format' field is missing).").format(
                source=source
            )
        )
    if data["format"] == ROUTINE_FORMAT:
        raise RoutineFileError(
            _(
                "{source} is a routine file, not a history file. To use it as your routine, import it on the "
                "Routine page."
            ).format(source=source)
        )
    if data["format"] != EXPORT_FORMAT:
        raise ExchangeError(
            _("{source} is not a Sciatica Coach history export (its 'format' field says {value}).").format(
                source=source, value=json.dumps(data["format"])[:60]
            )
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExchangeError(
            _("{source}: the 'version' field should be a whole number.").format(source=source)
        )
    if version < 1:
        raise ExchangeError(
            _("{source}: export version {version} does not exist (versions start at 1).").format(
                source=source, version=version
            )
        )
    if version > EXPORT_VERSION:
        raise ExchangeError(
            _(
                "{source} was made by a newer Sciatica Coach (export version {version}; this one reads up to "
                "{supported}). Please update Sciatica Coach to import it."
            ).format(source=source, version=version, supported=EXPORT_VERSION)
        )
    problems: list[str] = []
    sessions = _read_records(
        data.get("sessions"),
        _("the 'sessions' field should be a list"),
        _("session {n}"),
        session_from_dict,
        problems,
    )
    events = _read_records(
        data.get("safety_events", []),  # exports made before safety events were kept have none
        _("the 'safety_events' field should be a list"),
        _("safety event {n}"),
        event_from_dict,
        problems,
    )
    breaks = _read_records(
        data.get("sitting_breaks", []),  # exports made before sitting breaks have none
        _("the 'sitting_breaks' field should be a list"),
        _("sitting break {n}"),
        sitting_break_from_dict,
        problems,
    )
    excused: set[date] = set()
    excused_raw = data.get("excused_days", [])
    if not isinstance(excused_raw, list):
        problems.append(_("the 'excused_days' field should be a list of dates"))
        excused_raw = []
    for text in excused_raw:
        try:
            excused.add(date.fromisoformat(text))
        except (TypeError, ValueError):
            problems.append(_("excused day {text} is not a date like 2026-03-01").format(text=repr(text)))
    plan_start = None
    if data.get("plan_start") is not None:
        try:
            plan_start = date.fromisoformat(data["plan_start"])
        except (TypeError, ValueError):
            problems.append(_("'plan_start' is not a date like 2026-03-01"))
    if problems:
        raise ExchangeError(
            _("{source} could not be imported; nothing was changed. {problems}.").format(
                source=source, problems=_problem_list(problems)
            )
        )
    return ImportBundle(
        tuple(sessions),
        frozenset(excused),
        plan_start,
        tuple(events),
        history_from_list(data.get("plan_history")) or None,
        tuple(read_checkins(data.get("outcome_checkins"))[0]),  # read tolerantly, like the plan history
        tuple(breaks),
    )


def _has_own_plan_history(repo: Repository) -> bool:
    """Whether the folder keeps a plan history of its own: more than the first reading of today's plan."""
    changes = history_from_list(repo.state(PLAN_HISTORY_KEY)).changes
    if not changes:
        return False
    return not (
        len(changes) == 1 and changes[0].kind is ChangeKind.START and changes[0].reason == REASON_FIRST_READ
    )


def apply_import(repo: Repository, bundle: ImportBundle) -> ImportResult:
    """Add the bundle's sessions and events (those already stored are skipped). If a write fails part-way
    (the disk fills up), PartialImportError says exactly how much was imported before it: each year's file
    is written whole or not at all, so what is stored is counted, not guessed."""
    session_ids = {s.id for s in bundle.sessions}
    had_ids = {s.id for s in repo.sessions()} & session_ids
    had_events = _stored_event_keys(repo, bundle)
    had_breaks = _stored_break_keys(repo, bundle)
    try:
        added = repo.add_sessions(list(bundle.sessions))
        events_added = repo.add_safety_events(list(bundle.safety_events))
        breaks_added = repo.add_sitting_breaks(list(bundle.sitting_breaks))
        if bundle.excused_days - repo.excused_days():
            repo.add_excused_days(bundle.excused_days)
        if bundle.plan_start is not None:
            current = repo.plan_start()
            if current is None or bundle.plan_start < current:
                repo.set_state("plan_start", bundle.plan_start.isoformat())
        if bundle.plan_history and not _has_own_plan_history(repo):
            repo.set_state(PLAN_HISTORY_KEY, history_to_list(bundle.plan_history))
        _add_outcomes(repo, bundle.outcomes)
    except DataError as err:
        stored_ids = {s.id for s in repo.sessions()} & session_ids
        result = ImportResult(
            added=len(stored_ids - had_ids),
            already_there=len(had_ids),
            events_added=len(_stored_event_keys(repo, bundle) - had_events),
            breaks_added=len(_stored_break_keys(repo, bundle) - had_breaks),
        )
        raise PartialImportError(str(err), result, len(session_ids - had_ids)) from None
    return ImportResult(
        added=added,
        already_there=len(bundle.sessions) - added,
        events_added=events_added,
        breaks_added=breaks_added,
    )


def _add_outcomes(repo: Repository, checkins: tuple[CheckIn, ...]) -> None:
    """The bundle's check-ins on days the folder has none for: importing twice never doubles one, and a
    day already answered here keeps this folder's answers. Stored entries are kept as they are."""
    stored = repo.state(OUTCOMES_KEY)
    stored = list(stored) if isinstance(stored, list) else []
    days = {item.get("day") for item in stored if isinstance(item, dict)}
    new = [checkin_to_dict(c) for c in checkins if c.day.isoformat() not in days]
    if new:
        repo.set_state(OUTCOMES_KEY, stored + new)


def _stored_event_keys(repo: Repository, bundle: ImportBundle) -> set[tuple[str, str, str, str]]:
    wanted = {event_key(e) for e in bundle.safety_events}
    return {event_key(e) for e in repo.safety_events()} & wanted


def _stored_break_keys(repo: Repository, bundle: ImportBundle) -> set[tuple[str, str, str]]:
    wanted = {sitting_break_key(b) for b in bundle.sitting_breaks}
    return {sitting_break_key(b) for b in repo.sitting_breaks()} & wanted
