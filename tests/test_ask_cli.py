"""`yibao ask` as a person or a script runs it."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from bot.cli.ask import answer
from bot.conversation.router import split_comparison, split_questions


def ask(*argv, stdin=None):
    code = "import sys; from bot.cli.main import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, "ask", *argv], input=stdin, capture_output=True, text=True, timeout=60
    )


def test_faq_question_answers_with_the_fact_and_a_cited_excerpt():
    p = ask("--json", "集中参保期是什么时候")
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["intent"] == "collection_period"
    assert "9月" in r["answer"]
    assert r["sources"] and all(s["document"] and s["excerpt"] for s in r["sources"])


def test_off_topic_is_refused_with_the_hotline():
    r = json.loads(ask("--json", "公积金怎么提取").stdout)
    assert r["intent"] is None
    assert "12393" in r["answer"]


def test_batch_mode_answers_every_line_even_an_empty_one():
    p = ask("--json", stdin="你好\n\n谢谢\n")
    lines = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["intent"] == "greeting"
    assert lines[1]["intent"] is None and lines[1]["answer"]
    assert lines[2]["intent"] == "thanks"


@pytest.mark.parametrize("question", ["😀😀", "x" * 5000, "1990年", "hello there"])
def test_bad_input_gets_a_polite_reply_not_a_traceback(question):
    p = ask("--json", question)
    assert p.returncode == 0
    assert "Traceback" not in p.stderr
    assert json.loads(p.stdout)["answer"]


def test_human_output_shows_the_answer_and_the_source():
    p = ask("男职工的配偶能享受生育保险待遇吗")
    assert "6个月" in p.stdout
    assert "——" in p.stdout


def test_a_question_near_the_subject_the_sources_do_not_answer_is_refused_with_the_hotline():
    p = ask(
        "--json",
        stdin="医保卡里的余额在哪里查询\n异地就医住院前怎么备案\n医保局周末上不上班\n"
        "退休工资明年会不会涨\n我妈的退休费每月发多少\n",
    )
    for line in p.stdout.splitlines():
        r = json.loads(line)
        assert r["intent"] is None and "12393" in r["answer"]


def test_a_general_question_gets_the_policy_answer_not_a_request_for_ones_history():
    r = json.loads(ask("--json", "今年一次都没报销，明年大病封顶线会加多少").stdout)
    assert r["intent"] == "zero_claim_incentive_what"
    assert "4000" in r["answer"]


def test_what_a_waiting_period_is_says_that_it_pays_nothing():
    r = json.loads(ask("--json", "等待期到底指的是什么").stdout)
    assert r["intent"] == "waiting_what"
    assert "不能享受医保报销" in r["answer"]


def test_when_a_document_was_issued_is_answered_with_its_date_and_issuer():
    r = json.loads(ask("--json", "42号文是哪些部门发的").stdout)
    assert r["intent"] == "policy_documents_issued"
    assert "2025年9月9日" in r["answer"] and "国家税务总局重庆市税务局" in r["answer"]
    assert any("9月9日印发" in s["excerpt"] for s in r["sources"])


def test_four_broken_years_wait_three_plus_three_months():
    r = json.loads(ask("--json", "连续4年没交医保，今年重新交了，要等多少个月").stdout)
    assert r["intent"] == "waiting_variable"
    assert "3+3=6个月" in r["answer"]


def test_a_break_of_three_years_lowers_the_cap_to_188_thousand():
    r = json.loads(ask("--json", "连着三年没交居民医保，再参保大病封顶线降到多少").stdout)
    assert r["intent"] == "break_cap_reduction"
    assert "18.8万元" in r["answer"] and "16万元" in r["answer"]


def test_the_incentive_and_constraint_rules_start_with_2025():
    r = json.loads(ask("--json", "激励和约束的办法从哪年开始算").stdout)
    assert "2025年" in r["answer"]


def test_a_message_asking_two_questions_gets_both_answered():
    r = answer("断保一年要等几个月？断保一年封顶线降多少？", dt.date(2026, 12, 1))
    assert "3个月" in r["answer"] and "4000" in r["answer"]
    assert r["intent"] is not None


def test_a_wrong_figure_in_the_question_is_corrected_before_the_answer():
    r = answer("二档一年是不是交800块", dt.date(2026, 12, 1))
    assert r["intent"] == "fees_2026"
    assert r["answer"].startswith("不是800元，按规定是775元。")
    plain = answer("二档一年交多少钱", dt.date(2026, 12, 1))
    assert not plain["answer"].startswith("不是")


def test_one_question_however_long_is_not_split():
    assert split_questions("我2025年没交，2026年交了，等待期多久？") == []
    assert split_questions("断保有什么影响？") == []
    assert len(split_questions("断保一年等多久？封顶线降多少？")) == 2


def test_a_comparison_of_two_things_of_one_subject_answers_both_sides():
    assert split_comparison("固定等待期和变动等待期有什么区别") == ["固定等待期", "变动等待期"]
    assert split_comparison("年底交和年初交哪个享受待遇早") == ["12月交享受待遇早", "1月交享受待遇早"]
    assert split_comparison("断保有什么影响") == []
    r = answer("固定等待期和变动等待期有什么区别", dt.date(2026, 12, 1))
    assert "固定待遇等待期是3个月" in r["answer"] and "每多断保1年" in r["answer"]


def test_a_side_that_says_nothing_alone_is_read_in_the_topic_of_the_other_side():
    r = answer("年底交跟开年交有什么不一样", dt.date(2026, 12, 1))
    assert r["intent"] and "12月底前参保缴费" in r["answer"] and "次年1月至2月参保缴费" in r["answer"]


def test_a_range_from_2025_with_no_claims_is_computed_for_the_coming_year():
    import datetime as dt

    from bot.service import ask

    question = "我爸从2025年开始一直交的居民医保，每年都没报销过，他的封顶线现在能到好多"
    answer = ask(question, dt.date(2026, 12, 1))["answer"]
    assert "2027年" in answer and "208,000元" in answer


def test_a_payment_month_after_the_collection_period_decides_the_waiting_months():
    import datetime as dt

    from bot.service import ask

    answer = ask("我2025年交了的，2026年的医保4月份才补上，要等好久才能报", dt.date(2026, 12, 1))["answer"]
    assert "3个月" in answer
    assert "告诉我哪天缴的费" in answer  # the day, not the month, gives the date benefits start


def test_a_year_paid_after_remembering_is_the_year_asked_about():
    import datetime as dt

    from bot.service import ask

    answer = ask("女儿2025到2027年三年都没交，2028年才想起来交，不补缴等待期多长", dt.date(2026, 12, 1))["answer"]
    assert "2028年" in answer and "5个月" in answer


def test_one_message_asking_two_figures_of_one_history_gets_both():
    import datetime as dt

    from bot.service import ask

    answer = ask("我外甥2025和2026年都没交，这个月交了明年的，封顶线和等待期分别是多少", dt.date(2026, 12, 1))["answer"]
    assert "192,000元" in answer and "等待期是4个月" in answer


def test_a_personal_question_short_of_facts_states_the_rule_of_its_own_topic():
    import datetime as dt

    from bot.service import ask

    answer = ask("我断过一年保，今年重新交了，明年接着交的话大病封顶线还降不降", dt.date(2026, 12, 1))["answer"]
    assert "恢复" in answer  # the rule about the cap restored, not the zero-claim incentive


def test_a_history_told_year_by_year_without_its_claims_gets_a_figure_on_a_said_assumption():
    import datetime as dt

    from bot.service import ask

    answer = ask("我2025年交了，2026年断了，2027年又交上了，2027年大病封顶线是多少", dt.date(2026, 12, 1))["answer"]
    assert "196,000元" in answer and "没说哪年没报销过" in answer
