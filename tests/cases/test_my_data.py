"""「わたしのデータ」: a parent sees what the city keeps about them and has it deleted. After the
deletion nothing of their words remains anywhere: their bookings and pending pushes are gone,
their consultation stays in the city's records without them, what they wrote, or the
conversation with the specialist."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import models
from bot.cases.models import Case, CaseEvent
from bot.city import load_city
from bot.cli.kb import city_files
from bot.config import SAMPLE_CITY
from bot.consultations.models import ConsultationRequest
from bot.knowledge.importers import import_paths
from bot.messaging.builders import text
from bot.messaging.outbox import enqueue
from bot.outreach.models import OutreachBooking
from bot.storage.models import InboxEvent, LineUser, OutboxMessage, get_or_create_user
from tests.cases.conftest import PARENT, Cast
from tests.cases.test_parents_cases import WORDS, ask

ANSWER = "はい、10時ごろならだいじょうぶです"


def everything(session) -> str:
    """Every row of every table, decrypted, as one text."""
    return "\n".join(
        str(tuple(row))
        for table in models.metadata.sorted_tables
        for row in session.execute(select(table))
    )


def a_parent_with_a_history(cast: Cast) -> Case:
    city = load_city(SAMPLE_CITY)
    assert import_paths(cast.bot.tsunagu.db, city_files(city), city=city).ok
    # the bot has looked at the (then empty) knowledge base already: the staff's first words
    # were prepared as questions (bot/handlers/prepare.py)
    cast.bot.tsunagu.runtime.services.kb.look_again()
    with cast.bot.tsunagu.db.transaction() as session:  # remembered from a guided search
        get_or_create_user(session, PARENT).profile = {"stage": "age1_2", "area": "kita"}
    parent = cast.parent
    parent.says("outreach")
    parent.taps(parent.buttons()[0])
    parent.taps("10:00")
    parent.taps("Book")
    assert parent.heard("Booked.")
    case = ask(cast)
    cast.basic.replies()
    cast.basic.says("#" + case.reference)
    cast.basic.taps("Reply")
    cast.basic.says("明日の午前中にお電話してもよいですか？")
    parent.says(ANSWER)
    assert parent.heard(f"Sent to your specialist ({case.reference}).")
    with cast.bot.tsunagu.db.transaction() as session:  # a push held for the morning
        later = datetime.now(UTC) + timedelta(hours=8)
        enqueue(session, PARENT, [text("明日の出張相談のお知らせ")], hold_until=later)
    return case


def test_a_parent_sees_their_data_and_has_it_deleted(cast: Cast):
    case = a_parent_with_a_history(cast)
    parent = cast.parent
    parent.says("my data")
    assert parent.heard("What the city keeps about you (わたしのデータ):")
    for line in (
        "Language: English",
        "Child's stage: Age 1–2",
        "Area: North (北地区)",
        "Outreach consultation bookings: 1",
        f"Consultations you asked for: 1 (open: {case.reference}",
    ):
        assert parent.heard(line), line
    assert not parent.heard(WORDS)  # their words are not repeated back in the chat
    assert parent.buttons() == ["Delete my data", "Privacy notice", "Done"]
    parent.taps("Privacy notice")
    assert parent.heard("Privacy notice (つなぐ)")
    assert parent.buttons() == ["Delete my data", "Privacy notice", "Done"]
    parent.taps("Delete my data")
    assert parent.heard("This cannot be undone.")
    parent.taps("Do not delete")
    assert parent.heard("OK. Nothing was deleted.")
    with cast.bot.tsunagu.db.transaction() as session:
        assert session.scalar(select(LineUser.id).where(LineUser.line_user_id == PARENT))

    parent.says("わたしのデータ")
    parent.taps("Delete my data")
    parent.taps("Delete")
    assert parent.heard("Done: what the city kept about you has been deleted.")

    with cast.bot.tsunagu.db.transaction() as session:
        assert session.scalar(select(LineUser.id).where(LineUser.line_user_id == PARENT)) is None
        assert session.scalars(select(OutreachBooking)).all() == []
        (request,) = session.scalars(select(ConsultationRequest)).all()
        assert (request.user_id, request.detail, request.contact) == (None, None, None)
        assert request.topic == "worries"  # the city's record of it stays
        kept = session.get(Case, case.id)
        assert (kept.parent_id, kept.stage, kept.area, kept.relay_open) == (
            None,
            "age1_2",
            "kita",
            False,
        )
        talk = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "message")
        ).all()
        assert len(talk) == 2 and all(e.words is None for e in talk)
        # Of the outbox, only the answer to this very request is left for them.
        (last,) = session.scalars(select(OutboxMessage).where(OutboxMessage.to == PARENT)).all()
        assert "deleted" in str(last.messages)
        words = everything(session)
        for said in (WORDS, ANSWER, "明日の出張相談のお知らせ"):
            assert said not in words
        # Their LINE id is left only where the answer goes: no inbox row says whose it was,
        # not even the event that asked for the deletion (handled: its payload is gone too).
        named = session.execute(
            select(InboxEvent.id).where(InboxEvent.source_key == f"user:{PARENT}")
        ).all()
        assert named == []
        assert PARENT not in str(
            session.execute(select(InboxEvent.source_key, InboxEvent.payload)).all()
        )

    # The specialists still have the case, without the family.
    cast.basic.says("#" + case.reference)
    assert cast.basic.heard(case.reference)
    # If they write again, the bot meets a new parent.
    parent.says("こんにちは")
    assert parent.heard("こんにちは") or parent.heard("Hello")
    with cast.bot.tsunagu.db.transaction() as session:
        again = session.scalar(select(LineUser).where(LineUser.line_user_id == PARENT))
        assert again.profile == {} and again.language == "ja"


def test_staff_have_no_my_data_dialog(cast: Cast):
    cast.basic.says("わたしのデータ")
    assert not cast.basic.heard("What the city keeps about you")
