"""One log line per kind of failure per interval, instead of a traceback per connection.

Under a flood (slow clients, malformed requests, a full file table) uvicorn and asyncio log
one warning, often with a traceback, per connection: hundreds of thousands of lines in
seconds. Summary, a logging filter on those loggers, lets the first record of each kind
through in each interval, without its traceback, and counts the rest; the next record of
that kind to pass says how many were held back. A kind is the logger, the level, the message
template and the exception type.
"""

from __future__ import annotations

import logging
import threading
import time

FLOOD_LOGGERS = ("uvicorn.error", "asyncio", "yibao.http.connections")
INTERVAL = 60.0


class Summary(logging.Filter):
    def __init__(self, interval: float = INTERVAL, clock=time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self._clock = clock
        self._kinds: dict[tuple, tuple[float, int]] = {}  # kind -> (interval start, records held back)
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        exc_type = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        kind = (record.name, record.levelno, str(record.msg), exc_type)
        now = self._clock()
        with self._lock:
            began, held = self._kinds.get(kind, (None, 0))
            if began is not None and now - began < self.interval:
                self._kinds[kind] = (began, held + 1)
                return False
            self._kinds[kind] = (now, 0)
        if exc_type:
            record.msg = f"{record.msg} ({exc_type})"
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        if held:
            record.msg = f"{record.msg}（前{self.interval:.0f}秒内另有{held}次同类记录未逐条写出）"
        return True


def install(interval: float = INTERVAL) -> Summary:
    """Put one Summary on each flood-prone logger; returns it."""
    summary = Summary(interval)
    for name in FLOOD_LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, Summary)]:
            logger.removeFilter(old)
        logger.addFilter(summary)
    return summary
