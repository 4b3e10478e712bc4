"""Invariants over generated histories (hypothesis): bounds on the cap and the waiting period."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from rules import Coverage, Group, History, evaluate

BASE = 200_000
RESIDENT = [Coverage.chongqing, Coverage.elsewhere]
GROUPS = [Group.general, Group.student, Group.low_income, Group.poverty_alleviated, Group.inmate]


def paid_days(target: int):
    return st.none() | st.dates(dt.date(target - 1, 9, 1), dt.date(target, 12, 31))


@st.composite
def histories(draw):
    target = draw(st.integers(2025, 2042))
    coverage = {y: draw(st.sampled_from(list(Coverage))) for y in range(2025, target)}
    coverage[target] = draw(st.sampled_from(RESIDENT))
    resident = sorted(y for y, c in coverage.items() if c.resident)
    zero = draw(st.sets(st.sampled_from(resident)))
    reward = draw(st.sets(st.sampled_from(resident))) - zero
    kw = dict(
        target_year=target,
        coverage=coverage,
        zero_claim=zero,
        reward_used=reward,
        group=draw(st.sampled_from(GROUPS)),
        paid_on=draw(paid_days(target)),
    )
    broken = len(evaluate(History(**kw)).broken_years)
    return History(**kw, backpaid=draw(st.integers(0, broken)))


@st.composite
def breaks(draw):
    """A history ending in a break of `n` years right before the target year, and its paid_on."""
    before = draw(st.lists(st.sampled_from(list(Coverage)), max_size=6))
    n = draw(st.integers(0, 8))
    backpaid = draw(st.integers(0, n))
    month_day = draw(st.sampled_from([(9, 15), (12, 31), (1, 10), (2, 28), (4, 2), (8, 31)]))
    group = draw(st.sampled_from([Group.general, Group.student]))
    return before, n, backpaid, month_day, group


def broken_history(before, n, backpaid, month_day, group) -> History:
    target = 2025 + len(before) + n
    coverage = {2025 + i: c for i, c in enumerate(before)}
    coverage[target] = Coverage.chongqing
    month, day = month_day
    paid = dt.date(target - 1 if month >= 9 else target, month, day)
    return History(target_year=target, coverage=coverage, backpaid=backpaid, group=group, paid_on=paid)


@settings(max_examples=300, deadline=None)
@given(histories())
def test_effective_cap_stays_within_20_percent_of_the_base(h):
    result = evaluate(h)
    assert BASE * 0.8 <= result.cap.effective <= BASE * 1.2
    for row in result.cap_by_year:
        if row.effective is not None:
            assert BASE * 0.8 <= row.effective <= BASE * 1.2


@settings(max_examples=300, deadline=None)
@given(histories())
def test_waiting_is_none_or_at_least_three_months(h):
    result = evaluate(h)
    assert result.waiting.months == 0 or result.waiting.months >= 3
    assert result.waiting.applies == (result.waiting.months > 0)


@settings(max_examples=300, deadline=None)
@given(breaks())
def test_a_longer_break_never_shortens_the_wait(b):
    before, n, backpaid, month_day, group = b
    shorter = evaluate(broken_history(before, n, backpaid, month_day, group))
    longer = evaluate(broken_history(before, n + 1, backpaid, month_day, group))
    assert longer.waiting.months >= shorter.waiting.months
    assert longer.cap.reduction >= shorter.cap.reduction


@settings(max_examples=300, deadline=None)
@given(breaks())
def test_back_paying_more_never_lengthens_the_wait(b):
    before, n, backpaid, month_day, group = b
    if backpaid == n:
        return
    fewer = evaluate(broken_history(before, n, backpaid, month_day, group))
    more = evaluate(broken_history(before, n, backpaid + 1, month_day, group))
    assert more.waiting.months <= fewer.waiting.months
    assert more.cap.effective == fewer.cap.effective  # back-payment does not repair the cap


@settings(max_examples=200, deadline=None)
@given(histories())
def test_benefits_start_after_counting_and_the_result_is_plain_json(h):
    result = evaluate(h)
    w = result.waiting
    if w.counting_from and result.benefits_from:
        assert result.benefits_from > w.counting_from
    if result.benefits_from and h.paid_on:
        assert result.benefits_from > h.paid_on
    dumped = result.model_dump(mode="json")
    assert json.loads(json.dumps(dumped, ensure_ascii=False)) == dumped
    assert evaluate(h) == result  # pure: the same history, the same result
    assert any("经办机构" in c for c in result.caveats)


@st.composite
def newborns(draw):
    target = draw(st.integers(2025, 2032))
    born = draw(st.dates(dt.date(2025, 1, 1), dt.date(target, 12, 31)))
    coverage = {y: draw(st.sampled_from(list(Coverage))) for y in range(born.year, target)}
    coverage[target] = Coverage.chongqing
    paid = draw(st.none() | st.dates(max(born, dt.date(target - 1, 9, 1)), dt.date(target, 12, 31)))
    return History(target_year=target, coverage=coverage, group=Group.newborn, born=born, paid_on=paid)


@settings(max_examples=300, deadline=None)
@given(newborns())
def test_newborns_are_never_covered_before_birth_and_wait_zero_or_three_months(h):
    result = evaluate(h)
    assert result.waiting.months == 0 or result.waiting.months >= 3
    if result.benefits_from is not None:
        assert result.benefits_from >= h.born
    assert all(row.year >= h.born.year for row in result.cap_by_year)
    assert 160_000 <= result.cap.effective <= 240_000
