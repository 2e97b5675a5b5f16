"""What real callers said that the speech matcher missed: `ivr speech --misses`.

A miss is a spoken turn (`events.input` is `say:<words>`) that matched no node, or matched
one with a low score. Grouped by the words heard, most frequent first, they are the phrases
a menu editor should add (or the out-of-scope requests to leave alone).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy import Engine, func, or_, select

from ivr.records import tables
from ivr.records.report import not_starting

LOW_SCORE = 0.5  # a match under this is listed too: the matcher goes at 0.36


@dataclass(frozen=True)
class Miss:
    """Words heard on real calls, how often, and the best score they ever matched with."""

    heard: str
    count: int
    best_score: float | None  # None: never matched (or not confident enough to try)


def speech_misses(
    engine: Engine,
    since: datetime.datetime | None = None,
    below: float = LOW_SCORE,
    skip_call_sids: str | None = None,
) -> list[Miss]:
    """Unmatched and low-score utterances since `since`, most frequent first.

    Calls whose CallSid starts with `skip_call_sids` (the simulator's) are left out.
    """
    event = tables.events.c
    heard = func.substr(event.input, 5)  # after "say:"
    conditions = [
        event.input.like("say:%"),
        or_(event.score.is_(None), event.score < below),
    ]
    if since is not None:
        conditions.append(event.at >= since)
    conditions += not_starting(event.call_sid, skip_call_sids)
    count = func.count().label("count")
    query = (
        select(heard.label("heard"), count, func.max(event.score))
        .where(*conditions)
        .group_by(heard)
        .order_by(count.desc(), heard)
    )
    with engine.connect() as connection:
        return [Miss(text, n, score) for text, n, score in connection.execute(query)]
