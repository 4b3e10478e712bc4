"""The critical-illness cap (大病保险最高支付限额) year by year: two incentives and a reduction.

Continuous enrolment, 渝医保发〔2025〕42号 三: "自2025年起，对连续参加居民医保满4年的参保人员，
之后每连续参保缴费1年，提高居民大病保险最高支付限额4000元". The amount is earned in the year
that follows the 4 full years (insured 2025-2029: +4,000 in 2029). 渝医保发〔2025〕37号 四.1: a
break resets the count of years, not the amount. 四.2: years outside Chongqing count; employee
years keep continuity but are not resident years (product reading: they neither add nor reset).

Zero reimbursement, 42号 三: "对当年医保基金零报销且于次年正常参保缴费的居民医保参保人员，次年
提高大病保险最高支付限额4000元". Amounts accumulate; 37号 四.1: "当年使用当年清零，次年重新计算"
(read as: used within that year, gone after it: the year the amount is used shows the raised cap, the
next year starts again from 0); a break or a move to employee
insurance keeps it. A year whose reward was used cannot be a zero-reimbursement year.

Both together: at most 20% of the base (重庆晨报 2025-06-26). The ceiling applies to the sum;
the two amounts are tracked uncapped, so clearing one never lowers the other.

Reduction, 37号 五.4: "每断保1年，降低居民大病保险最高支付限额4000元，累计降低额度不超过居民大病
保险原封顶线的20%，再次参保后的次年继续参保时恢复" — in the re-enrolment year only.
"""
from __future__ import annotations

from dataclasses import dataclass

from rules import parameters as p
from rules.models import Cap, CapYear, Coverage
from rules.timeline import Timeline


@dataclass
class YearFigures:
    year: int
    coverage: Coverage
    count: int = 0            # continuous resident years in the current run
    continuous: int = 0       # continuous-enrolment amount in force
    zero_claim: int = 0       # zero-reimbursement amount in force
    earned_continuous: int = 0
    earned_zero_claim: int = 0
    cleared: int = 0
    broken: tuple[int, ...] = ()
    reduction: int = 0
    ceiling: int = 0
    base: int = 0

    @property
    def incentives(self) -> int:
        return self.continuous + self.zero_claim

    @property
    def incentives_capped(self) -> int:
        return min(self.incentives, self.ceiling)

    @property
    def effective(self) -> int | None:
        if not self.coverage.resident:
            return None
        return self.base + self.incentives_capped - self.reduction


def year_by_year(tl: Timeline) -> list[YearFigures]:
    """The cap figures of every year from the first counted year to the target year."""
    h = tl.history
    rows: list[YearFigures] = []
    count = continuous = zero_claim = 0
    for y in tl.years:
        cov = tl.coverage[y]
        base = int(p.value("base_cap", y))
        step = int(p.value("incentive_step", y))
        row = YearFigures(y, cov, base=base, ceiling=round(base * p.value("incentive_ceiling_rate", y)))
        if cov is Coverage.none:
            count = 0
        elif cov.resident:
            count += 1
            if count > p.value("continuous_years_required", y):
                continuous += step
                row.earned_continuous = step
            prev = y - 1
            if prev in h.zero_claim and prev in tl.coverage and tl.coverage[prev].resident:
                zero_claim += step
                row.earned_zero_claim = step
            if y in h.reward_used:
                row.cleared = zero_claim  # shown this year (it paid out), gone from the next
            broken = tl.broken_before(y)
            if broken:
                row.broken = tuple(broken)
                limit = round(base * p.value("reduction_ceiling_rate", y))
                row.reduction = min(len(broken) * int(p.value("reduction_step", y)), limit)
        row.count, row.continuous, row.zero_claim = count, continuous, zero_claim
        if row.cleared:
            zero_claim = 0
        rows.append(row)
    return rows


def cap_of(row: YearFigures) -> Cap:
    return Cap(base=row.base, continuous=row.continuous, zero_claim=row.zero_claim,
               incentives=row.incentives, incentives_capped=row.incentives_capped,
               reduction=row.reduction, effective=row.effective)


def table(rows: list[YearFigures]) -> list[CapYear]:
    return [CapYear(year=r.year, coverage=r.coverage, continuous=r.continuous, zero_claim=r.zero_claim,
                    reduction=r.reduction, effective=r.effective) for r in rows]
