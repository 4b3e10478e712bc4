"""The articles applied to a number of years of break, N, with no calendar year named.

People ask "断保N年，封顶线降多少 / 要等几个月" of no year in particular, or of a relative. The rules
then give, for N broken years, in the insured `year` whose parameters are in force:

- the cap (37号 五.4): "每断保1年，降低居民大病保险最高支付限额4000元，累计降低额度不超过居民大病保险
  原封顶线的20%";
- the waiting period (42号 三): the fixed 3 months, "每多断保1年…增加1个月" (a break of 1 year: the
  fixed months only);
- after back-payment (重庆晨报): "每多补缴1年的费用可以减少1个月的变动等待期", and "连续断缴4年及以上的，
  修复以后的变动等待期不少于3个月";
- which of the N years can count at all (37号 四.2): "以前年度是否连续参保不计连续参保年限和断保年限":
  before the target year, only the years from the first year on.

Each function returns its value and one trace step whose sentence is formatted from the parameters.
"""

from __future__ import annotations

from rules import parameters as p
from rules.cap import reduction_amount, reduction_limit, yuan_zh
from rules.models import years_zh
from rules.policy import first_year
from rules.trace import Ruled, percent, step
from rules.waiting import after_repair, variable_months


def cap_for(broken: int, year: int) -> Ruled[int]:
    """37号 五.4 for `broken` years: the cap in the year of re-enrolment, and how much it is lowered."""
    base = int(p.value("base_cap", year))
    per_year = int(p.value("reduction_step", year))
    reduction = reduction_amount(broken, year)
    cap = base - reduction
    rule = (
        f"每断保1年降低{per_year}元，累计不超过原封顶线{yuan_zh(base)}的"
        f"{percent(p.value('reduction_ceiling_rate', year))}即{reduction_limit(year)}元"
    )
    if broken * per_year > reduction:
        rule += f"，{broken}年本应降{broken * per_year}元，按上限算"
    text = f"大病保险封顶线降低{reduction}元，再参保那一年的封顶线为{cap}元（{yuan_zh(cap)}）：{rule}。"
    return Ruled(cap, step("count.cap", text, "reduction", result=cap, broken=broken, reduction=reduction))


def waiting_for(broken: int, year: int) -> Ruled[int]:
    """42号 三 for `broken` years, without back-payment: the fixed months plus the variable ones."""
    fixed = int(p.value("fixed_waiting_months", year))
    per_year = int(p.value("variable_months_per_broken_year", year))
    variable = variable_months(broken, year)
    months = fixed + variable
    how = (
        f"固定{fixed}个月，断保1年只有固定等待期"
        if not variable
        else f"固定{fixed}个月+变动{variable}个月，第1年以外每多断保1年加{per_year}个月"
    )
    text = f"不补缴的话，待遇等待期{months}个月（{how}）。"
    return Ruled(
        months,
        step("count.waiting", text, "fixed_waiting", result=months, broken=broken, fixed=fixed, variable=variable),
    )


def repaired_for(broken: int, year: int, backpaid: int | None = None) -> Ruled[int]:
    """重庆晨报, for `broken` years with `backpaid` of them back-paid (all of them when None): each year
    back-paid takes off one variable month; a break of 4 years or more keeps the floor of variable months."""
    paid = broken if backpaid is None else min(backpaid, broken)
    fixed = int(p.value("fixed_waiting_months", year))
    variable = variable_months(broken, year)
    per_year = int(p.value("repair_months_per_backpaid_year", year))
    asked = min(paid * per_year, variable)
    remaining = after_repair(broken, variable - asked, year)
    months = fixed + remaining
    said = f"补缴全部{paid}年" if backpaid is None or paid == broken else f"补缴{paid}年"
    if not variable:
        text = f"{said}：断保1年没有变动等待期，{fixed}个月固定等待期不能靠补缴减少，仍是{months}个月。"
    elif remaining > variable - asked:
        years, floor = int(p.value("long_break_years", year)), int(p.value("long_break_min_variable_months", year))
        less = f"只能减少{variable - remaining}个月" if variable > remaining else "补缴不能再减少"
        text = (
            f"{said}：连续断缴{years}年及以上的，修复后变动等待期不少于{floor}个月，"
            f"{less}，至少还要等{months}个月（固定{fixed}+变动{remaining}）。"
        )
    else:
        text = (
            f"{said}：每补缴1年减少{per_year}个月变动等待期，减少{asked}个月，"
            f"等待期{months}个月（固定{fixed}个月不能靠补缴减少）。"
        )
    return Ruled(
        months,
        step(
            "count.repair",
            text,
            "long_break" if remaining > variable - asked else "repair",
            result=months,
            broken=broken,
            backpaid=paid,
            remaining=remaining,
        ),
    )


def counted(broken: int, target: int) -> Ruled[int]:
    """37号 四.2: of `broken` years right before the insured year `target`, the ones that count as
    broken years: only those from the first year on. The step is given only when fewer count."""
    first = first_year()
    years = list(range(max(first, target - broken), target))
    if len(years) >= broken:
        return Ruled(broken)
    if years:
        now = f"到{target}年度，能算作断保的最多{len(years)}年（{years_zh(years)}年），不是{broken}年"
    else:
        now = f"到{target}年度，还没有能算作断保的年份，不是{broken}年"
    text = f"断保年限从{first}年度起算，以前年度没参保不计断保年限：{now}。"
    return Ruled(len(years), step("count.counted", text, "pre_2025", result=len(years), said=broken, target=target))
