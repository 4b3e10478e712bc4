"""The dialogue manager: (state, message, today) -> (replies, new state), with no I/O and no clock.

The conversation is a set of forms, one per task (my cap, my waiting period, my benefit start,
what-if). The facts each form needs are data (bot.conversation.history.next_need); each fact
has one handler, shared by typed text and option buttons (bot.conversation.fill.FILL). Every
message is read once into a `Message` (intents.slots for the facts it states,
bot.conversation.router for what it asks), then the ordered table `RULES` of named
interruption rules decides what it is: an answer to the pending question (which wins over
anything the matcher reads in a short answer), a correction, a detour to the FAQ and back,
cancel, forget, off-topic... When a form has every fact, the bot confirms them in one sentence
(one tap) and computes with rules.evaluate; a history told whole in one message, with nothing
to clarify, goes straight to the result with the summary shown above it. `respond(..., once=True)`
is the same router for `yibao ask`: one message, defaults said aloud, or what is still needed.
All wording is in bot.answers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from bot import buttons
from bot.answers import wording as w
from bot.answers.counts import COUNT_NOTE, BreakCount, before_first_year
from bot.answers.fees import TIER_ENTRIES, contributions
from bot.answers.questions import TASK_NAMES, ask, ask_task
from bot.answers.render import answer
from bot.answers.replies import (
    clarify_reply,
    conversation_reply,
    faq_answer,
    faq_reply_for,
    out_of_scope_reply,
    with_neighbours,
)
from bot.answers.summary import summary
from bot.conversation import history as hist
from bot.conversation import privacy
from bot.conversation.fill import FILL, Said, said_value
from bot.conversation.reading import (
    CONVERSATION,
    FIRST_PERSON,
    OWN_FIGURE,
    TASKS,
    asks,
    is_faq,
    likely_task,
    menu_choice,
    menu_task,
    of_oneself,
    task_by_words,
    tasks_named,
)
from bot.conversation.router import Decision, split_comparison, split_questions, understand
from bot.conversation.state import Facts, State, WhatIf
from bot.models import Option, Reply
from faq import load
from intents.match import personal_strength
from intents.slots import Slots, extract
from intents.text import normalise
from rules import RulesError, evaluate, policy

MAX_CHARS = 500

_CONTINUE = re.compile(r"^(?:好的?|嗯|行)?[，,]?(?:继续|接着)(?:吧|来|算|计算|算吧)?[。！!.]?$")
_DETAILS = re.compile(
    r"^(?:依据|根据|详情|详细|明细|过程|计算过程|怎么算的|咋个算的|为什么|为啥|看依据|看看依据|"
    r"展开|更多)[？?。！!]?$"
)
_NOT_ASKING = re.compile(r"[呢吧哦][。！!~]*$|过几天|前几天|这几天|好几")  # question words that ask nothing
# "集中参保期是什么时候": a policy term asked about, not one's own figure
_TERM_ASKED = re.compile(r"([\u4e00-\u9fff]{2,})(?:是|在)(?:什么时候|哪几个月|哪个月|几月|多少|多久|什么)")
_CHILD = re.compile(r"孩子|娃|宝宝|小孩|新生儿")
_ASKS_OWN = re.compile(r"算一下|算算|帮我算|计算一下|我的|我家")
_HYPOTHETICAL = re.compile(r"如果|要是|假如|假设|万一")
_CORRECTION = re.compile(r"不对|错了|说错|搞错|其实|应该是|改一下|更正|纠正|不是")


def _extract(text: str, today: dt.date) -> Slots:
    return extract(text, today)


def _understand(text: str) -> Decision:
    return understand(text)


@dataclass
class Message:
    """One typed message, read once: its facts, what it asks, and how it reads as a question."""

    text: str
    slots: Slots
    decision: Decision
    intent: str | None
    facts_said: bool
    asks: bool


# --- entry point ------------------------------------------------------------------------------


def respond(state: State | None, message: str, today: dt.date, once: bool = False) -> tuple[list[Reply], State]:
    """One turn: the replies to send and the state to keep. Never raises on any message.
    With `once` (``yibao ask``), the one message is all there is: see `_once`."""
    st = state.model_copy(deep=True) if state is not None else State()
    st.turns += 1
    st.forget = False
    st.whole = False
    replies = _turn(st, message if isinstance(message, str) else "", today, once)
    if once:
        replies = _once(st, replies, message, today)
    elif st.whole and st.pending == "confirm":
        replies = _straight(st, replies, today)
    st.whole = False
    if replies and replies[-1].options:
        st.options = list(replies[-1].options)
    elif replies:
        st.options = []
    return replies, st


def _turn(st: State, message: str, today: dt.date, once: bool = False) -> list[Reply]:
    text = re.sub(r"\s+", " ", message).strip()
    if not text:
        return [Reply(text=w.EMPTY_TEXT, intent="empty")] + _reminder(st, today)
    if len(text) > MAX_CHARS:
        return [Reply(text=w.LONG_TEXT.format(n=len(text)), intent="too_long")] + _reminder(st, today)
    if _is_value(text):
        return _on_value(st, text, today)
    slots = _extract(text, today)
    decision = _understand(privacy.blank(text))
    notes: list[Reply] = []
    if slots.pii or privacy.has_name(text):
        notes.append(Reply(text=w.PRIVACY_TEXT, intent="privacy"))
    invalid = sorted(set(slots.invalid_years))
    first = policy.first_year()
    far = [y for y in invalid if y >= first]
    for template, years in ((w.EARLY_YEAR_TEXT, [y for y in invalid if y < first]), (w.FAR_YEAR_TEXT, far)):
        if years:
            notes.append(
                Reply(
                    text=template.format(years="、".join(f"{y}年" for y in years), first=first, last=today.year + 1),
                    intent="invalid_year",
                )
            )
    if far and not slots.years:
        return notes + _reminder(st, today)  # "3025年交了": the year is the answer's whole subject
    msg = _message(text, slots, decision)
    for rule in (ONCE_RULES + RULES) if once else RULES:
        if rule.applies(st, msg, today):
            replies = rule.handle(st, msg, today)
            if replies is not None:
                return notes + replies
    if notes:  # a privacy or year note already said something useful
        return notes + _reminder(st, today)
    return [_out_of_scope()] + _reminder(st, today)


def _message(text: str, slots: Slots, decision: Decision) -> Message:
    intent = decision.intent if decision.kind == "match" else None
    facts_said = hist.has_history_facts(slots)
    if decision.kind == "ambiguous":
        tasks = [c.intent for c in decision.candidates if c.intent in TASKS]
        if tasks and (facts_said or _personal(text)):
            intent = tasks[0]  # a close call between a general and a personal question, asked personally
    named = tasks_named(text)
    if decision.kind == "ambiguous" and intent is None and len(named) == 1 and _ASKS_OWN.search(text):
        intent = named[0]  # "算一下我的待遇等待期": one's own figure, whichever rules rank close
    intent = task_by_words(text, decision, intent)
    intent = _contributions_asked(slots, decision, intent)
    return Message(text=text, slots=slots, decision=decision, intent=intent, facts_said=facts_said, asks=asks(text))


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


# --- the interruption rules, in order -------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A named reading of a message: when it `applies`, `handle` answers (None: next rule)."""

    name: str
    applies: Callable[[State, Message, dt.date], bool]
    handle: Callable[[State, Message, dt.date], list[Reply] | None]


def _answers_pending(st: State, msg: Message, today: dt.date) -> bool:
    """Whether a message answers the question the bot is waiting on (tried on a copy)."""
    if st.task is None or st.pending not in FILL:
        return False
    if st.paused and not msg.facts_said and (msg.slots.yes is not None or _CONTINUE.match(msg.text)):
        return False  # "好，接着算" after a detour: continue, not an answer to the question
    if asks(_NOT_ASKING.sub("", msg.text)) and not _answers_despite_asking(st, msg):
        return False  # "还没交呢" answers; "集中参保期是什么时候？" asks something else
    if _correcting(msg.text, msg.slots) or _relevant_facts(st, msg.slots):
        return True
    trial = st.model_copy(deep=True)
    return FILL[st.pending](trial, Said(text=msg.text, slots=msg.slots), today) is not None


def _answers_despite_asking(st: State, msg: Message) -> bool:
    """ "今天刚交的" to "哪天交的？" reads as a question word (哪/几) only by accident."""
    return st.pending in ("paid_on", "born") and msg.slots.dates != [] and not tasks_named(msg.text)


_RELEVANT = {
    "years": ("facts", "years", "all_insured", "none_insured", "broken_count"),
    "zero_claim": ("facts",),
    "reward_used": ("facts",),
    "reward_years": ("years",),
    "backpaid": ("backpaid", "broken_count"),
    "paid_on": ("paid_on", "paid_month", "dates", "months"),
    "born": ("born", "dates"),
}


def _correcting(text: str, slots: Slots) -> bool:
    """ "不对，2026年也交了" / "不对，是2027年度的": facts said as a correction."""
    return bool(slots.facts or slots.target_year) and bool(_CORRECTION.search(text))


def _relevant_facts(st: State, slots: Slots) -> bool:
    return any(getattr(slots, name) for name in _RELEVANT.get(st.pending or "", ()))


def _is_correction(st: State, msg: Message, today: dt.date) -> bool:
    """Facts told after a result, of the history just used: a correction of it."""
    if st.task is not None or st.last_task is None or not msg.facts_said or _is_faq_question(msg):
        return False
    return bool(_CORRECTION.search(msg.text)) or (not msg.asks and of_oneself(msg.text, msg.slots))


def _is_faq_question(msg: Message) -> bool:
    return is_faq(msg.intent) and msg.asks and not tasks_named(msg.text)


def _own_figure_follow_up(st: State, msg: Message, today: dt.date) -> bool:
    """ "那要等好久嘛？" after a cap, "要等好久才能报销哦" in a newborn's conversation: one's own
    figure, with the history already told."""
    if not (st.facts.known() or st.last_task) or msg.intent in CONVERSATION:
        return False
    follow_up = st.last_task is not None or st.task is not None or msg.text.startswith("那")
    if is_faq(msg.intent) and len(msg.text) > 20 and not FIRST_PERSON.search(msg.text) and not follow_up:
        return False  # a policy question of its own
    named = _own_task_named(msg)
    return named is not None and named != st.task


def _own_task_named(msg: Message) -> str | None:
    """The personal question a message names as one's own figure; None for a question about a
    policy term ("集中参保期是哪几个月？" names a wait in months, but of the calendar)."""

    named = tasks_named(msg.text)
    if len(named) != 1 or not OWN_FIGURE.search(msg.text) or _HYPOTHETICAL.search(msg.text):
        return None
    said = msg.text + "\n" + normalise(msg.text)
    term = _TERM_ASKED.search(said)
    if term and not tasks_named(term.group(1)) and not FIRST_PERSON.search(msg.text) and not _CHILD.search(msg.text):
        return None  # (封顶线是多少 asks the figure itself)
    if is_faq(msg.intent) and TOPIC_TASK.get(topic_of(msg.intent or "") or "") not in (None, named[0]):
        return None  # a policy question on another topic
    return named[0]


def _handle_correction(st: State, msg: Message, today: dt.date) -> list[Reply]:
    task = msg.intent if msg.intent in TASKS and msg.asks else st.last_task
    return _start_task(st, task or "my_cap", msg.slots, msg.text, today, correcting=True)


def _handle_pending(st: State, msg: Message, today: dt.date) -> list[Reply]:
    st.paused = False
    return _answer(st, Said(text=msg.text, slots=msg.slots), today)


def _handle_confirm(st: State, msg: Message, today: dt.date) -> list[Reply] | None:
    """At the summary: 对 computes; 不对 asks what is wrong; facts are filed and confirmed anew."""
    before = st.facts.model_copy(deep=True)
    named = _own_task_named(msg)
    if named is not None and named != st.task and st.task != "what_if":
        st.task = named  # type: ignore[assignment]  # "不对，我是想问要等多久"
        st.pending = None
        conflicts = _file(st, msg.slots, msg.text, today) if msg.facts_said else []
        return _conflict(st, conflicts) if conflicts else advance(st, today)
    if msg.facts_said or _statuses_fill(st, msg.slots, today):
        conflicts = _file(st, msg.slots, msg.text, today)
        if st.facts != before or msg.slots.target_year:
            st.pending = None
            return _conflict(st, conflicts) if conflicts else _count_note(st, msg.slots, today) + advance(st, today)
    yes = msg.slots.yes
    if yes is True and not msg.asks:
        return _compute(st, today)
    if yes is False or _is_amend(msg.text):
        st.pending = "amend"
        return [Reply(text=w.AMEND_TEXT, intent="amend", options=list(w.AMEND_OPTIONS))]
    return None


def _handle_details(st: State, msg: Message, today: dt.date) -> list[Reply]:
    return _details(st)


def _handle_continue(st: State, msg: Message, today: dt.date) -> list[Reply]:
    st.paused = False
    return _resume(st, today)


def _handle_paused(st: State, msg: Message, today: dt.date) -> list[Reply] | None:
    st.paused = False
    if not msg.facts_said and msg.intent == "yes":
        return _resume(st, today)
    if not msg.facts_said and msg.intent in ("no", "cancel"):
        return _cancel(st)
    return None


def _handle_menu(st: State, msg: Message, today: dt.date) -> list[Reply] | None:
    chosen = menu_choice(st, msg.text)
    return _on_value(st, chosen, today) if chosen else None


def _handle_pick(st: State, msg: Message, today: dt.date) -> list[Reply] | None:
    offered = buttons.arguments((o.value for o in st.options), buttons.PICK)
    choice = _pick(st, msg.text)
    if choice:
        return _on_value(st, choice, today)
    tasks = [i for i in offered if i in TASKS]
    if msg.facts_said and msg.intent not in TASKS and tasks:
        # "您是想问…" answered with one's own history: the personal question it is
        return _start_task(st, tasks[0], msg.slots, msg.text, today)
    return None


def _handle_own_history_question(st: State, msg: Message, today: dt.date) -> list[Reply] | None:
    guess = likely_task(msg.decision) or menu_task(msg.text)
    if guess:  # a policy question asked with one's own history: work out one's own figure
        return _start_task(st, guess, msg.slots, msg.text, today)
    return None


def _handle_faq_detour(st: State, msg: Message, today: dt.date) -> list[Reply]:
    # a question about the policy in the middle: answered; facts only when said of oneself
    if msg.facts_said and of_oneself(msg.text, msg.slots):
        hist.apply_slots(st.facts, msg.slots, today)
    return _faq(st, msg.intent or "", today, msg.text, msg.decision.close, _general_count(msg.slots, today))


def _fresh_topic(st: State) -> str | None:
    return st.topic_task if st.topic_turn == st.turns - 1 else None


def _handle_task(st: State, msg: Message, today: dt.date) -> list[Reply] | None:
    intent = msg.intent
    fresh = _fresh_topic(st)
    if intent in TASKS and fresh and not st.task and msg.facts_said and not msg.asks:
        intent = fresh  # facts told right after a policy answer: that answer's question
    answering = bool(st.task) and msg.facts_said
    if intent in TASKS and not (answering and intent != st.task and not msg.asks):
        return _start_task(st, intent, msg.slots, msg.text, today)
    if answering:
        return _answer(st, Said(text=msg.text, slots=msg.slots), today)
    return None


def _handle_facts_alone(st: State, msg: Message, today: dt.date) -> list[Reply]:
    if is_faq(msg.intent) and _only_a_group(msg.slots):
        # "新生儿 参保 时间": an agent's look-up naming a group, not a history told
        hist.apply_slots(st.facts, msg.slots, today)
        return _faq(st, msg.intent or "", today, msg.text, msg.decision.close, _general_count(msg.slots, today))
    named = tasks_named(msg.text) if msg.asks else []
    guess = (
        _fresh_topic(st)
        or (named[0] if len(named) == 1 else None)
        or likely_task(msg.decision)
        or (menu_task(msg.text) if msg.asks else None)
    )
    if guess:
        return _start_task(st, guess, msg.slots, msg.text, today)
    conflicts = hist.apply_slots(st.facts, msg.slots, today)
    if conflicts:
        return _conflict(st, conflicts)
    st.pending = "task"
    return [Reply(text=w.NOTED_TEXT, intent="noted"), ask_task()]


def _only_a_group(slots: Slots) -> bool:
    """Whether the only fact a message states is a group (新生儿, 大学生, 低保 ...)."""
    return bool(slots.group) and not hist.has_history_facts(slots.model_copy(update={"group": None}))


def _handle_conversation(st: State, msg: Message, today: dt.date) -> list[Reply]:
    return _conversation(st, msg.intent or "", today)


def _handle_faq(st: State, msg: Message, today: dt.date) -> list[Reply]:
    return _faq(st, msg.intent or "", today, msg.text, msg.decision.close, _general_count(msg.slots, today))


def _general_count(slots: Slots, today: dt.date) -> BreakCount | None:
    """ "断保两年再交" with no calendar year of one's own: the count the rules are applied to, with the
    parameters of the coming insured year; None when no count is said or years are named."""
    if not slots.broken_count or slots.years or slots.dates or slots.months or slots.facts:
        return None
    return BreakCount(slots.broken_count, slots.backpaid, policy.coming_year(today))


def _handle_several(st: State, msg: Message, today: dt.date) -> list[Reply] | None:
    """Several policy questions in one message ("断保一年等多久？封顶线降多少？"), or two things of one
    subject compared ("固定等待期和变动等待期有什么区别"): each part answered when every part reads as a
    FAQ entry (an entry both parts name, once; the sides of a comparison of one topic); else None,
    and the message is read as one question."""

    parts = _compared(split_questions(msg.text))
    comparison = not parts
    parts = parts or split_comparison(msg.text)
    if not parts:
        return None
    decisions = [_understand(p) for p in parts]
    if any(d.kind != "match" or not is_faq(d.intent) for d in decisions):
        return None
    intents = list(dict.fromkeys(d.intent or "" for d in decisions))
    if comparison and len({topic_of(i) for i in intents}) != 1:
        return None  # the two sides read as different subjects: the comparison is not ours
    asked = parts if len(intents) == len(parts) else [msg.text] * len(intents)
    count = _general_count(msg.slots, today)
    replies = [
        _faq_answer(p, i, msg.slots if p == msg.text else _extract(p, today), count)
        for p, i in zip(asked, intents, strict=True)
    ]
    if any(r is None for r in replies):
        return None
    return [r for r in replies if r is not None] + _reminder(st, today)


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


def _handle_clarify(st: State, msg: Message, today: dt.date) -> list[Reply]:
    return _clarify(st, msg.decision)


RULES: tuple[Rule, ...] = (
    Rule("forget", lambda st, m, t: m.intent == "forget_me", lambda st, m, t: _forget(st)),
    Rule("restart", lambda st, m, t: m.intent == "restart" and not m.facts_said, lambda st, m, t: _restart(st)),
    Rule("cancel", lambda st, m, t: m.intent == "cancel" and not m.facts_said, lambda st, m, t: _cancel(st)),
    Rule("details", lambda st, m, t: bool(_DETAILS.match(m.text)) and bool(st.last_details), _handle_details),
    Rule("menu choice", lambda st, m, t: st.pending == "task" and not st.task, _handle_menu),
    Rule("pick", lambda st, m, t: st.pending == "pick", _handle_pick),
    Rule("answer to the pending question", _answers_pending, _handle_pending),
    Rule("confirmation", lambda st, m, t: st.task is not None and st.pending in ("confirm", "amend"), _handle_confirm),
    Rule(
        "continue",
        lambda st, m, t: bool(st.task) and not m.facts_said and bool(_CONTINUE.match(m.text)),
        _handle_continue,
    ),
    Rule("after a detour", lambda st, m, t: st.paused, _handle_paused),
    Rule("correction", _is_correction, _handle_correction),
    Rule(
        "own figure, history known",
        _own_figure_follow_up,
        lambda st, m, t: _start_task(st, _own_task_named(m) or "my_cap", m.slots, m.text, t),
    ),
    Rule(
        "policy question with one's history",
        lambda st, m, t: is_faq(m.intent) and not st.task and m.facts_said and of_oneself(m.text, m.slots),
        _handle_own_history_question,
    ),
    Rule(
        "several policy questions",
        lambda st, m, t: st.pending is None and m.asks and m.intent not in TASKS,
        _handle_several,
    ),
    Rule("FAQ detour", lambda st, m, t: is_faq(m.intent) and m.asks, _handle_faq_detour),
    Rule("task", lambda st, m, t: m.intent in TASKS or (bool(st.task) and m.facts_said), _handle_task),
    Rule("facts without a task", lambda st, m, t: m.facts_said and not st.task, _handle_facts_alone),
    Rule("conversation", lambda st, m, t: m.intent in CONVERSATION, _handle_conversation),
    Rule("FAQ", lambda st, m, t: m.intent is not None, _handle_faq),
    Rule("clarify", lambda st, m, t: m.decision.kind == "ambiguous", _handle_clarify),
)


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


ONCE_RULES: tuple[Rule, ...] = (
    Rule("several policy questions", lambda st, m, t: m.intent not in TASKS, _handle_several),
    Rule("one message: not a personal question", lambda st, m, t: m.intent not in TASKS, _handle_once_general),
)


# --- forms: collect, confirm, compute -------------------------------------------------------


def _start_task(
    st: State, intent: str, slots: Slots, text: str, today: dt.date, correcting: bool = False
) -> list[Reply]:
    if intent in ("my_waiting", "my_benefit_start") and _HYPOTHETICAL.search(text) and slots.backpaid:
        intent = "what_if"  # "如果补缴一年，要等多久": a hypothesis, not a back-payment made
    fresh = not st.facts.known() and not correcting  # the whole history in this one message
    st.task = intent  # type: ignore[assignment]
    st.what_if = _what_if(slots, text) if intent == "what_if" else None
    st.pending = None
    st.pending_years = []
    st.plan_asked = False
    st.next_task = None if correcting else _second_task(text, intent)  # type: ignore[assignment]
    backpaid = st.facts.backpaid
    conflicts = _file(st, slots, text, today, correcting=correcting)
    if st.what_if is not None and st.what_if.kind == "backpay":
        st.facts.backpaid = backpaid  # "如果我补缴一年" is a hypothesis, not a fact
    if conflicts:
        return _conflict(st, conflicts)
    st.whole = fresh and hist.has_history_facts(slots)
    return _count_note(st, slots, today) + advance(st, today)


def _count_note(st: State, slots: Slots, today: dt.date) -> list[Reply]:
    """ "断了7年" filed as the years before the year asked about: when the count reaches before the
    first year the rules count (四.2), said aloud with what counts and what the rule gives for N years."""
    n, target = slots.broken_count, hist.target_of(st.facts, today)
    if not n or any(f.year < target and f.status in hist.INSURANCE for f in slots.facts):
        return []  # no count, or the years are named (the count is not filed)
    note = before_first_year(BreakCount(n, slots.backpaid, target), target, st.task)
    return [note] if note is not None else []


def _second_task(text: str, first: str) -> str | None:
    """ "要等多久才能报？明年封顶线又是多少？": the other personal figure a message asks for, in a
    question of its own, answered from the same facts once the first is worked out."""
    named = [tasks_named(part) for part in split_questions(text)]
    others = [n[0] for n in named if n and first not in n]  # (要等多久才能报: the waiting period and its date)
    return others[0] if others and first in TASKS and first != "what_if" else None


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
    """ "一直都交了" / "都没交" said with the question: every year it needs that is not known yet."""
    if not slots.all_insured and not slots.none_insured:
        return
    target = hist.target_of(st.facts, today)
    for y in hist.span(st.facts, target, st.task):
        st.facts.years.setdefault(y, "insured" if slots.all_insured else "uninsured")


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
    st.last_sources = list(replies[-1].sources) if replies else []
    st.last_task = st.task
    st.pending = None
    st.pending_years = []
    st.task = None
    st.what_if = None
    if st.next_task is not None:
        return replies + _second_figure(st, today)
    return replies


def _second_figure(st: State, today: dt.date) -> list[Reply]:
    """The second personal question of the first message, from the facts just confirmed: worked
    out at once, or the one fact it still lacks asked for (never a fact already told)."""
    st.task, st.next_task = st.next_task, None
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


def _details(st: State) -> list[Reply]:
    if not st.last_details:
        return [Reply(text=w.NO_DETAILS, intent="details")]
    return [Reply(text=st.last_details, sources=list(st.last_sources), intent="details")]


# --- values sent back by option buttons ----------------------------------------------------

_VALUE = re.compile(
    r"^(yes|no|continue|restart|cancel|forget|details|pick:[\w.-]+|task:\w+|status:\w+|"
    r"backpaid:\d+|paid:\w+|whatif:\w+|years?:[\w,:]*)$"
)


def _is_value(text: str) -> bool:
    return bool(_VALUE.match(text)) and len(text) < 200


def _on_value(st: State, value: str, today: dt.date) -> list[Reply]:
    kind, arg = buttons.parts(value)
    if kind == "restart":
        return _restart(st)
    if kind == "cancel":
        return _cancel(st)
    if kind == "forget":
        return _forget(st)
    if kind == "details":
        return _details(st)
    if kind == "task" and arg in TASKS:
        st.task, st.what_if = arg, None  # type: ignore[assignment]
        return advance(st, today)
    if kind == "whatif":
        return _what_if_value(st, arg, today)
    if kind == "pick":
        return _picked(st, arg, today)
    if kind == "continue" or (st.paused and kind == "yes"):
        st.paused = False
        return _resume(st, today)
    st.paused = False
    if st.task is None or st.pending is None:
        if kind in ("yes", "no"):
            return _conversation(st, kind, today)
        return [Reply(text=w.STALE_TEXT, intent="stale")]
    if st.pending in ("confirm", "amend"):
        if kind == "yes":
            return _compute(st, today)
        if kind == "no":
            st.pending = "amend"
            return [Reply(text=w.AMEND_TEXT, intent="amend", options=list(w.AMEND_OPTIONS))]
    if st.pending in FILL:
        return _answer(st, said_value(value), today)
    return advance(st, today)


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


# --- interruptions, conversation, FAQ -------------------------------------------------------


def _reset(st: State) -> None:
    fresh = State(turns=st.turns)
    for name in State.model_fields:
        setattr(st, name, getattr(fresh, name))


def _restart(st: State) -> list[Reply]:
    _reset(st)
    return [Reply(text=w.RESTART_TEXT, intent="restart")]


def _cancel(st: State) -> list[Reply]:
    st.task, st.what_if, st.pending, st.pending_years, st.paused = None, None, None, [], False
    st.next_task = None
    return [Reply(text=w.CANCEL_TEXT, intent="cancel")]


def _forget(st: State) -> list[Reply]:
    _reset(st)
    st.forget = True
    return [Reply(text=w.FORGET_TEXT, intent="forget_me")]


def _resume(st: State, today: dt.date) -> list[Reply]:
    if st.task is None:
        return [Reply(text=w.WHAT_NOW, intent="continue")]
    return advance(st, today)


def _reminder(st: State, today: dt.date) -> list[Reply]:
    """While collecting, a detour ends with the offer to continue where we were."""
    if st.task is None or st.pending is None:
        return []
    st.paused = True
    return [
        Reply(
            text=w.RESUME_TEXT.format(task=TASK_NAMES.get(st.task, "")), intent="resume", options=list(w.RESUME_OPTIONS)
        )
    ]


def _conversation(st: State, intent: str, today: dt.date) -> list[Reply]:

    if intent in ("yes", "no") and st.task is None:
        if intent == "yes" and st.facts.known() and st.pending == "task":
            return [ask_task()]
        return [Reply(text=w.ANYTHING_ELSE, intent=intent)]
    if intent == "yes" and st.task is not None:
        return _resume(st, today)
    if intent == "no" and st.task is not None:
        return _cancel(st)
    reply = conversation_reply(intent)
    return [reply] + _reminder(st, today)


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
        _faq_answer(question, intent, _extract(question, today), count)
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


def _picked(st: State, intent: str, today: dt.date) -> list[Reply]:
    if st.pending == "pick":
        st.pending = None
    if intent in TASKS:
        st.task = intent  # type: ignore[assignment]
        st.what_if = WhatIf(kind="continue") if intent == "what_if" else None
        return advance(st, today)
    if intent in CONVERSATION:
        return _conversation(st, intent, today)
    return _faq(st, intent, today)


def _out_of_scope() -> Reply:

    return out_of_scope_reply()


# --- one message only (yibao ask) -------------------------------------------------------------

ONE_SHOT_DEFAULTS = {"backpaid": 0, "reward_used": []}
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


def _once(st: State, replies: list[Reply], message: str, today: dt.date) -> list[Reply]:
    """The one message is all there is: a fact with a natural default (no back-payment, no
    incentive used) is assumed and said; a summary stands as said and the figures follow;
    otherwise the general rule and what a personal answer still needs. A question that neither
    asks for one's own figure nor tells one's own history gets the policy answer."""
    st.next_task = None  # (one message, one figure)
    if st.task and not _asks_own_figure(message) and not hist.has_history_facts(_extract(message, today)):
        rule = _rule_reply(message, st.task)
        if rule is not None:
            return [rule]
    assumed: list[str] = []
    while st.task and st.pending in ONE_SHOT_DEFAULTS:
        slot = st.pending
        setattr(st.facts, slot, ONE_SHOT_DEFAULTS[slot])
        assumed.append(w.ASSUMED[slot])
        replies = [r for r in replies if not r.intent or not r.intent.startswith("ask:")] + advance(st, today)
    if st.pending == "confirm":
        said = [
            r.model_copy(update={"text": _as_said(r.text) + "".join(assumed), "options": []})
            if r.intent == "confirm"
            else r
            for r in replies
        ]
        return said + _compute(st, today)
    if assumed and replies and replies[0].text.startswith(w.AS_SAID):
        replies = [replies[0].model_copy(update={"text": replies[0].text + "".join(assumed)})] + replies[1:]
    if st.task is None or st.pending is None:
        return replies
    need = hist.next_need(st, today)
    wanted = [need.slot] if need else []
    wanted += [f for f in CHECKLIST.get(st.task, ()) if f not in wanted and _unknown(st.facts, f)]
    listed = "；".join(w.FACT_NAMES[f] for f in wanted if f in w.FACT_NAMES)
    needs = Reply(text=w.ONE_SHOT_NEEDS.format(task=TASK_NAMES.get(st.task, ""), facts=listed), intent=st.task)
    rule = _rule_reply(message, st.task)
    general = [rule.model_copy(update={"text": w.GENERAL_RULE + rule.text, "options": []})] if rule else []
    return [r for r in replies if r.intent == COUNT_NOTE] + general + [needs]


def _asks_own_figure(message: str) -> bool:
    """ "要等多久" / "封顶线有好多" / "我的封顶线": asks for a figure, not whether a rule applies."""
    return bool(OWN_FIGURE.search(message)) or (bool(FIRST_PERSON.search(message)) and bool(tasks_named(message)))


def _rule_reply(message: str, task: str) -> Reply | None:
    """The FAQ answer closest to the message on the question's topic, else the task's rule."""

    for c in _understand(message).candidates[:3]:
        if c.intent not in TASKS and TOPIC_TASK.get(topic_of(c.intent) or "") == task:
            reply = faq_reply_for(c.intent)
            if reply is not None:
                return reply
    return faq_reply_for(GENERAL_RULE.get(task, ""))


def _unknown(facts: Facts, fact: str) -> bool:
    return {
        "zero_claim": not facts.zero_claim,
        "reward_used": facts.reward_used is None,
        "backpaid": facts.backpaid is None,
        "paid_on": facts.paid_on is None and not facts.paid_month,
        "years": not facts.years,
    }.get(fact, False)
