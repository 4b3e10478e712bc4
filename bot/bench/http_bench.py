"""Requests per second through `yibao serve`, measured over real HTTP on 127.0.0.1.

The real process (uvicorn, one worker, the dialogue manager, the SQLite session store in a
temporary directory) is started as `yibao serve --port <free port>` with limits raised out of
the way (--rate, --sessions-per-hour: the bench measures the server, not the rate limiter);
`startup_s` is the time until /healthz answers. Then rounds, each sent by CLIENTS threads at
once (urllib, a new connection per request, as a browser tab without keep-alive would):
  - faq:  GET /api/faq for a rotation of questions,
  - calc: POST /api/calc for a rotation of histories,
  - ask:  POST /api/ask for the same questions,
  - chat: POST /api/chat, conversations of two turns (the history in one message, which starts
          a session, then 对 in that session), the second turn loading the state the first saved.
One request of each kind goes first, untimed. Latency of a request: from sending it to having
read the whole response, queueing behind the other clients included. `errors` counts answers
other than 200.

Then the same faq, calc and chat rounds again while SLOW connections are held open at once,
each sending its request headers one line a second and never finishing (reopened when the
server drops it, as an attacker would): `slow_*` are the normal requests' figures meanwhile.
The slow connections are then held until HOLD seconds have passed, past the server's deadline
for reading a request (10 s): `slow_dropped` is how many it closed meanwhile, `slow_after_*`
the faq figures while the dropped ones reconnect, `deadline_log_lines` the lines its log holds
about them (one per kind and minute, not one per connection), `log_lines` all it logged.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

CLIENTS = 8
REQUESTS = 400
START_WAIT = 60.0
STOP_WAIT = 15.0
TODAY = "2026-03-01"
QUESTIONS = [
    "断保两年要等多久",
    "新生儿怎么参保",
    "2026年居民医保交多少钱",
    "在外地参保的年份算不算连续参保",
    "零报销激励是多少",
    "补缴可以缩短等待期吗",
    "大学生在哪里参保",
    "职工医保个人账户能给家人用吗",
]
HISTORY = "我2025年和2026年都在重庆交了居民医保，2025年一次都没报销，2026年的封顶线是多少"
CALCS = [
    {"target_year": 2026, "enrolled": [2025, 2026], "zero_claim": [2025]},
    {"target_year": 2027, "enrolled": [2025, 2027], "paid_on": "2026-12-20"},
    {"target_year": 2026, "enrolled": [2026], "group": "newborn", "born": "2026-02-03"},
    {"target_year": 2028, "enrolled": [2025, 2028], "employee": [2026], "backpaid": 1},
]
SLOW = 1000
HOLD = 13.0
UNLIMITED = ["--rate", "100000000", "--sessions-per-hour", "100000000"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(
    url: str,
    payload: dict | None = None,
    method: str | None = None,
    timeout: float = 30.0,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict | str]:
    """(status, JSON body or text) of one request; HTTP errors are answers, not exceptions."""
    data = json.dumps(payload).encode() if payload is not None else None
    sent = {"Content-Type": "application/json"} if data else {}
    req = urllib.request.Request(
        url, data=data, method=method or ("POST" if data else "GET"), headers={**sent, **(headers or {})}
    )
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

    def __init__(
        self, directory: Path, port: int | None = None, args: list[str] | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.port = port or free_port()
        self.args = list(args or [])
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(directory) / "serve.log"
        self.env = {**os.environ, "YIBAO_STORE": str(Path(directory) / "sessions.db"), **(env or {})}
        self.process: subprocess.Popen | None = None
        self._handle: BinaryIO | None = None

    def start(self) -> float:
        """Start and wait until /healthz answers; the seconds that took."""
        began = time.perf_counter()
        self._handle = open(self.log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(self.port), *self.args],
            env=self.env,
            stdout=self._handle,
            stderr=subprocess.STDOUT,
        )
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

    def __enter__(self) -> Served:
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


def _chat(base: str) -> list[int]:
    """A conversation of two turns: the history (a new session), then 对 in that session."""
    status, first = request(f"{base}/api/chat", {"message": HISTORY, "today": TODAY})
    if status != 200 or not isinstance(first, dict):
        return [status]
    return [status, request(f"{base}/api/chat", {"session": first["session"], "message": "yes", "today": TODAY})[0]]


def _rounds(base: str, requests: int) -> dict[str, list]:
    return {
        "faq": [
            lambda i=i: [request(f"{base}/api/faq?q={quote(QUESTIONS[i % len(QUESTIONS)])}")[0]]
            for i in range(requests)
        ],
        "calc": [
            lambda i=i: [request(f"{base}/api/calc", {**CALCS[i % len(CALCS)], "today": TODAY})[0]]
            for i in range(requests)
        ],
        "ask": [
            lambda i=i: [request(f"{base}/api/ask", {"question": QUESTIONS[i % len(QUESTIONS)], "today": TODAY})[0]]
            for i in range(requests)
        ],
        "chat": [lambda: _chat(base) for _ in range(max(1, requests // 2))],
    }


def _measure(out: dict, prefix: str, rounds: dict[str, list], clients: int) -> int:
    """Run each round, put its figures in `out`; the number of answers other than 200."""
    errors = 0
    for name, jobs in rounds.items():
        seconds, latencies, statuses = _round(jobs, clients)
        out[f"{prefix}{name}_per_s"] = round(len(statuses) / seconds, 1)
        out[f"{prefix}{name}_median_ms"] = round(statistics.median(latencies), 2)
        out[f"{prefix}{name}_p99_ms"] = round(_p99(latencies), 2)
        errors += sum(1 for status in statuses if status != 200)
    return errors


class SlowClients:
    """`count` connections held open at once, each sending one header line a second and never
    ending its request; a connection the server drops is opened again."""

    def __init__(self, port: int, count: int) -> None:
        self.port, self.count = port, count
        self.dropped = 0
        self.opened_at = 0.0
        self._stop = False
        self._thread: threading.Thread | None = None

    def _open(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            sock.setblocking(False)
            return sock
        except OSError:
            return None

    def _run(self) -> None:
        socks = [s for s in (self._open() for _ in range(self.count)) if s is not None]
        self.opened, self.opened_at = len(socks), time.monotonic()
        line = 0
        while not self._stop:
            time.sleep(1.0)
            line += 1
            kept = []
            for sock in socks:
                try:
                    sock.send(f"X-Slow-{line}: 1\r\n".encode())
                    kept.append(sock)
                except OSError:
                    self.dropped += 1
                    sock.close()
                    fresh = self._open()
                    if fresh is not None:
                        kept.append(fresh)
            socks = kept
        for sock in socks:
            sock.close()

    def __enter__(self) -> SlowClients:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        time.sleep(2.0)  # every connection open before the normal requests start
        return self

    def __exit__(self, *exc) -> None:
        self._stop = True
        if self._thread:
            self._thread.join(timeout=30)


def figures(requests: int = REQUESTS, clients: int = CLIENTS, slow: int = SLOW, hold: float = HOLD) -> dict:
    out: dict = {"clients": clients, "slow_connections": slow}
    with tempfile.TemporaryDirectory() as tmp:
        served = Served(Path(tmp), args=UNLIMITED)
        out["startup_s"] = round(served.start(), 3)
        try:
            rounds = _rounds(served.base, requests)
            for jobs in rounds.values():  # first calls build lazy caches: not timed
                jobs[0]()
            errors = _measure(out, "", rounds, clients)
            if slow:
                with SlowClients(served.port, slow) as held:
                    slow_rounds = {k: v for k, v in _rounds(served.base, requests).items() if k != "ask"}
                    errors += _measure(out, "slow_", slow_rounds, clients)
                    if hold:
                        time.sleep(max(0.0, held.opened_at + hold - time.monotonic()))
                        late = {"faq": _rounds(served.base, requests)["faq"]}
                        errors += _measure(out, "slow_after_", late, clients)
                out["slow_opened"], out["slow_dropped"] = held.opened, held.dropped
            out["errors"] = errors
        finally:
            out["exit_code"] = served.stop()
            logged = served.output().splitlines()
            out["log_lines"] = len(logged)
            out["deadline_log_lines"] = sum(1 for line in logged if "请求未在" in line)
    return out
