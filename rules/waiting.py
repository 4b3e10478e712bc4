"""The waiting period (待遇等待期) for the target year, in whole calendar months.

渝医保发〔2025〕42号 三: "除新生儿等特殊群体外，对未在居民医保集中缴费期参保缴费或未连续参保缴费的
人员，设置参保缴费后固定待遇等待期3个月；其中，未连续参保缴费的，每多断保1年，在固定待遇等待期
基础上增加1个月待遇等待期" (broken 1 year: 3 months; 2 years: 4, the 重庆晨报 examples).
重庆晨报 2025-06-26: "每多补缴1年的费用可以减少1个月的变动等待期" and "连续断缴4年及以上的，修复
以后的变动等待期不少于3个月 … 仍然需要至少等待6个月".
渝医保发〔2025〕37号 五.1: newborns, low-income people, poverty-alleviated people and inmates keep the
former rules (product reading: no waiting period); 五.2: "待遇等待期按照自然月整月计算".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from rules import parameters as p
from rules.errors import RulesError
from rules.models import Group, History
from rules.timeline import Newborn, Timeline


class Paid(str, Enum):
    """When the target year's contribution was paid, against the collection period (五.3)."""

    by_december = "by_december"            # September to 31 December of the year before
    january_february = "january_february"  # January or February of the insured year
    student_september = "student_september"  # a college student, in the September collection
    outside = "outside"                    # March to December of the insured year
    unknown = "unknown"                    # no payment day given


def paid_window(h: History) -> Paid:
    day, year = h.paid_on, h.target_year
    if day is None:
        return Paid.unknown
    if h.group is Group.student and day.year == year - 1 and day.month == p.value("student_collection_month", year):
        return Paid.student_september
    if day.year == year - 1 and day.month >= p.value("collection_first_month", year):
        return Paid.by_december
    if day.year == year and day.month <= p.value("collection_last_month", year):
        return Paid.january_february
    return Paid.outside


@dataclass
class WaitingFigures:
    applies: bool
    reason: str
    fixed: int = 0
    variable: int = 0
    repaired: int = 0
    requested_repair: int = 0
    floor_applied: bool = False
    broken: tuple[int, ...] = ()

    @property
    def months(self) -> int:
        return self.fixed + self.variable - self.repaired


def exempt_reason(tl: Timeline) -> str | None:
    """Why the target year has no waiting period at all, or None when the general rules apply."""
    h = tl.history
    if h.group.former_rules:
        return "former_rules"
    if tl.newborn in (Newborn.within_days, Newborn.under_age, Newborn.unknown_day):
        return "newborn"
    return None


def waiting(tl: Timeline, paid: Paid) -> WaitingFigures:
    h, year = tl.history, tl.target
    broken = tuple(tl.broken_before(year))
    if h.backpaid > len(broken):
        raise RulesError(f"补缴{h.backpaid}年多于断保年数{len(broken)}年：只能补缴断保的年度")
    exempt = exempt_reason(tl)
    if exempt:
        return WaitingFigures(False, exempt, broken=broken)
    continuous = not broken
    if continuous and paid is not Paid.outside:
        return WaitingFigures(False, "continuous_in_period", broken=broken)
    fixed = int(p.value("fixed_waiting_months", year))
    reason = "not_continuous" if not continuous else "outside_period"
    if not continuous and paid is Paid.outside:
        reason = "not_continuous_outside_period"
    if continuous:
        return WaitingFigures(True, reason, fixed=fixed, broken=broken)
    variable = (len(broken) - 1) * int(p.value("variable_months_per_broken_year", year))
    requested = min(h.backpaid * int(p.value("repair_months_per_backpaid_year", year)), variable)
    remaining = variable - requested
    floor_applied = False
    if len(broken) >= p.value("long_break_years", year):
        floor = int(p.value("long_break_min_variable_months", year))
        if remaining < floor:
            remaining, floor_applied = floor, True
    return WaitingFigures(True, reason, fixed=fixed, variable=variable, repaired=variable - remaining,
                          requested_repair=requested, floor_applied=floor_applied, broken=broken)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months; a day the month lacks (31 April) becomes the 1st after."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    try:
        return dt.date(year, month, day.day)
    except ValueError:
        return dt.date(year + month // 12, month % 12 + 1, 1)
