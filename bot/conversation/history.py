"""A member's history, filled from what the person says, and the facts each question needs.

"A checklist, not a flowchart": every message may carry any number of facts, in any order;
`apply_slots` files them all, later statements overriding earlier ones (that is how a
correction such as "不对，2026年没交" works). `next_need` names the first fact still missing for
the question being answered, and `to_history` turns the facts into the rules engine's input
(the one-sentence summary of the facts is worded in bot.answers.summary).

What each question needs (渝医保发〔2025〕37号):
- the year asked about: said by the person, or the coming insured year (from September the
  next year, the collection period being September to the end of February);
- every year from 2025 (四.2 "2025年以前的参保缴费年限不纳入计算") up to the year before it;
- for the cap only: which insured years had no fund reimbursement (四.1 零报销激励), and, when
  an incentive amount existed, whether critical-illness insurance paid out of it;
- for the waiting period, only when the years right before are broken: back-paid years
  (五.1 "每补缴1年可以减少1个月变动等待期");
- for the day benefits start: when the contribution was paid (五.3).
Each personal question is a form (`FORMS`): the facts it needs in the order they are asked,
each fact a check (`FACT_CHECKS`) that names what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel

from bot.conversation.state import Facts, State
from intents.slots import Slots
from rules import History, policy
from rules.policy import Group, coming_year

ADULT_AGE = 18
RESIDENT = ("insured", "elsewhere")
INSURANCE = ("insured", "uninsured", "elsewhere", "employee")


def norm_group(group: str | None) -> str | None:
    return group.replace("-", "_") if group else None


class Need(BaseModel):
    """The next fact to ask for: `slot` names it, `years` the years the question is about."""

    slot: str
    years: list[int] = []


def former_rules(group: str | None) -> bool:
    """Whether the member's group keeps the former rules (五.1: no new waiting period)."""
    return group in policy.FORMER_RULES


def _paid(facts: Facts) -> tuple[int, int] | None:
    if facts.paid_on:
        return facts.paid_on.year, facts.paid_on.month
    if facts.paid_month:
        y, m = facts.paid_month.split("-")
        return int(y), int(m)
    return None


def target_of(facts: Facts, today: dt.date) -> int:
    """The year asked about: said, else the year the payment was for, else the latest year told
    insured, else the coming year. A payment from September on is for the next year (五.3)."""
    paid = _paid(facts)
    if facts.target_year and not (facts.target_inferred and paid):
        return facts.target_year
    if paid:
        y, m = paid
        if norm_group(facts.group) == "newborn":
            return max(y, facts.target_year or y)
        return max(policy.paid_for((y, m)), facts.target_year or 0)
    if facts.born and norm_group(facts.group) == "newborn":
        return max(facts.born.year, today.year)  # a child is enrolled for the year it is in
    return coming_year(today)


def span(facts: Facts, target: int, task: str | None) -> list[int]:
    """The years whose enrolment the question depends on (from 2025 to the year before)."""
    start = policy.first_year()
    group = norm_group(facts.group)
    if facts.born:
        start = max(start, facts.born.year)
    if task in ("my_waiting", "my_benefit_start") and former_rules(group):
        return []
    if group == "newborn" and facts.born:
        month = _paid(facts)
        paid = facts.paid_on or (dt.date(month[0], month[1], 1) if month else None)
        if policy.newborn_window(target).under_age(facts.born, paid or dt.date(target, 1, 1)):
            return []  # 五.1: enrolled before two years of age, no broken years counted
        # a child first insured at two or older: the years since birth are asked about
    return list(range(start, target))


def known_years(facts: Facts, target: int, task: str | None) -> list[int]:
    """The years the question depends on, and every year before the target the person told of
    (a low-income member's "2026年交了的" is not asked for, yet it is still their history)."""
    told = {y for y in facts.years if policy.first_year() <= y < target}
    return sorted(set(span(facts, target, task)) | told)


def broken_years(facts: Facts, target: int) -> list[int]:
    """The consecutive uninsured years right before the target year (from 2025)."""
    out: list[int] = []
    for y in range(target - 1, policy.first_year() - 1, -1):
        if facts.years.get(y) != "uninsured":
            break
        out.append(y)
    return sorted(out)


def incentive_years(facts: Facts, target: int) -> list[int]:
    """Years before the target in which an incentive amount could have been paid out."""
    first_zero = min((y for y, z in facts.zero_claim.items() if z and y < target), default=None)
    if first_zero is None:
        return []
    return [y for y in range(first_zero + 1, target) if facts.years.get(y) in RESIDENT and not facts.zero_claim.get(y)]


def cap_task(state: State) -> bool:
    """Whether the question is about the cap (a "keep enrolling" what-if is one)."""
    if state.task == "what_if" and state.what_if is not None:
        return state.what_if.kind == "continue"
    return state.task == "my_cap"


class _Asked(BaseModel):
    """What every fact check reads: the state, the year asked about, and the years before it."""

    model_config = {"arbitrary_types_allowed": True}

    state: State
    today: dt.date
    target: int
    years: list[int]


def _need_born(a: _Asked) -> Need | None:
    facts = a.state.facts
    return Need(slot="born") if norm_group(facts.group) == "newborn" and facts.born is None else None


def _need_child_paid_on(a: _Asked) -> Need | None:
    """A child who turns two in the year asked about: the payment day decides whether the years
    since birth count (五.1 "新生儿等特殊群体" read as first insured before two years of age)."""
    facts = a.state.facts
    if norm_group(facts.group) != "newborn" or facts.born is None or _paid(facts) is not None:
        return None
    window = policy.newborn_window(a.target)
    turns_two = window.under_age(facts.born, dt.date(a.target, 1, 1)) and not window.under_age(
        facts.born, dt.date(a.target, 12, 31)
    )
    return Need(slot="paid_on") if turns_two else None


def _need_years(a: _Asked) -> Need | None:
    missing = [y for y in a.years if y not in a.state.facts.years]
    return Need(slot="years", years=missing) if missing else None


def _need_zero_claim(a: _Asked) -> Need | None:
    facts = a.state.facts
    unclear = [y for y in a.years if facts.years[y] in RESIDENT and y not in facts.zero_claim]
    return Need(slot="zero_claim", years=unclear) if unclear else None


def _need_reward_used(a: _Asked) -> Need | None:
    facts = a.state.facts
    years = incentive_years(facts, a.target)
    return Need(slot="reward_used", years=years) if facts.reward_used is None and years else None


def _need_backpaid(a: _Asked) -> Need | None:
    facts = a.state.facts
    broken = broken_years(facts, a.target) if a.years else []
    return Need(slot="backpaid", years=broken) if broken and facts.backpaid is None else None


def _need_start_paid_on(a: _Asked) -> Need | None:
    """The day benefits start follows the payment day; a month from September to December is enough."""
    facts = a.state.facts
    paid = _paid(facts)
    if facts.paid_on is None and (paid is None or not _month_is_enough(paid, a.target, facts)):
        return Need(slot="paid_on")
    return None


def _need_waiting_paid_on(a: _Asked) -> Need | None:
    """Asked after the collection period of the year (or for a newborn), whether the payment was
    inside it changes the months (42号 三); before it, the summary says it is assumed."""
    facts = a.state.facts
    group = norm_group(facts.group)
    if _paid(facts) is not None or former_rules(group) or facts.paid_in_period:
        return None
    return Need(slot="paid_on") if a.today > collection_end(a.target) or group == "newborn" else None


FACT_CHECKS: dict[str, Callable[[_Asked], Need | None]] = {
    "born": _need_born,
    "child_paid_on": _need_child_paid_on,
    "years": _need_years,
    "zero_claim": _need_zero_claim,
    "reward_used": _need_reward_used,
    "backpaid": _need_backpaid,
    "start_paid_on": _need_start_paid_on,
    "waiting_paid_on": _need_waiting_paid_on,
}
# The forms: for each personal question, the facts it needs, in the order they are asked.
FORMS: dict[str, tuple[str, ...]] = {
    "my_cap": ("born", "child_paid_on", "years", "zero_claim", "reward_used"),
    "my_waiting": ("born", "child_paid_on", "years", "backpaid", "waiting_paid_on"),
    "my_benefit_start": ("born", "child_paid_on", "years", "backpaid", "start_paid_on"),
    "what_if:continue": ("born", "child_paid_on", "years", "zero_claim", "reward_used"),
    "what_if:backpay": ("born", "child_paid_on", "years"),  # (the what-if names the years back-paid)
}


def form_of(state: State) -> str:
    if state.task == "what_if":
        return "what_if:" + (state.what_if.kind if state.what_if is not None else "continue")
    return state.task or "my_cap"


def next_need(state: State, today: dt.date) -> Need | None:
    """The first fact the current question's form still lacks, or None when it can be computed."""
    target = target_of(state.facts, today)
    asked = _Asked(state=state, today=today, target=target, years=span(state.facts, target, state.task))
    for fact in FORMS[form_of(state)]:
        need = FACT_CHECKS[fact](asked)
        if need is not None:
            return need
    return None


def collection_end(target: int) -> dt.date:
    """The last day of the collection period for an insured year (the end of its February)."""
    return policy.collection_period(target).end


def _month_is_enough(paid: tuple[int, int], target: int, facts: Facts) -> bool:
    """Paid between September and December before the year: the day does not change anything."""
    y, m = paid
    new_members = (Group.newborn, Group.student)
    in_period = y == target - 1 and m >= policy.collection_period(target).first_month
    return in_period and norm_group(facts.group) not in new_members


def paid_date(facts: Facts, target: int) -> dt.date | None:
    """The payment day; a known month alone stands for its last day only where the day is moot."""
    if facts.paid_on:
        return facts.paid_on
    paid = _paid(facts)
    if paid and (_month_is_enough(paid, target, facts) or _month_decides_window(paid, target, facts)):
        y, m = paid
        return dt.date(y, 12, 31) if m == 12 else dt.date(y, m + 1, 1) - dt.timedelta(days=1)
    return None


def day_unsaid(facts: Facts, target: int) -> bool:
    """Only a month of the insured year is known, and the day would move the date benefits start."""
    paid = _paid(facts)
    return facts.paid_on is None and paid is not None and not _month_is_enough(paid, target, facts)


def _month_decides_window(paid: tuple[int, int], target: int, facts: Facts) -> bool:
    """Paid in the insured year itself: the month alone says whether it was inside the collection
    period (January to its last month) or after it (五.3), which is all the waiting months need;
    the day a benefit starts is asked for separately (_need_start_paid_on)."""
    y, m = paid
    return y == target and m >= 1 and norm_group(facts.group) not in (Group.newborn, Group.student)


# --- filling facts from the intents extractor's slots -------------------------------------


def apply_slots(facts: Facts, slots: Slots, today: dt.date, context_years: Iterable[int] = ()) -> list[int]:
    """File every fact found in one message; returns the years said both ways (contradictions).

    `context_years` are the years the bot just asked about: "都交了" / "都没交" apply to them.
    """
    said: dict[int, set[str]] = {}
    facts_said = list(slots.facts)
    zero = {int(f.year) for f in facts_said if f.status == "zero_claim"}
    for fact in facts_said:
        if fact.status == "claimed" and int(fact.year) in zero:
            continue  # "没有用医保报销过" also reads as "报销过": the negation wins
        year, status = int(fact.year), str(fact.status)
        if year not in policy.years():
            continue
        if status in ("insured", "uninsured", "elsewhere", "employee"):
            said.setdefault(year, set()).add("uninsured" if status == "uninsured" else "insured")
            facts.years[year] = status  # type: ignore[assignment]
        elif status == "zero_claim":
            facts.zero_claim[year] = True
            facts.years.setdefault(year, "insured")
        elif status == "claimed":
            facts.zero_claim[year] = False
            facts.years.setdefault(year, "insured")
        elif status == "reward_unused":
            facts.reward_used = sorted(set(facts.reward_used or []) - {year})
        elif status == "reward_used":
            facts.reward_used = sorted(set(facts.reward_used or []) | {year})
            facts.years.setdefault(year, "insured")  # a payout that year: insured that year
            facts.zero_claim.setdefault(year, False)  # ... and a reimbursement
    conflicts = sorted(y for y, s in said.items() if len(s) > 1)
    for y in conflicts:
        facts.years.pop(y, None)
    context = [y for y in context_years if y not in said]
    if slots.all_insured:
        for y in context:
            facts.years[y] = "insured"
    if slots.none_insured:
        for y in context:
            facts.years[y] = "uninsured"
    if slots.all_insured != slots.none_insured and not context and not facts.years:
        # "一直没给他上医保" told before any year is asked about: for the years of the question to come
        facts.every_year = "insured" if slots.all_insured else "uninsured"
    target = slots.target_year
    told = [int(f.year) for f in facts_said]
    untold = [int(y) for y in slots.years if int(y) not in told]
    if target and untold and max(untold) > int(target):
        target = max(untold)  # "25、26年在外地，27年回重庆，封顶线多少": the year nothing is told of
    if target and int(target) in policy.years() and not any(y > int(target) for y in told):
        facts.target_year = int(target)  # (asked about a year before one it tells of: a misreading)
        facts.target_inferred = bool(slots.target_inferred)
    if slots.backpaid is not None:
        facts.backpaid = int(slots.backpaid)
    paid_on = slots.paid_on
    if isinstance(paid_on, dt.date):
        facts.paid_on, facts.paid_month = paid_on, None
    month = slots.paid_month
    if month and not isinstance(paid_on, dt.date):
        facts.paid_month = _month_text(month)
        facts.paid_on = None
    if facts.paid_on is None and facts.paid_month is None and isinstance(slots.born, dt.date):
        others = [d for d in slots.dates if d != slots.born and d > slots.born]
        if others:  # "孩子3月1日出生，7月15日参的保": the other date is the payment
            facts.paid_on = others[-1]
    born = slots.born
    child = isinstance(born, dt.date) and today.year - born.year < ADULT_AGE
    if child:  # an adult's birth date ("我1990年出生") says nothing the rules use
        facts.born = born
        if facts.group is None:
            facts.group = "newborn"
    group = norm_group(slots.group)
    if group and (group != "newborn" or child or facts.born or born is None):
        facts.group = group  # (a newborn's birth date is asked for; an adult's is no newborn)
    elif slots.general and not child:
        facts.group = Group.general.value  # "普通居民": no special group
    elif norm_group(facts.group) in slots.not_groups:
        facts.group = None  # "其实不是低保户": the group said before is withdrawn
    return conflicts


def _month_text(month: Any) -> str | None:
    """A paid month as "YYYY-MM", from a date, a (year, month) pair or "YYYY-MM" text."""
    if isinstance(month, dt.date):
        return f"{month.year:04d}-{month.month:02d}"
    if isinstance(month, (tuple, list)) and len(month) == 2:
        return f"{int(month[0]):04d}-{int(month[1]):02d}"
    text = str(month)
    parts = text.replace("/", "-").split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}"
    return None


def apply_count(facts: Facts, slots: Slots, today: dt.date, task: str | None) -> None:
    """ "断了两年" with no years named: the two years right before the year asked about;
    "在外地交了两年" likewise: those years insured elsewhere (or in Chongqing, or as employee)."""
    n = slots.broken_count
    target = target_of(facts, today)
    if any(int(f.year) < target and f.status in INSURANCE for f in slots.facts):
        return  # the years are named: the count says nothing more
    kinds: list[str] = [k for k in slots.statuses if k in ("elsewhere", "employee")] or [
        k for k in slots.statuses if k == "insured"
    ]
    counted = slots.insured_count
    if counted and not n and len(kinds) == 1:
        for y in span(facts, target, task)[-int(counted) :]:
            facts.years.setdefault(y, kinds[0])  # type: ignore[arg-type]
        return
    if not n:
        return
    if counted and int(counted) + int(n) <= len(span(facts, target, task)):
        for y in span(facts, target, task)[: int(counted)]:  # "前面四年都交了，后来断了3年"
            facts.years.setdefault(y, "insured")
    years = [y for y in span(facts, target, task)][-int(n) :] if int(n) > 0 else []
    for y in years:
        facts.years[y] = "uninsured"
    before = span(facts, target, task)[: -int(n)] if int(n) < len(span(facts, target, task)) else []
    if before and before[-1] not in facts.years:
        facts.years[before[-1]] = "insured"  # a break of n years ends an insured stretch


def has_history_facts(slots: Slots) -> bool:
    """Whether a message states anything about the member's history."""
    return bool(
        slots.facts
        or slots.all_insured
        or slots.none_insured
        or slots.backpaid is not None
        or slots.paid_on
        or slots.paid_month
        or slots.born
        or slots.group
        or slots.broken_count
    )


# --- the rules engine's input ------------------------------------------------------------


def _years_text(years: list[int]) -> str:
    """2025、2026、2027 -> "2025至2027"; 2025、2027 -> "2025、2027"."""
    years = sorted(years)
    if len(years) >= 3 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}至{years[-1]}"
    return "、".join(str(y) for y in years)


def years_text(years: Iterable[int]) -> str:
    return _years_text(list(years)) + "年"


def to_history(state: State, today: dt.date):
    """The rules engine's History for the facts as confirmed (the target year counted insured)."""

    facts = state.facts
    target = target_of(facts, today)
    years = known_years(facts, target, state.task)
    statuses = {y: facts.years[y] for y in years if y in facts.years}
    enrolled = [y for y, s in statuses.items() if s == "insured"] + [target]
    elsewhere = [y for y, s in statuses.items() if s == "elsewhere"]
    employee = [y for y, s in statuses.items() if s == "employee"]
    broken = broken_years(facts, target) if span(facts, target, state.task) else []
    backpaid = min(facts.backpaid or 0, len(broken))
    if state.task == "what_if" and state.what_if and state.what_if.kind == "backpay":
        backpaid = min(state.what_if.backpay, len(broken))
    kw: dict[str, Any] = dict(
        today=today,
        zero_claim=sorted(y for y in years if facts.zero_claim.get(y) and y in statuses and statuses[y] in RESIDENT),
        reward_used=sorted(y for y in (facts.reward_used or []) if y <= target),
        backpaid=backpaid,
        group=(norm_group(facts.group) or "general"),
    )
    if facts.born:
        kw["born"] = facts.born
    paid = paid_date(facts, target)
    if paid:
        kw["paid_on"] = paid
    return History.from_lists(target, sorted(enrolled), sorted(elsewhere), sorted(employee), **kw)
