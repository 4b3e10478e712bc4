"""evaluate(history) -> Result: every figure with the steps and articles behind it.

Pure: the parameters are read once (lru_cache), nothing else is read, no clock is consulted
("today" comes in the History), and the same History always gives the same Result. Each article
is one function (in timeline.py, cap.py, waiting.py, benefits.py) that returns its value and its
trace step; this module only puts them in order.
"""

from __future__ import annotations

from rules import benefits, cap, timeline
from rules.models import History, Result, Waiting
from rules.trace import Trace
from rules.waiting import paid_window, reason_zh, waiting

OFFICIAL = (
    "以上是按政策文件推算的结果，实际的封顶线、等待期和待遇开始日期以医保经办机构核定为准（政策咨询可拨打12393）。"
)


def evaluate(history: History) -> Result:
    """The cap, waiting period, benefit start and contribution tiers of the target year."""
    tl = timeline.timeline(history)
    t = Trace()
    for ruled in timeline.articles(tl):
        t.add(ruled)
    rows = cap.year_by_year(tl)
    for ruled in cap.articles(tl, rows):
        t.add(ruled)
    paid = paid_window(history)
    wait, said = waiting(tl, paid)
    for ruled in said:
        t.add(ruled)
    begin = t.add(benefits.start(tl, paid, wait))
    t.add(benefits.started(tl, begin))
    fees = t.add(benefits.fees(history.target_year))
    t.caveat(OFFICIAL)
    return Result(
        target_year=history.target_year,
        group=history.group,
        broken_years=list(wait.broken),
        continuous=not wait.broken,
        cap=cap.cap_of(rows[-1]),
        cap_by_year=cap.table(rows),
        waiting=Waiting(
            applies=wait.applies,
            reason=reason_zh(wait.reason, tl.target),
            reason_code=wait.reason,
            fixed=wait.fixed,
            variable=wait.variable,
            repaired=wait.repaired,
            floor_applied=wait.floor_applied,
            months=wait.months,
            counting_from=begin.counting_from,
        ),
        benefits_from=begin.benefits_from,
        fees=fees,
        trace=t.steps,
        caveats=t.caveats,
    )
