"""The sitting-break card (issue 21 point 2), offscreen: the words and drawing of each movement, each answer
reaching the service once, the countdown following the service's clock (never the real one) and closing at
zero, withdraw, the window flags that keep the keyboard where the person types, German, and a service that
hangs or fails. The three break drawings are generated from their source, parse and render.

With SCIATICA_COACH_SHOTS set (a folder), the card is saved as PNGs: offered and counting down, light and
dark, English and German, text at 100 and 200 %."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach.core.clock import ManualClock
from sciatica_coach.core.sitting import (
    MOVEMENT_SECONDS,
    BreakSettings,
    BreakStatus,
    Movement,
    Phase,
    SittingBreakScheduler,
)
from sciatica_coach.i18n import set_language
from sciatica_coach.services import sitting_words
from sciatica_coach.views import illustration_sources
from sciatica_coach.views.break_card import (
    POSTPONE_SHORT_MIN,
    REPAINT_INTERVAL_MS,
    WELL_DONE_S,
    BreakCard,
    CardState,
    break_drawing_id,
    corner_position,
)
from sciatica_coach.views.illustrations import illustration_path, recolour, render_illustration
from sciatica_coach.views.theme import DARK, apply_theme

SHOTS = os.environ.get("SCIATICA_COACH_SHOTS")
MONDAY_MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
WORKS, HANGS, FAILS = "works", "hangs", "fails"


class FakeBreakService:
    """The card's side of the sitting-break service over a real scheduler and a ManualClock.

    works: answers as the real service does. hangs: takes every call and never moves (a break taken never
    starts its timer). fails: every call raises."""

    def __init__(
        self,
        clock: ManualClock,
        mode: str = WORKS,
        movement: Movement = Movement.WALK,
        interval_min: int = 15,
    ) -> None:
        self.mode = mode
        self.clock = clock
        self.calls: list[tuple[str, tuple[int, ...]]] = []
        self.scheduler = SittingBreakScheduler(
            BreakSettings(on=True, interval_min=interval_min), clock, (movement,)
        )
        self.scheduler.observe(0.0)
        clock.advance(interval_min * 60)
        self.scheduler.observe(0.0)
        assert self.scheduler.status().phase is Phase.DUE

    def _called(self, name: str, *args: int) -> None:
        self.calls.append((name, args))
        if self.mode == FAILS:
            raise RuntimeError(f"the service failed: {name}")

    def take(self) -> None:
        self._called("take")
        if self.mode == WORKS:
            self.scheduler.take()

    def finished(self) -> None:
        self._called("finished")
        if self.mode == WORKS:
            self.scheduler.finished()

    def postpone(self, minutes: int) -> None:
        self._called("postpone", minutes)
        if self.mode == WORKS:
            self.scheduler.postpone(minutes)

    def skip(self) -> None:
        self._called("skip")
        if self.mode == WORKS:
            self.scheduler.skip()

    def pause_for_hour(self) -> None:
        self._called("pause_for_hour")
        if self.mode == WORKS:
            self.scheduler.pause_for_hour()

    def status(self) -> BreakStatus:
        if self.mode == FAILS:
            raise RuntimeError("the service failed: status")
        return self.scheduler.status()

    def answers(self) -> list[tuple[str, tuple[int, ...]]]:
        return list(self.calls)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_MORNING)


def make_card(qtbot: QtBot, service: FakeBreakService, clock: ManualClock) -> BreakCard:
    card = BreakCard(service, clock)
    qtbot.addWidget(card)
    return card


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    apply_theme(qapp, "light")
    yield qapp


def state_of(card: BreakCard) -> CardState:
    return card.state  # read afresh each time (mypy would narrow `card.state` after a first assert)


def shot(card: BreakCard, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        card.grab().save(str(Path(SHOTS) / name))


# --- the words and the drawing ------------------------------------------------------------------------------


@pytest.mark.parametrize("movement", list(Movement))
def test_offer_shows_the_movements_words_and_drawing(
    qtbot: QtBot, themed: QApplication, clock: ManualClock, movement: Movement
) -> None:
    card = make_card(qtbot, FakeBreakService(clock, movement=movement), clock)
    card.offer(movement)
    assert card.isVisible()
    assert state_of(card) is CardState.OFFERED
    assert card.stack.currentWidget() is card.offer_page
    words = sitting_words.movement_words(movement)
    assert card.heading.text() == "Time to get up for a minute"
    assert card.movement_title.text() == words.title
    shown_steps = [step.text() for step in card.step_labels if step.isVisibleTo(card)]
    assert shown_steps == [f"• {step}" for step in words.steps]
    assert 2 <= len(words.steps) <= 3
    assert card.drawing.illustration_id() == f"break-{movement.value}"
    assert card.drawing.accessibleDescription() == words.drawing_description
    assert card.accessibleName() == "Sitting break"
    # the drawing is large enough to read at a glance, and painted
    assert card.drawing.width() >= 200
    image = card.drawing.grab().toImage()
    assert (
        len({image.pixel(x, y) for x in range(0, image.width(), 8) for y in range(0, image.height(), 8)}) > 2
    )


def test_each_movements_words_are_what_the_brief_asks() -> None:
    walk = " ".join(sitting_words.movement_words(Movement.WALK).steps)
    bends = " ".join(sitting_words.movement_words(Movement.BACK_BENDS).steps)
    posture = " ".join(sitting_words.movement_words(Movement.POSTURE).steps)
    assert "Walk" in walk
    assert "hands on your hips" in bends
    assert "as far as is comfortable" in bends
    assert "5 to 10 times" in bends
    assert "Stop if pain spreads down your leg or gets worse" in bends
    for needed in ("feet flat", "knees level with or a little below your hips", "low back", "eye level"):
        assert needed in posture
    every = " ".join(walk + bends + posture).lower()
    assert "push through" not in every
    assert sitting_words.duration_text(Movement.WALK) == "1 minute"
    assert (
        sitting_words.duration_text(Movement.BACK_BENDS) == f"{MOVEMENT_SECONDS[Movement.BACK_BENDS]} seconds"
    )


# --- the answers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("button", "expected"),
    [
        ("later_short_button", ("postpone", (5,))),
        ("later_long_button", ("postpone", (15,))),
        ("skip_button", ("skip", ())),
        ("pause_button", ("pause_for_hour", ())),
    ],
)
def test_each_answer_calls_the_service_once_and_the_card_goes(
    qtbot: QtBot, themed: QApplication, clock: ManualClock, button: str, expected: tuple[str, tuple[int, ...]]
) -> None:
    service = FakeBreakService(clock)
    card = make_card(qtbot, service, clock)
    card.offer(Movement.WALK)
    qtbot.mouseClick(getattr(card, button), Qt.MouseButton.LeftButton)
    assert service.answers() == [expected]
    assert not card.isVisible()
    assert state_of(card) is CardState.HIDDEN


def test_take_the_break_counts_down_with_the_clock_and_closes_at_zero(
    qtbot: QtBot, themed: QApplication, clock: ManualClock
) -> None:
    service = FakeBreakService(clock, movement=Movement.BACK_BENDS)
    card = make_card(qtbot, service, clock)
    card.offer(Movement.BACK_BENDS)
    qtbot.mouseClick(card.take_button, Qt.MouseButton.LeftButton)
    assert service.answers() == [("take", ())]
    assert state_of(card) is CardState.TAKING
    assert card.stack.currentWidget() is card.countdown_page
    assert card.taking_title.text() == "Standing back bends"
    total = MOVEMENT_SECONDS[Movement.BACK_BENDS]
    assert card.ring.text() == str(total)
    clock.advance(10.2)
    card.refresh()
    assert card.ring.text() == str(total - 10)
    assert card.seconds_left() == pytest.approx(total - 10.2)
    clock.advance(total - 10.2)
    card.refresh()
    assert state_of(card) is CardState.WELL_DONE
    assert card.well_done_label.isVisibleTo(card)
    assert card.well_done_label.text().startswith("Well done")
    assert not card.done_button.isVisibleTo(card)
    assert card.isVisible()
    clock.advance(WELL_DONE_S - 0.5)
    card.refresh()
    assert card.isVisible()
    assert service.answers() == [("take", ())]
    clock.advance(0.5)
    card.refresh()
    assert not card.isVisible()
    assert service.answers() == [("take", ()), ("finished", ())]
    assert service.scheduler.status().phase is Phase.AWAY


def test_the_countdown_repaints_on_its_own_timer(
    qtbot: QtBot, themed: QApplication, clock: ManualClock
) -> None:
    """The coarse timer only repaints: each tick shows what the clock says (ticks are sent by hand here)."""
    card = make_card(qtbot, FakeBreakService(clock), clock)
    card.offer(Movement.WALK)
    card.take_button.click()
    assert card._timer.isActive()
    assert card._timer.interval() == REPAINT_INTERVAL_MS
    card._timer.timeout.emit()
    card._timer.timeout.emit()
    assert card.ring.text() == "1:00"  # the clock stood still: ticks alone count nothing
    clock.advance(1.5)
    card._timer.timeout.emit()
    assert card.ring.text() == "59"


def test_done_ends_the_break_early(qtbot: QtBot, themed: QApplication, clock: ManualClock) -> None:
    service = FakeBreakService(clock)
    card = make_card(qtbot, service, clock)
    card.offer(Movement.WALK)
    card.take_button.click()
    clock.advance(20)
    card.refresh()
    qtbot.mouseClick(card.done_button, Qt.MouseButton.LeftButton)
    assert service.answers() == [("take", ()), ("finished", ())]
    assert not card.isVisible()
    assert not card._timer.isActive()


def test_enter_takes_the_break_and_escape_means_later(
    qtbot: QtBot, themed: QApplication, clock: ManualClock
) -> None:
    service = FakeBreakService(clock)
    card = make_card(qtbot, service, clock)
    card.offer(Movement.POSTURE)
    qtbot.keyClick(card, Qt.Key.Key_Return)
    assert service.answers() == [("take", ())]
    card.withdraw()
    service2 = FakeBreakService(clock)
    card2 = make_card(qtbot, service2, clock)
    card2.offer(Movement.POSTURE)
    qtbot.keyClick(card2, Qt.Key.Key_Escape)
    assert service2.answers() == [("postpone", (POSTPONE_SHORT_MIN,))]


def test_withdraw_hides_the_card_without_answering(
    qtbot: QtBot, themed: QApplication, clock: ManualClock
) -> None:
    service = FakeBreakService(clock)
    card = make_card(qtbot, service, clock)
    card.offer(Movement.WALK)
    card.withdraw()
    assert not card.isVisible()
    assert service.answers() == []
    card.offer(Movement.POSTURE)  # a later card shows again, from the start
    assert card.isVisible()
    assert card.stack.currentWidget() is card.offer_page
    card.take_button.click()
    card.withdraw()  # a session started while the break was being taken
    assert not card.isVisible()
    assert not card._timer.isActive()


# --- the window: above the others, never taking the keyboard --------------------------------------------------


def test_window_flags_keep_the_keyboard_where_the_person_types(
    qtbot: QtBot, themed: QApplication, clock: ManualClock
) -> None:
    card = make_card(qtbot, FakeBreakService(clock), clock)
    flags = card.windowFlags()
    assert card.isWindow()
    assert card.windowType() == Qt.WindowType.Tool
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert not flags & Qt.WindowType.WindowDoesNotAcceptFocus  # the lead's decision: reachable by keyboard
    assert card.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    card.offer(Movement.WALK)
    assert not card.isActiveWindow()


def test_the_card_sits_in_the_bottom_right_corner_of_the_available_area(
    qtbot: QtBot, themed: QApplication, clock: ManualClock
) -> None:
    area = QRect(0, 30, 1920, 1050)  # a panel at the top
    assert corner_position(area, (500, 400), margin=24) == QPoint(1920 - 24 - 500, 30 + 1050 - 24 - 400)
    assert corner_position(QRect(0, 0, 300, 200), (500, 400)) == QPoint(0, 0)  # never off the top left
    card = make_card(qtbot, FakeBreakService(clock), clock)
    card.offer(Movement.WALK)
    screen = card.screen().availableGeometry()
    frame = card.frameGeometry()
    assert screen.contains(frame)
    assert screen.right() - frame.right() <= 40
    assert screen.bottom() - frame.bottom() <= 40


def test_the_card_follows_the_text_size_and_the_theme(
    qtbot: QtBot, qapp: QApplication, clock: ManualClock
) -> None:
    sizes = {}
    for scale in (100, 150):
        apply_theme(qapp, "dark", scale)
        card = make_card(qtbot, FakeBreakService(clock), clock)
        card.offer(Movement.WALK)
        sizes[scale] = (
            card.width(),
            card.heading.fontInfo().pixelSize(),
            card.take_button.fontInfo().pixelSize(),
        )
        assert DARK.surface in card.frame.styleSheet()
        assert DARK.accent in card.frame.styleSheet()
        card.withdraw()
    assert all(big > small for small, big in zip(sizes[100], sizes[150], strict=True)), sizes


# --- a service that hangs or fails ----------------------------------------------------------------------------


def test_a_hanging_service_still_gets_a_countdown_that_ends(
    qtbot: QtBot, themed: QApplication, clock: ManualClock
) -> None:
    service = FakeBreakService(clock, HANGS)
    card = make_card(qtbot, service, clock)
    card.offer(Movement.WALK)
    card.take_button.click()
    assert state_of(card) is CardState.TAKING
    assert card.ring.text() == "1:00"  # the card's own deadline, as the service never started one
    clock.advance(MOVEMENT_SECONDS[Movement.WALK])
    card.refresh()
    clock.advance(WELL_DONE_S)
    card.refresh()
    assert not card.isVisible()
    assert service.answers() == [("take", ()), ("finished", ())]


def test_a_failing_service_never_leaves_the_card_stuck(
    qtbot: QtBot, themed: QApplication, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    service = FakeBreakService(clock, FAILS)
    card = make_card(qtbot, service, clock)
    card.offer(Movement.WALK)
    card.skip_button.click()
    assert not card.isVisible()
    card.offer(Movement.WALK)
    card.take_button.click()
    assert state_of(card) is CardState.TAKING
    clock.advance(30)
    card.refresh()
    assert card.ring.text() == "30"
    card.done_button.click()
    assert not card.isVisible()
    assert [name for name, _args in service.answers()] == ["skip", "take", "finished"]
    assert "service failed" in caplog.text


# --- German --------------------------------------------------------------------------------------------------


def test_german_words(qtbot: QtBot, themed: QApplication, clock: ManualClock) -> None:
    set_language("de")
    card = make_card(qtbot, FakeBreakService(clock, movement=Movement.BACK_BENDS), clock)
    card.offer(Movement.BACK_BENDS)
    assert card.heading.text() == "Zeit, kurz aufzustehen"
    assert card.movement_title.text() == "Rückbeugen im Stehen"
    assert card.take_button.text() == "Pause machen"
    assert card.skip_button.text() == "Diesmal auslassen"
    assert card.pause_button.text() == "Pausen eine Stunde lang aussetzen"
    assert card.later_short_button.text() == "In 5 Min."
    assert card.accessibleName() == "Sitzpause"
    english = sitting_words.movement_words(Movement.BACK_BENDS)
    set_language("en")
    english = sitting_words.movement_words(Movement.BACK_BENDS)
    set_language("de")
    german = sitting_words.movement_words(Movement.BACK_BENDS)
    for en, de in zip(english.steps, german.steps, strict=True):
        assert de != en
    assert "Schmerz" in german.steps[2]
    card.take_button.click()
    assert card.done_button.text() == "Erledigt"
    assert sitting_words.well_done().startswith("Gut gemacht")


def test_every_break_word_has_a_german_translation() -> None:
    from sciatica_coach.i18n import load_translation

    messages = load_translation("de").messages
    from sciatica_coach.views import break_card

    source = "".join(
        Path(str(module.__file__)).read_text(encoding="utf-8") for module in (sitting_words, break_card)
    )
    marked = set(re.findall(r'N?_\(\s*"([^"]+)"\s*\)', source))
    assert len(marked) > 20
    assert sorted(marked - set(messages)) == []


# --- the drawings --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("movement", list(Movement))
def test_break_drawings_are_generated_parse_and_render(qapp: QApplication, movement: Movement) -> None:
    drawing_id = break_drawing_id(movement)
    path = illustration_path(drawing_id)
    text = path.read_text(encoding="utf-8")
    assert text == illustration_sources.BREAK_DRAWINGS[movement.value]().svg(), (
        "regenerate with: python -m sciatica_coach.views.illustration_sources"
    )
    assert 'viewBox="0 0 400 300"' in text
    paints = set(re.findall(r'(?:fill|stroke)="([^"]*)"', text))
    assert paints <= {"currentColor", "#d9480f", "none"}
    assert QSvgRenderer(QByteArray(recolour(text, QColor("black"), QColor("red")).encode())).isValid()
    image = render_illustration(drawing_id, QSize(160, 120), QColor("#1b1b1b"), QColor("#d9480f"))
    img = image.convertToFormat(image.Format.Format_ARGB32)
    inked = sum(1 for x in range(160) for y in range(120) if img.pixelColor(x, y).alpha() >= 64)
    assert inked / (160 * 120) > 0.04


def test_every_movement_has_a_drawing() -> None:
    assert set(illustration_sources.BREAK_DRAWINGS) == {movement.value for movement in Movement}
    back_bend = illustration_sources.break_back_bends()
    torso = back_bend.torsos[0]
    assert (
        torso.shoulder[0] > torso.hip[0]
    )  # facing left, the shoulders go back (right) of the hips: leaning back


# --- every state in every look (set SCIATICA_COACH_SHOTS to a folder to save the pictures) ---------------------


def fully_shown(card: BreakCard, *widgets: QWidget) -> None:
    """Each widget is shown and lies wholly inside the card (nothing cut off at the edge)."""
    inside = card.rect()
    for widget in widgets:
        assert widget.isVisibleTo(card), widget.objectName() or widget.text()  # type: ignore[attr-defined]
        top_left = widget.mapTo(card, widget.rect().topLeft())
        assert inside.contains(QRect(top_left, widget.size())), widget.text()  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("scale", [100, 200])
def test_pictures(
    qtbot: QtBot, qapp: QApplication, clock: ManualClock, language: str, mode: str, scale: int
) -> None:
    apply_theme(qapp, mode, scale)
    set_language(language)
    card = make_card(qtbot, FakeBreakService(clock, movement=Movement.BACK_BENDS), clock)
    card.offer(Movement.BACK_BENDS)
    fully_shown(card, card.take_button, card.later_short_button, card.later_long_button, card.skip_button)
    shot(card, f"break-card-offer-{language}-{mode}-{scale}.png")
    card.take_button.click()
    clock.advance(12)
    card.refresh()
    fully_shown(card, card.done_button)
    shot(card, f"break-card-countdown-{language}-{mode}-{scale}.png")
    clock.advance(MOVEMENT_SECONDS[Movement.BACK_BENDS])
    card.refresh()
    shot(card, f"break-card-well-done-{language}-{mode}-{scale}.png")
