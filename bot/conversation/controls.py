"""The conversation's own moves: restart, cancel, forget, resume, the details of the last
result, conversation replies, a pick among the questions offered, and the values option buttons
send back."""

from __future__ import annotations

import datetime as dt
import re

from bot import buttons
from bot.answers import wording as w
from bot.answers.questions import ask_task
from bot.answers.replies import conversation_reply
from bot.conversation.faq_turns import _faq, _reminder
from bot.conversation.fill import FILL, said_value
from bot.conversation.forms import _answer, _compute, _what_if_value, advance
from bot.conversation.reading import CONVERSATION, TASKS
from bot.conversation.state import State, WhatIf
from bot.models import Reply


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
