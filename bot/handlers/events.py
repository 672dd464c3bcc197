"""Each kind of webhook event: follow, unfollow, message, postback; the rest logged and skipped."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.dialogs import DIALOGS, engine
from bot.handlers import router
from bot.handlers.turn import Services, Turn, event_time, get_or_create_user
from bot.i18n import Translator, _
from bot.messaging.builders import text
from bot.storage.models import Conversation

log = logging.getLogger(__name__)

WELCOME = _(
    "ようこそ、つなぐへ。\n"
    "子育てのサービスやサロンのこと、気軽に聞いてください。\n"
    "Welcome to Tsunagu. Which language shall I use?"
)


def handle_event(
    session: Session, event: dict, services: Services, now: datetime, event_id: int | None = None
) -> None:
    kind = event.get("type")
    source = event.get("source") or {}
    if source.get("type") != "user" or not source.get("userId"):
        # Group and room chats never receive or accept case content; we only say hello.
        if kind == "join" and event.get("replyToken"):
            log.info("joined a %s chat; it gets no case content", source.get("type"))
        else:
            log.info("%s event from a %s chat skipped", kind, source.get("type"))
        return
    user = get_or_create_user(session, source["userId"])
    turn = Turn(session, user, services, now, event.get("replyToken"), event_time(event), event_id)
    user.last_seen_at = now
    handler = HANDLERS.get(kind)
    if handler is None:
        log.info("event type %r skipped", kind)
        return
    handler(turn, event)
    turn.flush_out()


def on_follow(turn: Turn, event: dict) -> None:
    turn.user.active = True
    turn.user.followed_at = turn.now
    ctx = turn.context()
    result = engine.start(DIALOGS["language"], ctx)
    turn.set_place(result.place)
    # The welcome is in Japanese whatever was chosen before: it is where everyone starts.
    turn.say(text(Translator("ja").gettext(WELCOME)), *result.say)


def on_unfollow(turn: Turn, event: dict) -> None:
    turn.user.active = False
    turn.user.unfollowed_at = turn.now
    turn.session.execute(delete(Conversation).where(Conversation.user_id == turn.user.id))
    turn.reply_token = None  # an unfollow has no reply token; nothing is sent to a blocker


def on_message(turn: Turn, event: dict) -> None:
    message = event.get("message") or {}
    if message.get("type") == "text":
        router.on_text(turn, message.get("text", ""))
    elif message.get("type") in {"sticker", "image", "video", "audio", "file", "location"}:
        turn.say(text(turn.t.gettext("Thank you! I can only read text messages for now.")))
    else:
        log.info("message type %r skipped", message.get("type"))


def on_postback(turn: Turn, event: dict) -> None:
    pb = event.get("postback") or {}
    router.on_postback(turn, pb.get("data", ""), pb.get("params") or {})


HANDLERS = {
    "follow": on_follow,
    "unfollow": on_unfollow,
    "message": on_message,
    "postback": on_postback,
}
