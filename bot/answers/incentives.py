"""A number of years said in a general question on the incentives ("连续交到第8年提高多少",
"零报销连着5年加到多少", "几年能加满"): the figures the rules give for it (rules.incentives), worded to
open the answer of an incentive entry. A question telling a history of one's own year by year is
no count: it gets no opening (the personal calculation is the dialogue's).
"""

from __future__ import annotations

import datetime as dt
import re

from intents.slots import Slots, extract, prepare
from rules import incentives as inc
from rules.cap import yuan_zh
from rules.incentives import Kind
from rules.policy import first_year
from rules.trace import Ruled

# The incentive entries a count makes concrete, with the incentive each one speaks of when the
# question names neither.
ENTRY_KIND: dict[str, Kind | None] = {
    "continuous_incentive_what": "continuous",
    "continuous_incentive_first_year": "continuous",
    "continuous_years_from_when": "continuous",
    "zero_claim_incentive_what": "zero_claim",
    "zero_claim_accumulates": "zero_claim",
    "incentives_independent": "both",
    "incentive_ceiling": None,
    "current_critical_cap": None,
}

_BOTH = re.compile(r"两个|两项|两种|两样|都有|同时|一起|叠加|合计|加起来|加在一起")
_CONTINUOUS = re.compile(
    r"连续(?:参保|交|缴|买)|一直(?:都)?(?:在)?(?:交|缴|参保|买)|不断(?:保|交)|每年都(?:交|缴|参保|买)"
)
_ZERO = re.compile(r"零报销")
_HOW_LONG = re.compile(r"几年|多少年|多久|多长时间|哪一?年|第几年|好多年|好久")
_FULL = re.compile(r"加满|满额|到顶|上限|最高|封顶了|加到头|最多")


def _said_kind(text: str, slots: Slots, intent: str) -> Kind | None:
    if _BOTH.search(text) or (slots.zero_claim_count and (slots.insured_count or _CONTINUOUS.search(text))):
        return "both"
    if _ZERO.search(text) or slots.zero_claim_count:
        return "zero_claim"
    if _CONTINUOUS.search(text):
        return "continuous"
    return ENTRY_KIND.get(intent)


def _run(slots: Slots) -> tuple[int, int] | None:
    """ "从2025年一直交到2032年": (continuous years, the last of them) when every year said is an
    insured year of one run; None when the question tells anything else year by year."""
    if not slots.facts or any(f.status != "insured" for f in slots.facts):
        return None
    years = sorted({f.year for f in slots.facts})
    if years[0] < first_year() or years != list(range(years[0], years[-1] + 1)):
        return None
    return len(years), years[-1]


def _ceiling_reached(kind: Kind | None) -> str:
    """How many years each incentive, or both, takes to reach the ceiling."""
    kinds: tuple[Kind, ...] = (kind,) if kind else ("continuous", "zero_claim", "both")
    return "".join(_text(inc.years_to_ceiling(k, first_year())) for k in kinds)


def _asks_ceiling(text: str) -> bool:
    highest = yuan_zh(inc.highest_cap(first_year())).removesuffix("元")
    return bool(_HOW_LONG.search(text)) and (bool(_FULL.search(text)) or highest in text)


def _text(ruled: Ruled[int]) -> str:
    return ruled.step.text if ruled.step else ""


def _figures(nth: int | None, zero: int | None, kind: Kind | None, year: int | None) -> str:
    """The worked sentence for the `nth` continuous year (ending in the insured `year` when said)
    and/or `zero` zero-reimbursement years."""
    if nth is None and zero is None:
        return ""
    if nth is None:
        at = first_year()
        ruled = inc.zero_claim_after(zero or 0, at)
        return f"零报销{zero}年：{_text(ruled)}{_text(inc.combined(0, ruled.value, at))}"
    at = year or inc.insured_year(nth)
    label = f"连续参保到第{nth}年（{at}年度）"
    cont = inc.continuous_after(nth, at)
    if kind == "zero_claim" and zero is None:
        zero, label = nth - 1, f"每年都参保、前{nth - 1}年都零报销，到第{nth}年（{at}年度）"
        alone = inc.zero_claim_after(zero, at)
        return f"{label}：{_text(alone)}{_text(inc.combined(0, alone.value, at))}"
    if kind == "both" and zero is None:
        zero, label = nth - 1, label + "，每年都零报销"
    elif zero is not None:
        label += f"，其中{zero}年零报销"
    zero_ruled = inc.zero_claim_after(zero, at) if zero is not None else None
    said = _text(cont) + (_text(zero_ruled) if zero_ruled else "")
    return f"{label}：{said}{_text(inc.combined(cont.value, zero_ruled.value if zero_ruled else 0, at))}"


def opening(question: str, intent: str, today: dt.date | None = None) -> str:
    """The worked figure before the answer of an incentive entry, for the count the question states
    or its asking how long the ceiling takes; "" otherwise."""
    if intent not in ENTRY_KIND or not question:
        return ""
    today = today or dt.date.today()
    slots = extract(question, today)
    text, _ = prepare(question)
    run = _run(slots)
    if slots.facts and run is None:
        return ""
    kind = _said_kind(text, slots, intent)
    nth, year = (run[0], run[1]) if run else (slots.nth_year or slots.insured_count, None)
    said = _figures(nth, slots.zero_claim_count, kind, year)
    if said:
        return said + "\n"
    if _asks_ceiling(text):
        return _ceiling_reached(kind) + "\n"
    return ""
