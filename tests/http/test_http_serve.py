"""`yibao serve` as a real process: it comes up, answers over real HTTP, refuses a port in use,
a host beyond loopback without keys and a bad keys file in one line, drops a client that
never finishes its request, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import uvicorn

from bot.bench.http_bench import HISTORY, UNLIMITED, Served, figures, request
from bot.conversation.store import MemoryStore
from bot.http.app import create_app
from bot.http.server import uvicorn_config
from tests.http.conftest import ROOMY

QUESTION = "断保两年要等多久"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Served(tmp_path_factory.mktemp("serve"), args=UNLIMITED) as s:
        yield s


def test_the_server_answers_a_question_over_real_http(server):
    status, body = request(server.base + "/api/ask", {"question": QUESTION, "today": "2026-03-01"})
    assert status == 200
    assert "4个月" in body["answer"]
    assert body["sources"][0]["excerpt"]


def test_the_server_refuses_a_bad_date_in_one_line(server):
    status, body = request(server.base + "/api/calc", {"target_year": 2026, "paid_on": "2026-02-30"})
    assert status == 422
    assert body == {"detail": "缴费日期不是有效日期（应为 YYYY-MM-DD）"}


def test_eight_callers_at_once_each_keep_their_own_conversation(server):
    def conversation(n: int) -> str:
        status, answer = request(server.base + "/api/chat", {"message": HISTORY, "today": "2026-03-01"})
        assert status == 200  # told whole: the answer straight away
        session = answer["session"]
        status, details = request(
            server.base + "/api/chat", {"session": session, "message": "依据", "today": "2026-03-01"}
        )
        assert status == 200 and "逐年封顶线" in details["replies"][0]["text"]
        return answer["replies"][-1]["text"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(conversation, range(8), timeout=120))
    assert all("204,000元" in a for a in answers)


def test_a_port_in_use_is_one_line_and_exit_2(server):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", str(server.port)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"yibao: 端口 {server.port} 已被占用，请换一个端口（--port）或先停止占用它的程序"
    ]


def test_a_store_that_cannot_be_opened_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "0", "--store", str(blocker / "sessions.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"yibao: 无法打开会话存储 {blocker / 'sessions.db'}")


def test_sigterm_stops_the_server_cleanly_and_its_log_holds_no_question(tmp_path):
    s = Served(tmp_path)
    try:
        s.start()
        request(s.base + "/api/chat", {"message": HISTORY})
        request(s.base + "/api/faq?q=" + urllib.request.quote(QUESTION))
    finally:
        code = s.stop()
    log = s.output()
    assert code == 0, log
    assert "Traceback" not in log
    assert "POST /api/chat 200" in log and "GET /api/faq 200" in log
    assert HISTORY not in log and urllib.request.quote(QUESTION) not in log and "2025年" not in log


def test_the_bench_reports_every_round_without_errors():
    measured = figures(requests=16, clients=4, slow=50, hold=0)
    assert measured["errors"] == 0 and measured["exit_code"] == 0
    for name in ("faq", "calc", "ask", "chat", "slow_faq", "slow_calc", "slow_chat"):
        assert measured[f"{name}_per_s"] > 0
        assert 0 < measured[f"{name}_median_ms"] <= measured[f"{name}_p99_ms"]
    assert measured["slow_opened"] == 50


def serve_args(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "0", *args], capture_output=True, text=True, timeout=60
    )


def test_listening_beyond_loopback_without_keys_is_refused_in_one_line(tmp_path):
    done = serve_args("--host", "0.0.0.0", "--store", str(tmp_path / "s.db"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "yibao: 在 0.0.0.0 上监听会让本机以外的人访问，必须配置接口密钥（--keys 文件或 $YIBAO_API_KEYS）"
    ]


def test_a_keys_file_that_cannot_be_used_is_one_line_and_exit_2(tmp_path):
    weak = tmp_path / "keys.txt"
    weak.write_text("desk-a short\n", encoding="utf-8")
    done = serve_args("--host", "0.0.0.0", "--keys", str(weak))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"yibao: 密钥文件 {weak} 第1行：密钥太短（至少24个字符）"]
    missing = serve_args("--keys", str(tmp_path / "none.txt"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1


def test_a_server_with_keys_answers_beyond_loopback_only_with_a_key(tmp_path):
    key = "k" * 30
    keys = tmp_path / "keys.txt"
    keys.write_text(f"desk-a {key}\n", encoding="utf-8")
    with Served(tmp_path, args=["--host", "0.0.0.0", "--keys", str(keys)]) as s:
        assert request(s.base + "/healthz")[0] == 200
        assert request(s.base + "/api/faq?q=x")[0] == 401
        assert request(s.base + "/api/faq?q=x", headers={"X-API-Key": "z" * 30})[0] == 401
        status, body = request(s.base + "/api/chat", {"message": HISTORY}, headers={"X-API-Key": key})
        assert status == 200 and len(body["session"]) == 22
        assert request(s.base + "/healthz", headers={"Host": "attacker.example"})[0] == 400


def test_a_client_that_never_finishes_its_request_is_dropped_and_others_are_served():
    settings = ROOMY.model_copy(update={"header_timeout": 1.0})
    config = uvicorn_config(create_app(MemoryStore(), settings), settings)
    config.host, config.port, config.log_level = "127.0.0.1", 0, "warning"
    server = uvicorn.Server(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        for s in slow:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        assert request(f"http://127.0.0.1:{port}/healthz", timeout=5)[0] == 200
        began = time.monotonic()
        for s in slow:
            s.settimeout(5)
            assert s.recv(100) == b"", "the server closed the connection"
        assert time.monotonic() - began < 3
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
