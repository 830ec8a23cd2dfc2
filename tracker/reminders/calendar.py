"""Working days: Monday to Friday, minus Indonesian public holidays (the `holidays` package)
and the extra days off the admin lists (cuti bersama)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import holidays


class WorkCalendar:
    def __init__(self, extra_days_off: Iterable[date] = ()):
        self.extra = frozenset(extra_days_off)
        # Indonesian names; fills in years as they are asked.
        self.public = holidays.country_holidays("ID", language="id")
        self._working: dict[date, bool] = {}  # a cycle asks about the same days many times

    def is_working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = day.weekday() < 5 and day not in self.extra and day not in self.public
            self._working[day] = known
        return known

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days there are after `start`, up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def on_or_before(self, day: date) -> date:
        """`day` if it is a working day, else the working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def nth_working_day_after(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n >= 1)."""
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def holiday_name(self, day: date) -> str | None:
        if day in self.extra:
            return "cuti bersama"
        return self.public.get(day)
