"""The Service: what every request needs, built once at start-up and on each reload."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypedDict

from ivr.call.flow import Flow
from ivr.menu.hours import Verdict, verdict
from ivr.menu.loading import Menus
from ivr.records.writes import Recorder
from ivr.settings import Clock, Settings
from ivr.web.apology import Apology


@dataclass(frozen=True)
class Service:
    """The settings, the checked menu and what is built from it, the clock, the records."""

    settings: Settings
    menus: Menus
    flow: Flow
    clock: Clock
    apology: Apology  # TwiML for when a handler fails: prebuilt so it cannot fail itself
    recorder: Recorder | None  # call records (None only with IVR_RECORDS=off, for benchmarks)

    def time_verdicts(self, at: datetime.datetime | None = None) -> list[Verdict]:
        """Each schedule's verdict at `at` (default: the service's clock): local time,
        open until / opens."""
        now = at or self.clock()
        return [verdict(schedule, now) for schedule in self.menus.schedules.values()]


class Derived(TypedDict):
    """The Service's fields built from the menus, rebuilt on a reload."""

    flow: Flow
    apology: Apology
