"""Privacy: the note's words are nowhere but where they must be — not in the database's raw
bytes, not in a log line, not in any push; only in replies to the member who wrote them and to
a specialist who asked to read them."""

import logging

from sqlalchemy import text

from bot.models import metadata
from tests.cases.conftest import BASIC, MEMBER, Cast

PHRASE = "ミドリ色のリュック"
REASON = "送迎の手段がない"
NOTE = f"気になる 2歳の子、いつも{PHRASE}で来るが冬も薄着。"


def live_a_case(cast: Cast) -> None:
    cast.file_note(NOTE)
    cast.basic.replies()
    cast.basic.taps("Read the note")
    assert cast.basic.heard(PHRASE)
    cast.basic.taps("Claim")
    cast.basic.taps("Refer")
    cast.basic.taps("こけこっこ")
    cast.other_member.replies()
    cast.other_member.taps("Cannot (reason)")
    cast.other_member.says(REASON)
    cast.basic.says("#K-0001")
    cast.basic.taps("Close")
    cast.basic.taps("Moved away")
    cast.bot.settle()


def test_the_raw_database_holds_no_note_text(cast: Cast):
    live_a_case(cast)
    dump = []
    with cast.bot.tsunagu.db.engine.connect() as conn:
        for table in metadata.sorted_tables:
            dump += [str(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{table.name}"'))]
    everything = "\n".join(dump)
    assert "concern_notes" in {t.name for t in metadata.sorted_tables}
    assert PHRASE not in everything and REASON not in everything
    assert "薄着" not in everything


def test_no_log_line_holds_note_text(cast: Cast, caplog):
    caplog.set_level(logging.DEBUG)
    live_a_case(cast)
    assert "case 1: claimed" in caplog.text  # the log tells what happened …
    assert PHRASE not in caplog.text and REASON not in caplog.text  # … never what was written


def test_the_words_reach_only_their_writer_and_a_specialist_who_asks(cast: Cast):
    live_a_case(cast)
    carrying = [
        (r.user_id, r.via)
        for r in cast.bot.double.delivered
        if PHRASE in str(r.message) or REASON in str(r.message)
    ]
    assert carrying
    assert all(via == "reply" for _user, via in carrying)
    assert {user for user, _via in carrying} == {MEMBER, BASIC}
    pushes = [r.message for r in cast.bot.double.delivered if r.via == "push"]
    assert len(pushes) >= 5  # routed, picked up, referral, answer, closed
    assert not any("薄着" in str(p) for p in pushes)


def test_key_rotation_covers_notes(cast: Cast):
    from cryptography.fernet import Fernet

    from bot.cases.models import ConcernNote
    from bot.storage import crypto

    cast.file_note(NOTE)
    old = cast.bot.tsunagu.settings.data_key
    new = Fernet.generate_key().decode()
    crypto.use_keys(f"{new},{old}")
    try:
        assert crypto.rotate_all(cast.bot.tsunagu.db.engine, metadata) > 0
        crypto.use_keys(new)  # the old key is gone: the note still reads
        with cast.bot.tsunagu.db.transaction() as session:
            assert PHRASE in session.query(ConcernNote).one().text
    finally:
        crypto.use_keys(f"{new},{old}")
