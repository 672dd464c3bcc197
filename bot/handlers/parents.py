"""Parents' self-service: a question in their own words, the guided search's results, "more" on
a card, this week's salons.

Every answer is honest about how good the match is: when nothing fits well, the closest
entries are shown as such, with an offer to ask a specialist.
"""

from __future__ import annotations

from bot.dialogs.clarify import clarify
from bot.dialogs.consult import consult
from bot.dialogs.guide import guide
from bot.dialogs.salons import CHANGE, salons
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import Translator, _
from bot.intents import SearchFor, ShowResults, ShowSalons
from bot.knowledge.facets import Facets
from bot.knowledge.search import SearchResult
from bot.messaging.builders import Action, postback, text, uri_action
from bot.messaging.flex import carousel, details
from bot.messaging.postback import Command, DialogEntry, EntryTap, MenuTap
from bot.typed import asks_for_a_person, fold
from bot.vocabulary import STAGE_LABELS

router = Router("parents", dialogs=(guide, salons, clarify))

RESULTS = 5
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


def parent_buttons(t: Translator) -> list[Action]:
    ask, search, week = _("Ask a specialist"), _("Search by stage"), _("This week's salons")
    outreach = _("Outreach sessions")
    return [
        postback(t.gettext(ask), DialogEntry(consult.name).pack(), t.gettext(ask)),
        postback(t.gettext(search), DialogEntry(guide.name).pack(), t.gettext(search)),
        postback(t.gettext(week), MenuTap(Command.SALONS_WEEK).pack(), t.gettext(week)),
        postback(t.gettext(outreach), MenuTap(Command.OUTREACH).pack(), t.gettext(outreach)),
    ]


def _remembered(turn: Turn) -> Facets | None:
    """The stage and area the family chose in the guided search, for a free-text question."""
    profile = turn.user.profile or {}
    stage, area = profile.get("stage"), profile.get("area")
    stage = stage if stage in STAGE_LABELS else None
    area = area if area in turn.city.area_ids else None
    if not stage and not area:
        return None
    return Facets(stages=frozenset({stage}) if stage else frozenset(), area=area)


def _found(turn: Turn, result: SearchResult, hits) -> None:
    t = turn.t
    intro = t.gettext("Here is what I found.")
    if result.remembered:
        profile = turn.user.profile or {}
        said = []
        if "age" in result.remembered:
            said.append(t.gettext(STAGE_LABELS[profile["stage"]]))
        if "area" in result.remembered:
            said.append(turn.city.area_name(profile["area"]))
        intro += "\n" + t.gettext("(for {what}, as you chose before)", what="・".join(said))
    if result.relaxed:
        why = "、".join(t.gettext(RELAXED[r]) for r in result.relaxed if r in RELAXED)
        intro += "\n" + t.gettext("({why}, so I widened the search)", why=why)
    cards = [turn.services.kb.card(h.entry, turn.today) for h in hits]
    turn.say(text(intro), carousel(cards, t, t.gettext("Search results")))


@router.fallback
def answer_question(turn: Turn, typed: str) -> bool:
    """Free text outside any dialog: search the knowledge base and answer with cards."""
    t = turn.t
    said = fold(typed).rstrip("!！。.〜~")
    if said in GREETINGS:
        hello = t.gettext("Hello! Ask me about services and salons, in your own words.")
        turn.say(text(hello, quick_replies=parent_buttons(t)))
        return True
    if said in THANKS:
        turn.say(text(t.gettext("You are welcome. Take care."), quick_replies=parent_buttons(t)))
        return True
    if asks_for_a_person(typed):  # 「専門員に相談したい」: what the quick reply starts
        turn.start(consult)
        return True
    turn.show_loading()
    result = turn.services.kb.search(typed, turn.today, limit=RESULTS, remembered=_remembered(turn))
    if turn.concerned and not result.needs:
        return True  # words of distress, asking for nothing: the lines are the answer, not cards
    if result.care and not turn.concerned:  # a tired or lonely parent hears a human word first
        turn.say(text(t.gettext("That sounds hard. Thank you for telling me.")))
    if result.clarify is not None and not result.unrelated:
        options = [{"label": o.label, "look_for": list(o.look_for)} for o in result.clarify.ask]
        turn.start(clarify, question=typed, options=options)
        return True
    good = result.answers
    if good:
        _found(turn, result, good)
        if not turn.concerned:  # the concern answer has just offered a specialist
            more_help = t.gettext("Not quite right? A specialist can help you find the way.")
            turn.say(text(more_help, quick_replies=parent_buttons(t)))
        return True
    if turn.concerned:  # nothing in the list for it: the concern answer's offer stands
        return True
    turn.services.kb.note_gap(turn.session, typed, result, turn.today)
    closest = [] if result.unrelated else result.results[:3]
    if closest:
        cards = [turn.services.kb.card(h.entry, turn.today) for h in closest]
        turn.say(
            text(t.gettext("I could not find a good match. These are the closest:")),
            carousel(cards, t, t.gettext("Closest entries")),
        )
    elif result.unrelated:  # what was asked is not in the list: never an unrelated card
        turn.say(text(t.gettext("I could not find a service for that in this city's list.")))
    else:
        turn.say(text(t.gettext("I could not find anything for that.")))
    offer = t.gettext("A specialist (利用者支援専門員) can look into it with you. Shall I ask one?")
    turn.say(text(offer, quick_replies=parent_buttons(t)))
    return True


@router.intent(SearchFor)
def search_for(turn: Turn, asked: SearchFor) -> None:
    """The answer to a question made precise by the clarifying question."""
    t = turn.t
    result = turn.services.kb.search_for(
        asked.question, asked.look_for, turn.today, limit=RESULTS, remembered=_remembered(turn)
    )
    if not result.results:
        nothing = t.gettext("I could not find anything for that.")
        turn.say(text(nothing, quick_replies=parent_buttons(t)))
        return
    _found(turn, result, result.results)
    more_help = t.gettext("Not quite right? A specialist can help you find the way.")
    turn.say(text(more_help, quick_replies=parent_buttons(t)))


@router.intent(ShowResults)
def show_results(turn: Turn, asked: ShowResults) -> None:
    """The guided search's answer: cards for a stage, area and weekday."""
    t = turn.t
    result = turn.services.kb.browse(
        turn.today, asked.stage, asked.area, asked.weekday, limit=RESULTS
    )
    if not result.results:
        nothing = t.gettext("I could not find anything for that.")
        turn.say(text(nothing, quick_replies=parent_buttons(t)))
        return
    _found(turn, result, result.results)
    turn.say(text(t.gettext("Anything else?"), quick_replies=parent_buttons(t)))


@router.button(Command.MORE)
def more(turn: Turn, tapped: EntryTap, params: dict) -> None:
    """Everything we know about one entry."""
    t = turn.t
    entry = turn.services.kb.entry(tapped.key)
    if entry is None:
        gone = t.gettext("Sorry, that entry is no longer listed.")
        turn.say(text(gone, quick_replies=parent_buttons(t)))
        return
    card = turn.services.kb.card(entry, turn.today)
    lines = [f"【{card.name}】", card.glosses.get(t.language, ""), entry.description or card.what]
    lines = [line for line in lines if line]
    lines += [f"■{t.gettext(label)}: {value}" for label, value in details(card, True, t.language)]
    actions = [uri_action(t.gettext("Map"), card.map_url)] if card.map_url else []
    if card.phone:
        actions.append(uri_action(t.gettext("Call"), "tel:" + card.phone))
    turn.say(text("\n".join(lines), quick_replies=actions + parent_buttons(t)))


@router.button(Command.SALONS_WEEK)
def salons_week(turn: Turn, tapped: MenuTap, params: dict) -> None:
    """This week's salons for the child's stage (asked once, then remembered)."""
    turn.start(salons)


@router.intent(ShowSalons)
def show_salons(turn: Turn, asked: ShowSalons) -> None:
    t, kb = turn.t, turn.services.kb
    sessions = kb.salons_this_week(turn.today, asked.stage, asked.area)
    where = turn.city.area_name(asked.area, t.language)
    stage_label = t.gettext(STAGE_LABELS[asked.stage])
    if not sessions and asked.area:  # nothing nearby this week: look city-wide rather than say no
        sessions = kb.salons_this_week(turn.today, asked.stage, None)
        where = ""
    change_label = t.gettext("Change stage")
    change = [postback(change_label, DialogEntry(salons.name, opening=CHANGE).pack(), change_label)]
    if not sessions:
        none_left = t.gettext("There are no salons for {stage} left this week.", stage=stage_label)
        turn.say(text(none_left, quick_replies=change + parent_buttons(t)))
        return
    head = t.gettext("Salons this week for {stage}", stage=stage_label)
    if where:
        head += f"（{where}）"
    lines = [head] + [f"・{s.text} {s.entry.name}" for s in sessions[:15]]
    unique = list({s.entry.key: s.entry for s in sessions}.values())[:RESULTS]
    cards = [kb.card(e, turn.today) for e in unique]
    turn.say(
        text("\n".join(lines)),
        carousel(cards, t, head),
        text(t.gettext("Tap a card for details."), quick_replies=change + parent_buttons(t)),
    )
