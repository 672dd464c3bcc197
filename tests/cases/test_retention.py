"""Retention (issue #9): after the city's retention period nothing of a family's words is left
anywhere — not in notes, requests, memos, reasons, the conversation with the family, the outbox
or the inbox. The test lives a case of each kind, runs the clock past retention, then decrypts
every value of every table and looks for the words."""

from datetime import timedelta

from sqlalchemy import select

from bot.models import metadata
from bot.scheduler.tick import ClockParts, tick
from tests.cases.conftest import Cast

WORDS = {
    "note": "ミドリ色のリュックの子",
    "memo": "祖母宅に避難中",
    "reason": "送迎の手段がない",
    "request": "離乳食の進め方が分からない",
    "phone": "090-8765-4321",
    "reply": "明朝ご自宅に伺います",
    "answer": "玄関の鍵は開けておきます",
}


def everything_stored(cast: Cast) -> str:
    """Every value of every table, decrypted where it is encrypted, as one text."""
    seen = []
    with cast.bot.tsunagu.db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                seen.append(repr(tuple(row)))
    return "\n".join(seen)


def test_after_retention_no_words_of_a_family_are_left_anywhere(cast: Cast):
    # A member's note: read, claimed, a memo, a referral declined with a reason, closed.
    cast.file_note(f"気になる 2歳の{WORDS['note']}、冬も薄着")
    cast.basic.says("#K-0001")
    cast.basic.taps("Read the note")
    cast.basic.taps("Claim")
    cast.basic.says(f"K-0001 {WORDS['memo']}")
    cast.basic.taps("Record it")
    cast.basic.says("#K-0001")
    cast.basic.taps("Refer")
    cast.basic.taps("こけこっこ")
    (request,) = cast.other_member.replies()
    cannot = next(a for a in request["template"]["actions"] if a["label"] == "Cannot (reason)")
    cast.other_member.taps_data(cannot["data"])
    cast.other_member.says(WORDS["reason"])
    # A parent's request with their words and phone, a conversation through the bot.
    parent = cast.parent
    parent.says("search")  # their stage and area, remembered: the request goes to 北地区
    parent.taps("Age 1–2")
    parent.taps("North (北地区)")
    parent.taps("Any day")
    parent.says("ask a specialist")
    parent.taps("Parenting worries")
    parent.says(WORDS["request"])
    parent.taps("By phone")
    parent.says(WORDS["phone"])
    parent.taps("Send")
    cast.basic.says("#S-0002")
    cast.basic.taps("Reply")
    cast.basic.says(WORDS["reply"])
    parent.says(WORDS["answer"])
    cast.basic.replies()  # the notice that the family wrote
    cast.basic.taps("Read")
    stored = everything_stored(cast)
    assert all(word in stored for word in WORDS.values())  # the scan sees what is kept
    # Both closed; then the clock, past the city's retention.
    for ref in ("K-0001", "S-0002"):
        cast.basic.says("#" + ref)
        cast.basic.taps("Close")
        cast.basic.taps("Other")
        cast.basic.taps("Close it")
    cast.bot.settle()
    tsunagu = cast.bot.tsunagu
    later = tsunagu.runtime.now() + timedelta(days=tsunagu.city.retention_days + 1)
    done = tick(ClockParts.of(tsunagu), later)
    assert done["purged"] == 2 and done["cleared"] > 0
    stored = everything_stored(cast)
    assert [word for word in WORDS.values() if word in stored] == []
    assert "purged" in stored  # the audit trail stays, saying what went
