"""The History model: how year lists become coverage, and the contradictions it refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from rules import Coverage, Group, History, RulesError, error_message, evaluate


def test_years_before_2025_in_lists_are_kept_apart_and_ignored():
    h = History.from_lists(2026, enrolled=[2023, 2024, 2025, 2026], paid_on=dt.date(2025, 12, 1))
    assert h.pre_2025_years == [2023, 2024]
    assert set(h.coverage) == {2025, 2026}
    step = next(s for s in evaluate(h).trace if s.rule == "scope.pre_2025")
    assert "2023、2024" in step.text and step.citation.article == "四.2"


def test_coverage_given_directly_before_2025_is_refused_in_chinese():
    with pytest.raises(ValidationError) as caught:
        History(target_year=2026, coverage={2024: Coverage.chongqing})
    assert "早于2025年" in error_message(caught.value)


def test_missing_years_are_broken_years():
    h = History(target_year=2027, coverage={2027: Coverage.chongqing}, paid_on=dt.date(2026, 12, 1))
    assert h.covered(2025) is Coverage.none
    assert evaluate(h).broken_years == [2025, 2026]


def test_resident_and_employee_in_one_year_is_a_switch_counted_as_resident():
    h = History.from_lists(2027, enrolled=[2025, 2026, 2027], employee=[2026])
    assert h.coverage[2026] is Coverage.chongqing and h.also_employee == {2026}


def test_chongqing_and_elsewhere_in_one_year_raises_a_rules_error():
    with pytest.raises(RulesError, match="同一年度只能参加一处居民医保"):
        History.from_lists(2027, enrolled=[2026, 2027], elsewhere=[2026])


def test_group_names_from_the_cli_and_the_dialogue_are_accepted():
    h = History.from_lists(2026, enrolled=[2026], group="poverty_alleviated", paid_on=dt.date(2026, 1, 5))
    assert h.group is Group.poverty_alleviated
    assert evaluate(h).waiting.months == 0


def test_negative_back_payment_is_refused():
    with pytest.raises(ValidationError) as caught:
        History.from_lists(2027, enrolled=[2027], backpaid=-1)
    assert "负数" in error_message(caught.value)


def test_result_field_names_the_dialogue_reads():
    r = evaluate(History.from_lists(2027, enrolled=[2027], paid_on=dt.date(2026, 12, 15))).model_dump(mode="json")
    assert set(r["cap"]) == {
        "base",
        "continuous",
        "zero_claim",
        "incentives",
        "incentives_capped",
        "reduction",
        "effective",
    }
    assert set(r["cap_by_year"][0]) == {"year", "coverage", "continuous", "zero_claim", "reduction", "effective"}
    assert {"applies", "reason", "fixed", "variable", "repaired", "floor_applied", "months", "counting_from"} <= set(
        r["waiting"]
    )
    assert set(r["trace"][0]) == {"rule", "text", "inputs", "result", "citation"}
    assert set(r["trace"][0]["citation"]) == {"document", "article", "quote"}
    assert {"benefits_from", "fees", "caveats", "broken_years"} <= set(r)
