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


def details(card, full: bool = False) -> list[tuple[str, str]]:
    """A card's rows as (label message id, value), the empty ones left out: the bubble shows
    the short list, "more" the full one (with phone and website)."""
    rows = [
        (_("For"), card.who),
        (_("Open on"), "\n".join(card.opening)),
        (_("When"), "" if card.regular else "\n".join(card.when)),
        (_("Where"), " ".join(x for x in (card.place, card.address) if x)),
        (_("Applications closed"), card.closed),
        (_("Booking"), card.booking),
        (_("Fee"), card.fee),
    ]
    if full:
        rows += [(_("Phone"), card.phone), (_("Website"), card.url)]
    return [(label, value) for label, value in rows if value]


def entry_bubble(card, t: Translator) -> dict[str, Any]:
    """One entry as a bubble. ``card`` is a ``bot.knowledge.cards.CardData``."""
    rows = [_row(t.gettext(label), value) for label, value in details(card)]
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
                {"type": "text", "text": card.area or " ", "size": "xs", "color": GREY},
            ],
        },
        "body": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                {"type": "text", "text": card.what or " ", "size": "sm", "wrap": True},
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
