"""Conversations where a fact is told in a form that used to be lost: a payment made in one year
for the next, a second personal figure asked in the first message, a years answer with a split
verb and a reimbursement answer said of "these two years", a group denied."""

from __future__ import annotations

import pytest

from tests.bot.conftest import Talk


@pytest.mark.parametrize(
    "answer",
    [
        "2025年那年是没得医保的，11月交的是2026年的",
        "25年没买，11月份交的是26年的",
    ],
)
def test_a_payment_in_2025_for_2026_says_nothing_of_2025(answer):
    talk = Talk("2026-03-10")
    asked = talk.say("我就2025年11月交过一次医保，2026年住院封顶线是多少？")[-1]
    assert "2025年" in asked.text and asked.intent == "ask:years"
    summary = talk.say(answer)[-1]
    assert summary.intent == "confirm", summary.text
    assert "再告诉我一次" not in summary.text
    assert "2025年没有参保" in summary.text and "2026年在重庆参加居民医保" in summary.text
    assert "2025年11月交的" in summary.text
    assert talk.state is not None
    assert talk.state.facts.years == {2025: "uninsured", 2026: "insured"}


def test_a_second_figure_asked_in_the_first_message_is_answered_after_the_first():
    talk = Talk("2027-12-01")
    replies = talk.say("我2025、2026年都没交，今年交了，今年11月又交了明年的，要等多久才能报？明年封顶线又是多少？")
    replies += talk.say("今年一次都没报销过")
    last = talk.say("对")
    replies += last
    texts = [r.text for r in replies]
    assert any("大病保险最高支付限额是204,000元" in t for t in texts), texts
    assert any("2028年您没有等待期" in t for t in texts), texts
    assert not any(r.intent and r.intent.startswith("ask:") for r in last)


def test_the_second_figure_asks_only_what_it_still_lacks():
    talk = Talk("2027-12-01")
    talk.say("我2025年交了，2026、2027年都没交，今年11月交了明年的，明年封顶线是多少？要等多久？")
    talk.say("2025年没报销过")
    replies = talk.say("对")
    assert "大病保险最高支付限额是192,000元" in replies[0].text
    assert replies[-1].intent == "ask:backpaid" and "2026、2027年断保" in replies[-1].text
    summary = talk.say("没有补缴")[-1]
    assert summary.intent == "confirm" and "等待期" in summary.text
    assert "4个月" in talk.say("对")[0].text


@pytest.mark.parametrize(
    "years, claims",
    [
        ("娃儿2025年、2026年都参了保，2026年10月又交了2027年的", "这两年都莫得报过销"),
        ("娃儿25年26年都参过保，26年10月又交了27年的", "两年都没去报过销"),
        ("二五年、二六年都参了保的，二六年十月交了二七年的", "这两年一次都没报过"),
    ],
)
def test_years_then_zero_claims_answered_after_a_cap_question(years, claims):
    talk = Talk("2027-01-05")
    assert talk.say("我家娃儿今年大病保险最高能报好多？")[-1].intent == "ask:years"
    asked = talk.say(years)[-1]
    assert asked.intent == "ask:zero_claim", asked.text
    summary = talk.say(claims)[-1]
    assert summary.intent == "confirm", summary.text
    assert "2025、2026年一次都没有用医保报销" in summary.text
    assert talk.state is not None and talk.state.facts.zero_claim == {2025: True, 2026: True}
    assert "208,000元" in talk.say("对")[0].text


def test_a_denied_group_is_not_filed_and_a_plain_resident_is_the_general_group():
    talk = Talk("2026-11-22")
    summary = talk.say("普通居民，不是学生也不是低保户，2025年交了，2026年也交了，都没报销过，2027年封顶线多少？")
    shown = " ".join(r.text for r in summary)
    assert "低保" not in shown and "学生" not in shown
    assert talk.state is not None and talk.state.facts.group == "general"


def test_a_group_withdrawn_later_is_dropped():
    talk = Talk("2026-11-22")
    talk.say("我是低保户，2027年封顶线多少？")
    assert talk.state is not None and talk.state.facts.group == "low_income"
    talk.say("不对，我其实不是低保户，2025年和2026年都交了")
    assert talk.state.facts.group is None


def test_a_waiting_question_asked_beside_the_cap_is_taken_up_when_the_cap_is_worked_out_at_once():
    talk = Talk("2026-12-15")
    replies = talk.say("我女儿2025、2026年都没交，这个月交了2027年的，明年封顶线是多少？好久才能报得到？")
    assert any("192,000元" in r.text for r in replies)
    assert replies[-1].intent == "ask:backpaid", replies[-1].text  # the one fact the waiting period lacks
    talk.say("没补缴")
    months = talk.say("对")
    assert any("等待期是4个月" in r.text for r in months), [r.text for r in months]


def test_a_fact_said_again_at_the_summary_lets_the_summary_stand():
    talk = Talk("2026-11-22")
    talk.say("我10月份交了明年的，哪天开始能用医保？")
    summary = talk.say("25年26年都交了")[-1]
    assert summary.intent == "confirm", summary.text
    replies = talk.say("从来没有断过")
    assert any("2027年1月1日" in r.text for r in replies), [r.text for r in replies]


def test_a_fact_told_after_a_result_reopens_that_result_with_it():
    talk = Talk("2026-12-10")
    first = talk.say("我2025、2026年都没交，上个月交了2027年的，明年封顶线是多少？")
    assert any("192,000元" in r.text for r in first)
    again = talk.say("补缴了一年")[-1]
    assert again.intent == "confirm", again.text  # not "好的，记下了。您想了解哪一项？"
    assert any("192,000元" in r.text for r in talk.say("对"))  # back-payment does not restore the cap
