"""Providers' places (空き状況): asked by a specialist, answered with a few taps, shown beside the
provider when referring, asked again by the clock when old. And migration 0006: requests made
before it become cases of their own kind."""

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import create_engine, select, text

from bot.cases.models import Availability, Case
from bot.scheduler.tick import ClockParts, tick
from bot.storage.migrate import alembic_config, upgrade
from tests.cases.conftest import Cast


def test_a_specialist_asks_a_provider_and_sees_the_answer_when_referring(cast: Cast):
    cast.basic.says("空き状況")
    assert cast.basic.heard("こけこっこ: not asked yet")
    cast.basic.taps("Ask こけこっこ")
    assert cast.basic.heard("Asked こけこっこ (1 members)")
    (question,) = cast.other_member.replies()
    assert "how many places" in question["template"]["text"]
    cast.other_member.taps("A few places")
    assert cast.other_member.heard("For which age?")
    cast.other_member.taps("Age 1–2")
    cast.other_member.says("4月からなら")
    assert cast.other_member.heard("The specialists will see your answer.")
    cast.basic.says("空き状況")
    assert cast.basic.heard("こけこっこ: A few places・") and cast.basic.heard("Age 1–2")
    cast.file_note()
    cast.basic.says("#K-0001")
    cast.basic.taps("Refer")
    assert any(b.startswith("こけこっこ（A few places") for b in cast.basic.buttons())
    with cast.bot.tsunagu.db.transaction() as session:
        row = session.scalars(select(Availability)).one()
        assert (row.org, row.status, row.stages, row.note) == (
            "こけこっこ",
            "few",
            ["age1_2"],
            "4月からなら",
        )


def test_only_a_providers_member_answers_for_it(cast: Cast):
    cast.parent.taps_data("dlg=availability&st=start&o=open")
    assert cast.parent.heard("That button has expired")
    with cast.bot.tsunagu.db.transaction() as session:
        assert session.scalars(select(Availability)).all() == []


def test_the_clock_asks_again_when_the_answer_is_old(cast: Cast):
    tsunagu = cast.bot.tsunagu
    parts = ClockParts.of(tsunagu)
    monday = datetime(2027, 1, 18, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo, a business day
    with tsunagu.db.transaction() as session:
        session.add(Availability(org="こけこっこ", status="open", stages=[], answered_at=monday))
    assert (
        tick(parts, monday)["availability"] == 0
    )  # current; はぐＨＵＧ never asked: not the clock's
    later = monday + timedelta(days=31)
    assert tick(parts, later)["availability"] == 1  # こけこっこ's answer has aged
    assert tick(parts, later + timedelta(days=1))["availability"] == 0  # once per period
    cast.bot.settle()
    (question,) = cast.other_member.replies()
    assert "how many places" in question["template"]["text"]


def test_requests_made_before_become_cases_of_their_own_kind(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0005")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO line_users (id, line_user_id, language, role, profile, active,"
                " created_at) VALUES (1, 'U1', 'en', 'parent', 'x', 1, '2026-11-30 01:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO consultation_requests (id, user_id, topic, stage, area, status,"
                " created_at) VALUES (7, 1, 'money', 'age0', 'kita', 'open', '2026-11-30 01:00')"
            )
        )
    upgrade(url)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT kind, request_id, parent_id, language, lead_type, status FROM cases")
        ).one()
    assert tuple(row) == ("consult", 7, 1, "en", "mch", "new")
    engine.dispose()
    assert Case  # the model reads the same table
