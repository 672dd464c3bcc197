"""LINE message objects as the Messaging API's JSON (what the outbox stores and the SDK sends)."""

from __future__ import annotations

from typing import Any

from bot.messaging.postback import Command, MenuTap

Message = dict[str, Any]
Action = dict[str, Any]

# LINE's limits: a quick-reply label is at most 20 characters, a postback's data 300.
LABEL_MAX = 20
DATA_MAX = 300


def _label(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def menu_tap(label: str, command: Command) -> Action:
    """A button that runs a menu command; the chat shows its (translated) label as said."""
    return postback(label, MenuTap(command).pack(), label)


def postback(label: str, data: str, display_text: str | None = None) -> Action:
    if len(data) > DATA_MAX:
        raise ValueError(f"postback data longer than {DATA_MAX} characters")
    action: Action = {"type": "postback", "label": _label(label), "data": data}
    if display_text:
        action["displayText"] = display_text
    return action


def message_action(label: str, text: str | None = None) -> Action:
    return {"type": "message", "label": _label(label), "text": text or label}


def uri_action(label: str, uri: str) -> Action:
    return {"type": "uri", "label": _label(label), "uri": uri}


def date_picker(
    label: str,
    data: str,
    initial: str | None = None,
    min_: str | None = None,
    max_: str | None = None,
) -> Action:
    action: Action = {
        "type": "datetimepicker",
        "label": _label(label),
        "data": data,
        "mode": "date",
    }
    for key, value in (("initial", initial), ("min", min_), ("max", max_)):
        if value:
            action[key] = value
    return action


def text(body: str, quick_replies: list[Action] | None = None) -> Message:
    msg: Message = {"type": "text", "text": body[:5000]}
    if quick_replies:
        # LINE shows at most 13 quick-reply buttons.
        msg["quickReply"] = {"items": [{"type": "action", "action": a} for a in quick_replies[:13]]}
    return msg


def buttons(
    body: str, actions: list[Action], title: str | None = None, alt_text: str | None = None
) -> Message:
    template: dict[str, Any] = {"type": "buttons", "text": body[:160], "actions": actions[:4]}
    if title:
        template["title"] = title[:40]
    return {"type": "template", "altText": (alt_text or body)[:400], "template": template}


def flex(alt_text: str, contents: dict[str, Any]) -> Message:
    return {"type": "flex", "altText": alt_text[:400], "contents": contents}


def quick_reply_labels(msg: Message) -> list[str]:
    """The labels of a message's quick-reply buttons (tests and the simulator read them)."""
    items = msg.get("quickReply", {}).get("items", [])
    return [item["action"]["label"] for item in items]
