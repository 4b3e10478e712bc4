"""`yibao serve` as a real process: it comes up, answers over real HTTP, its console works
against it, it refuses a port in use in one line, and it stops cleanly on SIGTERM."""
from __future__ import annotations

import sys
import json
import shutil
import subprocess
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.bench.http_bench import HISTORY, Served, figures, request

HERE = Path(__file__).parent
QUESTION = "断保两年要等多久"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Served(tmp_path_factory.mktemp("serve")) as s:
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
        session = f"parallel-{n}"
        status, answer = request(server.base + "/api/chat", {"session": session, "message": HISTORY,
                                                          "today": "2026-03-01"})
        assert status == 200  # told whole: the answer straight away
        status, details = request(server.base + "/api/chat", {"session": session, "message": "details",
                                                           "today": "2026-03-01"})
        assert status == 200 and "逐年封顶线" in details["replies"][0]["text"]
        return answer["replies"][-1]["text"]

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
    assert "204,000元" in seen["chat"] and "按您说的情况" in seen["chat"] and "逐年封顶线" in seen["chat"]
    assert seen["session"]
    assert seen["calcRows"] == 3  # 2025, 2026, 2027
    assert "196,000元" in seen["calc"] and "2027-04-01" in seen["calc"], seen["calcError"]
    assert "计算过程" in seen["calc"] and "渝医保发〔2025〕37号" in seen["calc"]
    assert "出生" in seen["calcRefused"]


def test_a_port_in_use_is_one_line_and_exit_2(server):
    done = subprocess.run([sys.executable, "-m", "bot", "serve", "--port", str(server.port)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"yibao: 端口 {server.port} 已被占用，请换一个端口（--port）或先停止占用它的程序"]


def test_a_store_that_cannot_be_opened_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = subprocess.run([sys.executable, "-m", "bot", "serve", "--port", "0", "--store", str(blocker / "sessions.db")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"yibao: 无法打开会话存储 {blocker / 'sessions.db'}")


def test_sigterm_stops_the_server_cleanly_and_its_log_holds_no_question(tmp_path):
    s = Served(tmp_path)
    try:
        s.start()
        request(s.base + "/api/chat", {"session": "t", "message": HISTORY})
        request(s.base + "/api/faq?q=" + urllib.request.quote(QUESTION))
    finally:
        code = s.stop()
    log = s.output()
    assert code == 0, log
    assert "Traceback" not in log
    assert "POST /api/chat 200" in log and "GET /api/faq 200" in log
    assert HISTORY not in log and urllib.request.quote(QUESTION) not in log and "2025年" not in log



def test_the_bench_reports_every_round_without_errors():
    measured = figures(requests=16, clients=4)
    assert measured["errors"] == 0 and measured["exit_code"] == 0
    for name in ("faq", "ask", "chat"):
        assert measured[f"{name}_per_s"] > 0
        assert 0 < measured[f"{name}_median_ms"] <= measured[f"{name}_p99_ms"]
