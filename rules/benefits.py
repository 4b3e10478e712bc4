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

from rules.models import History
from rules.timeline import Newborn, Timeline
from rules.waiting import Paid, WaitingFigures, add_months


@dataclass
class Start:
    counting_from: dt.date | None
    benefits_from: dt.date | None
    how: str   # which rule decided: by_december, january_february, student, outside, newborn_*, unknown


def first_of_next_month(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1)


def start(tl: Timeline, paid: Paid, wait: WaitingFigures) -> Start:
    h: History = tl.history
    if tl.newborn is Newborn.within_days:
        return Start(None, h.born, "newborn_birth")
    if tl.newborn is Newborn.under_age:
        return Start(None, h.paid_on + dt.timedelta(days=1), "newborn_after_payment")
    if paid is Paid.unknown:
        return Start(None, None, "unknown")
    after_payment = h.paid_on + dt.timedelta(days=1)
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
