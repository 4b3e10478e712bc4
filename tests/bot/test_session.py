"""session.turn: the state is saved before the replies go out; privacy of what is stored."""

from __future__ import annotations

import datetime as dt

from bot.conversation.session import turn
from bot.conversation.store import MemoryStore, SQLiteStore

TODAY = dt.date(2026, 11, 22)


class RecordingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def commit(self, key, state, expected, receipt=None):
        self.events.append("forget" if state is None else "save")
        return super().commit(key, state, expected, receipt)


def test_state_is_saved_on_every_turn_before_replies_are_returned():
    store = RecordingStore()
    replies = turn(store, "cli:x", "我2025年没交，2026年也没交，要等多久", TODAY)
    assert store.events == ["save"] and replies
    assert store.load("cli:x").pending == "backpaid"


def test_conversation_continues_from_the_store_across_store_objects(tmp_path):
    path = tmp_path / "s.db"
    turn(SQLiteStore(path), "cli:a", "我2025年和2026年都没交，2027年要等多久", TODAY)
    turn(SQLiteStore(path), "cli:a", "没有补缴", TODAY)
    replies = turn(SQLiteStore(path), "cli:a", "对", TODAY)
    assert "4个月" in replies[-1].text


def test_forget_me_deletes_everything_stored_for_the_key():
    store = RecordingStore()
    turn(store, "tg:1:2", "我2025年没交", TODAY)
    assert store.load("tg:1:2") is not None
    replies = turn(store, "tg:1:2", "删除我的记录", TODAY)
    assert "删除" in replies[-1].text
    assert store.load("tg:1:2") is None and store.events[-1] == "forget"


def test_id_numbers_phones_and_names_never_reach_the_store(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    replies = turn(store, "cli:p", "我叫王小明，身份证500101199001011234，电话13812345678，我的封顶线是多少", TODAY)
    assert any("不需要" in r.text for r in replies)
    replies = turn(store, "cli:p", "我的手机号是 139-1234-5678，2025年交了", TODAY)
    raw = store.raw("cli:p")
    for secret in ("500101199001011234", "13812345678", "王小明", "1234-5678", "139"):
        assert secret not in raw
    assert store.load("cli:p").facts.years[2025] == "insured"
