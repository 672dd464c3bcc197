"""Flex cards for knowledge-base entries: name, what, who, when, where (map), how to book, more."""

from __future__ import annotations

from typing import Any

from bot.dialogs.engine import encode_postback
from bot.i18n import Translator
from bot.messaging.builders import Message, flex, postback, uri_action

GREEN = "#06C755"
GREY = "#888888"


def _row(label: str, value: str) -> dict[str, Any]:
    return {
        "type": "box",
        "layout": "baseline",
        "spacing": "sm",
        "contents": [
            {"type": "text", "text": label, "size": "xs", "color": GREY, "flex": 2},
            {"type": "text", "text": value, "size": "sm", "wrap": True, "flex": 5},
        ],
    }


def entry_bubble(card, t: Translator) -> dict[str, Any]:
    """One entry as a bubble. ``card`` is a ``bot.knowledge.cards.CardData``."""
    rows = []
    if card.who:
        rows.append(_row(t.gettext("For"), card.who))
    if card.when:
        rows.append(_row(t.gettext("When"), "\n".join(card.when)))
    where = " ".join(x for x in (card.place, card.address) if x)
    if where:
        rows.append(_row(t.gettext("Where"), where))
    if card.booking:
        rows.append(_row(t.gettext("Booking"), card.booking))
    if card.fee:
        rows.append(_row(t.gettext("Fee"), card.fee))
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
                encode_postback(cmd="more", id=card.key),
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


def carousel(cards: list, t: Translator, alt_text: str) -> Message:
    # LINE allows up to 12 bubbles; five fit comfortably on a phone.
    return flex(
        alt_text, {"type": "carousel", "contents": [entry_bubble(c, t) for c in cards[:10]]}
    )
