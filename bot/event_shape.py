"""The shape of a webhook event, checked before it is stored: keep what handling can take.

LINE's signature proves who sent a body, not that every field has the type the handlers read.
A signed event with ``"source": "x"`` or a timestamp past the year 9999 used to crash storing
or handling. ``sort_events`` checks each event against the fields the bot reads; an event that
does not fit is logged (its index, its type if that is a plain word, the rule it broke — never
its content) and skipped, and the rest of the body is stored as usual, so LINE gets its 200.

Strings are kept as sent, with one exception: a lone surrogate (``"\\ud800"``, valid JSON but
not text) cannot be stored as UTF-8, so it becomes U+FFFD. A text longer than LINE's 5,000
characters is stored as it is: how to answer it is for handling to decide.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

# LINE's events nest four levels at most; well past that, an event is not one of theirs.
MAX_DEPTH = 16
# What the columns and the clock can hold: ids in String(64), a time before the year 10000.
MAX_ID = 64
MAX_TIMESTAMP_MS = 253_402_300_799_999
TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
SOURCE_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
SOURCE_ID_FIELD = {"user": "userId", "group": "groupId", "room": "roomId"}
_SURROGATE = re.compile("[\ud800-\udfff]")


class Misshapen(ValueError):
    """The event breaks a rule; the message names the rule, never a value."""


@dataclass
class Sorted:
    kept: list[dict] = field(default_factory=list)
    skipped: int = 0


def sort_events(events: list) -> Sorted:
    """The events handling can take (cleaned), and how many were skipped (each logged)."""
    result = Sorted()
    for index, event in enumerate(events):
        try:
            result.kept.append(check_event(event))
        except Misshapen as exc:
            kind = event.get("type") if isinstance(event, dict) else None
            shown = kind if isinstance(kind, str) and TYPE.match(kind) else "?"
            log.warning("webhook event %d (%s) skipped: %s", index, shown, exc)
            result.skipped += 1
    return result


def check_event(event: Any) -> dict:
    """The event, cleaned, or Misshapen."""
    if not isinstance(event, dict):
        raise Misshapen("not an object")
    event = _clean(event, 0)
    kind = _string(event, "type", required=True)
    if not TYPE.match(kind):
        raise Misshapen("type is not a word")
    for name in ("webhookEventId", "replyToken"):
        value = _string(event, name)
        if value is not None and not 0 < len(value) <= MAX_ID:
            raise Misshapen(f"{name} is empty or longer than {MAX_ID} characters")
    _string(event, "mode")
    timestamp = event.get("timestamp")
    if timestamp is not None and not (
        type(timestamp) is int and 0 <= timestamp <= MAX_TIMESTAMP_MS
    ):
        raise Misshapen("timestamp is not milliseconds since 1970 before the year 10000")
    context = _object(event, "deliveryContext")
    if context is not None and not isinstance(context.get("isRedelivery", False), bool):
        raise Misshapen("deliveryContext.isRedelivery is not true or false")
    _check_source(event)
    _check_content(kind, event)
    return event


def _check_source(event: dict) -> None:
    source = _object(event, "source")
    if source is None:
        return  # handled as no one's: skipped with a log line, never answered
    kind = _string(source, "type", required=True)
    for source_kind, id_field in SOURCE_ID_FIELD.items():
        ident = _string(source, id_field, required=kind == source_kind)
        if ident is not None and not SOURCE_ID.match(ident):
            raise Misshapen(f"source.{id_field} is not an id")


def _check_content(kind: str, event: dict) -> None:
    if kind == "message":
        message = _object(event, "message", required=True)
        message_type = _string(message, "type", required=True)
        _string(message, "id")
        _string(message, "quoteToken")
        if message_type == "text":
            _string(message, "text", required=True)
    elif kind == "postback":
        postback = _object(event, "postback", required=True)
        _string(postback, "data", required=True)
        params = _object(postback, "params")
        if params is not None and not all(isinstance(v, str) for v in params.values()):
            raise Misshapen("postback.params holds a value that is not a string")
    elif kind == "follow":
        follow = _object(event, "follow")
        if follow is not None and not isinstance(follow.get("isUnblocked", False), bool):
            raise Misshapen("follow.isUnblocked is not true or false")


def _string(parent: dict, name: str, required: bool = False) -> str | None:
    value = parent.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise Misshapen(f"{name} is {'missing or ' if required else ''}not a string")
    return value


def _object(parent: dict, name: str, required: bool = False) -> dict | None:
    value = parent.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, dict):
        raise Misshapen(f"{name} is {'missing or ' if required else ''}not an object")
    return value


def _clean(value: Any, depth: int) -> Any:
    """A copy with lone surrogates replaced; Misshapen past MAX_DEPTH levels."""
    if depth > MAX_DEPTH:
        raise Misshapen(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_clean(k, depth): _clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, depth + 1) for v in value]
    return value  # numbers, true/false, null
