"""Settings: choices are saved at once, reach live services, and the safety buttons do what they say."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sciatica_coach import safety_state
from sciatica_coach.storage.repository import Repository
from sciatica_coach.views.context import AppContext
from sciatica_coach.views.main_window import MainWindow
from sciatica_coach.views.safety_pages import GuidanceDialog
from sciatica_coach.views.settings_page import SettingsPage
from sciatica_coach.views.theme import DARK, LIGHT, current_colors
from tests.helpers import FakeClock, fake_services


def make(qtbot: QtBot, data_dir: Path) -> tuple[MainWindow, SettingsPage, object]:
    services = fake_services()
    window = MainWindow(AppContext(Repository.open(data_dir), FakeClock(), services))
    qtbot.addWidget(window)
    window.show_page("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsPage)
    return window, page, services


def test_theme_and_text_size_apply_and_persist(qtbot: QtBot, data_dir: Path) -> None:
    _window, page, _ = make(qtbot, data_dir)
    page.theme.setCurrentIndex(page.theme.findData("dark"))
    assert current_colors() is DARK
    page.text_scale.setCurrentIndex(page.text_scale.findData(150))
    assert QApplication.font().pointSizeF() == 18.0
    reopened = Repository.open(data_dir)
    assert reopened.setting("theme") == "dark" and reopened.setting("text_scale") == 150
    page.theme.setCurrentIndex(page.theme.findData("light"))
    page.text_scale.setCurrentIndex(page.text_scale.findData(100))
    assert current_colors() is LIGHT


def test_volume_reaches_live_services_and_switches_are_saved(qtbot: QtBot, data_dir: Path) -> None:
    window, page, services = make(qtbot, data_dir)
    page.sound_on.setChecked(True)
    page.voice_on.setChecked(True)
    page.test_sound.click()  # services are made on first use
    assert services.fake_sound.played == ["hold-start"]  # type: ignore[attr-defined]
    assert services.fake_speech.said  # type: ignore[attr-defined]
    page.volume.setValue(35)
    assert services.fake_sound.volume == 35 and services.fake_speech.volume == 35  # type: ignore[attr-defined]
    page.voice_on.setChecked(False)
    assert window.ctx.repo.setting("voice_on") is False
    assert page.volume_value.text() == "35 %"


def test_safety_buttons(qtbot: QtBot, data_dir: Path) -> None:
    window, page, _ = make(qtbot, data_dir)
    page.symptoms_button.click()
    assert window.ctx.repo.state(safety_state.NEW_SYMPTOMS_KEY) is True
    assert safety_state.red_flag_check_due(window.ctx.repo, window.ctx.clock.now())
    page.guidance_button.click()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, GuidanceDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].close()


def test_a_larger_system_text_size_scales_the_app_too() -> None:
    from sciatica_coach.views.theme import system_text_factor

    assert system_text_factor(9.0) == 1.0, "a small desktop default keeps our own larger base"
    assert system_text_factor(10.0) == 1.0
    assert system_text_factor(15.0) == 1.5
    assert system_text_factor(40.0) == 2.0, "capped, like the in-app setting"
    assert system_text_factor(-1.0) == 1.0  # pixel-sized fonts report -1
