"""`yibao calc`: one member's critical-illness cap, waiting period and benefit start, with the trace.

    yibao calc --year 2028 --enrolled 2025-2026,2028 --elsewhere 2027 --zero-claim 2025 \
        --reward-used 2026 --paid-on 2027-12-10 [--json]

Year lists take commas (also full-width ，and 、) and ranges (2025-2027). Contradictory or
impossible input ends in one line on standard error and exit code 2.
"""

from __future__ import annotations

import argparse
import json

from bot import service
from bot.cli._args import add_today, iso_date
from bot.errors import InputError
from bot.service import COVERAGE_ZH, Group, Result

# rich (~20 ms) is imported where the figures are drawn: every command module is imported to build
# the parser, and `--json` does not need it.

GROUPS = [g.value.replace("_", "-") for g in Group]


def year_list(text: str) -> list[int]:
    """A year-list flag (bot.service.year_list: '2025-2026,2028' -> [2025, 2026, 2028])."""
    try:
        return service.year_list(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, help="所问的参保年度，例如 2027")
    p.add_argument("--enrolled", type=year_list, default=[], help="参加重庆居民医保的年度，如 2025-2026,2028")
    p.add_argument("--elsewhere", type=year_list, default=[], help="在市外参加居民医保的年度")
    p.add_argument("--employee", type=year_list, default=[], help="参加职工医保的年度")
    p.add_argument("--zero-claim", type=year_list, default=[], help="医保基金零报销的年度")
    p.add_argument("--reward-used", type=year_list, default=[], help="大病保险使用了奖励额度的年度")
    p.add_argument("--backpaid", type=int, default=0, help="为修复变动等待期补缴的年数")
    p.add_argument("--group", choices=GROUPS, default="general", help="参保人群")
    p.add_argument("--born", type=iso_date, default=None, help="出生日期 YYYY-MM-DD（新生儿必填）")
    p.add_argument("--paid-on", type=iso_date, default=None, help="所问年度的缴费日期 YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    add_today(p)


def calculate(args: argparse.Namespace) -> Result:
    """The figures the arguments describe (bot.service.calc); every contradiction becomes an
    InputError, an early year naming the flag it was given in."""
    named = {
        "--enrolled": args.enrolled,
        "--elsewhere": args.elsewhere,
        "--employee": args.employee,
        "--zero-claim": args.zero_claim,
        "--reward-used": args.reward_used,
    }
    first = service.first_year()
    for flag, years in named.items():
        early = [y for y in years if y < first]
        if early:
            raise InputError(
                f"{flag} 中的 {early[0]} 早于{first}年：{first}年以前的年度不计连续参保和断保年限"
                "（渝医保发〔2025〕37号 四.2）"
            )
    if args.backpaid < 0:
        raise InputError(f"--backpaid 不能是负数: {args.backpaid}")
    try:
        return service.calc(
            args.year,
            enrolled=args.enrolled,
            elsewhere=args.elsewhere,
            employee=args.employee,
            zero_claim=args.zero_claim,
            reward_used=args.reward_used,
            backpaid=args.backpaid,
            group=Group(args.group.replace("-", "_")),
            born=args.born,
            paid_on=args.paid_on,
            today=args.today,
        )
    except service.CalcRefused as exc:
        raise InputError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    result = calculate(args)
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
        return 0
    show(result)
    return 0


def show(result: Result) -> None:
    """The figures in plain Chinese, the cap year by year, the trace with its citations."""
    from rich.console import Console  # noqa: PLC0415 - human output only (see top)
    from rich.table import Table  # noqa: PLC0415 - human output only (see top)

    console = Console(highlight=False)
    cap, wait = result.cap, result.waiting
    console.print(
        f"[bold]{result.target_year}年度 大病保险最高支付限额：{cap.effective:,}元[/bold]"
        f"（基础{cap.base:,} + 激励{cap.incentives_capped:,} − 断保降低{cap.reduction:,}）"
    )
    console.print(f"待遇等待期：{wait.months}个月" + (f"（{wait.reason}）" if wait.reason else ""))
    if result.benefits_from:
        console.print(f"待遇开始日期：{result.benefits_from.isoformat()}")
    else:
        console.print("待遇开始日期：需要缴费日期才能确定")
    if result.fees:
        console.print("个人缴费标准：" + "、".join(f"{t.name}{t.yuan}元" for t in result.fees.tiers))

    table = Table(title="逐年封顶线（元）")
    for name in ("年度", "参保", "连续参保激励", "零报销激励", "断保降低", "封顶线"):
        table.add_column(name, justify="right" if name not in ("参保",) else "left")
    for row in result.cap_by_year:
        table.add_row(
            str(row.year),
            COVERAGE_ZH[row.coverage],
            f"{row.continuous:,}",
            f"{row.zero_claim:,}",
            f"{row.reduction:,}",
            f"{row.effective:,}" if row.effective is not None else "—",
        )
    console.print(table)

    console.print("[bold]计算过程[/bold]")
    for i, step in enumerate(result.trace, 1):
        c = step.citation
        console.print(f"{i}. {step.text}", soft_wrap=True)
        console.print(f"   [dim]依据：{c.document} {c.article}：“{c.quote}”[/dim]", soft_wrap=True)
    console.print("[bold]说明[/bold]")
    for caveat in result.caveats:
        console.print(f"· {caveat}", soft_wrap=True)
