"""Session stores: what is saved comes back, old sessions expire, "忘记我" deletes the record,
and several processes can share the SQLite file."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from bot.conversation.state import Facts, State
from bot.conversation.store import (
    AlreadyHandled,
    Conflict,
    InboxItem,
    MemoryStore,
    Receipt,
    Snapshot,
    SQLiteStore,
    default_path,
    open_store,
    session_max_age,
)
from bot.models import Option
from bot.settings import SettingsError


def _state() -> State:
    return State(
        facts=Facts(
            target_year=2027, years={2025: "insured", 2026: "uninsured"}, backpaid=1, paid_on=dt.date(2026, 12, 10)
        ),
        task="my_waiting",
        pending="confirm",
        options=[Option(label="对", value="yes")],
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "sqlite"])
def make(request, tmp_path):
    def build(clock=None):
        kw = {"clock": clock} if clock else {}
        if request.param == "memory":
            return MemoryStore(**kw)
        return SQLiteStore(tmp_path / "sessions.db", **kw)

    return build


def test_a_saved_state_comes_back_equal(make):
    store = make()
    store.save("cli:a", _state())
    assert store.load("cli:a") == _state()
    assert store.load("cli:other") is None


def test_forget_deletes_the_record(make):
    store = make()
    store.save("cli:a", _state())
    store.forget("cli:a")
    assert store.load("cli:a") is None
    store.forget("cli:never")  # forgetting nothing is fine


def test_sessions_older_than_the_age_expire_and_newer_stay(make):
    clock = Clock()
    store = make(clock)
    store.save("old", _state())
    clock.now += 31 * 86400
    store.save("new", _state())
    assert store.expire(dt.timedelta(days=30)) == 1
    assert store.load("old") is None and store.load("new") is not None


def test_a_state_from_another_version_starts_afresh(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.save("k", _state().model_copy(update={"version": 999}))
    assert store.load("k") is None
    store._db.execute("UPDATE sessions SET state = 'not json' WHERE key = 'k'")
    assert store.load("k") is None


def test_sqlite_store_runs_in_wal_mode_and_is_shared_between_connections(tmp_path):
    path = tmp_path / "shared.db"
    one, two = SQLiteStore(path), SQLiteStore(path)
    one.save("tg:1:1", _state())
    assert two.load("tg:1:1") == _state()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_store_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("YIBAO_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_path() == str(tmp_path / "yibao" / "sessions.db")
    monkeypatch.setenv("YIBAO_STORE", str(tmp_path / "elsewhere.db"))
    store = open_store()
    store.save("k", _state())
    assert (tmp_path / "elsewhere.db").exists()
    assert isinstance(open_store("memory"), MemoryStore)


def test_session_age_is_configurable(monkeypatch):
    monkeypatch.setenv("YIBAO_SESSION_DAYS", "7")
    assert session_max_age() == dt.timedelta(days=7)
    monkeypatch.delenv("YIBAO_SESSION_DAYS")
    assert session_max_age() == dt.timedelta(days=30)


@pytest.mark.parametrize("days", ["soon", "nan", "inf", "-inf", "1e10", "0", "-3", "0.5"])
def test_a_session_age_that_is_not_a_sensible_number_of_days_is_one_line(monkeypatch, days):
    monkeypatch.setenv("YIBAO_SESSION_DAYS", days)
    with pytest.raises(SettingsError) as refused:
        session_max_age()
    assert str(refused.value) == f"YIBAO_SESSION_DAYS 应为 1 到 3650 之间的天数: {days!r}"


def test_expiry_never_deletes_a_conversation_its_writer_still_keeps(tmp_path):
    clock = Clock()
    keeper = SQLiteStore(tmp_path / "s.db", clock=clock, max_age=dt.timedelta(days=30))
    hasty = SQLiteStore(tmp_path / "s.db", clock=clock, max_age=dt.timedelta(days=1))
    keeper.save("cli:kept", _state())
    clock.now += 2 * 86400
    assert hasty.expire() == 0 and hasty.load("cli:kept") == _state()
    clock.now += 29 * 86400
    assert hasty.expire() == 1 and keeper.load("cli:kept") is None


def test_a_commit_on_a_version_that_moved_on_is_refused(make):
    store = make()
    seen = store.read("cli:a")
    assert seen == Snapshot(None, 0)
    assert store.commit("cli:a", _state(), seen.version) == 1
    with pytest.raises(Conflict):
        store.commit("cli:a", _state(), seen.version)
    assert store.read("cli:a") == Snapshot(_state(), 1)


def test_an_update_is_committed_once_and_leaves_the_inbox_when_sent(make):
    store = make()
    assert store.inbox_add(7, 42, '{"update_id": 7}') and not store.inbox_add(7, 42, "{}")
    assert [i.update_id for i in store.inbox_pending()] == [7]
    store.commit("tg:42:1", _state(), 0, Receipt(7, 42, '{"replies": []}'))
    assert store.inbox_get(7) == InboxItem(7, 42, None, '{"replies": []}', False)
    with pytest.raises(AlreadyHandled):
        store.commit("tg:42:1", _state(), 1, Receipt(7, 42, "{}"))
    assert store.read("tg:42:1").version == 1
    store.inbox_done(7)
    assert store.inbox_pending() == [] and store.inbox_get(7).done


def test_several_processes_write_to_one_file_without_losing_a_turn(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "shared.db"
    code = (
        "import sys, datetime as dt\n"
        "from bot.conversation.session import turn\nfrom bot.conversation.store import SQLiteStore\n"
        "s = SQLiteStore(sys.argv[1])\n"
        "for i in range(40):\n"
        "    turn(s, f'{sys.argv[2]}:{i}', '我2025年没交，2026年也没交，要等多久', dt.date(2026, 11, 22))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), name]) for name in ("a", "b", "c")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    store = SQLiteStore(path)
    for name in ("a", "b", "c"):
        for i in range(40):
            assert store.load(f"{name}:{i}").pending == "backpaid"


def test_an_expired_session_is_not_loaded_even_before_expire_runs(make):
    clock = Clock()
    store = make(clock)
    store.save("k", _state())
    clock.now += 31 * 86400
    assert store.load("k") is None
