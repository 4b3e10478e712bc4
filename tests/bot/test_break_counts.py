"""A number of years of break said without calendar years: a general question opens with the
figures for that number; a personal one whose count reaches before the first year the rules count
says so, quoting 37号 四.2, with what counts and what the rule gives for the years said."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.conversation.dialogue import respond
from faq import load
from rules.policy import first_year

TODAY = dt.date(2026, 11, 22)  # paying now is for the 2027 insured year
FIRST = first_year()
QUOTE = "以前年度是否连续参保不计连续参保年限和断保年限"


def said(message: str, once: bool) -> str:
    return "\n".join(r.text for r in respond(None, message, TODAY, once=once)[0])


@pytest.mark.parametrize("once", [True, False])
@pytest.mark.parametrize(
    ("message", "figures"),
    [
        ("断保3年后重新参保，大病保险封顶线会少多少钱", ["按断保3年算", "降低12000元", "封顶线为188000元"]),
        ("断保十年的话大病封顶线还剩多少", ["按断保10年算", "降低40000元", "封顶线为160000元"]),
        ("如果连着断缴六年，等待期要多久", ["按断保6年算", "待遇等待期8个月", "至少还要等6个月"]),
        ("断保三年，等待期几个月", ["按断保3年算", "待遇等待期5个月", "补缴全部3年", "等待期3个月"]),
        ("断了两年医保，两年都补缴了还要等几个月", ["按断保2年算", "待遇等待期4个月", "补缴全部2年", "等待期3个月"]),
        ("断了两年，补交一年的话等待期还剩多久", ["按断保2年算", "补缴1年", "等待期3个月"]),
        ("要是断缴四年，补缴完至少等多久", ["按断保4年算", "待遇等待期6个月", "补缴不能再减少，至少还要等6个月"]),
    ],
)
def test_a_general_question_with_a_count_opens_with_that_counts_figures(message, figures, once):
    text = said(message, once)
    assert text.startswith("按断保")
    assert [f for f in figures if f not in text] == []
    assert "不是" not in text.split("\n")[0]  # a general question gets no note on years before the first


def test_the_entrys_answer_and_excerpts_follow_the_figures():
    replies = respond(None, "断保3年后重新参保，大病保险封顶线会少多少钱", TODAY, once=True)[0]
    entry = load().entry("break_cap_reduction")
    opening, _, rest = replies[0].text.partition("\n")
    assert opening.startswith("按断保3年算") and rest == entry.answer
    assert [s.excerpt for s in replies[0].sources] == [e.text for e in entry.excerpts[:2]]


@pytest.mark.parametrize("message", ["断保会降低大病封顶线吗", "断保以后等待期怎么算"])
def test_a_question_without_a_count_is_answered_as_before(message):
    replies = respond(None, message, TODAY, once=True)[0]
    entry = load().entry(replies[0].intent)
    assert replies[0].text.startswith(entry.answer) and not replies[0].text.startswith("按断保")


@pytest.mark.parametrize("once", [True, False])
def test_a_relatives_count_before_the_first_year_is_said_with_both_figures(once):
    text = said("我妈断了五年医保，2026年重新交，她的封顶线是多少", once)
    assert "您说断保5年" in text and QUOTE in text
    assert f"到2026年度，能算作断保的最多1年（{FIRST}年），不是5年" in text and "下面按断保1年计算" in text
    assert "如果断保5年都算" in text and "封顶线为180000元" in text
    if once:
        assert "196,000元" in text  # what counts now: one broken year


def test_a_personal_wait_with_a_long_count_says_what_counts_in_one_message():
    text = said("我断了6年没交，现在交要等多久", once=True)
    assert f"到2027年度，能算作断保的最多2年（{FIRST}、{FIRST + 1}年），不是6年" in text and QUOTE in text
    assert "如果断保6年都算" in text and "待遇等待期8个月" in text and "至少还要等6个月" in text
    assert "2027年您的等待期是4个月" in text  # the two years that count, computed


def test_in_the_chat_the_note_comes_before_the_next_question():
    replies, state = respond(None, "我断了6年没交，现在交要等多久", TODAY)
    assert "不是6年" in replies[0].text and QUOTE in replies[0].text
    assert "补缴" in replies[-1].text and state.pending == "backpaid"
    replies, state = respond(state, "没有补缴", TODAY)
    assert f"{FIRST}、{FIRST + 1}年没有参保" in replies[-1].text and "对吗" in replies[-1].text
    replies, _ = respond(state, "对", TODAY)
    assert "您的等待期是4个月" in "\n".join(r.text for r in replies)


@pytest.mark.parametrize("once", [True, False])
def test_a_count_that_fits_since_the_first_year_gets_no_note(once):
    text = said("我断保了两年，要等多久", once)
    assert QUOTE not in text and "不是2年" not in text
