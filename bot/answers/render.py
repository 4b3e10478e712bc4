"""The personal answer: the figures in one or two sentences, the why from the rules trace,
a year-by-year view of the cap, one or two cited excerpts, the caveat, and a next step.

Every figure shown comes from the engine's Result, whose trace states it; the explanation is
the trace's own sentences, so nothing here computes or invents a figure.
"""

from __future__ import annotations

import datetime as dt

from bot import buttons
from bot.answers.wording import HOTLINE as WORDING_HOTLINE
from bot.conversation import history as hist
from bot.conversation.state import State
from bot.models import Option, Reply, Source
from rules.models import Result, Step

CAVEAT = "以上是按您提供的情况估算的，具体以医保经办机构核定为准。"
HOTLINE = f"如有疑问，可拨打医保服务热线{WORDING_HOTLINE}。"
MAX_STEPS = 7
MAX_SOURCES = 2

# Which trace steps explain which answer: the engine's rule ids, by prefix.
CAP_RULES = ("cap.", "incentive.", "scope.pre_2025")
WAIT_RULES = ("waiting.", "benefits.", "scope.pre_2025", "scope.born")


def yuan(amount: int) -> str:
    """204000 -> "204,000元（20.4万元）"."""
    wan = f"{amount / 10000:.2f}".rstrip("0").rstrip(".")
    return f"{amount:,}元（{wan}万元）"


def day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _steps(result: Result, prefixes: tuple[str, ...]) -> list[Step]:
    return [s for s in result.trace if str(s.rule).startswith(prefixes)]


def _explain(steps: list[Step]) -> str:
    lines = []
    for step in steps[:MAX_STEPS]:
        text = str(step.text).strip()
        if text and text not in lines:
            lines.append(text)
    return "\n".join(f"· {line}" for line in lines)


def _sources(steps: list[Step]) -> list[Source]:
    """One or two verbatim excerpts, the steps that changed a figure first."""
    seen: set[tuple[str, str]] = set()
    out: list[Source] = []
    ranked = sorted(steps, key=lambda s: 0 if s.result not in (0, None, False, "", [], {}) else 1)
    for step in ranked:
        c = step.citation
        key = (c.document, c.article)
        if key in seen or not c.quote:
            continue
        seen.add(key)
        out.append(Source(document=c.document, article=c.article, excerpt=c.quote))
        if len(out) == MAX_SOURCES:
            break
    return out


def cap_sentence(result: Result) -> str:
    return f"{result.target_year}年您的大病保险最高支付限额是{yuan(result.cap.effective)}。"


def cap_table(result: Result) -> str:
    """One line per year: "2025年 200,000元；2026年 204,000元"."""
    rows = []
    for row in result.cap_by_year:
        if row.effective is None:
            rows.append(f"{row.year}年 未参加居民医保")
        else:
            rows.append(f"{row.year}年 {row.effective:,}元")
    return "逐年封顶线：" + "；".join(rows) + "。" if len(rows) > 1 else ""


def waiting_sentence(result: Result) -> str:
    w = result.waiting
    if not w.applies:
        text = f"{result.target_year}年您没有等待期。"
        if w.reason:
            text += str(w.reason).rstrip("。") + "。"
    else:
        parts = [f"固定{w.fixed}个月"]
        if w.variable:
            parts.append(f"断保多出的{w.variable}个月")
        if w.repaired:
            parts.append(f"补缴减去{w.repaired}个月")
        if w.floor_applied:
            parts.append(f"不少于{w.months}个月")  # the floor is the months when it applies
        text = f"{result.target_year}年您的等待期是{w.months}个月（{'，'.join(parts)}）。"
    return text


DAY_UNSAID = "等待期从缴费次日起算，告诉我哪天缴的费，就能算出哪天开始享受待遇。"


def start_sentence(result: Result) -> str:
    if result.benefits_from is None:
        return "待遇开始的日期要看您哪天缴费，告诉我缴费日期就能算出来。"
    w = result.waiting
    if w.applies and w.counting_from:
        return f"等待期从{day(w.counting_from)}起算，您从{day(result.benefits_from)}起可以享受医保待遇。"
    return f"您从{day(result.benefits_from)}起可以享受医保待遇。"


def _next_options(state: State, result: Result, kind: str) -> list[Option]:
    options: list[Option] = []
    if kind == "cap":
        options.append(Option(label="如果明年继续参保呢？", value="whatif:continue"))
        options.append(Option(label="我的等待期", value=buttons.value(buttons.TASK, "my_waiting")))
    else:
        backpaid = state.facts.backpaid or 0
        w = result.waiting
        if result.broken_years and backpaid < len(result.broken_years) and w.repaired < w.variable:
            options.append(Option(label="如果补缴一年呢？", value="whatif:backpay"))
        options.append(Option(label="我的封顶线", value=buttons.value(buttons.TASK, "my_cap")))
    options.append(Option(label="重新开始", value="restart"))
    return options


def cap_why(result: Result) -> str:
    """One sentence: what the cap is made of."""
    c = result.cap
    parts = [f"基础{c.base:,}元"]
    if c.continuous:
        parts.append(f"连续参保激励{c.continuous:,}元")
    if c.zero_claim:
        parts.append(f"零报销激励{c.zero_claim:,}元")
    if c.incentives_capped < c.incentives:
        parts.append(f"激励合计按上限计{c.incentives_capped:,}元")
    if c.reduction:
        parts.append(f"断保降低{c.reduction:,}元")
    if len(parts) == 1:
        return "（基础封顶线，还没有激励额度。）"
    return "（" + "，".join(parts) + "。）"


def answer(state: State, result: Result, today: dt.date, baseline: Result | None = None) -> list[Reply]:
    """The reply to a confirmed personal question: the figure and one sentence of why first
    (it fits a phone), then in `details` the steps, the year-by-year table and the caveats."""
    task = state.task
    what_if = state.what_if
    is_cap = hist.cap_task(state)
    if is_cap:
        head = cap_sentence(result)
        if what_if is not None and baseline is not None:
            head = (
                f"如果{result.target_year}年继续参保，"
                + head
                + f"（{baseline.target_year}年是{baseline.cap.effective:,}元）"
            )
        else:
            head += cap_why(result)
        steps = _steps(result, CAP_RULES)
        table = cap_table(result)
        kind = "cap"
    else:
        head = waiting_sentence(result)
        start = start_sentence(result)
        if hist.day_unsaid(state.facts, result.target_year) and result.waiting.applies:
            start = DAY_UNSAID  # the month told the waiting months; the day is still unsaid
        if task == "my_benefit_start":
            head = start + head
        elif result.benefits_from is not None:
            head += start
        if what_if is not None and baseline is not None:
            head = f"如果补缴{what_if.backpay}年，" + head + f"（不补缴是{baseline.waiting.months}个月）"
        steps = _steps(result, WAIT_RULES)
        table = ""
        kind = "waiting"
    details: list[str] = []
    why = _explain(steps)
    if why:
        details.append("依据：\n" + why)
    if table:
        details.append(table)
    topic = ("封顶线",) if is_cap else ("等待期", "待遇", "缴费日期")
    details.extend([str(c) for c in result.caveats if "经办" not in str(c) and any(t in str(c) for t in topic)][:1])
    figures: dict[str, int | str | None] = {"target_year": result.target_year}
    if is_cap:
        figures["cap"] = result.cap.effective
    else:
        figures["waiting_months"] = result.waiting.months
        figures["benefits_from"] = result.benefits_from.isoformat() if result.benefits_from else None
    options = _next_options(state, result, kind)
    if details:
        options.insert(0, Option(label="依据", value="details"))
    return [
        Reply(
            text=head + "\n" + CAVEAT + HOTLINE,
            sources=_sources(steps),
            intent=task or "answer",
            figures=figures,
            options=options,
            details="\n".join(details),
        )
    ]
