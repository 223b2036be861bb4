"""Keyboard and screen readers: every view walked by Tab; each control reached has a name a screen reader can
read (Qt's accessible interface: an explicit accessibleName, or what Qt derives from a button's or check
box's own text or a form label's buddy) and draws its focus visibly (rendered with and without focus, and the
pixels compared); no button is mouse-only; shortcuts are named in tooltips; charts have their figures as text.

Names: explicit `setAccessibleName` is preferred; a button's or check box's visible text is accepted as its
name because Qt passes it to screen readers as the name (QAccessibleButton), and so is a QFormLayout label."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.views.walk import make_window, settle, stages, themed_app  # noqa: F401 - a fixture

MAX_TABS = 400


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def focus_chain(qtbot: QtBot, stage: QWidget) -> list[QWidget]:
    """The widgets the Tab key visits, in order, once round."""
    stage.window().activateWindow()
    qtbot.waitUntil(stage.window().isActiveWindow)
    stage.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    for _ in range(MAX_TABS):
        qtbot.keyClick(QApplication.focusWidget() or stage, Qt.Key.Key_Tab)
        settle()
        widget = QApplication.focusWidget()
        if widget is None or widget in seen:
            break
        seen.append(widget)
    return seen


def grab(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def focus_is_visible(widget: QWidget) -> bool:
    """Rendered with keyboard focus and without it, the pixels differ."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    settle()
    assert widget.hasFocus()
    focused = grab(widget)
    widget.clearFocus()
    settle()
    unfocused = grab(widget)
    return focused != unfocused


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QAbstractButton, QLabel)) else ""
    return f"{type(widget).__name__}({widget.objectName() or text!r})"


@pytest.mark.usefixtures("themed_app")
def test_tab_reaches_named_controls_with_visible_focus(qtbot: QtBot, data_dir: Path) -> None:
    window, clock = make_window(qtbot, data_dir)
    problems: list[str] = []
    reached: dict[str, int] = {}
    for name, stage in stages(window, clock):
        chain = [w for w in focus_chain(qtbot, stage) if stage.isAncestorOf(w) or w is stage]
        reached[name] = len(chain)
        for widget in chain:
            if not accessible_name(widget):
                problems.append(f"{name}: {describe(widget)} has no accessible name")
            if not focus_is_visible(widget):
                problems.append(f"{name}: {describe(widget)} shows no focus")
        for button in stage.findChildren(QAbstractButton):
            if button.isVisible() and button.isEnabled() and button.focusPolicy() == Qt.FocusPolicy.NoFocus:
                problems.append(f"{name}: {describe(button)} can only be used with the mouse")
    assert not problems, "\n".join(problems)
    # The walk really went through the controls: every stage has at least its way onwards.
    assert not {name: count for name, count in reached.items() if count < 1}, reached
    assert reached["settings"] >= 6 and reached["hold"] >= 6 and reached["pain before"] >= 4, reached


@pytest.mark.usefixtures("themed_app")
def test_shortcuts_are_named_in_tooltips(qtbot: QtBot, data_dir: Path) -> None:
    window, clock = make_window(qtbot, data_dir)
    for index, button in enumerate(window.nav_buttons.values(), start=1):
        assert f"Ctrl+{index}" in button.toolTip()
    today = window.page("today")
    assert "Ctrl+Return" in today.start_button.toolTip()  # type: ignore[attr-defined]
    for name, stage in stages(window, clock):
        if name == "hold":
            running = stage
            for button, key in (
                (running.pause, "Space"),  # type: ignore[attr-defined]
                (running.skip, "Right arrow"),  # type: ignore[attr-defined]
                (running.back, "Left arrow"),  # type: ignore[attr-defined]
                (running.end, "Esc"),  # type: ignore[attr-defined]
                (running.floor, "F"),  # type: ignore[attr-defined]
                (running.hurts, "H"),  # type: ignore[attr-defined]
            ):
                assert f"key {key}" in button.toolTip(), (button.text(), button.toolTip())
        if name == "symptom question":
            for number, button in enumerate(stage.symptom.buttons.values(), start=1):  # type: ignore[attr-defined]
                assert button.toolTip() == f"Key {number}"


@pytest.mark.usefixtures("themed_app")
def test_charts_have_their_figures_as_text(qtbot: QtBot, data_dir: Path) -> None:
    window, _clock = make_window(qtbot, data_dir)
    window.show_page("progress")
    settle()
    page = window.page("progress")
    texts = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
    assert any("planned" in text and any(ch.isdigit() for ch in text) for text in texts), texts


@pytest.mark.usefixtures("themed_app")
def test_pain_scale_is_answered_with_arrow_keys(qtbot: QtBot, data_dir: Path) -> None:
    """A 0-10 scale is one Tab stop (an exclusive group, like radio buttons); arrows move along it."""
    window, clock = make_window(qtbot, data_dir)
    for name, stage in stages(window, clock):
        if name == "pain before":
            check = stage
            break
    first = check.back.group.button(0)  # type: ignore[attr-defined]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(first, Qt.Key.Key_Space)
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert check.back.value() == 3  # type: ignore[attr-defined]
    assert "3 out of 10" in check.back.zone_label.text()  # type: ignore[attr-defined]


def test_session_changes_are_announced_without_flooding(qtbot: QtBot, data_dir: Path) -> None:
    window, clock = make_window(qtbot, data_dir)
    for name, _stage in stages(window, clock):
        if name == "pain after":
            break
    view = window.session_view
    assert view is not None
    said = view.announcements
    assert any(text.startswith("Hold.") and "second" in text for text in said), said
    assert any(text.startswith("Paused") for text in said), said
    assert all(a != b for a, b in itertools.pairwise(said)), "nothing said twice in a row"
    assert len(said) <= 21, "bounded, and far fewer than one per repaint"
