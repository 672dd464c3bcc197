"""Answers several dialogs offer: the child's stage, the area, the weekday."""

from __future__ import annotations

import re

from bot.ages import read_age
from bot.dialogs.engine import Choice, Context
from bot.i18n import _
from bot.typed import fold, fold_kana, nfkc
from bot.vocabulary import STAGE_LABELS, Stage

STAGE_CHOICES = [Choice(code, label) for code, label in STAGE_LABELS.items()]

ANY = "any"  # the value of "any day" and "anywhere"
WEEKDAY_CHOICES = [Choice(ANY, _("Any day"))] + [
    Choice(str(i), label)
    for i, label in enumerate(
        [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    )
]


def area_choices(ctx: Context) -> list[Choice]:
    """The city's areas, named in the person's language where the city file gives one."""
    return [Choice(a.id, a.label(ctx.t.language)) for a in ctx.city.areas]


def area_or_anywhere(ctx: Context) -> list[Choice]:
    return [*area_choices(ctx), Choice(ANY, _("Anywhere"))]


def read_stage(ctx: Context, typed: str) -> str | None:
    """A stage from a typed age or stage word (「1さい」「2歳半」「にんしんちゅう」); None when it
    says none, or more than one."""
    age = read_age(fold_kana(nfkc(typed)))
    if age is None or len(age.stages) != 1:
        return None
    return Stage(next(iter(age.stages))).value


_DAYS = "月火水木金土日"
_DAY = re.compile(
    r"^([月火水木金土日])(?:曜|よう)?(?:日|び)?$|^(げつ|か|すい|もく|きん|ど|にち)ようび?$"
)
_POLITE = re.compile(r"(?:がいい|でお願いします|がいいです|です|で)?[。!！]*$")
_HIRA_DAYS = ["げつ", "か", "すい", "もく", "きん", "ど", "にち"]


def read_weekday(ctx: Context, typed: str) -> str | None:
    """A weekday typed as 「土曜」「どようび」「土」; None for anything else."""
    m = _DAY.match(_POLITE.sub("", fold_kana(nfkc(typed)).strip()))
    if not m:
        return None
    return str(_DAYS.index(m[1]) if m[1] else _HIRA_DAYS.index(m[2]))


def read_area(ctx: Context, typed: str) -> str | None:
    """An area typed by its name, reading, a town in it, or casually (「北区」「北のほう」)."""
    said = fold(typed)
    for area in ctx.city.areas:
        names = (area.name, area.kana, *area.towns, *area.casual_names)
        if any(n and fold(n) in said for n in names):
            return area.id
    return None
