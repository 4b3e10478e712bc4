"""`yibao eval [--json] [--file F] [--misses]`: intent recognition on the held-out split.

`yibao eval --dialogues N [--mode correct|confirm|both] [--seed S] [--json]` runs N simulated
members through the conversation instead (bot/bench/dialogues.py).

The split (bot/bench/data/heldout.yaml, shipped with the package: our own wordings of every intent plus off-topic
questions, never used for matching) is scored for yibao's matcher and for the classical
baseline (TF-IDF character 1-3-grams + LinearSVC, trained on the same examples): accuracy,
in-scope accuracy, off-topic refusal rate, per-intent precision / recall / F1 and the most
confused pairs. scikit-learn is a test extra: `pip install -e '.[test]'`.

`yibao eval --blind [--misses]`: the blind sets (bot/bench/data/blind-*.yaml, written by people who
never saw the product) scored by facts through `yibao ask`'s own code: in-scope answers carrying
the right facts, off-topic questions refused with 12393 (bot/bench/blind.py).
`yibao eval --robustness [--misses]`: the invariance rate per perturbation kind (dialect, typo,
traditional characters, keywords only, a personal story, polite padding) of every intent's
canonical question (bot/bench/robustness.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.errors import InputError

HELDOUT = Path(__file__).resolve().parents[1] / "bench" / "data" / "heldout.yaml"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="一行 JSON 输出")
    p.add_argument("--file", type=Path, default=HELDOUT, help="评测集（YAML，cases: [{q, intent}]）")
    p.add_argument("--misses", action="store_true", help="列出每个错误")
    p.add_argument("--blind", action="store_true", help="盲测集：按事实评分（范围内答对、范围外拒答）")
    p.add_argument("--robustness", action="store_true", help="稳健性：各类改写下意图不变的比例")
    p.add_argument("--dialogues", type=int, metavar="N", help="模拟参保人对话 N 次（见 bot/bench/member.py）")
    p.add_argument(
        "--mode",
        choices=("correct", "confirm", "both"),
        default="both",
        help="模拟参保人遇到错误摘要时：纠正（correct）或总是回答“对”（confirm）",
    )
    p.add_argument("--seed", type=int, default=0, help="模拟对话的随机种子")


def _cases(path: Path):
    from bot.bench.evaluation import load_cases  # noqa: PLC0415 - bench code stays out of every command's start-up

    if not path.is_file():
        raise InputError(f"找不到评测集: {path}")
    return load_cases(path)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "blind", False) or getattr(args, "robustness", False):
        from bot.cli.eval_blind import run_blind_and_robustness  # noqa: PLC0415 - imports rich

        return run_blind_and_robustness(args)
    if getattr(args, "dialogues", None):
        from bot.bench import dialogues  # noqa: PLC0415 - bench code (~50 ms) stays out of start-up

        return dialogues.main(args)
    cases = _cases(args.file)
    from bot.bench.evaluation import Baseline, report, yibao_intent  # noqa: PLC0415 - as in _cases

    results = [report("yibao", cases, yibao_intent)]
    try:
        import sklearn  # noqa: F401, PLC0415 - scikit-learn: an optional extra
    except ImportError:  # yibao's own figures still; the baseline needs the extra
        sys.stderr.write(
            "yibao: 对照基线（TF-IDF + LinearSVC）需要 scikit-learn：pip install 'yibao[test]'；这次只评测 yibao 本身\n"
        )
    else:
        baseline = Baseline.of_yibao()
        results.append(report("baseline (tf-idf char 1-3 + LinearSVC)", cases, baseline.predict))
    if args.json:
        print(json.dumps([r.model_dump() for r in results], ensure_ascii=False))
        return 0
    _print(results, args.misses)
    return 0


def _print(results, misses: bool) -> None:
    from rich.console import Console  # noqa: PLC0415 - rich only for this command
    from rich.table import Table  # noqa: PLC0415 - as above

    console = Console()
    summary = Table(title=f"意图识别评测（{results[0].cases} 条留出问题）")
    for col in ("模型", "准确率", "范围内准确率", "范围外拒答率"):
        summary.add_column(col, justify="right" if col != "模型" else "left")
    for r in results:
        summary.add_row(r.name, f"{r.accuracy:.1%}", f"{r.in_scope_accuracy:.1%}", f"{r.refusal_rate:.1%}")
    console.print(summary)
    for r in results:
        table = Table(title=f"{r.name}: 各意图 P / R / F1")
        for col in ("意图", "P", "R", "F1", "样本"):
            table.add_column(col, justify="left" if col == "意图" else "right")
        for s in r.per_intent:
            table.add_row(s.intent, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.support))
        console.print(table)
        confused = Table(title=f"{r.name}: 最常混淆")
        for col in ("应为", "判为", "次数"):
            confused.add_column(col)
        for expected, predicted, n in r.confused:
            confused.add_row(expected, predicted, str(n))
        console.print(confused)
        if misses:
            for m in r.misses:
                console.print(f"  {m.q}  应为 {m.expected}  判为 {m.predicted}")
