"""Where conversations live between turns: in memory for tests, SQLite by default.

A store maps a key ("cli:NAME", "tg:CHAT:USER") to a State. The SQLite store runs in WAL mode
with a busy timeout, so several processes (a terminal chat and the Telegram bot) can share one
file; every save is committed at once, so a process killed right after a turn loses nothing.
Sessions untouched for longer than a configurable age (YIBAO_SESSION_DAYS, default 30) expire.
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol, runtime_checkable

from pydantic import ValidationError

from bot.conversation.state import STATE_VERSION, State

DEFAULT_SESSION_DAYS = 30


@runtime_checkable
class Store(Protocol):
    def load(self, key: str) -> State | None: ...

    def save(self, key: str, state: State) -> None: ...

    def forget(self, key: str) -> None: ...

    def expire(self, max_age: dt.timedelta) -> int: ...


def _decode(text: str) -> State | None:
    """A saved state, or None when it was written by an incompatible version (start afresh)."""
    try:
        state = State.model_validate_json(text)
    except ValidationError:
        return None
    return state if state.version == STATE_VERSION else None


class MemoryStore:
    """A dict of JSON texts (kept as JSON so tests see exactly what SQLite would keep).

    A session older than `max_age` (default: YIBAO_SESSION_DAYS) is never loaded again,
    even before expire() removes it.
    """

    def __init__(self, clock=time.time, max_age: dt.timedelta | None = None) -> None:
        self._rows: dict[str, tuple[str, float]] = {}
        self._clock = clock
        self._max_age = (max_age if max_age is not None else session_max_age()).total_seconds()

    def load(self, key: str) -> State | None:
        row = self._rows.get(key)
        if row and row[1] < self._clock() - self._max_age:
            self.forget(key)
            return None
        return _decode(row[0]) if row else None

    def save(self, key: str, state: State) -> None:
        self._rows[key] = (state.model_dump_json(), self._clock())

    def forget(self, key: str) -> None:
        self._rows.pop(key, None)

    def expire(self, max_age: dt.timedelta) -> int:
        cutoff = self._clock() - max_age.total_seconds()
        old = [k for k, (_, t) in self._rows.items() if t < cutoff]
        for k in old:
            del self._rows[k]
        return len(old)

    def raw(self, key: str) -> str | None:
        row = self._rows.get(key)
        return row[0] if row else None


class SQLiteStore:
    """One table `sessions(key, state, updated)`; WAL journal; one committed write per save."""

    def __init__(self, path: str | os.PathLike, clock=time.time, max_age: dt.timedelta | None = None) -> None:
        self.path = str(path)
        self._max_age = (max_age if max_age is not None else session_max_age()).total_seconds()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=10, check_same_thread=False,
                                   isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sessions ("
            " key TEXT PRIMARY KEY, state TEXT NOT NULL, updated REAL NOT NULL)")
        self._db.execute("CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(updated)")

    def load(self, key: str) -> State | None:
        cutoff = self._clock() - self._max_age
        with self._lock:
            row = self._db.execute("SELECT state FROM sessions WHERE key = ? AND updated >= ?",
                                   (key, cutoff)).fetchone()
        return _decode(row[0]) if row else None

    def save(self, key: str, state: State) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO sessions(key, state, updated) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated = excluded.updated",
                (key, state.model_dump_json(), self._clock()))

    def forget(self, key: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE key = ?", (key,))

    def expire(self, max_age: dt.timedelta) -> int:
        cutoff = self._clock() - max_age.total_seconds()
        with self._lock:
            cur = self._db.execute("DELETE FROM sessions WHERE updated < ?", (cutoff,))
        return cur.rowcount

    def raw(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT state FROM sessions WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        with self._lock:
            self._db.close()


def default_path() -> str:
    """$YIBAO_STORE, else $XDG_DATA_HOME/yibao/sessions.db, else ~/.local/share/yibao/sessions.db."""
    if os.environ.get("YIBAO_STORE"):
        return os.environ["YIBAO_STORE"]
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "yibao", "sessions.db")


def session_max_age() -> dt.timedelta:
    """YIBAO_SESSION_DAYS (default 30); a bad value falls back to the default."""
    raw = os.environ.get("YIBAO_SESSION_DAYS", "")
    try:
        days = float(raw) if raw.strip() else DEFAULT_SESSION_DAYS
    except ValueError:
        days = DEFAULT_SESSION_DAYS
    return dt.timedelta(days=max(days, 0))


def open_store(path: str | None = None) -> Store:
    """The SQLite store at `path` (default_path() when None), old sessions expired on opening.

    `path` "memory" gives a MemoryStore.
    """
    path = path or default_path()
    store: Store = MemoryStore() if path == "memory" else SQLiteStore(path)
    store.expire(session_max_age())
    return store
