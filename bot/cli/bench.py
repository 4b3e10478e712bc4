"""`yibao bench [--json] [--only NAME] [--load [--conversations N] [--workers 1,2,4]]`: the
performance figures the issues name.

Each part of the product measures itself in a module with `figures() -> dict`:
bot.bench.faq (load and search latency), bot.bench.intents (match latency, cold start, memory),
bot.bench.dialogue (turns per second through the manager with the SQLite store),
bot.bench.telegram_bench (updates per second through a local fake Bot API server),
bot.bench.http_bench (requests per second through `yibao serve` over real HTTP).
`yibao bench --load` instead: 1,000 conversations at once through 1, 2 and 4 worker processes
on Redis, HTTP and the Telegram webhook (bot.bench.load).
"""

from __future__ import annotations

import argparse
import importlib
import json

from bot.errors import InputError

PARTS = {
    "faq": "bot.bench.faq",
    "intents": "bot.bench.intents",
    "dialogue": "bot.bench.dialogue",
    "telegram": "bot.bench.telegram_bench",
    "http": "bot.bench.http_bench",
}


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="一行 JSON 输出")
    p.add_argument("--only", choices=sorted(PARTS), action="append", help="只测这一部分（可重复）")
    p.add_argument(
        "--load",
        action="store_true",
        help="负载测试：多个工作进程共用 Redis，HTTP 接口和 Telegram webhook 各跑一遍（bot.bench.load）",
    )
    p.add_argument("--conversations", type=int, default=None, metavar="N", help="负载测试同时进行的对话数（默认 1000）")
    p.add_argument("--workers", default="1,2,4", metavar="N,N", help="负载测试依次使用的工作进程数（默认 1,2,4）")


def _load(args: argparse.Namespace) -> int:
    from bot.bench import load  # noqa: PLC0415 - imports aiohttp, redis, fastapi, telegram

    try:
        workers = tuple(int(n) for n in args.workers.split(",") if n.strip())
    except ValueError:
        workers = ()
    if not workers or min(workers) < 1 or (args.conversations is not None and args.conversations < 1):
        raise InputError("--workers 应为逗号分隔的正整数，--conversations 应为正整数")
    results = load.figures(args.conversations or load.CONVERSATIONS, workers)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return 0
    from rich.console import Console  # noqa: PLC0415 - human output only
    from rich.table import Table  # noqa: PLC0415 - human output only

    table = Table(title=f"yibao bench --load（{results['cores']} 核，Redis）")
    for column in ("接口", "进程", "对话", "请求", "请求/秒", "p50 ms", "p99 ms", "错误", "状态不符", "秒"):
        table.add_column(column, justify="right")
    for face in ("http", "telegram"):
        for run in results[face]:
            table.add_row(
                face,
                str(run["workers"]),
                str(run["conversations"]),
                str(run["requests"]),
                f"{run['requests_per_s']:.1f}",
                f"{run['p50_ms']:.0f}",
                f"{run['p99_ms']:.0f}",
                str(run["errors"]),
                str(run["wrong_states"]),
                f"{run['seconds']:.1f}",
            )
    Console().print(table)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.load:
        return _load(args)
    results: dict[str, dict] = {}
    for name in args.only or list(PARTS):
        results[name] = importlib.import_module(PARTS[name]).figures()
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return 0
    # rich (~20 ms) only for the table: every command module is imported to build the parser
    from rich.console import Console  # noqa: PLC0415 - human output only
    from rich.table import Table  # noqa: PLC0415 - human output only

    table = Table(title="yibao bench")
    table.add_column("部分")
    table.add_column("指标")
    table.add_column("数值", justify="right")
    for part, figures in results.items():
        for key, value in figures.items():
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            table.add_row(part, key, shown)
    Console().print(table)
    return 0
