"""What went wrong in an imported file, said so a city clerk can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One bad cell or line: file, line, column (number and name) and what was expected."""

    file: str
    line: int
    column: int | None
    column_name: str
    expected: str
    got: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}: line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        if self.column_name:
            where += f" 「{self.column_name}」"
        text = f"{where}: expected {self.expected}"
        return text if self.got is None else f"{text}, got {self.got!r}"


class FileProblems(Exception):
    """Raised inside an importer to stop reading a file that cannot be read at all."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
