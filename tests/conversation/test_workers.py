"""Several worker processes behind one port: `yibao serve --workers N` keeps N workers alive
(a killed one is started again, the others go on answering) and stops them all on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.bench.http_bench import Served, request
from redis_helpers import clean, fresh_prefix, url


def children(pid: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def two(pid: int, without: int | None = None) -> set[int] | None:
    """The workers of `pid` once there are two of them (and `without` is not one of them)."""
    found = children(pid)
    return found if len(found) == 2 and without not in found else None


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("waited in vain")


def test_a_killed_worker_is_started_again_and_sigterm_stops_them_all(tmp_path):
    prefix = fresh_prefix("workers")
    served = Served(tmp_path, args=["--workers", "2"], env={"YIBAO_STORE": url(prefix)})
    try:
        served.start()
        first = wait_for(lambda: two(served.process.pid))
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        status, body = request(served.base + "/api/chat", {"message": "断保两年要等多久", "today": "2026-03-01"})
        assert status == 200 and body["replies"]  # the other worker answers meanwhile
        again = wait_for(lambda: two(served.process.pid, without=victim))
        assert len(again - first) == 1
        for _ in range(6):
            assert request(served.base + "/healthz")[0] == 200
        assert served.stop() == 0
        wait_for(lambda: not any(alive(pid) for pid in again), 15)
        assert "个工作进程已退出" in served.output()
    finally:
        served.stop()
        clean(prefix)


def test_workers_for_telegram_need_the_webhook_mode():
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:ABCDEFabcdefABCDEFabcdefABCDEF_-"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "telegram", "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "yibao: --workers 只用于 webhook 模式（同时给出 --webhook URL）"
