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
from typing import TypeVar

from rules import parameters as p
from rules.errors import RulesError
from rules.models import History, years_zh
from rules.policy import Group, collection_period, former_rules_zh, newborn_window
from rules.timeline import Newborn, Timeline
from rules.trace import Ruled, step

T = TypeVar("T")


class Paid(str, Enum):
    """When the target year's contribution was paid, against the collection period (五.3)."""

    by_december = "by_december"  # the first month of the period to 31 December of the year before
    january_february = "january_february"  # January to the last month of the period, in the insured year
    student_september = "student_september"  # a college student, in the students' collection month
    outside = "outside"  # after the period, in the insured year
    unknown = "unknown"  # no payment day given


def paid_window(h: History) -> Paid:
    day, year = h.paid_on, h.target_year
    if day is None:
        return Paid.unknown
    period = collection_period(year)
    if h.group is Group.student and day.year == year - 1 and day.month == period.student_month:
        return Paid.student_september
    if day in period:
        return Paid.by_december if day.year == year - 1 else Paid.january_february
    return Paid.outside


def paid_zh(paid: Paid, year: int) -> str:
    """How a payment day stands against the collection period, in the words of 五.3."""
    period = collection_period(year)
    return {
        Paid.by_december: "在集中参保期内、12月底前缴费",
        Paid.january_february: f"在集中参保期内的1月至{period.last_month}月缴费",
        Paid.student_september: f"在大学生集中参保期（{period.student_month}月）缴费",
        Paid.outside: f"不在集中参保期（{period.months_zh}）内缴费",
    }[paid]


def reason_zh(code: str, year: int) -> str:
    """The plain-Chinese reason for the waiting period (or its absence), from the values in force."""
    age = newborn_window(year).age
    fixed = p.value("fixed_waiting_months", year)
    variable = "断保超过1年的再加变动待遇等待期"
    return {
        "former_rules": f"{former_rules_zh()}等特殊群体按原政策执行，不设新的待遇等待期",
        "newborn": f"新生儿在出生{age}周岁内首次参保，不设待遇等待期",
        "continuous_in_period": "连续参保并在集中参保期内缴费，没有待遇等待期",
        "not_continuous": f"未连续参保，设固定待遇等待期，{variable}",
        "outside_period": f"没有在集中参保期内缴费，设{fixed}个月固定待遇等待期",
        "not_continuous_outside_period": f"未连续参保且没有在集中参保期内缴费，设固定待遇等待期，{variable}",
    }[code]


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


# ---------------------------------------------------------------- the articles, for the target year


def broken_years(tl: Timeline) -> Ruled[tuple[int, ...]]:
    """37号 五.2: "未参加基本医保 … 视为未连续参保人员"; 五.1: a newborn first enrolled before 2 has none."""
    broken = tuple(tl.broken_before(tl.target))
    if broken:
        text = f"{tl.target}年度之前连续断保{len(broken)}年（{years_zh(broken)}）：未连续参保。"
        return Ruled(broken, step("waiting.broken", text, "continuity", result=len(broken), broken_years=list(broken)))
    if tl.exempt or tl.newborn in (Newborn.within_days, Newborn.under_age, Newborn.unknown_day):
        age = newborn_window(tl.target).age
        return Ruled(
            broken,
            step(
                "waiting.broken",
                f"新生儿未满{age}周岁首次参保：出生后、首次参保前的年度不算断保。",
                "newborn",
                result=0,
            ),
        )
    return Ruled(broken, step("waiting.broken", f"{tl.target}年度之前没有断保：连续参保。", "continuity", result=0))


def payment(tl: Timeline, paid: Paid, exempt: str | None) -> Ruled[Paid]:
    """37号 五.3: the collection period, "原则上为每年9月至次年2月"; students "原则上为每年9月"."""
    h = tl.history
    if h.paid_on is None:
        return Ruled(paid, None, ("没有缴费日期：按集中参保期内缴费计算等待期，待遇开始日期无法确定。",))
    when = paid_zh(paid, tl.target)
    if exempt == "newborn":
        when = "新生儿首次参保按出生后的天数和年龄确定待遇，不看集中参保期"
    return Ruled(
        paid,
        step(
            "waiting.paid",
            f"{h.paid_on}缴费：{when}。",
            "students" if paid is Paid.student_september else "collection_period",
            result=paid.value,
            paid_on=h.paid_on.isoformat(),
        ),
    )


def special_group(tl: Timeline) -> Ruled[int]:
    """37号 五.1: "低收入人口、脱贫人口、服刑人员等特殊群体参保待遇等待期按原政策执行" (read: no waiting period)."""
    group = tl.history.group
    return Ruled(
        0,
        step(
            "waiting.special_group",
            f"{group.label}参保待遇等待期按原政策执行：不设待遇等待期。",
            "special_groups",
            result=0,
            group=group.value,
        ),
        (f"{former_rules_zh()}“按原政策执行”，本产品按没有待遇等待期计算，断保降低封顶线仍照常计算。",),
    )


def newborn(tl: Timeline, broken: tuple[int, ...], exempt: str | None) -> Ruled[int | None]:
    """37号 五.1: no waiting period before 2; from 2 on, "设置待遇等待期，从出生当年计算断保年限"."""
    born, age = tl.history.born, newborn_window(tl.target).age
    if born is None:
        return Ruled(None)
    if exempt == "newborn":
        return Ruled(
            0,
            step(
                "waiting.newborn",
                f"新生儿出生后未满{age}周岁首次参保缴费：不设待遇等待期。",
                "newborn",
                result=0,
                born=born.isoformat(),
            ),
        )
    if tl.newborn is Newborn.over_age:
        return Ruled(
            None,
            step(
                "waiting.newborn",
                f"年满{age}周岁后首次参保：设待遇等待期，从出生当年（{born.year}年）计算断保年限。",
                "newborn",
                result=len(broken),
                born=born.isoformat(),
            ),
        )
    return Ruled(None)


def variable_months(broken: int, year: int) -> int:
    """42号 三 for `broken` years of break: "每多断保1年…增加1个月", so none for a break of 1 year."""
    return max(broken - 1, 0) * int(p.value("variable_months_per_broken_year", year))


def after_repair(broken: int, remaining: int, year: int) -> int:
    """The variable wait left after a repair that leaves `remaining` months, with the floor of a
    long break (重庆晨报: "连续断缴4年及以上的，修复以后的变动等待期不少于3个月")."""
    floor = int(p.value("long_break_min_variable_months", year))
    if broken >= int(p.value("long_break_years", year)) and remaining < floor:
        return floor
    return remaining


def fixed_waiting(tl: Timeline, paid: Paid, broken: tuple[int, ...]) -> Ruled[int]:
    """42号 三: "对未在居民医保集中缴费期参保缴费或未连续参保缴费的人员，设置参保缴费后固定待遇等待期3个月"."""
    if not broken and paid is not Paid.outside:
        return Ruled(
            0, step("waiting.total", "连续参保且在集中参保期内缴费：没有待遇等待期。", "fixed_waiting", result=0)
        )
    fixed = int(p.value("fixed_waiting_months", tl.target))
    if broken:
        return Ruled(
            fixed, step("waiting.fixed", f"未连续参保：固定待遇等待期{fixed}个月。", "fixed_waiting", result=fixed)
        )
    return Ruled(
        fixed,
        step("waiting.fixed", f"没有在集中参保期内缴费：固定待遇等待期{fixed}个月。", "fixed_waiting", result=fixed),
        (f"连续参保但不在集中参保期内缴费的，本产品按{fixed}个月固定待遇等待期、从缴费次日起计算。",),
    )


def variable_waiting(tl: Timeline, broken: tuple[int, ...]) -> Ruled[int]:
    """42号 三: "未连续参保缴费的，每多断保1年，在固定待遇等待期基础上增加1个月待遇等待期"."""
    per_year = int(p.value("variable_months_per_broken_year", tl.target))
    variable = variable_months(len(broken), tl.target)
    return Ruled(
        variable,
        step(
            "waiting.variable",
            f"断保{len(broken)}年，第1年以外每多断保1年加{per_year}个月：变动待遇等待期{variable}个月。",
            "broken_examples",
            result=variable,
            broken_years=len(broken),
        ),
    )


def repair(tl: Timeline, variable: int) -> Ruled[int]:
    """重庆晨报: "每多补缴1年的费用可以减少1个月的变动等待期"; the months asked for, at most the variable wait."""
    backpaid = tl.history.backpaid
    per_year = int(p.value("repair_months_per_backpaid_year", tl.target))
    requested = min(backpaid * per_year, variable)
    if not backpaid:
        return Ruled(requested)
    return Ruled(
        requested,
        step(
            "waiting.repair",
            f"补缴{backpaid}年，每补缴1年减少{per_year}个月变动等待期：可减少{requested}个月。",
            "repair",
            result=requested,
            backpaid=backpaid,
        ),
    )


def long_break_floor(tl: Timeline, broken: tuple[int, ...], fixed: int, variable: int, requested: int) -> Ruled[int]:
    """重庆晨报: "连续断缴4年及以上的，修复以后的变动等待期不少于3个月 … 仍然需要至少等待6个月".

    The value is the variable wait left after the repair.
    """
    remaining = variable - requested
    years = int(p.value("long_break_years", tl.target))
    floor = int(p.value("long_break_min_variable_months", tl.target))
    if after_repair(len(broken), remaining, tl.target) == remaining:
        return Ruled(remaining)
    months = fixed + floor
    text = (
        f"连续断缴{len(broken)}年（{years}年及以上）：修复后变动等待期不少于{floor}个月，"
        f"实际减少{variable - floor}个月，总等待期不少于{months}个月。"
    )
    return Ruled(floor, step("waiting.floor", text, "long_break", result=months))


def total(fixed: int, variable: int, repaired: int) -> Ruled[int]:
    """37号 五.2: "待遇等待期按照自然月整月计算"."""
    months = fixed + variable - repaired
    text = f"待遇等待期共{months}个月（固定{fixed}+变动{variable}−修复{repaired}），按自然月整月计算。"
    return Ruled(months, step("waiting.total", text, "whole_months", result=months))


def waiting(tl: Timeline, paid: Paid) -> tuple[WaitingFigures, list[Ruled[object]]]:
    """The waiting period of the target year, and the articles that decided it in trace order."""
    h = tl.history
    said: list[Ruled[object]] = []
    broken = _add(said, broken_years(tl))
    if h.backpaid > len(broken):
        raise RulesError(f"补缴{h.backpaid}年多于断保年数{len(broken)}年：只能补缴断保的年度")
    exempt = exempt_reason(tl)
    _add(said, payment(tl, paid, exempt))
    if exempt == "former_rules":
        _add(said, special_group(tl))
        return WaitingFigures(False, exempt, broken=broken), said
    _add(said, newborn(tl, broken, exempt))
    if exempt:
        return WaitingFigures(False, exempt, broken=broken), said
    fixed = _add(said, fixed_waiting(tl, paid, broken))
    if not fixed:
        return WaitingFigures(False, "continuous_in_period", broken=broken), said
    continuous = not broken
    reason = "outside_period" if continuous else "not_continuous"
    if not continuous and paid is Paid.outside:
        reason = "not_continuous_outside_period"
    variable = requested = 0
    if not continuous:
        variable = _add(said, variable_waiting(tl, broken))
    requested = _add(said, repair(tl, variable))
    remaining = _add(said, long_break_floor(tl, broken, fixed, variable, requested))
    _add(said, total(fixed, variable, variable - remaining))
    return WaitingFigures(
        True,
        reason,
        fixed=fixed,
        variable=variable,
        repaired=variable - remaining,
        requested_repair=requested,
        floor_applied=remaining > variable - requested,
        broken=broken,
    ), said


def _add(said: list[Ruled[object]], ruled: Ruled[T]) -> T:
    said.append(ruled)
    return ruled.value


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months; a day the month lacks (31 April) becomes the 1st after."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    try:
        return dt.date(year, month, day.day)
    except ValueError:
        return dt.date(year + month // 12, month % 12 + 1, 1)
