"""Hostile bodies at /callback: too large, nested too deep, misshapen events, odd text, another
bot's destination. Each gets a 4xx or is skipped — never a 5xx, and never a crash in handling."""

from __future__ import annotations

import copy
import socket
import time

import pytest
from sqlalchemy import select

from bot.simulator.page import make_event, sign, webhook_body
from bot.storage.models import InboxEvent
from tests.conftest import make_live_app
from tests.transcript import Bot

PARENT = "U" + "c" * 32
ONE_MIB = 1024 * 1024


def raw_request(url: str, head: str, body: bytes = b"", wait: float = 5.0) -> tuple[int, float]:
    """Send a request by hand; return (status, seconds until the answer's first line)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as conn:
        started = time.monotonic()
        conn.sendall(head.encode() + body)
        first = conn.makefile("rb").readline()
    return int(first.split()[1]), time.monotonic() - started


def test_a_30_mib_body_is_refused_before_it_is_read(bot):
    # Only the headers are sent: a server that reads before checking would wait for 30 MiB.
    head = (
        "POST /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {30 * ONE_MIB}\r\n\r\n"
    )
    status, seconds = raw_request(bot.live.url, head, b'{"events": [')
    assert status == 413 and seconds < 2


def test_a_chunked_body_is_cut_at_the_limit(bot):
    chunk = b"x" * 65536
    body = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 17 + b"0\r\n\r\n"  # 17 × 64 KiB > 1 MiB
    head = (
        "POST /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "X-Line-Signature: c2lnbmF0dXJl\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    status, _ = raw_request(bot.live.url, head, body)
    assert status == 413


def test_a_body_just_under_the_limit_is_read_and_checked(bot):
    padding = "x" * (ONE_MIB - 200)
    body = webhook_body("Ubot", [{"type": "unknown", "padding": padding}])
    assert len(body) < ONE_MIB
    assert bot.post([], body=body).status_code == 200


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_a_400_or_a_skipped_event(bot, depth):
    nested = "[" * depth + "]" * depth
    body = (
        '{"destination": "Ubot", "events": [{"type": "message", "x": ' + nested + "}]}"
    ).encode()
    resp = bot.post([], body=body)
    # Too deep for the parser: 400. Parsed but past any event's shape: skipped, 200.
    assert resp.status_code == (400 if depth > 10_000 else 200)
    bot.settle()
    assert stored(bot) == []


def good_event(bot, typed: str = "ヘルプ") -> dict:
    token = bot.double.issue_reply_token(PARENT)
    return make_event(PARENT, "message", token, message={"type": "text", "id": "1", "text": typed})


def stored(bot) -> list[tuple[str, str | None]]:
    with bot.tsunagu.db.reading() as session:
        return [
            tuple(r)
            for r in session.execute(
                select(InboxEvent.status, InboxEvent.error).order_by(InboxEvent.id)
            )
        ]


def _set(path: str, value):
    def change(event: dict) -> dict:
        *parents, last = path.split(".")
        node = event
        for name in parents:
            node = node.setdefault(name, {})
        node[last] = value
        return event

    return change


def _drop(path: str):
    def change(event: dict) -> dict:
        *parents, last = path.split(".")
        node = event
        for name in parents:
            node = node[name]
        node.pop(last)
        return event

    return change


MISSHAPEN = {
    "source is a string": _set("source", "user"),
    "source is a list": _set("source", ["user", PARENT]),
    "userId is a number": _set("source.userId", 123),
    "userId is missing": _drop("source.userId"),
    "userId is 300 characters": _set("source.userId", "U" + "a" * 299),
    "source type is a number": _set("source.type", 1),
    "type is a number": _set("type", 5),
    "type is missing": _drop("type"),
    "message is a string": _set("message", "こんにちは"),
    "text is a number": _set("message.text", 5),
    "text is missing": _drop("message.text"),
    "message type is an object": _set("message.type", {"text": 1}),
    "timestamp is a float": _set("timestamp", 1.7e12),
    "timestamp is past the year 9999": _set("timestamp", 10**20),
    "timestamp is negative": _set("timestamp", -1),
    "timestamp is a string": _set("timestamp", "now"),
    "timestamp is true": _set("timestamp", True),
    "replyToken is a number": _set("replyToken", 7),
    "replyToken is 100 characters": _set("replyToken", "r" * 100),
    "webhookEventId is a list": _set("webhookEventId", ["01"]),
    "webhookEventId is 100 characters": _set("webhookEventId", "0" * 100),
    "deliveryContext is a string": _set("deliveryContext", "redelivery"),
    "isRedelivery is a string": _set("deliveryContext.isRedelivery", "no"),
    "nested 40 levels": _set(
        "message.emojis",
        [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
    ),
}


MISSHAPEN_CONTENT = {
    "postback is a string": ("postback", {"postback": "dlg=language"}),
    "postback data is a number": ("postback", {"postback": {"data": 5}}),
    "params is a string": ("postback", {"postback": {"data": "x", "params": "2026-01-01"}}),
    "a param is a number": ("postback", {"postback": {"data": "x", "params": {"date": 1}}}),
    "isUnblocked is a string": ("follow", {"follow": {"isUnblocked": "yes"}}),
    "follow is a list": ("follow", {"follow": []}),
}


def test_misshapen_signed_events_are_skipped_and_the_others_handled(bot, caplog):
    """One app for every case (each would cost a server start); a failure names its case."""
    cases = {
        name: change(copy.deepcopy(good_event(bot, "こんにちは")))
        for name, change in MISSHAPEN.items()
    }
    for name, (kind, fields) in MISSHAPEN_CONTENT.items():
        cases[name] = make_event(PARENT, kind, bot.double.issue_reply_token(PARENT), **fields)
    parent = bot.person(PARENT)
    for name, bad in cases.items():
        before = len(stored(bot))
        resp = bot.post([bad, good_event(bot)])
        assert resp.status_code == 200, (name, resp.text)
        bot.settle()
        assert stored(bot)[before:] == [("done", None)], f"{name}: only the good event is kept"
        assert parent.replies(), f"{name}: the good event was answered"
    assert caplog.text.count("webhook event 0") == len(cases)
    assert "こんにちは" not in caplog.text


def test_lone_surrogates_are_stored_and_answered(bot):
    body = webhook_body("Ubot", [good_event(bot, "PLACEHOLDER")]).replace(
        b"PLACEHOLDER", rb"\ud800\udfff\udc00 \u0000 \ufeff"
    )
    assert bot.post([], body=body).status_code == 200
    bot.settle()
    assert stored(bot) == [("done", None)]
    assert bot.person(PARENT).replies()


def test_a_text_beyond_lines_5000_characters_is_stored_at_ingest(bot):
    resp = bot.post([good_event(bot, "あ" * 20_000)])
    assert resp.status_code == 200
    assert stored(bot) == [("pending", None)]  # answering it is for handling


def test_non_object_events_and_an_empty_list_are_fine(bot):
    assert bot.post([1, "x", None, [], good_event(bot)]).status_code == 200
    bot.settle()
    assert stored(bot) == [("done", None)]


@pytest.fixture
def bot_with_destination(tmp_path, sqlite_url):
    app, server = make_live_app(tmp_path, sqlite_url, BOT_DESTINATION="U" + "d" * 32)
    yield Bot(server)
    server.stop()
    app.extensions["tsunagu"].db.dispose()


def test_a_body_for_another_destination_is_refused(bot_with_destination):
    bot = bot_with_destination
    event = good_event(bot)
    for destination in ("U" + "e" * 32, None, ""):
        body = webhook_body(destination, [event])
        resp = bot.post([], body=body, signature=sign(bot.secret, body))
        assert resp.status_code == 403
    assert stored(bot) == []
    body = webhook_body("U" + "d" * 32, [event])
    assert bot.post([], body=body).status_code == 200
    assert len(stored(bot)) == 1


def test_a_text_longer_than_line_sends_is_read_for_danger_and_answered_politely(bot):
    parent = bot.person("U" + "9" * 32)
    parent.says("保育園の申し込みについて。" * 500)  # 6,500 characters
    assert parent.heard("longer than I can read") or parent.heard("長すぎて")
    parent.says("ふつうの話です。" * 700 + "もうしにたい")
    assert parent.heard("0120-000-556")  # the danger in a long text still gets the lines
