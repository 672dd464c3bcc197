"""What a case keeps and shows: who filed it, memos (typed on the case or as 「K-0001 …」), the
whole history a page at a time (audited), referrals made off the bot with their answers
entered by the specialist — and that someone's words never go out in a push."""

import time

from sqlalchemy import select

from bot.cases.models import AuditEntry, CaseEvent, Referral
from bot.messaging.postback import CaseTap, Command
from bot.simulator.page import make_event
from tests.cases.conftest import Cast

MEMO = "母に電話した。来週の健診に行くとのこと"


def test_the_card_names_who_filed_the_note(cast: Cast):
    cast.file_note()
    cast.basic.says("#K-0001")
    assert cast.basic.heard("Filed by: はぐＨＵＧ 佐藤（保育士）")
    assert cast.basic.heard("Parent's consent")


def test_a_typed_memo_is_confirmed_recorded_encrypted_and_shown_in_the_history(cast: Cast):
    cast.file_note()
    cast.basic.replies()
    cast.basic.says(f"K-0001 {MEMO}")
    assert cast.basic.heard("Record this memo on K-0001?") and cast.basic.heard(MEMO)
    cast.basic.taps("Record it")
    assert cast.basic.heard("Memo recorded on K-0001.")
    with cast.bot.tsunagu.db.engine.connect() as raw:
        stored = raw.exec_driver_sql("SELECT words FROM case_events WHERE kind = 'memo'").scalar()
    assert stored and "電話" not in stored  # encrypted at rest
    cast.basic.taps("History")
    assert cast.basic.heard("History of K-0001 (page 1)") and cast.basic.heard(MEMO)
    with cast.bot.tsunagu.db.transaction() as session:
        views = session.scalars(select(AuditEntry.action)).all()
        assert "view_history" in views
    cast.basic.says("#K-0001")
    assert not cast.basic.heard(MEMO)  # the card shows what happened, never the words


def test_the_history_is_whole_and_paged(cast: Cast):
    cast.file_note()
    cast.basic.says("#K-0001")
    cast.basic.taps("Claim")
    for i in range(9):
        cast.basic.says(f"K-0001 メモ{i}")
        cast.basic.taps("Record it")
    cast.basic.taps("History")
    assert cast.basic.heard("メモ8") and not cast.basic.heard("メモ0")
    cast.basic.taps("Older")
    assert cast.basic.heard("(page 2)") and cast.basic.heard("メモ0")
    assert cast.basic.heard("Note filed")


def test_a_referral_to_a_provider_without_members_is_recorded_and_answered_by_hand(cast: Cast):
    cast.file_note()
    cast.basic.says("#K-0001")
    cast.basic.taps("Refer")
    cast.basic.says("子ども課")  # part of a name from the city file
    assert cast.basic.heard("has nobody registered with the bot")
    cast.basic.taps("By phone")
    assert cast.basic.heard("Recorded: K-0001 referred to つなぐ市役所 子ども課 (By phone)")
    assert "Answer of つなぐ市役所 子ども課"[:19] + "…" in cast.basic.buttons()
    label = next(b for b in cast.basic.buttons() if b.startswith("Answer of"))
    cast.basic.taps(label)
    cast.basic.taps("Cannot (reason)")
    cast.basic.says("年度途中の入所は難しい")
    assert cast.basic.heard("Recorded つなぐ市役所 子ども課's answer on K-0001.")
    with cast.bot.tsunagu.db.transaction() as session:
        referral = session.scalars(select(Referral)).one()
        assert (referral.channel, referral.status) == ("phone", "declined")
        assert referral.reason == "年度途中の入所は難しい"
    cast.basic.says("#K-0001")
    assert cast.basic.heard("→ つなぐ市役所 子ども課（By phone）: Cannot")


def test_a_note_is_never_pushed_when_the_reply_has_aged(cast: Cast):
    case = cast.file_note("気になる 2歳の子、ミドリ色の服でいつも来る")
    cast.basic.replies()
    bot = cast.bot
    old = make_event(
        cast.basic.user_id,
        "postback",
        bot.double.issue_reply_token(cast.basic.user_id),
        postback={"data": CaseTap(Command.CASE_NOTE, case.id).pack()},
    )
    old["timestamp"] = int((time.time() - 120) * 1000)  # handled two minutes late
    assert bot.post([old]).status_code == 200
    bot.settle()
    (pushed,) = cast.basic.replies()
    assert "ミドリ" not in str(pushed)
    assert pushed["text"] == "Tap to read it (K-0001)."
    cast.basic.taps("Read")  # a fresh tap, answered as a reply: now the words
    assert cast.basic.heard("ミドリ色の服")
    pushes = [c for c in bot.double.calls("push") if "ミドリ" in str(c["json"])]
    assert pushes == []


def test_every_event_names_who_did_it(cast: Cast):
    cast.file_note()
    cast.basic.says("#K-0001")
    cast.basic.taps("Log an action")
    cast.basic.taps("Phone call")
    cast.basic.says("父に連絡")
    with cast.bot.tsunagu.db.transaction() as session:
        events = session.scalars(select(CaseEvent).order_by(CaseEvent.id)).all()
        assert [e.kind for e in events] == ["filed", "action"]
        assert events[1].words == "父に連絡" and events[1].detail["action"] == "called"
