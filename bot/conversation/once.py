"""One message only (`yibao ask`): a fact with a natural default assumed and said, the figures
when the summary stands as said, otherwise the general rule and what a personal answer still needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.answers import wording as w
from bot.answers.counts import COUNT_NOTE
from bot.answers.questions import TASK_NAMES
from bot.answers.replies import clarify_reply, conversation_reply, faq_answer, with_neighbours
from bot.conversation import history as hist
from bot.conversation.faq_turns import TOPIC_TASK, _faq_answer, _general_count, _out_of_scope, topic_of
from bot.conversation.forms import _as_said, _compute, advance
from bot.conversation.message import Message
from bot.conversation.reading import CONVERSATION, FIRST_PERSON, OWN_FIGURE, TASKS, tasks_named
from bot.conversation.router import Decision, rank
from bot.conversation.state import Facts, State
from bot.models import Reply
from intents.slots import extract


def _handle_once_general(st: State, msg: Message, today: dt.date) -> list[Reply]:
    """One message only (yibao ask), not a personal question: the policy answer as it stands,
    a conversation reply, "您是想问…", or what yibao covers."""

    if msg.intent in CONVERSATION:
        return [conversation_reply(msg.intent or "")]
    reply = _faq_answer(msg.text, msg.intent, msg.slots, _general_count(msg.slots, today)) if msg.intent else None
    if reply is not None:
        return [with_neighbours(reply, msg.decision.close) if msg.intent == msg.decision.intent else reply]
    if msg.decision.kind == "ambiguous":
        return [clarify_reply(msg.decision.candidates)]
    return [_out_of_scope()]


ONE_SHOT_DEFAULTS = {"backpaid": 0, "reward_used": [], "zero_claim": False, "paid_on": None}
# The waiting period's length asks no date when the payment is taken as made in the collection
# period (37号 五.3: "在集中参保期内12月底前参保缴费的"): the default said; the start date does.
DATE_DEFAULT_TASKS = ("my_waiting",)
CHECKLIST = {
    "my_cap": ("years", "zero_claim"),
    "my_waiting": ("years", "backpaid"),
    "my_benefit_start": ("years", "backpaid", "paid_on"),
    "what_if": ("years", "backpaid"),
}
# The rule stated when a personal figure cannot be worked out yet (its FAQ entry states the figure).
GENERAL_RULE = {
    "my_cap": "zero_claim_incentive_what",
    "my_waiting": "break_consequences",
    "my_benefit_start": "benefits_start_by_december",
    "what_if": "repair_by_backpay",
}


def _once(
    st: State, replies: list[Reply], message: str, today: dt.date, understand: Callable[[str], Decision]
) -> list[Reply]:
    """The one message is all there is: a fact with a natural default (no back-payment, no
    incentive used) is assumed and said; a summary stands as said and the figures follow;
    otherwise the general rule and what a personal answer still needs. A question that neither
    asks for one's own figure nor tells one's own history gets the policy answer."""
    second, st.next_task = st.next_task, None  # a second figure asked: worked out after the first
    slots = extract(message, today)
    if st.task and not _asks_own_figure(message) and not hist.has_history_facts(slots):
        rule = _rule_reply(message, st.task, understand)
        if rule is not None:
            return [rule]
    assumed: list[str] = []
    replies = _assume_defaults(st, replies, assumed, today, told=bool(slots.years))  # a history told year by year
    if st.pending == "confirm":
        said = [
            r.model_copy(update={"text": _as_said(r.text) + "".join(assumed), "options": []})
            if r.intent == "confirm"
            else r
            for r in replies
        ]
        return said + _compute(st, today) + (_second_figure(st, second, today) if second else [])
    if assumed and replies and replies[0].text.startswith(w.AS_SAID):
        replies = [replies[0].model_copy(update={"text": replies[0].text + "".join(assumed)})] + replies[1:]
    if st.task is None or st.pending is None:
        return replies
    need = hist.next_need(st, today)
    wanted = [need.slot] if need else []
    wanted += [f for f in CHECKLIST.get(st.task, ()) if f not in wanted and _unknown(st.facts, f)]
    listed = "；".join(w.FACT_NAMES[f] for f in wanted if f in w.FACT_NAMES)
    needs = Reply(text=w.ONE_SHOT_NEEDS.format(task=TASK_NAMES.get(st.task, ""), facts=listed), intent=st.task)
    rule = _rule_reply(message, st.task, understand)
    general = [rule.model_copy(update={"text": w.GENERAL_RULE + rule.text, "options": []})] if rule else []
    return [r for r in replies if r.intent == COUNT_NOTE] + general + [needs]


def _assume_defaults(
    st: State, replies: list[Reply], assumed: list[str], today: dt.date, told: bool = True
) -> list[Reply]:
    """No back-payment and no incentive used (and, when the message told its years, no year without
    a claim), when the one message leaves them unsaid (each said in `assumed`), asking on until a fact
    without a default is missing or the summary stands."""
    while (
        st.task
        and st.pending in ONE_SHOT_DEFAULTS
        and (told or st.pending != "zero_claim")
        and (st.pending != "paid_on" or st.task in DATE_DEFAULT_TASKS)
    ):
        slot = st.pending
        if slot == "zero_claim":  # the years asked about: reimbursed, the incentive not assumed
            for year in st.pending_years:
                st.facts.zero_claim.setdefault(year, False)
        elif slot == "paid_on":
            st.facts.paid_in_period = True
        else:
            setattr(st.facts, slot, ONE_SHOT_DEFAULTS[slot])
        assumed.append(w.ASSUMED[slot])
        replies = [r for r in replies if not r.intent or not r.intent.startswith("ask:")] + advance(st, today)
    return replies


def _second_figure(st: State, task: str, today: dt.date) -> list[Reply]:
    """The other personal figure the one message asks for ("等待期和封顶线各是多少"), from the same
    facts (its own defaults said), or nothing when it needs a fact the message does not give."""
    st.task, st.pending, st.what_if = task, None, None  # type: ignore[assignment]
    assumed: list[str] = []
    _assume_defaults(st, advance(st, today), assumed, today)
    if st.pending != "confirm":
        return []
    figures = _compute(st, today)
    if assumed and figures:
        figures[0] = figures[0].model_copy(update={"text": figures[0].text + "".join(assumed)})
    return figures


def _asks_own_figure(message: str) -> bool:
    """ "要等多久" / "封顶线有好多" / "我的封顶线": asks for a figure, not whether a rule applies."""
    return bool(OWN_FIGURE.search(message)) or (bool(FIRST_PERSON.search(message)) and bool(tasks_named(message)))


def _rule_reply(message: str, task: str, understand: Callable[[str], Decision]) -> Reply | None:
    """The FAQ answer closest to the message on the question's topic, else the task's rule, each
    opened as a FAQ answer is (the figures of a count of years the message states: "三年都没报过")."""

    ranked = [c.intent for c in understand(message).candidates[:3]] + [m.intent for m in rank(message, limit=10)]
    for intent in dict.fromkeys(ranked):
        if intent not in TASKS and TOPIC_TASK.get(topic_of(intent) or "") == task:
            reply = faq_answer(message, intent)
            if reply is not None:
                return reply
    return faq_answer(message, GENERAL_RULE.get(task, ""))


def _unknown(facts: Facts, fact: str) -> bool:
    return {
        "zero_claim": not facts.zero_claim,
        "reward_used": facts.reward_used is None,
        "backpaid": facts.backpaid is None,
        "paid_on": facts.paid_on is None and not facts.paid_month,
        "years": not facts.years,
    }.get(fact, False)
