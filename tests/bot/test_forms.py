"""The conversation as forms: every kind of misreading found by the simulated member and the
blind conversations (issue 10), each with what the person sees."""

from __future__ import annotations

import pytest

from tests.bot.conftest import Talk


def _cap_talk(today: str = "2026-11-22") -> Talk:
    """A cap of 2027 asked step by step, waiting on "did you use the incentive amount in 2026?"."""
    talk = Talk(today)
    talk.say("我的封顶线是多少")
    talk.say("都交了")
    reply = talk.say("2025年没报销过，2026年报销了")[-1]
    assert reply.intent == "ask:reward_used"
    return talk


# --- the pending question wins ----------------------------------------------------------------


@pytest.mark.parametrize("answer", ["没用过", "没有", "没有用到过", "莫得用过", "no"])
def test_a_short_no_to_the_incentive_question_fills_it(answer):
    talk = _cap_talk()
    reply = talk.say(answer)[-1]
    assert reply.intent == "confirm" and "没有用过激励额度" in reply.text
    assert "204,000" in talk.text("对")


@pytest.mark.parametrize("answer", ["用到过", "yes", "26年用到过"])
def test_a_short_yes_to_the_incentive_question_fills_it(answer):
    talk = _cap_talk()
    reply = talk.say(answer)[-1]
    assert reply.intent == "confirm" and "2026年大病保险用过激励额度" in reply.text
    assert "200,000" in talk.text("对")  # used in 2026 (its cap 204,000): cleared from 2027 (37号 四.1)


def test_a_year_named_with_the_incentive_used_is_that_year():
    talk = Talk("2028-11-22")
    talk.say("2029年封顶线多少")
    talk.say("都交了")
    talk.say("2025年没报销过，其他年都报销了")
    reply = talk.say("28年用到过")[-1]
    assert "2028年大病保险用过激励额度" in reply.text


def test_not_paid_yet_in_dialect_is_an_answer_to_the_date_question():
    talk = Talk("2027-01-20")
    talk.say("我什么时候可以开始报销")
    talk.say("2025年交了，2026年没交")
    talk.say("没有")
    reply = talk.say("还莫得交")[-1]
    assert reply.intent == "ask:paid_on" and "打算哪天交" in reply.text
    assert all("12月31日前" not in o.label for o in reply.options)  # that day is past
    assert "2027年1月20日交的" in talk.text("现在交")  # paying now is today's payment


def test_two_years_back_paid_said_with_a_count_before_the_verb():
    talk = Talk("2026-11-22")
    talk.say("我2025年2026年都没交，2027年要等多久")
    reply = talk.say("两年都补缴了")[-1]
    assert "补缴了2年" in reply.text


# --- clause-scoped negation and ranges --------------------------------------------------------


def test_a_reimbursement_and_an_unused_incentive_are_two_facts():
    talk = Talk("2028-11-22")
    reply = talk.say("我2025到2028年都交了，2025年没报销，2026到2028年报销过，激励额度没用过，2029年封顶线多少")
    text = "\n".join(r.text for r in reply)
    assert "2026至2028年有过报销" in text and "没有用过激励额度" in text
    assert "208,000" in text  # 2025 zero claim +4,000, 5th continuous year +4,000


def test_every_year_reimbursed_with_the_incentive_unused_keeps_the_base_cap():
    talk = Talk("2026-11-22")
    text = "\n".join(r.text for r in talk.say("我2025、2026年都交了，每年都有报销，激励额度没用过，2027年封顶线多少"))
    assert "200,000" in text and "一次都没有用医保报销" not in text


def test_a_range_of_unpaid_years_marks_every_year_of_it():
    talk = Talk("2030-11-22")
    text = "\n".join(r.text for r in talk.say("2025、2026年都交了，2027年到2030年没交，2031年要等多久"))
    assert "2027至2030年没有参保" in text or "2027至2030年断保" in text


def test_a_range_in_chinese_numerals_is_enrolment_of_every_year():
    talk = Talk("2030-11-22")
    text = "\n".join(r.text for r in talk.say("二〇二五年没交，二〇二六年到二〇三〇年每年都在重庆交了，2031年要等多久"))
    assert "2026至2031年在重庆参加居民医保" in text


def test_never_broken_is_enrolment_of_every_year_asked_about():
    talk = Talk("2026-11-22")
    text = "\n".join(r.text for r in talk.say("以前从来没断过，2027年要等多久"))
    assert "2025至2027年在重庆参加居民医保" in text and "没有等待期" in text


# --- ask, don't assume ------------------------------------------------------------------------


def test_outside_the_collection_period_the_payment_day_is_asked_for():
    talk = Talk("2027-05-10")
    reply = talk.say("我2025年和2026年都交了，2027年要等多久")[-1]
    assert reply.intent == "ask:paid_on"
    talk.say("4月1号交的")
    assert "3个月" in talk.text("对")  # paid outside the collection period (42号 三)


def test_years_between_the_last_said_and_the_year_asked_about_are_asked():
    talk = Talk("2028-11-22")
    reply = talk.say("我2025年交了，2029年封顶线多少")[-1]
    assert reply.intent == "ask:years" and [o.value for o in reply.options][:3] == [
        "year:2026",
        "year:2027",
        "year:2028",
    ]


def test_a_child_first_insured_at_two_or_older_is_asked_about_the_years_before():
    talk = Talk("2027-05-10")
    reply = talk.say("孩子2024年3月出生，2027年要等多久")[-1]
    assert reply.intent == "ask:years" and "2025、2026年" in reply.text


def test_a_newborn_is_offered_no_day_before_birth_and_never_shown_an_error():
    talk = Talk("2026-12-01")
    reply = talk.say("孩子2026年11月20日出生，什么时候能报销")[-1]
    assert reply.intent == "ask:paid_on" and "2025年" not in reply.text
    assert all("2025年" not in o.label for o in reply.options)
    talk.say(reply.options[-1].value)  # 今天交的
    answer = talk.text("对")
    assert "2026年11月20日" in answer and "validation" not in answer


# --- dates in their place ---------------------------------------------------------------------


def test_a_payment_day_before_the_collection_period_of_the_year_asked_about_is_asked_about():
    talk = Talk("2027-05-10")
    talk.say("我2025、2026年都交了，2027年要等多久")
    reply = talk.say("2026年2月17日交的")[-1]
    assert "2026年2月17日交的是2026年的医保费" in reply.text and reply.intent == "ask:paid_on"


def test_a_december_payment_with_no_year_asked_about_is_for_the_next_year():
    talk = Talk("2026-12-20")
    talk.say("我什么时候能开始报销")
    talk.say("都交了")
    reply = talk.say("2026年12月5号交的")[-1]
    assert "2027年的保费是2026年12月5日交的" in reply.text


# --- corrections, second tasks, context -------------------------------------------------------


def test_a_second_task_asks_once_whether_the_remembered_history_holds():
    talk = Talk("2026-11-22")
    talk.say("我2025年2026年都交了，2025年没报销，2026年报销过，激励额度没用过，2027年封顶线多少")
    reply = talk.say("帮我算一下我的等待期")[-1]
    assert reply.intent == "confirm" and [o.value for o in reply.options] == ["yes", "no"]
    assert "没有等待期" in talk.text("对")


def test_a_correction_of_several_years_after_a_result_is_applied_whole():
    talk = Talk("2026-05-10")
    talk.say("我2025年交了，2026年也交了，要等多久")
    talk.say("2025年12月10日交的")
    talk.say("对")
    reply = talk.say("25、26两年其实没交，27年才交")[-1]
    assert reply.intent in ("ask:backpaid", "confirm")
    if reply.intent == "ask:backpaid":
        reply = talk.say("没有补缴")[-1]
    assert "2027年参保的等待期" in reply.text and "2025、2026年没有参保" in reply.text
    reply = talk.say("2026年12月交的")[-1]
    assert "2027年的保费是2026年12月交的" in reply.text
    assert "4个月" in talk.text("对")


def test_a_newborns_waiting_question_in_the_middle_is_about_that_child():
    talk = Talk("2026-05-10")
    talk.say("孩子2026年3月5日出生")
    talk.say("要等好久才能报销哦")
    text = talk.text("2026年4月1号交的")
    assert "3个月" not in text
    assert "没有等待期" in talk.text("对")


def test_after_a_cap_how_long_to_wait_is_ones_own_waiting_period():
    talk = Talk("2026-11-22")
    talk.say("我2025年2026年都交了，都报销过，2027年封顶线多少")
    reply = talk.say("那要等好久嘛？")[-1]
    assert reply.intent == "confirm" and "2027年参保的等待期" in reply.text


def test_a_cap_follow_up_after_a_waiting_period_is_ones_own_cap():
    talk = Talk("2026-11-22")
    talk.say("我2025年2026年都交了，2027年要等多久")
    reply = talk.say("那大病保险最多报好多？")[-1]
    assert reply.intent in ("ask:zero_claim", "confirm")


# --- the raised cap in the year it is used ----------------------------------------------------


def test_the_year_the_incentive_is_used_shows_the_raised_cap():
    talk = Talk("2026-11-22")
    text = "\n".join(
        r.text
        for r in talk.say(
            "我2025、2026年都交了，2025年没报销，2026年报销过，2027年也交了，2027年用了激励额度，2027年封顶线多少"
        )
    )
    assert "204,000" in text


# --- never an internal error ------------------------------------------------------------------


def test_a_history_the_rules_refuse_becomes_a_question_about_the_facts():
    talk = Talk("2026-11-22")
    talk.say("我2025、2026年都交了，2026年一次都没报销过，2027年封顶线多少")
    talk.say("2025年报销过")
    talk.say("2026年用过激励额度")
    reply = talk.say("对")[-1]
    assert "validation" not in reply.text and "Value error" not in reply.text
    assert reply.intent == "conflict" and "2026年既是零报销年度又使用了奖励额度" in reply.text
    assert talk.say("2026年报销过")[-1].intent == "confirm"  # the corrected fact, confirmed again


def test_a_correction_after_a_straight_result_reopens_the_same_question():
    talk = Talk("2028-11-06")
    first = talk.say(
        "我2025、2027、2028年都交了，2026年没交，2025年没报销过，2027、2028年有报销，激励额度没用过，2029年封顶线多少"
    )
    assert first[0].text.startswith("按您说的情况") and first[-1].figures["cap"] == 200000
    reply = talk.say("不是，2026年在重庆交了城乡居民医保")[-1]
    assert reply.intent in ("ask:zero_claim", "confirm") and "大病保险最高支付限额" in talk.seen()
    if reply.intent == "ask:zero_claim":
        talk.say("2026年报销过")
    assert "208,000" in talk.text("对")  # 2025 zero claim +4,000; 2025-2028 four years, 2029 the fifth +4,000


def test_a_policy_question_on_another_topic_mid_form_is_a_detour_not_a_new_question():
    talk = Talk("2030-10-28")
    talk.say("2031年我的大病保险封顶线是好多嘛")
    detour = talk.say("顺便问一下，集中参保期是哪几个月？")
    assert "9月" in detour[0].text and detour[-2].text.startswith("接着算")
    reply = talk.say("都是交了的")[-1]
    assert reply.intent == "ask:zero_claim"  # still the cap, not a waiting period


def test_counts_of_years_told_in_order_fill_the_years_before_and_the_break():
    talk = Talk("2031-11-18")
    text = "\n".join(
        r.text
        for r in talk.say(
            "我二〇三二年的大病保险最高支付限额是多少，前面四年都交了，后来断了3年，二〇三二年又交了，"
            "二〇二七年一次都没报销过，二〇二五、二〇二六、二〇二八年有报销，激励额度没用过。"
        )
    )
    assert "2029至2031年没有参保" in text and "192,000" in text


def test_not_paid_yet_in_a_story_is_the_payment_to_come_not_a_year_before():
    talk = Talk("2029-09-11")
    reply = talk.say(
        "2025年和2026年都没交，2027年才开始交，一直交到2029年，还没交，12月底之前去交，我2030年从哪天开始能报销。"
    )
    text = "\n".join(r.text for r in reply)
    assert "2029年没有参保" not in text and "2027至2030年在重庆参加居民医保" in text


def test_the_question_named_at_the_summary_replaces_the_one_understood():
    talk = Talk("2025-05-23")
    talk.say("宝宝2025年1月9号生的，什么时候能报销")
    talk.say("2月6号交的")
    reply = talk.say("不对，我是想问孩子2025年参保要等多久")[-1]
    assert reply.intent == "confirm" and "2025年参保的等待期" in reply.text
    assert "没有等待期" in talk.text("对")


@pytest.mark.parametrize("question", ["顺便问一下，集中参保期是哪几个月？", "先问哈，集中参保期是啥子时候？"])
def test_a_policy_term_asked_about_at_the_summary_is_answered_not_taken_as_a_new_question(question):
    talk = Talk("2025-08-16")
    talk.say("25年我的大病保险封顶线是多少")
    detour = talk.say(question)
    assert "9月" in detour[0].text and talk.state.task == "my_cap"


def test_after_a_detour_a_bare_yes_continues_and_does_not_answer_the_question():
    talk = Talk("2026-03-05")
    talk.say("我在重庆上大学，我2026年什么时候开始享受医保待遇。")
    talk.say("对了，断保了补缴要去哪里交？")
    reply = talk.say("好，接着算")[-1]
    assert reply.intent == "ask:years" and 2025 not in talk.state.facts.years


def test_the_cap_asked_after_a_result_is_ones_own():
    talk = Talk("2031-10-20")
    talk.say("我明年的等待期是好久")
    talk.say("2025年和2027到2030年都交了的，2026年莫得交，今年参加的职工医保")
    talk.say("对")
    reply = talk.say("那封顶线是好多嘛？")[-1]
    assert reply.intent == "ask:zero_claim"


def test_never_reimbursed_said_of_every_year_is_not_said_of_a_year_without_insurance():
    talk = Talk("2030-01-04")
    reply = talk.say(
        "我29年的大病保险最高支付限额是多少，25、26年断了两年的，27年才开始交，28年断了一年，"
        "从来没用医保报销过，没用过激励额度？"
    )
    text = "\n".join(r.text for r in reply)
    assert "2027年一次都没有用医保报销" in text and "2028年一次都没有" not in text and "2027、2028年" not in text


def test_other_years_reimbursed_leave_the_year_named_without_a_claim():
    talk = Talk("2028-11-22")
    talk.say("2029年封顶线多少")
    talk.say("都交了")
    reply = talk.say("2025年没报销过，其他年都报销了")[-1]
    assert reply.intent == "ask:reward_used" and talk.state.facts.zero_claim == {
        2025: True,
        2026: False,
        2027: False,
        2028: False,
    }


def test_two_years_said_back_to_back_are_both_years():
    talk = Talk("2026-11-22")
    talk.say("我想知道封顶线")
    reply = talk.say("25年交了26年也交了")[-1]
    assert reply.intent == "ask:zero_claim" and talk.state.facts.years == {2025: "insured", 2026: "insured"}


def test_only_one_year_said_leaves_the_others_the_other_way():
    talk = Talk("2027-03-10")
    talk.say("我明年的封顶线")
    talk.say("每年都交了")
    talk.say("只有26年报销过")
    assert talk.state.facts.zero_claim == {2025: True, 2026: False, 2027: True}


def test_only_one_year_unpaid_leaves_the_others_paid():
    talk = Talk("2027-03-10")
    talk.say("我明年的封顶线")
    talk.say("只有2026年没交")
    assert talk.state.facts.years == {2025: "insured", 2026: "uninsured", 2027: "insured"}
