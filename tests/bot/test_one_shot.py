"""One-shot answers (yibao ask): from the facts in one message, or what the answer still needs."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from bot.conversation.dialogue import respond

TODAY = dt.date(2026, 11, 22)


def one_shot(message: str, today: dt.date):
    return respond(None, message, today, once=True)[0]


def test_every_fact_in_one_message_gives_the_figure_and_the_facts_used():
    replies = one_shot("我2025年和2026年都参保了，2025年一次都没报销过，2026年的大病保险封顶线是多少？", TODAY)
    assert replies[0].text.startswith("按您说的情况：") and "对吗" not in replies[0].text
    assert "204,000" in replies[-1].text and replies[-1].figures["cap"] == 204000


def test_an_unsaid_back_payment_is_taken_as_none_and_said_so():
    replies = one_shot("2025和2026年都没参保，2027年参保要等多久", TODAY)
    assert "按没有补缴计算" in replies[0].text
    assert "4个月" in replies[-1].text


def test_missing_years_are_named_instead_of_guessed():
    replies = one_shot("我的大病保险封顶线是多少", TODAY)
    needs = replies[-1]
    assert "还需要知道" in needs.text and "是否参保" in needs.text and "报销" in needs.text
    assert "元" not in needs.text and not needs.figures  # no personal figure guessed


def test_a_personal_figure_that_cannot_be_worked_out_states_the_general_rule_with_its_figure():
    replies = one_shot("我去年一次医保都没用，我今年的封顶线能加好多", dt.date(2027, 3, 1))
    assert replies[0].text.startswith("一般规定：") and "4000元" in replies[0].text and "24万" in replies[0].text
    assert replies[0].sources  # the rule's own document and article
    assert "还需要知道" in replies[-1].text and "是否参保" in replies[-1].text


def test_a_waiting_period_that_cannot_be_worked_out_states_the_rule_of_months():
    replies = one_shot("我断保了要等多久", TODAY)
    assert "3个月" in replies[0].text and "还需要知道" not in replies[0].text
    assert "还需要知道" in replies[-1].text


def test_whether_years_elsewhere_count_is_the_policy_answer_not_a_computation():
    replies = one_shot("在外地交了三年医保，回重庆交算不算连续参保", TODAY)
    assert len(replies) == 1 and not replies[0].figures
    assert "市外" in replies[0].text and "按您说的情况" not in replies[0].text


def test_forgotten_payments_wait_four_months():
    replies = one_shot("我爸2025年和2026年都忘记交了，2027年的想现在交上，要等几个月", TODAY)
    assert "4个月" in replies[-1].text and "没有等待期" not in replies[-1].text


def test_yibao_ask_routes_a_personal_question_through_the_manager(tmp_path):
    env_home = str(tmp_path)
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "ask",
            "--json",
            "--today",
            "2026-08-01",
            "孩子2026年1月10日出生，6月20日才参保，什么时候能报销？",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"HOME": env_home, "XDG_DATA_HOME": env_home, "PATH": "/usr/bin:/bin"},
    )
    assert p.returncode == 0, p.stderr[-500:]
    out = json.loads(p.stdout)
    assert out["intent"] == "my_benefit_start" and "2026年6月21日" in out["answer"]


def test_my_own_cap_without_a_question_word_is_still_my_figure():
    replies = one_shot("我的大病保险封顶线", TODAY)
    assert "还需要知道" in replies[-1].text


def test_three_broken_years_then_paying_again_lower_the_cap_without_asking_for_zero_claims():
    # no insured year before 2028: no zero-claim year can exist (四.1), 3 broken years -12,000 (四.2)
    replies = one_shot("我断了三年今年又交了，封顶线是好多", dt.date(2028, 3, 1))
    assert "188,000" in replies[-1].text and replies[-1].figures["cap"] == 188000
    assert not any("还需要知道" in r.text or "报销过" in r.text for r in replies)


def test_zero_claims_are_not_listed_as_needed_when_no_year_before_was_insured():
    replies = one_shot("2025年到2027年都没参保，2028年的封顶线是多少", dt.date(2028, 3, 1))
    assert "188,000" in replies[-1].text


def test_a_supposed_history_running_past_next_year_gives_the_cap_of_its_last_year():
    replies = one_shot("要是我2025至2028年每年都交，之后又连续交了2年，封顶线能到多少", dt.date(2026, 12, 1))
    assert "2030年您的大病保险最高支付限额是208,000元" in replies[-1].text


def test_a_personal_count_without_calendar_years_gets_the_count_worked_out_before_the_rule():
    replies = one_shot("我爸三年都没报过销，大病封顶线一共提高了多少", dt.date(2026, 12, 1))
    text = "\n".join(r.text for r in replies)
    assert "3×4000=12000元" in text and "还需要知道" in text
