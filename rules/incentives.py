"""The two incentives applied to a number of years, with no history of one's own.

People ask "连续交到第8年封顶线提高多少", "零报销5年额度加到多少", "几年能加满": the articles of
rules.cap for a count, in the insured `year` whose parameters are in force:

- continuous enrolment (42号 三): "对连续参加居民医保满4年的参保人员，之后每连续参保缴费1年，提高
  居民大病保险最高支付限额4000元": at the Nth continuous year from the first year (2025 = year 1), the
  years past the required 4 each add the step (year 5, 2029, is the first raised, as rules.cap counts);
- zero reimbursement (42号 三): "当年医保基金零报销且于次年正常参保缴费的…次年提高…4000元": K such
  years, each followed by a year of enrolment, add K steps;
- both together (重庆晨报): at most 20% of the base cap;
- how many insured years it takes to reach that ceiling: by continuous enrolment alone, by zero
  reimbursement alone (enrolled every year), or with both every year.

Each function returns its value and one trace step whose sentence is formatted from the parameters.
"""

from __future__ import annotations

from typing import Literal

from rules import parameters as p
from rules.cap import yuan_zh
from rules.policy import first_year
from rules.trace import Ruled, percent, step

Kind = Literal["continuous", "zero_claim", "both"]


def _ceiling(year: int) -> int:
    return round(int(p.value("base_cap", year)) * float(p.value("incentive_ceiling_rate", year)))


def highest_cap(year: int) -> int:
    """The base cap raised by the whole incentive ceiling (重庆晨报: at most 20%)."""
    return int(p.value("base_cap", year)) + _ceiling(year)


def insured_year(nth: int) -> int:
    """The Nth insured year counted from the first year (1 -> 2025)."""
    return first_year() + nth - 1


def continuous_after(years: int, year: int) -> Ruled[int]:
    """42号 三 at the `years`-th continuous year: the continuous-enrolment amount, uncapped."""
    required = int(p.value("continuous_years_required", year))
    per_year = int(p.value("continuous_incentive_step", year))
    past = max(0, years - required)
    amount = past * per_year
    if past:
        text = f"满{required}年后又连续{past}年，连续参保激励提高{past}×{per_year}={amount}元。"
    elif years == required:
        text = f"刚满{required}年，还没有提高，要再连续参保1年（第{required + 1}年）才提高{per_year}元。"
    else:
        text = f"还没满{required}年，连续参保激励0元（满{required}年后，从第{required + 1}年起每年提高{per_year}元）。"
    return Ruled(amount, step("count.continuous", text, "continuous_incentive", result=amount, years=years))


def zero_claim_after(years: int, year: int) -> Ruled[int]:
    """42号 三 for `years` zero-reimbursement years, each followed by a year of enrolment: the amount, uncapped."""
    per_year = int(p.value("zero_claim_incentive_step", year))
    amount = years * per_year
    text = (
        f"每个零报销年度，次年正常参保的，次年提高{per_year}元；"
        f"{years}个零报销年度累计提高{years}×{per_year}={amount}元（额度没在大病保险报销中用掉的话）。"
    )
    return Ruled(amount, step("count.zero_claim", text, "zero_claim_incentive", result=amount, years=years))


def combined(continuous: int, zero_claim: int, year: int) -> Ruled[int]:
    """重庆晨报: the two amounts together, at most 20% of the base cap; the value is the cap that results."""
    base = int(p.value("base_cap", year))
    ceiling = _ceiling(year)
    total = continuous + zero_claim
    counted = min(total, ceiling)
    cap = base + counted
    rate = percent(p.value("incentive_ceiling_rate", year))
    if total > ceiling:
        text = f"两项激励合计{total}元，超过上限：最多提高基础封顶线{yuan_zh(base)}的{rate}即{ceiling}元，"
    elif continuous and zero_claim:
        text = f"两项激励合计{continuous}+{zero_claim}={total}元（最多提高{ceiling}元），"
    elif not total:
        return Ruled(
            cap, step("count.combined", f"封顶线仍是{yuan_zh(base)}。", "incentive_ceiling", result=cap, incentives=0)
        )
    else:
        text = ""
    text += f"封顶线{yuan_zh(base)}+{counted}元={yuan_zh(cap)}"
    text += "。" if total > ceiling or (continuous and zero_claim) else f"（两项激励合计最多提高{rate}即{ceiling}元）。"
    return Ruled(cap, step("count.combined", text, "incentive_ceiling", result=cap, incentives=total, ceiling=ceiling))


def amounts_at(nth: int, kind: Kind, year: int) -> tuple[int, int]:
    """(continuous, zero-claim) amounts in the `nth` insured year, enrolled every year from the first
    year: zero-claim every year before it for "zero_claim" and "both", continuous for "continuous" and "both"
    (a zero-claim year is a year of enrolment too, so "zero_claim" also counts its continuity out)."""
    continuous = continuous_after(nth, year).value if kind != "zero_claim" else 0
    zero_claim = zero_claim_after(nth - 1, year).value if kind != "continuous" else 0
    return continuous, zero_claim


def years_to_ceiling(kind: Kind, year: int) -> Ruled[int]:
    """The insured year (counted from the first year, 1 = 2025) in which the incentives first reach
    their ceiling: by continuous enrolment alone, by zero reimbursement alone, or both every year."""
    ceiling = _ceiling(year)
    required = int(p.value("continuous_years_required", year))
    nth = 1
    while sum(amounts_at(nth, kind, year)) < ceiling:
        nth += 1
    cont, zero = amounts_at(nth, kind, year)
    cap = highest_cap(year)
    when = f"第{nth}年（从{first_year()}年度连续参保算，是{insured_year(nth)}年度）"
    if kind == "continuous":
        steps = ceiling // int(p.value("continuous_incentive_step", year))
        how = (
            f"只靠连续参保：满{required}年后要再连续{steps}年（{ceiling}÷{p.value('continuous_incentive_step', year)}）"
        )
    elif kind == "zero_claim":
        how = f"只靠零报销：要有{nth - 1}个零报销年度（每年都参保，前{nth - 1}年都零报销）"
    else:
        how = f"两项都有（每年连续参保、每年都零报销）：连续参保激励{cont}元+零报销激励{zero}元={cont + zero}元"
    text = f"{how}，{when}加满{ceiling}元，封顶线到{yuan_zh(cap)}。"
    return Ruled(nth, step("count.to_ceiling", text, "incentive_ceiling", result=nth, kind=kind, ceiling=ceiling))
