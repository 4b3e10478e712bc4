"""One contract, three session stores (memory, SQLite, Redis): every test here runs on each.

What a face relies on: a saved state comes back equal; a commit on a version that moved on is
refused; the turns of many writers on one conversation are all kept; old sessions expire and
recent ones stay; "忘记我" deletes the record; each Telegram update is kept until answered,
committed once, and remembered after; and what is stored is the facts, never what was typed.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading

import pytest

from bot.conversation.session import turn
from bot.conversation.state import Facts, State
from bot.conversation.store import (
    AlreadyHandled,
    Conflict,
    InboxItem,
    Receipt,
    Snapshot,
)
from bot.models import Option

TODAY = dt.date(2026, 3, 1)


def _state(turns: int = 0) -> State:
    return State(
        facts=Facts(
            target_year=2027, years={2025: "insured", 2026: "uninsured"}, backpaid=1, paid_on=dt.date(2026, 12, 10)
        ),
        task="my_waiting",
        pending="confirm",
        options=[Option(label="对", value="yes")],
        turns=turns,
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def bump(store, key: str, times: int) -> None:
    """`times` turns that each add one to the stored count, retried on a conflict as turn() does."""
    for _ in range(times):
        while True:
            seen = store.read(key)
            state = seen.state or State()
            try:
                store.commit(key, state.model_copy(update={"turns": state.turns + 1}), seen.version)
                break
            except Conflict:
                continue


def test_a_saved_state_comes_back_equal_and_nothing_else_is_there(make):
    store = make()
    store.save("cli:a", _state())
    assert store.load("cli:a") == _state()
    assert store.load("cli:other") is None
    assert store.read("cli:other") == Snapshot(None, 0)
    store.forget("cli:other")


def test_each_commit_moves_the_version_on_and_a_stale_one_is_refused(make):
    store = make()
    first = store.read("cli:a")
    assert first == Snapshot(None, 0)
    assert store.commit("cli:a", _state(1), first.version) == 1
    second = store.read("cli:a")
    assert second == Snapshot(_state(1), 1)
    assert store.commit("cli:a", _state(2), second.version) == 2
    with pytest.raises(Conflict):
        store.read("cli:a")
        store.commit("cli:a", _state(9), first.version)
    assert store.load("cli:a") == _state(2)


def test_forget_deletes_the_record_and_the_conversation_starts_afresh(make):
    store = make()
    store.save("cli:a", _state())
    store.forget("cli:a")
    assert store.load("cli:a") is None
    assert store.raw("cli:a") is None
    store.forget("cli:never")


def test_sessions_past_their_age_are_not_loaded_and_expire_while_recent_ones_stay(make):
    clock = Clock()
    store = make(clock=clock, max_age=dt.timedelta(days=30))
    store.save("old", _state())
    clock.now += 31 * 86400
    assert store.load("old") is None  # even before expire() runs
    store.save("new", _state())
    assert store.expire(dt.timedelta(days=30)) == 1
    assert store.load("old") is None and store.load("new") == _state()
    assert store.raw("old") is None


def test_threads_taking_turns_on_one_conversation_lose_none(make):
    store = make()
    threads = [threading.Thread(target=bump, args=(store, "cli:busy", 25)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert store.load("cli:busy").turns == 100


def test_processes_taking_turns_on_one_conversation_lose_none(make_shared):
    store = make_shared()
    code = (
        "import sys; sys.path[:0] = sys.argv[3:]; "
        "from bot.conversation.store import open_store; "
        "from test_store_contract import bump; "
        "bump(open_store(sys.argv[1]), 'tg:1:1', int(sys.argv[2]))"
    )
    here = [str(p) for p in sys.path if p]
    workers = [subprocess.Popen([sys.executable, "-c", code, make_shared.location, "20", *here]) for _ in range(3)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0, 0]
    assert store.load("tg:1:1").turns == 60


def test_an_update_is_kept_until_answered_committed_once_and_remembered(make):
    store = make()
    assert store.inbox_add(7, 42, '{"update_id": 7}') is True
    assert store.inbox_add(7, 42, '{"update_id": 7}') is False  # Telegram sent it again
    assert store.inbox_add(5, 42, '{"update_id": 5}') is True
    assert [i.update_id for i in store.inbox_pending()] == [5, 7]
    seen = store.read("tg:42:42")
    store.commit("tg:42:42", _state(), seen.version, Receipt(7, 42, '{"replies": []}'))
    assert store.inbox_get(7) == InboxItem(7, 42, None, '{"replies": []}', False)
    again = store.read("tg:42:42")
    with pytest.raises(AlreadyHandled):
        store.commit("tg:42:42", _state(5), again.version, Receipt(7, 42, "{}"))
    assert store.load("tg:42:42") == _state()  # the duplicate changed nothing
    store.inbox_sent(7, 2)  # two of its messages went out before a crash
    assert store.inbox_get(7) == InboxItem(7, 42, None, '{"replies": []}', False, 2)
    assert store.inbox_pending()[-1].sent == 2
    store.inbox_done(7, 42)
    done = store.inbox_get(7)
    assert (done.update_id, done.chat, done.payload, done.outbox, done.done) == (7, 42, None, None, True)
    assert [i.update_id for i in store.inbox_pending()] == [5]
    assert store.inbox_add(7, 42, "{}") is False  # a late duplicate is still known
    store.inbox_done(9, 1)  # an update that needed no turn at all
    assert store.inbox_get(9).done and store.inbox_get(9).chat == 1


def test_a_refused_commit_leaves_the_update_unanswered(make):
    store = make()
    store.inbox_add(3, 8, "{}")
    stale = store.read("tg:8:8")
    store.commit("tg:8:8", _state(), stale.version)
    store.read("tg:8:8")
    with pytest.raises(Conflict):
        store.commit("tg:8:8", _state(4), stale.version, Receipt(3, 8, "{}"))
    assert store.inbox_get(3) == InboxItem(3, 8, "{}", None, False)


def test_what_is_stored_is_the_facts_never_what_was_typed(make):
    store = make()
    typed = "我叫王小明，身份证号500101199001011234，电话13812345678，我2025年交了，2026年没交，断保一年要等多久"
    turn(store, "tg:5:5", typed, TODAY)
    raw = store.raw("tg:5:5")
    assert raw is not None and json.loads(raw)["facts"]["years"] == {"2025": "insured", "2026": "uninsured"}
    for secret in ("王小明", "500101199001011234", "13812345678", "断保一年要等多久"):
        assert secret not in raw
    State.model_validate_json(raw)  # the whole value is the state model, nothing beside it
