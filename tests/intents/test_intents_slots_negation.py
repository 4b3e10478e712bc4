"""Facts read from the forms a person actually types: a split verb (参了保, 报过), a payment for a
year that is denied (没有补缴2026年的), a group named under a negation (不是低保户), and a payment
made in one year for the next (11月交的是2026年的)."""

from __future__ import annotations

import datetime as dt

import pytest

from intents.slots import extract

TODAY = dt.date(2027, 1, 20)


def _facts(text: str, today: dt.date = TODAY) -> set[tuple[int, str]]:
    return {(f.year, f.status) for f in extract(text, today).facts}


@pytest.mark.parametrize(
    "text",
    [
        "二〇二五年、二〇二六年、二〇二七年我都参了保",
        "2025年、2026年、2027年我们全家都参了保",
        "二五、二六、二七年都参过保的",
    ],
)
def test_a_list_of_years_said_insured_with_a_split_verb(text):
    assert _facts(text) == {(2025, "insured"), (2026, "insured"), (2027, "insured")}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("二五年报过一次门诊，二六年一次都没报过", {(2025, "claimed"), (2026, "zero_claim")}),
        ("2025年住院报过两回，2026年没再报过", {(2025, "claimed"), (2026, "zero_claim")}),
        ("26年没去报过销，25年报过销", {(2025, "claimed"), (2026, "zero_claim")}),
        ("我二五年没参过保，二六年参了保", {(2025, "uninsured"), (2026, "insured")}),
    ],
)
def test_claimed_and_not_claimed_with_reported(text, expected):
    assert _facts(text) == expected


@pytest.mark.parametrize("text", ["没有补缴2026年的", "我没补交2025年的", "我们不补缴2026年的"])
def test_a_denied_back_payment_sets_no_year_and_no_payment(text):
    slots = extract(text, TODAY)
    assert slots.target_year is None
    assert slots.backpaid == 0
    assert not [f for f in slots.facts if f.status == "insured"]


@pytest.mark.parametrize("text", ["我还没交2027年的", "未缴2026年的，急", "没有买2027年的"])
def test_a_denied_payment_for_a_year_is_no_payment_nor_the_year_asked(text):
    slots = extract(text, TODAY)
    assert slots.target_year is None
    assert not [f for f in slots.facts if f.status == "insured"]


def test_a_payment_for_a_year_still_names_it():
    slots = extract("上个月交了2027年的", TODAY)
    assert slots.target_year == 2027 and (2027, "insured") in _facts("上个月交了2027年的")


@pytest.mark.parametrize(
    "text, group, general, denied",
    [
        ("普通居民，不是学生也不是低保户", None, True, {"student", "low_income"}),
        ("我既不是大学生也不是特困人员", None, False, {"student", "low_income"}),
        ("并非低保户，就是一般参保人", None, True, {"low_income"}),
        ("家里没有低保", None, False, {"low_income"}),
        ("我不是学生，是低保户", "low_income", False, {"student"}),
        ("孩子刚出生，我们不是低保", "newborn", False, {"low_income"}),
        ("我是特困供养人员", "low_income", False, set()),
    ],
)
def test_a_group_under_a_negation_is_not_that_group(text, group, general, denied):
    slots = extract(text, TODAY)
    assert slots.group == group
    assert slots.general is general
    assert set(slots.not_groups) == denied


@pytest.mark.parametrize(
    "text",
    [
        "2025年那年是没得医保的，11月交的是2026年的",
        "2025年没买，11月份交的是26年的",
        "2025年没有医保，是11月交的2026年的",
    ],
)
def test_a_payment_made_in_one_year_for_the_next_is_no_fact_about_the_first(text):
    slots = extract(text, dt.date(2026, 3, 10))
    assert {(f.year, f.status) for f in slots.facts} == {(2025, "uninsured"), (2026, "insured")}
    assert slots.conflicts == []
    assert slots.paid_month == (2025, 11)


def test_paying_again_is_a_year_insured_and_no_longer_paying_is_not():
    again = extract("2025到2027年都没交，2028年再交", dt.date(2026, 12, 1))
    assert {(f.year, f.status) for f in again.facts} >= {(2027, "uninsured"), (2028, "insured")}
    stop = extract("2025年交了，2026年不再交了", dt.date(2026, 12, 1))
    assert (2026, "uninsured") in {(f.year, f.status) for f in stop.facts}


def test_more_years_after_the_last_told_are_insured_and_not_a_count_of_all():
    s = extract("2025至2028年每年都交，之后又连续交了2年", dt.date(2026, 12, 1))
    assert {f.year for f in s.facts if f.status == "insured"} == set(range(2025, 2031))
    assert s.insured_count is None  # two more years, not two in all


def _facts(text: str, today: dt.date = dt.date(2027, 12, 15)) -> set[tuple[int, str]]:
    return {(f.year, f.status) for f in extract(text, today).facts}


def test_a_place_named_only_to_deny_it_is_no_year_elsewhere():
    assert extract("也没在外省或者单位参过保", dt.date(2027, 12, 15)).statuses == []
    assert "elsewhere" not in extract("外地也没有参保", dt.date(2027, 12, 15)).statuses
    assert _facts("2026年在外地参保了") == {(2026, "elsewhere")}


def test_a_range_up_to_a_relative_year_covers_every_year():
    assert _facts("从2025年到去年都没交") == {(2025, "uninsured"), (2026, "uninsured")}


def test_never_insured_for_someone_else_and_no_insurance_of_any_kind():
    assert extract("一直没给他买过医保", dt.date(2027, 12, 15)).none_insured
    assert _facts("2026年什么保险都没有") == {(2026, "uninsured")}
    assert extract("2026年什么保险都没有", dt.date(2027, 12, 15)).target_year is None  # no question


def test_a_claim_told_beats_a_partial_no_claim_of_the_same_year():
    assert _facts("2026年只在门诊报了一点，没有住过院") == {(2026, "claimed")}


def test_the_incentive_amount_used_up_is_a_use():
    assert _facts("2026年住院把奖励额度都用光了") >= {(2026, "reward_used")}


def test_hearsay_and_a_year_told_of_are_neither_facts_nor_the_year_asked():
    s = extract("2026年交了，听说断保了要降封顶线", dt.date(2026, 8, 30))
    assert {(f.year, f.status) for f in s.facts} == {(2026, "insured")}
    assert extract("去年的没补缴", dt.date(2027, 12, 15)).target_year is None


def test_years_named_as_back_paid_count_as_the_years_back_paid():
    assert extract("顺便把2027年的也补缴了", dt.date(2027, 12, 18)).backpaid == 1
    assert extract("补缴了2025、2026年的", dt.date(2027, 12, 18)).backpaid == 2
    assert _facts("补缴了2025、2026年的") == set()  # back-paid years are no years insured
