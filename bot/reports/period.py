"""A report's month (Asia/Tokyo) and the small-count rule that keeps families unrecognisable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from bot.i18n import TOKYO

SMALL = 5  # counts from 1 to SMALL-1 are shown as "<5"
MASK = f"<{SMALL}"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Month:
    """A calendar month in Asia/Tokyo, with its bounds as UTC moments for stored times."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        m = _MONTH.match(text.strip())
        if not m or not 1 <= int(m[2]) <= 12 or int(m[1]) < 2000:
            raise ValueError(f"expected a month like 2027-01, got {text!r}")
        return cls(int(m[1]), int(m[2]))

    @classmethod
    def of(cls, moment: datetime) -> Month:
        local = moment.astimezone(TOKYO)
        return cls(local.year, local.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(), TOKYO).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first moment after the month (exclusive bound)."""
        return self.next().start

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def mask(values: list[int]) -> list[int | str]:
    """Counts as they may be shown: 1–4 become "<5" (0 stays: it names nobody).

    When exactly one count in a table is masked, the smallest other non-zero count is masked too,
    so the hidden one cannot be worked out from a total shown elsewhere.
    """
    hidden = {i for i, v in enumerate(values) if 0 < v < SMALL}
    if len(hidden) == 1:
        others = [(v, i) for i, v in enumerate(values) if v >= SMALL]
        if others:
            hidden.add(min(others)[1])
    return [MASK if i in hidden else v for i, v in enumerate(values)]


def shown(value: int) -> int | str:
    """One count on its own (a summary's figure): masked when small."""
    return MASK if 0 < value < SMALL else value
