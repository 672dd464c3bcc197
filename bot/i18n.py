"""Translations (gettext catalogs under locales/, read with Babel) and dates in the user's locale.

Catalogs are read from the .po files at start, so there is no compile step to forget.
Message ids are English; Japanese is the default language of the bot.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("ja", "en", "pt_BR", "vi", "zh_Hans")
DEFAULT_LANGUAGE = "ja"
# Each language by its own name: how the language buttons and menus show it, in every language.
LANGUAGE_NAMES = {
    "ja": "日本語",
    "en": "English",
    "pt_BR": "Português",
    "vi": "Tiếng Việt",
    "zh_Hans": "中文（简体）",
}
TOKYO = ZoneInfo("Asia/Tokyo")


def _(message: str) -> str:
    """Marks a string for extraction where it is declared; it is translated where it is used."""
    return message


@cache
def translations(language: str) -> NullTranslations:
    po = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


class Translator:
    """gettext for one language, plus Babel date formatting in Asia/Tokyo."""

    def __init__(self, language: str | None):
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._t = translations(self.language)

    def gettext(self, message: str, **params) -> str:
        text = self._t.gettext(message)
        return text.format(**params) if params else text

    def datetime(self, value: datetime, fmt: str = "medium") -> str:
        return format_datetime(value, fmt, tzinfo=TOKYO, locale=self.language)

    def date(self, value: datetime, fmt: str = "full") -> str:
        """The day of a moment, in Tokyo."""
        return self.day(value.astimezone(TOKYO).date(), fmt)

    def day(self, value: date, fmt: str = "medium") -> str:
        return format_date(value, fmt, locale=self.language)

    def short_day(self, value: date) -> str:
        """Month, day and weekday as the language writes them short: 12/8(火), Tue, 12/8."""
        return format_skeleton("MEd", value, locale=self.language)
