"""Whatever a person types, reading it never raises and the answers keep their shape."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.conversation.router import understand
from intents.slots import extract

PIECES = st.sampled_from(
    [
        "2025年",
        "25年",
        "二〇二五年",
        "去年",
        "明年",
        "没交",
        "交了",
        "断了",
        "两年",
        "补缴了1年",
        "12月10号",
        "2026-12-10",
        "，",
        "但",
        "对",
        "不是",
        "😀",
        "abc",
        "13812345678",
        "3025年",
        "1990年",
        "出生",
        "零报销",
        "外地",
        "职工医保",
        " ",
    ]
)
TEXT = st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=30).map("".join))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_extract_never_raises_and_years_stay_valid(text, today):
    slots = extract(text, today)
    assert all(2000 <= y <= today.year + 20 for y in slots.years)
    assert all(2000 <= f.year <= today.year + 20 for f in slots.facts)
    assert set(slots.pii) <= {"id_card", "phone"}


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_understand_never_raises_and_scores_stay_in_range(text):
    decision = understand(text)
    assert decision.kind in ("match", "ambiguous", "out_of_scope")
    assert 0.0 <= decision.score <= 1.0
    assert (decision.intent is not None) == (decision.kind == "match")
