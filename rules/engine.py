"""evaluate(history) -> Result: every figure with the steps and articles behind it.

Pure: the parameters are read once (lru_cache), nothing else is read, no clock is consulted
("today" comes in the History), and the same History always gives the same Result.
"""
from __future__ import annotations

from rules import parameters as p
from rules.benefits import Start, start
from rules.cap import YearFigures, cap_of, table, year_by_year
from rules.models import (COVERAGE_ZH, GROUP_ZH, Coverage, FeeTier, Fees, Group, History, Result, Waiting,
                          _years)
from rules.timeline import Newborn, Timeline, timeline
from rules.trace import Trace, cite
from rules.waiting import Paid, WaitingFigures, paid_window, waiting

OFFICIAL = "以上是按政策文件推算的结果，实际的封顶线、等待期和待遇开始日期以医保经办机构核定为准（政策咨询可拨打12393）。"


def evaluate(history: History) -> Result:
    """The cap, waiting period, benefit start and contribution tiers of the target year."""
    tl = timeline(history)
    t = Trace()
    _scope(tl, t)
    rows = year_by_year(tl)
    target = rows[-1]
    _cap_steps(tl, rows, t)
    paid = paid_window(history)
    wait = waiting(tl, paid)
    _waiting_steps(tl, paid, wait, t)
    begin = start(tl, paid, wait)
    _start_steps(tl, paid, wait, begin, t)
    fees = _fees(history.target_year, t)
    t.caveat(OFFICIAL)
    return Result(
        target_year=history.target_year,
        group=history.group,
        broken_years=list(wait.broken),
        continuous=not wait.broken,
        cap=cap_of(target),
        cap_by_year=table(rows),
        waiting=Waiting(applies=wait.applies, reason=REASONS[wait.reason], reason_code=wait.reason, fixed=wait.fixed,
                        variable=wait.variable, repaired=wait.repaired, floor_applied=wait.floor_applied,
                        months=wait.months, counting_from=begin.counting_from),
        benefits_from=begin.benefits_from,
        fees=fees,
        trace=t.steps,
        caveats=t.caveats,
    )


def _scope(tl: Timeline, t: Trace) -> None:
    h = tl.history
    if h.pre_2025_years:
        t.step("scope.pre_2025", f"提到的{_years(h.pre_2025_years)}年早于2025年度：以前年度是否参保，"
               "不计连续参保年限，也不计断保年限，计算时不考虑。", "pre_2025",
               result="ignored", years=sorted(h.pre_2025_years))
    if tl.assumed_target:
        t.step("scope.target_assumed", f"没有说{tl.target}年度已参保：按{tl.target}年度参加重庆居民医保计算。",
               "resident_only", result="chongqing", target_year=tl.target)
        t.caveat(f"按{tl.target}年度参加重庆城乡居民医保计算；如果{tl.target}年度不参保，就没有居民大病保险待遇。")
    if h.born and tl.first > 2025:
        t.step("scope.born", f"{h.born.year}年出生：从出生当年起计算参保年度。", "newborn",
               result=tl.first, born=h.born.isoformat())
    listed = "；".join(f"{y}年{COVERAGE_ZH[c]}" for y, c in tl.coverage.items())
    t.step("history.years", f"参保情况：{listed}。未参加基本医保的年度算断保。", "continuity",
           result={str(y): c.value for y, c in tl.coverage.items()},
           coverage={str(y): h.covered(y).value for y in tl.years})
    employee = [y for y, c in tl.coverage.items() if c is Coverage.employee]
    if employee or h.also_employee:
        text = ""
        if employee:
            text += f"{_years(employee)}年参加职工医保：跨制度接续算连续参保，但不计入居民医保连续参保年限。"
        if h.also_employee:
            text += f"{_years(h.also_employee)}年既有居民医保又有职工医保：按居民医保年度计算。"
        t.step("history.employee", text, "cross_scheme", result=employee,
               employee=employee, also_employee=sorted(h.also_employee))
        t.caveat("职工医保年度按“保持连续、但不增加也不清零居民医保连续参保年限”计算（本产品对渝医保发〔2025〕37号 四.2 的理解）。")
    elsewhere = [y for y, c in tl.coverage.items() if c is Coverage.elsewhere]
    if elsewhere:
        t.step("history.elsewhere", f"{_years(elsewhere)}年在市外参加居民医保：年限连续计算，激励按重庆标准计算，"
               "市外的激励额度不叠加。", "elsewhere", result=elsewhere, elsewhere=elsewhere)
        t.caveat("市外参保年度的激励按重庆标准推算，市外年度的参保和零报销情况需经办机构核实。")


def _cap_steps(tl: Timeline, rows: list[YearFigures], t: Trace) -> None:
    h, target = tl.history, rows[-1]
    t.step("cap.base", f"{tl.target}年度居民大病保险基础封顶线{target.base}元。", "base_cap",
           result=target.base, year=tl.target)
    if tl.target > 2025:
        t.caveat("基础封顶线按2025年公布的20万元计算；以后年度如有调整，以当年文件为准。")
    required = int(p.value("continuous_years_required", tl.target))
    earned = [r.year for r in rows if r.earned_continuous]
    text = (f"从{tl.first}年度起算，到{tl.target}年连续参加居民医保{target.count}年。满{required}年后每连续参保1年"
            f"提高{p.value('incentive_step', tl.target)}元")
    text += f"，已在{_years(earned)}年获得，连续参保激励累计{target.continuous}元。" if earned else \
        f"，还没有获得，连续参保激励0元。"
    t.step("incentive.continuous", text, "continuous_incentive", result=target.continuous,
           continuous_years=target.count, earned_in=earned)
    resets = [r for r in rows if r.coverage is Coverage.none and r.continuous]
    if resets:
        kept = "；".join(f"{r.year}年断保，已获得的{r.continuous}元保留" for r in resets)
        t.step("incentive.continuous_kept", f"断保时连续参保年限清零，激励金额不清零：{kept}。", "continuous_reset",
               result=target.continuous, broken=[r.year for r in resets])
    _zero_claim_steps(tl, rows, t)
    capped = target.incentives_capped
    t.step("incentive.ceiling", f"两项激励合计{target.incentives}元，最多提高基础封顶线的20%（{target.ceiling}元），"
           f"计入{capped}元。", "incentive_ceiling", result=capped,
           incentives=target.incentives, ceiling=target.ceiling)
    if target.incentives > target.ceiling:
        t.caveat("两项激励合计超过20%上限时，本产品对合计额封顶，两项额度各自照常累计。")
    if target.reduction:
        t.step("cap.reduction", f"再参保前断保{len(target.broken)}年（{_years(target.broken)}）：每断保1年降低"
               f"{p.value('reduction_step', tl.target)}元，累计不超过原封顶线的20%，本年度降低{target.reduction}元；"
               "下一年继续参保时恢复。", "reduction", result=target.reduction, broken_years=list(target.broken))
        if h.backpaid:
            t.caveat("补缴只修复变动等待期，不恢复断保降低的封顶线（本产品对渝医保发〔2025〕37号 五.4 的理解）。")
    else:
        restored = [r.year for r in rows[:-1] if r.reduction]
        if restored:
            t.step("cap.restored", f"{_years(restored)}年再参保时曾降低封顶线，之后继续参保，{tl.target}年度已恢复原封顶线。",
                   "reduction", result=0, reduced_in=restored)
    t.step("cap.effective", f"{tl.target}年度大病保险最高支付限额：{target.base}+{capped}−{target.reduction}"
           f"={target.effective}元。", "base_cap", result=target.effective,
           base=target.base, incentives=capped, reduction=target.reduction)


def _zero_claim_steps(tl: Timeline, rows: list[YearFigures], t: Trace) -> None:
    h, target = tl.history, rows[-1]
    by_year = {r.year: r for r in rows}
    earned = [r.year - 1 for r in rows if r.earned_zero_claim]
    ignored_employee = sorted(y for y in h.zero_claim if by_year.get(y) and by_year[y].coverage is Coverage.employee)
    not_followed = sorted(y for y in h.zero_claim if y < tl.target and y not in ignored_employee
                          and y not in earned)
    if earned:
        pairs = "、".join(f"{y}年零报销→{y + 1}年+{by_year[y + 1].earned_zero_claim}元" for y in earned)
        text = f"基金零报销激励：{pairs}。"
    else:
        text = "没有获得基金零报销激励。"
    if not_followed:
        text += f"{_years(not_followed)}年零报销，但次年没有参加居民医保，不提高封顶线。"
    if tl.target in h.zero_claim:
        text += f"{tl.target}年的零报销要到下一年度才提高封顶线。"
    t.step("incentive.zero_claim", text + f"到{tl.target}年零报销激励额度{target.zero_claim}元。",
           "zero_claim_incentive", result=target.zero_claim, zero_claim_years=sorted(h.zero_claim),
           rewarded_in=[y + 1 for y in earned])
    if ignored_employee:
        t.step("incentive.zero_claim_employee", f"{_years(ignored_employee)}年参加的是职工医保：零报销激励只针对居民医保，不计。",
               "resident_only", result=0, years=ignored_employee)
    cleared = [r for r in rows if r.year in h.reward_used]
    if cleared:
        parts = "、".join(f"{r.year}年用了{r.cleared}元，{r.year + 1}年起清零" for r in cleared)
        t.step("incentive.zero_claim_cleared", f"大病保险使用了奖励额度：{parts}（当年使用当年清零，次年重新计算），"
               "连续参保激励不受影响。", "zero_claim_cleared", result=target.zero_claim,
               reward_used=sorted(h.reward_used))
        t.caveat("“当年使用当年清零”按本产品的理解：使用奖励额度的年度仍按提高后的封顶线支付，"
                 "从下一年度起零报销激励额度清零、重新计算；连续参保激励不清零。")
    gaps = [r.year for r in rows if earned and r.year > earned[0] + 1
            and r.coverage in (Coverage.none, Coverage.employee)]
    if target.zero_claim and gaps:
        t.step("incentive.zero_claim_kept", f"{_years(gaps)}年中断参加居民医保或转为职工医保："
               "零报销激励额度不清零。", "zero_claim_kept", result=target.zero_claim, years=gaps)


REASONS = {
    "former_rules": "低收入人口、脱贫人口、服刑人员等特殊群体按原政策执行，不设新的待遇等待期",
    "newborn": "新生儿在出生2周岁内首次参保，不设待遇等待期",
    "continuous_in_period": "连续参保并在集中参保期内缴费，没有待遇等待期",
    "not_continuous": "未连续参保，设固定待遇等待期，断保超过1年的再加变动待遇等待期",
    "outside_period": "没有在集中参保期内缴费，设3个月固定待遇等待期",
    "not_continuous_outside_period": "未连续参保且没有在集中参保期内缴费，设固定待遇等待期，断保超过1年的再加变动待遇等待期",
}

PAID_ZH = {
    Paid.by_december: "在集中参保期内、12月底前缴费",
    Paid.january_february: "在集中参保期内的1月至2月缴费",
    Paid.student_september: "在大学生集中参保期（9月）缴费",
    Paid.outside: "不在集中参保期（9月至次年2月）内缴费",
}


def _waiting_steps(tl: Timeline, paid: Paid, wait: WaitingFigures, t: Trace) -> None:
    h = tl.history
    if wait.broken:
        t.step("waiting.broken", f"{tl.target}年度之前连续断保{len(wait.broken)}年（{_years(wait.broken)}）：未连续参保。",
               "continuity", result=len(wait.broken), broken_years=list(wait.broken))
    elif tl.exempt or tl.newborn in (Newborn.within_days, Newborn.under_age, Newborn.unknown_day):
        t.step("waiting.broken", "新生儿未满2周岁首次参保：出生后、首次参保前的年度不算断保。", "newborn", result=0)
    else:
        t.step("waiting.broken", f"{tl.target}年度之前没有断保：连续参保。", "continuity", result=0)
    if paid is not Paid.unknown:
        when = PAID_ZH[paid]
        if wait.reason == "newborn":
            when = "新生儿首次参保按出生后的天数和年龄确定待遇，不看集中参保期"
        t.step("waiting.paid", f"{h.paid_on}缴费：{when}。",
               "students" if paid is Paid.student_september else "collection_period",
               result=paid.value, paid_on=h.paid_on.isoformat())
    else:
        t.caveat("没有缴费日期：按集中参保期内缴费计算等待期，待遇开始日期无法确定。")
    if wait.reason == "former_rules":
        t.step("waiting.special_group", f"{GROUP_ZH[h.group]}参保待遇等待期按原政策执行：不设待遇等待期。",
               "special_groups", result=0, group=h.group.value)
        t.caveat("低收入人口、脱贫人口、服刑人员“按原政策执行”，本产品按没有待遇等待期计算，"
                 "断保降低封顶线仍照常计算。")
        return
    if wait.reason == "newborn":
        t.step("waiting.newborn", "新生儿出生后未满2周岁首次参保缴费：不设待遇等待期。", "newborn", result=0,
               born=h.born.isoformat())
        return
    if tl.newborn is Newborn.over_age:
        t.step("waiting.newborn", f"年满2周岁后首次参保：设待遇等待期，从出生当年（{h.born.year}年）计算断保年限。",
               "newborn", result=len(wait.broken), born=h.born.isoformat())
    if not wait.applies:
        t.step("waiting.total", "连续参保且在集中参保期内缴费：没有待遇等待期。", "fixed_waiting", result=0)
        return
    if wait.reason == "outside_period":
        t.step("waiting.fixed", f"没有在集中参保期内缴费：固定待遇等待期{wait.fixed}个月。", "fixed_waiting",
               result=wait.fixed)
        t.caveat("连续参保但不在集中参保期内缴费的，本产品按3个月固定待遇等待期、从缴费次日起计算。")
    else:
        t.step("waiting.fixed", f"未连续参保：固定待遇等待期{wait.fixed}个月。", "fixed_waiting", result=wait.fixed)
        t.step("waiting.variable", f"断保{len(wait.broken)}年，第1年以外每多断保1年加1个月：变动待遇等待期"
               f"{wait.variable}个月。", "broken_examples", result=wait.variable, broken_years=len(wait.broken))
    if h.backpaid:
        t.step("waiting.repair", f"补缴{h.backpaid}年，每补缴1年减少1个月变动等待期：可减少{wait.requested_repair}个月。",
               "repair", result=wait.requested_repair, backpaid=h.backpaid)
    if wait.floor_applied:
        t.step("waiting.floor", f"连续断缴{len(wait.broken)}年（4年及以上）：修复后变动等待期不少于3个月，"
               f"实际减少{wait.repaired}个月，总等待期不少于6个月。", "long_break", result=wait.months)
    t.step("waiting.total", f"待遇等待期共{wait.months}个月（固定{wait.fixed}+变动{wait.variable}−修复{wait.repaired}），"
           "按自然月整月计算。", "whole_months", result=wait.months)


START_SOURCES = {
    "by_december": "start_by_december", "january_february": "start_january_february",
    "student_september": "students", "outside": "collection_period",
    "newborn_birth": "newborn", "newborn_after_payment": "newborn",
}


def _start_steps(tl: Timeline, paid: Paid, wait: WaitingFigures, begin: Start, t: Trace) -> None:
    h = tl.history
    if begin.benefits_from is None:
        if tl.newborn is Newborn.unknown_day:
            t.caveat("新生儿没有缴费日期：出生90天内缴费的自出生之日起享受待遇，超过90天的从缴费次日起享受待遇。")
        return
    how = begin.how
    if how == "newborn_birth":
        text = f"出生90天内参保缴费：自出生之日（{h.born}）起享受待遇。"
    elif how == "newborn_after_payment":
        text = f"出生超过90天、未满2周岁首次参保缴费：从缴费次日（{begin.benefits_from}）起享受待遇。"
    elif begin.counting_from is not None:
        text = (f"等待期从{begin.counting_from}开始计算，{wait.months}个月后，"
                f"{begin.benefits_from}起享受待遇。")
        if how != "by_december":
            t.caveat("等待期从缴费次日起算的，本产品按“起算日加整月数”推算待遇开始日期（该月没有对应日的，顺延到下月1日）。")
    elif how == "by_december" and wait.reason == "former_rules":
        # 五.1: the special groups keep the former rules (no new waiting period), continuous or not
        text = (f"{GROUP_ZH[h.group]}按原政策执行、不设新的待遇等待期，12月底前缴费："
                f"{begin.benefits_from}起享受待遇。")
    elif how == "by_december":
        text = f"连续参保、12月底前缴费：{begin.benefits_from}起享受待遇。"
    elif how == "student_september":
        text = f"连续参保的大学生：自缴费次日（{begin.benefits_from}）起享受待遇。"
    else:
        text = f"从缴费次月1日（{begin.benefits_from}）起享受待遇。"
        if how == "outside":
            t.caveat("特殊群体在集中参保期外缴费的，本产品按缴费次月1日起享受待遇推算。")
    t.step("benefits.start", text, START_SOURCES[how], result=begin.benefits_from.isoformat(),
           counting_from=begin.counting_from.isoformat() if begin.counting_from else None)
    if h.group is Group.student and paid is not Paid.student_september and paid is not Paid.unknown:
        t.caveat("大学生的集中参保期原则上为每年9月；9月以外缴费的按居民医保的集中参保期推算，以学校和经办机构通知为准。")
    if h.today is not None:
        started = begin.benefits_from <= h.today
        t.step("benefits.today", f"今天是{h.today}：" + ("已经可以享受待遇。" if started else
               f"还不能享受待遇，要到{begin.benefits_from}。"), START_SOURCES[how], result=started,
               today=h.today.isoformat())


def _fees(year: int, t: Trace) -> Fees | None:
    tiers = p.optional("contribution_tiers", year)
    if tiers is None:
        t.caveat(f"现有文件只公布了2026年度的个人缴费标准，{year}年度的缴费标准以当年文件为准。")
        return None
    subsidy = p.optional("fiscal_subsidy", year)
    fees = Fees(year=year, tiers=[FeeTier(name=k, yuan=v) for k, v in tiers.value.items()],
                fiscal_subsidy=subsidy.value if subsidy else None, citation=cite("contributions"))
    shown = "、".join(f"{f.name}{f.yuan}元" for f in fees.tiers)
    t.step("fees", f"{year}年度个人缴费标准：{shown}" +
           (f"；人均财政补助{fees.fiscal_subsidy}元。" if fees.fiscal_subsidy else "。"),
           "contributions", result={f.name: f.yuan for f in fees.tiers}, year=year)
    return fees
