"""The Messaging API double as its own WSGI app, for benchmarks: ``bench.double_server:app``.

Serve it with ONE process (its state lives in memory); threads are fine. ``GET /_stats`` says how
many pushes and replies it accepted and how many messages they carried, so a benchmark can wait
until every event has been answered. ``POST /_tokens`` issues reply tokens (as LINE does for each
event a user sends), and the double counts what a benchmark must check: replies made with a token
older than LINE allows, tokens used twice, pushes refused for a repeated retry key, answers per
user, and the time of each accepted answer (for latency from the webhook to the Messaging API).
"""

from __future__ import annotations

import os
import time
from collections import Counter

from flask import g, jsonify, request

from bot.simulator import double as double_module
from bot.simulator.double import REPLY_TOKEN_TTL, double_app

# A flood issues more tokens and retry keys than the simulator keeps; keep them all here.
double_module.KEEP_TOKENS = 1_000_000

app, state = double_app(os.environ["BENCH_DOUBLE_TOKEN"])
counts: Counter = Counter()  # "endpoint status" -> calls
per_user: Counter = Counter()  # user id -> accepted answers (reply or push)
# (time.time(), user id, reply token or "") of each accepted answer
answered_at: list[tuple[float, str, str]] = []
used_tokens: set[str] = set()
problems: Counter = Counter()


@app.before_request
def _look_at_reply():
    if request.path != "/v2/bot/message/reply":
        return
    body = request.get_json(silent=True) or {}
    token = body.get("replyToken", "")
    with state.lock:
        issued = state.reply_tokens.get(token)
        g.reply_user = issued[0] if issued else "?"
        if token in used_tokens:
            problems["reply_token_used_twice"] += 1
        elif issued is not None and time.monotonic() - issued[1] > REPLY_TOKEN_TTL:
            problems["reply_token_used_after_expiry"] += 1


@app.after_request
def _count(resp):
    endpoint = request.path.rsplit("/", 1)[-1]
    with state.lock:
        counts[f"{endpoint} {resp.status_code}"] += 1
        if resp.status_code == 200 and endpoint in ("reply", "push"):
            body = request.get_json(silent=True) or {}
            token = body.get("replyToken", "") if endpoint == "reply" else ""
            if endpoint == "reply":
                used_tokens.add(token)
                user = g.get("reply_user", "?")
            else:
                user = body.get("to", "?")
            per_user[user] += 1
            answered_at.append((time.time(), user, token))
    return resp


@app.post("/_tokens")
def tokens():
    """One fresh reply token for each user id given, in order."""
    users = (request.get_json(silent=True) or {}).get("users", [])
    return jsonify({"tokens": [state.issue_reply_token(u) for u in users]})


@app.get("/_stats")
def stats():
    with state.lock:
        pushes = sum(1 for r in state.delivered if r.via == "push")
        data = {
            "requests": len(state.requests),
            "accepted_pushes": counts["push 200"],
            "accepted_replies": counts["reply 200"],
            "answers": counts["push 200"] + counts["reply 200"],
            "calls": dict(counts),
            "problems": dict(problems),
            "delivered_messages": len(state.delivered),
            "push_messages": pushes,
            "reply_messages": len(state.delivered) - pushes,
        }
        if request.args.get("detail"):
            data["per_user"] = dict(per_user)
            data["answered_at"] = answered_at
    return jsonify(data)
