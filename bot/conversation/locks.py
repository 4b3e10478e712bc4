"""One lock per conversation within a process, for every face: two messages of one conversation
never interleave a turn here (across processes the store's version check and leases do that)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

L = TypeVar("L")


class KeyLocks(Generic[L]):
    """`locks(key)` -> that conversation's lock, made by `make` (threading.Lock for threads,
    asyncio.Lock for the event loop); kept only while someone holds or awaits it (weak values)."""

    def __init__(self, make: Callable[[], L]) -> None:
        self._make = make
        self._guard = threading.Lock()
        self._locks: weakref.WeakValueDictionary[str, L] = weakref.WeakValueDictionary()  # type: ignore[type-var]

    def __call__(self, key: str) -> L:
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._make()
                self._locks[key] = lock
            return lock
