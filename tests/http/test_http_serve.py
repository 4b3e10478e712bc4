"""`yibao serve` as a real process: it comes up, answers over real HTTP, its console works
against it, it refuses a port in use in one line, and it stops cleanly on SIGTERM."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).parent
START_WAIT = 60.0   # seconds for the server to come up (a cold start builds the matcher)
STOP_WAIT = 15.0
QUESTION = "断保两年要等多久"
HISTORY = "我2025年和2026年都在重庆交了居民医保，2025年一次都没报销，2026年的封顶线是多少"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def post(url: str, payload: dict, timeout: float = 30.0) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


class Server:
    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "serve.log"
        env = {**os.environ, "YIBAO_STORE": str(tmp / "sessions.db")}
        self.handle = open(self.log, "wb")
        self.process = subprocess.Popen(["yibao", "serve", "--port", str(self.port)], env=env,
                                        stdout=self.handle, stderr=subprocess.STDOUT)

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if get(self.base + "/healthz", timeout=2)[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise AssertionError("yibao serve did not come up:\n" + self.output())

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_WAIT)
        self.handle.close()
        return self.process.returncode

    def output(self) -> str:
        if not self.handle.closed:
            self.handle.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("serve"))
    try:
        s.wait_healthy()
        yield s
    finally:
        s.stop()


def test_the_server_answers_a_question_over_real_http(server):
    status, body = post(server.base + "/api/ask", {"question": QUESTION, "today": "2026-03-01"})
    assert status == 200
    assert "4个月" in body["answer"]
    assert body["sources"][0]["excerpt"]


def test_the_server_refuses_a_bad_date_in_one_line(server):
    status, body = post(server.base + "/api/calc", {"target_year": 2026, "paid_on": "2026-02-30"})
    assert status == 422
    assert body == {"detail": "缴费日期不是有效日期（应为 YYYY-MM-DD）"}


def test_eight_callers_at_once_each_keep_their_own_conversation(server):
    def conversation(n: int) -> str:
        session = f"parallel-{n}"
        status, summary = post(server.base + "/api/chat", {"session": session, "message": HISTORY,
                                                           "today": "2026-03-01"})
        assert status == 200
        yes = next(o["value"] for r in summary["replies"] for o in r["options"] if o["label"] == "对")
        status, answer = post(server.base + "/api/chat", {"session": session, "message": yes,
                                                          "today": "2026-03-01"})
        assert status == 200
        return answer["replies"][0]["text"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(conversation, range(8), timeout=120))
    assert all("204,000元" in a for a in answers)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the console's script")
def test_the_console_searches_chats_and_calculates_against_the_server(server):
    done = subprocess.run(["node", str(HERE / "console_dom.js"), "server", server.base, HISTORY],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert "4个月" in seen["search"] and "复制原文" in seen["search"]
    assert seen["marked"], "the matched words are highlighted"
    assert "204,000元" in seen["chat"] and "我理解的是" in seen["chat"]
    assert seen["session"]
    assert seen["calcRows"] == 3  # 2025, 2026, 2027
    assert "196,000元" in seen["calc"] and "2027-04-01" in seen["calc"], seen["calcError"]
    assert "计算过程" in seen["calc"] and "渝医保发〔2025〕37号" in seen["calc"]
    assert "出生" in seen["calcRefused"]


def test_a_port_in_use_is_one_line_and_exit_2(server):
    done = subprocess.run(["yibao", "serve", "--port", str(server.port)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"yibao: 端口 {server.port} 已被占用，请换一个端口（--port）或先停止占用它的程序"]


def test_sigterm_stops_the_server_cleanly_and_its_log_holds_no_question(tmp_path):
    s = Server(tmp_path)
    try:
        s.wait_healthy()
        post(s.base + "/api/chat", {"session": "t", "message": HISTORY})
        get(s.base + "/api/faq?q=" + urllib.request.quote(QUESTION))
    finally:
        code = s.stop()
    log = s.output()
    assert code == 0, log
    assert "Traceback" not in log
    assert "POST /api/chat 200" in log and "GET /api/faq 200" in log
    assert HISTORY not in log and urllib.request.quote(QUESTION) not in log and "2025年" not in log


if sys.platform == "win32":  # pragma: no cover - SIGTERM semantics differ
    pytestmark = pytest.mark.skip("POSIX signals")
