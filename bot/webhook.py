"""POST /callback: verify LINE's signature on the raw body, store each event once, answer at once.

Nothing is handled here: the events are written to the inbox and LINE gets its 200 in
milliseconds. If the database cannot take them within its short timeouts we answer 503, so that
LINE redelivers (turn on "webhook redelivery" in the LINE console) and nothing is lost.

Hostile bodies get a 4xx and cost little: a body over the app's MAX_CONTENT_LENGTH is refused
(413) before a byte of it is read; one nested too deep for the parser is a 400, not a crash; a
body for another bot (``BOT_DESTINATION``) is refused; and each signed event is checked for the
shape handling expects (``bot.event_shape``): the misshapen ones are skipped, the rest stored.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import RequestEntityTooLarge

from bot.event_shape import sort_events
from bot.ingest import StoreFailed

log = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)


@bp.post("/callback")
def callback():
    tsunagu = current_app.extensions["tsunagu"]
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        return _too_large(limit)
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return _too_large(limit)
    if len(body) >= limit:  # a body sent without a length (chunked) is cut at the limit
        return _too_large(limit)
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
    except RecursionError:
        return _bad("body is nested too deeply")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return _bad("body has no events list")
    expected = tsunagu.settings.destination
    if expected and payload.get("destination") != expected:
        log.warning("webhook refused: addressed to another bot (see BOT_DESTINATION)")
        return jsonify({"message": "this webhook is for another destination"}), 403
    events = sort_events(events).kept
    if not events:
        return "OK"  # LINE's "Verify" button sends an empty list; or nothing was usable
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


def _too_large(limit: int):
    log.warning("webhook refused: body over %d bytes", limit)
    resp = jsonify({"message": f"body over {limit} bytes"})
    # Close rather than read the rest: a keep-alive server would drain it before the next request.
    resp.headers["Connection"] = "close"
    return resp, 413


@bp.get("/healthz")
def healthz():
    tsunagu = current_app.extensions["tsunagu"]
    try:
        with tsunagu.db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except SQLAlchemyError as exc:
        return jsonify({"status": "unhealthy", "database": type(exc).__name__}), 503
    return jsonify({"status": "ok", "mode": "local" if tsunagu.settings.local_mode else "line"})
