"""Issue 17, class 2: values that parse but are impossible.

Hypothesis writes hostile JSON into every place the app reads a value from (the data file's settings and
state, its version mark, whole data files, the reminder plan and state, the plan history, the stored routine)
and every reader must give back something the app can use: a real value, the default, or a clear refusal.
Never a traceback, never a hang, never a file that can no longer be saved. Each test states its example count
with settings(max_examples=N); `pytest -s` prints the counts Hypothesis ran (see EXAMPLES below)."""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.plan_history import history_from_list
from sciatica_coach.core.plausible import plausible_day, plausible_moment
from sciatica_coach.core.schedule import PlanError, StateError, plan_from_dict, state_from_dict
from sciatica_coach.storage.migrations import SCHEMA_VERSION, migrate
from sciatica_coach.storage.repository import (
    DATA_FILE,
    DEFAULT_SETTINGS,
    DataError,
    Repository,
)

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=TZ)

# How many cases each property ran, printed at the end of the session (pytest -s) for the note.
EXAMPLES: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    for name, count in sorted(EXAMPLES.items()):
        print(f"\n[hypothesis] {name}: {count} generated cases")


def counted(name: str) -> None:
    EXAMPLES[name] = EXAMPLES.get(name, 0) + 1


# ---- hostile JSON ------------------------------------------------------------------------------------------
EDGE_TEXT = [
    "",
    "big",
    "\ud800",  # a lone surrogate, as a "\ud800" escape in a file gives
    "x\udcff",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59+00:00",
    "2026-05-04T09:00:00+23:59",
    "2026-05-04T09:00:00-23:59",
    "2026-05-04T09:00:00",
    "2026-05-04",
    "２０２６-05-04",
    "NaN",
    "flexion",
    "dark",
    "08:00",
    "٠٨:٠٠",
    "x" * 20_000,
]
EDGE_NUMBERS: list[Any] = [
    0,
    -1,
    1,
    2**63,
    -(2**63),
    10**4000,
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    -0.0,
    True,
    False,
    None,
]

scalars = st.one_of(
    st.sampled_from(EDGE_TEXT),
    st.sampled_from(EDGE_NUMBERS),
    st.integers(),
    st.floats(),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=12),
)


def hostile() -> st.SearchStrategy[Any]:
    """Any JSON a file can hold, weighted to the edges: lone surrogates, NaN, huge numbers, years 1 and 9999."""
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.one_of(
                    st.sampled_from(["at", "day", "key", "value", "id", "exercises", "items", "reminders"]),
                    st.text(max_size=4),
                ),
                inner,
                max_size=4,
            ),
        ),
        max_leaves=12,
    )


def deep(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


def dump(data: Any) -> str:
    """JSON as a file may hold it: NaN and Infinity allowed, lone surrogates escaped."""
    return json.dumps(data, allow_nan=True)


def data_file(settings_: dict[str, Any], state: dict[str, Any], version: Any = SCHEMA_VERSION) -> str:
    return dump(
        {
            "meta": {"1": {"schema_version": version}},
            "settings": {str(i + 1): {"key": k, "value": v} for i, (k, v) in enumerate(settings_.items())},
            "state": {str(i + 1): {"key": k, "value": v} for i, (k, v) in enumerate(state.items())},
        }
    )


HYPO = settings(
    max_examples=150,
    deadline=None,  # file system times vary; "not slow" is asserted per case below
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def fresh(folder: Path, text: str) -> Path:
    for old in folder.glob("*"):
        if old.is_file():
            old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DATA_FILE).write_text(text, encoding="utf-8")
    return folder


# The state readers of the app, each as it is called: anything stored must give a usable answer.
def _state_readers() -> list[tuple[str, Callable[[Repository], object]]]:
    from sciatica_coach.services import cautions, plans, routines, safety_state
    from sciatica_coach.services.plans import plan_history, reminder_plan

    catalogue = load_catalogue()
    return [
        ("excused days", lambda repo: repo.excused_days()),
        ("plan start", lambda repo: repo.plan_start()),
        ("routine", lambda repo: plans.active_routine(repo, catalogue)),
        ("progression history", routines.progression_history),
        ("stopped today", lambda repo: routines.stopped_today(repo, NOW.date())),
        ("reminder plan", reminder_plan),
        ("plan history", lambda repo: plan_history(repo, NOW)),
        ("red-flag check due", lambda repo: safety_state.red_flag_check_due(repo, NOW)),
        ("cautions seen", cautions.seen),
        ("cautions left out", lambda repo: cautions.left_out_today(repo, NOW.date())),
    ]


STATE_KEYS = [
    "excused_days",
    "plan_start",
    "routine",
    "progression_history",
    "stopped_today",
    "reminder_plan",
    "reminder_state",
    "plan_history",
    "red_flag_checked_at",
    "new_symptoms_reported",
    "cautions_seen",
    "cautions_left_out",
]


# ---- settings ----------------------------------------------------------------------------------------------
def _whole(low: int, high: int) -> Callable[[object], bool]:
    return lambda v: type(v) is int and low <= v <= high


def _text(longest: int, optional: bool = True) -> Callable[[object], bool]:
    return lambda v: (
        (optional and v is None)
        or (isinstance(v, str) and len(v) <= longest and not any("\ud800" <= c <= "\udfff" for c in v))
    )


def _moment(v: object) -> bool:
    if v is None:
        return True
    try:
        moment = datetime.fromisoformat(v) if isinstance(v, str) and v.isascii() else None
    except ValueError:
        return False
    return moment is not None and plausible_moment(moment)  # a time without its zone only records a moment


# What the app can use for each setting, written out independently of the code under test.
FLAGS = {
    "sound_on",
    "voice_on",
    "voice_commands_on",
    "told_about_tray",
    "count_reps_aloud",
    "halfway_cue",
    "sitting_breaks_on",
    "still_pictures",
}
NUMBERS = {
    "text_scale",
    "volume",
    "get_ready_s",
    "sitting_interval_min",
}  # a finite number out of range reads as the nearest usable one
CLOCK_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]"  # "usually up by": a time of day as HH:MM
USABLE: dict[str, Callable[[object], bool]] = {
    "theme": lambda v: v in ("system", "light", "dark") and isinstance(v, str),
    "text_scale": _whole(50, 300),
    "language": _text(35, optional=False),
    "volume": _whole(0, 100),
    "get_ready_s": _whole(5, 60),
    "disclaimer_accepted_at": _moment,
    "window_geometry": _text(10_000),
    "avoid_direction": lambda v: v in (None, "flexion", "extension") and not isinstance(v, bool),
    "country": _text(10),
    "affected_side": lambda v: v in (None, "left", "right", "both") and not isinstance(v, bool),
    "usually_up_by": lambda v: v is None or (isinstance(v, str) and bool(re.fullmatch(CLOCK_TIME, v))),
    "sitting_interval_min": _whole(15, 120),
    "sitting_work_days": lambda v: (
        isinstance(v, list) and all(type(d) is int and 0 <= d <= 6 for d in v) and len(set(v)) == len(v)
    ),
    "sitting_work_start": lambda v: isinstance(v, str) and bool(re.fullmatch(CLOCK_TIME, v)),
    "sitting_work_end": lambda v: isinstance(v, str) and bool(re.fullmatch(CLOCK_TIME, v)),
    **{key: lambda v: type(v) is bool for key in FLAGS},
}


@HYPO
@given(values=st.dictionaries(st.sampled_from(sorted(DEFAULT_SETTINGS)), hostile(), min_size=1))
def test_every_setting_reads_as_a_value_the_app_can_use(data_dir: Path, values: dict[str, Any]) -> None:
    counted("settings: hostile values")
    repo = Repository.open(fresh(data_dir, data_file(values, {})))
    merged = repo.settings()
    for key in DEFAULT_SETTINGS:
        assert USABLE[key](merged[key]), (key, merged[key])
        assert repo.setting(key) == merged[key]
        stored = values.get(key, DEFAULT_SETTINGS[key])
        if USABLE[key](stored):
            assert merged[key] == stored, f"{key}: a usable value is read as it is"
        elif not isinstance(stored, int | float | str | list | dict) or key not in NUMBERS | FLAGS:
            assert merged[key] == DEFAULT_SETTINGS[key], f"{key}: an impossible value reads as the default"
    repo.set_setting("volume", 40)  # the file can still be saved, whatever it holds
    repo.close()
    reopened = Repository.open(data_dir)
    assert reopened.setting("volume") == 40 and reopened.notices == []
    reopened.close()


def test_a_text_size_that_is_a_word_shows_the_window_at_the_default_size(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The example from the issue, through the real window (apply_theme takes the settings as read)."""
    from tests.helpers import main_window

    values = {"text_scale": "big", "theme": ["dark"], "volume": math.nan, "get_ready_s": 10**40}
    repo = Repository.open(fresh(data_dir, data_file(values, {})))
    assert repo.settings()["text_scale"] == 100 and repo.settings()["theme"] == "system"
    with main_window(qtbot, repo) as window:
        assert window.isVisible()


@pytest.mark.slow
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(
    values=st.dictionaries(st.sampled_from(sorted(DEFAULT_SETTINGS)), hostile(), min_size=3),
    state=st.dictionaries(st.sampled_from(STATE_KEYS), hostile(), min_size=3),
)
def test_every_page_of_the_window_shows_over_hostile_settings_and_state(
    qtbot: QtBot, data_dir: Path, values: dict[str, Any], state: dict[str, Any]
) -> None:
    """The real window, every page shown in turn (slow: fewer examples, each a whole window)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from sciatica_coach.views.context import AppContext
    from sciatica_coach.views.main_window import MainWindow
    from tests.helpers import FakeClock, fake_services

    del qtbot  # asked for so that pytest-qt's application exists
    counted("window: hostile settings and state")
    repo = Repository.open(fresh(data_dir, data_file(values, state)))
    window = MainWindow(AppContext(repo, FakeClock(NOW), fake_services()))  # type: ignore[no-untyped-call]
    try:
        window.show()
        for page in ("today", "progress", "routine", "reminders", "settings"):
            window.show_page(page)
            QApplication.processEvents()  # the page's deferred work (no waiting on the clock)
            assert window.stack.currentWidget() is window.page(page), page  # the page itself, not a stand-in
    finally:
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # one window at a time, not twenty
        repo.close()


@pytest.mark.parametrize("key", sorted(NUMBERS))
@pytest.mark.parametrize("value", [10**4000, -(10**4000), 2**1024, 1e308, -1e308])
def test_a_number_too_large_for_a_float_reads_as_the_nearest_usable_one(
    data_dir: Path, key: str, value: object
) -> None:
    repo = Repository.open(fresh(data_dir, data_file({key: value}, {})))
    assert USABLE[key](repo.setting(key)) and repo.settings()[key] == repo.setting(key)


def test_settings_documents_missing_their_keys_are_passed_over(data_dir: Path) -> None:
    text = dump(
        {
            "meta": {"1": {"schema_version": SCHEMA_VERSION}},
            "settings": {"1": {"value": 3}, "2": {"key": "volume"}, "3": {"key": ["volume"], "value": 1}},
            "state": {"1": {"value": 1}, "2": {"key": "plan_start"}},
        }
    )
    repo = Repository.open(fresh(data_dir, text))
    assert repo.settings() == DEFAULT_SETTINGS
    assert repo.plan_start() is None and repo.state("plan_start", "default") == "default"


# ---- state -------------------------------------------------------------------------------------------------
@HYPO
@given(state=st.dictionaries(st.sampled_from(STATE_KEYS), hostile(), min_size=1))
def test_every_state_reader_copes_with_any_stored_value(data_dir: Path, state: dict[str, Any]) -> None:
    counted("state: hostile values")
    repo = Repository.open(fresh(data_dir, data_file({}, state)))
    for name, read in _state_readers():
        try:
            value = read(repo)
        except DataError:
            continue  # e.g. a save that failed; worded for the person, never a crash
        if isinstance(value, date):
            assert plausible_day(value), name
    for day in repo.excused_days():
        assert plausible_day(day)
    repo.close()


@settings(max_examples=300, deadline=None)
@given(data=hostile())
def test_reminder_plan_and_state_readers_refuse_or_read_real_values(data: Any) -> None:
    counted("reminder plan and state")
    with contextlib.suppress(PlanError):
        plan_from_dict(data)
    try:
        state = state_from_dict(data)
    except StateError:
        return
    for day, _slot in state.fired:
        assert plausible_day(day)
    if state.paused_on is not None:
        assert plausible_day(state.paused_on)
    for moment in (state.last_seen, state.snooze.until if state.snooze else None):
        assert moment is None or plausible_moment(moment)


@settings(max_examples=300, deadline=None)
@given(entries=st.lists(hostile(), max_size=4))
def test_plan_history_keeps_only_entries_with_real_dates(entries: list[Any]) -> None:
    counted("plan history")
    for change in history_from_list(entries).changes:
        assert plausible_day(change.on) and plausible_moment(change.at)


@pytest.mark.parametrize(
    "stored",
    [
        {"fired": [["0001-01-01", "08:00"]]},
        {"fired": [["9999-12-31", "08:00"]]},
        {"paused_on": "9999-12-31"},
        {"last_seen": "0001-01-01T00:00:00+00:00"},
        {"last_seen": "2026-05-04T09:00:00+23:59"},
    ],
)
def test_reminder_state_at_the_edges_of_the_calendar_is_refused(stored: dict[str, Any]) -> None:
    with pytest.raises(StateError):
        state_from_dict(stored)


@pytest.mark.parametrize(
    "start", ["0001-01-01", "9999-12-31", "1969-12-31", "2201-01-01", 20260504, "٢٠٢٦-٠٥-٠٤"]
)
def test_a_plan_start_in_year_1_is_no_plan_start(data_dir: Path, start: object) -> None:
    repo = Repository.open(
        fresh(data_dir, data_file({}, {"plan_start": start, "excused_days": [start, "2026-05-01"]}))
    )
    assert repo.plan_start() is None
    assert repo.excused_days() == {date(2026, 5, 1)}


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("stopped_today", {"day": "2026-05-04", "exercises": 5}, set()),
        ("stopped_today", {"day": "2026-05-04", "exercises": ["bridge", "\ud800", 3]}, {"bridge"}),
        ("cautions_left_out", {"day": "2026-05-04", "exercises": {"a": 1}}, set()),
        ("cautions_seen", 7, set()),
        ("red_flag_checked_at", "2026-05-03T09:00:00", True),  # no time zone: ask the questions again
        ("red_flag_checked_at", "9999-12-31T23:59:59+00:00", True),
        ("red_flag_checked_at", "2026-05-03T09:00:00-23:59", True),
        ("red_flag_checked_at", "2026-05-03T09:00:00+02:00", False),
    ],
)
def test_state_of_the_wrong_type_reads_as_nothing_stored(
    data_dir: Path, key: str, value: Any, expected: object
) -> None:
    readers = dict(_state_readers())
    name = {
        "stopped_today": "stopped today",
        "cautions_left_out": "cautions left out",
        "cautions_seen": "cautions seen",
        "red_flag_checked_at": "red-flag check due",
    }[key]
    repo = Repository.open(fresh(data_dir, data_file({}, {key: value})))
    assert readers[name](repo) == expected


def test_a_stored_routine_with_unknown_exercises_gives_the_default_routine(data_dir: Path) -> None:
    from sciatica_coach.services.plans import active_routine

    routine = {"phase": 1, "items": [{"exercise": "no-such-exercise"}, {"exercise": "\ud800"}]}
    repo = Repository.open(fresh(data_dir, data_file({}, {"routine": routine})))
    catalogue = load_catalogue()
    got = active_routine(repo, catalogue)
    assert got.items and all(item.exercise_id in catalogue.exercises for item in got.items)


# ---- the whole data file -----------------------------------------------------------------------------------
RAW_FILES = [
    "[" * 100_000 + "]" * 100_000,  # deeper than the JSON reader's stack
    '{"meta": {"1": {"schema_version": ' + "9" * 5000 + "}}}",  # more digits than Python reads
    '{"meta": {"1": {"schema_version": NaN}}}',
    '{"meta": {"1": {"schema_version": Infinity}}}',
    '{"meta": {"1": {"schema_version": 3}}, "settings": {"abc": {"key": "volume", "value": 20}}}',
    '{"meta": {"1": {"schema_version": 3}}, "settings": {"٣": {"key": "volume", "value": 20}}}',
    '{"meta": {"1": {"schema_version": 3}}, "settings": {"'
    + "9" * 5000
    + '": {"key": "volume", "value": 20}}}',
]


@pytest.mark.parametrize("text", RAW_FILES, ids=range(len(RAW_FILES)))
def test_a_data_file_at_the_limits_of_json_opens_or_is_set_aside(data_dir: Path, text: str) -> None:
    repo = Repository.open(fresh(data_dir, text))
    repo.settings()
    repo.set_setting("volume", 40)
    repo.close()
    assert Repository.open(data_dir).setting("volume") == 40


@pytest.mark.parametrize("version", [0, -1, -(10**30), True, False, 1.5, math.nan])
def test_a_zero_or_negative_version_mark_sets_the_file_aside(data_dir: Path, version: object) -> None:
    text = data_file({"volume": 20}, {}, version=version)
    repo = Repository.open(fresh(data_dir, text))
    [notice] = repo.notices
    assert "version mark" in notice
    [kept] = data_dir.glob(f"{DATA_FILE}.broken-*")
    assert kept.read_text(encoding="utf-8") == text, "kept unchanged for the person"
    assert repo.setting("volume") == DEFAULT_SETTINGS["volume"]


def test_migrate_refuses_a_version_below_the_first() -> None:
    with pytest.raises(ValueError, match="no data version 0"):
        migrate({}, 0)


def test_a_huge_version_mark_is_a_newer_file_refused_untouched(data_dir: Path) -> None:
    text = data_file({}, {}, version=10**30)
    fresh(data_dir, text)
    with pytest.raises(DataError, match="newer version"):
        Repository.open(data_dir)
    assert (data_dir / DATA_FILE).read_text(encoding="utf-8") == text


@HYPO
@given(
    state=st.dictionaries(st.text(max_size=8), hostile(), max_size=3),
    settings_=st.dictionaries(st.text(max_size=8), hostile(), max_size=3),
)
def test_any_data_file_can_still_be_saved_and_reopened(
    data_dir: Path, state: dict[str, Any], settings_: dict[str, Any]
) -> None:
    """Unknown keys and impossible values (lone surrogates too) never poison the file: saving works and the
    values kept come back exactly."""
    counted("data file: save after hostile contents")
    repo = Repository.open(fresh(data_dir, data_file(settings_, state)))
    repo.set_state("probe", "ok")
    repo.close()
    again = Repository.open(data_dir)
    assert again.state("probe") == "ok"
    for key, value in state.items():
        if key != "probe" and isinstance(value, str):
            assert again.state(key) == value, "kept exactly, lone surrogates included"
    again.close()
