"""The member's years as the rules see them: which years count, which are broken.

渝医保发〔2025〕37号 四.2: "参保激励的连续参保年限从参加2025年度居民医保开始计算，以前年度是否
连续参保不计连续参保年限和断保年限". 五.1: a child first enrolled at 2 or older counts broken
years "从出生当年"; a child first enrolled before 2 has no broken years before that enrolment.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from rules import parameters
from rules.models import Coverage, Group, History, first_year


class Newborn(str, Enum):
    """Where a newborn's first enrolment for the target year falls (五.1)."""

    within_days = "within_days"   # paid within 90 days of birth: covered from the day of birth
    under_age = "under_age"       # after 90 days, before the 2nd birthday: from the day after payment
    over_age = "over_age"         # at 2 or older: the general waiting period, broken years from birth
    unknown_day = "unknown_day"   # under 2, but without the payment day the 90 days cannot be checked


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Timeline:
    history: History
    first: int                      # the first year that counts: 2025, or the birth year if later
    coverage: dict[int, Coverage]   # every year first..target; the target year assumed enrolled
    assumed_target: bool            # the target year was not given as insured
    exempt: frozenset[int]          # uninsured years before a newborn's first enrolment before 2
    newborn: Newborn | None         # set when the target year is a newborn's first enrolment

    @property
    def target(self) -> int:
        return self.history.target_year

    @property
    def years(self) -> range:
        return range(self.first, self.target + 1)

    def broken_before(self, year: int) -> list[int]:
        """The consecutive uninsured years right before `year` (not before `first`)."""
        found = []
        y = year - 1
        while y >= self.first and self.coverage[y] is Coverage.none and y not in self.exempt:
            found.append(y)
            y -= 1
        return sorted(found)


def timeline(h: History) -> Timeline:
    first = max(first_year(), h.born.year if h.born else first_year())
    coverage = {y: h.covered(y) for y in range(first, h.target_year + 1)}
    assumed = coverage[h.target_year] is Coverage.none
    if assumed:
        coverage[h.target_year] = Coverage.chongqing
    exempt: frozenset[int] = frozenset()
    newborn = None
    if h.group is Group.newborn and h.born is not None:
        first_insured = min(y for y, c in coverage.items() if c.insured)
        age_limit = add_years(h.born, int(parameters.value("newborn_no_wait_age", h.target_year)))
        if first_insured == h.target_year:
            on = h.paid_on or max(h.born, dt.date(h.target_year, 1, 1))
        else:  # an earlier first enrolment: taken as paid by 1 January of that year
            on = max(h.born, dt.date(first_insured, 1, 1))
        under_age = on < age_limit
        if under_age:
            exempt = frozenset(y for y in coverage if y < first_insured)
        if first_insured == h.target_year:
            days = int(parameters.value("newborn_days", h.target_year))
            if not under_age:
                newborn = Newborn.over_age
            elif h.paid_on is None:
                newborn = Newborn.unknown_day
            elif (h.paid_on - h.born).days <= days:
                newborn = Newborn.within_days
            else:
                newborn = Newborn.under_age
    return Timeline(h, first, coverage, assumed, exempt, newborn)
