"""What the command line does with what the issue measured: a store that cannot be used, bytes
that are not UTF-8, a session age that is not a number of days, personal data in a session
name, three processes on one conversation, and a store that fails in the middle of a chat."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from bot.conversation.session import STORE_DOWN
from bot.conversation.state import State
from bot.conversation.store import SQLiteStore

YIBAO = [sys.executable, "-m", "bot"]


@pytest.fixture
def env(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith("YIBAO_")}
    return dict(base, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "c"))


def run(env, *args, stdin: bytes = b"", timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*YIBAO, *args], input=stdin, capture_output=True, env=env, timeout=timeout)


def one_line(p: subprocess.CompletedProcess) -> str:
    err = p.stderr.decode("utf-8")
    assert p.returncode == 2, err
    assert err.count("\n") == 1 and err.startswith("yibao: ") and "Traceback" not in err
    return err


def _random(path):
    path.write_bytes(os.urandom(4096))


def _text(path):
    path.write_text("会话记录\n" * 200, encoding="utf-8")


def _truncated(path):
    store = SQLiteStore(path)
    for i in range(200):
        store.save(f"cli:{i}", State(turns=i))
    store.close()
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    path.write_bytes(data[: len(data) // 3])


def _foreign(path):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER, amount REAL)")
    db.commit()
    db.close()


def _foreign_sessions(path):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE sessions (id INTEGER, payload BLOB)")
    db.commit()
    db.close()


def _folder(path):
    path.mkdir()


@pytest.mark.parametrize("spoil", [_random, _text, _truncated, _foreign, _foreign_sessions, _folder])
def test_a_store_that_cannot_be_used_is_one_chinese_line_and_exit_2(env, tmp_path, spoil):
    path = tmp_path / "sessions.db"
    spoil(path)
    err = one_line(run(env, "chat", "--store", str(path), stdin="你好\n".encode()))
    assert "会话存储" in err


def test_a_store_inside_a_file_is_one_line_and_exit_2(env, tmp_path):
    (tmp_path / "plain").write_text("x")
    assert "会话存储" in one_line(run(env, "chat", "--store", str(tmp_path / "plain" / "s.db")))


def test_a_store_failing_mid_chat_says_try_later_and_the_next_line_is_still_read(env, tmp_path):
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)  # every turn now fails as a full disk would
    db.execute(
        "CREATE TRIGGER full BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    db.commit()
    db.close()
    p = run(env, "chat", "--json", "--store", str(path), stdin="新生儿怎么参保？\n你好\n".encode())
    assert p.returncode == 0 and b"Traceback" not in p.stderr
    assert [json.loads(line)["text"] for line in p.stdout.splitlines()] == [STORE_DOWN, STORE_DOWN]
    assert sqlite3.connect(path).execute("SELECT count(*) FROM sessions").fetchone() == (0,)


def test_the_store_is_private_to_its_user(env, tmp_path):
    p = run(env, "chat", stdin="你好\n".encode())
    assert p.returncode == 0
    folder = tmp_path / "data" / "yibao"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "sessions.db").stat().st_mode & 0o777 == 0o600


def test_three_processes_on_one_conversation_lose_no_turn(env, tmp_path):
    env = dict(env, YIBAO_STORE=str(tmp_path / "shared.db"))
    lines = "".join(f"{2025 + i % 3}年交了\n" for i in range(100)).encode()
    procs = [
        subprocess.Popen(
            [*YIBAO, "chat", "--json", "--session", "same", "--today", "2026-11-22"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(3)
    ]
    for proc in procs:
        proc.stdin.write(lines)
        proc.stdin.close()
    assert [proc.wait(timeout=300) for proc in procs] == [0, 0, 0]
    assert all(b"Traceback" not in proc.stderr.read() for proc in procs)
    assert SQLiteStore(tmp_path / "shared.db").load("cli:same").turns == 300


@pytest.mark.parametrize("command", [["ask"], ["faq"], ["chat"]])
def test_bytes_that_are_not_utf8_get_a_polite_reply_and_the_next_line_is_read(env, command):
    p = run(env, *command, "--json", stdin=b"\xff\xfe " + "断保\n断保一年要等多久\n".encode())
    assert p.returncode == 0 and b"Traceback" not in p.stderr
    first, second = [json.loads(line) for line in p.stdout.splitlines()][:2]
    if command == ["faq"]:
        assert first == [] and second
    else:
        key = "answer" if command == ["ask"] else "text"
        assert "UTF-8" in first[key] and "UTF-8" not in second[key]


@pytest.mark.parametrize("command", [["ask"], ["faq"], ["chat", "--session"]])
def test_an_argument_that_is_not_utf8_is_no_traceback(env, command):
    p = subprocess.run(
        [*(os.fsencode(a) for a in YIBAO), *(a.encode() for a in command), b"\xff\xfe \xe6\x96\xad"],
        capture_output=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert b"Traceback" not in p.stderr
    if command == ["ask"]:
        assert p.returncode == 0 and "UTF-8" in p.stdout.decode()
    else:
        one_line(p)


@pytest.mark.parametrize("command", [["ask", ""], ["faq", ""], ["chat", "--session", ""], ["ask", "  "]])
def test_an_empty_argument_is_exit_2_in_every_command(env, command):
    one_line(run(env, *command))


def test_a_long_line_to_faq_gets_no_hits_at_once_and_the_next_line_is_answered(env):
    p = run(env, "faq", stdin=("断保" * 500_000 + "\n断保一年要等多久\n").encode(), timeout=30)
    lines = p.stdout.decode().splitlines()
    assert p.returncode == 0 and json.loads(lines[0]) == [] and json.loads(lines[1])
    assert "太长" in one_line(run(env, "faq", "断保" * 400))


@pytest.mark.parametrize("days", ["nan", "inf", "1e10", "0", "-1", "三十"])
def test_a_session_age_that_is_not_a_number_of_days_is_one_line_and_exit_2(env, days):
    assert "YIBAO_SESSION_DAYS" in one_line(run(dict(env, YIBAO_SESSION_DAYS=days), "chat"))


@pytest.mark.parametrize("name", ["13812345678", "500101199001011234", "500101 19900101 1234", "我叫王小明"])
def test_a_session_name_with_personal_data_is_refused_and_not_stored(env, tmp_path, name):
    err = one_line(run(env, "chat", "--session", name, stdin="你好\n".encode()))
    assert name not in err
    assert not (tmp_path / "data" / "yibao" / "sessions.db").exists()
