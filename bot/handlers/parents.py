"""Parents' self-service: a question in their own words, "more" on a card, this week's salons.

Every answer is honest about how good the match is: when nothing fits well, the closest
entries are shown as such, with an offer to ask a specialist.
"""

from __future__ import annotations

from datetime import date

from bot.dialogs.choices import STAGE_LABELS, area_name
from bot.dialogs.engine import Context, encode_postback
from bot.handlers.commands import fold
from bot.handlers.registry import button_command
from bot.handlers.turn import Turn
from bot.i18n import TOKYO, Translator, _
from bot.messaging.builders import Action, Message, postback, text, uri_action
from bot.messaging.flex import carousel

# Below this BM25 score a hit is shown as "closest", not as an answer (a greeting scores ~2,
# the weakest real question in the evaluation set well above 3).
GOOD_SCORE = 2.5
GREETINGS = {
    "こんにちは",
    "こんばんは",
    "おはよう",
    "おはようございます",
    "はじめまして",
    "hello",
    "hi",
    "やあ",
    "もしもし",
}
THANKS = {
    "ありがとう",
    "ありがとうございます",
    "ありがとうございました",
    "thanks",
    "thank you",
    "助かりました",
    "たすかりました",
}

RELAXED = {
    "weekday": _("nothing on that day"),
    "area": _("nothing in that area"),
    "age": _("nothing for that age"),
}


def today(ctx_or_turn) -> date:
    return ctx_or_turn.now.astimezone(TOKYO).date()


def parent_buttons(t: Translator) -> list[Action]:
    return [
        postback(
            t.gettext("Ask a specialist"),
            encode_postback(dlg="consult", st="start"),
            t.gettext("Ask a specialist"),
        ),
        postback(
            t.gettext("Search by stage"),
            encode_postback(dlg="guide", st="start"),
            t.gettext("Search by stage"),
        ),
        postback(
            t.gettext("This week's salons"),
            encode_postback(cmd="salons_week"),
            t.gettext("This week's salons"),
        ),
    ]


def _cards(ctx, hits) -> list:
    kb = ctx.services.kb
    return [kb.card(h.entry, today(ctx)) for h in hits]


def answer_question(turn: Turn, typed: str) -> None:
    """Free text outside any dialog: search the knowledge base and answer with cards."""
    kb, t = turn.services.kb, turn.t
    said = fold(typed).rstrip("!！。.〜~")
    if said in GREETINGS:
        turn.say(
            text(
                t.gettext("Hello! Ask me about services and salons, in your own words."),
                quick_replies=parent_buttons(t),
            )
        )
        return
    if said in THANKS:
        turn.say(text(t.gettext("You are welcome. Take care."), quick_replies=parent_buttons(t)))
        return
    result = kb.search(typed, today(turn), limit=5)
    good = [h for h in result.results if h.score >= GOOD_SCORE and not h.fuzzy]
    if good:
        intro = t.gettext("Here is what I found.")
        if result.relaxed:
            why = "、".join(t.gettext(RELAXED[r]) for r in result.relaxed if r in RELAXED)
            intro += "\n" + t.gettext("({why}, so I widened the search)", why=why)
        cards = _cards(turn, good)
        turn.say(text(intro), carousel(cards, t, t.gettext("Search results")))
        turn.say(
            text(
                t.gettext("Not quite right? A specialist can help you find the way."),
                quick_replies=parent_buttons(t),
            )
        )
        return
    closest = result.results[:3]
    if closest:
        turn.say(
            text(t.gettext("I could not find a good match. These are the closest:")),
            carousel(_cards(turn, closest), t, t.gettext("Closest entries")),
        )
    else:
        turn.say(text(t.gettext("I could not find anything for that.")))
    turn.say(
        text(
            t.gettext(
                "A specialist (利用者支援専門員) can look into it with you. Shall I ask one?"
            ),
            quick_replies=parent_buttons(t),
        )
    )


def browse_results(
    ctx: Context, stage: str | None, area: str | None, weekday: int | None
) -> list[Message]:
    """The guided search's answer: cards for a stage, area and weekday."""
    result = ctx.services.kb.browse(today(ctx), stage, area, weekday, limit=5)
    if not result.results:
        return [text(ctx._("I could not find anything for that."), parent_buttons(ctx.t))]
    intro = ctx._("Here is what I found.")
    if result.relaxed:
        why = "、".join(ctx._(RELAXED[r]) for r in result.relaxed if r in RELAXED)
        intro += "\n" + ctx._("({why}, so I widened the search)", why=why)
    return [
        text(intro),
        carousel(_cards(ctx, result.results), ctx.t, ctx._("Search results")),
        text(ctx._("Anything else?"), quick_replies=parent_buttons(ctx.t)),
    ]


@button_command("more")
def more(turn: Turn, fields: dict[str, str], params: dict) -> None:
    """Everything we know about one entry."""
    t = turn.t
    entry = turn.services.kb.entry(fields.get("id", ""))
    if entry is None:
        turn.say(
            text(
                t.gettext("Sorry, that entry is no longer listed."), quick_replies=parent_buttons(t)
            )
        )
        return
    card = turn.services.kb.card(entry, today(turn))
    lines = [f"【{card.name}】", entry.description or card.what]
    for label, value in (
        (_("For"), card.who),
        (_("When"), "\n".join(card.when)),
        (_("Where"), " ".join(x for x in (card.place, card.address) if x)),
        (_("Booking"), card.booking),
        (_("Fee"), card.fee),
        (_("Phone"), card.phone),
        (_("Website"), card.url),
    ):
        if value:
            lines.append(f"■{t.gettext(label)}: {value}")
    actions = [uri_action(t.gettext("Map"), card.map_url)] if card.map_url else []
    if card.phone:
        actions.append(uri_action(t.gettext("Call"), "tel:" + card.phone))
    turn.say(text("\n".join(lines), quick_replies=actions + parent_buttons(t)))


@button_command("salons_week")
def salons_week(turn: Turn, fields: dict[str, str], params: dict) -> None:
    """This week's salons for the child's stage (asked once, then remembered)."""
    from bot.handlers.router import start_dialog

    stage = fields.get("stage") or (turn.user.profile or {}).get("stage")
    if not stage:
        start_dialog(turn, "salons")
        return
    ctx = turn.context()
    turn.say(*salon_week_messages(ctx, stage, (turn.user.profile or {}).get("area")))


def salon_week_messages(ctx: Context, stage: str, area: str | None) -> list[Message]:
    t = ctx.t
    sessions = ctx.services.kb.salons_this_week(today(ctx), stage, area)
    where = area_name(ctx, area)
    stage_label = t.gettext(STAGE_LABELS.get(stage, ""))
    if not sessions and area:  # nothing nearby this week: look city-wide rather than say no
        sessions = ctx.services.kb.salons_this_week(today(ctx), stage, None)
        where = ""
    change = [
        postback(
            t.gettext("Change stage"),
            encode_postback(dlg="salons", st="start"),
            t.gettext("Change stage"),
        )
    ]
    if not sessions:
        return [
            text(
                t.gettext("There are no salons for {stage} left this week.", stage=stage_label),
                quick_replies=change + parent_buttons(t),
            )
        ]
    head = t.gettext("Salons this week for {stage}", stage=stage_label)
    if where:
        head += f"（{where}）"
    lines = [head] + [f"・{s.text} {s.entry.name}" for s in sessions[:15]]
    unique = list({s.entry.key: s.entry for s in sessions}.values())[:5]
    cards = [ctx.services.kb.card(e, today(ctx)) for e in unique]
    return [
        text("\n".join(lines)),
        carousel(cards, t, head),
        text(t.gettext("Tap a card for details."), quick_replies=change + parent_buttons(t)),
    ]
