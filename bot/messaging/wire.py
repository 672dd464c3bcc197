"""Reply and push requests that carry the outbox's stored JSON to LINE as it is.

The outbox holds messages as the builders made them (LINE's JSON). The SDK's way — parse them
into its pydantic models (``ReplyMessageRequest.from_dict``) and serialise them again — costs
about a millisecond per message of CPU, nearly half of delivering one. These requests are the
SDK's own classes (its ``validate_arguments`` accepts them, its client serialises them through
``to_dict``) built without that round trip: the body on the wire is the same JSON
(``tests/test_delivery.py`` compares the two for real answers), and LINE still checks it.
The client (``bot.messaging.client``) sends their ``to_dict`` as it is, without the SDK's walk
over every key of every message (a carousel of cards is hundreds of calls).
"""

from __future__ import annotations

from linebot.v3.messaging import PushMessageRequest, ReplyMessageRequest


class StoredRequest:
    """A request whose body is stored JSON already: nothing in it needs converting."""

    def to_dict(self) -> dict:
        raise NotImplementedError


class _StoredReply(StoredRequest, ReplyMessageRequest):
    def to_dict(self) -> dict:
        return {
            "replyToken": self.reply_token,
            "messages": self.messages,
            "notificationDisabled": False,
        }


class _StoredPush(StoredRequest, PushMessageRequest):
    def to_dict(self) -> dict:
        return {"to": self.to, "messages": self.messages, "notificationDisabled": False}


def reply_request(reply_token: str, messages: list[dict]) -> ReplyMessageRequest:
    return _StoredReply.construct(reply_token=reply_token, messages=messages)


def push_request(to: str, messages: list[dict]) -> PushMessageRequest:
    return _StoredPush.construct(to=to, messages=messages)
