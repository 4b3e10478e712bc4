"""A contributions question naming people or asking the tiers' difference gets the worked figure
first, then the usual answer and its cited excerpt; one naming nobody is answered as before; one
about a year the sources give no standard for is told so, with the hotline."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.answers.replies import faq_reply_for
from bot.cli.ask import answer
from bot.conversation.dialogue import respond

TODAY = dt.date(2025, 11, 20)
USUAL = faq_reply_for("fees_2026")


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("全家五口人都选一档，2026年一共要交多少钱", "按2026年度的标准，5人都选一档：5×400元=2000元。"),
        ("一家4口都交一档要好多钱", "按2026年度的标准，4人都选一档：4×400元=1600元。"),
        ("两口子都买二档一年多少钱", "按2026年度的标准，2人都选二档：2×775元=1550元。"),
        ("我和老婆还有两个娃儿都交一档，一共多少", "按2026年度的标准，4人都选一档：4×400元=1600元。"),
        ("我们家两个一档一个二档，一共多少钱", "按2026年度的标准，2人选一档、1人选二档：2×400元+1×775元=1575元。"),
        (
            "我和老婆都交二档，孩子交一档，总共好多钱",
            "按2026年度的标准，2人选二档、1人选一档：2×775元+1×400元=1950元。",
        ),
        ("一家三口交居民医保要多少钱", "按2026年度的标准，3人都选一档：3×400元=1200元，都选二档：3×775元=2325元。"),
        (
            "全家5口，2个一档2个二档，一共多少钱",
            "按2026年度的标准，2人选一档、2人选二档：2×400元+2×775元=2350元；"
            "另外1人选一档：1×400元=400元，选二档：1×775元=775元。",
        ),
    ],
)
def test_the_answer_opens_with_the_household_total_and_its_working(question, opening):
    r = answer(question, TODAY)
    assert r["intent"] == "fees_2026"
    assert r["answer"].startswith(opening)
    assert r["answer"][len(opening) :].startswith(USUAL.text)  # then the usual answer
    assert r["sources"] and "一档400元" in r["sources"][0]["excerpt"]  # and its cited excerpt


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("二档比一档多交多少", "按2026年度的标准，二档比一档每人每年多交：775元−400元=375元。"),
        ("一档和二档差多少钱", "按2026年度的标准，二档比一档每人每年多交：775元−400元=375元。"),
        (
            "3个人选二档比选一档贵好多",
            "按2026年度的标准，二档比一档每人每年多交：775元−400元=375元；3人都选二档比都选一档多交：3×375元=1125元。",
        ),
    ],
)
def test_the_difference_between_the_tiers_is_worked_out(question, opening):
    r = answer(question, TODAY)
    assert r["intent"] == "fees_2026"
    assert r["answer"].startswith(opening)


def test_a_student_asking_the_difference_gets_the_students_entry_with_the_figure():
    r = answer("大学生选二档比一档贵多少", TODAY)
    assert r["intent"] == "student_fees"
    assert r["answer"].startswith("按2026年度的标准，二档比一档每人每年多交：775元−400元=375元。")
    assert "在渝高校大学生" in r["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "居民医保一档二档各多少钱",
        "2026年居民医保一档缴费金额",
        "居民医保一个人一年交多少",
        "二档一年交多少钱",
        "医保费比去年贵多少",
    ],
)
def test_a_question_naming_nobody_is_answered_as_before(question):
    r = answer(question, TODAY)
    assert r["intent"] == "fees_2026"
    assert r["answer"] == USUAL.text
    assert "×" not in r["answer"] and "按2026年度的标准" not in r["answer"]


@pytest.mark.parametrize("question", ["2027年度缴费标准是多少", "2027年全家4口都交一档要多少钱", "28年二档多少钱"])
def test_a_year_without_a_standard_is_not_answered_with_another_years_amounts(question):
    r = answer(question, TODAY)
    assert r["intent"] is None
    assert "只给出了2026年度" in r["answer"] and "12393" in r["answer"]
    assert "400" not in r["answer"] and "775" not in r["answer"] and "×" not in r["answer"]


def test_the_figure_is_also_given_in_a_conversation():
    replies, _ = respond(None, "全家5口人都选二档，一共交多少", TODAY)
    assert replies[0].text.startswith("按2026年度的标准，5人都选二档：5×775元=3875元。")
    assert replies[0].sources
