"""A stand-in for the simulator's JSON API, with canned LINE messages of every kind.

It lets the page be checked on its own: the real blueprint serves the same three endpoints
(`/simulator/api/personas`, `/send`, `/messages`) and the same static files.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, abort, jsonify, request, send_from_directory

STATIC = Path(__file__).resolve().parents[2] / "bot" / "simulator" / "static"
STATIC_FILES = {"simulator.html", "simulator.js", "simulator.css"}

PERSONAS = [
    {"id": "parent", "label": "保護者（はじめて）", "user_id": "U" + "a" * 32},
    {"id": "member", "label": "サロンスタッフ", "user_id": "U" + "b" * 32},
    {"id": "specialist", "label": "専門員（基本型）", "user_id": "U" + "c" * 32},
]

# Served by this app: an image URL that answers 404, so the page must show its placeholder.
MISSING_IMAGE = "/no-such-image.png"

XSS_TEXT = "<script>window.__xss = 1</script><b>太字じゃない</b> https://example.org/a?b=1&c=2"

RICHMENU = {
    "size": {"width": 2500, "height": 843},
    "chatBarText": "メニュー",
    "areas": [
        {
            "bounds": {"x": 0, "y": 0, "width": 833, "height": 843},
            "action": {"type": "message", "text": "検索"},
        },
        {
            "bounds": {"x": 833, "y": 0, "width": 834, "height": 843},
            "action": {"type": "postback", "data": "menu=week", "displayText": "今週のサロン"},
        },
        {
            "bounds": {"x": 1667, "y": 0, "width": 833, "height": 843},
            "action": {"type": "uri", "uri": "https://example.org/help"},
        },
    ],
    "labels": ["検索", "今週のサロン", "ヘルプ"],
}


def _bubble(title: str, place: str) -> dict:
    return {
        "type": "bubble",
        "size": "kilo",
        "header": {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {
                    "type": "text",
                    "text": "サロン",
                    "size": "xs",
                    "color": "#06C755",
                    "weight": "bold",
                },
            ],
        },
        "hero": {
            "type": "image",
            "url": MISSING_IMAGE,
            "size": "full",
            "aspectRatio": "20:13",
            "aspectMode": "cover",
        },
        "body": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                {"type": "text", "text": title, "weight": "bold", "size": "lg", "wrap": True},
                {
                    "type": "box",
                    "layout": "baseline",
                    "spacing": "sm",
                    "contents": [
                        {"type": "icon", "url": MISSING_IMAGE, "size": "sm"},
                        {
                            "type": "text",
                            "text": "場所",
                            "color": "#aaaaaa",
                            "size": "sm",
                            "flex": 1,
                        },
                        {"type": "text", "text": place, "size": "sm", "flex": 4, "wrap": True},
                    ],
                },
                {
                    "type": "box",
                    "layout": "horizontal",
                    "margin": "md",
                    "contents": [
                        {
                            "type": "text",
                            "text": "対象",
                            "color": "#aaaaaa",
                            "size": "sm",
                            "flex": 1,
                        },
                        {"type": "text", "text": "0〜3歳", "size": "sm", "flex": 4},
                    ],
                },
                {"type": "separator", "margin": "md"},
                {"type": "hologram", "text": "未知の部品"},
            ],
        },
        "footer": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                {
                    "type": "button",
                    "style": "primary",
                    "height": "sm",
                    "action": {
                        "type": "postback",
                        "label": "予約する",
                        "data": f"book={title}",
                        "displayText": f"{title}を予約",
                    },
                },
                {
                    "type": "button",
                    "style": "secondary",
                    "height": "sm",
                    "action": {"type": "message", "label": "くわしく", "text": f"{title}について"},
                },
                {
                    "type": "button",
                    "style": "link",
                    "height": "sm",
                    "action": {"type": "uri", "label": "地図", "uri": "https://example.org/map"},
                },
            ],
        },
        "styles": {"footer": {"separator": True}},
    }


def welcome_messages() -> list[dict]:
    """One of each kind the page must draw, the quick replies on the last (as LINE shows them)."""
    return [
        {"type": "text", "text": XSS_TEXT},
        {
            "type": "template",
            "altText": "ボタン",
            "template": {
                "type": "buttons",
                "title": "出張相談",
                "text": "ご希望の日を選んでください",
                "actions": [
                    {
                        "type": "datetimepicker",
                        "label": "日付をえらぶ",
                        "data": "dialog=outreach&step=date",
                        "mode": "date",
                        "initial": "2026-11-30",
                        "min": "2026-11-27",
                        "max": "2027-03-31",
                    },
                    {
                        "type": "postback",
                        "label": "詳しく見る",
                        "data": "detail=1",
                        "displayText": "詳しく見る",
                    },
                    {"type": "postback", "label": "黙って送る", "data": "silent=1"},
                    {"type": "uri", "label": "市のページ", "uri": "https://example.org/"},
                ],
            },
        },
        {
            "type": "template",
            "altText": "確認",
            "template": {
                "type": "confirm",
                "text": "この内容で送りますか？",
                "actions": [
                    {
                        "type": "postback",
                        "label": "送る",
                        "data": "confirm=yes",
                        "displayText": "送る",
                    },
                    {
                        "type": "postback",
                        "label": "やめる",
                        "data": "confirm=no",
                        "displayText": "やめる",
                    },
                ],
            },
        },
        {
            "type": "flex",
            "altText": "サロン",
            "contents": _bubble("ひだまりサロン", "中央公民館 2F"),
        },
        {
            "type": "flex",
            "altText": "サロン一覧",
            "contents": {
                "type": "carousel",
                "contents": [
                    _bubble("もりのこサロン", "北児童館"),
                    _bubble("うみべサロン", "南コミュニティセンター"),
                ],
            },
        },
        {"type": "mystery", "altText": "知らない種類"},
        {
            "type": "text",
            "text": "ようこそ！\n言語を選んでください。",
            "quickReply": {
                "items": [
                    {
                        "type": "action",
                        "action": {"type": "message", "label": "はい", "text": "はい"},
                    },
                    {
                        "type": "action",
                        "action": {
                            "type": "postback",
                            "label": "English",
                            "data": "lang=en",
                            "displayText": "English",
                        },
                    },
                    {
                        "type": "action",
                        "action": {
                            "type": "datetimepicker",
                            "label": "時間",
                            "data": "pick=time",
                            "mode": "time",
                        },
                    },
                ]
            },
        },
    ]


def create_fake_app() -> Flask:
    app = Flask(__name__)
    lock = threading.Lock()
    received: list[dict] = []  # every body POSTed to /send, in order
    outbox: dict[str, list[dict]] = {}
    richmenus: dict[str, dict | None] = {}
    counter = {"seq": 0}
    app.config["RECEIVED"] = received

    pending: list[tuple[float, str, dict]] = []  # pushes not sent yet: (due, user_id, message)

    def append(user_id: str, message: dict, via: str) -> None:  # caller holds the lock
        counter["seq"] += 1
        outbox.setdefault(user_id, []).append(
            {
                "seq": counter["seq"],
                "via": via,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "message": message,
            }
        )

    def deliver(user_id: str, messages: list[dict], via: str = "reply", delay: float = 0.0):
        with lock:
            for message in messages:
                if delay:
                    pending.append((time.monotonic() + delay, user_id, message))
                else:
                    append(user_id, message, via)

    def send_due_pushes() -> None:  # caller holds the lock
        now = time.monotonic()
        for item in [p for p in pending if p[0] <= now]:
            pending.remove(item)
            append(item[1], item[2], "push")

    @app.get("/simulator")
    def page():
        return send_from_directory(STATIC, "simulator.html")

    @app.get("/simulator/static/<name>")
    def static_file(name: str):
        if name not in STATIC_FILES:
            abort(404)
        return send_from_directory(STATIC, name)

    @app.get("/simulator/api/personas")
    def personas():
        return jsonify({"personas": PERSONAS})

    @app.post("/simulator/api/send")
    def send():
        body = request.get_json(silent=True) or {}
        user_id = body.get("user_id", "")
        if not (isinstance(user_id, str) and user_id.startswith("U") and len(user_id) == 33):
            return jsonify({"error": "user_id must be U and 32 hex characters"}), 400
        with lock:
            received.append(body)
        if body.get("event") == "follow":
            richmenus[user_id] = RICHMENU
            deliver(user_id, welcome_messages())
        elif body.get("event") == "unfollow":
            richmenus[user_id] = None
        elif "postback" in body:
            postback = body["postback"]
            deliver(
                user_id,
                [
                    {
                        "type": "text",
                        "text": "postback "
                        + json.dumps(postback, ensure_ascii=False, sort_keys=True),
                    }
                ],
            )
        elif "text" in body:
            text = body["text"]
            if text == "error":
                return jsonify({"error": "テストエラー"}), 400
            deliver(user_id, [{"type": "text", "text": "受け取りました: " + text}])
            if text == "あとで":
                deliver(
                    user_id, [{"type": "text", "text": "お知らせ（push）"}], via="push", delay=1.5
                )
        else:
            return jsonify({"error": "text, postback or event is required"}), 400
        return jsonify({"ok": True})

    @app.get("/simulator/api/messages")
    def messages():
        user_id = request.args.get("user_id", "")
        after = request.args.get("after", "0")
        after_seq = int(after) if after.isdigit() else 0
        with lock:
            send_due_pushes()
            items = [m for m in outbox.get(user_id, []) if m["seq"] > after_seq]
        return jsonify({"messages": items, "richmenu": richmenus.get(user_id)})

    return app
