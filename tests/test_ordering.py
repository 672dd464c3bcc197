"""One user's events are handled in the order LINE stamped them, and never two at once."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bot.simulator.page import make_event

USERS = ["U" + c * 32 for c in "def"]


def test_a_burst_from_each_user_is_handled_in_order_by_concurrent_processors(bot, monkeypatch):
    log: list[tuple[str, str, str]] = []  # (user, "start"/"end", text)
    lock = threading.Lock()
    chat = bot.tsunagu.runtime.services.chat
    real_on_text = chat.on_text

    def recording(turn, typed):
        with lock:
            log.append((turn.user.line_user_id, "start", typed))
        time.sleep(0.01)  # long enough for another processor to try the same user
        real_on_text(turn, typed)
        with lock:
            log.append((turn.user.line_user_id, "end", typed))

    monkeypatch.setattr(chat, "on_text", recording)

    # Ten messages per user, stamped in order, arriving in five concurrent webhook calls each,
    # in a shuffled order of calls.
    base = int(time.time() * 1000)
    batches = []
    for u, user in enumerate(USERS):
        events = []
        for i in range(10):
            event = make_event(
                user,
                "message",
                bot.double.issue_reply_token(user),
                message={"type": "text", "id": str(i), "text": f"ヘルプ {i}"},
            )
            event["timestamp"] = base + i * 10 + u
            events.append(event)
        batches += [events[i : i + 2] for i in range(0, 10, 2)]
    batches.reverse()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda b: bot.post(b).status_code, batches))
    assert statuses == [200] * len(batches)

    # Three processors at once, as three worker processes would.
    with ThreadPoolExecutor(3) as pool:
        handled = sum(pool.map(lambda _: bot.tsunagu.runtime.process_events(), range(3)))
    assert handled == 30

    for user in USERS:
        mine = [(kind, typed) for who, kind, typed in log if who == user]
        # never concurrent: each start is followed by its own end
        assert all(
            mine[i][0] == "start" and mine[i + 1] == ("end", mine[i][1])
            for i in range(0, len(mine), 2)
        )
        # in order of LINE's timestamps
        assert [typed for kind, typed in mine if kind == "start"] == [
            f"ヘルプ {i}" for i in range(10)
        ]
