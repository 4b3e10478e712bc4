"""Bad input gets a short polite reply and the conversation stays usable."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation.dialogue import respond
from bot.conversation.state import State
from tests.bot.conftest import Talk

BAD = [
    "",
    "   ",
    "x" * 5000,
    "断保" * 2500,
    "😀😀😀",
    "🙏",
    "What is my insurance cap?",
    "hello?",
    "1990年",
    "3025年",
    "？？？",
    "\x00\x01",
    "年年年年",
    "2025-13-45",
]


@pytest.mark.parametrize("message", BAD, ids=lambda m: repr(m[:12]))
def test_bad_input_gets_a_short_reply_and_the_question_is_still_open(message):
    talk = Talk("2026-11-22")
    talk.say("我2025年和2026年都没交，2027年要等多久")
    assert talk.state.pending == "backpaid"
    replies = talk.say(message)
    assert replies and all(r.text for r in replies)
    assert all(len(r.text) < 400 for r in replies)
    talk.say("没有补缴")
    talk.say("对")
    assert "4个月" in talk.seen()


def test_long_paste_is_refused_politely():
    talk = Talk("2026-11-22")
    reply = talk.say("医保" * 2600)[0]
    assert "太长" in reply.text


def test_years_before_2025_and_impossible_years_are_explained():
    talk = Talk("2026-11-22")
    assert "2025年" in talk.text("我1990年就参保了，封顶线多少")
    assert "3025年" in talk.text("3025年要等多久")


def test_a_year_said_both_ways_is_asked_again():
    talk = Talk("2026-11-22")
    reply = talk.say("我2025年交了也没交，2026年要等多久")[-1]
    assert "2025年" in reply.text and "交了吗" in reply.text
    talk.say("交了")
    assert talk.state.facts.years[2025] == "insured"


def test_a_stale_button_is_answered_not_obeyed():
    replies, state = respond(None, "backpaid:3", dt.date(2026, 11, 22))
    assert replies and state.facts.backpaid is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    messages=st.lists(st.text(max_size=80), min_size=1, max_size=5),
    day=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2035, 12, 31)),
)
def test_random_input_never_raises_and_always_replies(messages, day):
    state: State | None = None
    for message in messages:
        replies, state = respond(state, message, day)
        assert replies and all(isinstance(r.text, str) and r.text for r in replies)
        State.model_validate_json(state.model_dump_json())


WORDS = [
    "2025年",
    "2026年",
    "没交",
    "交了",
    "对",
    "不对",
    "没有",
    "补缴了1年",
    "封顶线多少",
    "要等多久",
    "什么时候能报销",
    "重新开始",
    "取消",
    "继续",
    "years:all",
    "years:none",
    "yes",
    "no",
    "1月10号",
    "孩子2026年1月10日出生",
    "低保",
    "在外地参保",
    "职工医保",
    "都没报销过",
    "如果我补缴一年呢",
    "改一下",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    messages=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("，".join), min_size=1, max_size=8),
    day=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_random_conversations_of_real_phrases_never_raise(messages, day):
    state: State | None = None
    for message in messages:
        replies, state = respond(state, message, day)
        assert replies and all(r.text for r in replies)


def test_a_year_far_in_the_future_gets_one_polite_reply_with_the_valid_range():
    replies, _ = respond(None, "我3026年交了医保", dt.date(2026, 11, 24))
    assert len(replies) == 1
    assert "3026年" in replies[0].text and "2025年到2027年" in replies[0].text
