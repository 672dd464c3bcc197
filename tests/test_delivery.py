"""Delivery through the real SDK to the API double: reply, push, retry, back off, give up."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.messaging.client import messaging_api
from bot.storage.models import OutboxMessage

PARENT = "U" + "c" * 32


class Clock:
    """The deliverer's idea of now: real time, moved forward by the test."""

    def __init__(self):
        self.offset = timedelta(0)

    def __call__(self):
        return datetime.now(UTC) + self.offset

    @property
    def now(self):
        return self()

    @now.setter
    def now(self, when):
        self.offset = when - datetime.now(UTC)

    def advance(self, **delta):
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(bot):
    c = Clock()
    bot.tsunagu.runtime.deliverer.now = c
    return c


def outbox(bot) -> list[OutboxMessage]:
    with bot.tsunagu.db.transaction() as session:
        return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def say_without_delivering(bot, person, typed="ヘルプ"):
    person._send("message", settle=False, message={"type": "text", "id": "1", "text": typed})
    bot.tsunagu.runtime.process_events()


def test_queued_rows_keep_the_order_a_turn_queued_them_in_with_their_own_retry_keys(bot):
    """``enqueue`` writes by one INSERT on the table (not the session's unit of work): what the
    turn added to the session before (a menu link) is still written, and sent, first."""
    from bot.messaging.builders import text
    from bot.messaging.outbox import enqueue
    from bot.messaging.richmenu import link_menu

    with bot.tsunagu.db.transaction() as session:
        link_menu(session, PARENT, "parent", "en")
        enqueue(session, PARENT, [text(str(i)) for i in range(7)], reply_token="r" * 32)
    rows = outbox(bot)
    assert [r.kind for r in rows] == ["richmenu", "messages", "messages"]
    assert [len(r.messages) for r in rows] == [1, 5, 2]
    assert rows[1].messages[0]["text"] == "0" and rows[2].messages[-1]["text"] == "6"
    assert rows[1].reply_token == "r" * 32 and rows[2].reply_token is None
    assert all(r.status == "pending" and r.attempts == 0 for r in rows)
    assert len({r.retry_key for r in rows}) == 3


def test_fresh_token_is_used_for_a_reply(bot):
    parent = bot.person(PARENT)
    parent.says("ヘルプ")
    assert [c["endpoint"] for c in bot.double.requests] == ["reply"]
    assert outbox(bot)[0].sent_via == "reply"


def test_token_older_than_50_seconds_falls_back_to_push_with_retry_key(bot, clock):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    clock.advance(seconds=55)
    bot.tsunagu.runtime.deliver()
    assert parent.replies() and parent.heard("できること")
    (push,) = bot.double.calls("push")
    row = outbox(bot)[0]
    assert push["headers"]["X-Line-Retry-Key"] == row.retry_key
    assert row.sent_via == "push"
    assert bot.double.calls("reply") == []


def test_rejected_reply_token_falls_back_to_push_at_once(bot):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    bot.double.reply_tokens.clear()  # LINE no longer knows the token
    bot.tsunagu.runtime.deliver()
    assert [c["endpoint"] for c in bot.double.requests] == ["reply", "push"]
    assert parent.replies() and parent.heard("できること")


def test_server_errors_are_retried_with_growing_backoff(bot, clock):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    bot.double.fail_next(500, times=3)
    gaps = []
    for _ in range(3):
        bot.tsunagu.runtime.deliver()
        row = outbox(bot)[0]
        assert row.status == "pending" and row.last_error.startswith("HTTP 500")
        gaps.append(row.next_attempt_at - clock.now)
        bot.tsunagu.runtime.deliver()  # not due yet: nothing is sent
        clock.now = row.next_attempt_at
    assert gaps[0] < gaps[1] < gaps[2]
    bot.tsunagu.runtime.deliver()
    assert outbox(bot)[0].status == "sent"
    assert len(bot.double.requests) == 4
    # While the token is fresh the retries reply again with it (a token works once, so LINE
    # itself stops a second delivery); nothing is pushed.
    tokens = {c["json"]["replyToken"] for c in bot.double.calls("reply")}
    assert len(tokens) == 1 and bot.double.calls("push") == []
    assert parent.replies() and parent.heard("できること")


def test_server_errors_past_the_reply_window_are_pushed_with_one_key(bot, clock):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    bot.double.fail_next(500, times=3)
    for seconds in (55, 60, 60):  # the token is stale after the first try: the retries push
        bot.tsunagu.runtime.deliver()
        clock.advance(seconds=seconds)
    bot.tsunagu.runtime.deliver()
    assert outbox(bot)[0].status == "sent"
    assert [c["endpoint"] for c in bot.double.requests] == ["reply", "push", "push", "push"]
    keys = [c["headers"].get("X-Line-Retry-Key") for c in bot.double.calls("push")]
    assert set(keys) == {outbox(bot)[0].retry_key}
    assert len(parent.replies()) == 1


def test_429_backs_off_for_retry_after(bot, clock):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    bot.double.fail_next(429, retry_after=120)
    bot.tsunagu.runtime.deliver()
    row = outbox(bot)[0]
    assert row.status == "pending"
    assert timedelta(seconds=119) < row.next_attempt_at - clock.now <= timedelta(seconds=120)
    clock.advance(seconds=121)
    bot.tsunagu.runtime.deliver()
    assert outbox(bot)[0].status == "sent"


def test_429_without_retry_after_backs_off_longer_than_a_server_error(bot, clock):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    bot.double.fail_next(429)
    bot.tsunagu.runtime.deliver()
    assert outbox(bot)[0].next_attempt_at - clock.now >= timedelta(seconds=8)


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_other_client_errors_are_dead_lettered(bot, clock, status, caplog):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    bot.double.fail_next(status, times=2)
    bot.tsunagu.runtime.deliver()
    row = outbox(bot)[0]
    assert row.status == "dead"
    assert row.last_error.startswith(f"HTTP {status}")
    clock.advance(hours=1)
    bot.tsunagu.runtime.deliver()
    assert len(bot.double.requests) == 1
    assert "dead-lettered" in caplog.text


def test_wrong_access_token_is_dead_lettered_not_retried(bot):
    bot.double.token = "another-token"
    parent = bot.person(PARENT)
    parent.says("ヘルプ")
    assert outbox(bot)[0].status == "dead"
    assert outbox(bot)[0].last_error.startswith("HTTP 401")


def test_unreachable_api_is_retried(bot, clock):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    deliverer = bot.tsunagu.runtime.deliverer
    good_api = deliverer.api
    settings = bot.tsunagu.settings
    deliverer.api = messaging_api("http://127.0.0.1:9", settings.channel_access_token)  # no one
    bot.tsunagu.runtime.deliver()
    row = outbox(bot)[0]
    assert row.status == "pending" and row.last_error.startswith("transport")
    deliverer.api = good_api
    clock.now = row.next_attempt_at
    bot.tsunagu.runtime.deliver()
    assert outbox(bot)[0].status == "sent"


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing catches it."""


def test_killed_between_push_and_mark_sends_nothing_twice(bot, clock, monkeypatch):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    clock.advance(seconds=55)  # too late to reply: this goes by push
    deliverer = bot.tsunagu.runtime.deliverer

    def die(row, attempt):
        raise Crash

    monkeypatch.setattr(deliverer, "_settle", die)
    with pytest.raises(Crash):
        deliverer.deliver_due()
    monkeypatch.undo()
    assert len(bot.double.calls("push")) == 1  # LINE got it …
    assert outbox(bot)[0].status == "sending"  # … but we never wrote that down

    # The process restarts; the lease runs out; the row is tried again with the same key.
    clock.advance(seconds=61)
    bot.tsunagu.runtime.deliver()
    pushes = bot.double.calls("push")
    assert len(pushes) == 2
    assert pushes[0]["headers"]["X-Line-Retry-Key"] == pushes[1]["headers"]["X-Line-Retry-Key"]
    assert outbox(bot)[0].status == "sent"
    assert len(parent.replies()) == 1  # the parent saw the answer once


def test_killed_while_a_reply_was_on_the_wire_is_not_sent_again(bot, clock, monkeypatch):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    deliverer = bot.tsunagu.runtime.deliverer
    monkeypatch.setattr(deliverer, "_settle", lambda row, attempt: (_ for _ in ()).throw(Crash))
    with pytest.raises(Crash):
        deliverer.deliver_due()
    monkeypatch.undo()
    clock.advance(seconds=61)
    bot.tsunagu.runtime.deliver()
    assert [c["endpoint"] for c in bot.double.requests] == ["reply"]
    assert outbox(bot)[0].status == "unconfirmed"
    assert len(parent.replies()) == 1


def test_a_row_leased_by_another_process_is_left_alone(bot, clock):
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    claimed = bot.tsunagu.runtime.deliverer.claim()
    assert len(claimed) == 1
    assert bot.tsunagu.runtime.deliverer.claim() == []  # leased: nobody else takes it


def test_a_claimed_batch_is_read_and_decrypted_after_its_write_transaction(bot, monkeypatch):
    """Decrypting and parsing the answers' cards held SQLite's one write lock
    (docs/benchmarks.md)."""
    from bot.storage import crypto

    db = bot.tsunagu.db
    parent = bot.person(PARENT)
    say_without_delivering(bot, parent)
    in_transaction = []
    real = crypto.decrypt_text

    def decrypt(token):
        in_transaction.append(db.gate._local.locked() if db.gate else False)
        return real(token)

    monkeypatch.setattr(crypto, "decrypt_text", decrypt)
    (row,) = bot.tsunagu.runtime.deliverer.claim()
    assert in_transaction and not any(in_transaction)
    assert row.messages == outbox(bot)[0].messages and row.instead is None
    assert row.messages[0]["type"] == "text"


def test_stored_requests_put_the_same_json_on_the_wire_as_the_sdks_models(bot):
    """bot.messaging.wire skips the SDK's parse-and-serialise round trip: the body LINE gets
    must be what the SDK's own models would have sent, for real answers (cards, quick replies)."""
    from linebot.v3.messaging import PushMessageRequest, ReplyMessageRequest

    from bot.city import load_city
    from bot.cli.kb import city_files
    from bot.config import SAMPLE_CITY
    from bot.knowledge.importers import import_paths
    from bot.messaging.wire import push_request, reply_request

    city = load_city(SAMPLE_CITY)
    assert import_paths(bot.tsunagu.db, city_files(city), city=city).ok
    parent = bot.person(PARENT)
    for typed in ("ヘルプ", "土曜日にやってる支援センター", "一時預かりはどこで申し込めますか"):
        say_without_delivering(bot, parent, typed)
    rows = [r for r in outbox(bot) if r.kind == "messages"]
    assert len(rows) >= 3
    assert any(m["type"] == "flex" for r in rows for m in r.messages)  # cards among them
    client = bot.tsunagu.runtime.deliverer.api.api_client
    for row in rows:
        sdk = ReplyMessageRequest.from_dict({"replyToken": "t", "messages": row.messages})
        assert client.sanitize_for_serialization(
            reply_request("t", row.messages)
        ) == client.sanitize_for_serialization(sdk)
        sdk = PushMessageRequest.from_dict({"to": PARENT, "messages": row.messages})
        assert client.sanitize_for_serialization(
            push_request(PARENT, row.messages)
        ) == client.sanitize_for_serialization(sdk)
