"""The page's templates are translated like the Python strings (tests/test_i18n.py reads only
the .py files): every _("…") in bot/**/templates has a ja and an en translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]


def template_messages() -> set[str]:
    found = extract_from_dir(
        str(ROOT / "bot"),
        method_map=[("**/templates/**.html", "jinja2")],
        keywords={"_": None, "gettext": None},
    )
    return {message for _f, _l, message, _c, _ctx in found if isinstance(message, str)}


def test_the_templates_have_messages():
    assert {"Monthly figures", "Not signed in", "Apply"} <= template_messages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_message_is_translated(language):
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=language)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    assert sorted(template_messages() - translated) == []


def test_babel_cfg_extracts_the_templates_too():
    assert "[jinja2: **/templates/**.html]" in (ROOT / "babel.cfg").read_text()
