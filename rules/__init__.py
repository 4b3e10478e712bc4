"""The policy engine: a member's critical-illness cap, incentives, waiting period and benefit start.

Pure: parameters are read once from rules/parameters/*.yaml, "today" is an input, nothing parses
text. Every figure comes with trace steps citing the document, article and sentence behind it.

    from rules import evaluate, History
    evaluate(History.from_lists(2027, enrolled=[2027], paid_on=date(2026, 12, 15))).cap.effective

The policy facts other packages need (the first year, which insured year a payment is for, the
collection period, the newborn window, the groups and their names, what each task needs) are
read through rules.policy, never typed again elsewhere.

The product's readings of points the texts leave open (each one also a caveat when it matters):
- continuous incentive: +4,000 in each resident year after 4 full continuous ones (insured
  2025-2029: +4,000 in 2029); employee-insurance years keep continuity, neither add nor reset;
  years outside Chongqing count, with Chongqing's standard (cap.py).
- zero reimbursement: earned only when the next year is a resident-insurance year; the year the
  reward is used shows the raised cap, cleared from the next year; a used-reward year cannot be a
  zero year (cap.py).
- the 20% ceiling applies to the sum of both incentives; each is tracked uncapped (cap.py).
- back-payment repairs the variable waiting period only, never the cap reduction (cap.py).
- broken years are the uninsured years right before the target year, from 2025 or the birth
  year; newborns first enrolled before 2 have none (timeline.py).
- continuous members paying outside the collection period wait the fixed 3 months, counted
  from the day after payment; a wait counted from a day other than the 1st ends the same day N
  months later, or the 1st after when the month lacks it (waiting.py, benefits.py).
- low-income, poverty-alleviated people and inmates: no waiting period, the cap reduction still
  applies; outside the collection period they start on the 1st of the next month (benefits.py).
- students paying in September of the year before follow the freshman rule; otherwise the
  resident collection period applies (waiting.py).
- a target year not given as insured is taken as enrolling in Chongqing resident insurance.
"""

from rules import policy
from rules.engine import evaluate
from rules.errors import RulesError, error_message
from rules.models import Cap, CapYear, Citation, Coverage, Fees, FeeTier, History, Result, Step, Waiting
from rules.policy import Group

__all__ = [
    "evaluate",
    "policy",
    "History",
    "Coverage",
    "Group",
    "Result",
    "RulesError",
    "error_message",
    "Cap",
    "CapYear",
    "Citation",
    "Fees",
    "FeeTier",
    "Step",
    "Waiting",
]
