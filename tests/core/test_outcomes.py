"""The outcome measures' rules: SBI total and PSFS average, range checks with plain messages (also over
arbitrary garbage), reading a stored check-in, and when each measure is next due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core.outcomes import (
    Activity,
    CheckIn,
    OutcomeError,
    checkin_from_dict,
    checkin_to_dict,
    current_activities,
    due,
    make_checkin,
    psfs_change,
    read_checkins,
    sbi_change,
)

DAY = date(2026, 3, 2)


def test_sbi_total_and_psfs_average() -> None:
    checkin = make_checkin(
        DAY,
        sbi=[6, 0, 3, 5],
        psfs=[{"name": "Putting on socks", "rating": 4}, {"name": "Sitting", "rating": 7}],
    )
    assert checkin.sbi_total == 14
    assert checkin.psfs_average == 5.5
    assert make_checkin(DAY, sbi=[6, 6, 6, 6]).sbi_total == 24
    assert make_checkin(DAY, sitting_min=20).psfs_average is None


@pytest.mark.parametrize(
    "answers",
    [
        [7, 0, 0, 0],
        [-1, 0, 0, 0],
        [0, 0, 0],
        [0, 0, 0, 0, 0],
        [True, 0, 0, 0],
        [1.5, 0, 0, 0],
        [float("nan"), 0, 0, 0],
        ["3", 0, 0, 0],
        "0000",
    ],
)
def test_sbi_out_of_range_is_refused_plainly(answers: object) -> None:
    with pytest.raises(OutcomeError) as err:
        make_checkin(DAY, sbi=answers, walking_min=1)
    assert "Traceback" not in str(err.value) and str(err.value).endswith(".")


def test_psfs_checks() -> None:
    with pytest.raises(OutcomeError, match="whole number from 0 to 10"):
        make_checkin(DAY, psfs=[{"name": "Walking", "rating": 11}])
    with pytest.raises(OutcomeError, match="one to three"):
        make_checkin(DAY, psfs=[{"name": f"a{i}", "rating": 1} for i in range(4)])
    with pytest.raises(OutcomeError, match="only once"):
        make_checkin(DAY, psfs=[{"name": "Walking", "rating": 1}, {"name": " walking ", "rating": 2}])
    with pytest.raises(OutcomeError, match="few words"):
        make_checkin(DAY, psfs=[{"name": "   ", "rating": 1}])
    with pytest.raises(OutcomeError, match="few words"):
        make_checkin(DAY, psfs=[{"name": "x" * 61, "rating": 1}])
    with pytest.raises(OutcomeError, match="nothing to save"):
        make_checkin(DAY)
    with pytest.raises(OutcomeError, match="0 to 600"):
        make_checkin(DAY, sitting_min=601)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
        max_leaves=20,
    )
)
def test_garbage_reads_as_a_plain_message_never_a_crash(raw: object) -> None:
    try:
        checkin = checkin_from_dict(raw)
    except OutcomeError as err:
        assert str(err)
    else:
        assert checkin_from_dict(checkin_to_dict(checkin)) == checkin


@given(
    st.dictionaries(
        st.sampled_from(["day", "sbi", "psfs", "sitting_min", "walking_min"]),
        st.none()
        | st.integers(-10, 700)
        | st.floats()
        | st.lists(st.integers(-2, 12), max_size=5)
        | st.text(max_size=12)
        | st.lists(
            st.fixed_dictionaries({"name": st.text(max_size=70), "rating": st.integers(-2, 12)}), max_size=4
        ),
    )
)
def test_hand_edited_records_in_range_or_refused(raw: dict[str, object]) -> None:
    checkins, problems = read_checkins([raw, {"day": "2026-03-02", "sbi": [1, 1, 1, 1]}])
    assert len(checkins) + len(problems) == 2
    for checkin in checkins:
        assert checkin.sbi is None or all(0 <= v <= 6 for v in checkin.sbi)
        assert checkin.psfs is None or all(0 <= a.rating <= 10 for a in checkin.psfs)
        for minutes in (checkin.sitting_min, checkin.walking_min):
            assert minutes is None or 0 <= minutes <= 600


def test_a_list_that_is_not_a_list_is_one_message() -> None:
    assert read_checkins({"day": "x"}) == ([], [read_checkins({"day": "x"})[1][0]])
    assert read_checkins(None) == ([], [])


def test_due_weekly_and_two_weekly() -> None:
    assert due([], DAY).sbi and due([], DAY).psfs
    first = make_checkin(DAY, sbi=[1, 2, 3, 4], psfs=[{"name": "Walking", "rating": 3}], sitting_min=15)
    for days, sbi, psfs in [
        (0, False, False),
        (6, False, False),
        (7, True, False),
        (13, True, False),
        (14, True, True),
    ]:
        now = due([first], DAY + timedelta(days=days))
        assert (now.sbi, now.psfs) == (sbi, psfs), days
    weekly = make_checkin(DAY + timedelta(days=7), sbi=[1, 1, 1, 1])
    assert not due([first, weekly], DAY + timedelta(days=13)).sbi
    assert due([first, weekly], DAY + timedelta(days=14)).psfs
    # A check-in dated in the future (a clock that was wrong) is not asked again every day.
    assert not due([make_checkin(DAY + timedelta(days=30), sbi=[0, 0, 0, 0])], DAY).sbi


def test_later_ratings_reuse_the_activities_and_changes_are_measured() -> None:
    first = CheckIn(DAY, sbi=(5, 5, 5, 5), psfs=(Activity("Walking", 2), Activity("Socks", 4)))
    later = CheckIn(DAY + timedelta(days=14), sbi=(2, 3, 2, 3), psfs=(Activity("Walking", 6),))
    assert current_activities([first]) == ["Walking", "Socks"]
    assert current_activities([first, later]) == ["Walking"]
    assert psfs_change([first, later]) == 3.0
    assert sbi_change([first, later]) == -10
    assert psfs_change([first]) is None and sbi_change([]) is None
