"""Each job of the clock with frozen time, across weekends, 成人の日 (2027-01-11), 年末年始 and
quiet hours: what is due goes once, to the right people, in one push per person."""

from __future__ import annotations

from datetime import UTC, date

from sqlalchemy import func, select, update

from bot.cases import workflow
from bot.cases.models import AuditEntry, Case, ConcernNote
from bot.scheduler.lease import mark_ticked
from bot.scheduler.models import ReminderSent
from bot.storage.models import OutboxMessage
from tests.scheduler.conftest import BASIC, MCH, Clockwork, jst, reference, section

SECRET = "気になる家庭"  # the notes' text: never in a push


def test_a_follow_up_comes_on_its_morning_to_the_case_specialist_once(clock: Clockwork):
    basic, mch = clock.cast.basic, clock.cast.mch
    case = clock.file(jst(2027, 1, 6, 10))
    clock.claim(case, jst(2027, 1, 6, 11))
    clock.follow_up(case, date(2027, 1, 12), jst(2027, 1, 7, 10))

    clock.tick(jst(2027, 1, 11, 9))  # 成人の日: a holiday
    clock.tick(jst(2027, 1, 12, 8, 0))  # Tuesday, before the office opens
    assert not basic.replies()

    clock.tick(jst(2027, 1, 12, 8, 31))
    (digest,) = basic.replies()
    assert "Follow-ups due" in digest["text"] and reference(case) in digest["text"]
    assert "Open " + reference(case) in basic.buttons()
    assert SECRET not in str(digest)
    assert not mch.replies()

    assert clock.tick(jst(2027, 1, 12, 8, 31))["reminders"] == 0  # the same tick again
    clock.tick(jst(2027, 1, 12, 15))
    clock.tick(jst(2027, 1, 13, 9))
    assert not basic.replies()


def test_a_follow_up_on_a_weekend_comes_the_next_business_morning(clock: Clockwork):
    case = clock.file(jst(2027, 1, 6, 10))
    clock.claim(case, jst(2027, 1, 6, 11))
    clock.follow_up(case, date(2027, 1, 9), jst(2027, 1, 7, 10))  # a Saturday
    for day in (9, 10, 11):  # Saturday, Sunday, 成人の日
        clock.tick(jst(2027, 1, day, 10))
    assert not clock.cast.basic.replies()
    clock.tick(jst(2027, 1, 12, 9))
    (digest,) = clock.cast.basic.replies()
    assert reference(case) in digest["text"]


def test_an_unclaimed_note_goes_again_to_its_type_then_to_the_admin(clock: Clockwork):
    cast = clock.cast
    case = clock.file(jst(2027, 1, 8, 15))  # Friday afternoon, age 1–2: the basic type leads
    for day in (9, 10, 11):
        clock.tick(jst(2027, 1, day, 9))
    assert not any(p.replies() for p in cast.everyone())

    clock.tick(jst(2027, 1, 12, 9))  # the next business morning
    (digest,) = cast.basic.replies()  # every specialist of the lead type who may open it …
    assert "Notes nobody has claimed yet" in digest["text"]
    assert reference(case) in digest["text"]
    assert not cast.basic_south.replies()  # … not one of another area (issue #9: scope)
    (info,) = cast.mch.replies()  # the other type: what the partner type filed
    assert "Filed for the other type" in info["text"] and reference(case) in info["text"]
    assert not cast.admin.replies()

    clock.tick(jst(2027, 1, 13, 9))  # a business day later: the city admin
    (escalation,) = cast.admin.replies()
    assert "still unclaimed" in escalation["text"] and reference(case) in escalation["text"]
    assert not cast.basic.replies() and not cast.basic_south.replies()
    clock.tick(jst(2027, 1, 14, 9))
    assert not any(p.replies() for p in cast.everyone())


def test_a_note_claimed_in_time_is_not_escalated(clock: Clockwork):
    case = clock.file(jst(2027, 1, 8, 15))
    clock.claim(case, jst(2027, 1, 8, 16))
    clock.tick(jst(2027, 1, 12, 9))
    clock.tick(jst(2027, 1, 13, 9))
    assert not clock.cast.basic_south.replies() and not clock.cast.admin.replies()


def test_an_open_case_with_no_action_for_ten_business_days_is_stale_once(clock: Clockwork):
    case = clock.file(jst(2026, 12, 24, 9))
    clock.claim(case, jst(2026, 12, 24, 10))  # Thursday; then 年末年始 and 成人の日 pass
    clock.tick(jst(2027, 1, 13, 9))  # the 9th business day after
    assert not clock.cast.basic.replies()
    clock.tick(jst(2027, 1, 14, 9))  # the 10th
    (digest,) = clock.cast.basic.replies()
    assert "No action recorded for 10 business days" in digest["text"]
    assert reference(case) in digest["text"]
    clock.tick(jst(2027, 1, 15, 9))
    assert not clock.cast.basic.replies()


def test_the_digest_bundles_a_specialists_items_into_one_push(clock: Clockwork):
    stale = clock.file(jst(2026, 12, 24, 9))
    clock.claim(stale, jst(2026, 12, 24, 10))
    due = clock.file(jst(2027, 1, 6, 9))
    clock.claim(due, jst(2027, 1, 6, 10))
    clock.follow_up(due, date(2027, 1, 14), jst(2027, 1, 7, 10))
    unclaimed = clock.file(jst(2027, 1, 13, 16))

    clock.tick(jst(2027, 1, 14, 9))
    (digest,) = clock.cast.basic.replies()
    for heading, case in (
        ("Follow-ups due", due),
        ("Notes nobody has claimed yet", unclaimed),
        ("No action recorded", stale),
    ):
        assert heading in digest["text"] and reference(case) in digest["text"]
    assert len(clock.outbox_to(clock.cast.basic.user_id, jst(2027, 1, 14, 9))) == 1


def test_the_digest_says_when_the_message_quota_runs_low(clock: Clockwork):
    case = clock.file(jst(2027, 1, 12, 10))
    clock.bot.double.quota = 3
    clock.tick(jst(2027, 1, 13, 9))
    (digest,) = clock.cast.basic.replies()
    assert reference(case) in digest["text"] and "quota is running low" in digest["text"]


def test_a_child_turning_one_prompts_the_hand_over(clock: Clockwork):
    turns_one_in_january = clock.file(jst(2026, 3, 2, 10), stage="age0", birth_month="2026-01")
    turns_one_in_february = clock.file(jst(2026, 3, 2, 10), stage="age0", birth_month="2026-02")
    for case in (turns_one_in_january, turns_one_in_february):
        clock.claim(case, jst(2026, 3, 2, 11), by=MCH)

    clock.tick(jst(2027, 1, 4, 9))  # the first business morning of January
    (digest,) = clock.cast.mch.replies()
    prompt = section(digest["text"], "The child has turned one")
    assert reference(turns_one_in_january) in prompt
    assert reference(turns_one_in_february) not in prompt
    assert not clock.cast.basic.replies()

    clock.tick(jst(2027, 1, 5, 9))
    assert "time to hand over" not in str(clock.cast.mch.replies())
    clock.tick(jst(2027, 2, 1, 9))
    (digest,) = clock.cast.mch.replies()
    prompt = section(digest["text"], "The child has turned one")
    assert reference(turns_one_in_february) in prompt
    assert reference(turns_one_in_january) not in prompt


def test_an_unanswered_referral_reminds_the_provider_then_the_specialist(clock: Clockwork):
    cast = clock.cast
    case = clock.file(jst(2027, 1, 6, 10))
    clock.claim(case, jst(2027, 1, 6, 11))
    clock.at(jst(2027, 1, 7, 10))  # Thursday
    with clock.session() as session:
        workflow.refer(
            session,
            session.get(Case, case),
            clock.user(session, BASIC),
            "こけこっこ",
            jst(2027, 1, 7, 10).astimezone(UTC),
            clock.city,
        )
    clock.forget_pushes()

    clock.tick(jst(2027, 1, 13, 9))  # Fri, (成人の日), Tue, Wed: only 3 business days begun
    assert not cast.other_member.replies()
    clock.tick(jst(2027, 1, 14, 9))  # three whole business days without an answer
    head, request = cast.other_member.replies()
    assert "1 referral requests are still waiting for your answer" in head["text"]
    assert reference(case) in request["template"]["text"]
    assert SECRET not in str(request)
    assert not cast.basic.replies()

    clock.tick(jst(2027, 1, 15, 9))  # then the specialist who asked
    (digest,) = cast.basic.replies()
    assert "Referrals the provider has not answered" in digest["text"]
    assert not cast.other_member.replies()
    clock.tick(jst(2027, 1, 18, 9))
    assert not cast.other_member.replies() and not cast.basic.replies()


def test_an_answered_referral_is_not_reminded(clock: Clockwork):
    case = clock.file(jst(2027, 1, 6, 10))
    clock.claim(case, jst(2027, 1, 6, 11))
    clock.at(jst(2027, 1, 7, 10))
    with clock.session() as session:
        referral = workflow.refer(
            session,
            session.get(Case, case),
            clock.user(session, BASIC),
            "こけこっこ",
            jst(2027, 1, 7, 10).astimezone(UTC),
            clock.city,
        )
        referral.status = "accepted"
    clock.forget_pushes()
    clock.tick(jst(2027, 1, 14, 9))
    clock.tick(jst(2027, 1, 15, 9))
    assert not clock.cast.other_member.replies() and not clock.cast.basic.replies()


def test_pushes_decided_in_quiet_hours_wait_for_the_morning(clock: Clockwork):
    case = clock.file(jst(2027, 1, 11, 10))  # filed on the holiday
    mark_ticked(clock.db, jst(2027, 1, 12, 7).astimezone(UTC))
    clock.tick(jst(2027, 1, 12, 22))  # the clock was down all day: Tuesday's batch at 22:00
    assert not clock.cast.basic.replies()
    (row,) = clock.outbox_to(clock.cast.basic.user_id, jst(2027, 1, 12, 22))
    assert row.status == "pending"
    assert row.next_attempt_at == jst(2027, 1, 13, 8).astimezone(UTC)

    clock.at(jst(2027, 1, 13, 8, 0))
    clock.bot.settle()
    (digest,) = clock.cast.basic.replies()
    assert reference(case) in digest["text"]


def test_after_downtime_the_clock_catches_up_each_missed_morning_once_in_order(
    clock: Clockwork,
):
    cases = {}
    for day in (date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 4)):
        cases[day] = clock.file(jst(2026, 12, 21, 10))
        clock.claim(cases[day], jst(2026, 12, 21, 11))
        clock.follow_up(cases[day], day, jst(2026, 12, 21, 12))
    clock.tick(jst(2026, 12, 24, 17))  # the last tick before the clock went down

    done = clock.tick(jst(2027, 1, 5, 10))  # back after 年末年始
    assert done["mornings"] == 4  # 12/25, 12/28, 1/4, 1/5 (not 12/29–1/3, not weekends)
    digests = [m["text"] for m in clock.cast.basic.replies()]
    refs = [reference(cases[d]) for d in sorted(cases)]
    follow_ups = [r for text in digests for r in refs if r in section(text, "Follow-ups due")]
    assert follow_ups == refs  # each once, oldest first
    assert clock.tick(jst(2027, 1, 5, 10, 5))["reminders"] == 0
    assert not clock.cast.basic.replies()


def test_an_urgent_note_unclaimed_for_an_hour_goes_to_all_in_scope_at_once_even_at_night(
    clock: Clockwork,
):
    cast = clock.cast
    case = clock.file(jst(2027, 1, 9, 21), urgency="urgent")  # Saturday night
    clock.tick(jst(2027, 1, 9, 21, 30))
    assert not any(p.replies() for p in cast.everyone())
    clock.tick(jst(2027, 1, 9, 22, 1))  # quiet hours and a weekend: urgent goes at once
    assert not cast.basic_south.replies()  # another area's specialist may not open it
    for person in (cast.basic, cast.mch, cast.admin):
        (push,) = person.replies()
        assert "Urgent note still unclaimed" in push["template"]["text"]
        assert reference(case) in push["template"]["text"] and SECRET not in str(push)
    assert "Claim" in cast.mch.buttons() and "Claim" not in cast.admin.buttons()
    assert not cast.member.replies()
    clock.tick(jst(2027, 1, 9, 22, 2))
    assert not any(p.replies() for p in cast.everyone())


def test_dead_letters_are_reported_to_the_admins_once(clock: Clockwork):
    clock.at(jst(2027, 1, 12, 10))
    clock.bot.double.fail_next(400, endpoint="push")
    clock.file(jst(2027, 1, 12, 10))  # its first push is refused for good
    with clock.db.reading() as session:
        dead = session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.status == "dead", OutboxMessage.kind == "messages"
            )
        )
        dead = list(dead)
    assert len(dead) == 1
    clock.tick(jst(2027, 1, 12, 10, 1))
    (report,) = clock.cast.admin.replies()
    assert f"#{dead[0]}" in report["text"] and SECRET not in report["text"]
    clock.tick(jst(2027, 1, 12, 10, 2))
    assert not clock.cast.admin.replies()


def test_closed_cases_past_retention_are_purged_and_the_audit_kept(clock: Clockwork):
    old = clock.file(jst(2021, 4, 1, 10))
    recent = clock.file(jst(2026, 4, 1, 10))
    for case_id in (old, recent):
        clock.claim(case_id, jst(2021, 4, 1, 11) if case_id == old else jst(2026, 4, 1, 11))
    clock.cast.basic.says(f"#{reference(old)}")
    clock.cast.basic.taps("Read the note")  # an audited view
    with clock.session() as session:
        session.execute(
            update(Case)
            .where(Case.id == old)
            .values(status="closed", closed_at=jst(2021, 5, 1).astimezone(UTC))
        )
        session.execute(
            update(Case)
            .where(Case.id == recent)
            .values(status="closed", closed_at=jst(2026, 5, 1).astimezone(UTC))
        )

    assert clock.tick(jst(2027, 1, 12, 9))["purged"] == 1
    with clock.db.reading() as session:
        assert session.get(Case, old) is None and session.get(Case, recent) is not None
        assert session.scalar(select(func.count()).select_from(ConcernNote)) == 1
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == old)))
    assert {"view_note", "purged"} <= actions
    assert clock.tick(jst(2027, 1, 12, 9, 1))["purged"] == 0


def test_every_reminder_has_one_key_per_case_kind_and_due_day(clock: Clockwork):
    case = clock.file(jst(2027, 1, 8, 15))
    for hour in (9, 10, 11):
        clock.tick(jst(2027, 1, 12, hour))
    with clock.db.reading() as session:
        keys = session.execute(
            select(ReminderSent.kind, ReminderSent.subject_id, ReminderSent.due_on)
        ).all()
    assert ("unclaimed", case, date(2027, 1, 12)) in keys
    assert ("morning", 0, date(2027, 1, 12)) in keys
    assert len(keys) == len(set(keys))


def test_no_push_of_the_clock_names_a_family(clock: Clockwork):
    case = clock.file(jst(2027, 1, 8, 15))
    clock.tick(jst(2027, 1, 12, 9))
    clock.tick(jst(2027, 1, 13, 9))
    seen = [m for person in clock.cast.everyone() for m in person.replies()]
    assert seen and reference(case) in str(seen)
    assert SECRET not in str(seen)
