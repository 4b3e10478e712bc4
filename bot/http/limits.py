"""Rate limits kept in memory: a token bucket per client and per IP address, and a sliding
window of conversations started per client and hour.

Both take the clock as an argument, so tests step through time without sleeping. Entries
that have refilled completely are dropped, so a stream of new addresses cannot grow the table
without bound.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class Buckets:
    """Token buckets: `per_minute` requests a minute on average, bursts of `burst`."""

    def __init__(self, clock=time.monotonic, burst_seconds: float = 10.0) -> None:
        self._clock = clock
        self._burst_seconds = burst_seconds
        self._buckets: dict[str, tuple[float, float, float, float]] = {}  # key -> (tokens, last, rate, burst)
        self._lock = threading.Lock()
        self._sweep_at = clock()

    def take(self, key: str, per_minute: int) -> float:
        """0 when a request may go now, else the seconds until it may."""
        rate = per_minute / 60.0
        burst = max(1.0, rate * self._burst_seconds)
        now = self._clock()
        with self._lock:
            tokens, last, _, _ = self._buckets.get(key, (burst, now, rate, burst))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / rate
            self._buckets[key] = (tokens, now, rate, burst)
            if now - self._sweep_at > 60:
                self._sweep(now)
        return wait

    def _sweep(self, now: float) -> None:
        self._sweep_at = now
        full = [k for k, (tokens, last, rate, burst) in self._buckets.items() if tokens + (now - last) * rate >= burst]
        for k in full:
            del self._buckets[k]


class Window:
    """Events per key within the last `seconds` (conversations started an hour)."""

    def __init__(self, seconds: float = 3600.0, clock=time.monotonic) -> None:
        self._seconds = seconds
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, limit: int) -> float:
        """0 and the event counted when under `limit`, else the seconds until one falls out."""
        now = self._clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self._seconds:
                events.popleft()
            if len(events) >= limit:
                return max(1.0, events[0] + self._seconds - now)
            events.append(now)
            return 0.0


def retry_after(seconds: float) -> str:
    """A Retry-After value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
