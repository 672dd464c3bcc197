"""Japanese text analysis for search: width and kana folding, Sudachi tokens with readings.

Every term is folded the same way on both sides (entries and questions): NFKC, lower case,
katakana → hiragana, 子供/子ども → こども. Each token is indexed by its surface, its dictionary
normalised form and its reading, so 「ほいくえん」 finds 「保育園」.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from sudachipy import SplitMode

from bot.sudachi import tokenizer
from bot.typed import fold_kana

_CHILD = re.compile(r"子供|子ども|こども|コドモ")
_SKIP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}
# Content words that say nothing about which service is meant.
STOP_TERMS = frozenset(
    "子 こ 行く いく 行ける いける ある いる やる する なる できる 出来る 知る しる 教える "
    "おしえる 探す さがす 欲しい ほしい 良い いい よい どこ 何処 何 なに なん いつ 所 ところ "
    "方法 ほうほう 場所 ばしょ 時 とき 事 こと もの 物 ため 人 ひと 今 いま 近く ちかく "
    "思う おもう 方 かた ん の 的 よう 様 くれる もらう 貰う 使う つかう 利用 りよう "
    "情報 じょうほう 一緒 いっしょ 連れる つれる 遊べる 大丈夫 だいじょうぶ みたい 感じ "
    "お 御 ご さん ちゃん くん 私 わたし うち 家 たち 達 です ます とこ 所 ところ 近所 きんじょ "
    "為る 有る 居る 成る 出来る 良い 遣る 行く 見える っけ なんか なんて ちょっと ちょい すごい "
    "めっちゃ めちゃ 誰 だれ 教えて ほんま ほんとう 本当 なまら でら ばり 超 すごく とても 結構 "
    "けっこう やっぱり やはり なり なっ".split()
)
# Question endings and verbs stripped before analysis so they never look like names.
_STOP_PHRASES = re.compile(
    r"(?:について|を?教えて(?:ください|下さい|ほしい)?|をおしえて|おしえて(?:ください)?|"
    r"(?:に|へ)?(?:行|い)(?:き|け)(?:たい|る|ます)(?:ところ|場所|とこ)?|"
    r"(?:は|って|が)?(?:ありますか|ある[?？の]?|あります|ない[?？]?|どこ|どこですか|"
    r"やってる|やっている|やってますか|してる|している)|"
    r"(?:し|知り)たい|したい|ですか|ますか|でしょうか|(?:かな|かしら)(?=[?？!！。、\s]|$)|ください|下さい|"
    r"ほしい|欲しい|探してる|探しています|さがしてる|[?？!！。、,.]+|"
    # how long something has gone on (何か月も, 何日も): no age, no service
    r"何(?:か|ヶ|ケ|カ|箇)?(?:月|日|年|週間|時間|回)も)"
)


# Regional and casual endings, folded to the standard form (or dropped) before analysis: they
# carry no service's name, and their letters would otherwise match names as bigrams.
_ENDINGS = [
    (
        re.compile(
            r"(?:じゃけぇ|じゃけえ|じゃけん|けぇ|けえ|やけん|やけ|やねん|ねん|やんか|やんけ|やで|"
            r"やろか|やろ|やん|とよ|っちゃ|ばい|たい(?=[?？!！。、\s]|$)|だべさ|だべ|べさ|べか|"
            r"だがや|だで|がや|でかん|だに|さー|さぁ|(?<!い)っしょ|でしょ|っぺ|だっちゃ|さかい|やさ|どす|じゃん|だよね|よね|だよ|だね|だっけ|っけ|"
            r"かなぁ|かなー|なぁ|なー|よー|ねー|わー|ー+(?=[?？!！。、\s]|$)|〜+|~+|w+(?=\s|$)|笑)"
            r"(?=[?？!！。、,\s]|$)"
        ),
        " ",
    ),
    (re.compile(r"じゃけぇ|じゃけえ|じゃけん|けぇ|けえ"), " "),
    (re.compile(r"(?<=[んのだ])やけど"), "けど"),  # 関西の「〜んやけど」, not a burn (やけど)
    (re.compile(r"(?<=[しっやい出来寝見])とる"), "ている"),
    (re.compile(r"(?<=[しっやい出来寝見])とった"), "ていた"),
    (re.compile(r"(?<=[しっやい出来寝見])とらん"), "ていない"),
    (re.compile(r"おらん|おらへん|おれへん"), "いない"),
    (
        re.compile(
            r"(?<=[かきさまらわがけせれめ])(?:へん|ひん)|(?<=[らめれ])ん(?=[けでよのと?？!！。、\s]|$)"
        ),
        "ない",
    ),
    (re.compile(r"あかん"), "だめ"),
]
# Slips people make typing a word they only heard: long vowels, small kana, ず/づ, じ/ぢ.
_SLIPS = str.maketrans(
    {
        "ぢ": "じ",
        "づ": "ず",
        "を": "お",
        "ゃ": "や",
        "ゅ": "ゆ",
        "ょ": "よ",
        "ぁ": "あ",
        "ぃ": "い",
        "ぅ": "う",
        "ぇ": "え",
        "ぉ": "お",
        "ゎ": "わ",
    }
)
_LONG = re.compile(
    r"[ーっ]|(?<=[おこそとのほもよろごぞどぼぽょ])[うお]|(?<=[えけせてねへめれげぜでべぺ])い"
    r"|(?<=[うくすつぬふむゆるぐずづぶぷゅ])う"
)


def fold_endings(text: str) -> str:
    """Dialect and casual endings in their standard form (「困っとる」 → 「困っている」,
    「休めん」 → 「休めない」) or dropped (「〜やねん」「〜じゃけぇ」「〜だべ」)."""
    for pattern, standard in _ENDINGS:
        text = pattern.sub(standard, text)
    return text


def slip_fold(kana: str) -> str:
    """A reading with the usual slips folded away (びょういん, びょーいん, びよいん alike)."""
    return _LONG.sub("", kana.translate(_SLIPS))


def nfkc(text: str) -> str:
    """Width folding and lower case, with 子供/子ども written こども (for Sudachi's input)."""
    return _CHILD.sub("こども", unicodedata.normalize("NFKC", text).lower())


def fold(text: str) -> str:
    """Width, case, kana and こども folding; the one normal form for comparing words."""
    return _CHILD.sub("こども", fold_kana(unicodedata.normalize("NFKC", text).lower()))


def strip_question(text: str) -> str:
    """Drop question endings (「…はどこ？」「…に行きたい」) so they do not match names."""
    return _STOP_PHRASES.sub(" ", text)


def bigrams(text: str) -> list[str]:
    t = re.sub(r"\s+", "", text)
    if len(t) == 1:
        return [t]
    return [t[i : i + 2] for i in range(len(t) - 1)]


@dataclass(frozen=True)
class Analysis:
    terms: list[str]  # surfaces, normalised forms and readings, folded
    reading: str  # the whole text read in hiragana (for bigrams and fuzzy matching)
    # Each content word (split mode C) with all its forms, common words included: for phrases.
    words: tuple[frozenset[str], ...] = ()
    forms: frozenset[str] = frozenset()  # every form of every content word, in both modes
    kanji: int = 0  # how many kanji the text has (none: typed in kana, read by its sound)


def _tokens_pos(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (m.surface(), tuple(m.part_of_speech())) for m in tokenizer().tokenize(text, SplitMode.C)
    ]


class Analyzer:
    """Sudachi (core dictionary) in split modes C and A; one tokenizer per thread."""

    def __init__(self) -> None:
        self._cache: dict[str, Analysis] = {}

    def parts(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """Each word of the text as written, with its part of speech (mode C)."""
        return _tokens_pos(text)

    def analyze(self, text: str) -> Analysis:
        """The text's terms, reading and words."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        plain = nfkc(text)
        tok = tokenizer()
        terms: list[str] = []
        reading: list[str] = []
        seen_in_c: set[str] = set()
        words: list[frozenset[str]] = []
        every: set[str] = set()
        for mode in (SplitMode.C, SplitMode.A):
            for m in tok.tokenize(plain, mode):
                pos = m.part_of_speech()[0]
                if mode is SplitMode.C and pos not in ("補助記号", "空白"):
                    read = m.reading_form()
                    # Latin is read letter by letter (えっくす…) and unknown words as キゴウ:
                    # keep their spelling instead.
                    keep = read and read != "キゴウ" and not m.surface().isascii()
                    reading.append(fold(read if keep else m.surface()))
                if pos in _SKIP_POS:
                    continue
                forms = {fold(m.surface()), fold(m.normalized_form())}
                if not m.surface().isascii():
                    forms.add(fold(m.reading_form()))
                every |= forms
                if mode is SplitMode.C:
                    words.append(frozenset(forms))
                forms -= STOP_TERMS
                if mode is SplitMode.A:
                    forms -= seen_in_c  # split mode A only adds the finer pieces
                terms.extend(f for f in sorted(forms) if f)
            seen_in_c = set(terms)
        kanji = sum("\u3400" <= c <= "\u9fff" for c in plain)
        result = Analysis(terms, "".join(reading), tuple(words), frozenset(every), kanji)
        if len(self._cache) < 50_000:  # entries repeat words; bounded so memory stays flat
            self._cache[text] = result
        return result


_analyzer: Analyzer | None = None
_lock = threading.Lock()


def analyzer() -> Analyzer:
    """The process-wide analyzer (loading the dictionary takes a moment, so do it once)."""
    global _analyzer
    with _lock:
        if _analyzer is None:
            _analyzer = Analyzer()
        return _analyzer
