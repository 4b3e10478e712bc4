"""One store factory per back end: memory, SQLite (a file of the test's own) and Redis (the shared
server on 127.0.0.1:6379, keys under a prefix of the test's own, deleted afterwards)."""

from __future__ import annotations

import pytest

from bot.conversation.redis_store import RedisStore
from bot.conversation.store import MemoryStore, SQLiteStore
from redis_helpers import clean, fresh_prefix, url

BACKENDS = ["memory", "sqlite", "redis"]
SHARED_BACKENDS = ["sqlite", "redis"]  # several processes and store objects on one storage


class Factory:
    """make(clock=, max_age=) -> a new store object on this test's one storage."""

    def __init__(self, kind: str, tmp_path) -> None:
        self.kind = kind
        self.path = tmp_path / "sessions.db"
        self.prefix = fresh_prefix(kind)
        self.url = url(self.prefix, lock_ms=2000, wait_ms=5000)
        self.opened: list = []
        self._memory: MemoryStore | None = None

    @property
    def location(self) -> str:
        """What YIBAO_STORE would say for this storage (another process opens it from this)."""
        return self.url if self.kind == "redis" else str(self.path)

    def __call__(self, **kw):
        if self.kind == "memory":
            store = MemoryStore(**kw)
        elif self.kind == "sqlite":
            store = SQLiteStore(self.path, **kw)
        else:
            store = RedisStore(self.url, **kw)
        self.opened.append(store)
        return store

    def close(self) -> None:
        for store in self.opened:
            store.close()
        if self.kind == "redis":
            clean(self.prefix)


@pytest.fixture(params=BACKENDS)
def make(request, tmp_path):
    factory = Factory(request.param, tmp_path)
    yield factory
    factory.close()


@pytest.fixture(params=SHARED_BACKENDS)
def make_shared(request, tmp_path):
    factory = Factory(request.param, tmp_path)
    yield factory
    factory.close()
