"""The conversation between a specialist and the family of a request or an alert, relayed by the
bot: the specialist's words go to the parent from the city's account, the parent's answers come
back to the specialist on the case. Neither sees the other's LINE account.

The thread is the case's ``message`` events (words encrypted, under the case's retention). A push
to the specialist says a message came, never what it says: they open it (audited), and opening
it marks the parent's message read in LINE (its ``markAsReadToken``), so 既読 means a person read
it. Either side can end the conversation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import chain

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases import access
from bot.cases import messages as m
from bot.cases.models import Case, CaseEvent
from bot.cases.workflow import record
from bot.i18n import Translator, _
from bot.messaging.builders import Message, buttons, postback, text
from bot.messaging.outbox import mark_read, push_each
from bot.messaging.postback import CaseTap, Command
from bot.storage.models import LineUser
from bot.vocabulary import CaseKind

PARENTS_CASES = (CaseKind.CONSULT, CaseKind.ALERT)
ENDED_BY_PARENT = _("The family ended the conversation on {ref}.")
ENDED_BY_STAFF = _("The specialist has ended this conversation. You can ask again at any time.")
# session.info, filled as a batch's write transaction begins (``note_no_threads``): the LINE user
# ids of its speakers who have no open conversation. Every parent's question asks whether they
# have one; a batch asks once for all of them (one SELECT per question was about a tenth of
# handling a question: docs/benchmarks.md).
NO_THREAD = "tsunagu.no_thread"


def open_thread(session: Session, parent: LineUser) -> Case | None:
    """The parent's open conversation with a specialist, if there is one."""
    no_thread = session.info.get(NO_THREAD)
    if no_thread and parent.line_user_id in no_thread and not _cases_changed(session):
        return None
    return session.scalars(
        select(Case)
        .where(
            Case.parent_id == parent.id,
            Case.kind.in_(PARENTS_CASES),
            Case.relay_open.is_(True),
            Case.status != "closed",
        )
        .order_by(Case.updated_at.desc())
    ).first()


def note_no_threads(
    session: Session, speakers: Iterable[LineUser | None], line_ids: set[str]
) -> None:
    """Remember which of a batch's speakers (``line_ids``; ``speakers``: those already known)
    have no open conversation, in one read. Someone new has none. Valid until a case changes in
    this transaction (then ``open_thread`` asks the database again, as before)."""
    ids = {u.id: u.line_user_id for u in speakers if u is not None}
    having = session.scalars(
        select(Case.parent_id).where(
            Case.parent_id.in_(list(ids)),
            Case.kind.in_(PARENTS_CASES),
            Case.relay_open.is_(True),
            Case.status != "closed",
        )
    ).all()
    session.info[NO_THREAD] = line_ids - {ids[i] for i in having}
    if not sa_event.contains(session, "before_flush", _forget_no_threads):
        sa_event.listen(session, "before_flush", _forget_no_threads)


def _cases_changed(session: Session) -> bool:
    return any(isinstance(o, Case) for o in chain(session.new, session.dirty))


def _forget_no_threads(session: Session, flush_context, instances) -> None:
    # A case written in this transaction (a staff member's words opening a conversation, a new
    # request …) may change who has a conversation: from here on, ask the database.
    if _cases_changed(session):
        session.info.pop(NO_THREAD, None)


def end_button(t: Translator, case: Case) -> dict:
    label = t.gettext("End the conversation")
    return postback(label, CaseTap(Command.END_RELAY, case.id).pack(), label)


def to_parent(session: Session, case: Case, actor: LineUser, words: str, now: datetime) -> bool:
    """Send a specialist's words to the family; False when the parent cannot be reached."""
    parent = session.get(LineUser, case.parent_id) if case.parent_id else None
    if parent is None or not parent.active:
        return False
    record(session, case, actor, "message", now, words=words, side="staff")
    case.relay_open = True

    def message(t: Translator) -> list[Message]:
        head = t.gettext("Your specialist at the city answered ({ref}):", ref=case.reference)
        hint = t.gettext("You can answer here; your message goes to the same specialist.")
        return [text(f"{head}\n{words}\n\n{hint}", quick_replies=[end_button(t, case)])]

    push_each(session, [parent], message)
    return True


def from_parent(
    session: Session,
    case: Case,
    parent: LineUser,
    words: str,
    read_token: str | None,
    now: datetime,
) -> None:
    """A parent's answer: kept on the case; its specialist told that it came (not what)."""
    detail = {"side": "parent", "read": False}
    if read_token:
        detail["read_token"] = read_token
    record(session, case, parent, "message", now, words=words, **detail)
    staff_id = case.assignee_id or case.lead_id
    staff = session.get(LineUser, staff_id) if staff_id else None

    def notice(t: Translator) -> list[Message]:
        body = t.gettext("The family wrote on {ref}.", ref=case.reference)
        actions = [
            postback(t.gettext("Read"), CaseTap(Command.THREAD, case.id).pack()),
            postback(t.gettext("Reply"), CaseTap(Command.REPLY, case.id).pack()),
        ]
        return [buttons(body, actions)]

    push_each(session, [staff] if staff else [], notice)


def read_thread(session: Session, user: LineUser, case: Case, now: datetime) -> list[CaseEvent]:
    """The conversation so far (audited); the parent's unread messages are marked read in LINE."""
    access.audit(session, user, "view_thread", now, case_id=case.id, detail=case.reference)
    events = list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id, CaseEvent.kind == "message")
            .order_by(CaseEvent.id)
        )
    )
    for event in events:
        if event.detail.get("side") == "parent" and not event.detail.get("read"):
            if token := event.detail.get("read_token"):
                mark_read(session, token)
            event.detail = {k: v for k, v in event.detail.items() if k != "read_token"} | {
                "read": True
            }
    return events


def end(session: Session, case: Case, actor: LineUser, now: datetime) -> None:
    """Either side ends the conversation; the other is told."""
    case.relay_open = False
    record(session, case, actor, "relay_ended", now, by=actor.role)
    if actor.id == case.parent_id:
        staff_id = case.assignee_id or case.lead_id
        staff = [session.get(LineUser, staff_id)] if staff_id else []
        push_each(
            session,
            [s for s in staff if s],
            lambda t: [
                buttons(
                    t.gettext(ENDED_BY_PARENT, ref=case.reference),
                    [m.open_button(t, case)],
                )
            ],
        )
    else:
        parent = session.get(LineUser, case.parent_id) if case.parent_id else None
        push_each(session, [parent] if parent else [], lambda t: [text(t.gettext(ENDED_BY_STAFF))])
