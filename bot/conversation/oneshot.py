"""One-shot answers (`yibao ask`): a personal question answered from the facts in one message.

The message goes through the dialogue manager from an empty state. When it holds every fact
the question needs, the summary stands as said and the figures follow; a fact with a natural
default (no back-payment, no incentive used) is assumed and the answer says so; otherwise the
reply names what the answer still needs.
"""
from __future__ import annotations

import datetime as dt

from bot.conversation import history as hist
from bot.conversation.dialogue import advance, respond
from bot.models import Reply
from bot.answers.questions import TASK_NAMES
from bot.conversation.state import State

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


# The rule stated when a personal figure cannot be worked out yet (its FAQ entry states the figure).
GENERAL_RULE = {
    "my_cap": "zero_claim_incentive_what",
    "my_waiting": "break_consequences",
    "my_benefit_start": "benefits_start_by_december",
    "what_if": "repair_by_backpay",
}
_STORY = ("facts", "broken_count", "backpaid", "paid_on", "paid_month", "born", "all_insured", "none_insured")


def one_shot(message: str, today: dt.date) -> list[Reply]:
    """A personal question answered from the one message: the summary and the figures when it
    holds every fact (the summary stands as said), else the general rule with its figure and
    what a personal answer still needs. A question that neither asks for one's own figure nor
    tells one's own history ("在成都交了两年，回重庆算连续参保不") gets the policy answer."""
    replies, state = respond(None, message, today)
    if state.task and not _asks_own_figure(message) and not _tells_history(message, today):
        rule = _rule_reply(message, state.task)
        if rule is not None:
            return [rule]
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
    needs = Reply(text=f"要算出您的{TASK_NAMES.get(state.task, '')}，我还需要知道：{listed}。"
                       "可以把这些情况一次说全再问，或者用 yibao chat 一问一答。",
                  intent=state.task)
    rule = _rule_reply(message, state.task)
    return ([rule.model_copy(update={"text": "一般规定：" + rule.text, "options": []})] if rule else []) + [needs]


def _asks_own_figure(message: str) -> bool:
    """"要等多久" / "封顶线有好多" / "我的封顶线": asks for a figure, not whether a rule applies."""
    from bot.conversation.dialogue import FIRST_PERSON, OWN_FIGURE, tasks_named

    return bool(OWN_FIGURE.search(message)) or (bool(FIRST_PERSON.search(message)) and bool(tasks_named(message)))


def _tells_history(message: str, today: dt.date) -> bool:
    """Whether the message tells something of one's own history that a figure can use."""
    from intents.slots import extract

    slots = extract(message, today)
    return any(getattr(slots, name) not in (None, False, []) for name in _STORY)


def _rule_reply(message: str, task: str) -> Reply | None:
    """The FAQ answer closest to the message on the question's topic, else the task's rule."""
    from bot.conversation.dialogue import TASKS, TOPIC_TASK, topic_of
    from bot.answers.replies import faq_reply_for
    from bot.conversation.router import understand

    decision = understand(message)
    for c in getattr(decision, "candidates", [])[:3]:
        if c.intent not in TASKS and TOPIC_TASK.get(topic_of(c.intent) or "") == task:
            reply = faq_reply_for(c.intent)
            if reply is not None:
                return reply
    return faq_reply_for(GENERAL_RULE.get(task, ""))


def _unknown(state: State, fact: str) -> bool:
    facts = state.facts
    return {"zero_claim": not facts.zero_claim, "reward_used": facts.reward_used is None,
            "backpaid": facts.backpaid is None, "paid_on": facts.paid_on is None and not facts.paid_month,
            "years": not facts.years}.get(fact, False)
