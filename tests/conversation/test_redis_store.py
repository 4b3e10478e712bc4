"""What the Redis store adds to the contract: chosen by YIBAO_STORE=redis://…, a conversation held
by one worker at a time (a lease with a fencing token that only grows), expiry by Redis itself,
nothing stored but the state, and an unusable Redis said in one line."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time

import pytest
import redis

from bot.conversation.redis_store import RedisStore, shown
from bot.conversation.state import State
from bot.conversation.store import Receipt, StoreError, open_store
from redis_helpers import SHARED, clean, free_port, fresh_prefix, keys, url


@pytest.fixture
def prefix():
    name = fresh_prefix("redis")
    yield name
    clean(name)


def test_yibao_store_with_a_redis_url_opens_the_redis_store_under_its_prefix(monkeypatch, prefix):
    monkeypatch.setenv("YIBAO_STORE", url(prefix))
    store = open_store()
    try:
        assert isinstance(store, RedisStore) and store.prefix == prefix
        store.save("cli:a", State(turns=2))
        assert keys(prefix) == [f"{prefix}fence:cli:a", f"{prefix}keep:all", f"{prefix}s:cli:a"]
    finally:
        store.close()


def test_a_session_is_kept_for_the_session_age_and_holds_nothing_but_its_state(prefix):
    store = RedisStore(url(prefix), max_age=dt.timedelta(days=7))
    client = redis.Redis.from_url(SHARED, decode_responses=True)
    try:
        store.save("tg:1:1", State(turns=1))
        ttl = client.pttl(f"{prefix}s:tg:1:1") / 1000
        assert 7 * 86400 - 60 < ttl <= 7 * 86400
        assert set(client.hgetall(f"{prefix}s:tg:1:1")) == {"state", "version", "updated", "keep_until"}
        store.inbox_add(11, 1, "{}")
        seen = store.read("tg:1:1")
        store.commit("tg:1:1", State(turns=2), seen.version, Receipt(11, 1, "{}"))
        store.inbox_done(11, 1)
        assert 86400 - 60 < client.pttl(f"{prefix}in:11") / 1000 <= 86400  # a handled id is kept a day
        assert client.hgetall(f"{prefix}in:11").keys() == {"chat", "done", "received"}
    finally:
        client.close()
        store.close()


def test_a_conversation_read_for_a_turn_waits_for_the_worker_holding_it(prefix):
    first, second = RedisStore(url(prefix)), RedisStore(url(prefix))
    try:
        seen = first.read("tg:2:2")
        token = first.lease("tg:2:2")
        got: list = []

        def next_turn() -> None:  # another worker: its own thread, its own lease
            snapshot = second.read("tg:2:2")
            got.append((snapshot, second.lease("tg:2:2"), time.monotonic()))
            second.commit("tg:2:2", State(turns=2), snapshot.version)
            got.append(second.lease("tg:2:2"))

        waiting = threading.Thread(target=next_turn)
        waiting.start()
        time.sleep(0.3)
        assert not got  # still waiting
        committed = time.monotonic()
        first.commit("tg:2:2", State(turns=1), seen.version)
        waiting.join(timeout=5)
        (snapshot, later_token, when), released = got
        assert when >= committed and snapshot.state == State(turns=1) and snapshot.version == 1
        assert later_token > token  # the fencing token only grows
        assert released is None and first.lease("tg:2:2") is None
        assert first.load("tg:2:2") == State(turns=2)
    finally:
        first.close()
        second.close()


def test_a_conversation_held_longer_than_the_wait_is_one_line_not_a_hang(prefix):
    holder, waiter = RedisStore(url(prefix, lock_ms=5000)), RedisStore(url(prefix, wait_ms=300))
    try:
        holder.read("tg:3:3")
        began = time.monotonic()
        with pytest.raises(StoreError, match="另一个进程"):
            waiter.read("tg:3:3")
        assert time.monotonic() - began < 1.5
    finally:
        holder.close()
        waiter.close()


def test_a_redis_that_does_not_answer_is_one_line_without_the_password():
    port = free_port()
    with pytest.raises(StoreError) as refused:
        RedisStore(f"redis://:hunter2secret@127.0.0.1:{port}/0")
    assert str(refused.value) == f"无法打开会话存储 redis://:***@127.0.0.1:{port}/0：连不上 Redis"
    assert shown("redis://127.0.0.1:6379/2?prefix=x:") == "redis://127.0.0.1:6379/2"
    with pytest.raises(StoreError, match="毫秒"):
        RedisStore(url("x:", lock_ms="soon"))


def test_the_faces_refuse_to_start_on_a_redis_that_does_not_answer_with_exit_code_2(tmp_path):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    serve = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "0", "--workers", "2", "--store", dead],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert serve.returncode == 2
    assert serve.stderr.strip().splitlines()[-1] == f"yibao: 无法打开会话存储 {dead}：连不上 Redis"


def test_a_chats_older_update_without_its_turn_is_known_until_its_turn_or_its_end(prefix):
    store = RedisStore(url(prefix))
    try:
        for update_id, chat in ((5, 1), (6, 1), (4, 2)):
            store.inbox_add(update_id, chat, "{}")
        assert store.earlier_unturned(1, 6) and not store.earlier_unturned(1, 5)
        assert store.earlier_unturned(2, 9)  # chat 2 has update 4 waiting
        seen = store.read("tg:1:1")
        store.commit("tg:1:1", State(turns=1), seen.version, Receipt(5, 1, "{}"))
        assert not store.earlier_unturned(1, 6)  # 5 had its turn
        store.inbox_done(4, 0)  # answered without a turn (the chat is read from the inbox)
        assert not store.earlier_unturned(2, 9)
    finally:
        store.close()
