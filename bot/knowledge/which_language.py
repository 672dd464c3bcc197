"""Which of the bot's languages a message is written in, when that can be told.

Used to offer a parent the language they write in (never to switch on its own). It answers
None whenever it cannot be sure: a short message (「ok」「hi」「ありがとう」 say nothing about a
language), kanji without kana (Japanese or Chinese?), mixed or unclear text.

The scripts decide first, by rule: kana is Japanese; Vietnamese has letters no other of our
languages has (ơ ư ă đ, the dot below); Chinese characters count as Chinese only with a
simplified character or a Chinese function word (``multilingual._chinese``). Latin text left
(English or Portuguese, or Vietnamese typed without accents) goes to lingua
(``lingua-language-detector``, its models in the wheel), restricted to those three languages
and in its low-accuracy mode: about 13 MB in the process instead of 75 (measured; see
docs/quality.md), built once per process on first use.
"""

from __future__ import annotations

import re
from functools import cache

from bot.knowledge.multilingual import HAN, KANA, _chinese

MIN_LETTERS = 12  # Latin letters: fewer say too little (「ok」「hi」「obrigada」)
MIN_WORDS = 3
MIN_HAN = 4  # Chinese characters
MIN_JAPANESE = 8  # kana and kanji (「ありがとう」 is said in every language)
CONFIDENCE = 0.9
VIETNAMESE = re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĩũ]", re.IGNORECASE)
LETTER = re.compile(r"[a-zà-ỹ]", re.IGNORECASE)


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = (Language.ENGLISH, Language.PORTUGUESE, Language.VIETNAMESE)
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


CODES = dict(english="en", portuguese="pt_BR", vietnamese="vi")  # lingua's names, lower case
# A guess is kept only when the message has one of that language's small words too: Vietnamese
# typed without accents (「nha tre o dau」) can look like anything to a letter model.
FUNCTION_WORDS = {
    "en": set("the is are my i a an to for and where how what can do does in of with".split()),
    "pt_BR": set(
        "o a os as de do da que meu minha para com não por um uma é está onde como".split()
    ),
    "vi": set("con toi cua la co khong o dau nao gi cho va be me".split()),
}


def detect(text: str) -> str | None:
    """The language code ("ja", "en", "pt_BR", "vi", "zh_Hans") a message is surely in,
    else None."""
    if KANA.search(text):
        return "ja" if len(KANA.findall(text)) + len(HAN.findall(text)) >= MIN_JAPANESE else None
    han = HAN.findall(text)
    letters = LETTER.findall(text)
    if han and letters:
        return None  # mixed: a foreign parent quoting a Japanese word, or the reverse
    if han:
        return "zh_Hans" if len(han) >= MIN_HAN and _chinese(text) else None
    if len(letters) < MIN_LETTERS or len(text.split()) < MIN_WORDS:
        return None
    if len(VIETNAMESE.findall(text)) >= 2:
        return "vi"
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < CONFIDENCE:
        return None
    code = CODES.get(values[0].language.name.lower())
    words = set(re.findall(r"[a-zà-ỹ]+", text.casefold()))
    return code if code and words & FUNCTION_WORDS[code] else None
