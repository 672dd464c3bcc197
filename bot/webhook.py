"""POST /callback: verify LINE's signature on the raw body, store each event once, answer at once.

Nothing is handled here: the events are written to the inbox and LINE gets its 200 in
milliseconds. If the database cannot take them within its short timeouts we answer 503, so that
LINE redelivers (turn on "webhook redelivery" in the LINE console) and nothing is lost.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from bot.ingest import StoreFailed

log = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)


@bp.post("/callback")
def callback():
    tsunagu = current_app.extensions["tsunagu"]
    body = request.get_data(cache=False)
    signature = request.headers.get("X-Line-Signature", "")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _bad("body is not UTF-8")
    if not signature or not tsunagu.signature.validate(text, signature):
        return _bad("missing or invalid signature")
    try:
        payload = json.loads(text)
    except ValueError:
        return _bad("body is not JSON")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return _bad("body has no events list")
    if not events:
        return "OK"  # LINE's "Verify" button sends an empty list
    try:
        new = tsunagu.ingest.store(events)
    except StoreFailed as exc:
        log.error(
            "could not store %d events (%s); asking LINE to redeliver",
            len(events),
            exc,
        )
        return jsonify({"message": "busy, please redeliver"}), 503
    if new:
        tsunagu.runtime.events_waiting.set()
    return "OK"


def _bad(reason: str):
    log.warning("webhook refused: %s", reason)
    return jsonify({"message": reason}), 400


@bp.get("/healthz")
def healthz():
    tsunagu = current_app.extensions["tsunagu"]
    try:
        with tsunagu.db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except SQLAlchemyError as exc:
        return jsonify({"status": "unhealthy", "database": type(exc).__name__}), 503
    return jsonify({"status": "ok", "mode": "local" if tsunagu.settings.local_mode else "line"})
