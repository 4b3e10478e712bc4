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

This module holds `respond`, the rules and their order; what the rules do lives below it, and
nothing below imports it back: bot.conversation.message (one message read once),
bot.conversation.forms (start a task, file facts, ask, confirm, compute, the second figure,
what-if), bot.conversation.several (several questions, comparisons), bot.conversation.faq_turns
(policy answers, their neighbours and counts, the reminder after a detour),
bot.conversation.controls (restart, cancel, forget, conversation replies, option values) and
bot.conversation.once (`yibao ask`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot import buttons
from bot.answers import wording as w
from bot.answers.questions import ask_task
from bot.conversation import history as hist
from bot.conversation import privacy
from bot.conversation.controls import (
    _cancel,
    _conversation,
    _details,
    _forget,
    _is_value,
    _on_value,
    _restart,
    _resume,
)
from bot.conversation.faq_turns import (
    TOPIC_TASK,
    _clarify,
    _faq,
    _general_count,
    _out_of_scope,
    _pick,
    _reminder,
    topic_of,
)
from bot.conversation.fill import FILL, Said
from bot.conversation.forms import (
    _CORRECTION,
    _HYPOTHETICAL,
    _answer,
    _compute,
    _conflict,
    _correcting,
    _count_note,
    _file,
    _is_amend,
    _start_task,
    _statuses_fill,
    _straight,
    advance,
)
from bot.conversation.message import Message, _message
from bot.conversation.once import _handle_once_general, _once
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
    tasks_named,
)
from bot.conversation.router import Decision, split_questions, understand
from bot.conversation.several import several
from bot.conversation.state import State
from bot.models import Reply
from intents.slots import Slots, extract
from intents.text import normalise
from rules import policy

MAX_CHARS = 500

_CONTINUE = re.compile(r"^(?:好的?|嗯|行)?[，,]?(?:继续|接着)(?:吧|来|算|计算|算吧)?[。！!.]?$")
_DETAILS = re.compile(
    r"^(?:依据|根据|详情|详细|明细|过程|计算过程|怎么算的|咋个算的|为什么|为啥|看依据|看看依据|"
    r"展开|更多)[？?。！!]?$"
)
# question words that ask nothing: 前几天, 国庆节过后几天, 腊月二十几 (a time said roughly)
_NOT_ASKING = re.compile(r"[呢吧哦][。！!~]*$|过几天|[前后这]几天|好几|初几|十几|廿几")
# "集中参保期是什么时候": a policy term asked about, not one's own figure
_TERM_ASKED = re.compile(r"([\u4e00-\u9fff]{2,})(?:是|在)(?:什么时候|哪几个月|哪个月|几月|多少|多久|什么)")
_CHILD = re.compile(r"孩子|娃|宝宝|小孩|新生儿")


def _extract(text: str, today: dt.date) -> Slots:
    return extract(text, today)


def _understand(text: str) -> Decision:
    return understand(text)


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
        replies = _once(st, replies, message, today, _understand)
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


def _relevant_facts(st: State, slots: Slots) -> bool:
    return any(getattr(slots, name) for name in _RELEVANT.get(st.pending or "", ()))


_THIRD_PERSON = re.compile(r"^[^，。,]{0,4}(?:她|他|老人|孩子|娃儿?)")


def _is_correction(st: State, msg: Message, today: dt.date) -> bool:
    """Facts told after a result, of the history just used: a correction of it."""
    if st.task is not None or st.last_task is None or not msg.facts_said or _is_faq_question(msg):
        return False
    told = msg.slots.all_insured or msg.slots.none_insured or msg.slots.backpaid is not None
    return bool(_CORRECTION.search(msg.text)) or (
        not msg.asks and (of_oneself(msg.text, msg.slots) or told or bool(_THIRD_PERSON.search(msg.text)))
    )  # ("她一直在重庆交的，没断过": the relative asked about, told of after the result)


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

    named = asked = tasks_named(msg.text)
    each = [tasks_named(part) for part in split_questions(msg.text)]
    if len(named) == 2 and len(each) == 2 and all(len(n) == 1 for n in each):
        named = each[0]  # "要等多久？封顶线是多少？": the first asked now, the other after it (forms._second_task)
    if len(named) != 1 or not OWN_FIGURE.search(msg.text) or _HYPOTHETICAL.search(msg.text):
        return None
    said = msg.text + "\n" + normalise(msg.text)
    term = _TERM_ASKED.search(said)
    if term and not tasks_named(term.group(1)) and not FIRST_PERSON.search(msg.text) and not _CHILD.search(msg.text):
        return None  # (封顶线是多少 asks the figure itself)
    if is_faq(msg.intent) and TOPIC_TASK.get(topic_of(msg.intent or "") or "") not in (None, *asked):
        return None  # a policy question on another topic
    return named[0]


# "外省也没有，单位也没给我买过", "是第一次参保", "普通居民，不是学生": the case told again, nothing new
_TELLS_CASE = re.compile(
    r"第一次|头一回|首次|从来|哪里都|外省|外地|单位|普通|不是|也没|没有参|没参|没买|没交|就是\d{4}年"
)


def _tells_the_same(st: State, msg: Message, today: dt.date) -> bool:
    """After a result, a statement of the case that adds nothing to the history it used."""
    if st.task is not None or st.last_task is None or not st.last_results or msg.asks or msg.facts_said:
        return False
    return bool(_TELLS_CASE.search(msg.text)) and (msg.intent is None or is_faq(msg.intent))


def _handle_the_same(st: State, msg: Message, today: dt.date) -> list[Reply]:
    return [Reply(text=w.SAME_CASE + "\n".join(st.last_results), intent="same_case")]


def _handle_correction(st: State, msg: Message, today: dt.date) -> list[Reply]:
    task = msg.intent if msg.intent in TASKS and msg.asks else st.last_task
    trial = st.model_copy(deep=True)
    replies = _start_task(trial, task or "my_cap", msg.slots, msg.text, today, correcting=True)
    same = trial.facts.model_dump(exclude={"every_year"}) == st.facts.model_dump(exclude={"every_year"})
    if task == st.last_task and same and trial.pending == "confirm" and st.last_results:
        return _handle_the_same(st, msg, today)  # told again, nothing changed: the same figure
    st.__dict__.update(trial.__dict__)
    return replies


def _handle_pending(st: State, msg: Message, today: dt.date) -> list[Reply]:
    st.paused = False
    return _answer(st, Said(text=msg.text, slots=msg.slots), today)


def _no_group_said_again(st: State, msg: Message) -> bool:
    """At a summary that names no special group, a message saying the person is in none."""
    said = msg.slots.general or bool(msg.slots.not_groups)
    return said and st.facts.group is None and msg.slots.group is None and not msg.asks and not msg.facts_said


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
        if not conflicts and not msg.asks and msg.slots.yes is not True:
            return _compute(st, today)  # "没有断过" at the summary: the summary said again, so it stands
    yes = msg.slots.yes
    if yes is True and not msg.asks:
        return _compute(st, today)
    if _no_group_said_again(st, msg):
        return _compute(st, today)  # "普通居民，不是学生也不是低保户": the summary (no group) stands
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
    if chosen and chosen.startswith("task:") and msg.facts_said:  # "要交2028年度的，等待期多久": the facts too
        return _start_task(st, chosen.split(":", 1)[1], msg.slots, msg.text, today)
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


def _asks_figures_again(st: State, msg: Message, today: dt.date) -> bool:
    """ "要等好久？大病封顶线是好多？" while a question of the form is pending: the figure being
    worked out (and another one) asked again, not a policy question."""
    named = tasks_named(msg.text)
    return (
        st.task is not None
        and st.pending in FILL
        and msg.asks
        and not msg.facts_said
        and not msg.slots.years  # "那我2026年的封顶线是多少": another year's figure, a question of its own
        and st.task in named
        and len(named) <= 2
        and OWN_FIGURE.search(msg.text) is not None
    )


def _handle_figures_again(st: State, msg: Message, today: dt.date) -> list[Reply]:
    """The other figure asked kept for after this one; the pending question asked again."""
    other = [t for t in tasks_named(msg.text) if t != st.task]
    if other and st.next_task is None and not ({st.task, other[0]} <= {"my_waiting", "my_benefit_start"}):
        st.next_task = other[0]  # type: ignore[assignment]
    return [Reply(text=w.FIGURES_AFTER_FACTS, intent="resume"), *advance(st, today)]


def _handle_own_history_question(st: State, msg: Message, today: dt.date) -> list[Reply] | None:
    # (a menu word alone, "8月份开始交", does not make "这个算不算断保" a question of one's own figure)
    guess = likely_task(msg.decision) or (menu_task(msg.text) if OWN_FIGURE.search(msg.text) else None)
    if guess:  # a policy question asked with one's own history: work out one's own figure
        return _start_task(st, guess, msg.slots, msg.text, today)
    return None


def _handle_faq_detour(st: State, msg: Message, today: dt.date) -> list[Reply]:
    # a question about the policy in the middle: answered; facts only when said of oneself
    if msg.facts_said and of_oneself(msg.text, msg.slots):
        # ("2025年的职工医保也没报过，这个算不算零报销": the year a policy question names is no year asked about)
        told = msg.slots.model_copy(update={"target_year": None}) if st.task is None else msg.slots
        hist.apply_slots(st.facts, told, today)
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
        or (st.last_task if not msg.asks else None)  # facts told after a result: that result, with them
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


def _handle_several(st: State, msg: Message, today: dt.date) -> list[Reply] | None:
    return several(st, msg.text, msg.slots, today, _understand)


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
    Rule("the figures asked again while collecting", _asks_figures_again, _handle_figures_again),
    Rule("correction", _is_correction, _handle_correction),
    Rule("the same case told again after the result", _tells_the_same, _handle_the_same),
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


ONCE_RULES: tuple[Rule, ...] = (
    Rule("several policy questions", lambda st, m, t: m.intent not in TASKS, _handle_several),
    Rule("one message: not a personal question", lambda st, m, t: m.intent not in TASKS, _handle_once_general),
)
