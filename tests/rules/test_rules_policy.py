"""rules.policy: the policy facts other packages ask for, read from the parameters, and the trace
sentences formatted from the values actually used."""

from __future__ import annotations

import datetime as dt

import pytest

from rules import History, evaluate, parameters, policy
from rules.policy import Fact, Group, Task
from rules.trace import cite


def test_the_first_year_and_the_years_covered_come_from_the_start_year_parameter():
    assert policy.first_year() == parameters.value("policy_start_year", 2025) == 2025
    assert policy.years()[0] == 2025 and policy.years()[-1] == policy.LAST_YEAR
    assert policy.today_bounds() == (dt.date(2024, 1, 1), dt.date(policy.LAST_YEAR, 12, 31))


@pytest.mark.parametrize(
    ("paid", "insured_year"),
    [
        (dt.date(2026, 8, 31), 2026),
        (dt.date(2026, 9, 1), 2027),
        (dt.date(2026, 12, 31), 2027),
        (dt.date(2027, 2, 28), 2027),
        ((2026, 9), 2027),
        ((2026, 3), 2026),
        (dt.date(2021, 10, 1), 2022),
    ],
)
def test_a_payment_from_september_pays_for_the_next_insured_year(paid, insured_year):
    assert policy.paid_for(paid) == insured_year


def test_the_coming_year_turns_in_september():
    assert policy.coming_year(dt.date(2026, 8, 31)) == 2026
    assert policy.coming_year(dt.date(2026, 9, 1)) == 2027


def test_the_collection_period_runs_from_september_to_the_end_of_february():
    period = policy.collection_period(2028)  # 2028 is a leap year
    assert (period.start, period.end) == (dt.date(2027, 9, 1), dt.date(2028, 2, 29))
    assert dt.date(2028, 2, 29) in period and dt.date(2028, 3, 1) not in period
    assert dt.date(2027, 8, 31) not in period
    assert period.months_zh == "9月至次年2月" and period.student_month == 9


def test_the_newborn_window_is_ninety_days_and_two_years():
    window = policy.newborn_window(2026)
    born = dt.date(2024, 2, 29)
    assert (window.days, window.age) == (90, 2)
    assert window.from_birth(born, born + dt.timedelta(days=90))
    assert not window.from_birth(born, born + dt.timedelta(days=91))
    assert window.age_limit(born) == dt.date(2026, 2, 28)
    assert window.under_age(born, dt.date(2026, 2, 27)) and not window.under_age(born, dt.date(2026, 2, 28))


def test_each_special_group_has_one_name_and_the_former_rules_groups_are_named_as_the_article_names_them():
    quote = cite("special_groups").quote
    assert [g.label for g in policy.FORMER_RULES] == ["低收入人口", "脱贫人口", "服刑人员"]
    assert all(g.label in quote for g in (*policy.FORMER_RULES, Group.newborn))
    assert len({g.label for g in Group}) == len(Group)
    result = evaluate(History.from_lists(2027, [2027], group=Group.inmate))
    assert any(s.text.startswith("服刑人员") for s in result.trace)
    assert result.waiting.reason.startswith("低收入人口、脱贫人口、服刑人员等特殊群体")


def test_each_task_needs_its_facts_in_the_order_they_are_asked_for():
    assert policy.needs(Task.cap) == (Fact.years, Fact.zero_claim, Fact.reward_used)
    assert policy.needs("my_waiting") == (Fact.years, Fact.backpaid)
    assert policy.needs("my_benefit_start", "newborn") == (Fact.born, Fact.years, Fact.backpaid, Fact.paid_on)
    assert policy.needs(Task.benefit_start, Group.low_income) == (Fact.paid_on,)
    assert policy.needs(Task.cap, Group.inmate) == (Fact.years, Fact.zero_claim, Fact.reward_used)


def test_each_incentive_cites_its_own_sentence():
    steps = {
        s.rule: s
        for s in evaluate(
            History.from_lists(2030, range(2025, 2031), zero_claim={2028}, paid_on=dt.date(2029, 10, 1))
        ).trace
    }
    continuous, zero = steps["incentive.continuous"], steps["incentive.zero_claim"]
    assert continuous.citation.quote.startswith("自2025年起，对连续参加居民医保满4年")
    assert zero.citation.quote.startswith("对当年医保基金零报销")
    refs = {
        name: parameters.entry(name, 2030).reference.quote
        for name in ("continuous_incentive_step", "zero_claim_incentive_step")
    }
    assert refs["continuous_incentive_step"] == continuous.citation.quote
    assert refs["zero_claim_incentive_step"] == zero.citation.quote


@pytest.fixture
def changed(monkeypatch):
    """Parameters with other values, as a later document might set them."""

    def change(**values):
        found = {name: param.model_copy(deep=True) for name, param in parameters.parameters().items()}
        for name, value in values.items():
            found[name].values[-1].value = value
        monkeypatch.setattr(parameters, "parameters", lambda: found)
        policy.collection_period.cache_clear()
        policy.newborn_window.cache_clear()

    yield change
    policy.collection_period.cache_clear()
    policy.newborn_window.cache_clear()


def test_the_trace_says_the_values_of_the_parameters_in_force(changed):
    changed(
        fixed_waiting_months=4,
        incentive_ceiling_rate=0.25,
        long_break_min_variable_months=2,
        newborn_days=60,
        collection_first_month=10,
    )
    result = evaluate(History.from_lists(2031, [2031], backpaid=5, paid_on=dt.date(2031, 3, 10)))
    said = {s.rule: s.text for s in result.trace}
    assert "固定待遇等待期4个月" in said["waiting.fixed"]
    assert "不少于2个月" in said["waiting.floor"] and "总等待期不少于6个月" in said["waiting.floor"]
    assert "基础封顶线的25%（50000元，封顶线最高250000元）" in said["incentive.ceiling"]
    assert "不在集中参保期（10月至次年2月）内缴费" in said["waiting.paid"]
    assert result.waiting.months == 4 + 2  # fixed + the long-break floor
    assert policy.paid_for(dt.date(2030, 9, 15)) == 2030
    newborn = evaluate(
        History.from_lists(2031, [2031], group="newborn", born=dt.date(2031, 1, 1), paid_on=dt.date(2031, 3, 15))
    )
    assert "出生60天内" not in " ".join(s.text for s in newborn.trace)
    assert "出生超过60天" in " ".join(s.text for s in newborn.trace)
