"""Measurements of intents/ for `yibao bench`.

- match latency: bot.conversation.router.understand() in-process over the held-out questions (median, p99);
- cold start: `yibao ask "…"` as a whole process against a bare
  `python -c "import jieba; jieba.initialize()"`, median of 5 each, in the same run;
- yibao's peak resident memory (MB) during that cold start, from resource.getrusage of the child.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.conversation.router import understand
from bot.service import warm
from intents.text import load_yaml

QUESTION = "我断了两年要等多久"
RUNS = 5


def _latency() -> dict:
    heldout = Path(__file__).resolve().parent / "data" / "heldout.yaml"
    questions = [c["q"] for c in (load_yaml(heldout) or {}).get("cases", [])] if heldout.is_file() else []
    questions = questions or [QUESTION, "集中参保期是什么时候", "公积金怎么提取"]
    warm()  # one-time set-up, as a server does at start (the matcher, the search index, figure tables)
    for q in questions[:3]:
        understand(q)  # (OpenCC, jieba)
    times = []
    for round_ in range(3):
        for q in questions:
            fresh = q + "吗" * (round_ + 1)  # a new string each round: no cached normalisation
            start = time.perf_counter()
            understand(fresh)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "match_ms_median": statistics.median(times),
        "match_ms_p99": times[min(len(times) - 1, int(len(times) * 0.99))],
    }


def _timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, child peak RSS in MB) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=dict(os.environ))
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024.0


def _cold_start() -> dict:
    ours = [sys.executable, "-m", "bot", "ask", QUESTION]
    bare = [sys.executable, "-c", "import jieba; jieba.initialize()"]
    _timed(bare)
    _timed(ours)  # warm the caches (jieba's and the matcher's)
    check = subprocess.run(ours, capture_output=True, text=True, check=False)
    if check.returncode != 0:
        tail = (check.stderr.strip().splitlines() or ["?"])[-1]
        return {"cold_start_error": f"yibao ask exited {check.returncode}: {tail[:120]}"}
    ours_t, bare_t = [], []
    for _ in range(RUNS):
        bare_t.append(_timed(bare)[0])
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: measure ours in a fresh helper
    # so that the bare jieba run (about 95 MB) does not stand in for our figure.
    peak = _peak_of(ours)
    for _ in range(RUNS):
        ours_t.append(_timed(ours)[0])
    return {
        "cold_start_s_median": statistics.median(ours_t),
        "bare_jieba_s_median": statistics.median(bare_t),
        "peak_rss_mb": peak,
    }


def _peak_of(argv: list[str]) -> float:
    code = (
        "import resource,subprocess,sys;subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,"
        "stderr=subprocess.DEVNULL);print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True)
    try:
        return int(out.stdout.strip()) / 1024.0
    except ValueError:
        return float("nan")


def figures() -> dict:
    return {**_latency(), **_cold_start()}


if __name__ == "__main__":
    print(figures())
