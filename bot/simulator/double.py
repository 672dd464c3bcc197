"""A Messaging API double: receives what line-bot-sdk sends, as LINE would, and remembers it.

It checks the bearer token on every call (the run's random token: see ``bot.simulator.begin_run``),
the request shape, reply tokens (issued by the simulator, single use, short-lived) and push retry
keys (a repeated key gets 409, like LINE). Tests can make it fail or stall on purpose
(``fail_next``, ``stall_next``) and read the requests it received (``requests``). What it keeps is
bounded (the newest ``KEEP`` requests and messages …), so a long local run never grows without end.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, jsonify, request

REPLY_TOKEN_TTL = 60.0  # seconds, about what LINE allows
KEEP = 5000  # requests and delivered messages kept (the newest)
KEEP_TOKENS = 10_000  # reply tokens, retry keys and per-user menu links kept (the newest)
KEEP_MENUS = 100


def _trim(items: list, keep: int) -> None:
    if len(items) > keep:
        del items[: len(items) - keep]


def _trim_dict(items: dict, keep: int) -> None:
    while len(items) > keep:  # dicts keep insertion order: the oldest go first
        del items[next(iter(items))]


@dataclass
class Received:
    """A message the double accepted for a user, in order."""

    seq: int
    user_id: str
    via: str
    message: dict
    at: str


@dataclass
class Failure:
    status: int
    endpoint: str | None
    retry_after: int | None
    # A stall: wait this long before answering (a slow LINE, for the client's timeouts).
    delay: float = 0.0
    skip: int = 0  # calls to let through first


@dataclass
class DoubleState:
    token: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[dict[str, Any]] = field(default_factory=list)
    delivered: list[Received] = field(default_factory=list)
    reply_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    retry_keys: dict[str, str] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    rich_menus: dict[str, dict] = field(default_factory=dict)
    default_rich_menu: str | None = None
    user_rich_menus: dict[str, str] = field(default_factory=dict)
    quota: int = 1000
    # LINE's loading animation: user id -> when it ends (time.monotonic); a message ends it.
    loading: dict[str, float] = field(default_factory=dict)
    seq: int = 0
    stalling: threading.Event = field(default_factory=threading.Event)  # a stall has begun

    # ------------------------------------------------------------ for the simulator and tests

    def issue_reply_token(self, user_id: str) -> str:
        token = secrets.token_hex(16)
        now = time.monotonic()
        with self.lock:
            # Tokens are issued in time order: the stale ones are at the front.
            while self.reply_tokens:
                oldest = next(iter(self.reply_tokens))
                if now - self.reply_tokens[oldest][1] <= REPLY_TOKEN_TTL:
                    break
                del self.reply_tokens[oldest]
            self.reply_tokens[token] = (user_id, now)
            _trim_dict(self.reply_tokens, KEEP_TOKENS)
        return token

    def fail_next(
        self,
        status: int,
        times: int = 1,
        endpoint: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        with self.lock:
            self.failures.extend(Failure(status, endpoint, retry_after) for _ in range(times))

    def stall_next(
        self, seconds: float, times: int = 1, endpoint: str | None = None, after: int = 0
    ) -> None:
        """Answer the next calls (after letting ``after`` through) only after ``seconds`` — and
        then act on them, as a slow LINE does: a client that gave up waiting cannot tell
        whether its call went through."""
        with self.lock:
            self.failures.extend(
                Failure(0, endpoint, None, delay=seconds, skip=after if i == 0 else 0)
                for i in range(times)
            )

    def messages_for(self, user_id: str, after: int = 0) -> list[Received]:
        with self.lock:
            return [r for r in self.delivered if r.user_id == user_id and r.seq > after]

    def calls(self, endpoint: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.requests if r["endpoint"] == endpoint]

    # ------------------------------------------------------------ internals

    def _take_failure(self, endpoint: str) -> Failure | None:
        for i, failure in enumerate(self.failures):
            if failure.endpoint in (None, endpoint):
                if failure.skip:
                    failure.skip -= 1
                    return None
                return self.failures.pop(i)
        return None

    def is_loading(self, user_id: str) -> bool:
        with self.lock:
            return self.loading.get(user_id, 0.0) > time.monotonic()

    def _deliver(self, user_id: str, via: str, messages: list[dict]) -> None:
        self.loading.pop(user_id, None)  # a message arriving ends the animation, as in LINE
        at = datetime.now(UTC).isoformat(timespec="seconds")
        for message in messages:
            self.seq += 1
            self.delivered.append(Received(self.seq, user_id, via, message, at))
        _trim(self.delivered, KEEP)


def _error(status: int, message: str, **extra):
    return jsonify({"message": message, **extra}), status


def _valid_messages(body: dict) -> str | None:
    messages = body.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return "The property, 'messages', must be an array of 1 to 5 messages"
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or "type" not in m:
            return f"The property, 'messages[{i}].type', is required"
        if m["type"] == "text" and not (m.get("text") or "").strip():
            return f"The property, 'messages[{i}].text', may not be empty"
    return None


def double_blueprint(state: DoubleState, name: str = "line_double") -> Blueprint:
    bp = Blueprint(name, __name__)

    @bp.before_request
    def _authorised():
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, f"Bearer {state.token}".encode()):
            return _error(
                401,
                "Authentication failed due to the following reason: "
                "invalid token. Confirm that the access token in the "
                "authorization header is valid.",
            )
        return None

    def _record(endpoint: str) -> tuple[dict, Any]:
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        entry = {"endpoint": endpoint, "headers": dict(request.headers), "json": body}
        with state.lock:
            state.requests.append(entry)
            _trim(state.requests, KEEP)
            failure = state._take_failure(endpoint)
        if failure and failure.delay:
            state.stalling.set()
            time.sleep(failure.delay)
        elif failure:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            resp = _error(failure.status, "failure injected by the test double")
            return body, (resp[0], resp[1], headers)
        return body, None

    @bp.post("/v2/bot/message/reply")
    def reply():
        body, early = _record("reply")
        if early:
            return early
        problem = _valid_messages(body)
        if problem:
            return _error(400, "The request body has 1 error(s)", details=[{"message": problem}])
        with state.lock:
            issued = state.reply_tokens.pop(body.get("replyToken", ""), None)
            if issued is None or time.monotonic() - issued[1] > REPLY_TOKEN_TTL:
                return _error(400, "Invalid reply token")
            state._deliver(issued[0], "reply", body["messages"])
        return jsonify({"sentMessages": [{"id": str(state.seq)}]})

    @bp.post("/v2/bot/message/push")
    def push():
        body, early = _record("push")
        if early:
            return early
        problem = _valid_messages(body) or (None if body.get("to") else "'to' is required")
        if problem:
            return _error(400, "The request body has 1 error(s)", details=[{"message": problem}])
        key = request.headers.get("X-Line-Retry-Key")
        with state.lock:
            if key and key in state.retry_keys:
                resp = jsonify({"message": "The retry key is already accepted"})
                return resp, 409, {"x-line-accepted-request-id": state.retry_keys[key]}
            request_id = secrets.token_hex(8)
            if key:
                state.retry_keys[key] = request_id
                _trim_dict(state.retry_keys, KEEP_TOKENS)
            state._deliver(body["to"], "push", body["messages"])
        return jsonify({"sentMessages": [{"id": str(state.seq)}]})

    @bp.post("/v2/bot/chat/markAsRead")
    def mark_read():
        body, early = _record("mark_read")
        if early:
            return early
        if not body.get("markAsReadToken"):
            return _error(400, "The property, 'markAsReadToken', is required")
        return jsonify({})

    @bp.post("/v2/bot/chat/loading/start")
    def loading_start():
        body, early = _record("loading")
        if early:
            return early
        chat_id = body.get("chatId")
        seconds = body.get("loadingSeconds", 20)  # LINE's default
        if not isinstance(chat_id, str) or not chat_id:
            problem = ("chatId", "May not be empty")
        elif not chat_id.startswith("U"):
            problem = ("chatId", "The loading animation is for one-on-one chats (a user id)")
        elif (
            isinstance(seconds, bool)
            or not isinstance(seconds, int)
            or seconds % 5
            or not 5 <= seconds <= 60
        ):
            problem = ("loadingSeconds", "Must be a multiple of 5 from 5 to 60")
        else:
            problem = None
        if problem:
            detail = {"message": problem[1], "property": problem[0]}
            return _error(400, "The request body has 1 error(s)", details=[detail])
        with state.lock:
            state.loading[chat_id] = time.monotonic() + seconds
            _trim_dict(state.loading, KEEP_TOKENS)
        return jsonify({}), 202

    @bp.post("/v2/bot/message/multicast")
    def multicast():
        body, early = _record("multicast")
        if early:
            return early
        to = body.get("to")
        problem = _valid_messages(body)
        if not problem and (not isinstance(to, list) or not 1 <= len(to) <= 500):
            problem = "The property, 'to', must be an array of 1 to 500 user IDs"
        if problem:
            return _error(400, "The request body has 1 error(s)", details=[{"message": problem}])
        key = request.headers.get("X-Line-Retry-Key")
        with state.lock:
            if key and key in state.retry_keys:
                resp = jsonify({"message": "The retry key is already accepted"})
                return resp, 409, {"x-line-accepted-request-id": state.retry_keys[key]}
            if key:
                state.retry_keys[key] = secrets.token_hex(8)
            for user_id in to:
                state._deliver(user_id, "multicast", body["messages"])
        return jsonify({})

    @bp.get("/v2/bot/message/quota")
    def quota():
        return jsonify({"type": "limited", "value": state.quota})

    @bp.get("/v2/bot/message/quota/consumption")
    def consumption():
        with state.lock:
            used = sum(1 for r in state.delivered if r.via in ("push", "multicast"))
        return jsonify({"totalUsage": used})

    @bp.get("/v2/bot/profile/<user_id>")
    def profile(user_id: str):
        return jsonify({"userId": user_id, "displayName": "シミュレーター", "language": "ja"})

    @bp.post("/v2/bot/richmenu")
    def create_rich_menu():
        body, early = _record("richmenu")
        if early:
            return early
        menu_id = "richmenu-" + secrets.token_hex(8)
        with state.lock:
            if len(state.rich_menus) >= KEEP_MENUS:
                return _error(400, f"a channel may have at most {KEEP_MENUS} rich menus here")
            state.rich_menus[menu_id] = body
        return jsonify({"richMenuId": menu_id})

    @bp.post("/v2/bot/richmenu/<menu_id>/content")
    def upload_rich_menu_image(menu_id: str):
        _body, early = _record("richmenu_image")
        if early:
            return early
        if request.content_type != "image/png" or not request.get_data().startswith(b"\x89PNG"):
            return _error(400, "The image must be a PNG")
        with state.lock:
            if menu_id not in state.rich_menus:
                return _error(404, "richmenu not found")
        return jsonify({})

    @bp.get("/v2/bot/richmenu/list")
    def list_rich_menus():
        with state.lock:
            menus = [{"richMenuId": k, **v} for k, v in state.rich_menus.items()]
        return jsonify({"richmenus": menus})

    @bp.delete("/v2/bot/richmenu/<menu_id>")
    def delete_rich_menu(menu_id: str):
        with state.lock:
            state.rich_menus.pop(menu_id, None)
        return jsonify({})

    @bp.post("/v2/bot/user/all/richmenu/<menu_id>")
    def set_default_rich_menu(menu_id: str):
        with state.lock:
            if menu_id not in state.rich_menus:
                return _error(404, "richmenu not found")
            state.default_rich_menu = menu_id
        return jsonify({})

    @bp.post("/v2/bot/user/<user_id>/richmenu/<menu_id>")
    def link_rich_menu(user_id: str, menu_id: str):
        with state.lock:
            if menu_id not in state.rich_menus:
                return _error(404, "richmenu not found")
            state.user_rich_menus.pop(user_id, None)  # re-linked: now the newest
            state.user_rich_menus[user_id] = menu_id
            _trim_dict(state.user_rich_menus, KEEP_TOKENS)
        return jsonify({})

    return bp


def rich_menu_for(state: DoubleState, user_id: str) -> dict | None:
    with state.lock:
        menu_id = state.user_rich_menus.get(user_id) or state.default_rich_menu
        menu = state.rich_menus.get(menu_id) if menu_id else None
    if menu is None:
        return None
    # The page draws each area with its action's label (LINE would show the uploaded image).
    return {**menu, "labels": [a.get("action", {}).get("label", "") for a in menu.get("areas", [])]}


def double_app(token: str) -> tuple[Flask, DoubleState]:
    """The double on its own, for benchmarks and tests that want it in another server."""
    app = Flask("line_double")
    state = DoubleState(token=token)
    app.register_blueprint(double_blueprint(state))
    return app, state
