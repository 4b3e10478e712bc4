"""Conversations over /api/chat: sessions the server issues, options, persistence in the SQLite
file, forgetting, privacy."""

from __future__ import annotations

import logging
import re

import pytest

from bot.conversation.store import SQLiteStore, StoreError
from bot.http.app import create_app
from bot.http.guard import INTERNAL
from tests.http.conftest import ROOMY, client_on

TODAY = "2026-03-01"
HISTORY = "我2025年和2026年都在重庆交了居民医保，2025年一次都没报销，2026年的封顶线是多少"
ID_CARD, PHONE = "110101199003078888", "13812345678"


def server_log(caplog) -> str:
    """What the server side logged (the test client's own httpx lines left out)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))


def say(client, session: str | None, message: str) -> tuple[str, list[dict]]:
    """(the session, the replies) of one turn; no session starts one."""
    body = {"message": message, "today": TODAY} | ({"session": session} if session else {})
    response = client.post("/api/chat", json=body)
    assert response.status_code == 200, response.text
    if session:
        assert response.json()["session"] == session
    return response.json()["session"], response.json()["replies"]


def option(replies: list[dict], label: str) -> str:
    """The value of the option a person would click."""
    return next(o["value"] for r in replies for o in r["options"] if o["label"] == label)


def test_a_history_told_whole_gives_the_cap_and_its_steps_on_request(client):
    session, replies = say(client, None, HISTORY)
    summary, answer = replies[0], replies[-1]
    assert summary["text"].startswith("按您说的情况")
    assert "204,000元" in answer["text"]
    assert "医保经办机构" in answer["text"]
    assert answer["sources"] and answer["sources"][0]["excerpt"]
    _, steps = say(client, session, option([answer], "依据"))
    assert "逐年封顶线" in steps[0]["text"]


def test_the_server_issues_an_unguessable_session_id(client):
    ids = {say(client, None, "你好")[0] for _ in range(20)}
    assert len(ids) == 20
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", i) for i in ids)  # 16 random bytes, base64url


def test_a_session_id_the_server_did_not_issue_is_404(client, store):
    session, _ = say(client, None, HISTORY)
    for guess in ("1", "desk-1", session[:-1] + ("A" if session[-1] != "A" else "B")):
        response = client.post("/api/chat", json={"session": guess, "message": "继续"})
        assert response.status_code == 404, guess
        assert response.json()["detail"].startswith("没有这个会话")
        assert client.delete(f"/api/chat/{guess}").status_code == 404
    assert store.raw(f"http:local:{session}") is not None, "a guess deletes nothing"


def test_a_conversation_continues_in_a_second_app_on_the_same_file(db):
    first_store = SQLiteStore(db)
    with client_on(create_app(first_store, ROOMY)) as first:
        session, answer = say(first, None, HISTORY)
    first_store.close()
    second_store = SQLiteStore(db)
    with client_on(create_app(second_store, ROOMY)) as second:
        _, steps = say(second, session, option(answer, "依据"))
    second_store.close()
    assert "逐年封顶线" in steps[0]["text"] and "204000" in steps[0]["text"]


def test_two_sessions_do_not_share_what_was_said(client):
    _, answer = say(client, None, HISTORY)
    other, _ = say(client, None, "你好")
    _, replies = say(client, other, option(answer, "依据"))
    assert not any("204000" in r["text"] or "204,000" in r["text"] for r in replies)


def test_forgetting_a_session_deletes_its_record_and_retires_its_id(client, store):
    session, answer = say(client, None, HISTORY)
    assert store.raw(f"http:local:{session}") is not None
    response = client.delete(f"/api/chat/{session}")
    assert response.status_code == 200
    assert response.json() == {"session": session, "forgotten": True}
    assert store.raw(f"http:local:{session}") is None
    again = client.post("/api/chat", json={"session": session, "message": option(answer, "依据")})
    assert again.status_code == 404


def test_forget_me_in_the_chat_empties_the_record_and_keeps_the_session(client, store):
    session, _ = say(client, None, HISTORY)
    _, replies = say(client, session, "忘记我")
    assert replies and replies[0]["text"]
    kept = store.raw(f"http:local:{session}")
    assert kept is not None and "2025" not in kept
    _, after = say(client, session, "依据")
    assert not any("204,000元" in r["text"] or "204000" in r["text"] for r in after)


def test_an_id_card_and_a_phone_number_are_neither_stored_nor_logged(client, store, caplog):
    caplog.set_level(logging.DEBUG)
    session, replies = say(client, None, f"我的身份证{ID_CARD}，电话{PHONE}，2025年交了医保")
    assert any("不需要" in r["text"] for r in replies)
    client.get("/api/faq", params={"q": f"{PHONE}断保"})
    client.post("/api/ask", json={"question": f"{ID_CARD}封顶线"})
    raw = store.raw(f"http:local:{session}") or ""
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
    _, replies = say(client, None, message)
    assert replies and all(r["text"].strip() for r in replies)


def test_a_message_over_the_limit_is_refused(client):
    response = client.post("/api/chat", json={"message": "医" * 10_001})
    assert response.status_code == 422
    assert response.json() == {"detail": "消息太长（最多10000字）"}


def test_a_store_that_fails_during_a_conversation_says_try_again_later_and_keeps_nothing(client, store):
    session, _ = say(client, None, "断保了要等多久才能报销")
    kept = store.read(session)

    def failing(*args, **kwargs):
        raise StoreError("会话存储写不进去")

    store.commit = failing  # type: ignore[method-assign]
    response = client.post("/api/chat", json={"session": session, "message": "2025年没交，2026年交了"})
    assert response.status_code == 503
    assert "请稍后再试" in response.json()["detail"]
    assert response.headers["Retry-After"] == "5"
    del store.commit
    assert store.read(session) == kept


def test_a_failure_inside_is_500_with_one_line_and_no_trace_of_the_input(caplog):
    class BrokenStore(SQLiteStore):
        def load(self, key):
            raise RuntimeError(f"disk full while reading {ID_CARD}")

    caplog.set_level(logging.DEBUG)
    store = BrokenStore(":memory:")
    with client_on(create_app(store, ROOMY)) as client:
        response = client.post("/api/chat", json={"session": "s" * 22, "message": ID_CARD})
    assert response.status_code == 500
    assert response.json() == {"detail": INTERNAL}
    logged = server_log(caplog)
    assert "RuntimeError" in logged
    assert ID_CARD not in logged and "Traceback" not in logged
