"""Turns per second through session.turn with the SQLite store, and the time per turn.

A few hundred scripted turns (whole conversations: collecting a history, a detour, the
confirmation and the computed answer) run against a fresh SQLite file in a temporary
directory, each turn loading, responding and saving as every face does.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bot.conversation.session import turn
from bot.conversation.store import SQLiteStore

SCRIPT: list[tuple[str, list[str]]] = [
    ("2026-11-22", ["我2025年和2026年都参保了，2025年一次都没报销过，2026年的大病保险封顶线是多少？", "没有", "对"]),
    ("2026-11-22", ["断保了要等多久才能报销", "2025年没交，2026年12月交了2027年的", "2026年也没交", "没有补缴", "对"]),
    ("2026-08-01", ["孩子2026年1月10日出生，6月20日才参保，什么时候能报销？", "对"]),
    ("2026-11-22", ["我的封顶线是多少", "集中参保期是什么时候？", "继续", "都交了", "每年都报销过", "对"]),
    ("2027-01-20", ["我什么时候可以开始报销", "2025年交了，2026年没交", "没有", "1月10号交的", "对"]),
    ("2026-11-22", ["我断保了两年，要等多久", "没有补缴", "对", "如果我补缴一年呢", "对", "谢谢"]),
]
ROUNDS = 12


def figures(rounds: int = ROUNDS) -> dict:
    turn(SQLiteStore(":memory:"), "warm", "你好", dt.date(2026, 11, 22))  # load matcher and tables
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "sessions.db")
        start = time.perf_counter()
        for r in range(rounds):
            for n, (day, turns) in enumerate(SCRIPT):
                key, today = f"bench:{r}:{n}", dt.date.fromisoformat(day)
                for message in turns:
                    t0 = time.perf_counter()
                    turn(store, key, message, today)
                    times.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
        store.close()
    times.sort()
    return {
        "turns": len(times),
        "turns_per_second": len(times) / total,
        "turn_median_ms": statistics.median(times) * 1000,
        "turn_p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
    }
