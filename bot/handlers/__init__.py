"""Event → who is speaking → which dialog or command. Writes state and outbox, never calls LINE."""

from bot.handlers import consultations, staff  # noqa: F401  (they register their commands)
from bot.handlers.events import handle_event

__all__ = ["handle_event"]
