"""The articles applied to a number of years of break (rules.counts): the same figures as the engine
gives for that many uninsured years before re-enrolment, the 20% ceiling, the long-break floor, and
which of the years said can count before a given insured year (37号 四.2)."""

from __future__ import annotations

import datetime as dt

import pytest

from rules import History, evaluate
from rules import parameters as p
from rules.counts import cap_for, counted, repaired_for, waiting_for
from rules.policy import first_year

FIRST = first_year()
BASE = int(p.value("base_cap", FIRST))
STEP = int(p.value("reduction_step", FIRST))
LIMIT = round(BASE * p.value("reduction_ceiling_rate", FIRST))
FIXED = int(p.value("fixed_waiting_months", FIRST))
FLOOR_YEARS = int(p.value("long_break_years", FIRST))
FLOOR = int(p.value("long_break_min_variable_months", FIRST))


def engine(broken: int, backpaid: int = 0):
    """The engine's result for `broken` uninsured years from the first year, then re-enrolment,
    paid in the collection period."""
    target = FIRST + broken
    return evaluate(
        History.from_lists(target, enrolled=[target], backpaid=backpaid, paid_on=dt.date(target - 1, 12, 10))
    )


@pytest.mark.parametrize("broken", range(1, 13))
def test_the_cap_for_a_count_is_the_engines_cap_for_as_many_uninsured_years(broken):
    ruled = cap_for(broken, FIRST + broken)
    assert ruled.value == engine(broken).cap.effective == BASE - min(broken * STEP, LIMIT)
    assert f"封顶线为{ruled.value}元" in ruled.step.text and ruled.step.citation.article == "五.4"


@pytest.mark.parametrize("broken", range(1, 13))
def test_the_waiting_for_a_count_is_the_engines_without_and_with_full_back_payment(broken):
    assert waiting_for(broken, FIRST).value == engine(broken).waiting.months
    assert repaired_for(broken, FIRST).value == engine(broken, backpaid=broken).waiting.months


def test_the_cap_reduction_stops_at_the_ceiling_and_says_so():
    seven, twelve = cap_for(7, FIRST), cap_for(12, FIRST)
    assert seven.value == BASE - 7 * STEP and "降低28000元" in seven.step.text and "按上限" not in seven.step.text
    assert twelve.value == BASE - LIMIT
    assert f"降低{LIMIT}元" in twelve.step.text and "12年本应降48000元，按上限算" in twelve.step.text


def test_one_year_of_break_is_the_fixed_months_only_and_back_payment_cannot_shorten_it():
    assert waiting_for(1, FIRST).value == FIXED
    assert "只有固定等待期" in waiting_for(1, FIRST).step.text
    assert repaired_for(1, FIRST).value == FIXED and "不能靠补缴减少" in repaired_for(1, FIRST).step.text


def test_each_further_year_adds_a_month_and_each_back_paid_year_takes_one_off():
    assert [waiting_for(n, FIRST).value for n in (2, 3, 5)] == [FIXED + 1, FIXED + 2, FIXED + 4]
    partly = repaired_for(3, FIRST, backpaid=1)
    assert partly.value == FIXED + 1 and "补缴1年" in partly.step.text and partly.step.citation.article != "五.4"


def test_a_long_break_keeps_the_floor_after_back_payment():
    for broken in (FLOOR_YEARS, 5, 7, 12):
        ruled = repaired_for(broken, FIRST)
        assert ruled.value == FIXED + FLOOR
        assert f"至少还要等{FIXED + FLOOR}个月" in ruled.step.text and "不少于" in ruled.step.citation.quote
    assert "补缴不能再减少" in repaired_for(FLOOR_YEARS, FIRST).step.text  # 4 years: 3 variable months, all kept


def test_years_before_the_first_year_do_not_count_and_the_article_is_cited():
    ruled = counted(7, FIRST + 1)
    assert ruled.value == 1 and f"最多1年（{FIRST}年），不是7年" in ruled.step.text
    assert "以前年度是否连续参保不计连续参保年限和断保年限" in ruled.step.citation.quote
    assert counted(7, FIRST).value == 0 and "还没有能算作断保的年份" in counted(7, FIRST).step.text
    assert counted(2, FIRST + 2).value == 2 and counted(2, FIRST + 2).step is None  # every year said counts
