"""One-shot answers (`yibao ask`): a personal question answered from the facts in one message.

The message goes through the dialogue manager from an empty state. When it holds every fact
the question needs, the summary stands as said and the figures follow; a fact with a natural
default (no back-payment, no incentive used) is assumed and the answer says so; otherwise the
reply names what the answer still needs.
"""
from __future__ import annotations

import datetime as dt

from bot import history as hist
from bot.dialogue import advance, respond
from bot.models import Reply
from bot.questions import TASK_NAMES
from bot.state import State

CHECKLIST = {
    "my_cap": ("years", "zero_claim"),
    "my_waiting": ("years", "backpaid"),
    "my_benefit_start": ("years", "backpaid", "paid_on"),
    "what_if": ("years", "backpaid"),
}
FACT_NAMES = {
    "years": "2025年以来每一年是否参保（在重庆、外地还是职工医保）",
    "zero_claim": "哪几年一次都没有用医保报销过",
    "reward_used": "大病保险有没有用过激励增加的额度",
    "backpaid": "断保的年份有没有补缴、补缴了几年",
    "paid_on": "这一年的医保费是哪天交的",
    "born": "孩子的出生日期",
}


ONE_SHOT_DEFAULTS = {
    "backpaid": (0, "（没说补缴，按没有补缴计算。）"),
    "reward_used": ([], "（没说大病保险用过激励额度，按没有用过计算。）"),
}


def one_shot(message: str, today: dt.date) -> list[Reply]:
    """A personal question answered from the one message: the summary and the figures when it
    holds every fact (the summary stands as said), else what the answer still needs."""
    replies, state = respond(None, message, today)
    assumed: list[str] = []
    while state.task and state.pending in ONE_SHOT_DEFAULTS:
        slot = state.pending
        value, note = ONE_SHOT_DEFAULTS[slot]
        setattr(state.facts, slot, value)
        assumed.append(note)
        replies = [r for r in replies if not r.intent or not r.intent.startswith("ask:")]
        replies += advance(state, today)
    if state.pending == "confirm":
        more, state = respond(state, "yes", today)
        said = [r.model_copy(update={"text": r.text.replace("我理解的是：", "按您说的情况：").removesuffix("对吗？")
                                     + "".join(assumed), "options": []})
                if r.intent == "confirm" else r for r in replies]
        return said + more
    if state.task is None or state.pending is None:
        return replies
    need = hist.next_need(state, today)
    wanted = [need.slot] if need else []
    wanted += [f for f in CHECKLIST.get(state.task, ()) if f not in wanted and _unknown(state, f)]
    listed = "；".join(FACT_NAMES[f] for f in wanted if f in FACT_NAMES)
    return [Reply(text=f"要算出您的{TASK_NAMES.get(state.task, '')}，我还需要知道：{listed}。"
                       "可以把这些情况一次说全再问，或者用 yibao chat 一问一答。",
                  intent=state.task)]


def _unknown(state: State, fact: str) -> bool:
    facts = state.facts
    return {"zero_claim": not facts.zero_claim, "reward_used": facts.reward_used is None,
            "backpaid": facts.backpaid is None, "paid_on": facts.paid_on is None and not facts.paid_month,
            "years": not facts.years}.get(fact, False)
