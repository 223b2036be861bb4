"""One rule for what a pain change may be called (core.adherence.change_claim), used by Progress and the
clinician report alike: never "lower" while the recent trend rises, never "higher" while it falls."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sciatica_coach.core.adherence import ChangeClaim, PainChange, change_claim
from sciatica_coach.services.progress_text import pain_change_sentence
from sciatica_coach.services.report_data import pain_trend_sentence

DAY = date(2026, 1, 5)


def change(first: float, last: float) -> PainChange:
    return PainChange(first, last, last - first, abs(last - first) >= 2, (DAY, DAY), (DAY, DAY))


pain = st.floats(min_value=0, max_value=10, allow_nan=False)
slopes = st.one_of(st.none(), st.floats(min_value=-5, max_value=5, allow_nan=False))


@given(pain, pain, slopes)
def test_the_claim_never_contradicts_the_recent_trend(first: float, last: float, slope: float | None) -> None:
    claim = change_claim(change(first, last), slope)
    if slope is not None and slope > 0:
        assert claim is not ChangeClaim.LOWER
    if slope is not None and slope < 0:
        assert claim is not ChangeClaim.HIGHER
    if abs(last - first) >= 0.05 and (slope is None or slope == 0):
        assert claim in (ChangeClaim.LOWER, ChangeClaim.HIGHER)


@given(pain, pain, slopes)
def test_progress_and_the_report_say_the_same(first: float, last: float, slope: float | None) -> None:
    shown = pain_change_sentence("leg", change(first, last), slope)
    reported = pain_trend_sentence("Leg", slope, change(first, last), "weeks 1-6")
    for word in ("lower", "higher"):
        assert (f"points {word}" in shown) == (f"points {word}" in reported), (shown, reported)


def test_lower_than_at_the_start_but_rising_lately_is_not_called_lower() -> None:
    text = pain_change_sentence("leg", change(6.0, 3.5), 0.4)
    assert "lower" not in text and "6.0" in text and "3.5" in text and "rising" in text
    assert "2.5 points lower" in pain_change_sentence("leg", change(6.0, 3.5), -0.2)
