"""The forms, one per task: start one, file the facts a message states, ask for the next fact
still missing, confirm them in one sentence, compute with rules.evaluate (a what-if beside its
baseline), then the second personal figure the first message asked for."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import ValidationError

from bot.answers import wording as w
from bot.answers.counts import BreakCount, before_first_year
from bot.answers.questions import ask
from bot.answers.render import answer
from bot.answers.summary import summary
from bot.conversation import history as hist
from bot.conversation.fill import FILL, Said
from bot.conversation.reading import TASKS, asks, tasks_named
from bot.conversation.router import split_questions
from bot.conversation.state import Facts, State, WhatIf
from bot.models import Reply
from intents.slots import Slots, prepare, years_in
from rules import RulesError, evaluate, policy

_HYPOTHETICAL = re.compile(r"如果|要是|假如|假设|万一")
_CORRECTION = re.compile(r"不对|错了|说错|搞错|其实|应该是|改一下|更正|纠正|不是")


def _correcting(text: str, slots: Slots) -> bool:
    """ "不对，2026年也交了" / "不对，是2027年度的": facts said as a correction."""
    return bool(slots.facts or slots.target_year) and bool(_CORRECTION.search(text))


def _start_task(
    st: State, intent: str, slots: Slots, text: str, today: dt.date, correcting: bool = False
) -> list[Reply]:
    if intent in ("my_waiting", "my_benefit_start") and _HYPOTHETICAL.search(text) and slots.backpaid:
        intent = "what_if"  # "如果补缴一年，要等多久": a hypothesis, not a back-payment made
    if intent == "what_if" and _what_if(slots, text).kind == "continue" and _told_past(slots, today):
        intent = "my_cap"  # "假如2025到2028年连续交满4年…能加好多": the years supposed are all told
    fresh = not st.facts.known() and not correcting  # the whole history in this one message
    st.task = intent  # type: ignore[assignment]
    st.last_results = []
    st.what_if = _what_if(slots, text) if intent == "what_if" else None
    st.pending = None
    st.pending_years = []
    st.plan_asked = False
    st.next_task = None if correcting else _second_task(text, intent)  # type: ignore[assignment]
    backpaid = st.facts.backpaid
    conflicts = _file(st, slots, text, today, correcting=correcting)
    target = hist.target_of(st.facts, today)
    st.next_years = [] if correcting or intent == "what_if" else _other_years(text, target, today)
    if st.what_if is not None and st.what_if.kind == "backpay":
        st.facts.backpaid = backpaid  # "如果我补缴一年" is a hypothesis, not a fact
    if conflicts:
        return _conflict(st, conflicts)
    st.whole = fresh and hist.has_history_facts(slots)
    return _count_note(st, slots, today) + advance(st, today)


def _told_past(slots: Slots, today: dt.date) -> bool:
    """Whether a message tells years insured from the coming year on: a "keep enrolling" what-if
    whose supposed years run past the coming one is the figure of the last of them."""
    return any(f.status == "insured" and f.year > hist.coming_year(today) for f in slots.facts)


def _count_note(st: State, slots: Slots, today: dt.date) -> list[Reply]:
    """ "断了7年" filed as the years before the year asked about: when the count reaches before the
    first year the rules count (四.2), said aloud with what counts and what the rule gives for N years."""
    n, target = slots.broken_count, hist.target_of(st.facts, today)
    if not n or any(f.year < target and f.status in hist.INSURANCE for f in slots.facts):
        return []  # no count, or the years are named (the count is not filed)
    note = before_first_year(BreakCount(n, slots.backpaid, target), target, st.task)
    return [note] if note is not None else []


_SIBLINGS = {"my_waiting", "my_benefit_start"}
_EACH = re.compile(r"各|分别|两个都|两样|两项|两个事|两件事|两个问题|一是|还有|另外|以及|顺便|同时|也想知道")
_CLAUSE = re.compile(r"[，。,；;！!]")


def _other_years(text: str, target: int, today: dt.date) -> list[int]:
    """ "去年和今年的封顶线分别是多少": the years besides `target` that one asking clause names
    together with it (each, 分别), answered one after the other from the same facts."""
    for clause in _CLAUSE.split(prepare(text)[0]):
        if not (asks(clause) and _EACH.search(clause)):
            continue
        years = sorted({y for _, y in years_in(clause, today)[0]})
        if target in years and len(years) >= 2:
            return [y for y in years if y != target]
    return []


def _second_task(text: str, first: str) -> str | None:
    """ "要等多久才能报？明年封顶线又是多少？": the other personal figure a message asks for, in a
    question of its own, answered from the same facts once the first is worked out."""
    if first not in TASKS or first == "what_if":
        return None
    kin = _SIBLINGS if first in _SIBLINGS else {first}  # the waiting period's answer gives its date too
    parts = split_questions(text) or [c for c in _CLAUSE.split(text) if asks(c)]  # "啥时候能报，封顶线好多"
    named = [tasks_named(part) for part in parts] if len(parts) >= 2 else []
    # (要等多久才能报, 要等几个月？从哪天能用？: the waiting period and its date, one answer gives both)
    others = [n[0] for n in named if n and first not in n and n[0] not in kin]
    both = [t for t in tasks_named(text) if t not in kin]  # "等待期和封顶线各是多少": two in one question
    found = others or (both if _EACH.search(text) else [])
    return found[0] if found else None


def _file(st: State, slots: Slots, text: str, today: dt.date, correcting: bool = False) -> list[int]:
    """File every fact of a message: the years it names, "一直都交了" for the years the form
    needs, a count of broken years, statuses said with no year; the year asked about follows
    a later year the person says was paid (a correction "27年才交")."""
    target = hist.target_of(st.facts, today)
    conflicts = hist.apply_slots(st.facts, slots, today)
    hist.apply_count(st.facts, slots, today, st.task)
    _all_or_none(st, slots, today)
    _statuses_fill(st, slots, today)
    _follow_target(st, slots, target, today, correcting)
    return conflicts


def _follow_target(st: State, slots: Slots, target: int, today: dt.date, correcting: bool) -> None:
    """ "25、26两年其实没交，27年才交" asked about 2026: the year asked about is the later year
    the person says was paid (said in a correction, or when no year was asked about)."""
    later = [
        f.year
        for f in slots.facts
        if f.status in ("insured", "elsewhere", "employee") and target < f.year <= today.year + 1
    ]
    explicit = st.facts.target_year is not None and not st.facts.target_inferred
    if later and not slots.target_year and (correcting or not explicit):
        st.facts.target_year, st.facts.target_inferred = max(later), True
        _drop_after_target(st.facts, today)


def _drop_after_target(facts: Facts, today: dt.date) -> None:
    """A year told of that is the year asked about (or later) is not part of the years before it."""
    target = hist.target_of(facts, today)
    if facts.years.get(target) == "insured":
        facts.years.pop(target)


def _all_or_none(st: State, slots: Slots, today: dt.date) -> None:
    """ "一直都交了" / "都没交" said with the question: every year it needs that is not known yet;
    "在老家一直交的" / "一直在单位交": insured in that way (elsewhere, as an employee) when the message
    names that one way with no year."""
    if not slots.all_insured and not slots.none_insured:
        if st.facts.every_year is not None:  # said earlier, before the year asked about was known
            for y in hist.span(st.facts, hist.target_of(st.facts, today), st.task):
                st.facts.years.setdefault(y, st.facts.every_year)
        return
    ways = [k for k in slots.statuses if k in ("elsewhere", "employee")]
    kind = (ways[0] if len(set(ways)) == 1 else "insured") if slots.all_insured else "uninsured"
    target = hist.target_of(st.facts, today)
    for y in hist.span(st.facts, target, st.task):
        st.facts.years.setdefault(y, kind)  # type: ignore[arg-type]


def _statuses_fill(st: State, slots: Slots, today: dt.date) -> bool:
    """Said with no year ("没交", "在外地交的", "报销过", "都没报销过", "激励额度没用过"): about
    the years of the question asked (at the summary, only the insured years' reimbursements)."""
    statuses = slots.statuses
    if not statuses or (slots.facts and not {"zero_claim", "claimed"} & set(statuses)):
        return False  # (with years told, only "每年都报销过" speaks of every year)
    if st.pending in ("years", "zero_claim"):
        years = list(st.pending_years)
    elif st.pending in ("confirm", "amend", None):
        years = hist.span(st.facts, hist.target_of(st.facts, today), st.task)
    else:
        return False
    applied = False
    if "reward_unused" in statuses:
        st.facts.reward_used = []
        applied = True
    kinds = [k for k in statuses if k in hist.INSURANCE]
    if st.pending == "years" and len(kinds) == 1 and not slots.facts:
        for y in years:
            st.facts.years[y] = kinds[0]  # type: ignore[assignment]
        applied = True
    claims = [k for k in statuses if k in ("zero_claim", "claimed")]
    named = {f.year for f in slots.facts if f.status in ("zero_claim", "claimed")}
    if len(claims) == 1:
        for y in years:
            if st.facts.years.get(y) in hist.RESIDENT and y not in named:  # "其他年都报销了"
                st.facts.zero_claim[y] = claims[0] == "zero_claim"
                applied = True
    return applied


def _what_if(slots: Slots, text: str) -> WhatIf:
    """ "如果我补缴一年" -> back-pay 1 year; "如果明年继续交" -> keep enrolling next year."""
    n = slots.backpaid
    if n is None and "补" in text:
        n = slots.broken_count or 1
    if n is not None:
        return WhatIf(kind="backpay", backpay=int(n))
    return WhatIf(kind="continue")


def advance(st: State, today: dt.date) -> list[Reply]:
    """Ask for the next missing fact, or confirm what is known."""
    notes = _before_birth(st)
    need = hist.next_need(st, today)
    if need is not None:
        st.pending = need.slot  # type: ignore[assignment]
        st.pending_years = list(need.years)
        return notes + [ask(need, st, today)]
    st.pending = "confirm"
    st.pending_years = []
    return notes + [Reply(text=summary(st, today), intent="confirm", options=list(w.CONFIRM_OPTIONS))]


def _before_birth(st: State) -> list[Reply]:
    """Years told of before a child was born: said back as a question, then left out (never
    a validation error shown to the person)."""
    born = st.facts.born
    early = sorted(y for y in st.facts.years if born is not None and y < born.year)
    if born is None or not early:
        return []
    for y in early:
        st.facts.years.pop(y, None)
        st.facts.zero_claim.pop(y, None)
    shown = "、".join(f"{y}年" for y in early)
    return [Reply(text=w.BORN_BEFORE_YEAR.format(born=born.year, years=shown), intent="conflict")]


def _straight(st: State, replies: list[Reply], today: dt.date) -> list[Reply]:
    """A history told whole in one message: the summary as said, then the result."""
    said = [
        r.model_copy(update={"text": _as_said(r.text), "options": []}) if r.intent == "confirm" else r for r in replies
    ]
    return said + _compute(st, today)


def _as_said(summary: str) -> str:
    return summary.replace("我理解的是：", w.AS_SAID).removesuffix("对吗？")


def _answer(st: State, said: Said, today: dt.date) -> list[Reply]:
    """File the facts of a message, then read it against the pending question (its handler)."""
    pending = st.pending
    context = list(st.pending_years) if pending == "years" else []
    conflicts = hist.apply_slots(st.facts, said.slots, today, context_years=context)
    hist.apply_count(st.facts, said.slots, today, st.task)
    correcting = _correcting(said.text, said.slots)
    _follow_target(st, said.slots, hist.target_of(st.facts, today), today, correcting)
    handled = FILL[pending](st, said, today) if pending in FILL and not correcting else None
    if handled:  # one more question about the same fact
        return handled
    if pending in ("years", "zero_claim"):
        _statuses_fill(st, said.slots, today)
    if st.facts.backpaid is not None:
        broken = hist.broken_years(st.facts, hist.target_of(st.facts, today))
        st.facts.backpaid = min(st.facts.backpaid, len(broken)) if broken else st.facts.backpaid
    if conflicts:
        return _conflict(st, conflicts)
    return _count_note(st, said.slots, today) + advance(st, today)


def _is_amend(text: str) -> bool:
    return any(word in text for word in ("改", "不对", "错了", "不是"))


def _conflict(st: State, years: list[int]) -> list[Reply]:
    shown = "、".join(f"{y}年" for y in years)
    st.pending = "years"
    st.pending_years = years
    return [Reply(text=w.CONFLICT_TEXT.format(years=shown), intent="conflict", options=list(w.CONFLICT_OPTIONS))]


def _compute(st: State, today: dt.date) -> list[Reply]:

    try:
        result = evaluate(hist.to_history(st, today))
        baseline = _baseline(st, today, evaluate) if st.what_if is not None else None
    except (RulesError, ValidationError, ValueError) as exc:
        st.pending = "amend"
        return [
            Reply(text=w.CONFLICTING_FACTS.format(why=_why(exc)), intent="conflict", options=list(w.RESTART_OPTIONS))
        ]
    replies = answer(st, result, today, baseline)
    st.last_details = replies[-1].details if replies else ""
    if replies:
        st.last_results.append(replies[-1].text.split("\n", 1)[0])
    st.last_sources = list(replies[-1].sources) if replies else []
    st.last_task = st.task
    st.pending = None
    st.pending_years = []
    st.task = None
    st.what_if = None
    if st.next_task is not None:
        return replies + _second_figure(st, today)
    if st.next_years and st.last_task is not None:
        st.task, st.facts.target_year, st.facts.target_inferred = st.last_task, st.next_years.pop(0), False
        return replies + _second_figure(st, today, st.last_task)
    return replies


def _second_figure(st: State, today: dt.date, task: str | None = None) -> list[Reply]:
    """The second personal question of the first message (or `task` again, for another year),
    from the facts just confirmed: worked out at once, or the one fact it still lacks asked for
    (never a fact already told)."""
    st.task, st.next_task = task or st.next_task, None  # type: ignore[assignment]
    if hist.next_need(st, today) is None:
        return _compute(st, today)
    return advance(st, today)


def _why(exc: Exception) -> str:
    """The facts that conflict, in the rules' own words (never the validator's report)."""
    if isinstance(exc, ValidationError):
        errors = exc.errors()
        text = str(errors[0].get("msg", "")) if errors else ""
        text = re.sub(r"^(?:Value error|Assertion failed),\s*", "", text)
    else:
        text = str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else "有的年份前后说得不一致"
    return first.rstrip("。")


def _baseline(st: State, today: dt.date, evaluate):
    """What the member has without the what-if: no extra back-payment, or the year before."""
    base = st.model_copy(deep=True)
    if base.what_if is not None and base.what_if.kind == "backpay":
        base.task, base.what_if = "my_waiting", None
    else:
        target = hist.target_of(base.facts, today)
        if target - 1 < policy.first_year():
            return None
        base.facts.target_year, base.facts.target_inferred = target - 1, False
        base.task, base.what_if = "my_cap", None
    return evaluate(hist.to_history(base, today))


def _what_if_value(st: State, arg: str, today: dt.date) -> list[Reply]:
    st.task = "what_if"
    st.what_if = (
        WhatIf(kind="continue") if arg == "continue" else WhatIf(kind="backpay", backpay=(st.facts.backpaid or 0) + 1)
    )
    if arg == "continue":
        target = hist.target_of(st.facts, today)
        st.facts.years[target] = "insured"
        st.facts.target_year, st.facts.target_inferred = target + 1, False
    return advance(st, today)
