"""Danger signals: every message is checked here before any dialog sees it.

`assess(text)` returns an `Assessment` (categories among child_abuse, dv, suicide, medical, and
whether it is urgent) or None; `routes.emergency_lines` picks the numbers to give from the city
file. See matcher.py for how the matching works.
"""

from bot.safety.matcher import CATEGORIES, Assessment, assess

__all__ = ["CATEGORIES", "Assessment", "assess"]
