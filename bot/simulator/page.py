"""The simulator's page and its small JSON API.

What the page sends goes to /callback as a real, signed webhook call (the same path LINE takes);
what the bot answers is read back from the Messaging API double, where the SDK delivered it.

The API acts as any user (a specialist too) and reads what they received, so it answers only
requests that carry this run's token, which is embedded in the served page and nowhere else
(``X-Simulator-Token``; without it: 403). Another site's script can neither read the page nor
send the header, and the app is on loopback only (``bot.loopback``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import time
import uuid
from pathlib import Path

import requests
from flask import Blueprint, Response, current_app, jsonify, request, send_from_directory

from bot.simulator.double import DoubleState, rich_menu_for

STATIC = Path(__file__).resolve().parent / "static"
TOKEN_HEADER = "X-Simulator-Token"
TOKEN_TAG = '<meta name="simulator-token" content="">'

PERSONAS = [
    ("parent", "保護者（はじめて）", "U" + "0" * 31 + "1"),
    ("parent2", "保護者（2人目）", "U" + "0" * 31 + "2"),
    ("member", "サロンスタッフ（ネットワーク）", "U" + "0" * 31 + "3"),
    ("specialist", "専門員（基本型）", "U" + "0" * 31 + "4"),
    ("specialist_mch", "専門員（母子保健型）", "U" + "0" * 31 + "5"),
]


def sign(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_body(destination: str, events: list[dict]) -> bytes:
    return json.dumps({"destination": destination, "events": events}, ensure_ascii=False).encode(
        "utf-8"
    )


def make_event(user_id: str, kind: str, reply_token: str | None = None, **fields) -> dict:
    """A webhook event shaped as LINE sends it."""
    event = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(),
        "deliveryContext": {"isRedelivery": False},
    }
    if reply_token:
        event["replyToken"] = reply_token
    event.update(fields)
    return event


def simulator_blueprint(state: DoubleState) -> Blueprint:
    bp = Blueprint("simulator", __name__, url_prefix="/simulator")
    run_token = secrets.token_urlsafe(32)  # this run's; only the page below carries it

    @bp.before_request
    def _token_required():
        if not request.path.startswith("/simulator/api/"):
            return None
        given = request.headers.get(TOKEN_HEADER, "").encode()
        if not hmac.compare_digest(given, run_token.encode()):
            refused = {"error": "open the simulator page: its API needs the page's token"}
            return jsonify(refused), 403
        return None

    @bp.get("")
    @bp.get("/")
    def page():
        source = (STATIC / "simulator.html").read_text(encoding="utf-8")
        tag = TOKEN_TAG.replace('content=""', f'content="{html.escape(run_token)}"')
        resp = Response(source.replace(TOKEN_TAG, tag), mimetype="text/html")
        # The page holds the token: never cached, framed by nobody, never sent on as a referrer.
        resp.headers["Cache-Control"] = "no-store"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp

    @bp.get("/static/<path:name>")
    def static_file(name: str):
        return send_from_directory(STATIC, name)

    @bp.get("/api/personas")
    def personas():
        return jsonify(
            {"personas": [{"id": i, "label": label, "user_id": uid} for i, label, uid in PERSONAS]}
        )

    @bp.post("/api/send")
    def send():
        data = request.get_json(silent=True) or {}
        user_id = str(data.get("user_id", ""))
        if not (user_id.startswith("U") and 2 <= len(user_id) <= 33):
            return jsonify({"error": "user_id must look like a LINE user id (U…)"}), 400
        token = state.issue_reply_token(user_id)
        if "text" in data:
            typed = str(data["text"])
            if not typed.strip():
                return jsonify({"error": "empty message"}), 400
            event = make_event(
                user_id,
                "message",
                token,
                message={
                    "type": "text",
                    "id": str(secrets.randbits(60)),
                    "text": typed[:5000],
                    "quoteToken": secrets.token_hex(8),
                    "markAsReadToken": secrets.token_hex(8),
                },
            )
        elif isinstance(data.get("postback"), dict):
            pb = {"data": str(data["postback"].get("data", ""))}
            if data["postback"].get("params"):
                pb["params"] = data["postback"]["params"]
            event = make_event(user_id, "postback", token, postback=pb)
        elif data.get("event") in ("follow", "unfollow"):
            kind = data["event"]
            event = make_event(user_id, kind, token if kind == "follow" else None)
            if kind == "follow":
                event["follow"] = {"isUnblocked": False}
        else:
            return jsonify({"error": "send text, postback or event"}), 400
        settings = current_app.extensions["tsunagu"].settings
        body = webhook_body("Usimulator", [event])
        # Always our own port on loopback: never an address taken from the request (its Host
        # header would let a caller make this server post anywhere).
        resp = requests.post(
            f"http://127.0.0.1:{settings.port}/callback",
            data=body,
            timeout=5,
            headers={
                "Content-Type": "application/json",
                "X-Line-Signature": sign(settings.channel_secret, body),
            },
        )
        if resp.status_code != 200:
            return jsonify({"error": f"webhook answered {resp.status_code}"}), 502
        return jsonify({"ok": True})

    @bp.get("/api/messages")
    def messages():
        user_id = request.args.get("user_id", "")
        after = request.args.get("after", "0")
        received = state.messages_for(user_id, int(after) if after.isdigit() else 0)
        menu = rich_menu_for(state, user_id)
        return jsonify(
            {
                "messages": [
                    {"seq": r.seq, "via": r.via, "at": r.at, "message": r.message} for r in received
                ],
                "richmenu": menu,
                "loading": state.is_loading(user_id),  # LINE's "…" while the bot looks up
            }
        )

    return bp
