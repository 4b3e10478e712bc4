"""Slots: who pays on which contribution tier, and whether the tiers' difference is asked."""

from __future__ import annotations

import datetime as dt

import pytest

from intents.slots import extract

TODAY = dt.date(2025, 11, 20)


def payers(text: str) -> list[tuple[int, str | None]]:
    return [(p.people, p.tier) for p in extract(text, TODAY).payers]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全家5口都选一档", [(5, "一档")]),
        ("一家四口人交二档", [(4, "二档")]),
        ("6个人都买一档", [(6, "一档")]),
        ("十个人交一档", [(10, "一档")]),
        ("两个一档一个二档", [(2, "一档"), (1, "二档")]),
        ("我和老婆", [(2, None)]),
        ("我和老公都是二档", [(2, "二档")]),
        ("我和老婆还有两个娃儿都交一档", [(4, "一档")]),
        ("爸妈交一档，我和老婆交二档", [(2, "一档"), (2, "二档")]),
        ("全家4口，两个一档两个二档", [(2, "一档"), (2, "二档")]),
        ("全家5口，两个一档两个二档", [(1, None), (2, "一档"), (2, "二档")]),
    ],
)
def test_people_and_their_tier_are_read(text, expected):
    assert payers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "居民医保一个人一年交多少",
        "我老婆交二档多少钱",
        "一档多少钱",
        "2026年一档交多少",
        "二档775元/人一年",
        "断保3年要等几个月",
    ],
)
def test_one_person_or_no_one_is_no_count(text):
    assert payers(text) == []


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("二档比一档多交多少", True),
        ("一档和二档差多少", True),
        ("二档贵好多", True),
        ("一档二档各多少钱", False),
        ("医保费比去年贵多少", False),
        ("二档比去年涨了多少", False),
    ],
)
def test_the_difference_of_the_tiers_is_read(text, asked):
    assert extract(text, TODAY).tier_difference is asked


def test_years_written_as_numbers_are_told_apart_from_relative_ones():
    assert extract("2027年度缴费标准", TODAY).written_years == [2027]
    assert extract("明年缴费标准", TODAY).written_years == []


def test_a_household_counted_then_named_is_counted_once():
    slots = extract("我们家一共4口人，我、我老公、还有两个小孩，都选二档，总共交多少", TODAY)
    assert [(p.people, p.tier) for p in slots.payers] == [(4, "二档")]
