"""Helpers for the case tests: staff registered by real invite codes, people by role."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.cases.invites import create_invite
from bot.cases.models import Case
from bot.storage.models import get_or_create_user

PARENT = "U" + "0a" * 16
MEMBER = "U" + "1b" * 16  # はぐＨＵＧ, 北地区: files the notes
OTHER_MEMBER = "U" + "2c" * 16  # こけこっこ, 南地区: another organisation
BASIC = "U" + "3d" * 16  # 基本型, 北地区
MCH = "U" + "4e" * 16  # 母子保健型, every area
BASIC_SOUTH = "U" + "5f" * 16  # 基本型, 南地区: out of scope for 北地区's cases
ADMIN = "U" + "6a" * 16


def make_invite(bot, **fields) -> str:
    with bot.tsunagu.db.transaction() as session:
        return create_invite(
            session, now=datetime.now(UTC), city=bot.tsunagu.runtime.services.city, **fields
        )


def speaks_english(bot, user_id: str) -> None:
    """Staff in these tests read English: the message ids, whatever the catalogs hold."""
    with bot.tsunagu.db.transaction() as session:
        get_or_create_user(session, user_id).language = "en"


def register(bot, user_id: str, **fields):
    speaks_english(bot, user_id)
    person = bot.person(user_id)
    person.says(make_invite(bot, **fields))
    assert person.heard("You are now registered"), person.texts()
    return person


class Cast:
    """Everyone in a case's life, registered the way people really are: by invite code."""

    def __init__(self, bot):
        self.bot = bot
        self.member = register(
            bot, MEMBER, role="member", org="はぐＨＵＧ", area="kita", name="佐藤（保育士）"
        )
        self.other_member = register(
            bot, OTHER_MEMBER, role="member", org="こけこっこ", area="minami"
        )
        self.basic = register(bot, BASIC, role="specialist", specialist_type="basic", area="kita")
        self.mch = register(bot, MCH, role="specialist", specialist_type="mch")
        self.basic_south = register(
            bot, BASIC_SOUTH, role="specialist", specialist_type="basic", area="minami"
        )
        self.admin = register(bot, ADMIN, role="admin")
        speaks_english(bot, PARENT)
        self.parent = bot.person(PARENT)
        for person in self.everyone():
            person.replies()  # start each transcript afresh

    def everyone(self):
        return [
            self.member,
            self.other_member,
            self.basic,
            self.mch,
            self.basic_south,
            self.admin,
            self.parent,
        ]

    def file_note(self, note="気になる 1歳の男の子、最近サロンで元気がない", urgency="Normal"):
        """A member's quick note, answered the quickest way; returns the case."""
        self.member.says(note)
        while not self.member.heard("Send this note"):
            buttons = self.member.buttons()
            for label in (urgency, "Parent agreed", "Skip"):
                if label in buttons:
                    self.member.taps(label)
                    break
            else:
                raise AssertionError(f"unexpected question: {self.member.texts()} {buttons}")
        self.member.taps("Send")
        return self.last_case()

    def last_case(self) -> Case:
        with self.bot.tsunagu.db.transaction() as session:
            return session.scalars(select(Case).order_by(Case.id.desc())).first()


@pytest.fixture
def cast(bot) -> Cast:
    return Cast(bot)
