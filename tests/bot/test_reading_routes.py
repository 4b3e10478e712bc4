"""Where a message goes: a history told with one's own figure asked is worked out even when every
similarity is low; a rule asked in no word of a personal figure is the rule's answer; a yes/no
policy question told with one's history is the policy answer."""

from __future__ import annotations

import datetime as dt

import pytest

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


def test_a_slip_taken_back_in_the_same_message_keeps_what_is_said_last():
    from intents.slots import extract

    slots = extract("2025年是交了的，哎说错了，2025年没有交", dt.date(2026, 1, 5))
    assert [(f.year, f.status) for f in slots.facts] == [(2025, "uninsured")] and slots.conflicts == []


def test_a_stop_dated_in_a_later_year_says_nothing_of_the_year_before():
    from intents.slots import extract

    slots = extract("2025年在公司交的职工医保，2026年4月离职就停了", dt.date(2026, 10, 10))
    assert [(f.year, f.status) for f in slots.facts] == [(2025, "employee")] and slots.conflicts == []


def test_two_figures_asked_in_clauses_of_one_question_are_both_worked_out():
    text = _text(
        one_shot("我前年去年都参了保，两年都没用过医保，今年是1月20号交的，哪天起能用，封顶线多少", dt.date(2027, 3, 1))
    )
    assert "208,000元" in text and "2027年2月1日" in text, text


@pytest.mark.parametrize(
    "turns",
    [
        # after a result: both figures worked out, one after the other
        [
            "我25年参了保，那年看病报过，26、27两年都没参保，2027年12月交了2028年的",
            "那要等多久？封顶线又是多少？",
            "没有补缴",
        ],
        # while a form question is pending: the form kept, the other figure added
        [
            "我断了两年保，2027年12月交了2028年的，要等多久",
            "等多久嘛？封顶线是好多？",
            "没补过",
            "2025年交了的，住院报过",
        ],
    ],
)
def test_two_figures_asked_again_are_both_worked_out_without_a_policy_detour(turns):
    talk = Talk("2028-01-03")
    talk.say(turns[0])
    again = talk.text(turns[1])
    assert "补缴" in again and "只靠连续参保" not in again, again
    for turn in turns[2:]:
        talk.say(turn)
    done = talk.text("对")
    assert "等待期是4个月" in done and "192,000元" in done, done


def test_a_break_paid_for_at_once_is_not_read_as_the_students_entry():
    from bot.conversation.router import understand

    assert understand("断保了一年，现在交了钱是不是马上可以报销了？").intent != "student_period_waiting"


def test_a_denied_employee_insurance_is_no_employee_year():
    from intents.slots import extract

    slots = extract("2025、2026年在外省也没参过保，职工医保也没有", dt.date(2027, 5, 20))
    assert not [f for f in slots.facts if f.status == "employee"], slots.facts
    assert not [f for f in extract("2026年没有交职工医保", dt.date(2027, 5, 20)).facts if f.status == "employee"]


def test_nothing_at_all_and_some_years_are_not_questions():
    from bot.conversation.reading import asks

    assert not asks("他一直在重庆交的，没断过，也没补缴啥子")
    assert not asks("这几年身体好，一次都没去报过")
    assert asks("补缴有啥子用") and asks("断了几年要等多久")


def test_facts_told_of_a_relative_after_the_result_show_the_summary_and_the_figure_again():
    talk = Talk("2026-05-12")
    talk.say("帮我爸问下，他2025年在重庆参了保，一年都没报过销，2025年11月又交了2026年的，他今年大病最高报好多")
    again = talk.text("他一直都在重庆参保的，没断过，也没补缴什么")
    assert "对吗" in again, again
    assert "204,000元" in talk.text("对"), talk.seen()


def test_a_policy_question_naming_a_year_after_a_result_does_not_move_the_year_asked_about():
    talk = Talk("2027-04-02")
    talk.say("我2025年交的职工医保，2026年转成居民医保交了，2026年没报过，2026年12月交了2027年的，今年封顶线多少")
    talk.say("2025年那年职工医保也没报过，这个算不算零报销嘛？")
    again = talk.text("都是在重庆，一天都没断过")
    assert "2027年的大病保险最高支付限额" in again or "2027年您的大病保险最高支付限额是204,000元" in again, again


def test_the_reward_used_in_a_year_is_that_years_reward_used():
    from intents.slots import extract

    slots = extract("2026年参了保，住院花得多，大病保险把奖励的4000块额度都用完了", dt.date(2027, 3, 1))
    assert (2026, "reward_used") in {(f.year, f.status) for f in slots.facts}


def test_never_insured_said_before_the_question_files_every_year_it_needs():
    talk = Talk("2027-11-15")
    talk.say("外甥女2025年5月3号出生的，一直没给她参保")
    text = talk.text("现在要交2028年度的，等待期多久？")
    assert "2025至2027年断保" in text, text


def test_a_claim_with_a_figure_is_answered_by_the_entry_it_is_about():
    text = _text(one_shot("大病保险是不是要自己另外再交三百块钱", dt.date(2026, 12, 1)))
    assert "不用另外交钱" in text, text
    text = _text(one_shot("听说今年居民医保一档要交五百块了，是不是", dt.date(2026, 12, 1)))
    assert "400" in text and "12393" not in text.split("。")[0], text


def test_an_entry_naming_more_of_the_questions_notions_than_any_uncovered_question_answers_it():
    text = _text(one_shot("断一年保降4000，总共最多降到原来封顶线的百分之多少", dt.date(2026, 12, 1)))
    assert "20%" in text, text


@pytest.mark.parametrize(
    "today, turns, wanted",
    [
        # never paid, to "有没有补缴": no back-payment
        (
            "2025-12-15",
            ["2025年我没参保，今天交了2026年度的，哪天开始能报销", "以前也从来没交过"],
            ["对吗", "没有补缴"],
        ),
        # the case told again after the result: the same figure said again
        (
            "2026-08-01",
            ["外孙2026年3月8号出生，6月20号才给他交的医保，哪天起能报销", "以前哪里都没参过保，是头一回"],
            ["结果不变", "2026年6月21日"],
        ),
        # no special group said at the summary: the summary stands
        (
            "2026-12-10",
            [
                "2025、2026两年我都没交，2026年11月交了2027年的，要等多久",
                "没补缴",
                "就是一般的居民，不是低保也不是学生",
            ],
            ["等待期是4个月"],
        ),
    ],
)
def test_a_statement_in_the_conversation_is_read_as_meant(today, turns, wanted):
    talk = Talk(today)
    for turn in turns[:-1]:
        talk.say(turn)
    text = talk.text(turns[-1])
    assert all(w in text for w in wanted), text


@pytest.mark.parametrize(
    "question, wanted",
    [
        # a second question that names no subject takes the first one's (the students')
        ("在渝读大学的学生医保交好多钱？每年啥时候交？", ["400", "每年9月"]),
        # one predicate said of two things: each answered
        ("居民大病保险的起付线与封顶线各是好多", ["19856", "20万"]),
        # two clauses of one question that each ask: each answered
        ("断缴两年大病封顶线少好多，等待期又是几个月？", ["8000", "4个月"]),
        # the clauses of a question yibao does not answer are not answered one by one
        ("惠民保明年多少钱一份，有没有年龄限制", ["12393", "不在我能回答的范围"]),
    ],
)
def test_several_questions_in_one_message_are_read_apart(question, wanted):
    text = _text(one_shot(question, dt.date(2026, 12, 1)))
    assert all(w in text for w in wanted), text
