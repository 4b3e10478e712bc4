"""Fuzz: the text pipeline, the privacy filter, FAQ search, the dialogue manager and a turn
through the store never raise, whatever the text (surrogates, controls, emoji, 10^4 chars)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bot.conversation import inbound, privacy
from bot.conversation.dialogue import respond
from bot.conversation.session import turn
from bot.conversation.state import State
from bot.conversation.store import MemoryStore
from tests.fuzz.strategies import messages

days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2100, 12, 31))


def usable(text: str) -> bool:
    """What every face lets through to the pipeline (bot.conversation.inbound)."""
    return inbound.problem(text, inbound.MAX_CHARS) is None


@given(messages, days)
def test_the_text_pipeline_never_raises(text, today):
    from intents.slots import extract
    from intents.text import normalise, tokens

    if not usable(text):
        return
    assert isinstance(normalise(text), str)
    assert all(isinstance(t, str) for t in tokens(text))
    extract(text, today)


@given(messages)
def test_the_privacy_filter_never_raises_and_masks_in_place(text):
    privacy.personal(text)
    privacy.blank(text)
    masked = privacy.mask(text)
    assert len(masked.encode("utf-16-le", "surrogatepass")) == len(text.encode("utf-16-le", "surrogatepass"))


@given(messages)
def test_faq_search_never_raises(text):
    from faq import search

    if usable(text):
        assert isinstance(search(text, k=3), list)


@given(st.lists(messages, min_size=1, max_size=6), days)
def test_the_dialogue_manager_never_raises_and_always_replies(texts, today):
    state: State | None = None
    for text in texts:
        if not usable(text):
            continue
        replies, state = respond(state, text, today)
        assert replies and all(reply.text for reply in replies)
        State.model_validate_json(state.model_dump_json())


@given(st.lists(messages, min_size=1, max_size=6), days)
def test_a_turn_through_the_store_never_raises_and_never_keeps_what_was_typed(texts, today):
    store = MemoryStore()
    for text in texts:
        replies = turn(store, "cli:fuzz", text, today)
        assert replies and all(reply.text for reply in replies)
        kept = store.raw("cli:fuzz") or ""
        for kind_text in ("13812345678", "500101 19900101 1234"):
            assert kind_text not in kept
