"""Conversations over /api/chat: options, persistence in the SQLite file, forgetting, privacy."""
from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from bot.http.app import create_app
from bot.http.guard import INTERNAL
from bot.conversation.store import SQLiteStore

TODAY = "2026-03-01"
HISTORY = "我2025年和2026年都在重庆交了居民医保，2025年一次都没报销，2026年的封顶线是多少"
ID_CARD, PHONE = "110101199003078888", "13812345678"


def server_log(caplog) -> str:
    """What the server side logged (the test client's own httpx lines left out)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))


def say(client, session: str, message: str) -> list[dict]:
    response = client.post("/api/chat", json={"session": session, "message": message, "today": TODAY})
    assert response.status_code == 200, response.text
    assert response.json()["session"] == session
    return response.json()["replies"]


def option(replies: list[dict], label: str) -> str:
    """The value of the option a person would click."""
    return next(o["value"] for r in replies for o in r["options"] if o["label"] == label)


def test_a_history_told_whole_gives_the_cap_and_its_steps_on_request(client):
    summary, answer = say(client, "desk-1", HISTORY)
    assert summary["text"].startswith("按您说的情况")
    assert "204,000元" in answer["text"]
    assert "医保经办机构" in answer["text"]
    assert answer["sources"] and answer["sources"][0]["excerpt"]
    steps = say(client, "desk-1", option([answer], "依据"))
    assert "逐年封顶线" in steps[0]["text"]


def test_a_conversation_continues_in_a_second_app_on_the_same_file(db):
    first_store = SQLiteStore(db)
    with TestClient(create_app(first_store)) as first:
        answer = say(first, "desk-2", HISTORY)
    first_store.close()
    second_store = SQLiteStore(db)
    with TestClient(create_app(second_store)) as second:
        steps = say(second, "desk-2", option(answer, "依据"))
    second_store.close()
    assert "逐年封顶线" in steps[0]["text"] and "204000" in steps[0]["text"]


def test_two_sessions_do_not_share_what_was_said(client):
    answer = say(client, "caller-a", HISTORY)
    other = say(client, "caller-b", option(answer, "依据"))
    assert not any("204000" in r["text"] for r in other)


def test_forgetting_a_session_deletes_its_record_and_starts_afresh(client, store):
    answer = say(client, "desk-3", HISTORY)
    assert store.raw("http:desk-3") is not None
    response = client.delete("/api/chat/desk-3")
    assert response.status_code == 200
    assert response.json() == {"session": "desk-3", "forgotten": True}
    assert store.raw("http:desk-3") is None
    after = say(client, "desk-3", option(answer, "依据"))
    assert not any("204000" in r["text"] for r in after)


def test_an_id_card_and_a_phone_number_are_neither_stored_nor_logged(client, store, caplog):
    caplog.set_level(logging.DEBUG)
    replies = say(client, "desk-4", f"我的身份证{ID_CARD}，电话{PHONE}，2025年交了医保")
    assert any("不需要" in r["text"] for r in replies)
    client.get("/api/faq", params={"q": f"{PHONE}断保"})
    client.post("/api/ask", json={"question": f"{ID_CARD}封顶线"})
    raw = store.raw("http:desk-4") or ""
    logged = server_log(caplog)
    assert "POST /api/chat 200" in logged and "GET /api/faq 200" in logged
    for secret in (ID_CARD, PHONE, "身份证", "2025年交了"):
        assert secret not in raw
        assert secret not in logged


def test_bad_session_ids_are_refused_in_one_chinese_line(client):
    message = "会话编号只能由1-64个英文字母、数字、_ 或 - 组成"
    for session in ("", "a b", "x" * 65, "坐席1", "../etc"):
        response = client.post("/api/chat", json={"session": session, "message": "你好"})
        assert response.status_code == 422, session
        assert response.json() == {"detail": message}
    assert client.delete("/api/chat/" + "x" * 65).json() == {"detail": message}
    assert client.delete("/api/chat/a%20b").json() == {"detail": message}


@pytest.mark.parametrize("message", ["", "😀😀😀", "hello", "我2025年交了也没交", "3025年", "医" * 5000])
def test_odd_messages_get_a_polite_reply(client, message):
    replies = say(client, "odd", message)
    assert replies and all(r["text"].strip() for r in replies)


def test_a_message_over_the_limit_is_refused(client):
    response = client.post("/api/chat", json={"session": "s", "message": "医" * 10_001})
    assert response.status_code == 422
    assert response.json() == {"detail": "消息太长（最多10000字）"}


def test_a_failure_inside_is_500_with_one_line_and_no_trace_of_the_input(caplog):
    class BrokenStore(SQLiteStore):
        def load(self, key):
            raise RuntimeError(f"disk full while reading {ID_CARD}")

    caplog.set_level(logging.DEBUG)
    store = BrokenStore(":memory:")
    with TestClient(create_app(store)) as client:
        response = client.post("/api/chat", json={"session": "s", "message": ID_CARD})
    assert response.status_code == 500
    assert response.json() == {"detail": INTERNAL}
    logged = server_log(caplog)
    assert "RuntimeError" in logged
    assert ID_CARD not in logged and "Traceback" not in logged
