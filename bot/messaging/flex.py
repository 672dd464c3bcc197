"""Flex cards for knowledge-base entries: name, what, who, when, where (map), how to book, more."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator, _
from bot.messaging.builders import Message, flex, postback, uri_action
from bot.messaging.postback import EntryTap

GREEN = "#06C755"
GREY = "#888888"


def _row(label: str, value: str) -> dict[str, Any]:
    return {
        "type": "box",
        "layout": "baseline",
        "spacing": "sm",
        "contents": [
            {"type": "text", "text": label, "size": "xs", "color": GREY, "flex": 2, "wrap": True},
            {"type": "text", "text": value, "size": "sm", "wrap": True, "flex": 5},
        ],
    }


def details(card, full: bool = False, language: str | None = None) -> list[tuple[str, str]]:
    """A card's rows as (label message id, value), the empty ones left out: the bubble shows
    the short list, "more" the full one (with phone and website). Days are written as
    ``language`` writes them."""
    when = (getattr(card, "when_in", None) or {}).get(language or "") or card.when
    who = (getattr(card, "who_in", None) or {}).get(language or "") or card.who
    opening = (getattr(card, "opening_in", None) or {}).get(language or "") or card.opening
    rows = [
        (_("For"), who),
        (_("Open on"), "\n".join(opening)),
        (_("When"), "" if card.regular else "\n".join(when)),
        (_("Where"), " ".join(x for x in (card.place, card.address) if x)),
        (_("Applications closed"), card.closed),
        (_("Booking"), card.booking),
        (_("Fee"), card.fee),
    ]
    if full:
        rows += [(_("Phone"), card.phone), (_("Website"), card.url)]
    return [(label, value) for label, value in rows if value]


def _area(card, t: Translator) -> str:
    return (getattr(card, "area_in", None) or {}).get(t.language) or card.area


def _what(card, t: Translator) -> dict[str, Any]:
    """What it is: in the reader's language when the city file says (the kind and a short
    description; the name above stays the official Japanese one), else the entry's summary."""
    said = (getattr(card, "glosses", None) or {}).get(t.language)
    if said:
        return {"type": "text", "text": said, "size": "sm", "wrap": True, "color": "#0B7A3E"}
    return {"type": "text", "text": card.what or " ", "size": "sm", "wrap": True}


def entry_bubble(card, t: Translator) -> dict[str, Any]:
    """One entry as a bubble. ``card`` is a ``bot.knowledge.cards.CardData``."""
    rows = [_row(t.gettext(label), value) for label, value in details(card, language=t.language)]
    footer: list[dict[str, Any]] = []
    if card.map_url:
        footer.append(
            {
                "type": "button",
                "style": "link",
                "height": "sm",
                "action": uri_action(t.gettext("Map"), card.map_url),
            }
        )
    if card.phone:
        footer.append(
            {
                "type": "button",
                "style": "link",
                "height": "sm",
                "action": uri_action(t.gettext("Call"), "tel:" + card.phone),
            }
        )
    footer.append(
        {
            "type": "button",
            "style": "primary",
            "color": GREEN,
            "height": "sm",
            "action": postback(
                t.gettext("More"),
                EntryTap(card.key).pack(),
                display_text=card.name[:40],
            ),
        }
    )
    return {
        "type": "bubble",
        "size": "kilo",
        "header": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {"type": "text", "text": card.name, "weight": "bold", "size": "md", "wrap": True},
                {"type": "text", "text": _area(card, t) or " ", "size": "xs", "color": GREY},
            ],
        },
        "body": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                _what(card, t),
                {"type": "separator", "margin": "md"},
                *rows,
            ],
        },
        "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": footer},
    }


MAX_BUBBLES = 10  # LINE allows 12 in a carousel; past ten nobody scrolls on


def carousel(cards: list, t: Translator, alt_text: str) -> Message:
    bubbles = [entry_bubble(c, t) for c in cards[:MAX_BUBBLES]]
    return flex(alt_text, {"type": "carousel", "contents": bubbles})
