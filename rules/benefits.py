"""The day the waiting period starts counting and the day benefits start (渝医保发〔2025〕37号 五.3).

"在集中参保期内12月底前参保缴费的，连续参保人员从次年1月开始享受待遇，未连续参保人员从次年1月开始
计算待遇等待期。在集中参保期内次年1月至2月参保缴费的，连续参保人员从参保缴费的次月1日起享受待遇，
未连续参保人员从参保缴费的次日起开始计算待遇等待期。" College students: "自完成缴费的次日起".
Newborns (五.1): from the day of birth within 90 days; from the day after payment before 2.

Product readings: a payment outside the collection period (March to December of the insured
year) counts the wait from the day after payment; a wait counted from a day other than the
1st ends after the same number of whole months (benefits from that day N months later, or the
1st of the following month when the month lacks that day); members under the former rules
(low-income, poverty-alleviated, inmates) start as continuous members do, and from the 1st
of the month after payment when they pay outside the collection period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules import parameters as p
from rules.models import Fees, FeeTier
from rules.policy import Group, collection_period, newborn_window
from rules.timeline import Newborn, Timeline
from rules.trace import Ruled, cite, step
from rules.waiting import Paid, WaitingFigures, add_months


@dataclass
class Start:
    counting_from: dt.date | None
    benefits_from: dt.date | None
    how: str  # which rule decided: by_december, january_february, student, outside, newborn_*, unknown


def first_of_next_month(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1)


def start_day(tl: Timeline, paid: Paid, wait: WaitingFigures) -> Start:
    """The day the wait starts counting and the day benefits start."""
    h = tl.history
    if tl.newborn is Newborn.within_days:
        return Start(None, h.born, "newborn_birth")
    if h.paid_on is None:
        return Start(None, None, "unknown")
    after_payment = h.paid_on + dt.timedelta(days=1)
    if tl.newborn is Newborn.under_age:
        return Start(None, after_payment, "newborn_after_payment")
    if paid is Paid.by_december:
        counting = dt.date(tl.target, 1, 1)
    else:
        counting = after_payment
    if wait.months:
        return Start(counting, add_months(counting, wait.months), paid.value)
    if paid is Paid.by_december:
        return Start(None, counting, paid.value)
    if paid is Paid.student_september:
        return Start(None, after_payment, paid.value)
    return Start(None, first_of_next_month(h.paid_on), paid.value)


START_SOURCES = {
    "by_december": "start_by_december",
    "january_february": "start_january_february",
    "student_september": "students",
    "outside": "collection_period",
    "newborn_birth": "newborn",
    "newborn_after_payment": "newborn",
}


def start(tl: Timeline, paid: Paid, wait: WaitingFigures) -> Ruled[Start]:
    """37号 五.3 and 五.1 (above): the day benefits start, with the sentence that gives it."""
    h, begin = tl.history, start_day(tl, paid, wait)
    days = newborn_window(tl.target).days
    if begin.benefits_from is None:
        if tl.newborn is Newborn.unknown_day:
            return Ruled(
                begin,
                None,
                (
                    f"新生儿没有缴费日期：出生{days}天内缴费的自出生之日起享受待遇，"
                    f"超过{days}天的从缴费次日起享受待遇。",
                ),
            )
        return Ruled(begin)
    how, caveats = begin.how, []
    if how == "newborn_birth":
        text = f"出生{days}天内参保缴费：自出生之日（{h.born}）起享受待遇。"
    elif how == "newborn_after_payment":
        age = newborn_window(tl.target).age
        text = f"出生超过{days}天、未满{age}周岁首次参保缴费：从缴费次日（{begin.benefits_from}）起享受待遇。"
    elif begin.counting_from is not None:
        text = f"等待期从{begin.counting_from}开始计算，{wait.months}个月后，{begin.benefits_from}起享受待遇。"
        if how != "by_december":
            caveats.append(
                "等待期从缴费次日起算的，本产品按“起算日加整月数”推算待遇开始日期（该月没有对应日的，顺延到下月1日）。"
            )
    elif how == "by_december" and wait.reason == "former_rules":
        # 五.1: the special groups keep the former rules (no new waiting period), continuous or not
        text = f"{h.group.label}按原政策执行、不设新的待遇等待期，12月底前缴费：{begin.benefits_from}起享受待遇。"
    elif how == "by_december":
        text = f"连续参保、12月底前缴费：{begin.benefits_from}起享受待遇。"
    elif how == "student_september":
        text = f"连续参保的大学生：自缴费次日（{begin.benefits_from}）起享受待遇。"
    else:
        text = f"从缴费次月1日（{begin.benefits_from}）起享受待遇。"
        if how == "outside":
            caveats.append("特殊群体在集中参保期外缴费的，本产品按缴费次月1日起享受待遇推算。")
    if h.group is Group.student and paid not in (Paid.student_september, Paid.unknown):
        month = collection_period(tl.target).student_month
        caveats.append(
            f"大学生的集中参保期原则上为每年{month}月；{month}月以外缴费的按居民医保的集中参保期推算，"
            "以学校和经办机构通知为准。"
        )
    return Ruled(
        begin,
        step(
            "benefits.start",
            text,
            START_SOURCES[how],
            result=begin.benefits_from.isoformat(),
            counting_from=begin.counting_from.isoformat() if begin.counting_from else None,
        ),
        tuple(caveats),
    )


def started(tl: Timeline, begin: Start) -> Ruled[bool | None]:
    """Whether benefits have started on the day given as today."""
    today = tl.history.today
    if today is None or begin.benefits_from is None:
        return Ruled(None)
    on = begin.benefits_from <= today
    return Ruled(
        on,
        step(
            "benefits.today",
            f"今天是{today}：" + ("已经可以享受待遇。" if on else f"还不能享受待遇，要到{begin.benefits_from}。"),
            START_SOURCES[begin.how],
            result=on,
            today=today.isoformat(),
        ),
    )


def fees(year: int) -> Ruled[Fees | None]:
    """42号 一: the contribution tiers and the fiscal subsidy, for the years the sources give them."""
    tiers = p.optional("contribution_tiers", year)
    if tiers is None:
        known = "、".join(str(v.from_.year) for v in p.parameters()["contribution_tiers"].values)
        return Ruled(None, None, (f"现有文件只公布了{known}年度的个人缴费标准，{year}年度的缴费标准以当年文件为准。",))
    assert isinstance(tiers.value, dict)
    entry = p.optional("fiscal_subsidy", year)
    subsidy = entry.value if entry else None
    assert subsidy is None or isinstance(subsidy, int)
    found = Fees(
        year=year,
        tiers=[FeeTier(name=k, yuan=v) for k, v in tiers.value.items()],
        fiscal_subsidy=subsidy,
        citation=cite("contributions"),
    )
    shown = "、".join(f"{f.name}{f.yuan}元" for f in found.tiers)
    return Ruled(
        found,
        step(
            "fees",
            f"{year}年度个人缴费标准：{shown}"
            + (f"；人均财政补助{found.fiscal_subsidy}元。" if found.fiscal_subsidy else "。"),
            "contributions",
            result={f.name: f.yuan for f in found.tiers},
            year=year,
        ),
    )
