"""Several policy questions in one message, and two things of one subject compared: each part
answered from the FAQ when every part reads as an entry."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from bot.conversation.faq_turns import _faq_answer, _general_count, _reminder, topic_of
from bot.conversation.reading import is_faq
from bot.conversation.router import Decision, matcher, rank, split_comparison, split_questions
from bot.conversation.state import State
from bot.models import Reply
from intents.match import WHO_NOTIONS, asks_something
from intents.slots import Slots, extract
from intents.text import normalise, tokens


def several(
    st: State, text: str, slots: Slots, today: dt.date, understand: Callable[[str], Decision]
) -> list[Reply] | None:
    """Several policy questions in one message ("断保一年等多久？封顶线降多少？"), or two things of one
    subject compared ("固定等待期和变动等待期有什么区别"): each part answered when every part reads as a
    FAQ entry (an entry both parts name, once; the sides of a comparison of one topic); else None,
    and the message is read as one question."""

    asked_apart = split_questions(text)
    further = [] if asked_apart else _split_further(text)
    if further and understand(text).kind == "out_of_scope":
        further = []  # what the whole does not ask of yibao, its clauses do not either
    parts = _compared(asked_apart or further)
    comparison = not parts
    parts = parts or split_comparison(text)
    if not parts:
        return None
    if not comparison:
        parts = [parts[0]] + [_with_subject(parts[0], p) for p in parts[1:]]
    decisions = [understand(p) for p in parts]
    if comparison:
        decisions = _parallel(parts, decisions)
    if any(d.kind != "match" or not is_faq(d.intent) for d in decisions):
        return None
    intents = list(dict.fromkeys(d.intent or "" for d in decisions))
    if further and len(intents) == 1:
        return None  # both clauses read as one entry: the message is that one question
    if comparison and len({topic_of(i) for i in intents}) != 1:
        return None  # the two sides read as different subjects: the comparison is not ours
    asked = parts if len(intents) == len(parts) else [text] * len(intents)
    count = _general_count(slots, today)
    replies = [
        _faq_answer(p, i, slots if p == text else extract(p, today), count) for p, i in zip(asked, intents, strict=True)
    ]
    if any(r is None for r in replies):
        return None
    return [r for r in replies if r is not None] + _reminder(st, today)


_COMMA = re.compile(r"[，,；;]")
# "起付线和封顶线分别是多少": one predicate said of each of two things
_EACH_OF = re.compile(r"^(.{2,}?)(?:和|跟|与|以及)(.{2,}?)(?:分别|各自|各)(.+)$")


def _split_further(text: str) -> list[str]:
    """Clauses that each ask, or one predicate said of each of two things; not for a message that
    names what yibao never answers (渝快保, 养老保险: matcher.oos_words), which is read whole."""
    clean = normalise(text or "")
    if any(w in clean for w in matcher().oos_words):
        return []
    return _asking_clauses(text) or _each_of(text)


def _asking_clauses(text: str) -> list[str]:
    """ "断保一年封顶线降多少，等待期多久？": two clauses of one message that each ask (a story clause
    before a question does not count); [] unless every clause asks."""
    clauses = [c.strip(" ？?。！!") for c in _COMMA.split(text or "") if c.strip(" ？?。！!")]
    return clauses if len(clauses) >= 2 and all(len(c) >= 3 and asks_something(c) for c in clauses) else []


def _each_of(text: str) -> list[str]:
    """ "大病保险起付线和封顶线分别是多少" -> ["大病保险起付线是多少", "封顶线是多少"]."""
    m = _EACH_OF.match(normalise(text or "").strip(" ？?。！!"))
    if not m or not asks_something(m.group(3)):
        return []
    first, second, said = m.group(1), m.group(2), m.group(3)
    words = tokens(second, normalised=True)
    if len(words) >= 2 and words[0][-1] == first[-1]:  # "一档和二档住院报销比例": the head is both's
        first += second[second.index(words[0]) + len(words[0]) :]
    return [first + said, second + said]


def _with_subject(first: str, part: str) -> str:
    """A later question of a message read with the subject the first one names when it names none
    ("大学生交多少钱？一般几月交？": the second is the students' too)."""
    m = matcher()
    said = m.concepts_of(normalise(part)) & WHO_NOTIONS
    if said:
        return part
    first_clean = normalise(first)
    for notion in sorted(m.concepts_of(first_clean) & WHO_NOTIONS):
        form = next((f for f in m.concept_forms[notion] if f in first_clean), None)
        if form:
            return form + part
    return part


SIDE_FLOOR = 0.1  # raw similarity (before any push by the uncovered questions) of a side read in its pair's topic


def _parallel(sides: list[str], decisions: list[Decision]) -> list[Decision]:
    """The two sides of a comparison are of one subject: a side that reads as nothing alone ("1月交"
    beside "12月交") is read as the best entry of its pair's topic other than the pair's own, when
    it is that near (SIDE_FLOOR)."""
    read = [d for d in decisions if d.kind == "match" and is_faq(d.intent)]
    if len(read) != 1 or len(decisions) != 2:
        return decisions
    pair = read[0].intent or ""
    topic = topic_of(pair)
    out = []
    for side, decision in zip(sides, decisions, strict=True):
        if decision.kind != "match":
            near = next(
                (
                    m
                    for m in rank(side)
                    if m.intent != pair
                    and topic_of(m.intent) == topic
                    and (m.before if m.before is not None else m.raw) >= SIDE_FLOOR
                ),
                None,
            )
            if near is not None:
                decision = Decision(kind="match", intent=near.intent, score=near.score, candidates=[near])
        out.append(decision)
    return out


_FOLLOW_UP = re.compile(r"^(?:那|那么)?(?:各|分别|各自|都)(?:是|要|有|能)?(?:多少|多久|多长|几个月|几年|怎么算|什么)")


def _compared(parts: list[str]) -> list[str]:
    """The questions of a message with a comparison among them read as its two sides, and a
    follow-up that only asks the figure of each ("各是多久", "分别多少") left to their answers:
    "固定等待期和变动等待期有啥区别？各是多久？" -> ["固定等待期", "变动等待期"]."""
    out: list[str] = []
    compared = False
    for part in parts:
        sides = split_comparison(part)
        compared = compared or bool(sides)
        out.extend(sides or [part])
    return [p for p in out if not _FOLLOW_UP.match(normalise(p))] if compared else out
