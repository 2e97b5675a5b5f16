"""Problems found in a menus file, and the one exception that carries them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a menus file, with where it is and how to fix it."""

    file: str
    line: int | None
    node: str | None
    message: str
    fix: str | None = None
    severity: str = "error"  # or "warning": reported, but the file still loads
    consequence: bool = False  # likely to go once an error reported before it is fixed

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = f"node '{self.node}': {self.message}" if self.node else self.message
        fix = f" (fix: {self.fix})" if self.fix else ""
        then = (
            " [probably follows from an error above: fix those first]" if self.consequence else ""
        )
        return f"{where}: {self.severity}: {what}{fix}{then}"


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Errors first, then those that probably follow from them, then warnings; each in
    the order found."""
    return sorted(problems, key=lambda p: (p.severity != "error", p.consequence))


def summary(problems: Iterable[Problem]) -> str:
    """Count problems in a few words: "1 error(s) (+1 following from it), 25 warning(s)"."""
    found = list(problems)
    errors = [p for p in found if p.severity == "error"]
    following = sum(p.consequence for p in errors)
    text = f"{len(errors) - following} error(s)"
    if following:
        text += f" (+{following} that probably follow from them)"
    return text + f", {len(found) - len(errors)} warning(s)"


class MenuError(Exception):
    """A menus file that cannot be served; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """Suggest the closest of `choices` to a misspelt `word`, as a fix."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
