"""A member's concern note, once the dialog has everything: filed as a case and routed.

The dialog (``bot.dialogs.concern_note``) asks; this files what it decided and tells the member
the reference. Staff whose registration no longer stands are refused (and audited).
"""

from __future__ import annotations

import logging

from bot.cases import access, workflow
from bot.dialogs.concern_note import concern_note
from bot.handlers.casework import refused, say
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.intents import FileNote

log = logging.getLogger(__name__)

router = Router("notes", dialogs=(concern_note,))


@router.intent(FileNote)
def file_note(turn: Turn, note: FileNote) -> None:
    if access.staff_of(turn.session, turn.user) is None:
        access.refuse(turn.session, turn.user, None, "file_note", turn.now)
        refused(turn)
        return
    case = workflow.file_note(turn.session, turn.user, note, turn.now, turn.city)
    log.info("note filed as case %s by user %s", case.id, turn.user.id)
    said = turn.t.gettext(
        "Thank you. Your note was sent to the specialists as {ref}. "
        "I will tell you when it is picked up.",
        ref=case.reference,
    )
    say(turn, said)
