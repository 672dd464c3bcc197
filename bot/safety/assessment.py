"""What the danger check decides about a message: the `Assessment`, and how findings combine.

The tier says how to answer:

- **emergency** — happening now, a lethal means, a medical emergency: 110/119 at once and an
  urgent alert to the specialists on duty (`urgent` is True exactly then);
- **crisis** — abuse, neglect, sexual abuse, DV, a wish to die, a report about another family's
  child: 189, the child guidance centre, the DV and suicide lines, and a specialist alert;
- **concern** — exhaustion, fear of harming the child, low mood after birth, distress about
  the bond with the child: a warm answer with 24-hour lines and the offer of a specialist; no
  night page.

`categories` are the four coarse domains the alerts name (child_abuse, dv, suicide, medical);
a concern about the parent's own wellbeing may have none. `kinds` are the fine-grained warning
signs found (physical_abuse, neglect, witnessed_dv, suicide_with_child, exhaustion …; the
lexicon files list them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.safety.lexicon import CATEGORIES, TIERS
from bot.safety.rules import Finding

__all__ = ["CATEGORIES", "TIERS", "Assessment", "combine"]


@dataclass(frozen=True)
class Assessment:
    categories: frozenset[str]
    urgent: bool
    # A child may be harmed by the situation (abuse, neglect, the fear of harming, or a child in a
    # DV or suicide message): the child guidance routes (189, the local centre) are then given.
    child_at_risk: bool = False
    tier: str = ""  # "emergency", "crisis" or "concern"; left empty, it follows `urgent`
    kinds: frozenset[str] = field(default_factory=frozenset)

    @property
    def net_only(self) -> bool:
        """Only the statistical safety net spoke (no rule found a sign): enough to answer a
        parent with the lines and, at the crisis tier, one bundled alert; never an emergency
        (110/119 need a rule's word), nor a member's note made urgent (``bot.handlers.turn``)."""
        return self.kinds == {"net"}

    def __post_init__(self):
        if not self.tier:
            object.__setattr__(self, "tier", "emergency" if self.urgent else "crisis")
        if self.tier not in TIERS:
            raise ValueError(f"unknown tier {self.tier!r}")
        if self.urgent != (self.tier == "emergency"):
            object.__setattr__(self, "urgent", self.tier == "emergency")


def _rank(tier: str) -> int:
    return TIERS.index(tier)


def _only_shouting(findings: list[Finding]) -> bool:
    """Whether shouting is what makes the message a crisis (a feared lethal act, itself a
    crisis, is not: 毎朝怒鳴ってる、首を絞めたくなる stays one)."""
    crisis = [f for f in findings if _rank(f.tier) >= _rank("crisis")]
    return all(f.kind in ("shouting", "report") for f in crisis) and any(
        f.kind == "shouting" for f in crisis
    )


def combine(
    findings: Iterable[Finding], *, now: bool, lethal: bool, child_named: bool
) -> Assessment | None:
    """One assessment from a message's findings. `now` (今, 今すぐ, 助けて) and `lethal` (包丁,
    練炭, 遺書) raise a crisis to an emergency, and the fear of harming to a crisis (now) or an
    emergency (a lethal means in hand)."""
    findings = list(findings)
    if not findings:
        return None
    tier = max((f.tier for f in findings), key=_rank)
    kinds = frozenset(f.kind for f in findings)
    categories = frozenset(f.category for f in findings if f.category)
    if tier == "crisis" and "fear_of_harm" in kinds and _only_shouting(findings):
        # 毎朝怒鳴ってしまう、自分が怖い: shouting told with the fear of oneself is a parent
        # losing control (a concern), not the words that wound a child (psychological abuse)
        tier = "concern"
    if any(f.urgent for f in findings):
        tier = "emergency"
    elif tier == "crisis" and (now or lethal):
        tier = "emergency"
    elif tier == "concern" and "fear_of_harm" in kinds and (now or lethal):
        tier = "emergency" if lethal else "crisis"
    child_at_risk = (
        "child_abuse" in categories or child_named and bool(categories & {"dv", "suicide"})
    )
    return Assessment(
        categories=categories,
        urgent=tier == "emergency",
        child_at_risk=child_at_risk,
        tier=tier,
        kinds=kinds,
    )
