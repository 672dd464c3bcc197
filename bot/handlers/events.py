"""Each kind of webhook event: follow, unfollow, message, postback; the rest logged and skipped.

``handle_event`` is what the inbox runs for one stored event, inside its transaction: it finds
the speaker, builds the Turn, lets the chat router answer, and writes the answer to the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.dialogs.language import language
from bot.handlers.prepared import Prepared
from bot.handlers.turn import Services, Turn
from bot.messaging.builders import buttons, postback, text
from bot.messaging.postback import Command, MenuTap
from bot.storage.models import Conversation, get_or_create_user

log = logging.getLogger(__name__)

# The welcome speaks every language we do: it is the one message before a language is chosen.
WELCOME = (
    "ようこそ、つなぐへ。\n"
    "子育てのサービスやサロンのこと、気軽に聞いてください。\n"
    "Welcome to Tsunagu. Which language shall I use?\n"
    "Bem-vindo(a) ao Tsunagu! Em qual idioma prefere conversar?\n"
    "Chào mừng quý vị đến với Tsunagu! Quý vị muốn dùng ngôn ngữ nào?\n"
    "欢迎使用 Tsunagu！请选择您希望使用的语言。"
)
# The privacy notice is one tap from the welcome (in Japanese and English, as the welcome speaks
# before any language is chosen; the notice itself comes in the reader's language).
PRIVACY_LINE = "個人情報の取り扱いについて / How we handle your data"
PRIVACY_TAP = postback(
    "プライバシー / Privacy", MenuTap(Command.PRIVACY).pack(), "プライバシー / Privacy"
)
NOT_TEXT = {"sticker", "image", "video", "audio", "file", "location"}


def handle_event(
    session: Session,
    event: dict,
    services: Services,
    now: datetime,
    prepared: Prepared | None = None,
) -> None:
    kind = event.get("type")
    source = event.get("source") or {}
    if source.get("type") != "user" or not source.get("userId"):
        # Group and room chats never receive or accept case content: nothing is answered there.
        log.info("%s event from a %s chat skipped", kind, source.get("type"))
        return
    handler = HANDLERS.get(kind)
    if handler is None:
        log.info("event type %r skipped", kind)
        return
    user = get_or_create_user(session, source["userId"], seen=now)
    user.last_seen_at = now  # someone new has it already: the same value writes nothing
    turn = Turn(session, user, services, now, event.get("replyToken"), event_time(event))
    if prepared is not None:
        turn.prepared = prepared
    handler(turn, event)
    turn.flush_out()


def event_time(event: dict) -> datetime:
    ts = event.get("timestamp")
    return datetime.fromtimestamp(ts / 1000, UTC) if isinstance(ts, int) else datetime.now(UTC)


def on_follow(turn: Turn, event: dict) -> None:
    turn.user.active = True
    turn.user.followed_at = turn.now
    # The welcome is the same for everyone, whatever was chosen before: it is where all start.
    turn.say(text(WELCOME), buttons(PRIVACY_LINE, [PRIVACY_TAP], alt_text=PRIVACY_LINE))
    turn.start(language)


def on_unfollow(turn: Turn, event: dict) -> None:
    turn.user.active = False
    turn.user.unfollowed_at = turn.now
    turn.session.execute(delete(Conversation).where(Conversation.user_id == turn.user.id))
    turn.reply_token = None  # an unfollow has no reply token; nothing is sent to a blocker


def on_message(turn: Turn, event: dict) -> None:
    message = event.get("message") or {}
    if message.get("type") == "text":
        token = message.get("markAsReadToken")
        turn.read_token = token if isinstance(token, str) else None
        turn.services.chat.on_text(turn, message.get("text", ""))
    elif message.get("type") in NOT_TEXT:
        turn.services.chat.on_not_text(turn)
    else:
        log.info("message type %r skipped", message.get("type"))


def on_postback(turn: Turn, event: dict) -> None:
    pb = event.get("postback") or {}
    turn.services.chat.on_postback(turn, pb.get("data", ""), pb.get("params") or {})


HANDLERS: dict[str, Callable[[Turn, dict], None]] = {
    "follow": on_follow,
    "unfollow": on_unfollow,
    "message": on_message,
    "postback": on_postback,
}
