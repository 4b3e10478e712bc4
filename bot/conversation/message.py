"""One message read once: the facts it states (intents.slots), what it asks (the router's
decision, sharpened when a personal question is asked personally or by its words, or who pays on
which tier is said) and whether it reads as a question. The dialogue's rules are handed a `Message`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answers.fees import TIER_ENTRIES
from bot.conversation import history as hist
from bot.conversation.reading import TASKS, asks, task_by_words, tasks_named
from bot.conversation.router import Decision
from intents.match import personal_strength
from intents.slots import Slots
from intents.text import normalise
from rules import policy

_ASKS_OWN = re.compile(r"算一下|算算|帮我算|计算一下|我的|我家")


@dataclass
class Message:
    """One typed message, read once: its facts, what it asks, and how it reads as a question."""

    text: str
    slots: Slots
    decision: Decision
    intent: str | None
    facts_said: bool
    asks: bool


def _message(text: str, slots: Slots, decision: Decision) -> Message:
    intent = decision.intent if decision.kind == "match" else None
    facts_said = hist.has_history_facts(slots)
    if decision.kind == "ambiguous":
        tasks = [c.intent for c in decision.candidates if c.intent in TASKS]
        if tasks and (facts_said or _personal(text)):
            intent = tasks[0]  # a close call between a general and a personal question, asked personally
    named = tasks_named(text)
    close_call = decision.kind == "ambiguous" or bool(decision.close)  # (a close call answered by its best)
    if close_call and (intent is None or intent not in TASKS) and len(named) == 1 and _ASKS_OWN.search(text):
        intent = named[0]  # "算一下我的待遇等待期": one's own figure, whichever rules rank close
    if intent is None and _told_and_asked(slots, decision, named):
        intent = named[0]
    intent = task_by_words(text, decision, intent)
    intent = _contributions_asked(slots, decision, intent)
    return Message(text=text, slots=slots, decision=decision, intent=intent, facts_said=facts_said, asks=asks(text))


def _told_and_asked(slots: Slots, decision: Decision, named: list[str]) -> bool:
    """A history told year by year and one's own figure asked in its words ("…2026年12月交了2027年
    度的，哪天起能报？"), the personal questions ranked first yet under the refusal point (a long
    story lowers every similarity): the calculation it names, not a refusal."""
    ranked = decision.candidates[:1]
    return (
        decision.kind == "out_of_scope"
        and len(named) == 1
        and any(f.status in hist.INSURANCE for f in slots.facts)
        and bool(ranked)
        and ranked[0].intent in TASKS
    )


def _contributions_asked(slots: Slots, decision: Decision, intent: str | None) -> str | None:
    """Who pays on which tier ("全家5口都选一档", "两个一档一个二档") or the tiers' difference asks the
    contributions entry (the students' one for a student), unless the message reads as another
    entry; with no tier named, only when the contributions rank first."""
    if not (slots.payers or slots.tier_difference) or (intent is not None and intent not in TIER_ENTRIES):
        return intent
    top = decision.candidates[0].intent if decision.candidates else None
    if not slots.tiers and top not in TIER_ENTRIES:
        return intent
    return TIER_ENTRIES[1] if slots.group == policy.Group.student.value else TIER_ENTRIES[0]


def _personal(text: str) -> bool:

    return personal_strength(normalise(text)) >= 1
