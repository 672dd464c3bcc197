"""P2: faults. Whatever fails — the Messaging API (5xx, slow, 429), a worker killed with
SIGKILL mid-batch, PostgreSQL dropping the app's connections under load — every question LINE
got a 200 for is answered exactly once. Each test counts what was lost and what was doubled.

The PostgreSQL server is shared with other work on this machine, so it is never restarted:
the app's own connections are terminated instead (``pg_terminate_backend`` by their
``application_name``), which is what a restart looks like from the app's side.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select, text
from werkzeug.serving import make_server

from bot import create_app
from bot.config import load_settings
from bot.messaging import delivery as delivery_module
from bot.messaging.delivery import Deliverer
from bot.simulator.double import double_app
from bot.simulator.page import make_event, sign, webhook_body
from bot.storage.migrate import upgrade
from bot.storage.models import InboxEvent, OutboxMessage
from tests.conftest import POSTGRES_URL, LiveServer, database, free_port

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["ヘルプ", "言語", "1歳の子と行けるサロンある？", "やめる", "ほいくえん"]
pytestmark = pytest.mark.slow


def users(n: int) -> list[str]:
    return [f"U{i:032x}" for i in range(1, n + 1)]


class Line:
    """LINE as the app sees it: signed webhooks, redelivered until acknowledged (as LINE does
    with "webhook redelivery" on), and the Messaging API double that receives the answers."""

    def __init__(self, url: str, secret: str, double):
        self.url, self.secret, self.double = url, secret, double
        self.acknowledged: list[dict] = []
        self.refused = 0

    def send(self, user: str, typed: str, deadline: float = 30.0, token: bool = True) -> None:
        """Without a reply token the answer goes by push."""
        event = make_event(
            user,
            "message",
            self.double.issue_reply_token(user) if token else None,
            message={"type": "text", "id": "1", "text": typed},
        )
        give_up = time.monotonic() + deadline
        while True:
            body = webhook_body("Ubot", [event])
            headers = {"X-Line-Signature": sign(self.secret, body)}
            try:
                status = requests.post(self.url, data=body, headers=headers, timeout=5).status_code
            except requests.RequestException:
                status = 0
            if status == 200:
                self.acknowledged.append(event)
                return
            assert status in (0, 503), f"the webhook answered {status}"
            self.refused += 1
            assert time.monotonic() < give_up, "LINE kept being refused"
            event = dict(event, deliveryContext={"isRedelivery": True})
            time.sleep(0.05)


def tally(db, double) -> dict[str, int]:
    """Questions with no answer delivered (lost) and answers delivered more than once."""
    with db.reading() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "messages"))
        expected = Counter()
        for row in rows:
            expected[row.to] += len(row.messages)
        statuses = Counter(session.scalars(select(OutboxMessage.status)))
        events = Counter(session.scalars(select(InboxEvent.status)))
    delivered = Counter(r.user_id for r in double.delivered)
    lost = sum(max(0, expected[u] - delivered[u]) for u in expected)
    doubled = sum(max(0, delivered[u] - expected[u]) for u in delivered)
    return {"lost": lost, "doubled": doubled, "outbox": dict(statuses), "inbox": dict(events)}


def drain_until_sent(runtime, deliverer: Deliverer, timeout: float = 30.0) -> None:
    """Handle and deliver until every answer is sent (retries are scheduled in the future)."""
    give_up = time.monotonic() + timeout
    while True:
        runtime.process_events()
        while deliverer.deliver_due():
            pass
        with runtime.db.reading() as session:
            waiting = session.scalar(
                select(OutboxMessage.id).where(OutboxMessage.status.in_(["pending", "sending"]))
            )
            unhandled = session.scalar(
                select(InboxEvent.id).where(InboxEvent.status.in_(["pending", "claimed"]))
            )
        if waiting is None and unhandled is None:
            return
        assert time.monotonic() < give_up, "answers still waiting"
        time.sleep(0.05)


# ---------------------------------------------------------------- the Messaging API misbehaves


def test_the_messaging_api_failing_slow_and_throttling_loses_and_doubles_nothing(bot, monkeypatch):
    runtime = bot.tsunagu.runtime
    deliverer = runtime.deliverer
    deliverer.base_delay = 0.05  # retries at once, so the test is quick
    monkeypatch.setattr(delivery_module, "TIMEOUT", (1.0, 0.5))  # a stall of 1 s times out
    double = bot.double
    # Failures are taken by the calls in turn: replies and pushes alike.
    double.fail_next(500, times=3)
    double.stall_next(1.0, times=2)  # answered late, after the client gave up: but done
    double.fail_next(429, times=2, retry_after=1)
    double.fail_next(503, times=2)
    double.stall_next(1.0, times=1, endpoint="push")
    double.fail_next(429, times=2)
    line = Line(bot.live.url + "/callback", bot.secret, double)
    people = users(6)
    for round_ in range(3):
        for n, user in enumerate(people):
            line.send(user, QUESTIONS[(round_ + n) % len(QUESTIONS)], token=(round_ + n) % 3 > 0)
        drain_until_sent(runtime, deliverer)
    time.sleep(1.2)  # stalled calls finish on the double's side
    result = tally(bot.tsunagu.db, double)
    print(f"\nMessaging API faults: {result}")
    assert not double.failures, "every planned failure happened"
    assert len(line.acknowledged) == 18
    assert (result["lost"], result["doubled"]) == (0, 0), result
    assert result["outbox"] == {"sent": 18}


# ---------------------------------------------------------------- a worker killed mid-batch


@pytest.fixture
def production(tmp_path, database_url):
    """The bot with a "real" channel: a Messaging API double in its own server, the web app
    taking webhooks (handling nothing itself), and the environment for a worker process."""
    token = "tok-" + uuid.uuid4().hex
    double_flask, double = double_app(token)
    port = free_port()
    double_server = make_server("127.0.0.1", port, double_flask, threaded=True)
    thread = threading.Thread(target=double_server.serve_forever, daemon=True)
    thread.start()
    env = {
        "LINE_CHANNEL_SECRET": uuid.uuid4().hex,
        "LINE_CHANNEL_ACCESS_TOKEN": token,
        "LINE_API_ENDPOINT": f"http://127.0.0.1:{port}",
        "BOT_DATA_KEY": Fernet.generate_key().decode(),
        "DATABASE_URL": database_url,
        "BOT_INSTANCE_PATH": str(tmp_path / "instance"),
        "PORT": str(free_port()),
    }
    settings = load_settings(env)
    upgrade(settings.database_url)
    app = create_app(settings)
    web = LiveServer(app, settings.port)
    yield app.extensions["tsunagu"], web, double, env
    app.extensions["tsunagu"].runtime.stop()
    web.stop()
    double_server.shutdown()
    double_server.server_close()
    app.extensions["tsunagu"].db.dispose()


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "BOT_"))}
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "worker"],
            cwd=ROOT,
            env={**base, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(production, tmp_path):
    tsunagu, web, double, env = production
    line = Line(web.url + "/callback", env["LINE_CHANNEL_SECRET"], double)
    people = users(12)
    for user in people:
        line.send(user, "ヘルプ")
    for user in people[:4]:
        line.send(user, "言語")
    # The double holds the 4th call it gets: the worker is then mid-batch, some of its claimed
    # answers sent, one on the wire, the rest not yet tried.
    double.stall_next(4.0, after=3)
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        assert double.stalling.wait(60), "the worker never reached the Messaging API"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    # A new worker takes over once the dead one's leases have run out — its answers' and its
    # claimed events' (we step over that wait with a clock 61 s ahead instead of sleeping).
    later = Deliverer(tsunagu.db, tsunagu.runtime.deliverer.api)
    later.now = lambda: datetime.now(UTC) + timedelta(seconds=61)
    tsunagu.runtime.now = later.now
    drain_until_sent(tsunagu.runtime, later)
    time.sleep(4.5)  # the held call completes on the double's side (LINE had received it)
    result = tally(tsunagu.db, double)
    print(f"\nworker killed mid-batch: {result}")
    assert len(line.acknowledged) == 16
    assert (result["lost"], result["doubled"]) == (0, 0), result
    assert result["inbox"] == {"done": 16}


# ---------------------------------------------------------------- PostgreSQL drops us


@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set")
def test_postgres_connections_dropped_under_load_lose_and_double_nothing(tmp_path):
    name = "tsunagu_chaos_" + uuid.uuid4().hex[:8]
    with database("postgresql", tmp_path) as url:
        url = f"{url}&application_name={name}"
        settings = load_settings(
            {
                "BOT_LOCAL_MODE": "1",
                "DATABASE_URL": url,
                "BOT_INSTANCE_PATH": str(tmp_path / "instance"),
                "PORT": str(free_port()),
            }
        )
        upgrade(settings.database_url)
        app = create_app(settings)
        tsunagu = app.extensions["tsunagu"]
        web = LiveServer(app, settings.port)
        admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        terminated = 0
        try:
            tsunagu.runtime.deliverer.base_delay = 0.05
            tsunagu.runtime.start()
            line = Line(web.url + "/callback", tsunagu.settings.channel_secret, tsunagu.double)
            stop = threading.Event()

            def chaos():
                nonlocal terminated
                while not stop.wait(0.1):
                    with admin.connect() as conn:
                        terminated += len(
                            conn.execute(
                                text(
                                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE application_name = :name"
                                ),
                                {"name": name},
                            ).all()
                        )

            killer = threading.Thread(target=chaos, daemon=True)
            killer.start()
            people = users(8)
            senders = [
                threading.Thread(
                    target=lambda u=u: [line.send(u, q) for q in QUESTIONS], daemon=True
                )
                for u in people
            ]
            for s in senders:
                s.start()
            for s in senders:
                s.join(60)
            time.sleep(1.0)  # handling and delivery go on under the chaos a little longer
            stop.set()
            killer.join(5)
            tsunagu.runtime.stop()
            # Rows a dropped connection left mid-send wait for their lease: step over it.
            later = Deliverer(tsunagu.db, tsunagu.runtime.deliverer.api)
            later.now = lambda: datetime.now(UTC) + timedelta(seconds=61)
            drain_until_sent(tsunagu.runtime, later)
            result = tally(tsunagu.db, tsunagu.double)
            print(
                f"\nPostgreSQL connections terminated: {terminated}, webhooks refused (503) "
                f"and redelivered: {line.refused}; {result}"
            )
            assert terminated > 0
            assert len(line.acknowledged) == 40
            assert (result["lost"], result["doubled"]) == (0, 0), result
            assert result["inbox"] == {"done": 40}
        finally:
            tsunagu.runtime.stop()
            web.stop()
            tsunagu.db.dispose()
            admin.dispose()
