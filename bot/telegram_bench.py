"""Updates per second through the Telegram face, measured against the local fake Bot API.

The real Application (HTTPX requests, AIORateLimiter with Telegram's limit lifted, the
face, the dialogue manager, the SQLite session store in a temporary directory) polls a
FakeServer on 127.0.0.1; the bot and the server share one process pinned to one core (the
idlest one). Two rounds: every chat asks a question, then every chat answers with history (the second
round loads the state saved by the first). Latency of an update: from the moment getUpdates
hands it to the bot to the bot's first sendMessage in that chat. All updates of a round arrive
at once, so the latency includes queueing behind the others. `updates_per_cpu_s` divides by
the process's CPU time instead of the wall clock: the capacity of one core even when other
programs share it.

aiohttp (the test extra) runs the fake server; without it, figures() says so instead.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

TOKEN = "123456:BENCHbenchBENCHbenchBENCHbench_-"
CHATS = 200
FIRST = ["我的大病保险封顶线是多少", "新生儿怎么参保", "断缴两年要等多久才能报销", "2026年居民医保交多少钱",
         "我想算一下我的大病保险封顶线", "在外地参保的年份算不算连续参保"]
SECOND = ["2024年到2026年都交了", "2025年没交", "好的", "对", "2026年1月10日", "没有报销过"]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def _round(api, messages: dict[int, str], timeout: float = 120.0) -> tuple[float, list[float]]:
    """Push one message per chat; wait for a reply in each. (seconds, latencies in ms)."""
    before = {chat: len(api.sent_to(chat)) for chat in messages}
    first_call = len(api.calls)
    ids = {chat: api.text(chat, chat, text) for chat, text in messages.items()}
    await api.wait_for(lambda a: all(len(a.sent_to(c)) > before[c] for c in messages), timeout,
                       "a reply in every chat")
    replies: dict[int, float] = {}
    for call in api.calls[first_call:]:
        if call.method == "sendMessage":
            replies.setdefault(int(call.params["chat_id"]), call.at)
    start = min(api.delivered_at[i] for i in ids.values())
    await _quiet(api)
    end = max(c.at for c in api.calls[first_call:] if c.method == "sendMessage")
    latencies = [(replies[chat] - api.delivered_at[ids[chat]]) * 1000 for chat in messages]
    return end - start, latencies


async def _quiet(api, gap: float = 0.3, timeout: float = 30.0) -> None:
    """Wait until the bot has sent nothing for `gap` seconds (every reply of a turn is out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sends = [c.at for c in api.calls if c.method == "sendMessage"]
        if sends and time.monotonic() - sends[-1] >= gap:
            return
        await asyncio.sleep(gap / 3)


async def _measure(store_path: str, chats: int) -> dict:
    from bot.store import open_store
    from bot.telegram import Conversations, TelegramFace, build_application
    from bot.telegram_config import TelegramConfig
    from bot.telegram_fake import FakeBotAPI, FakeServer

    api = FakeBotAPI()
    server = await FakeServer(api, token=TOKEN).start()
    config = TelegramConfig(token=TOKEN, api_base_url=server.base_url, rate_limit=1_000_000,
                            store=store_path)
    store = open_store(store_path)
    app = build_application(config, TelegramFace(Conversations(store), typing_after=1.0))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=5)
    try:
        await _round(api, {10**6: FIRST[0]})  # warm up: the first turn loads the knowledge
        seconds, latencies = 0.0, []
        cpu = time.process_time()
        for texts in (FIRST, SECOND):
            took, waits = await _round(api, {chat: texts[chat % len(texts)] for chat in range(1, chats + 1)})
            seconds += took
            latencies += waits
        cpu = time.process_time() - cpu
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await server.stop()
        if hasattr(store, "close"):
            store.close()
    return {
        "updates": len(latencies),
        "updates_per_s": len(latencies) / seconds,
        "updates_per_cpu_s": len(latencies) / cpu,
        "latency_median_ms": statistics.median(latencies),
        "latency_p99_ms": _percentile(latencies, 0.99),
        "cores": 1,
        "target_updates_per_s": 200,
    }


def _idle_ticks() -> dict[int, int]:
    ticks = {}
    with open("/proc/stat", encoding="ascii") as stat:
        for line in stat:
            name, *fields = line.split()
            if name.startswith("cpu") and name != "cpu":
                ticks[int(name[3:])] = int(fields[3])
    return ticks


def _idlest(cores: set[int]) -> int:
    """The core that was idle longest over a fifth of a second (others may share the machine)."""
    try:
        before = _idle_ticks()
        time.sleep(0.2)
        after = _idle_ticks()
        return max(cores, key=lambda core: after.get(core, 0) - before.get(core, 0))
    except OSError:
        return min(cores)


def figures(chats: int = CHATS) -> dict:
    """Updates per second and median / p99 latency (getUpdates to sendMessage), one core."""
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        return {"skipped": "aiohttp is missing (pip install -e '.[test]')"}
    pinned = hasattr(os, "sched_getaffinity")
    if pinned:
        cores = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {_idlest(cores)})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            return asyncio.run(_measure(str(Path(tmp) / "sessions.db"), chats))
    finally:
        if pinned:
            os.sched_setaffinity(0, cores)
