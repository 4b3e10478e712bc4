"""`yibao eval --dialogues N`: simulated members (bot.bench.member) talk to the conversation.

N seeded conversations per mode run through bot.conversation.session with a memory store (no
subprocess). The report: the share whose figures are right, wrong and missing, internal errors
shown to the person, median and p90 member turns to a figure, summaries the member corrected,
the kinds of failure and a few failing transcripts.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter

from pydantic import BaseModel

from bot.bench.member import Conversation, Mode, converse, random_member

SAMPLES = 5


class DialogueReport(BaseModel):
    mode: Mode
    seed: int
    count: int
    right: int
    right_share: float
    wrong: int
    no_figure: int
    internal_errors: int
    median_turns: float
    p90_turns: float
    summaries_corrected: int
    wrong_summaries_confirmed: int
    kinds: dict[str, int]
    summary_errors: dict[str, int]  # conversations whose summaries got this kind of fact wrong
    wrong_after_summary_error: dict[str, int]  # ... and ended with a wrong figure
    second_asked: int  # conversations where a second question followed the first figure
    second_right_share: float
    second_kinds: dict[str, int]
    by_task: dict[str, float]
    by_style: dict[str, float]  # the share right per way of telling (oneshot, chinese, dialect, late ...)
    failures: list[Conversation]


def percentile(values: list[int], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(q * len(ordered)))])


def run(n: int, mode: Mode, seed: int = 0, samples: int = SAMPLES) -> DialogueReport:
    talks = [converse(random_member(f"{seed}:{i}", mode), mode) for i in range(n)]
    return report(talks, mode, seed, samples)


def report(talks: list[Conversation], mode: Mode, seed: int, samples: int = SAMPLES) -> DialogueReport:
    right = [c for c in talks if c.outcome == "right"]
    reached = [c.turns for c in talks if c.outcome != "none"]
    tasks = Counter(c.task for c in talks)
    failures = [c for c in talks if c.outcome != "right" or c.internal_error]
    seconds = [c for c in talks if c.second_kind is not None]
    return DialogueReport(
        mode=mode,
        seed=seed,
        count=len(talks),
        right=len(right),
        right_share=round(len(right) / len(talks), 4) if talks else 0.0,
        wrong=sum(c.outcome == "wrong" for c in talks),
        no_figure=sum(c.outcome == "none" for c in talks),
        internal_errors=sum(c.internal_error for c in talks),
        median_turns=float(statistics.median(reached)) if reached else 0.0,
        p90_turns=percentile(reached, 0.9),
        summaries_corrected=sum(c.corrected for c in talks),
        wrong_summaries_confirmed=sum(c.confirmed_wrong for c in talks),
        kinds=dict(Counter(c.kind for c in talks).most_common()),
        summary_errors=dict(Counter(k for c in talks for k in c.summary_errors).most_common()),
        wrong_after_summary_error=dict(
            Counter(k for c in talks if c.outcome == "wrong" for k in c.summary_errors).most_common()
        ),
        second_asked=len(seconds),
        second_right_share=(
            round(sum(c.second_outcome == "right" for c in seconds) / len(seconds), 4) if seconds else 0.0
        ),
        second_kinds=dict(Counter(c.second_kind for c in seconds if c.second_kind).most_common()),
        by_task={t: round(sum(c.outcome == "right" for c in talks if c.task == t) / k, 4) for t, k in tasks.items()},
        by_style=_by_style(talks),
        failures=failures[:samples],
    )


def _by_style(talks: list[Conversation]) -> dict[str, float]:
    tags: dict[str, list[bool]] = {}
    for c in talks:
        for tag in c.style.split("/"):
            if not tag.startswith("taps"):
                tags.setdefault(tag, []).append(c.outcome == "right")
    return {t: round(sum(v) / len(v), 4) for t, v in sorted(tags.items())}


def main(args: argparse.Namespace) -> int:
    modes: list[Mode] = ["correct", "confirm"] if args.mode == "both" else [args.mode]
    reports = [run(args.dialogues, m, args.seed) for m in modes]
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in reports], ensure_ascii=False))
        return 0
    for r in reports:
        print(
            f"模式 {r.mode}：{r.count} 次对话，数字正确 {r.right}（{r.right_share:.1%}），错误 {r.wrong}，"
            f"没有给出数字 {r.no_figure}，显示内部错误 {r.internal_errors}"
        )
        print(
            f"  到数字的轮数：中位 {r.median_turns:g}，p90 {r.p90_turns:g}；纠正摘要 {r.summaries_corrected} 次，"
            f"确认了错误摘要 {r.wrong_summaries_confirmed} 次"
        )
        print("  结果类别：" + "，".join(f"{k} {v}" for k, v in r.kinds.items()))
        print(
            "  摘要里说错的事实（对话数）："
            + "，".join(f"{k} {v}" for k, v in r.summary_errors.items())
            + "；其中数字错了的："
            + "，".join(f"{k} {v}" for k, v in r.wrong_after_summary_error.items())
        )
        print(
            f"  同一对话里的第二个问题：{r.second_asked} 次，正确 {r.second_right_share:.1%}；"
            + "，".join(f"{k} {v}" for k, v in r.second_kinds.items())
        )
        print("  各问题正确率：" + "，".join(f"{k} {v:.1%}" for k, v in r.by_task.items()))
        print("  各说法正确率：" + "，".join(f"{k} {v:.1%}" for k, v in r.by_style.items()))
        for c in r.failures:
            print(f"  --- {c.seed} {c.task} {c.style} → {c.kind}；真实 {c.truth}；所答 {c.stated}")
            for t in c.transcript:
                print(f"    {'成员' if t.who == 'member' else '助手'}：{t.text.splitlines()[0][:160]}")
    return 0
