"""A member's concern note, once the dialog has everything: filed as a case and routed.

The dialog (``bot.dialogs.concern_note``) asks; this files what it decided and tells the member
the reference — and, when the note carries danger signs or reports suspected abuse, that it went
as urgent and what to do if the danger is immediate, as one tells a colleague. Staff whose
registration no longer stands are refused (and audited).
"""

from __future__ import annotations

import logging

from bot.cases import access, intake
from bot.dialogs.concern_note import concern_note
from bot.handlers.casecard import refused, say
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.intents import FileNote
from bot.vocabulary import LegalBasis

log = logging.getLogger(__name__)

router = Router("notes", dialogs=(concern_note,))

URGENT_NOTE = _(
    "It went as urgent to every specialist of the lead type, at any hour. If the child or "
    "the parent is in danger right now, call 110 (police) or 189 (child guidance) yourself."
)


@router.intent(FileNote)
def file_note(turn: Turn, note: FileNote) -> None:
    if access.staff_of(turn.session, turn.user) is None:
        access.refuse(turn.session, turn.user, None, "file_note", turn.now)
        refused(turn)
        return
    case = intake.file_note(turn.session, turn.user, note, turn.now, turn.city)
    log.info("note filed as case %s by user %s", case.id, turn.user.id)
    t = turn.t
    said = t.gettext(
        "Thank you. Your note was sent to the specialists as {ref}. "
        "I will tell you when it is picked up.",
        ref=case.reference,
    )
    if note.danger or note.basis == LegalBasis.REPORT:
        said += "\n" + t.gettext(URGENT_NOTE)
    say(turn, said)
