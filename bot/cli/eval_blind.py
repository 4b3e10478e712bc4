"""`yibao eval --blind` and `yibao eval --robustness`: blind sets by facts, invariance per kind."""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.table import Table

from bot.bench.blind import blind_sets, score_file
from bot.bench.robustness import invariance, premise


def run_blind_and_robustness(args: argparse.Namespace) -> int:
    out: dict = {}
    console = Console()
    if args.blind:
        reports = [score_file(path) for path in blind_sets()]
        out["blind"] = [
            {
                **r.model_dump(exclude={"misses"} if not args.misses else set()),
                "in_scope_rate": round(r.in_scope_rate, 4),
                "refusal_rate": round(r.refusal_rate, 4),
            }
            for r in reports
        ]
        if not args.json:
            table = Table(title="盲测集（按事实评分，与 yibao ask 同一路径）")
            for col in ("集", "范围内答对", "范围外拒答"):
                table.add_column(col, justify="left" if col == "集" else "right")
            for r in reports:
                table.add_row(
                    r.name,
                    f"{r.in_scope_right}/{r.in_scope} = {r.in_scope_rate:.1%}",
                    f"{r.off_topic_refused}/{r.off_topic} = {r.refusal_rate:.1%}",
                )
            console.print(table)
            for r in reports if args.misses else ():
                for m in r.misses:
                    console.print(f"  [{r.name} {m.topic}] {m.q} -> {m.intent} :: {m.answer[:80]}")
    if args.robustness:
        rates = [*invariance(), premise()]
        out["robustness"] = [r.model_dump(exclude={"moved"} if not args.misses else set()) for r in rates]
        if not args.json:
            table = Table(title="稳健性：改写后意图不变的比例", caption="premise：加上错误前提后意图不变并给出更正")
            for col in ("改写", "不变", "比例"):
                table.add_column(col, justify="left" if col == "改写" else "right")
            for rate in rates:
                table.add_row(rate.kind, f"{rate.invariant}/{rate.cases}", f"{rate.rate:.1%}")
            console.print(table)
            for rate in rates if args.misses else ():
                for p in rate.moved:
                    console.print(f"  [{rate.kind}] {p.text}  应为 {p.intent}")
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    return 0
