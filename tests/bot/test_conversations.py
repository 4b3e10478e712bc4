"""Whole conversations through the dialogue manager: history in one message, step by step,
relative years, Chinese numerals, detours, corrections, what-ifs (tests/bot/conversations.yaml),
and the project's development dialogues."""

from __future__ import annotations

import pytest
import yaml

from tests.bot.conftest import DEV_DIALOGUES, Talk, conversations, missing, norm


@pytest.mark.parametrize("conv", conversations(), ids=lambda c: c["name"])
def test_conversation_reaches_the_expected_answer(conv):
    talk = Talk(conv["today"])
    for turn in conv["turns"]:
        talk.say(turn)
    text = talk.seen()
    assert not missing(text, conv["expect"]), text[-600:]
    for absent in conv.get("absent", []):
        assert norm(absent) not in norm(text)


def _dev():
    return yaml.safe_load(DEV_DIALOGUES.read_text(encoding="utf-8"))["dialogues"]


@pytest.mark.parametrize("conv", _dev(), ids=lambda c: c["name"])
def test_development_dialogue_passes(conv):
    talk = Talk(conv["today"])
    for turn in conv["turns"]:
        talk.say(turn)
    assert not missing(talk.seen(), conv["expect"])


def test_broken_two_years_waits_four_months_and_cites_the_notice():
    talk = Talk("2026-11-22")
    talk.say("我2025年和2026年都没交，2027年参保要等多久？")
    talk.say("没有补缴")
    answer = talk.say("对")[-1]
    assert "4个月" in answer.text
    assert answer.figures["waiting_months"] == 4
    assert answer.sources and all(s.document and s.article and s.excerpt for s in answer.sources)
    assert len(answer.sources) <= 2
    assert "医保经办机构" in answer.text and "12393" in answer.text
    assert any(o.value == "whatif:backpay" for o in answer.options)


def test_cap_answer_opens_with_the_figure_and_keeps_the_table_and_trace_for_details():
    talk = Talk("2026-11-22")
    summary, answer = talk.say("我2025年和2026年都参保了，2025年一次都没报销过，2026年的大病保险封顶线是多少？")
    # told whole: no question
    assert summary.text.startswith("按您说的情况：") and "对吗" not in summary.text
    assert answer.text.startswith(
        "2026年您的大病保险最高支付限额是204,000元（20.4万元）。（基础200,000元，零报销激励4,000元。）"
    )
    assert len(answer.text.splitlines()) <= 3  # fits a phone
    assert "逐年封顶线：2025年 200,000元；2026年 204,000元" in answer.details
    assert "2025年零报销" in answer.details  # the engine's own trace sentence
    assert answer.figures["cap"] == 204000
    assert answer.options[0].value == "details"
    assert talk.text("依据") == answer.details
    assert talk.say("details")[0].text == answer.details


def test_summary_is_one_sentence_asking_for_confirmation():
    talk = Talk("2026-11-22")
    talk.say("我2025年交了，2026年没交，2027年要等多久？")
    reply = talk.say("补缴了1年")[-1]
    assert reply.text.startswith("我理解的是：") and reply.text.endswith("对吗？")
    assert "2026年没有参保" in reply.text and "补缴了1年" in reply.text
    assert [o.value for o in reply.options] == ["yes", "no"]


def test_bot_asks_one_question_at_a_time_and_only_what_is_missing():
    talk = Talk("2026-11-22")
    first = talk.say("我的大病保险封顶线是多少")
    assert len(first) == 1 and "哪几年交了" in first[0].text and first[0].multi_select
    assert [o.value for o in first[0].options] == ["year:2025", "year:2026", "years:all", "years:none"]
    second = talk.say("years:2025,2026")
    assert "报销" in second[0].text and "交了" not in second[0].text


def test_correction_in_the_middle_of_collecting_overrides_the_earlier_fact():
    talk = Talk("2026-11-22")
    talk.say("我2025年交了，2026年没交，2027年要等多久")
    assert talk.state.pending == "backpaid"
    talk.say("不对，2026年也交了")
    assert talk.state.facts.years[2026] == "insured"
    assert talk.state.pending == "confirm"  # no break left, so nothing about back-payment


def test_restart_forgets_the_facts_and_the_question():
    talk = Talk("2026-11-22")
    talk.say("我断了两年，要等多久")
    assert talk.state.facts.years
    assert "重新开始" in talk.text("重新开始")
    assert not talk.state.facts.years and talk.state.task is None


def test_cancel_stops_the_calculation_but_a_new_question_reuses_known_facts():
    talk = Talk("2026-11-22")
    talk.say("我2025年没交，2026年也没交，要等多久")
    assert "取消" in talk.text("取消")
    assert talk.state.task is None
    reply = talk.say("那我2027年的封顶线是多少")[-1]
    # the years are known already: the cap needs nothing more about 2025-2026 (no insured years)
    assert reply.text.startswith("我理解的是：") and "2025、2026年没有参保" in reply.text


def test_faq_detour_is_answered_then_the_question_is_asked_again_at_once():
    talk = Talk("2026-11-22")
    talk.say("我的封顶线是多少")
    detour = talk.say("2026年度个人缴费标准是多少？")
    assert any("400" in r.text for r in detour)
    assert detour[-2].text.startswith("接着算您的封顶线") and "哪几年交了" in detour[-1].text
    assert "哪几年交了" in talk.say("继续")[-1].text  # a bare "继续" asks it once more
    assert talk.say("都交了")[-1].intent == "ask:zero_claim"  # the answer is taken at once


def test_low_confidence_offers_the_real_questions_to_choose_from(monkeypatch):
    from intents.match import Decision, Match

    close = Decision(
        kind="ambiguous",
        intent=None,
        score=0.6,
        candidates=[Match(intent="waiting_fixed", score=0.6), Match(intent="waiting_variable", score=0.58)],
    )
    # a close call, whatever the matcher ranks today
    monkeypatch.setattr("bot.conversation.dialogue._understand", lambda text: close)
    talk = Talk("2026-11-22")
    reply = talk.say("断保了等待期怎么算")[-1]
    assert reply.text.startswith("您是想问")
    assert all(o.value.startswith("pick:") for o in reply.options) and len(reply.options) >= 2
    chosen = talk.say(reply.options[0].value)
    assert chosen and chosen[-1].text


def test_out_of_scope_names_the_hotline():
    talk = Talk("2026-11-22")
    assert "12393" in talk.text("帮我查一下明天的天气预报")


def test_forget_me_marks_the_state_for_deletion():
    talk = Talk("2026-11-22")
    talk.say("我2025年没交")
    reply = talk.say("忘记我")[-1]
    assert "删除" in reply.text
    assert talk.state.forget and not talk.state.facts.known()


def test_what_if_keeping_on_next_year_compares_with_this_year():
    talk = Talk("2026-11-22")
    talk.say("我2025年和2026年都交了，都没报销过，2027年封顶线多少")
    talk.say("对")
    ask = talk.say("whatif:continue")[-1]
    assert "2027年" in ask.text  # the extra year it needs: did 2027 have a reimbursement
    assert "激励" in talk.text("报销过")  # did 2027 use the incentive amount
    talk.say("没有")
    answer = talk.say("对")[-1]
    assert "如果2028年继续参保" in answer.text and "2027年是208,000元" in answer.text


def test_ones_own_start_date_is_worked_out_when_a_rule_ranks_a_little_higher(monkeypatch):
    from intents.match import Decision, Match

    close = Decision(
        kind="match",
        intent="waiting_how_counted",
        score=0.89,
        candidates=[Match(intent="waiting_how_counted", score=0.89), Match(intent="my_benefit_start", score=0.88)],
    )
    monkeypatch.setattr("bot.conversation.dialogue._understand", lambda text: close)
    talk = Talk("2026-11-22")
    reply = talk.say("我啥时候才能开始报销")[-1]
    assert reply.intent == "ask:years" and "哪几年交了" in reply.text


def test_a_rule_ranked_higher_is_answered_when_no_own_figure_is_asked(monkeypatch):
    from intents.match import Decision, Match

    close = Decision(
        kind="match",
        intent="waiting_how_counted",
        score=0.89,
        candidates=[Match(intent="waiting_how_counted", score=0.89), Match(intent="my_waiting", score=0.88)],
    )
    monkeypatch.setattr("bot.conversation.dialogue._understand", lambda text: close)
    talk = Talk("2026-11-22")
    reply = talk.say("我想知道等待期怎么算")[0]
    assert reply.intent == "waiting_how_counted"
