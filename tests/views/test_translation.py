"""The shipped German translation is complete: the app run in German shows no English string anywhere a person
(or a screen reader) meets it, in the main views and through a whole session, spoken cues included."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from sciatica_coach import i18n
from sciatica_coach.platform import locale_support
from tests.views.walk import make_window, stages

# Texts that are the same in both languages on purpose: the app's name, key names, language names.
SAME_IN_BOTH = {"Sciatica Coach", "Esc"} | {name for _code, name in i18n.available_languages()}
# Countries spelt the same in German (Settings shows each with its number)
SAME_IN_BOTH |= {"Malta (112)", "Portugal (112)"}
# Pages whose strings are not marked for translation yet (see docs/translating.md, "Not translated yet").
# The second test below fails once one of them is translated, so this list stays honest.
NOT_YET_TRANSLATED: set[str] = set()
WORD = re.compile(r"[^\W\d_]{2,}")


def texts_of(root: QWidget) -> set[str]:
    """What a person sees or a screen reader reads: visible text, tooltips, accessible names/descriptions."""
    found: set[str] = set()
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        parts = [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, (QLabel, QAbstractButton)):
            parts.append(widget.text())
        elif isinstance(widget, QComboBox):
            parts += [widget.itemText(i) for i in range(widget.count())]
        for part in parts:
            for raw_line in part.split("\n"):
                line = raw_line.strip()
                if line and WORD.search(line) and line not in SAME_IN_BOTH:
                    found.add(line)
    return found


def walk(qtbot: QtBot, data_dir: Path) -> tuple[dict[str, set[str]], list[str]]:
    window, clock = make_window(qtbot, data_dir)
    seen = {name: texts_of(widget) for name, widget in stages(window, clock)}
    said = list(window.ctx.speech.said)  # type: ignore[attr-defined]
    window.close()
    return seen, said


def test_german_run_shows_no_english(qtbot: QtBot, tmp_path: Path) -> None:
    locale_support.apply_language("en")  # English dates too, as the app shows them under a German system
    english, english_said = walk(qtbot, tmp_path / "en")
    all_english = set().union(*english.values())
    locale_support.apply_language("de")
    german, german_said = walk(qtbot, tmp_path / "de")

    assert set(german) == set(english), "the same stages were shown"
    untranslated = {
        stage: sorted(texts & all_english)
        for stage, texts in german.items()
        if texts & all_english and stage not in NOT_YET_TRANSLATED
    }
    assert not untranslated, f"English left in the German run: {untranslated}"
    still_english = {stage for stage in NOT_YET_TRANSLATED if german[stage] & all_english}
    assert still_english == NOT_YET_TRANSLATED, "translated now: take it off NOT_YET_TRANSLATED"
    # Sanity: the comparison itself sees real text in every stage.
    assert all(len(texts) >= 3 for texts in german.values()), german
    assert "Heute" in german["today"] and "HALTEN" in german["hold"]

    spoken = {text for text in german_said if WORD.search(text)}
    english_spoken = {text for text in english_said if WORD.search(text)}
    assert spoken and not spoken & english_spoken, f"English cues spoken: {sorted(spoken & english_spoken)}"
    assert "Halten." in spoken
