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


# Vietnamese typed without accents (「nha tre o dau」) has none of its own letters, and a letter
# model trained on accented text reads it as English. It is told by its shape instead: words of
# one syllable each, built as Vietnamese builds them (an initial such as ng, nh, kh, tr, a vowel
# cluster, an ending among c ch m n ng nh p t), and common words only Vietnamese has.
SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:[aeiouy]{1,3})(?:ng|nh|ch|[cmnpt])?"
)
VIETNAMESE_PLAIN = set(
    "khong duoc nha tre muon dang ky nao dau chua biet noi lam gui tuoi thang tieng bi sot "
    "benh vien hoc truong toi cua nhieu bao vay nhe oi roi voi nhung cac mot khi ngay tuan gio "
    "chau hoi giup minh ban choi mien phi kham tiem con be em anh chi o di ve".split()
)
DISTINCT_PLAIN = VIETNAMESE_PLAIN - set("o di ve be em anh chi con ban mot gio".split())
SHAPE_SHARE = 0.85  # of the words, in the Vietnamese syllable shape


def _vietnamese_without_accents(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.casefold())
    if len(words) < MIN_WORDS:
        return False
    shaped = sum(bool(SYLLABLE.fullmatch(w)) for w in words)
    return shaped >= SHAPE_SHARE * len(words) and len(set(words) & DISTINCT_PLAIN) >= 2


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
    if len(VIETNAMESE.findall(text)) >= 2 or _vietnamese_without_accents(text):
        return "vi"
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < CONFIDENCE:
        return None
    code = CODES.get(values[0].language.name.lower())
    words = set(re.findall(r"[a-zà-ỹ]+", text.casefold()))
    return code if code and words & FUNCTION_WORDS[code] else None
