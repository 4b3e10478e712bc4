"""Where conversations live between turns: in memory for tests, SQLite by default.

One interface (`Store`) for every back end (memory and SQLite here; Redis can follow with the
same methods):

- `read(key)` gives the state and its version; `commit(key, state, expected, receipt)` writes
  the new state only if the version is still `expected` (else `Conflict`, and the caller runs
  the turn again on the newer state). The version is the fencing token: two processes on one
  conversation never overwrite each other's turn. SQLite does the check inside one write
  transaction (BEGIN IMMEDIATE), so it holds across processes.
- The inbox: updates a face has received but not yet answered (Telegram's update_id). An
  update is added before Telegram is told it arrived; the turn it causes is committed in the
  same transaction that marks it handled and keeps what is to be sent (the outbox); sending
  marks it done. A second commit for the same update raises `AlreadyHandled`.
- Every failure to open, read or write is a `StoreError` with one Chinese line: at start a
  face ends with it (exit code 2); during a conversation it says "请稍后再试".

Each row keeps the time until which its writer wants it (`keep_until`, from that process's
YIBAO_SESSION_DAYS): expiry deletes a row only when its own writer's time and the expiring
process's age have both passed, so no process deletes what another one is keeping.
The SQLite file is created 0600 in a folder created 0700.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from pydantic import ValidationError

from bot.conversation.state import STATE_VERSION, State
from bot.errors import InputError
from bot.settings import DEFAULT_SESSION_DAYS, settings

__all__ = [
    "DEFAULT_SESSION_DAYS",
    "AlreadyHandled",
    "Conflict",
    "InboxItem",
    "MemoryStore",
    "Receipt",
    "SQLiteStore",
    "Snapshot",
    "Store",
    "StoreError",
    "default_path",
    "open_store",
    "session_max_age",
]

DONE_KEPT = 86400.0  # seconds a handled update's id is kept, so that a late duplicate is known


class StoreError(InputError):
    """The session store cannot be opened, read or written; the message is one Chinese line."""


class Conflict(Exception):
    """The conversation changed since it was read (another process took a turn): read again."""


class AlreadyHandled(Exception):
    """This update's turn was committed before: it must not be applied a second time."""


@dataclass(frozen=True)
class Snapshot:
    state: State | None
    version: int  # 0 when nothing is stored


@dataclass(frozen=True)
class Receipt:
    """The update a turn answers and what is to be sent for it (JSON), committed with the state."""

    update_id: int
    chat: int
    outbox: str


@dataclass(frozen=True)
class InboxItem:
    update_id: int
    chat: int
    payload: str | None  # the update as received (None once handled)
    outbox: str | None  # what the committed turn is to send (None before the turn)
    done: bool
    sent: int = 0  # how many of the outbox's messages went out already


@runtime_checkable
class Store(Protocol):
    def read(self, key: str) -> Snapshot: ...

    def commit(self, key: str, state: State | None, expected: int, receipt: Receipt | None = None) -> int: ...

    def load(self, key: str) -> State | None: ...

    def save(self, key: str, state: State) -> None: ...

    def forget(self, key: str) -> None: ...

    def expire(self, max_age: dt.timedelta | None = None) -> int: ...

    def inbox_add(self, update_id: int, chat: int, payload: str) -> bool: ...

    def inbox_get(self, update_id: int) -> InboxItem | None: ...

    def inbox_pending(self) -> list[InboxItem]: ...

    def inbox_done(self, update_id: int, chat: int = 0) -> None: ...

    def inbox_sent(self, update_id: int, count: int) -> None: ...

    def close(self) -> None: ...


def _decode(text: str) -> State | None:
    """A saved state, or None when it was written by an incompatible version (start afresh)."""
    try:
        state = State.model_validate_json(text)
    except ValidationError:
        return None
    return state if state.version == STATE_VERSION else None


class _Unconditional:
    """save/forget/load on top of read/commit: the last writer wins (tests, tools, forget)."""

    def read(self, key: str) -> Snapshot:
        raise NotImplementedError

    def commit(self, key: str, state: State | None, expected: int, receipt: Receipt | None = None) -> int:
        raise NotImplementedError

    def save(self, key: str, state: State) -> None:
        self._write(key, state)

    def forget(self, key: str) -> None:
        self._write(key, None)

    def _write(self, key: str, state: State | None) -> None:
        while True:
            try:
                self.commit(key, state, self.read(key).version)
                return
            except Conflict:
                continue

    def close(self) -> None:
        return None


class MemoryStore(_Unconditional):
    """Dicts of JSON texts (kept as JSON so tests see exactly what SQLite would keep).

    A session older than `max_age` (default: YIBAO_SESSION_DAYS) is never loaded again,
    even before expire() removes it.
    """

    def __init__(self, clock=time.time, max_age: dt.timedelta | None = None) -> None:
        self._rows: dict[str, tuple[str, float, float, int]] = {}  # state, updated, keep_until, version
        self._inbox: dict[int, InboxItem] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._max_age = (max_age if max_age is not None else session_max_age()).total_seconds()

    def read(self, key: str) -> Snapshot:
        with self._lock:
            row = self._rows.get(key)
        return Snapshot(self.load(key), row[3] if row else 0)

    def load(self, key: str) -> State | None:
        row = self._rows.get(key)
        return _decode(row[0]) if row and row[2] >= self._clock() else None

    def commit(self, key: str, state: State | None, expected: int, receipt: Receipt | None = None) -> int:
        with self._lock:
            row = self._rows.get(key)
            if (row[3] if row else 0) != expected:
                raise Conflict(key)
            if receipt is not None:
                item = self._inbox.get(receipt.update_id)
                if item is not None and (item.outbox is not None or item.done):
                    raise AlreadyHandled(receipt.update_id)
                self._inbox[receipt.update_id] = InboxItem(receipt.update_id, receipt.chat, None, receipt.outbox, False)
            if state is None:
                self._rows.pop(key, None)
                return 0
            now = self._clock()
            self._rows[key] = (state.model_dump_json(), now, now + self._max_age, expected + 1)
            return expected + 1

    def expire(self, max_age: dt.timedelta | None = None) -> int:
        now = self._clock()
        cutoff = now - (max_age.total_seconds() if max_age is not None else self._max_age)
        with self._lock:
            old = [k for k, (_, updated, keep, _v) in self._rows.items() if keep < now and updated < cutoff]
            for k in old:
                del self._rows[k]
        return len(old)

    def raw(self, key: str) -> str | None:
        row = self._rows.get(key)
        return row[0] if row else None

    def inbox_add(self, update_id: int, chat: int, payload: str) -> bool:
        with self._lock:
            if update_id in self._inbox:
                return False
            self._inbox[update_id] = InboxItem(update_id, chat, payload, None, False)
            return True

    def inbox_get(self, update_id: int) -> InboxItem | None:
        return self._inbox.get(update_id)

    def inbox_pending(self) -> list[InboxItem]:
        return sorted((i for i in self._inbox.values() if not i.done), key=lambda i: i.update_id)

    def inbox_done(self, update_id: int, chat: int = 0) -> None:
        with self._lock:
            item = self._inbox.get(update_id)
            self._inbox[update_id] = InboxItem(update_id, item.chat if item else chat, None, None, True)

    def inbox_sent(self, update_id: int, count: int) -> None:
        with self._lock:
            item = self._inbox.get(update_id)
            if item is not None:
                self._inbox[update_id] = InboxItem(
                    item.update_id, item.chat, item.payload, item.outbox, item.done, count
                )


SCHEMA = {
    "sessions": (
        "CREATE TABLE IF NOT EXISTS sessions (key TEXT PRIMARY KEY, state TEXT NOT NULL,"
        " updated REAL NOT NULL, keep_until REAL NOT NULL DEFAULT 0,"
        " version INTEGER NOT NULL DEFAULT 0)"
    ),
    "inbox": (
        "CREATE TABLE IF NOT EXISTS inbox (update_id INTEGER PRIMARY KEY, chat INTEGER NOT NULL,"
        " payload TEXT, outbox TEXT, done INTEGER NOT NULL DEFAULT 0, received REAL NOT NULL,"
        " sent INTEGER NOT NULL DEFAULT 0)"
    ),
}
_ADDED_COLUMNS = {"keep_until": "REAL NOT NULL DEFAULT 0", "version": "INTEGER NOT NULL DEFAULT 0"}


def _why(exc: BaseException) -> str:
    """What went wrong, in Chinese, for the one line a person sees."""
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "文件已损坏或不是会话数据库"
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError) or "permission" in text:
        return "没有写入权限"
    if "disk is full" in text or "no space" in text or "full" in text:
        return "磁盘已满"
    if "locked" in text or "busy" in text:
        return "数据库被其他程序长时间占用"
    if "unable to open" in text or isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return "无法打开该文件"
    return "读写失败"


def _private_file(path: Path) -> None:
    """Create the folder 0700 (only when yibao creates it) and the file 0600."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"无法使用会话存储 {path}：不是普通文件")
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        os.chmod(path, 0o600)


class SQLiteStore(_Unconditional):
    """Tables `sessions(key, state, updated, keep_until, version)` and `inbox(update_id, ...)`;
    WAL journal; every write one short transaction."""

    def __init__(self, path: str | os.PathLike, clock=time.time, max_age: dt.timedelta | None = None) -> None:
        self.path = str(path)
        self._max_age = (max_age if max_age is not None else session_max_age()).total_seconds()
        self._clock = clock
        self._lock = threading.Lock()
        try:
            if self.path != ":memory:":
                _private_file(Path(self.path))
            self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout=10000")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._schema()
            self._db.execute("PRAGMA quick_check(1)").fetchone()
        except StoreError:
            raise
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"无法打开会话存储 {self.path}：{_why(exc)}") from None

    def _schema(self) -> None:
        tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "sessions" not in tables:
            raise StoreError(f"无法使用会话存储 {self.path}：这是别的程序的数据库（没有 sessions 表）")
        with self._transaction():
            for ddl in SCHEMA.values():
                self._db.execute(ddl)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(sessions)")}
            if not {"key", "state", "updated"} <= columns:
                raise StoreError(f"无法使用会话存储 {self.path}：sessions 表的结构不是 yibao 的")
            for column, ddl in _ADDED_COLUMNS.items():
                if column not in columns:
                    self._db.execute(f"ALTER TABLE sessions ADD COLUMN {column} {ddl}")
            self._db.execute("CREATE INDEX IF NOT EXISTS sessions_keep ON sessions(keep_until)")
            # a write on every opening: a read-only file or folder or a full disk shows now, not mid-turn
            self._db.execute("CREATE TABLE IF NOT EXISTS opened (at REAL NOT NULL)")
            self._db.execute("DELETE FROM opened")
            self._db.execute("INSERT INTO opened VALUES (?)", (self._clock(),))

    class _Tx:
        def __init__(self, store: SQLiteStore) -> None:
            self.store = store

        def __enter__(self):
            self.store._lock.acquire()
            try:
                self.store._db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.store._lock.release()
                raise
            return self.store._db

        def __exit__(self, kind, exc, tb) -> None:
            try:
                self.store._db.execute("COMMIT" if kind is None else "ROLLBACK")
            finally:
                self.store._lock.release()

    def _transaction(self) -> SQLiteStore._Tx:
        return SQLiteStore._Tx(self)

    def _run(self, what: str, func, *args):
        """func(*args); a database or file error becomes one StoreError line."""
        try:
            return func(*args)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"会话存储{what}失败（{_why(exc)}）") from None

    def read(self, key: str) -> Snapshot:
        """The version first, then the state: a state newer than its version only makes the
        commit meet a Conflict and run again, never overwrite a turn."""

        def go() -> int:
            with self._lock:
                row = self._db.execute("SELECT version FROM sessions WHERE key = ?", (key,)).fetchone()
            return row[0] if row else 0

        version = self._run("读取", go)
        return Snapshot(self.load(key), version)

    def load(self, key: str) -> State | None:
        def go() -> State | None:
            with self._lock:
                row = self._db.execute(
                    "SELECT state FROM sessions WHERE key = ? AND keep_until >= ?", (key, self._clock())
                ).fetchone()
            return _decode(row[0]) if row else None

        return self._run("读取", go)

    def commit(self, key: str, state: State | None, expected: int, receipt: Receipt | None = None) -> int:
        def go() -> int:
            now = self._clock()
            with self._transaction() as db:
                row = db.execute("SELECT version FROM sessions WHERE key = ?", (key,)).fetchone()
                if (row[0] if row else 0) != expected:
                    raise Conflict(key)
                if receipt is not None:
                    seen = db.execute(
                        "SELECT outbox IS NOT NULL OR done FROM inbox WHERE update_id = ?", (receipt.update_id,)
                    ).fetchone()
                    if seen and seen[0]:
                        raise AlreadyHandled(receipt.update_id)
                    db.execute(
                        "INSERT INTO inbox(update_id, chat, payload, outbox, done, received)"
                        " VALUES (?, ?, NULL, ?, 0, ?) ON CONFLICT(update_id) DO UPDATE SET"
                        " payload = NULL, outbox = excluded.outbox",
                        (receipt.update_id, receipt.chat, receipt.outbox, now),
                    )
                if state is None:
                    db.execute("DELETE FROM sessions WHERE key = ?", (key,))
                    return 0
                db.execute(
                    "INSERT INTO sessions(key, state, updated, keep_until, version)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state,"
                    " updated = excluded.updated, keep_until = excluded.keep_until,"
                    " version = excluded.version",
                    (key, state.model_dump_json(), now, now + self._max_age, expected + 1),
                )
                return expected + 1

        return self._run("写入", go)

    def expire(self, max_age: dt.timedelta | None = None) -> int:
        now = self._clock()
        cutoff = now - (max_age.total_seconds() if max_age is not None else self._max_age)

        def go() -> int:
            with self._transaction() as db:
                cur = db.execute("DELETE FROM sessions WHERE keep_until < ? AND updated < ?", (now, cutoff))
                db.execute("DELETE FROM inbox WHERE done = 1 AND received < ?", (now - DONE_KEPT,))
            return cur.rowcount

        return self._run("清理", go)

    def raw(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT state FROM sessions WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def inbox_add(self, update_id: int, chat: int, payload: str) -> bool:
        def go() -> bool:
            with self._transaction() as db:
                cur = db.execute(
                    "INSERT OR IGNORE INTO inbox(update_id, chat, payload, received) VALUES (?, ?, ?, ?)",
                    (update_id, chat, payload, self._clock()),
                )
            return cur.rowcount == 1

        return self._run("写入", go)

    def _item(self, row) -> InboxItem:
        return InboxItem(row[0], row[1], row[2], row[3], bool(row[4]), row[5])

    def inbox_get(self, update_id: int) -> InboxItem | None:
        def go() -> InboxItem | None:
            with self._lock:
                row = self._db.execute(
                    "SELECT update_id, chat, payload, outbox, done, sent FROM inbox WHERE update_id = ?", (update_id,)
                ).fetchone()
            return self._item(row) if row else None

        return self._run("读取", go)

    def inbox_pending(self) -> list[InboxItem]:
        def go() -> list[InboxItem]:
            with self._lock:
                rows = self._db.execute(
                    "SELECT update_id, chat, payload, outbox, done, sent FROM inbox WHERE done = 0 ORDER BY update_id"
                ).fetchall()
            return [self._item(row) for row in rows]

        return self._run("读取", go)

    def inbox_done(self, update_id: int, chat: int = 0) -> None:
        def go() -> None:
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO inbox(update_id, chat, payload, outbox, done, received)"
                    " VALUES (?, ?, NULL, NULL, 1, ?) ON CONFLICT(update_id) DO UPDATE SET"
                    " payload = NULL, outbox = NULL, done = 1",
                    (update_id, chat, self._clock()),
                )

        self._run("写入", go)

    def inbox_sent(self, update_id: int, count: int) -> None:
        def go() -> None:
            with self._transaction() as db:
                db.execute("UPDATE inbox SET sent = ? WHERE update_id = ?", (count, update_id))

        self._run("写入", go)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def default_path() -> str:
    """$YIBAO_STORE, else $XDG_DATA_HOME/yibao/sessions.db, else ~/.local/share/yibao/sessions.db."""
    configured = settings().store
    if configured:
        return configured
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "yibao", "sessions.db")


def session_max_age() -> dt.timedelta:
    """YIBAO_SESSION_DAYS (default 30), checked by bot.settings (a bad value is a StoreError line)."""
    return dt.timedelta(days=settings().session_days)


def open_store(path: str | None = None) -> Store:
    """The SQLite store at `path` (default_path() when None), old sessions expired on opening.

    `path` "memory" gives a MemoryStore, redis://host:port/db a RedisStore. Any failure is one
    StoreError line.
    """
    path = path or default_path()
    if path.startswith(("redis://", "rediss://", "unix://")):  # several workers: bot.conversation.redis_store
        from bot.conversation.redis_store import RedisStore  # noqa: PLC0415 - only with a Redis address

        store: Store = RedisStore(path)
    else:
        store = MemoryStore() if path == "memory" else SQLiteStore(path)
    store.expire(session_max_age())
    return store
