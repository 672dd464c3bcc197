"""Tests that read like transcripts: ``parent.says("…")``, ``parent.taps("English")``.

Each action is a signed webhook sent over HTTP to /callback; the bot then handles and delivers
(``Bot.settle``), and what the person sees is what the Messaging API double received.
"""

from __future__ import annotations

import re
from uuid import uuid4

import requests

from bot.messaging.builders import quick_reply_labels
from bot.simulator.page import TOKEN_HEADER, make_event, sign, webhook_body


def simulator_session(base_url: str) -> requests.Session:
    """The simulator's API as its page calls it: with the token found in the served page."""
    page = requests.get(base_url + "/simulator", timeout=5).text
    session = requests.Session()
    session.headers[TOKEN_HEADER] = re.search(r'name="simulator-token" content="([^"]+)"', page)[1]
    return session


class Bot:
    def __init__(self, live):
        self.live = live
        self.tsunagu = live.app.extensions["tsunagu"]
        self.double = self.tsunagu.double
        self.secret = self.tsunagu.settings.channel_secret

    def post(
        self, events: list, *, signature: str | bool | None = None, body: bytes | None = None
    ) -> requests.Response:
        """Post a webhook: signed properly by default, ``signature=False`` sends none."""
        body = body if body is not None else webhook_body("Ubot", events)
        headers = {"Content-Type": "application/json"}
        if signature is None:
            headers["X-Line-Signature"] = sign(self.secret, body)
        elif signature is not False:
            headers["X-Line-Signature"] = signature
        return requests.post(self.live.url + "/callback", data=body, headers=headers, timeout=5)

    def settle(self) -> None:
        self.tsunagu.runtime.drain()

    def person(self, user_id: str) -> Person:
        return Person(self, user_id)


class Person:
    def __init__(self, bot: Bot, user_id: str):
        self.bot = bot
        self.user_id = user_id
        self.seen = 0
        self.last: list[dict] = []

    # ------------------------------------------------------------ acting

    def _send(self, kind: str, settle: bool = True, **fields) -> list[dict]:
        token = self.bot.double.issue_reply_token(self.user_id) if kind != "unfollow" else None
        event = make_event(self.user_id, kind, token, **fields)
        resp = self.bot.post([event])
        assert resp.status_code == 200, resp.text
        if settle:
            self.bot.settle()
        return self.replies()

    def follows(self) -> list[dict]:
        return self._send("follow", follow={"isUnblocked": False})

    def unfollows(self) -> list[dict]:
        return self._send("unfollow")

    def says(self, typed: str) -> list[dict]:
        message = {"type": "text", "id": "1", "text": typed, "markAsReadToken": uuid4().hex}
        return self._send("message", message=message)

    def taps(self, label: str) -> list[dict]:
        """Tap a quick-reply or template button of the last thing the bot said."""
        action = self.button(label)
        if action["type"] == "message":
            return self.says(action["text"])
        return self.taps_data(action["data"])

    def taps_data(self, data: str, params: dict | None = None) -> list[dict]:
        pb = {"data": data, **({"params": params} if params else {})}
        return self._send("postback", postback=pb)

    # ------------------------------------------------------------ seeing

    def replies(self) -> list[dict]:
        received = self.bot.double.messages_for(self.user_id, self.seen)
        if received:
            self.seen = received[-1].seq
        self.last = [r.message for r in received]
        return self.last

    def texts(self) -> list[str]:
        return [m.get("text") or m.get("altText", "") for m in self.last]

    def buttons(self) -> list[str]:
        labels: list[str] = []
        for message in self.last:
            labels += quick_reply_labels(message)
            labels += [a["label"] for a in message.get("template", {}).get("actions", [])]
        return labels

    def button(self, label: str) -> dict:
        for message in reversed(self.last):
            items = message.get("quickReply", {}).get("items", [])
            actions = [i["action"] for i in items] + message.get("template", {}).get("actions", [])
            for action in actions:
                if action.get("label") == label:
                    return action
        raise AssertionError(f"no button {label!r}; the bot offered {self.buttons()}")

    def heard(self, fragment: str) -> bool:
        return any(fragment in t for t in self.texts())
