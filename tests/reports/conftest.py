"""A database with one month of work in it (January 2027), and a little on either side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cases.models import Case, ConcernNote, Referral, Staff
from bot.city import City, load_city
from bot.config import SAMPLE_CITY
from bot.consultations.models import ConsultationRequest
from bot.i18n import TOKYO
from bot.safety.models import DangerAnswer
from bot.scheduler.models import ReminderSent
from bot.storage import crypto
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.models import LineUser, OutboxMessage
from tests.scheduler.conftest import clock  # noqa: F401  (the clock's fixture, for the summary)

SECRET = "この家庭の秘密のことば"  # every note's text: never in a report


def jst(y, m, d, h=10, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=TOKYO).astimezone(UTC)


@pytest.fixture
def data_key() -> str:
    return crypto.new_key()


@pytest.fixture
def db(database_url, data_key):
    crypto.use_keys(data_key)
    upgrade(database_url)
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def city() -> City:
    return load_city(SAMPLE_CITY)


class Seed:
    def __init__(self, session):
        self.session = session
        self.n = 0

    def user(self, role="parent", language="ja", created=None, **fields) -> LineUser:
        self.n += 1
        user = LineUser(
            line_user_id=f"U{self.n:032x}",
            role=role,
            language=language,
            profile={},
            created_at=created or jst(2026, 12, 1),
            **fields,
        )
        self.session.add(user)
        self.session.flush()
        return user

    def staff(self, role: str, org: str = "", kind: str | None = None) -> LineUser:
        user = self.user(role=role)
        self.session.add(Staff(user_id=user.id, role=role, org=org, specialist_type=kind))
        return user

    def case(self, reporter, area, when, urgency="normal", **fields) -> Case:
        note = ConcernNote(
            reporter_id=reporter.id,
            text=SECRET,
            stage="age1_2",
            area=area,
            urgency=urgency,
            legal_basis="consent",
            created_at=when,
        )
        self.session.add(note)
        self.session.flush()
        case = Case(
            note_id=note.id,
            stage="age1_2",
            area=area,
            urgency=urgency,
            lead_type="basic",
            created_at=when,
            updated_at=when,
            **fields,
        )
        self.session.add(case)
        self.session.flush()
        return case


def seed_january(db: Database) -> None:
    """The figures the tests expect are written beside each group of rows."""
    with db.transaction() as session:
        s = Seed(session)
        hagu = s.staff("member", "はぐＨＵＧ")
        kokko = s.staff("member", "こけこっこ")
        health = s.staff("member", "つなぐ市保健センター")  # a city organisation: its kind shows
        s.staff("specialist", kind="basic")

        # notes: はぐＨＵＧ 8 (kita), こけこっこ 6 (1 kita, 5 higashi), health 2 (minami) = 16
        cases = []
        for i in range(8):
            cases.append(s.case(hagu, "kita", jst(2027, 1, 1, 0, 0) + timedelta(days=i)))
        cases.append(s.case(kokko, "kita", jst(2027, 1, 10)))
        for i in range(5):
            cases.append(s.case(kokko, "higashi", jst(2027, 1, 11 + i)))
        cases += [s.case(health, "minami", jst(2027, 1, 20), urgency="urgent") for _ in range(2)]
        # outside the month, by a minute either side
        s.case(hagu, "kita", jst(2026, 12, 31, 23, 59))
        s.case(hagu, "kita", jst(2027, 2, 1, 0, 0))

        # claims in January: 8 normal after 1..8 hours, 2 urgent after 9 and 10 hours
        for i, case in enumerate(cases[:8]):
            case.claimed_at = case.created_at + timedelta(hours=i + 1)
        for hours, case in zip((9, 10), cases[14:16], strict=True):
            case.claimed_at = case.created_at + timedelta(hours=hours)
        # closed in January: 6 connected, 1 declined
        for case in cases[:6]:
            case.status, case.outcome, case.closed_at = "closed", "connected", jst(2027, 1, 25)
        cases[6].status, cases[6].outcome, cases[6].closed_at = (
            "closed",
            "declined",
            jst(2027, 1, 26),
        )

        # referrals in January: 2 asked, 5 accepted, 3 started
        for status, n in (("requested", 2), ("accepted", 5), ("started", 3)):
            for _ in range(n):
                session.add(
                    Referral(
                        case_id=cases[0].id,
                        org="はぐＨＵＧ",
                        status=status,
                        created_at=jst(2027, 1, 15),
                        reason=SECRET,
                    )
                )

        # danger answers in January: crisis 6, concern 2, none of emergency; one in February
        for tier, n in (("crisis", 6), ("concern", 2)):
            session.add_all(
                DangerAnswer(at=jst(2027, 1, 12), tier=tier, kinds=["dv"]) for _ in range(n)
            )
        session.add(DangerAnswer(at=jst(2027, 2, 1), tier="crisis", kinds=[]))

        # consultations in January: childcare 5, worries 1, development 7
        parents = [s.user(followed_at=jst(2026, 12, 5)) for _ in range(13)]
        for topic, n in (("childcare", 5), ("worries", 1), ("development", 7)):
            for i in range(n):
                session.add(
                    ConsultationRequest(
                        user_id=parents[i].id,
                        topic=topic,
                        detail=SECRET,
                        created_at=jst(2027, 1, 18),
                    )
                )
        session.add(
            ConsultationRequest(user_id=parents[0].id, topic="worries", created_at=jst(2027, 2, 3))
        )

        # friends: 13 ja parents above + 4 ja staff; 7 new ja in January, one of whom left;
        # 6 en (2 new in January)
        for i in range(7):
            u = s.user(created=jst(2027, 1, 3), followed_at=jst(2027, 1, 3))
            if i == 0:
                u.unfollowed_at, u.active = jst(2027, 1, 20), False
        for i in range(6):
            when = jst(2027, 1, 4) if i < 2 else jst(2026, 11, 4)
            s.user(language="en", created=when, followed_at=when)
        s.user(created=jst(2027, 2, 2), followed_at=jst(2027, 2, 2))  # after the month

        # reminders: followup 12, unclaimed 3, stale 5, and 20 morning keys (not reminders)
        for kind, n in (("followup", 12), ("unclaimed", 3), ("stale", 5), ("morning", 20)):
            for i in range(n):
                session.add(
                    ReminderSent(
                        kind=kind, subject_id=i, due_on=jst(2027, 1, 5).date(), at=jst(2027, 1, 5)
                    )
                )
        # dead letters: HTTP 400 ×6, HTTP 403 ×1, something else ×7
        for error, n in (("HTTP 400: bad", 6), ("HTTP 403: no", 1), ("rich menus are not", 7)):
            for _ in range(n):
                session.add(
                    OutboxMessage(
                        to="Ux",
                        messages=[{"type": "text", "text": SECRET}],
                        status="dead",
                        last_error=error,
                        created_at=jst(2027, 1, 7),
                    )
                )
