"""Danger signals: every message is checked here before any dialog sees it.

`assess(text)` returns an `Assessment` — its `tier` (emergency, crisis or concern), the coarse
`categories` (child_abuse, dv, suicide, medical), the fine `kinds`, `urgent` and
`child_at_risk` — or None; `routes.emergency_lines` picks the numbers to give from the city
file. The vocabulary is data in bot/safety/lexicon/; matcher.py says how the check works, and
net.py how the statistical safety net beside the rules answers what they miss.
"""

from bot.safety.assessment import CATEGORIES, TIERS, Assessment
from bot.safety.matcher import assess

__all__ = ["CATEGORIES", "TIERS", "Assessment", "assess"]
