"""A yes/no answer whose condition the question says is not met opens with the turned answer."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.service import ask
from faq.knowledge import Unless

DAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    "question",
    [
        "外地户口的人已经在老家领了养老退休，能不能以个人身份交重庆职工医保",
        "外省户口男的今年六十五岁，还能以个人身份交重庆职工医保吗",
    ],
)
def test_a_broken_condition_turns_the_opening_and_keeps_the_conditions(question):
    answer = ask(question, DAY)["answer"]
    assert answer.startswith("不能。") and "男未满63周岁" in answer


def test_a_met_or_denied_condition_keeps_the_yes():
    answer = ask("外地户口没有办退休，能以个人身份交重庆职工医保吗", DAY)["answer"]
    assert answer.startswith("可以。")


def test_the_chongqing_only_rule_turns_for_someone_from_outside():
    assert ask("重庆户口在外地办了退休，能回来交职工医保不", DAY)["answer"].startswith("可以。")
    assert ask("外省户口在外地退休了，能回重庆交职工医保吗", DAY)["answer"].startswith("不能。")


def test_a_condition_that_is_no_regular_expression_is_refused_on_loading():
    with pytest.raises(ValueError):
        Unless(when="退休(", opening="不能。……")


def test_someone_never_broken_is_told_the_cap_is_not_lowered_and_someone_broken_that_it_is():
    assert ask("一直按时交医保的人，大病封顶线会不会也被降低", DAY)["answer"].startswith("不会")
    assert ask("断保了，大病保险封顶线会降吗", DAY)["answer"].startswith("会。")
