"""Spoken-request corpora (tests/speech/*.yaml) judged against a menu's matcher.

A case passes when the matcher goes straight to the expected node (or an `also` node),
or offers it in its "did you mean A or B?" question; an out-of-scope case passes only
on the re-prompt. See tests/speech/README.md.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ivr.menu.loading import Menus


@dataclass(frozen=True)
class Case:
    """One utterance and where it must lead."""

    lang: str
    say: str
    expect: str | None
    also: tuple[str, ...] = ()
    kind: str = "normal"


@dataclass(frozen=True)
class Outcome:
    """What the matcher did with a case."""

    case: Case
    choices: tuple[str, ...]  # gone to (one), asked between (two), or re-prompted (none)
    score: float

    @property
    def passed(self) -> bool:
        """Whether the case is judged right."""
        if self.case.expect is None:
            return not self.choices
        return bool({self.case.expect, *self.case.also} & set(self.choices))


@dataclass
class CorpusReport:
    """Every case's outcome, with the figures the gate and `ivr speech` print."""

    outcomes: list[Outcome] = field(default_factory=list)

    def accuracy(self, outcomes: list[Outcome] | None = None) -> float:
        """The share of cases judged right (1.0 for none)."""
        chosen = self.outcomes if outcomes is None else outcomes
        return sum(o.passed for o in chosen) / len(chosen) if chosen else 1.0

    def by(self, key: str) -> dict[str, list[Outcome]]:
        """Group the outcomes by 'node', 'lang' or 'kind'."""
        groups: dict[str, list[Outcome]] = collections.defaultdict(list)
        for o in self.outcomes:
            value = {"node": o.case.expect or "(out of scope)", "lang": o.case.lang}.get(
                key, o.case.kind
            )
            groups[value].append(o)
        return dict(sorted(groups.items()))

    def escaped(self) -> list[Outcome]:
        """Out-of-scope cases that reached an answer or were asked about."""
        return [o for o in self.outcomes if o.case.expect is None and o.choices]

    def confused(self) -> collections.Counter[tuple[str, str]]:
        """(expected, reached instead) for the in-scope cases that went elsewhere."""
        return collections.Counter(
            (o.case.expect, o.choices[0])
            for o in self.outcomes
            if o.case.expect and o.choices and not o.passed
        )

    def table(self) -> str:
        """Accuracy per node, language and kind, the confused pairs and the misses."""
        lines = [f"overall: {self.accuracy():.1%} of {len(self.outcomes)} cases"]
        for key in ("kind", "lang", "node"):
            lines.append(f"\n{'by ' + key:<20} {'right':>7} {'cases':>6} {'accuracy':>9}")
            for name, group in self.by(key).items():
                right = sum(o.passed for o in group)
                lines.append(f"{name:<20} {right:>7} {len(group):>6} {right / len(group):>9.1%}")
        lines.append(f"\nout of scope reaching a node: {len(self.escaped())}")
        confused = self.confused()
        if confused:
            lines.append("\nconfused (expected -> reached): ")
            lines += [f"  {a} -> {b}: {n}" for (a, b), n in confused.most_common()]
        misses = [o for o in self.outcomes if not o.passed]
        if misses:
            lines.append("\nmisses:")
            for o in misses:
                got = " or ".join(o.choices) or "re-prompt"
                lines.append(
                    f"  [{o.case.lang} {o.case.kind}] {o.case.say!r}: expected "
                    f"{o.case.expect or 're-prompt'}, got {got} ({o.score:.2f})"
                )
        return "\n".join(lines)


def load_corpus(path: str | Path) -> list[Case]:
    """Read a corpus file's cases."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return [
        Case(
            lang=c["lang"],
            say=str(c["say"]),
            expect=c.get("expect"),
            also=tuple(c.get("also") or ()),
            kind=c.get("kind", "normal"),
        )
        for c in data["cases"]
    ]


def judge(menus: Menus, cases: list[Case]) -> CorpusReport:
    """Run every case through the menu's matcher."""
    if menus.spoken is None:
        raise ValueError(f"{menus.path}: no menu accepts speech")
    report = CorpusReport()
    for case in cases:
        match = menus.spoken.intents.match(case.say)
        report.outcomes.append(Outcome(case, match.choices, match.score))
    return report
