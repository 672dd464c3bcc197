"""The Messaging API double as its own WSGI app, for benchmarks: ``bench.double_server:app``.

Serve it with ONE process (its state lives in memory); threads are fine. ``GET /_stats`` says how
many pushes and replies it accepted and how many messages they carried, so a benchmark can wait
until every event has been answered.
"""

from __future__ import annotations

import os

from flask import jsonify

from bot.simulator.double import double_app

app, state = double_app(os.environ["BENCH_DOUBLE_TOKEN"])


@app.get("/_stats")
def stats():
    with state.lock:
        pushes = sum(1 for r in state.delivered if r.via == "push")
        return jsonify(
            {
                "requests": len(state.requests),
                "accepted_pushes": len(state.retry_keys),
                "delivered_messages": len(state.delivered),
                "push_messages": pushes,
                "reply_messages": len(state.delivered) - pushes,
                "users": len({r.user_id for r in state.delivered}),
            }
        )
