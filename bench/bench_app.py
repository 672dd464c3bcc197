"""The bot's app plus ``POST /bare``: the baseline the webhook benchmark compares against.

``/bare`` does what ``POST /callback`` does before it stores anything — read the raw body, check
LINE's signature, parse the JSON, walk the events — and answers "OK". Served by the same gunicorn
(``bench.bench_app:app``, ``--config python:bot.gunicorn_conf``), so both endpoints share the
workers, threads, background runtime and machine of one run.
"""

from __future__ import annotations

import json
import os

from flask import jsonify, request
from linebot.v3.webhook import SignatureValidator

from bot import create_app

app = create_app()
if os.environ.get("BENCH_NO_RUNTIME"):
    # Diagnostics only (``webhook.py --no-runtime``): store events but never handle them, to see
    # what storing costs without the background handling competing for the CPU and the database.
    app.extensions["tsunagu"].runtime.start = lambda: None
_validator = SignatureValidator(app.extensions["tsunagu"].settings.channel_secret)


def bare():
    body = request.get_data(cache=False)
    signature = request.headers.get("X-Line-Signature", "")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return jsonify({"message": "body is not UTF-8"}), 400
    if not signature or not _validator.validate(text, signature):
        return jsonify({"message": "missing or invalid signature"}), 400
    try:
        payload = json.loads(text)
    except ValueError:
        return jsonify({"message": "body is not JSON"}), 400
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return jsonify({"message": "body has no events list"}), 400
    seen = sum(1 for event in events if isinstance(event, dict) and event.get("webhookEventId"))
    if seen != len(events):
        return jsonify({"message": "event without webhookEventId"}), 400
    return "OK"


app.add_url_rule("/bare", "bare", bare, methods=["POST"])
