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
from rules.models import Cap, CapYear, Coverage, years_zh
from rules.timeline import Timeline
from rules.trace import Ruled, percent, step


@dataclass
class YearFigures:
    """One year's cap, and what the rules decided that year (read by the articles below)."""

    year: int
    coverage: Coverage
    count: int = 0  # continuous resident years in the current run
    continuous: int = 0  # continuous-enrolment amount in force
    zero_claim: int = 0  # zero-reimbursement amount in force
    earned_continuous: int = 0
    earned_zero_claim: int = 0
    cleared: int = 0
    broken: tuple[int, ...] = ()
    reduction: int = 0
    ceiling: int = 0
    base: int = 0
    continuous_kept: bool = False  # a broken year: the count restarts, the amount stays (四.1)
    zero_claim_lapsed: bool = False  # last year had no reimbursement, this year is no resident year
    zero_claim_ignored: bool = False  # a zero-reimbursement year under employee insurance (四.2)
    zero_claim_gap: bool = False  # no resident insurance after a zero-reimbursement reward (四.1)

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
    rewarded = False
    for y in tl.years:
        cov = tl.coverage[y]
        base = int(p.value("base_cap", y))
        row = YearFigures(y, cov, base=base, ceiling=round(base * p.value("incentive_ceiling_rate", y)))
        prev = y - 1
        zero_before = prev in h.zero_claim and prev in tl.coverage and tl.coverage[prev].resident
        row.zero_claim_ignored = y in h.zero_claim and cov is Coverage.employee
        row.zero_claim_gap = rewarded and not cov.resident
        if cov is Coverage.none:
            count = 0
            row.continuous_kept = continuous > 0
        if not cov.resident:
            row.zero_claim_lapsed = zero_before
        else:
            count += 1
            if count > p.value("continuous_years_required", y):
                step_ = int(p.value("continuous_incentive_step", y))
                continuous += step_
                row.earned_continuous = step_
            if zero_before:
                step_ = int(p.value("zero_claim_incentive_step", y))
                zero_claim += step_
                row.earned_zero_claim = step_
                rewarded = True
            if y in h.reward_used:
                row.cleared = zero_claim  # shown this year (it paid out), gone from the next
            broken = tl.broken_before(y)
            if broken:
                row.broken = tuple(broken)
                row.reduction = reduction_amount(len(broken), y)
        row.count, row.continuous, row.zero_claim = count, continuous, zero_claim
        if row.cleared:
            zero_claim = 0
        rows.append(row)
    return rows


def reduction_limit(year: int) -> int:
    """37号 五.4: "累计降低额度不超过居民大病保险原封顶线的20%", in yuan."""
    return round(int(p.value("base_cap", year)) * float(p.value("reduction_ceiling_rate", year)))


def reduction_amount(broken: int, year: int) -> int:
    """37号 五.4 for `broken` years of break: "每断保1年，降低…4000元", at most the limit above."""
    return min(broken * int(p.value("reduction_step", year)), reduction_limit(year))


def cap_of(row: YearFigures) -> Cap:
    effective = row.effective
    assert effective is not None, "the target year is a resident-insurance year"
    return Cap(
        base=row.base,
        continuous=row.continuous,
        zero_claim=row.zero_claim,
        incentives=row.incentives,
        incentives_capped=row.incentives_capped,
        reduction=row.reduction,
        effective=effective,
    )


def table(rows: list[YearFigures]) -> list[CapYear]:
    return [
        CapYear(
            year=r.year,
            coverage=r.coverage,
            continuous=r.continuous,
            zero_claim=r.zero_claim,
            reduction=r.reduction,
            effective=r.effective,
        )
        for r in rows
    ]


# ---------------------------------------------------------------- the articles, for the target year


def yuan_zh(yuan: int) -> str:
    """200000 -> "20万元"."""
    return f"{yuan / 10000:g}万元" if yuan % 1000 == 0 else f"{yuan}元"


def base_cap(tl: Timeline, rows: list[YearFigures]) -> Ruled[int]:
    """The base cap of the target year (重庆晨报: "目前重庆居民医保大病保险最高支付限额为20万元")."""
    target = rows[-1]
    published = p.entry("base_cap", tl.target).from_.year
    caveats: tuple[str, ...] = ()
    if tl.target > published:
        caveats = (f"基础封顶线按{published}年公布的{yuan_zh(target.base)}计算；以后年度如有调整，以当年文件为准。",)
    return Ruled(
        target.base,
        step(
            "cap.base",
            f"{tl.target}年度居民大病保险基础封顶线{target.base}元。",
            "base_cap",
            result=target.base,
            year=tl.target,
        ),
        caveats,
    )


def continuous_incentive(tl: Timeline, rows: list[YearFigures]) -> Ruled[int]:
    """42号 三: "对连续参加居民医保满4年的参保人员，之后每连续参保缴费1年，提高居民大病保险最高支付限额4000元"."""
    target = rows[-1]
    required = int(p.value("continuous_years_required", tl.target))
    earned = [r.year for r in rows if r.earned_continuous]
    text = (
        f"从{tl.first}年度起算，到{tl.target}年连续参加居民医保{target.count}年。满{required}年后每连续参保1年"
        f"提高{p.value('continuous_incentive_step', tl.target)}元"
    )
    text += (
        f"，已在{years_zh(earned)}年获得，连续参保激励累计{target.continuous}元。"
        if earned
        else "，还没有获得，连续参保激励0元。"
    )
    return Ruled(
        target.continuous,
        step(
            "incentive.continuous",
            text,
            "continuous_incentive",
            result=target.continuous,
            continuous_years=target.count,
            earned_in=earned,
        ),
    )


def continuous_kept(rows: list[YearFigures]) -> Ruled[int]:
    """37号 四.1: "中断参加基本医保后连续参保激励年限清零，激励金额不清零"."""
    target, resets = rows[-1], [r for r in rows if r.continuous_kept]
    if not resets:
        return Ruled(target.continuous)
    kept = "；".join(f"{r.year}年断保，已获得的{r.continuous}元保留" for r in resets)
    text = f"断保时连续参保年限清零，激励金额不清零：{kept}。"
    return Ruled(
        target.continuous,
        step(
            "incentive.continuous_kept",
            text,
            "continuous_reset",
            result=target.continuous,
            broken=[r.year for r in resets],
        ),
    )


def zero_claim_incentive(tl: Timeline, rows: list[YearFigures]) -> Ruled[int]:
    """42号 三: "对当年医保基金零报销且于次年正常参保缴费的居民医保参保人员，次年提高大病保险最高支付限额4000元"."""
    h, target = tl.history, rows[-1]
    earned = [r.year - 1 for r in rows if r.earned_zero_claim]
    lapsed = [r.year - 1 for r in rows if r.zero_claim_lapsed]
    if earned:
        pairs = "、".join(
            f"{r.year - 1}年零报销→{r.year}年+{r.earned_zero_claim}元" for r in rows if r.earned_zero_claim
        )
        text = f"基金零报销激励：{pairs}。"
    else:
        text = "没有获得基金零报销激励。"
    if lapsed:
        text += f"{years_zh(lapsed)}年零报销，但次年没有参加居民医保，不提高封顶线。"
    if tl.target in h.zero_claim:
        text += f"{tl.target}年的零报销要到下一年度才提高封顶线。"
    text += f"到{tl.target}年零报销激励额度{target.zero_claim}元。"
    return Ruled(
        target.zero_claim,
        step(
            "incentive.zero_claim",
            text,
            "zero_claim_incentive",
            result=target.zero_claim,
            zero_claim_years=sorted(h.zero_claim),
            rewarded_in=[y + 1 for y in earned],
        ),
    )


def zero_claim_resident_only(rows: list[YearFigures]) -> Ruled[list[int]]:
    """37号 四.2: "居民医保的连续参保激励和基金零报销激励只针对参加居民医保的情况"."""
    ignored = [r.year for r in rows if r.zero_claim_ignored]
    if not ignored:
        return Ruled(ignored)
    return Ruled(
        ignored,
        step(
            "incentive.zero_claim_employee",
            f"{years_zh(ignored)}年参加的是职工医保：零报销激励只针对居民医保，不计。",
            "resident_only",
            result=0,
            years=ignored,
        ),
    )


def zero_claim_cleared(tl: Timeline, rows: list[YearFigures]) -> Ruled[int]:
    """37号 四.1: "参保人积累的零报销激励额度当年使用当年清零，次年重新计算"."""
    h, target = tl.history, rows[-1]
    cleared = [r for r in rows if r.year in h.reward_used]
    if not cleared:
        return Ruled(target.zero_claim)
    parts = "、".join(f"{r.year}年用了{r.cleared}元，{r.year + 1}年起清零" for r in cleared)
    return Ruled(
        target.zero_claim,
        step(
            "incentive.zero_claim_cleared",
            f"大病保险使用了奖励额度：{parts}（当年使用当年清零，次年重新计算），连续参保激励不受影响。",
            "zero_claim_cleared",
            result=target.zero_claim,
            reward_used=sorted(h.reward_used),
        ),
        (
            "“当年使用当年清零”按本产品的理解：使用奖励额度的年度仍按提高后的封顶线支付，"
            "从下一年度起零报销激励额度清零、重新计算；连续参保激励不清零。",
        ),
    )


def zero_claim_kept(rows: list[YearFigures]) -> Ruled[int]:
    """37号 四.1: "零报销激励额度，在中断参加居民医保或转为参加职工医保后，额度不清零"."""
    target, gaps = rows[-1], [r.year for r in rows if r.zero_claim_gap]
    if not (target.zero_claim and gaps):
        return Ruled(target.zero_claim)
    text = f"{years_zh(gaps)}年中断参加居民医保或转为职工医保：零报销激励额度不清零。"
    return Ruled(
        target.zero_claim,
        step("incentive.zero_claim_kept", text, "zero_claim_kept", result=target.zero_claim, years=gaps),
    )


def incentive_ceiling(tl: Timeline, rows: list[YearFigures]) -> Ruled[int]:
    """重庆晨报: "连续参保激励和基金零报销激励累计提高的总额度最高可以达到大病保险最高支付限额的20%"."""
    target = rows[-1]
    rate = percent(p.value("incentive_ceiling_rate", tl.target))
    capped = target.incentives_capped
    caveats: tuple[str, ...] = ()
    if target.incentives > target.ceiling:
        caveats = (f"两项激励合计超过{rate}上限时，本产品对合计额封顶，两项额度各自照常累计。",)
    highest = target.base + target.ceiling
    return Ruled(
        capped,
        step(
            "incentive.ceiling",
            f"两项激励合计{target.incentives}元，最多提高基础封顶线的{rate}"
            f"（{target.ceiling}元，封顶线最高{highest}元），计入{capped}元。",
            "incentive_ceiling",
            result=capped,
            incentives=target.incentives,
            ceiling=target.ceiling,
        ),
        caveats,
    )


def reduction(tl: Timeline, rows: list[YearFigures]) -> Ruled[int]:
    """37号 五.4: "每断保1年，降低居民大病保险最高支付限额4000元，累计降低额度不超过居民大病保险原封顶线的20%，
    再次参保后的次年继续参保时恢复居民大病原封顶线"."""
    h, target = tl.history, rows[-1]
    if target.reduction:
        caveats: tuple[str, ...] = ()
        if h.backpaid:
            caveats = ("补缴只修复变动等待期，不恢复断保降低的封顶线（本产品对渝医保发〔2025〕37号 五.4 的理解）。",)
        text = (
            f"再参保前断保{len(target.broken)}年（{years_zh(target.broken)}）：每断保1年降低"
            f"{p.value('reduction_step', tl.target)}元，累计不超过原封顶线的"
            f"{percent(p.value('reduction_ceiling_rate', tl.target))}，本年度降低{target.reduction}元；"
            "下一年继续参保时恢复。"
        )
        return Ruled(
            target.reduction,
            step("cap.reduction", text, "reduction", result=target.reduction, broken_years=list(target.broken)),
            caveats,
        )
    restored = [r.year for r in rows[:-1] if r.reduction]
    if not restored:
        return Ruled(0)
    return Ruled(
        0,
        step(
            "cap.restored",
            f"{years_zh(restored)}年再参保时曾降低封顶线，之后继续参保，{tl.target}年度已恢复原封顶线。",
            "reduction",
            result=0,
            reduced_in=restored,
        ),
    )


def effective_cap(tl: Timeline, rows: list[YearFigures]) -> Ruled[Cap]:
    """The cap of the target year: the base, plus the incentives within their ceiling, minus the reduction."""
    target = rows[-1]
    cap = cap_of(target)
    text = (
        f"{tl.target}年度大病保险最高支付限额：{target.base}+{cap.incentives_capped}−{target.reduction}"
        f"={cap.effective}元。"
    )
    return Ruled(
        cap,
        step(
            "cap.effective",
            text,
            "base_cap",
            result=cap.effective,
            base=target.base,
            incentives=cap.incentives_capped,
            reduction=target.reduction,
        ),
    )


def articles(tl: Timeline, rows: list[YearFigures]) -> list[Ruled[object]]:
    """Every cap article for the target year, in the order the trace reads them."""
    return [
        base_cap(tl, rows),
        continuous_incentive(tl, rows),
        continuous_kept(rows),
        zero_claim_incentive(tl, rows),
        zero_claim_resident_only(rows),
        zero_claim_cleared(tl, rows),
        zero_claim_kept(rows),
        incentive_ceiling(tl, rows),
        reduction(tl, rows),
        effective_cap(tl, rows),
    ]
