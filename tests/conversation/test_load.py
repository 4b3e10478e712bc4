"""The load test in a small bounded form (the full one is `yibao bench --load`): conversations at
once through two worker processes on Redis, over HTTP and through the Telegram webhook; every
message answered, none refused, and every conversation's stored state exactly what its
messages imply."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.bench.load import SCRIPTS, http_run, telegram_run
from redis_helpers import SHARED

CONVERSATIONS = 150
LIMIT = 120.0


@pytest.mark.parametrize("face", [http_run, telegram_run], ids=["http", "telegram_webhook"])
def test_conversations_at_once_through_two_workers_all_end_in_the_state_their_messages_imply(face):
    run = face(2, CONVERSATIONS, LIMIT, base=SHARED)
    assert run["errors"] == 0
    assert run["finished"] == CONVERSATIONS
    assert run["requests"] == sum(len(SCRIPTS[i % len(SCRIPTS)]) for i in range(CONVERSATIONS))
    assert run["wrong_states"] == 0
    assert run["requests_per_s"] > 5 and run["p50_ms"] <= run["p99_ms"]


def test_bench_load_refuses_worker_counts_that_are_not_positive_numbers_in_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "bot", "bench", "--load", "--workers", "1,0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "yibao: --workers 应为逗号分隔的正整数，--conversations 应为正整数"
