"""Which facts each question needs, and the defaults (渝医保发〔2025〕37号 四.1-四.2, 五.1-五.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.answers.summary import summary
from bot.conversation.history import (
    apply_slots,
    broken_years,
    coming_year,
    next_need,
    span,
    target_of,
    to_history,
)
from bot.conversation.state import Facts, State, WhatIf


@pytest.mark.parametrize(
    "today, year",
    [
        (dt.date(2026, 8, 31), 2026),  # before the collection period: this year
        (dt.date(2026, 9, 1), 2027),  # from September: the year being paid for
        (dt.date(2027, 2, 28), 2027),
    ],
)
def test_the_coming_insured_year_turns_in_september(today, year):
    assert coming_year(today) == year


def test_the_year_asked_about_follows_what_was_said_then_the_payment():
    today = dt.date(2026, 11, 22)
    assert target_of(Facts(target_year=2028), today) == 2028
    assert target_of(Facts(paid_month="2026-12"), today) == 2027  # paid in December for next year
    assert target_of(Facts(paid_on=dt.date(2027, 2, 3)), today) == 2027
    assert target_of(Facts(), today) == 2027
    child = Facts(group="newborn", born=dt.date(2026, 1, 10), paid_on=dt.date(2026, 6, 20))
    assert target_of(child, dt.date(2026, 8, 1)) == 2026


def test_broken_years_are_the_uninsured_run_right_before_the_year():
    facts = Facts(years={2025: "uninsured", 2026: "insured", 2027: "uninsured", 2028: "uninsured"})
    assert broken_years(facts, 2029) == [2027, 2028]
    assert broken_years(facts, 2027) == []


def test_a_child_enrolled_before_two_needs_no_years_and_special_groups_need_none_for_the_wait():
    child = Facts(group="newborn", born=dt.date(2026, 1, 10), paid_on=dt.date(2026, 6, 20))
    assert span(child, 2026, "my_benefit_start") == []
    assert span(Facts(group="low_income"), 2027, "my_waiting") == []
    assert span(Facts(group="low_income"), 2027, "my_cap") == [2025, 2026]


def _need(task, today="2026-11-22", **facts):
    st = State(task=task, facts=Facts(**facts))
    return next_need(st, dt.date.fromisoformat(today))


def test_cap_needs_years_then_zero_claims_then_incentive_use_and_never_back_payment():
    assert _need("my_cap").slot == "years"
    assert _need("my_cap", years={2025: "insured", 2026: "insured"}).slot == "zero_claim"
    need = _need("my_cap", years={2025: "insured", 2026: "insured"}, zero_claim={2025: True, 2026: False})
    assert need.slot == "reward_used" and need.years == [2026]
    assert _need("my_cap", years={2025: "uninsured", 2026: "uninsured"}) is None


def test_waiting_asks_for_back_payment_only_after_a_break():
    assert _need("my_waiting", years={2025: "insured", 2026: "insured"}) is None
    need = _need("my_waiting", years={2025: "insured", 2026: "uninsured"})
    assert need.slot == "backpaid" and need.years == [2026]


def test_benefit_start_needs_the_payment_day_unless_the_month_settles_it():
    assert _need("my_benefit_start", years={2025: "insured", 2026: "insured"}).slot == "paid_on"
    assert _need("my_benefit_start", years={2025: "insured", 2026: "insured"}, paid_month="2026-12") is None
    assert (
        _need(
            "my_benefit_start", today="2027-01-05", years={2025: "insured", 2026: "insured"}, paid_month="2027-01"
        ).slot
        == "paid_on"
    )


def test_a_child_needs_a_birth_date():
    assert _need("my_benefit_start", group="newborn").slot == "born"


def test_the_summary_names_the_question_and_every_fact_used():
    st = State(task="my_cap", facts=Facts(target_year=2026, years={2025: "insured"}, zero_claim={2025: True}))
    text = summary(st, dt.date(2026, 11, 22))
    assert (
        text == "我理解的是：您想知道2026年的大病保险最高支付限额；2025、2026年在重庆参加居民医保，"
        "2025年一次都没有用医保报销。对吗？"
    )


def test_the_history_counts_the_year_asked_about_as_insured_and_caps_back_payment():
    st = State(task="my_waiting", facts=Facts(years={2025: "uninsured", 2026: "uninsured"}, backpaid=5))
    h = to_history(st, dt.date(2026, 11, 22))
    assert h.target_year == 2027 and h.backpaid == 2
    assert h.covered(2027).value == "chongqing" and h.covered(2026).value == "none"
    what_if = st.model_copy(update={"task": "what_if", "what_if": WhatIf(kind="backpay", backpay=1)})
    assert to_history(what_if, dt.date(2026, 11, 22)).backpaid == 1


@pytest.mark.parametrize(
    "text, year",
    [
        ("2025年一次都没报销过", 2025),
        ("2026年住院报销了", 2026),
        ("2025年大病保险用过激励额度", 2025),
    ],
)
def test_a_year_named_for_its_claims_was_an_insured_year(text, year):
    from intents.slots import extract

    facts = Facts()
    apply_slots(facts, extract(text, dt.date(2026, 11, 22)), dt.date(2026, 11, 22))
    assert facts.years[year] == "insured"
