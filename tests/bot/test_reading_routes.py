"""Where a message goes: a history told with one's own figure asked is worked out even when every
similarity is low; a rule asked in no word of a personal figure is the rule's answer; a yes/no
policy question told with one's history is the policy answer."""

from __future__ import annotations

import datetime as dt

from tests.bot.conftest import Talk
from tests.bot.test_one_shot import one_shot


def _text(replies) -> str:
    return "\n".join(r.text for r in replies)


def test_a_long_history_with_one_own_figure_asked_is_worked_out_not_refused():
    text = _text(
        one_shot(
            "我外甥一直是在云南那边参的保，2026年9月考进重庆的学校，9月18号在学校交了2027年度的，从哪天开始能报销？",
            dt.date(2026, 12, 1),
        )
    )
    assert "2026年9月19日" in text and "在外地参加居民医保" in text, text


def test_how_many_years_until_a_reward_is_the_rule_not_a_waiting_period():
    text = _text(one_shot("我爸2025年开始参保的，他得连着交几年才有连续参保的奖励嘛", dt.date(2026, 12, 1)))
    assert "满4年" in text and "等待期" not in text, text


def test_no_need_to_wait_asks_the_waiting_period():
    text = _text(one_shot("我2025到2028年断了4年，2029年交的时候4年全都补上了，是不是就不用等了", dt.date(2028, 12, 1)))
    assert "2029年您的等待期是6个月" in text and "补缴了4年" in text, text


def test_is_it_a_break_told_with_ones_history_gets_the_policy_answer():
    talk = Talk("2026-10-15")
    text = talk.text("我之前在公司交职工医保，2026年5月离职，7月份开始交居民医保，中间空了一个多月，这个算不算断保？")
    assert "不算断保" in text or "不视为" in text or "连续参保" in text, text
    assert "您参加了医保吗" not in text, text
