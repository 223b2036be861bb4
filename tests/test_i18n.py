"""The translation layer: lookups, plural forms, the catalogue overlay, spoken cues, and the shipped
translation being complete (every marked string, every catalogue text, within the catalogue's limits)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sciatica_coach import i18n
from sciatica_coach.assets import asset_path
from sciatica_coach.core import catalogue as catalogue_module
from sciatica_coach.core import safety
from sciatica_coach.core.catalogue import load_catalogue
from sciatica_coach.core.engine import PauseReason, SessionFinished, SessionPaused, cue_text
from sciatica_coach.core.model import PainReport

PACKAGE = Path(i18n.__file__).resolve().parent


def write(folder: Path, language: str, **sections: object) -> None:
    (folder / f"{language}.json").write_text(json.dumps({"language": language, **sections}), encoding="utf-8")


def test_english_is_the_source_and_returns_its_argument() -> None:
    assert i18n._("Hold.") == "Hold."
    assert i18n.ngettext("{n} set", "{n} sets", 1) == "{n} set"
    assert i18n.ngettext("{n} set", "{n} sets", 0) == "{n} sets"
    assert i18n.ngettext("{n} set", "{n} sets", 2) == "{n} sets"


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "{n} Sätze"), (1, "{n} Satz"), (2, "{n} Sätze"), (21, "{n} Sätze")]
)
def test_german_plural_forms(n: int, expected: str) -> None:
    i18n.set_language("de")
    assert i18n.ngettext("{n} set", "{n} sets", n) == expected


def test_french_rule_counts_zero_as_singular(tmp_path: Path) -> None:
    write(tmp_path, "fr", plurals={"{n} set": ["{n} série", "{n} séries"]})
    translation = i18n.load_translation("fr", tmp_path)
    assert [translation.plural_index(n) for n in (0, 1, 2)] == [0, 0, 1]


def test_region_and_missing_languages(tmp_path: Path) -> None:
    write(tmp_path, "de", messages={"Hold.": "Halten."})
    assert i18n.load_translation("de_AT", tmp_path).messages["Hold."] == "Halten."
    assert i18n.load_translation("de-CH", tmp_path).language == "de"
    assert i18n.load_translation("xx", tmp_path) is i18n.ENGLISH
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert i18n.load_translation("bad", tmp_path) is i18n.ENGLISH


def test_resolve_language_follows_system_then_setting() -> None:
    assert i18n.resolve_language("system", ["de-DE", "en-GB"]) == "de"
    assert i18n.resolve_language("system", ["fi-FI", "de-DE"]) == "de", "the first language we have"
    assert i18n.resolve_language("system", ["fi-FI"]) == "en"
    assert i18n.resolve_language("en", ["de-DE"]) == "en", "a choice in Settings wins over the system"
    assert i18n.resolve_language("de", ["en-US"]) == "de"
    assert i18n.resolve_language("xx", ["de-DE"]) == "en"


def test_available_languages_lists_german_by_its_own_name() -> None:
    assert ("de", "Deutsch") in i18n.available_languages()
    assert i18n.available_languages()[0] == ("en", "English")


def test_catalogue_overlay_translates_texts_and_keeps_the_rest() -> None:
    english = load_catalogue()
    i18n.set_language("de")
    german = load_catalogue()
    bridge_en, bridge_de = english.get("bridge"), german.get("bridge")
    assert bridge_de.name == "Brücke" and bridge_de.steps[0].text.startswith("Auf den Rücken")
    assert [step.moment for step in bridge_de.steps] == [step.moment for step in bridge_en.steps]
    knee_de = german.get("knee-to-chest")
    assert "Osteoporose" in knee_de.cautions[0] and len(knee_de.cautions) == 3
    assert (bridge_de.dose, bridge_de.gentler, bridge_de.hold_illustration) == (
        bridge_en.dose,
        bridge_en.gentler,
        bridge_en.hold_illustration,
    )
    i18n.set_language("en")
    assert load_catalogue().get("bridge").name == "Bridge", "the cache is per language"


def test_untranslated_catalogue_fields_stay_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "nl", catalogue={"bridge": {"name": "Brug", "steps": ["too few"]}})
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    i18n.set_language("nl")
    catalogue_module.clear_catalogue_cache()
    bridge = load_catalogue().get("bridge")
    assert bridge.name == "Brug"
    assert bridge.steps[0].text == "Lie on your back, knees bent, feet flat.", (
        "partial steps are not mixed in"
    )
    assert bridge.feel.startswith("Your buttocks")


def test_spoken_cues_and_safety_advice_are_translated() -> None:
    i18n.set_language("de")
    assert cue_text(SessionFinished(ended_early=False), "") == "Das war die ganze Einheit. Gut gemacht."
    assert (
        cue_text(SessionPaused(PauseReason.HURTS), "")
        == "Aufhören und ausruhen. Lösen Sie sich langsam aus der Haltung."
    )
    assert safety.pain_check(PainReport(back=8, leg=2)).message.startswith("Ihre Schmerzen sind gerade")
    i18n.set_language("en")
    assert safety.pain_check(PainReport(back=8, leg=2)).message == safety.RED_PAIN_ADVICE


def extract_command(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m sciatica_coach.i18n ARGS`, as a translator runs it. In a process of its own: Python 3.11's
    ast.parse can fail with "AST constructor recursion depth mismatch" (CPython issue 106905) in a process
    that has run many other tests, and the command never runs inside the app anyway."""
    return subprocess.run(
        [sys.executable, "-m", "sciatica_coach.i18n", *args],
        capture_output=True, text=True, timeout=120, check=False, env=dict(os.environ, PYTHONIOENCODING="utf-8"),
    )  # fmt: skip


def test_shipped_german_is_complete() -> None:
    result = extract_command("--extract", "de")
    count = int(result.stdout.split(" marked strings", 1)[0].split()[-1])
    assert count > 150, "the extraction finds the marked strings"
    assert "de: 0 missing, 0 catalogue texts missing" in result.stdout, result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


def test_german_keeps_placeholders_and_catalogue_limits() -> None:
    german = i18n.load_translation("de")
    for source, text in german.messages.items():
        assert set(_placeholders(source)) == set(_placeholders(text)), (source, text)
    for source, forms in german.plurals.items():
        assert all(set(_placeholders(source)) == set(_placeholders(form)) for form in forms), source
    for exercise_id, fields in german.catalogue.items():
        steps = fields["steps"]
        assert isinstance(steps, list) and len(steps) == len(load_catalogue().get(exercise_id).steps)
        assert all(len(step) <= catalogue_module.STEP_MAX_CHARS for step in steps), exercise_id
        assert len(str(fields["name"])) <= catalogue_module.NAME_MAX_CHARS
        for name in ("summary", "feel", "stop_if"):
            assert len(str(fields[name])) <= catalogue_module.TEXT_MAX_CHARS, (exercise_id, name)
        cautions = fields["cautions"]
        assert isinstance(cautions, list) and len(cautions) == len(load_catalogue().get(exercise_id).cautions)
        assert all(len(caution) <= catalogue_module.TEXT_MAX_CHARS for caution in cautions), exercise_id


def test_german_exercise_words_are_medically_careful() -> None:
    """The prone press-up is not a push-up, a gentle backward curve is not a posture fault ("Hohlkreuz"),
    and the pain scale's top end names the pain."""
    german = i18n.load_translation("de")
    press_up = german.catalogue["prone-press-up"]
    assert "Liegestütz" not in str(press_up["name"]) and "aufrichten" in str(press_up["name"])
    assert "Hohlkreuz" not in json.dumps(german.catalogue, ensure_ascii=False)
    assert german.messages["10 = the worst you can imagine"] == "10 = der schlimmste vorstellbare Schmerz"


def test_symptom_choices_keep_their_key_numbers() -> None:
    german = i18n.load_translation("de")
    for number in "123":
        [source] = [s for s in german.messages if s.startswith(f"{number}  ")]
        assert german.messages[source].startswith(f"{number}  ")


def test_extract_command_reports_missing() -> None:
    finnish = extract_command("--extract", "fi")
    assert finnish.returncode == 1, "a language with no file misses everything"
    assert "fi: 0 missing" not in finnish.stdout and "  missing: " in finnish.stdout
    usage = extract_command()
    assert usage.returncode == 2 and "usage:" in usage.stderr


def _placeholders(text: str) -> list[str]:
    import string

    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]


def storage_and_import_errors(folder: Path) -> tuple[str, str, str]:
    """A data-folder error, an import error (with a record problem) and a routine-file problem, as worded now."""
    from sciatica_coach.core.prescription import PrescriptionError, loads_prescription
    from sciatica_coach.storage.exchange import ExchangeError, parse_import
    from sciatica_coach.storage.repository import DATA_FILE, DataError, Repository

    folder.mkdir(exist_ok=True)
    (folder / DATA_FILE).write_text('{"meta": {"1": {"schema_version": 999}}}', encoding="utf-8")
    with pytest.raises(DataError) as data_error:
        Repository.open(folder)
    export = {"format": "sciatica-coach-history", "version": 1, "sessions": [{"id": "x"}]}
    with pytest.raises(ExchangeError) as import_error:
        parse_import(json.dumps(export).encode(), "backup.json")
    with pytest.raises(PrescriptionError) as routine_error:
        loads_prescription(b"", load_catalogue(), "routine.json")
    return str(data_error.value), str(import_error.value), str(routine_error.value)


def test_storage_and_import_messages_follow_the_language(tmp_path: Path) -> None:
    data, imported, routine = storage_and_import_errors(tmp_path / "en")
    assert "was saved by a newer version of Sciatica Coach" in data
    assert imported.startswith("backup.json could not be imported; nothing was changed. session 1 x:")
    assert "can't be used" in routine and "the file is empty" in routine

    i18n.set_language("de")
    data, imported, routine = storage_and_import_errors(tmp_path / "de")
    assert "wurde von einer neueren Version von Sciatica Coach gespeichert" in data and "999" in data
    assert imported.startswith(
        "backup.json konnte nicht importiert werden; es wurde nichts geändert. Einheit 1 x:"
    )
    assert "fehlt" in imported
    assert "kann nicht verwendet werden" in routine and "Die Datei ist leer" in routine

    i18n.set_language("en")  # the command line runs in the source language: English again
    assert storage_and_import_errors(tmp_path / "again")[1].startswith("backup.json could not be imported")


def test_routine_file_item_problems_follow_the_language() -> None:
    from sciatica_coach import i18n
    from sciatica_coach.core.catalogue import load_catalogue, parse_routine_items
    from sciatica_coach.core.model import Phase

    items = [{"exercise": "bridgee"}, {"exercise": "pelvic-tilt", "reps": 500}]
    english = parse_routine_items(items, Phase.STRENGTH, load_catalogue(), "plan.json")[1]
    assert 'field "exercise" names an unknown exercise "bridgee" (did you mean "bridge"?)' in english[0]
    i18n.set_language("de")
    german = parse_routine_items(items, Phase.STRENGTH, load_catalogue(), "plan.json")[1]
    assert "unbekannte Übung „bridgee“" in german[0]
    assert "muss eine ganze Zahl von 1 bis 50 sein" in german[1]


def test_extract_counts_the_lesson_texts_and_reports_a_missing_one() -> None:
    """The lessons' words come from assets/lessons.json at run time: the extraction takes them from there, so
    German has none unused, and a language without them is told which lesson and field."""
    lessons = json.loads(asset_path("lessons.json").read_text("utf-8"))["lessons"]
    first = lessons[0]
    german = extract_command("--extract", "de")
    assert f"unused: {first['title']!r}" not in german.stdout, german.stdout
    assert f"unused: {first['steps'][0]!r}" not in german.stdout
    finnish = extract_command("--extract", "fi")
    assert f"assets/lessons.json:{first['id']}.title: {first['title']!r}" in finnish.stdout, finnish.stdout
    assert f"assets/lessons.json:{first['id']}.steps 1: {first['steps'][0]!r}" in finnish.stdout
