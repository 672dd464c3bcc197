"""Questions in the bot's other languages, turned into Japanese search words.

The knowledge base is Japanese; a parent may write 「where is a daycare for my 2 year old on
saturday?」, 「creche perto da zona norte」, 「nhà trẻ cho bé 1 tuổi」 or 「托儿所怎么申请」. Before
the Japanese search runs, ``japanese_query`` reads such a question with the city's multilingual
vocabulary (``multilingual.yaml`` beside the city file: each phrase → the Japanese words it
means), the areas' names in each language, and the ages, weekdays and days said in it, and
gives the Japanese words: 「2歳 土曜 保育園」. The search then reads those as it reads a Japanese
question (ages, weekdays and areas become filters). A Japanese question is left as it is; so
are the Japanese words a foreign parent mixes in (「where do I get the 母子手帳」).

Matching is on folded text: lower case, width folded, and, for phrases long enough not to
collide, with accents taken off (Vietnamese and Portuguese typed without them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.knowledge.english import WORD, plural, stem, stem_pattern, stem_text

LANGUAGES = ("en", "pt_BR", "vi", "zh_Hans")
KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\uff66-\uff9f]")
HAN = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[a-zà-ỹ]", re.IGNORECASE)
JAPANESE_RUN = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u9fff々〆・ー]{2,}")
MIN_PLAIN = 6  # an accent-free phrase shorter than this collides too often (ba / bà / bá)

WEEKDAYS = {
    0: ("monday", "segunda", "segunda-feira", "thứ hai", "thứ 2", "星期一", "周一", "礼拜一"),
    1: ("tuesday", "terça", "terça-feira", "thứ ba", "thứ 3", "星期二", "周二", "礼拜二"),
    2: ("wednesday", "quarta", "quarta-feira", "thứ tư", "thứ 4", "星期三", "周三", "礼拜三"),
    3: ("thursday", "quinta", "quinta-feira", "thứ năm", "thứ 5", "星期四", "周四", "礼拜四"),
    4: ("friday", "sexta", "sexta-feira", "thứ sáu", "thứ 6", "星期五", "周五", "礼拜五"),
    5: ("saturday", "sábado", "sabado", "thứ bảy", "thứ 7", "星期六", "周六", "礼拜六"),
    6: ("sunday", "domingo", "chủ nhật", "星期日", "星期天", "周日", "礼拜天", "礼拜日"),
}
JA_WEEKDAYS = ("月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜")
DAYS = {
    "週末": ("weekend", "weekends", "fim de semana", "fins de semana", "cuối tuần", "周末"),
    "平日": ("weekday", "weekdays", "dia de semana", "dias úteis", "ngày thường", "工作日"),
    "今日": ("today", "hoje", "hôm nay", "今天"),
    "明日": ("tomorrow", "amanhã", "ngày mai", "明天"),
}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "tres": 3, "quatro": 4, "cinco": 5,
    "seis": 6, "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6,
    "一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
}  # fmt: skip
_NUM = r"(\d{1,2}|one|two|three|four|five|six|um|uma|dois|duas|três|tres|quatro|cinco|seis|một|hai|ba|bốn|năm|sáu|[一两二三四五六])"  # noqa: E501
AGES = (
    # years: "2 years old", "2-year-old", "2yo", "2 anos", "2 tuổi", "2岁"
    (
        re.compile(
            _NUM + r"\s*(?:-\s*)?(?:years?|yrs?|y/?o\b|anos?\b|tuổi|tuoi\b|岁|周岁)"
            # "and a half": 「1歳半」 (the 18-month check)
            r"(\s*(?:and a half|e meio|e meia|rưỡi|ruoi\b|半))?"
        ),
        "歳",
    ),
    # months: "6 months", "6 meses", "6 tháng", "6个月"
    (
        re.compile(
            _NUM + r"\s*(?:-\s*)?(?:months?|mos?\b|m[eê]s(?:es)?\b|tháng|thang\b|个月|個月)"
        ),
        "か月",
    ),
)


# A fever as a number (「39,5」, 「38.5°C」, 「38 graus」, 「39 độ」, 「38度」; not 「38 weeks」),
# and the small hours (「2 da manhã」, 「3h sáng」): the Japanese words the needs read.
TEMPERATURE = re.compile(
    r"(?<![\d.,])(?:3[89]|4[01])(?:[.,]\d)?\s*(?:°|℃|graus?\b|độ|do\b|度)"
    r"|(?<![\d.,])(?:3[89]|40)[.,]\d(?![\d.,])"
)
SMALL_HOURS = re.compile(
    r"(?<![\d:])[0-4]\s*(?:h\s*)?(?:da manhã|da madrugada|giờ sáng|giờ đêm|gio sang)"
)
# Vietnamese typed without its marks: common words of the language, none of them English or
# Portuguese; with a few of them, the short words of the vocabulary are matched without marks too.
VIETNAMESE_PLAIN = frozenset(
    "khong ko duoc cua minh nguoi nao dau roi bi toi voi muon nhe oi nen dang lam gi cho con "
    "be em nha vay thi ma sao".split()
)
# Adverbs a Chinese phrase may hold between its characters (说话〈还〉不清楚, 不〈太〉会说话).
CHINESE_GAP = "(?:还是|有点|一直|已经|特别|非常|比较|不太|[还也很太都总老又再就才真])?"
PLAIN_COMMON = VIETNAMESE_PLAIN | frozenset("mua tien choi nhay sach tam hoc".split())


@dataclass
class Vocabulary:
    """The city's multilingual words, folded and sorted for matching (longest first)."""

    phrases: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)
    # (folded phrase, the same without accents or "" when too short, language or "any",
    #  Japanese words)
    # English phrases by their stems (「move」 finds 「moving」, 「cries」 finds 「cry」): (the
    # longest stem, to look for first, the pattern on stemmed text, Japanese words).
    # …and Chinese phrases with an adverb in them: (their first character, pattern, words).
    inflected: list[tuple[str, re.Pattern, tuple[str, ...]]] = field(default_factory=list)
    # Vietnamese phrases too short to be matched without marks in any question (ốm, sốt,
    # khám): (the phrase without marks, Japanese words), for a question typed all without.
    short_vi: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @classmethod
    def build(cls, raw: Mapping | None, areas: Mapping[str, str] | None = None) -> Vocabulary:
        """``raw``: multilingual.yaml's content; ``areas``: area id → its Japanese name."""
        raw = raw or {}
        found: dict[tuple[str, str], list[str]] = {}

        def add(language: str, phrase: str, japanese: list[str]) -> None:
            key = (fold(str(phrase)), language)
            if key[0]:
                words = found.setdefault(key, [])
                words += [w for w in japanese if w not in words]

        for japanese, by_language in (raw.get("terms") or {}).items():
            words = str(japanese).split()
            for language, phrases in (by_language or {}).items():
                for phrase in phrases or ():
                    add(str(language), phrase, words)
        for area_id, by_language in (raw.get("areas") or {}).items():
            name = (areas or {}).get(str(area_id))
            if not name:
                continue
            for language, phrases in (by_language or {}).items():
                for phrase in phrases or ():
                    add(str(language), phrase, [name])
        for day, words in enumerate(JA_WEEKDAYS):
            for phrase in WEEKDAYS[day]:
                add("any", phrase, [words])
        for japanese, phrases in DAYS.items():
            for phrase in phrases:
                add("any", phrase, [japanese])
        ordered = sorted(found.items(), key=lambda item: -len(item[0][0]))
        return cls(
            [
                (phrase, _plain(phrase), language, tuple(words))
                for (phrase, language), words in ordered
            ],
            [
                (max(stems, key=len), stem_pattern(phrase, LETTER), tuple(words))
                for (phrase, language), words in ordered
                if language == "en"
                and not plural(phrase)
                and (stems := [stem(w) for w in WORD.findall(phrase)])
            ]
            + [  # Chinese phrases with an adverb between their characters (说话还不清楚)
                (phrase[0], re.compile(CHINESE_GAP.join(map(re.escape, phrase))), tuple(words))
                for (phrase, language), words in ordered
                if language == "zh_Hans" and len(phrase) >= 3 and HAN.fullmatch(phrase[0])
            ],
            [
                (strip_accents(phrase), tuple(words))
                for (phrase, language), words in ordered
                if language == "vi" and len(phrase) < MIN_PLAIN and _distinct(strip_accents(phrase))
            ],
        )

    def to_japanese(self, question: str) -> str | None:
        """The Japanese search words for a question in another language; None when the
        question is Japanese (or says nothing this vocabulary knows)."""
        text = fold(question)
        if KANA.search(text):
            return None  # Japanese: the search reads it as it is
        han_only = bool(HAN.search(text)) and not LATIN.search(text)
        # Japanese written in kanji only (「北地区 日曜 病児保育」) is read as it is, unless our
        # Chinese words make up all of it (「家庭支援中心」): then their Japanese is searched.
        shared = han_only and not _chinese(text)
        words: list[str] = []
        for age in _ages(text):
            _add(words, age)
        for pattern, japanese in ((TEMPERATURE, "熱"), (SMALL_HOURS, "夜間")):
            if pattern.search(text):
                _add(words, japanese)
        taken, taken_plain = text, strip_accents(text)
        for phrase, plain, language, japanese in self.phrases:
            if han_only and language not in ("zh_Hans", "any"):
                continue
            hit = _find(taken, phrase) if phrase in taken else None
            if hit is None and plain and plain in taken_plain:
                hit = _find(taken_plain, plain)
            if hit is None:
                continue
            start, end = hit
            blank = " " * (end - start)  # a word counts once
            taken = taken[:start] + blank + taken[end:]
            taken_plain = taken_plain[:start] + blank + taken_plain[end:]
            for w in japanese:
                _add(words, w)
        # then English words in another form than the vocabulary's, Chinese with an adverb
        taken = self._inflected(words, taken)
        if text.isascii() and len(VIETNAMESE_PLAIN.intersection(text.split())) >= 3:
            for plain, japanese in self.short_vi:  # Vietnamese without its marks
                if plain in taken and (hit := _find(taken, plain)):
                    taken = taken[: hit[0]] + " " * (hit[1] - hit[0]) + taken[hit[1] :]
                    for w in japanese:
                        _add(words, w)
        if shared:
            left = HAN.search(taken)
            return " ".join(words) if words and not left else None
        if _chinese(text) and len(words) == len(_ages(text)):
            self._chinese_left(words, taken)  # only when our Chinese words found nothing
        if han_only:
            # All in Chinese characters: Chinese if our Chinese words were found, else Japanese
            # written in kanji only (「保育園申込」), which the search reads as it is.
            return " ".join(words) if words else None
        # Japanese words mixed into a question in another language are kept as they are.
        for run in JAPANESE_RUN.findall(question):
            _add(words, run)
        return " ".join(words) if words else None

    def _inflected(self, words: list[str], taken: str) -> str:
        """What the phrases as written left, read by English stems: each phrase found adds its
        Japanese words, and is blanked out of what is returned."""
        stemmed = stem_text(taken)
        for key, pattern, japanese in self.inflected:
            if key not in stemmed or (m := pattern.search(stemmed)) is None:
                continue
            blank = " " * (m.end() - m.start())
            stemmed = stemmed[: m.start()] + blank + stemmed[m.end() :]
            taken = taken[: m.start()] + blank + taken[m.end() :]
            for w in japanese:
                _add(words, w)
        return taken

    def _chinese_left(self, words: list[str], taken: str) -> None:
        """Chinese words the vocabulary lacks, in Japanese characters (「离乳食」 → 離乳食,
        「预防接种」 → 予防接種): many names of services are the same words in both languages."""
        for run in CHINESE_FUNCTION.split(HAN_LEFT.sub(" ", taken)):
            if len(run.strip()) >= 2:
                _add(words, run.strip().translate(TO_JAPANESE))


def is_japanese(text: str) -> bool:
    """Whether a question is written in Japanese: kana, or kanji that are not Chinese."""
    if KANA.search(text):
        return True
    return bool(HAN.search(text)) and not LATIN.search(text) and not _chinese(text)


# 孩 (孩子) and 很 are in Japanese character sets but all but unused in Japanese writing.
CHINESE_WORDS = set("的吗呢吧们这哪么怎啊呀嘛儿个没我你您他她离孩很")
# Function words and verbs around a Chinese question's content words, and the simplified
# characters of child-rearing words with their Japanese forms.
CHINESE_FUNCTION = re.compile(
    r"(?:孩子|宝宝|小孩|[的吗呢吧们这那哪么怎啊呀嘛个没我你您他她在是有要想去可以什几点了和跟给把被很"
    r"都也就还能会用找办吃做到说看带让过多少哪里时候\s])+"
)
HAN_LEFT = re.compile(r"[^\u3400-\u9fff]+")
TO_JAPANESE = str.maketrans(
    "离儿检园护疗费补预诊种发达谈访问产妇动亲乐馆师龄岁时间绍请书证门长养齿课语华",
    "離児検園護療費補予診種発達談訪問産婦動親楽館師齢歳時間紹請書証門長養歯課語華",
)
# 了 closing a verb (吐了, 发烧了); Japanese writes it only in words (完了, 終了, 修了 …).
CHINESE_LE = re.compile(r"(?<![完終修満魅投校読未])了")


def _chinese(text: str) -> bool:
    """Chinese rather than Japanese in kanji: a simplified character (one Japanese does not
    write: 儿, 补, 发 …) or a Chinese function word (的, 吗, 怎么 …, 了 after a verb)."""
    if CHINESE_LE.search(text):
        return True
    for ch in text:
        if ch in CHINESE_WORDS:
            return True
        if HAN.match(ch):
            try:
                ch.encode("shift_jis")
            except UnicodeEncodeError:
                return True
    return False


def _distinct(plain: str) -> bool:
    """A short Vietnamese word that stays itself without its marks: four letters or more (khám,
    răng, tiêm) or sốt and bầu, not only common words (cho is also chó, mua mưa, em be any baby)."""
    return (len(plain) >= 4 or plain in ("sot", "bau")) and not PLAIN_COMMON.issuperset(
        plain.split()
    )


def _plain(phrase: str) -> str:
    """The accent-free form matched too, for phrases long enough not to collide."""
    if len(phrase) < MIN_PLAIN or HAN.search(phrase):
        return ""
    return strip_accents(phrase)


def _add(words: list[str], word: str) -> None:
    if word not in words:
        words.append(word)


def _ages(text: str) -> list[str]:
    out = []
    for pattern, unit in AGES:
        for m in pattern.finditer(text):
            raw = m.group(1)
            n = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw)
            if n is not None:
                half = unit == "歳" and m.lastindex and m.lastindex > 1 and m.group(2)
                out.append(f"{n}{unit}半" if half else f"{n}{unit}")
    return out


LETTER = r"[0-9a-zà-ỹ_]"


def _find(text: str, phrase: str) -> tuple[int, int] | None:
    """Where a phrase is in the text: whole words for letters (a plural -s or -es allowed),
    anywhere for Chinese characters."""
    if HAN.search(phrase) or not phrase[:1].isalnum() and not phrase[-1:].isalnum():
        at = text.find(phrase)
        return (at, at + len(phrase)) if at >= 0 else None
    # Only letters and digits bound a word: romanised Japanese is typed straight after Chinese
    # (「famisapo怎么注册」, 「申请hoikuen」).
    m = re.search(rf"(?<!{LETTER})" + re.escape(phrase) + rf"(?:s|es)?(?!{LETTER})", text)
    return m.span() if m else None


def fold(text: str) -> str:
    """Width and case folded, apostrophes dropped (「dont」 as 「don't」), spaces single."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "").replace("'", "")
    return re.sub(r"\s+", " ", text).strip()


def strip_accents(text: str) -> str:
    """「nhà trẻ」 → 「nha tre」, 「creche」 for 「crèche」; length kept (one letter for one)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
        else:
            out.append(base if base.isascii() and base.isalpha() else ch)
    return "".join(out)


_BUILT: dict[int, tuple[object, Vocabulary]] = {}  # one vocabulary per City object


def _vocabulary(city) -> Vocabulary:
    held = _BUILT.get(id(city))
    if held is None or held[0] is not city:
        if len(_BUILT) >= 8:
            _BUILT.clear()
        areas = {a.id: a.name for a in city.areas}
        held = _BUILT[id(city)] = (city, Vocabulary.build(city.multilingual, areas))
    return held[1]


def japanese_query(question: str, city) -> str:
    """What the Japanese search should read for a question: the question itself when it is
    Japanese, else the Japanese words it means (or the question, if none is known)."""
    if city is None:
        return question
    return _vocabulary(city).to_japanese(question) or question


def glosses(city, name: str, categories: tuple[str, ...]) -> dict[str, str]:
    """What a card says under an entry's Japanese name in each language: the kind of service
    and a short description (``kinds`` in the city's multilingual.yaml), by a word of the name
    first, else by the entry's first category that has one; {} when none is known."""
    kinds = (getattr(city, "multilingual", None) or {}).get("kinds") or {}
    for word, by_language in (kinds.get("names") or {}).items():
        if str(word) in name:
            return {str(k): str(v) for k, v in (by_language or {}).items()}
    for category in categories:
        by_language = (kinds.get("categories") or {}).get(category)
        if by_language:
            return {str(k): str(v) for k, v in by_language.items()}
    return {}
