"""`yibao bench [--json] [--only NAME]`: the performance figures the issues name.

Each part of the product measures itself in a module with `figures() -> dict`:
bot.bench.faq (load and search latency), bot.bench.intents (match latency, cold start, memory),
bot.bench.dialogue (turns per second through the manager with the SQLite store),
bot.bench.telegram_bench (updates per second through a local fake Bot API server),
bot.bench.http_bench (requests per second through `yibao serve` over real HTTP).
"""
from __future__ import annotations

import argparse
import importlib
import json

PARTS = {
    "faq": "bot.bench.faq",
    "intents": "bot.bench.intents",
    "dialogue": "bot.bench.dialogue",
    "telegram": "bot.bench.telegram_bench",
    "http": "bot.bench.http_bench",
}


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="一行 JSON 输出")
    p.add_argument("--only", choices=sorted(PARTS), action="append",
                   help="只测这一部分（可重复）")


def run(args: argparse.Namespace) -> int:
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
