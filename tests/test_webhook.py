"""POST /callback: signatures, LINE's verify request, each event once, bad events skipped."""

import json
import logging

import pytest
from sqlalchemy import func, select

from bot.simulator.page import make_event, sign, webhook_body
from bot.storage.models import InboxEvent, OutboxMessage

PARENT = "U" + "b" * 32


def stored(bot) -> int:
    with bot.tsunagu.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(InboxEvent))


def text_event(bot, typed: str, user: str = PARENT, **extra) -> dict:
    token = bot.double.issue_reply_token(user)
    return make_event(
        user, "message", token, message={"type": "text", "id": "1", "text": typed}, **extra
    )


@pytest.mark.parametrize(
    "signature", [False, "", "bm90IGEgc2lnbmF0dXJl", "c2lnbmVkIHdpdGggYW5vdGhlciBzZWNyZXQ="]
)
def test_bad_or_missing_signature_is_refused_and_nothing_stored(bot, signature):
    resp = bot.post([text_event(bot, "こんにちは")], signature=signature)
    assert resp.status_code == 400
    assert stored(bot) == 0


def test_signature_over_other_bytes_is_refused(bot):
    body = webhook_body("Ubot", [text_event(bot, "こんにちは")])
    tampered = body.replace("こんにちは".encode(), "さようなら".encode())
    resp = bot.post([], body=tampered, signature=sign(bot.secret, body))
    assert resp.status_code == 400
    assert stored(bot) == 0


def test_verify_request_with_no_events_is_acked(bot):
    resp = bot.post([])
    assert resp.status_code == 200
    assert stored(bot) == 0


@pytest.mark.parametrize(
    "body", [b"not json", b'{"destination": "U"}', b"[1, 2]", "\xff\xfe".encode("latin-1")]
)
def test_signed_but_malformed_body_gets_400(bot, body):
    assert bot.post([], body=body).status_code == 400


def test_duplicate_and_redelivered_events_are_handled_once(bot):
    event = text_event(bot, "ヘルプ")
    assert bot.post([event, event]).status_code == 200
    redelivered = dict(event, deliveryContext={"isRedelivery": True})
    assert bot.post([redelivered]).status_code == 200
    bot.settle()
    assert stored(bot) == 1
    assert len(bot.double.calls("reply")) == 1
    # and again after it was handled: still nothing new
    assert bot.post([redelivered]).status_code == 200
    bot.settle()
    assert len(bot.double.calls("reply")) == 1


def test_unknown_event_and_message_types_are_logged_and_skipped(bot, caplog):
    caplog.set_level(logging.INFO)
    beacon = make_event(
        PARENT,
        "beacon",
        bot.double.issue_reply_token(PARENT),
        beacon={"hwid": "d41d8cd98f", "type": "enter"},
    )
    odd = make_event(
        PARENT,
        "message",
        bot.double.issue_reply_token(PARENT),
        message={"type": "hologram", "id": "2"},
    )
    assert bot.post([beacon, odd, "not an event"]).status_code == 200
    bot.settle()
    assert "event type 'beacon' skipped" in caplog.text
    assert "message type 'hologram' skipped" in caplog.text
    assert bot.double.calls("reply") == []


def test_group_chats_get_nothing(bot):
    event = text_event(bot, "気になる家庭があります")
    event["source"] = {"type": "group", "groupId": "C" + "1" * 32, "userId": PARENT}
    assert bot.post([event]).status_code == 200
    bot.settle()
    assert bot.double.requests == []


def test_a_handler_that_breaks_is_logged_skipped_and_later_events_go_on(bot, caplog, monkeypatch):
    chat = bot.tsunagu.runtime.services.chat

    def broken(turn, typed):
        raise RuntimeError("secret family detail")

    parent = bot.person(PARENT)
    monkeypatch.setattr(chat, "on_text", broken)
    parent.says("山田さんの家が心配です")
    monkeypatch.undo()
    parent.says("ヘルプ")
    assert parent.heard("できること")
    with bot.tsunagu.db.transaction() as session:
        statuses = session.scalars(select(InboxEvent.status).order_by(InboxEvent.id)).all()
    assert statuses == ["failed", "done"]
    assert "RuntimeError" in caplog.text
    assert "secret family detail" not in caplog.text
    assert "山田" not in caplog.text


def test_events_are_stored_encrypted_and_cleared_once_handled(bot):
    parent = bot.person(PARENT)
    parent.says("1歳の子と行けるサロンある？")
    raw = bot.tsunagu.db.engine.connect()
    try:
        rows = raw.exec_driver_sql("SELECT payload FROM inbox_events").all()
        outbox = raw.exec_driver_sql("SELECT messages FROM outbox").all()
    finally:
        raw.close()
    assert rows == [(None,)]
    assert all("サロン" not in (m or "") for (m,) in outbox)


def test_healthz(bot):
    import requests

    resp = requests.get(bot.live.url + "/healthz", timeout=5)
    assert resp.status_code == 200
    assert resp.json()["status"] == "ok"


def test_answer_waits_for_nothing_when_the_messaging_api_is_down(bot):
    bot.double.fail_next(500, times=50)
    resp = bot.post([text_event(bot, "ヘルプ")])
    assert resp.status_code == 200
    assert resp.elapsed.total_seconds() < 2
    with bot.tsunagu.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_body_is_read_raw_not_reencoded(bot):
    # LINE signs the exact bytes; a body with escapes must verify as sent.
    event = text_event(bot, "ヘルプ")
    body = json.dumps({"destination": "U", "events": [event]}, ensure_ascii=True).encode()
    assert bot.post([], body=body, signature=sign(bot.secret, body)).status_code == 200


def test_a_locked_database_still_gets_an_answer_in_time_and_loses_nothing(bot, tmp_path):
    """SQLite held by another writer: LINE hears 503 within 2 s and redelivers; nothing lost."""
    import sqlite3
    import time

    if not bot.tsunagu.db.is_sqlite:
        pytest.skip("the write lock is SQLite's")
    path = bot.tsunagu.db.engine.url.database
    blocker = sqlite3.connect(path, isolation_level=None)
    assert blocker.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # set by upgrade
    blocker.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    event = text_event(bot, "ヘルプ")
    try:
        started = time.monotonic()
        resp = bot.post([event])
        elapsed = time.monotonic() - started
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert resp.status_code == 503 and 1.0 < elapsed < 2.0  # it waited, then gave up in time
    assert stored(bot) == 0
    redelivered = dict(event, deliveryContext={"isRedelivery": True})
    assert bot.post([redelivered]).status_code == 200
    bot.settle()
    assert stored(bot) == 1 and len(bot.double.calls("reply")) == 1
