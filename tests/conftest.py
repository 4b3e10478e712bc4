"""The suite's one split: `-m e2e` for the tests that start processes (the command line, servers, a
browser, Redis), `-m "not e2e"` for the fast rest. A test module that starts a process anywhere is
marked as a whole, found from its own source, so the marker cannot be forgotten."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

STARTS_A_PROCESS = (
    "subprocess",
    "Popen",
    "sys.executable",
    "chromium",
    "redis-server",
    "RedisServer",
    "multiprocessing",
    "os.fork",
)


@functools.cache
def starts_processes(module: Path) -> bool:
    text = module.read_text(encoding="utf-8")
    return any(word in text for word in STARTS_A_PROCESS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if starts_processes(Path(str(item.fspath))):
            item.add_marker(pytest.mark.e2e)
