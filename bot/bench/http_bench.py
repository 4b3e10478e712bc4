"""Requests per second through `yibao serve`, measured over real HTTP on 127.0.0.1.

The real process (uvicorn, one worker, the dialogue manager, the SQLite session store in a
temporary directory) is started as `yibao serve --port <free port>`; `startup_s` is the time
until /healthz answers. Then three rounds, each sent by CLIENTS threads at once (urllib, a
new connection per request, as a browser tab without keep-alive would):
  - faq:  GET /api/faq for a rotation of questions,
  - ask:  POST /api/ask for the same questions,
  - chat: POST /api/chat, conversations of two turns (the history in one message, then 对),
          the second turn loading the state the first one saved.
One request of each kind goes first, untimed. Latency of a request: from sending it to having read the whole response, queueing behind the
other clients included. `errors` counts answers other than 200.
"""
from __future__ import annotations

import sys
import json
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CLIENTS = 8
REQUESTS = 400
START_WAIT = 60.0
STOP_WAIT = 15.0
TODAY = "2026-03-01"
QUESTIONS = ["断保两年要等多久", "新生儿怎么参保", "2026年居民医保交多少钱", "在外地参保的年份算不算连续参保",
             "零报销激励是多少", "补缴可以缩短等待期吗", "大学生在哪里参保", "职工医保个人账户能给家人用吗"]
HISTORY = "我2025年和2026年都在重庆交了居民医保，2025年一次都没报销，2026年的封顶线是多少"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(url: str, payload: dict | None = None, method: str | None = None,
            timeout: float = 30.0) -> tuple[int, dict | str]:
    """(status, JSON body or text) of one request; HTTP errors are answers, not exceptions."""
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data else "GET"),
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


class Served:
    """`yibao serve` as a child process with its own store; a context manager."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(directory) / "serve.log"
        self.env = {**os.environ, "YIBAO_STORE": str(Path(directory) / "sessions.db")}
        self.process: subprocess.Popen | None = None
        self._handle = None

    def start(self) -> float:
        """Start and wait until /healthz answers; the seconds that took."""
        began = time.perf_counter()
        self._handle = open(self.log, "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(self.port)], env=self.env,
                                        stdout=self._handle, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_WAIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("yibao serve stopped:\n" + self.output())
            try:
                if request(self.base + "/healthz", timeout=2)[0] == 200:
                    return time.perf_counter() - began
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("yibao serve did not come up:\n" + self.output())

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it has not stopped within STOP_WAIT; the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_WAIT)
        if self._handle and not self._handle.closed:
            self._handle.close()
        return self.process.returncode

    def output(self) -> str:
        if self._handle and not self._handle.closed:
            self._handle.flush()
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def __enter__(self) -> "Served":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _round(jobs: list, clients: int) -> tuple[float, list[float], list[int]]:
    """Run the jobs (each sends requests and returns their statuses) on `clients` threads:
    (seconds, milliseconds per request of each job, every status)."""
    latencies: list[float] = []
    statuses: list[int] = []

    def timed(job) -> None:
        began = time.perf_counter()
        answered = job()
        latencies.append((time.perf_counter() - began) * 1000 / len(answered))
        statuses.extend(answered)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(timed, jobs))
    return time.perf_counter() - began, latencies, statuses


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def figures(requests: int = REQUESTS, clients: int = CLIENTS) -> dict:
    from urllib.parse import quote

    out: dict = {"clients": clients}
    with tempfile.TemporaryDirectory() as tmp:
        served = Served(Path(tmp))
        out["startup_s"] = round(served.start(), 3)
        try:
            base = served.base
            rounds = {
                "faq": [lambda i=i: [request(f"{base}/api/faq?q={quote(QUESTIONS[i % len(QUESTIONS)])}")[0]]
                        for i in range(requests)],
                "ask": [lambda i=i: [request(f"{base}/api/ask", {"question": QUESTIONS[i % len(QUESTIONS)],
                                                                 "today": TODAY})[0]]
                        for i in range(requests)],
                "chat": [lambda i=i: [request(f"{base}/api/chat", {"session": f"bench-{i}", "message": m,
                                                                   "today": TODAY})[0]
                                      for m in (HISTORY, "yes")]
                         for i in range(max(1, requests // 2))],
            }
            for jobs in rounds.values():  # first calls build lazy caches: not timed
                jobs[0]()
            errors = 0
            for name, jobs in rounds.items():
                seconds, latencies, statuses = _round(jobs, clients)
                out[f"{name}_per_s"] = round(len(statuses) / seconds, 1)
                out[f"{name}_median_ms"] = round(statistics.median(latencies), 2)
                out[f"{name}_p99_ms"] = round(_p99(latencies), 2)
                errors += sum(1 for status in statuses if status != 200)
            out["errors"] = errors
        finally:
            out["exit_code"] = served.stop()
    return out
