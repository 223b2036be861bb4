"""The "Listening" mark (views/listening_mark.py): shown exactly while voice commands listen, named for screen
readers, sized from its text (large enough for the mat), drawn in the accent colours of the light, dark and floor
looks, with the microphone drawn, not taken from a font."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtGui import QColor, QImage

from sciatica_coach.core.voice import Asking
from sciatica_coach.services.voice_control import VoiceControl
from sciatica_coach.views import theme
from sciatica_coach.views.listening_mark import GLYPH_WIDTH_EM, PAD_X_EM, PAD_Y_EM, ListeningMark
from sciatica_coach.views.theme import DARK, FLOOR_COLORS, LIGHT, Colors

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


class QuietListener:
    """A listening worker that takes requests and, when told, fails as one without a microphone does."""

    available: bool = True
    failure: str | None = None
    on_heard: Callable[[str, str], None] | None = None

    def __init__(self, _language: str, **callbacks: Any) -> None:
        self.on_failure = callbacks.get("on_failure")

    def listen(self, asking: Asking) -> None:
        pass

    def quiet(self) -> None:
        pass

    def mute(self, seconds: float) -> None:
        pass

    def close(self) -> None:
        pass


def voice_and_listener(qtbot: QtBot) -> tuple[VoiceControl, list[QuietListener]]:
    made: list[QuietListener] = []

    def factory(language: str, **callbacks: Any) -> QuietListener:
        made.append(QuietListener(language, **callbacks))
        return made[-1]

    return VoiceControl(factory, "en_US"), made


def mark_of(qtbot: QtBot) -> ListeningMark:
    mark = ListeningMark()
    qtbot.addWidget(mark)
    return mark


def test_shown_exactly_while_listening(qtbot: QtBot) -> None:
    mark = mark_of(qtbot)
    assert mark.isHidden()
    voice, made = voice_and_listener(qtbot)
    mark.set_voice(voice)
    assert mark.isHidden()  # voice commands on, nothing asked yet
    voice.listen(Asking.SESSION)
    assert not mark.isHidden()
    voice.listen(Asking.NUMBER)  # another question: still listening
    assert not mark.isHidden()
    voice.quiet()
    assert mark.isHidden()
    voice.listen(Asking.YES_NO)
    assert not mark.isHidden()
    made[0].on_failure("No microphone was found, so voice commands are off.")  # type: ignore[misc]
    assert mark.isHidden()


def test_follows_the_voice_it_is_given_only(qtbot: QtBot) -> None:
    mark = mark_of(qtbot)
    first, _ = voice_and_listener(qtbot)
    first.listen(Asking.SESSION)
    mark.set_voice(first)
    assert not mark.isHidden()  # already listening when placed
    assert mark.sizePolicy().retainSizeWhenHidden()  # the top bar keeps its room: nothing jumps
    mark.set_voice(None)  # voice commands switched off
    assert mark.isHidden() and not mark.sizePolicy().retainSizeWhenHidden()
    first.quiet()
    first.listen(Asking.SESSION)
    assert mark.isHidden()  # no longer followed
    second, _ = voice_and_listener(qtbot)
    mark.set_voice(second)
    second.listen(Asking.SESSION)
    assert not mark.isHidden()


def test_named_for_screen_readers_and_sized_from_its_text(qtbot: QtBot) -> None:
    mark = mark_of(qtbot)
    assert mark.accessibleName() == "Listening for voice commands"
    assert mark.text == "Listening"
    mark.set_text_px(20)
    small = mark.sizeHint()
    mark.set_text_px(40)  # floor mode's type
    large = mark.sizeHint()
    assert large.height() >= 1.5 * 40 * 0.9 and large.height() > small.height() * 1.8
    assert large.width() > small.width() * 1.8
    mark.set_text_px(None)  # follows the font, larger than the running text beside it
    assert mark.text_font().pointSizeF() > mark.font().pointSizeF() * 1.3 and mark.text_font().bold()


@pytest.mark.parametrize(("look", "fixed"), [("light", None), ("dark", None), ("floor", FLOOR_COLORS)])
def test_drawn_in_the_accent_colours_with_a_microphone(qtbot: QtBot, look: str, fixed: Colors | None) -> None:
    expected = {"light": LIGHT, "dark": DARK, "floor": FLOOR_COLORS}[look]
    theme._current = DARK if look == "dark" else LIGHT  # conftest puts it back
    mark = mark_of(qtbot)
    mark.set_colors(fixed)
    mark.set_text_px(30)
    mark.resize(mark.sizeHint())
    image: QImage = mark.grab().toImage()
    h = mark.height()
    text_h = h / (1 + 2 * PAD_Y_EM)  # the word's height
    pill = image.pixelColor(mark.width() - round(h * 0.2), round(h / 2))  # the round end: no ink there
    assert pill.name() == QColor(expected.accent).name()
    capsule = image.pixelColor(round(PAD_X_EM * text_h + GLYPH_WIDTH_EM * text_h / 2), round(h * 0.4))
    assert capsule.name() == QColor(expected.on_accent).name()  # the microphone, in the text's colour
