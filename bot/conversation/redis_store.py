"""Conversations and the Telegram inbox in Redis, for several worker processes on several machines.

Chosen by YIBAO_STORE=redis://host:port/db (rediss:// for TLS; a password as redis://:pw@host).
Query options of yibao's own, removed before the URL reaches redis-py:
    prefix=yibao:     every key this store touches starts with it (tests use their own)
    lock_ms=10000     how long a worker may hold a conversation before its lease expires
    wait_ms=12000     how long a worker waits for a conversation another worker holds

Same interface as bot.conversation.store (read / commit with a version check / inbox), with
one thing more: `read(key)` is a read *for update*. It takes the conversation's lease first
(SET NX PX: one holder at a time, expiring after lock_ms), whose value is a fencing token
(a per-conversation counter that only grows). The commit that follows is one Lua script that
writes only when the lease still holds this token AND the version is the one read; it then
releases the lease. So a worker that stalled (a pause, a long GC, a frozen VM) past its lease
cannot overwrite what the next holder wrote: its commit is refused (`LeaseLost`, a Conflict,
so the turn runs again on the newer state, under a new lease). A worker killed while holding
a lease holds it at most lock_ms; the next message then proceeds.

Keys (P = prefix): P s:<key> a hash {state, version, updated, keep_until} with a TTL of the
session age (Redis deletes it by itself); P lock:<key> the lease; P fence:<key> the token
counter; P keep a sorted set of keep_until for expire(); P in:<update_id> a hash {chat,
payload, outbox, sent, done, received}; P pending the sorted set of update ids not yet done;
P unturned:<chat> the ids of a chat's updates kept whose turn is not taken yet.
A handled update keeps only its id and chat, for a day. Nothing else is stored: the state is
the facts of bot.conversation.state, the update as bot.telegram.inbox scrubbed it.

Every Redis failure (refused, reset, timed out, still loading after a restart) is a StoreError
with one Chinese line: the face says "请稍后再试" and nothing is acknowledged. Written for one
Redis (with its replicas / Sentinel), not Redis Cluster: a commit touches keys of several slots.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from typing import cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.conversation.state import State
from bot.conversation.store import (
    DONE_KEPT,
    AlreadyHandled,
    Conflict,
    InboxItem,
    Receipt,
    Snapshot,
    StoreError,
    _decode,
    _Unconditional,
    session_max_age,
)

__all__ = ["LeaseLost", "RedisStore"]

DEFAULT_PREFIX = "yibao:"
LOCK_MS = 10_000
WAIT_MS = 12_000
SWEEP_BATCH = 500


class LeaseLost(Conflict):
    """The lease on the conversation expired and another worker may have taken it: not written."""


def shown(url: str) -> str:
    """The URL as a log line or an error may show it: without a password."""
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return urlunsplit((parts.scheme, f"{parts.username or ''}:***@{host}{port}", parts.path, "", ""))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _why(exc: BaseException) -> str:
    text = str(exc).lower()
    if isinstance(exc, redis.exceptions.BusyLoadingError) or "loading" in text:
        return "Redis 正在载入数据"
    if isinstance(exc, redis.exceptions.AuthenticationError) or "auth" in text or "password" in text:
        return "Redis 密码不对"
    if isinstance(exc, redis.exceptions.TimeoutError):
        return "Redis 没有及时回应"
    if isinstance(exc, redis.exceptions.ConnectionError):
        return "连不上 Redis"
    if "readonly" in text or "read only" in text:
        return "Redis 只读（是副本？）"
    if "oom" in text or "maxmemory" in text:
        return "Redis 内存已满"
    return "Redis 读写失败"


# KEYS: lock, fence, session   ARGV: lock_ms, fence_ttl_ms
# -> {token or 0, state or false, version or false, keep_until or false}
_ACQUIRE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
local token = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
local row = redis.call('HMGET', KEYS[3], 'state', 'version', 'keep_until')
return {token, row[1], row[2], row[3]}
"""

# KEYS: lock, session, keep, inbox item, pending
# ARGV: token ('' = no lease), expected, state ('' = delete), now, keep_until, ttl_ms, key,
#       update_id ('' = no receipt), chat, outbox, prefix
# -> new version, or -1 (version moved on), -2 (lease lost), -3 (update already handled)
_COMMIT = """
local holder = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if holder then return -2 end
elseif holder ~= ARGV[1] then
  return -2
end
local version = tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
if version ~= tonumber(ARGV[2]) then
  if holder then redis.call('DEL', KEYS[1]) end
  return -1
end
if ARGV[8] ~= '' then
  local seen = redis.call('HMGET', KEYS[4], 'outbox', 'done')
  if seen[1] or seen[2] == '1' then
    if holder then redis.call('DEL', KEYS[1]) end
    return -3
  end
  redis.call('HDEL', KEYS[4], 'payload')
  redis.call('HSET', KEYS[4], 'chat', ARGV[9], 'outbox', ARGV[10], 'done', '0')
  redis.call('HSETNX', KEYS[4], 'received', ARGV[4])
  redis.call('PEXPIRE', KEYS[4], ARGV[6])
  redis.call('ZADD', KEYS[5], tonumber(ARGV[8]), ARGV[8])
  redis.call('ZREM', ARGV[11] .. 'unturned:' .. ARGV[9], ARGV[8])
end
if holder then redis.call('DEL', KEYS[1]) end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[7])
  return 0
end
redis.call('HSET', KEYS[2], 'state', ARGV[3], 'version', version + 1, 'updated', ARGV[4], 'keep_until', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[7])
return version + 1
"""

# KEYS: lock   ARGV: token  -> 1 when this token held it (now released)
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: inbox item, pending, the chat's updates without a turn yet
# ARGV: update_id, chat, payload, now, ttl_ms -> 1 added, 0 known
_INBOX_ADD = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'chat', ARGV[2], 'payload', ARGV[3], 'done', '0', 'received', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], tonumber(ARGV[1]), ARGV[1])
redis.call('ZADD', KEYS[3], tonumber(ARGV[1]), ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return 1
"""

# KEYS: inbox item, pending   ARGV: update_id, chat, now, kept_ms, prefix
_INBOX_DONE = """
local chat = redis.call('HGET', KEYS[1], 'chat') or ARGV[2]
redis.call('ZREM', ARGV[5] .. 'unturned:' .. chat, ARGV[1])
redis.call('HDEL', KEYS[1], 'payload', 'outbox', 'sent')
redis.call('HSETNX', KEYS[1], 'chat', ARGV[2])
redis.call('HSETNX', KEYS[1], 'received', ARGV[3])
redis.call('HSET', KEYS[1], 'done', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
"""

# KEYS: inbox item   ARGV: count
_INBOX_SENT = """
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'sent', ARGV[1]) end
"""

# KEYS: keep   ARGV: prefix, now, cutoff, batch -> number of sessions deleted
_EXPIRE = """
local keys = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]))
local removed = 0
for _, key in ipairs(keys) do
  local skey = ARGV[1] .. 's:' .. key
  local row = redis.call('HMGET', skey, 'updated', 'keep_until')
  if not row[1] then
    redis.call('ZREM', KEYS[1], key)
  elseif tonumber(row[1]) < tonumber(ARGV[3]) and tonumber(row[2]) < tonumber(ARGV[2]) then
    redis.call('DEL', skey)
    redis.call('ZREM', KEYS[1], key)
    removed = removed + 1
  end
end
return {removed, #keys}
"""


class RedisStore(_Unconditional):
    """The session store and the inbox in one Redis database (see the module docstring)."""

    def __init__(
        self,
        url: str,
        clock=time.time,
        max_age: dt.timedelta | None = None,
        *,
        prefix: str | None = None,
        lock_ms: int | None = None,
        wait_ms: int | None = None,
    ) -> None:
        parts = urlsplit(url)
        ours = {"prefix", "lock_ms", "wait_ms"}
        query = parse_qsl(parts.query, keep_blank_values=True)
        options = {k: v for k, v in query if k in ours}
        self.url = url
        self.where = shown(url)
        self.prefix = prefix if prefix is not None else options.get("prefix", DEFAULT_PREFIX)
        try:
            self.lock_ms = int(lock_ms if lock_ms is not None else options.get("lock_ms", LOCK_MS))
            self.wait_ms = int(wait_ms if wait_ms is not None else options.get("wait_ms", WAIT_MS))
        except ValueError:
            raise StoreError(f"无法使用会话存储 {self.where}：lock_ms 和 wait_ms 应为毫秒数") from None
        if self.lock_ms < 1 or self.wait_ms < 0:
            raise StoreError(f"无法使用会话存储 {self.where}：lock_ms 和 wait_ms 应为正的毫秒数")
        self._clock = clock
        self._max_age = (max_age if max_age is not None else session_max_age()).total_seconds()
        self._held = threading.local()
        plain = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k not in ours])))
        try:
            self._r = redis.Redis.from_url(
                plain,
                decode_responses=True,
                socket_timeout=3,
                socket_connect_timeout=2,
                retry=Retry(NoBackoff(), 1),
                health_check_interval=15,
            )
            self._r.ping()
        except (redis.exceptions.RedisError, ValueError, OSError) as exc:
            raise StoreError(f"无法打开会话存储 {self.where}：{_why(exc)}") from None
        self._acquire = self._r.register_script(_ACQUIRE)
        self._commit = self._r.register_script(_COMMIT)
        self._release = self._r.register_script(_RELEASE)
        self._inbox_add = self._r.register_script(_INBOX_ADD)
        self._inbox_done = self._r.register_script(_INBOX_DONE)
        self._inbox_sent = self._r.register_script(_INBOX_SENT)
        self._expire = self._r.register_script(_EXPIRE)

    # -- keys

    def _k(self, kind: str, name: object) -> str:
        return f"{self.prefix}{kind}:{name}"

    @property
    def _ttl_ms(self) -> int:
        return max(1, int(self._max_age * 1000))

    def _run(self, what: str, func, *args):
        try:
            return func(*args)
        except redis.exceptions.RedisError as exc:
            raise StoreError(f"会话存储{what}失败（{_why(exc)}）") from None

    # -- conversations

    def _leases(self) -> dict[str, str]:
        held = getattr(self._held, "leases", None)
        if held is None:
            held = self._held.leases = {}
        return held

    def read(self, key: str) -> Snapshot:
        """Take the conversation's lease (waiting up to wait_ms for another holder), then read.

        The lease is this thread's until the commit that follows (or until lock_ms passes)."""
        held = self._leases()
        stale = held.pop(key, None)
        if stale is not None:  # the last read of this key on this thread was never committed
            self._run("写入", self._release, [self._k("lock", key)], [stale])
        deadline = time.monotonic() + self.wait_ms / 1000
        pause = 0.001
        while True:
            row = self._run(
                "读取",
                self._acquire,
                [self._k("lock", key), self._k("fence", key), self._k("s", key)],
                [self.lock_ms, self._ttl_ms + self.lock_ms],
            )
            if row[0]:
                break
            if time.monotonic() >= deadline:
                raise StoreError("这段对话正由另一个进程处理，等待超时")
            time.sleep(pause * random.uniform(0.5, 1.0))
            pause = min(pause * 2, 0.025)
        held[key] = str(row[0])
        _, text, version, keep_until = row
        state = _decode(text) if text is not None and float(keep_until or 0) >= self._clock() else None
        return Snapshot(state, int(version or 0))

    def lease(self, key: str) -> int | None:
        """The fencing token this thread holds on `key` (between read and commit), else None."""
        token = self._leases().get(key)
        return int(token) if token is not None else None

    def load(self, key: str) -> State | None:
        text, keep_until = self._run("读取", self._r.hmget, self._k("s", key), ["state", "keep_until"])
        return _decode(text) if text is not None and float(keep_until or 0) >= self._clock() else None

    def commit(self, key: str, state: State | None, expected: int, receipt: Receipt | None = None) -> int:
        token = self._leases().pop(key, "")
        now = self._clock()
        keys = [
            self._k("lock", key),
            self._k("s", key),
            self._k("keep", "all"),
            self._k("in", receipt.update_id if receipt else "-"),
            self._k("pending", "all"),
        ]
        args = [
            token,
            expected,
            "" if state is None else state.model_dump_json(),
            repr(now),
            repr(now + self._max_age),
            self._ttl_ms,
            key,
        ]
        args += [receipt.update_id, receipt.chat, receipt.outbox] if receipt else ["", "", ""]
        args.append(self.prefix)
        result = int(self._run("写入", self._commit, keys, args))
        if result == -1:
            raise Conflict(key)
        if result == -2:
            raise LeaseLost(key)
        if result == -3:
            raise AlreadyHandled(receipt.update_id if receipt else 0)
        return result

    def expire(self, max_age: dt.timedelta | None = None) -> int:
        """Delete the conversations whose writer's time and `max_age` have both passed (Redis also
        drops each one by itself when its TTL runs out)."""
        now = self._clock()
        cutoff = now - (max_age.total_seconds() if max_age is not None else self._max_age)
        removed = 0
        while True:
            gone, looked = self._run(
                "清理", self._expire, [self._k("keep", "all")], [self.prefix, repr(now), repr(cutoff), SWEEP_BATCH]
            )
            removed += int(gone)
            if int(looked) < SWEEP_BATCH or int(gone) == 0:
                return removed

    def raw(self, key: str) -> str | None:
        return self._run("读取", self._r.hget, self._k("s", key), "state")

    # -- the inbox

    def inbox_add(self, update_id: int, chat: int, payload: str) -> bool:
        keys = [self._k("in", update_id), self._k("pending", "all"), self._k("unturned", chat)]
        added = self._run("写入", self._inbox_add, keys, [update_id, chat, payload, repr(self._clock()), self._ttl_ms])
        return int(added) == 1

    @staticmethod
    def _item(update_id: int, row: dict) -> InboxItem:
        return InboxItem(
            update_id,
            int(row.get("chat") or 0),
            row.get("payload"),
            row.get("outbox"),
            row.get("done") == "1",
            int(row.get("sent") or 0),
        )

    def inbox_get(self, update_id: int) -> InboxItem | None:
        row = self._run("读取", self._r.hgetall, self._k("in", update_id))
        return self._item(update_id, row) if row else None

    def inbox_pending(self) -> list[InboxItem]:
        def go() -> list[InboxItem]:
            ids = [int(i) for i in cast("list[str]", self._r.zrange(self._k("pending", "all"), 0, -1))]
            pipe = self._r.pipeline(transaction=False)
            for update_id in ids:
                pipe.hgetall(self._k("in", update_id))
            rows = pipe.execute() if ids else []
            lost = [i for i, row in zip(ids, rows, strict=False) if not row]
            if lost:  # expired with the session age: nothing left to answer
                self._r.zrem(self._k("pending", "all"), *lost)
            return [self._item(i, row) for i, row in zip(ids, rows, strict=False) if row and row.get("done") != "1"]

        return self._run("读取", go)

    def inbox_done(self, update_id: int, chat: int = 0) -> None:
        self._run(
            "写入",
            self._inbox_done,
            [self._k("in", update_id), self._k("pending", "all")],
            [update_id, chat, repr(self._clock()), int(DONE_KEPT * 1000), self.prefix],
        )

    def earlier_unturned(self, chat: int, update_id: int) -> bool:
        """Whether an update of this chat older than `update_id` is kept but its turn not taken yet
        (bot.telegram.webhook waits for it, so that a chat's updates are applied in their order)."""
        earlier = self._run("读取", self._r.zrangebyscore, self._k("unturned", chat), "-inf", f"({update_id}", 0, 1)
        return bool(earlier)

    def inbox_sent(self, update_id: int, count: int) -> None:
        """How many of the outbox's messages went out (a resend after a restart skips them)."""
        self._run("写入", self._inbox_sent, [self._k("in", update_id)], [count])

    def close(self) -> None:
        self._r.close()
