"""Translations for the whole app, Qt-free so the core (cues, safety wording, suggestions) can use them too.

A small gettext-like layer: strings are marked in the source with ``_("…")`` (translated where used),
``N_("…")`` (marked only: a module constant translated later with ``_(CONSTANT)``) and
``ngettext("one …", "{n} …", n)`` (plural forms). English is the source language, so with no translation
loaded every call returns its argument unchanged.

Translations live in ``assets/translations/<lang>.json``::

    {"language": "de", "name": "Deutsch",
     "messages": {"English text": "Übersetzung", …},
     "plurals": {"one form": ["Singular", "Plural"], …},   # keyed by the English singular
     "catalogue": {"<exercise id>": {"name": …, "summary": …, "steps": […], "feel": …, "stop_if": …,
                                     "cautions": […]}}}

The catalogue overlay translates the exercise texts by exercise id and field (see
``core.catalogue.load_catalogue``). ``python -m sciatica_coach.i18n --extract [lang]`` lists every marked
string and reports the ones a translation lacks (docs/translating.md). The posture lessons' words
(``assets/lessons.json``, read at run time and shown with ``_()``) count as marked strings too.
"""

from __future__ import annotations

import ast
import json
import logging
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sciatica_coach.assets import asset_path

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
SYSTEM = "system"  # the "language" setting's value for "follow the system"
CATALOGUE_FIELDS = ("name", "summary", "steps", "feel", "stop_if", "cautions")
MARKERS = ("_", "N_", "ngettext")
LESSONS_FILE = "lessons.json"  # its words are message keys: core/lessons.py translates them with _()
LESSON_TEXT_FIELDS = ("title", "steps", "take_care", "drawing_description")
# Weekday (Monday first) and month abbreviations for English text. Never strftime's %a and %b: they follow the C
# library's locale, which Qt sets to the system's when it starts (English text on a German system said "Mär").
ENGLISH_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Plural rules by language: which form (0, 1, …) a count takes. Languages not listed use the English rule.
_PLURAL_RULES: dict[str, Callable[[int], int]] = {
    "en": lambda n: 0 if n == 1 else 1,
    "de": lambda n: 0 if n == 1 else 1,
    "es": lambda n: 0 if n == 1 else 1,
    "fr": lambda n: 0 if n in (0, 1) else 1,
}


@dataclass(frozen=True)
class Translation:
    """One language's strings, as loaded from its JSON file."""

    language: str = SOURCE_LANGUAGE
    name: str = "English"
    messages: Mapping[str, str] = field(default_factory=dict)
    plurals: Mapping[str, Sequence[str]] = field(default_factory=dict)
    catalogue: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    def plural_index(self, n: int) -> int:
        return _PLURAL_RULES.get(self.language, _PLURAL_RULES["en"])(n)


ENGLISH = Translation()
_current: Translation = ENGLISH


def translations_dir() -> Path:
    return asset_path("translations")


def load_translation(language: str, folder: Path | None = None) -> Translation:
    """The translation for ``language`` ("de", "de_DE" and "de-AT" all find de.json); English if none."""
    base = language.replace("-", "_").split("_")[0].lower()
    if not base or base == SOURCE_LANGUAGE:
        return ENGLISH
    path = (folder or translations_dir()) / f"{base}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ENGLISH
    except (OSError, ValueError) as err:
        log.warning("Ignoring the unreadable translation %s: %s", path, err)
        return ENGLISH
    return Translation(
        language=base,
        name=str(data.get("name", base)),
        messages=dict(data.get("messages", {})),
        plurals={key: list(forms) for key, forms in data.get("plurals", {}).items()},
        catalogue=dict(data.get("catalogue", {})),
    )


def available_languages(folder: Path | None = None) -> list[tuple[str, str]]:
    """(code, name in that language) for English and every shipped translation, English first."""
    found = [(SOURCE_LANGUAGE, "English")]
    for path in sorted((folder or translations_dir()).glob("*.json")):
        translation = load_translation(path.stem, folder)
        if translation is not ENGLISH:
            found.append((translation.language, translation.name))
    return found


def resolve_language(setting: str, system_languages: Sequence[str]) -> str:
    """The language to use: the setting, or for "system" the first of the system's preferred languages
    (e.g. ["de-DE", "en-GB"], from QLocale.uiLanguages()) that has a translation; English otherwise."""
    shipped = {code for code, _name in available_languages()}
    if setting and setting != SYSTEM:
        base = setting.replace("-", "_").split("_")[0].lower()
        return base if base in shipped else SOURCE_LANGUAGE
    for wanted in system_languages:
        base = wanted.replace("-", "_").split("_")[0].lower()
        if base in shipped:
            return base
    return SOURCE_LANGUAGE


def set_language(language: str) -> Translation:
    """Use ``language`` from now on (for strings translated after this call); returns the translation."""
    global _current  # noqa: PLW0603 - the one language of the running app
    _current = load_translation(language)
    return _current


def current_language() -> str:
    return _current.language


@contextmanager
def source_language() -> Iterator[None]:
    """English for the duration of a ``with`` block, whatever the app shows (the PDF report stays English)."""
    global _current  # noqa: PLW0603 - swapped for the block, put back after
    saved, _current = _current, ENGLISH
    try:
        yield
    finally:
        _current = saved


def current_translation() -> Translation:
    return _current


def _(message: str) -> str:
    """``message`` in the current language (itself when untranslated)."""
    translated = _current.messages.get(message)
    return translated if translated else message


def N_(message: str) -> str:
    """Marks a string for translation without translating it (translate where it is used: ``_(X)``)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for a count ``n``; placeholders such as ``{n}`` are filled by the caller."""
    forms = _current.plurals.get(singular)
    if forms:
        index = _current.plural_index(n)
        if 0 <= index < len(forms) and forms[index]:
            return forms[index]
    return singular if ENGLISH.plural_index(n) == 0 else plural


def exercise_text(exercise_id: str, field_name: str, english: str) -> str:
    """One text field of a catalogue exercise in the current language (``english`` when untranslated)."""
    value = _current.catalogue.get(exercise_id, {}).get(field_name)
    return value if isinstance(value, str) and value else english


def exercise_steps(exercise_id: str, english: Sequence[str], field_name: str = "steps") -> tuple[str, ...]:
    """The steps (or another list field, e.g. "cautions") of an exercise in the current language; English
    unless the translation has all of them, in the same order."""
    value = _current.catalogue.get(exercise_id, {}).get(field_name)
    if (
        isinstance(value, list)
        and len(value) == len(english)
        and all(isinstance(s, str) and s for s in value)
    ):
        return tuple(value)
    return tuple(english)


# --- extraction ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marked:
    """A string marked for translation in the source."""

    text: str
    plural: str | None
    where: str  # "path:line"


def extract(root: Path) -> list[Marked]:
    """Every string marked with ``_``, ``N_`` or ``ngettext`` in the Python files under ``root``."""
    found: list[Marked] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in MARKERS or not node.args:
                continue
            args = [
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args
            ]
            if args[0] is None:
                continue  # _(VARIABLE): the constant is marked where it is defined
            plural = args[1] if node.func.id == "ngettext" and len(args) > 1 else None
            found.append(Marked(args[0], plural, f"{path.relative_to(root.parent)}:{node.lineno}"))
    return found


def extract_lessons(path: Path) -> list[Marked]:
    """Every text of the lessons file (title, steps, take care, drawing description), as marked strings
    located by lesson and field ("assets/lessons.json:bed.steps 2"). A file that can't be read gives none:
    the app's own check (core/lessons.py) reports it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("could not read %s for extraction", path)
        return []
    lessons = data.get("lessons") if isinstance(data, dict) else None
    found: list[Marked] = []
    for number, lesson in enumerate(lessons if isinstance(lessons, list) else [], start=1):
        if not isinstance(lesson, dict):
            continue
        name = f"{path.parent.name}/{path.name}:{lesson.get('id', number)}"
        for field_name in LESSON_TEXT_FIELDS:
            value = lesson.get(field_name)
            texts = value if isinstance(value, list) else [value]
            for n, text in enumerate(texts, start=1):
                if isinstance(text, str) and text.strip():
                    where = f"{name}.{field_name}" + (f" {n}" if isinstance(value, list) else "")
                    found.append(Marked(text.strip(), None, where))
    return found


def missing_translations(marked: Sequence[Marked], translation: Translation) -> list[Marked]:
    """The marked strings ``translation`` does not translate."""
    missing = []
    for item in marked:
        if item.plural is not None:
            if not translation.plurals.get(item.text):
                missing.append(item)
        elif not translation.messages.get(item.text):
            missing.append(item)
    return missing


def missing_catalogue_texts(catalogue_ids: Sequence[str], translation: Translation) -> list[str]:
    """ "<id>.<field>" for every catalogue text the translation lacks."""
    return [
        f"{exercise_id}.{name}"
        for exercise_id in catalogue_ids
        for name in CATALOGUE_FIELDS
        if not _has_text(translation.catalogue.get(exercise_id, {}), name)
    ]


def _has_text(entry: Mapping[str, object], name: str) -> bool:
    """A field is there: a text must not be empty; a list of cautions may be (not every exercise has one)."""
    return name in entry if name == "cautions" else bool(entry.get(name))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "--extract":
        print("usage: python -m sciatica_coach.i18n --extract [LANG ...]", file=sys.stderr)
        return 2
    package = Path(__file__).resolve().parent
    marked = extract(package) + extract_lessons(asset_path(LESSONS_FILE))
    unique = {(m.text, m.plural) for m in marked}
    print(f"{len(unique)} marked strings in {package.name}/ and {LESSONS_FILE}")
    languages = args[1:] or [code for code, _name in available_languages() if code != SOURCE_LANGUAGE]
    catalogue_ids = [
        e["id"] for e in json.loads(asset_path("catalogue.json").read_text("utf-8"))["exercises"]
    ]
    problems = 0
    for language in languages:
        translation = load_translation(language)
        missing = missing_translations(marked, translation)
        missing_ids = missing_catalogue_texts(catalogue_ids, translation)
        known = {m.text for m in marked}
        unused = sorted(set(translation.messages) - known) + sorted(set(translation.plurals) - known)
        print(f"\n{language}: {len({m.text for m in missing})} missing, {len(missing_ids)} catalogue texts "
              f"missing, {len(unused)} unused")  # fmt: skip
        seen: set[str] = set()
        for item in missing:
            if item.text not in seen:
                seen.add(item.text)
                kind = " (plural)" if item.plural is not None else ""
                print(f"  missing{kind}: {item.where}: {item.text!r}")
        for name in missing_ids:
            print(f"  missing catalogue text: {name}")
        for text in unused:
            print(f"  unused: {text!r}")
        problems += len(seen) + len(missing_ids)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
