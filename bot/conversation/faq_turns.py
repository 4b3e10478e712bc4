"""Policy questions within the conversation: the FAQ answer (a contributions answer worked out
for the people named, a count of broken years opening it), the offer of one's own figure on the
same topic, the near readings offered after it, "您是想问…", out of scope, and the reminder that
ends a detour while a form is collecting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot import buttons
from bot.answers import wording as w
from bot.answers.counts import BreakCount
from bot.answers.fees import contributions
from bot.answers.questions import TASK_NAMES
from bot.answers.replies import clarify_reply, faq_answer, out_of_scope_reply, with_neighbours
from bot.conversation.forms import advance
from bot.conversation.router import Decision
from bot.conversation.state import State
from bot.models import Option, Reply
from faq import load
from intents.slots import Slots, extract
from rules import policy


def _general_count(slots: Slots, today: dt.date) -> BreakCount | None:
    """ "断保两年再交" with no calendar year of one's own: the count the rules are applied to, with the
    parameters of the coming insured year; None when no count is said or years are named."""
    if not slots.broken_count or slots.years or slots.dates or slots.months or slots.facts:
        return None
    return BreakCount(slots.broken_count, slots.backpaid, policy.coming_year(today))


def _reminder(st: State, today: dt.date) -> list[Reply]:
    """While collecting, a detour ends by taking the calculation up again where it was: the question
    the bot was waiting on, asked again at once (as a form re-asks its slot after an interruption),
    so that an answer in the next message is taken without a turn spent on "要继续吗"."""
    if st.task is None or st.pending is None:
        return []
    st.paused = True  # a bare "好，接着算" next continues; it answers nothing
    lead = Reply(text=w.RESUME_TEXT.format(task=TASK_NAMES.get(st.task, "")), intent="resume")
    return [lead, *advance(st, today)]


TOPIC_TASK = {
    "waiting": "my_waiting",
    "repair": "my_waiting",
    "continuity": "my_waiting",
    "period": "my_benefit_start",
    "newborn": "my_benefit_start",
    "student": "my_benefit_start",
    "zero_claim": "my_cap",
    "continuous": "my_cap",
    "ceiling": "my_cap",
    "critical": "my_cap",
    "break_cap": "my_cap",
    "break_incentive": "my_cap",
}
TOPIC_OFFER = {"my_waiting": "算算我的等待期", "my_benefit_start": "算算我哪天能报销", "my_cap": "算算我的封顶线"}


def _faq(
    st: State,
    intent: str,
    today: dt.date,
    question: str = "",
    close: Sequence[str] = (),
    count: BreakCount | None = None,
) -> list[Reply]:
    """A policy question: the FAQ answer (a wrong premise in the question corrected first);
    mid-calculation, the offer to continue; otherwise the offer to work out the person's own figure
    on the same topic. `close`: the other readings as near as this one, offered after the answer;
    `count`: a number of years of break the question states, whose figures open the answer."""

    reply = (
        _faq_answer(question, intent, extract(question, today), count)
        if question
        else faq_answer(question, intent, count)
    )
    if reply is None:
        return [_out_of_scope()] + _reminder(st, today)
    if reply.intent is not None and (st.task is None or st.pending is None):
        st.topic_task = TOPIC_TASK.get(topic_of(intent) or "")  # type: ignore[assignment]
        st.topic_turn = st.turns
        if st.topic_task:
            reply = reply.model_copy(
                update={
                    "options": [
                        Option(label=TOPIC_OFFER[st.topic_task], value=buttons.value(buttons.TASK, st.topic_task))
                    ]
                }
            )
    if close and (st.task is None or st.pending is None):
        st.pending = "pick"  # "2" picks the second of the questions offered after the answer
    return [with_neighbours(reply, close)] + _reminder(st, today)


def _faq_answer(question: str, intent: str, slots: Slots, count: BreakCount | None = None) -> Reply | None:
    """The entry's answer to the question (opened by the figures of a count of broken years it
    states); a contributions answer worked out for the people the question names, or told that the
    sources give no standard for the year it names."""
    reply = faq_answer(question, intent, count)
    return contributions(reply, slots) if reply is not None else None


def topic_of(intent: str) -> str | None:

    try:
        return load().entry(intent).topic
    except KeyError:
        return None


def _clarify(st: State, decision: Decision) -> list[Reply]:

    reply = clarify_reply(decision.candidates)
    if st.task is None or st.pending is None:
        st.pending = "pick"
    return [reply]


def _pick(st: State, text: str) -> str | None:
    """A typed choice among "您是想问" options: the option's label or its number."""
    for i, option in enumerate(st.options, 1):
        if text in (option.label, str(i)):
            return option.value
    st.pending = None
    return None


def _out_of_scope() -> Reply:

    return out_of_scope_reply()
