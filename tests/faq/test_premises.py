"""A wrong premise in a question is found against the answer: corrected, never invented."""

import pytest

from faq import load
from faq.premises import claimed, correction, figures


def _answer(entry_id: str) -> str:
    return next(e.answer for e in load().entries if e.id == entry_id)


@pytest.mark.parametrize(
    "question, entry, right",
    [
        ("听说连续交满三年就有奖励了吧", "continuous_incentive_what", "4年"),
        ("满4年以后是不是每年加5000", "continuous_incentive_what", "4000元"),
        ("断保一年等待期是不是4个月", "waiting_fixed", "3个月"),
        ("有人说大病封顶线最高能涨到30万", "incentive_ceiling", "24万元"),
    ],
)
def test_a_figure_the_answer_contradicts_is_corrected_with_the_answers_figure(question, entry, right):
    fixed = correction(question, _answer(entry))
    assert fixed is not None and fixed.startswith("不是") and right in fixed


@pytest.mark.parametrize(
    "question, entry",
    [
        ("断保1年要等多久", "waiting_fixed"),  # no claim, a question
        ("我断了5年，补缴后是不是等6个月", "repair_floor_six_months"),  # the own case is no claim
        ("一档400元对吧", "fees_2026"),  # a right claim
        ("集中参保期是不是2025年9月开始", "collection_period"),  # a calendar year is no span
    ],
)
def test_a_question_without_a_wrong_figure_gets_no_correction(question, entry):
    assert correction(question, _answer(entry)) is None


def test_figures_read_chinese_numerals_and_leave_calendar_years_and_months_of_the_year_alone():
    kinds = {(f.kind, f.value) for f in figures("断保三年，2025年3月交了四千块，等两个月")}
    assert kinds == {("years", 3.0), ("money", 4000.0), ("months", 2.0)}


def test_the_claim_is_what_follows_the_claim_word_or_the_clause_before_a_trailing_ba():
    assert claimed("我断了5年，补缴后是不是等6个月") == "是不是等6个月"
    assert claimed("满三年就加四千了吧") == "满三年就加四千了吧"
    assert claimed("断保1年要等多久") is None


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("每年提高4千元", "money", 4000),
        ("提高4千", "money", 4000),
        ("报销七成", "share", 70),
        ("报销一半", "share", 50),
    ],
)
def test_an_amount_or_share_in_other_words_is_read_as_its_figure(text, kind, value):
    assert [(f.kind, f.value) for f in figures(text)] == [(kind, value)]


@pytest.mark.parametrize("text", ["成年人参保", "4千人参保", "变成居民医保"])
def test_a_thousand_people_or_a_word_with_cheng_is_no_amount(text):
    assert figures(text) == []


def test_a_premise_in_thousands_is_checked_against_the_answer_in_yuan():
    assert correction("听说满4年就每年加5千了吧", "连续参保满4年后，每年提高1000元") == "不是5000元，按规定是1000元。"
    assert correction("听说满4年就每年加1千了吧", "连续参保满4年后，每年提高1000元") is None


def test_an_answer_that_opens_by_denying_the_claim_gets_no_figure_swapped_in():
    answer = "不用另外交钱。参加居民医保就自动参加大病保险；2026年起大病保险起付线为19856元。"
    assert correction("大病保险是不是每年要另外交一百块", answer) is None


def test_a_denying_answer_still_corrects_a_claimed_figure_of_the_same_size():
    answer = "不用另外交钱。参加居民医保就自动参加大病保险；2026年起大病保险起付线为19856元。"
    assert correction("听说起付线是20856元，大病保险要另外交钱吗", answer) == "不是2.0856万元，按规定是1.9856万元。"
