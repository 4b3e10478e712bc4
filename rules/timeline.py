"""The member's years as the rules see them: which years count, which are broken.

渝医保发〔2025〕37号 四.2: "参保激励的连续参保年限从参加2025年度居民医保开始计算，以前年度是否
连续参保不计连续参保年限和断保年限". 五.1: a child first enrolled at 2 or older counts broken
years "从出生当年"; a child first enrolled before 2 has no broken years before that enrolment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from rules.models import COVERAGE_ZH, Coverage, History, years_zh
from rules.policy import Group, first_year, newborn_window
from rules.trace import Ruled, step


class Newborn(str, Enum):
    """Where a newborn's first enrolment for the target year falls (五.1)."""

    within_days = "within_days"  # paid within 90 days of birth: covered from the day of birth
    under_age = "under_age"  # after 90 days, before the 2nd birthday: from the day after payment
    over_age = "over_age"  # at 2 or older: the general waiting period, broken years from birth
    unknown_day = "unknown_day"  # under 2, but without the payment day the 90 days cannot be checked


@dataclass(frozen=True)
class Timeline:
    history: History
    first: int  # the first year that counts: 2025, or the birth year if later
    coverage: dict[int, Coverage]  # every year first..target; the target year assumed enrolled
    assumed_target: bool  # the target year was not given as insured
    exempt: frozenset[int]  # uninsured years before a newborn's first enrolment before 2
    newborn: Newborn | None  # set when the target year is a newborn's first enrolment

    @property
    def target(self) -> int:
        return self.history.target_year

    @property
    def years(self) -> range:
        return range(self.first, self.target + 1)

    def broken_before(self, year: int) -> list[int]:
        """The consecutive uninsured years right before `year` (not before `first`)."""
        found: list[int] = []
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
    newborn: Newborn | None = None
    if h.group is Group.newborn and h.born is not None:
        first_insured = min(y for y, c in coverage.items() if c.insured)
        window = newborn_window(h.target_year)
        if first_insured == h.target_year:
            on = h.paid_on or max(h.born, dt.date(h.target_year, 1, 1))
        else:  # an earlier first enrolment: taken as paid by 1 January of that year
            on = max(h.born, dt.date(first_insured, 1, 1))
        under_age = window.under_age(h.born, on)
        if under_age:
            exempt = frozenset(y for y in coverage if y < first_insured)
        if first_insured == h.target_year:
            if not under_age:
                newborn = Newborn.over_age
            elif h.paid_on is None:
                newborn = Newborn.unknown_day
            elif window.from_birth(h.born, h.paid_on):
                newborn = Newborn.within_days
            else:
                newborn = Newborn.under_age
    return Timeline(h, first, coverage, assumed, exempt, newborn)


# ---------------------------------------------------------------- the articles, for the target year


def pre_first_year(tl: Timeline) -> Ruled[list[int]]:
    """37号 四.2: "以前年度是否连续参保不计连续参保年限和断保年限"."""
    early = sorted(tl.history.pre_2025_years)
    if not early:
        return Ruled(early)
    first = first_year()
    return Ruled(
        early,
        step(
            "scope.pre_2025",
            f"提到的{years_zh(early)}年早于{first}年度：以前年度是否参保，"
            "不计连续参保年限，也不计断保年限，计算时不考虑。",
            "pre_2025",
            result="ignored",
            years=early,
        ),
    )


def assumed_target(tl: Timeline) -> Ruled[bool]:
    """A target year not given as insured is taken as a Chongqing resident-insurance year (product reading)."""
    if not tl.assumed_target:
        return Ruled(False)
    y = tl.target
    return Ruled(
        True,
        step(
            "scope.target_assumed",
            f"没有说{y}年度已参保：按{y}年度参加重庆居民医保计算。",
            "resident_only",
            result="chongqing",
            target_year=y,
        ),
        (f"按{y}年度参加重庆城乡居民医保计算；如果{y}年度不参保，就没有居民大病保险待遇。",),
    )


def birth_year(tl: Timeline) -> Ruled[int]:
    """37号 五.1: a child's years count "从出生当年"."""
    born = tl.history.born
    if born is None or tl.first <= first_year():
        return Ruled(tl.first)
    return Ruled(
        tl.first,
        step(
            "scope.born",
            f"{born.year}年出生：从出生当年起计算参保年度。",
            "newborn",
            result=tl.first,
            born=born.isoformat(),
        ),
    )


def insured_years(tl: Timeline) -> Ruled[dict[int, Coverage]]:
    """37号 五.2: "未参加基本医保 … 视为未连续参保人员"."""
    h = tl.history
    listed = "；".join(f"{y}年{COVERAGE_ZH[c]}" for y, c in tl.coverage.items())
    return Ruled(
        tl.coverage,
        step(
            "history.years",
            f"参保情况：{listed}。未参加基本医保的年度算断保。",
            "continuity",
            result={str(y): c.value for y, c in tl.coverage.items()},
            coverage={str(y): h.covered(y).value for y in tl.years},
        ),
    )


def employee_years(tl: Timeline) -> Ruled[list[int]]:
    """37号 四.2: "跨制度转移接续可认定为连续参保，但职工医保年限不计入居民医保连续参保年限"."""
    h = tl.history
    employee = [y for y, c in tl.coverage.items() if c is Coverage.employee]
    if not (employee or h.also_employee):
        return Ruled(employee)
    text = ""
    if employee:
        text += f"{years_zh(employee)}年参加职工医保：跨制度接续算连续参保，但不计入居民医保连续参保年限。"
    if h.also_employee:
        text += f"{years_zh(h.also_employee)}年既有居民医保又有职工医保：按居民医保年度计算。"
    return Ruled(
        employee,
        step(
            "history.employee",
            text,
            "cross_scheme",
            result=employee,
            employee=employee,
            also_employee=sorted(h.also_employee),
        ),
        (
            "职工医保年度按“保持连续、但不增加也不清零居民医保连续参保年限”计算"
            "（本产品对渝医保发〔2025〕37号 四.2 的理解）。",
        ),
    )


def elsewhere_years(tl: Timeline) -> Ruled[list[int]]:
    """37号 四.2: "市外连续参保年限可连续计算，市外激励额度不叠加计算，激励标准按我市标准执行"."""
    elsewhere = [y for y, c in tl.coverage.items() if c is Coverage.elsewhere]
    if not elsewhere:
        return Ruled(elsewhere)
    return Ruled(
        elsewhere,
        step(
            "history.elsewhere",
            f"{years_zh(elsewhere)}年在市外参加居民医保：年限连续计算，激励按重庆标准计算，市外的激励额度不叠加。",
            "elsewhere",
            result=elsewhere,
            elsewhere=elsewhere,
        ),
        ("市外参保年度的激励按重庆标准推算，市外年度的参保和零报销情况需经办机构核实。",),
    )


def articles(tl: Timeline) -> list[Ruled[object]]:
    """The scope and the years, in the order the trace reads them."""
    return [
        pre_first_year(tl),
        assumed_target(tl),
        birth_year(tl),
        insured_years(tl),
        employee_years(tl),
        elsewhere_years(tl),
    ]
