"""Every user-facing string has a translation in every locale; dates follow the user's locale."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES_DIR, Translator

ROOT = Path(__file__).resolve().parent.parent


def source_messages() -> set[str]:
    found = extract_from_dir(
        str(ROOT / "bot"), method_map=[("**.py", "python")], keywords={"_": None, "gettext": None}
    )
    return {
        message for _file, _line, message, _comments, _context in found if isinstance(message, str)
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=language)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    assert sorted(source_messages() - translated) == []


def test_source_has_messages():
    assert "Which language shall I use?" in source_messages()


def test_dates_in_the_users_locale_and_tokyo_time():
    moment = datetime(2027, 1, 11, 15, 30, tzinfo=UTC)  # 00:30 on the 12th in Tokyo
    assert Translator("ja").date(moment) == "2027年1月12日火曜日"
    assert Translator("en").date(moment) == "Tuesday, January 12, 2027"
    assert "0:30" in Translator("ja").datetime(moment)


def test_unknown_language_falls_back_to_japanese():
    assert Translator("xx").gettext("Help") == "ヘルプ"
    assert Translator("en").gettext("Help") == "Help"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_button_label_fits_line_in_every_language(language):
    """LINE cuts a quick-reply label at 20 characters; ours must fit, translated."""
    from bot.app import chat_router

    t = Translator(language)
    too_long = []
    for dialog in chat_router().dialogs.values():
        for step in dialog.asks:
            if callable(step.choices):
                continue  # made from the city file (area names) at run time
            for choice in step.choices:
                label = t.gettext(choice.label)
                if len(label) > 20:
                    too_long.append((dialog.name, step.name, label))
    assert too_long == []
