"""The incentives applied to a number of years (rules.incentives): the same amounts and caps as the
engine gives for a history enrolled every year from the first year, with the zero-reimbursement
years said, and the insured year in which the ceiling is first reached."""

from __future__ import annotations

import pytest

from rules import History, evaluate
from rules import parameters as p
from rules.incentives import amounts_at, combined, continuous_after, insured_year, years_to_ceiling, zero_claim_after
from rules.policy import first_year

FIRST = first_year()
BASE = int(p.value("base_cap", FIRST))
STEP = int(p.value("continuous_incentive_step", FIRST))
ZERO_STEP = int(p.value("zero_claim_incentive_step", FIRST))
REQUIRED = int(p.value("continuous_years_required", FIRST))
CEILING = round(BASE * p.value("incentive_ceiling_rate", FIRST))


def engine(nth: int, zero_claim_years: int = 0):
    """The engine's cap in the `nth` insured year, enrolled every year from the first year, with
    zero reimbursement in the first `zero_claim_years` years."""
    target = insured_year(nth)
    years = range(FIRST, target + 1)
    return evaluate(History.from_lists(target, enrolled=years, zero_claim=set(years[:zero_claim_years]))).cap


@pytest.mark.parametrize("nth", [1, 3, 4, 5, 6, 8, 10, 14, 16])
def test_the_continuous_amount_at_the_nth_year_is_the_engines(nth):
    ruled = continuous_after(nth, insured_year(nth))
    cap = engine(nth)
    assert ruled.value == cap.continuous == max(0, nth - REQUIRED) * STEP
    assert combined(ruled.value, 0, insured_year(nth)).value == cap.effective
    assert ruled.step.citation.article == "三"


def test_the_first_year_raised_is_the_one_after_the_required_years():
    assert continuous_after(REQUIRED, FIRST).value == 0 and "刚满4年" in continuous_after(REQUIRED, FIRST).step.text
    assert continuous_after(REQUIRED + 1, FIRST).value == STEP
    assert engine(REQUIRED + 1).continuous == STEP and insured_year(REQUIRED + 1) == 2029


def test_eight_continuous_years_read_as_the_worked_sentence():
    assert continuous_after(8, insured_year(8)).step.text == "满4年后又连续4年，连续参保激励提高4×4000=16000元。"
    assert combined(16000, 0, insured_year(8)).step.text.startswith("封顶线20万元+16000元=21.6万元")


@pytest.mark.parametrize("zero", [1, 2, 5, 9])
def test_the_zero_claim_amount_is_the_engines_the_year_after(zero):
    """Zero reimbursement in the first `zero` years of `zero` + 1 insured years (too few for the
    continuous incentive below 4 years; above it the continuous amount is the engine's too)."""
    cap = engine(zero + 1, zero)
    assert zero_claim_after(zero, FIRST).value == cap.zero_claim == zero * ZERO_STEP
    assert sum(amounts_at(zero + 1, "both", FIRST)) == cap.incentives
    assert combined(*amounts_at(zero + 1, "both", FIRST), FIRST).value == cap.effective


def test_the_combined_amount_stops_at_the_ceiling():
    ruled = combined(6 * STEP, 6 * ZERO_STEP, FIRST)
    assert ruled.value == BASE + CEILING == engine(10, 9).effective
    assert "超过上限" in ruled.step.text and ruled.step.text.endswith("=24万元。")


@pytest.mark.parametrize(("kind", "nth"), [("continuous", 14), ("zero_claim", 11), ("both", 8)])
def test_the_ceiling_is_first_reached_where_the_engine_first_reaches_it(kind, nth):
    ruled = years_to_ceiling(kind, FIRST)
    assert ruled.value == nth
    zero = {"continuous": 0, "zero_claim": nth, "both": nth}[kind]
    caps = [engine(n, zero) for n in (nth - 1, nth)]
    if kind == "zero_claim":
        caps = [c.model_copy(update={"continuous": 0}) for c in caps]
        assert [c.zero_claim for c in caps] == [CEILING - ZERO_STEP, CEILING]
    else:
        assert [c.incentives_capped for c in caps][0] < CEILING == caps[1].incentives_capped
    assert f"第{nth}年" in ruled.step.text and "24万元" in ruled.step.text
