"""Updates per second through the Telegram face, measured against the local fake Bot API.

The real `yibao telegram` process (aiohttp requests with kept-alive connections,
AIORateLimiter with Telegram's limit lifted, the face, the dialogue manager, the SQLite session
store in a temporary directory), pinned to one core (the idlest), polls a FakeServer on 127.0.0.1
that runs in this process on the other cores.
Two rounds: every chat asks a question, then every chat answers with history (the second
round loads the state saved by the first). Latency of an update: from the moment getUpdates
hands it to the bot to the bot's first sendMessage in that chat. All updates of a round arrive
at once, so the latency includes queueing behind the others: the median is about the time
the bot needs for half a round. `latency_alone_median_ms` is the same latency for updates that
arrive one at a time (each waits for the previous reply): the time one update takes when
nothing queues. `updates_per_cpu_s` divides by the bot's CPU time instead of the wall clock:
the capacity of one core even when other programs share the machine.

The rate limiter is lifted (TELEGRAM_RATE_LIMIT=1000000) so that the figures measure what the
bot can do; with Telegram's own limit (about 30 messages a second over all chats, the
deployment default) a round would take chats / 30 seconds whatever the bot does.

aiohttp runs the fake server; without it, figures() says so instead.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.bench.telegram_fake import FakeBotAPI, FakeServer

TOKEN = "123456:BENCHbenchBENCHbenchBENCHbench_-"
CHATS = 200
FIRST = [
    "我的大病保险封顶线是多少",
    "新生儿怎么参保",
    "断缴两年要等多久才能报销",
    "2026年居民医保交多少钱",
    "我想算一下我的大病保险封顶线",
    "在外地参保的年份算不算连续参保",
]
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
    await api.wait_for(lambda a: all(len(a.sent_to(c)) > before[c] for c in messages), timeout, "a reply in every chat")
    replies: dict[int, float] = {}
    for call in api.calls[first_call:]:
        if call.method == "sendMessage":
            replies.setdefault(int(call.params["chat_id"]), call.at)
    start = min(api.delivered_at[i] for i in ids.values())
    await _quiet(api)
    end = max(c.at for c in api.calls[first_call:] if c.method == "sendMessage")
    latencies = [(replies[chat] - api.delivered_at[ids[chat]]) * 1000 for chat in messages]
    return end - start, latencies


async def _alone(api, count: int = 20, first_chat: int = 2 * 10**6) -> list[float]:
    """Updates one at a time, each after the previous reply: latencies in ms, no queueing."""
    latencies = []
    for chat in range(first_chat, first_chat + count):
        update_id = api.text(chat, chat, FIRST[chat % len(FIRST)])
        calls = await api.wait_for(
            lambda a, chat=chat: [c for c in a.calls if c.method == "sendMessage" and int(c.params["chat_id"]) == chat],
            30.0,
            "a reply to an update on its own",
        )
        latencies.append((calls[0].at - api.delivered_at[update_id]) * 1000)
    return latencies


async def _quiet(api, gap: float = 0.3, timeout: float = 30.0) -> None:
    """Wait until the bot has sent nothing for `gap` seconds (every reply of a turn is out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sends = [c.at for c in api.calls if c.method == "sendMessage"]
        if sends and time.monotonic() - sends[-1] >= gap:
            return
        await asyncio.sleep(gap / 3)


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux /proc; 0.0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


async def _measure(store_path: str, chats: int, core: int | None) -> dict:
    api = FakeBotAPI(max_poll=1.0)  # a short long-poll lets the bot stop quickly at the end
    server = await FakeServer(api, token=TOKEN).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "YIBAO_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        TELEGRAM_RATE_LIMIT="1000000",
        YIBAO_STORE=store_path,
    )
    pin = (lambda: os.sched_setaffinity(0, {core})) if core is not None else None
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "telegram"],
        env=env,
        preexec_fn=pin,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await api.wait_for(lambda a: a.calls_of("getUpdates"), 60.0, "the bot to start polling")
        await _round(api, {10**6: FIRST[0]})  # warm up: the first turn loads the knowledge
        seconds, latencies = 0.0, []
        cpu = _cpu_seconds(bot.pid)
        for texts in (FIRST, SECOND):
            took, waits = await _round(api, {chat: texts[chat % len(texts)] for chat in range(1, chats + 1)})
            seconds += took
            latencies += waits
        cpu = _cpu_seconds(bot.pid) - cpu
        alone = await _alone(api)
    finally:
        bot.send_signal(signal.SIGTERM)
        for _ in range(100):
            if bot.poll() is not None:
                break
            await asyncio.sleep(0.1)
        else:
            bot.kill()
            bot.wait(timeout=10)
        await server.stop()
    return {
        "updates": len(latencies),
        "updates_per_s": len(latencies) / seconds,
        "updates_per_cpu_s": len(latencies) / cpu if cpu else None,
        "latency_median_ms": statistics.median(latencies),
        "latency_p99_ms": _percentile(latencies, 0.99),
        "latency_alone_median_ms": statistics.median(alone),
        "cores": 1 if core is not None else os.cpu_count(),
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
    if not hasattr(os, "sched_setaffinity"):
        with tempfile.TemporaryDirectory() as tmp:
            return asyncio.run(_measure(str(Path(tmp) / "sessions.db"), chats, None))
    cores = os.sched_getaffinity(0)
    core = _idlest(cores)
    if len(cores) > 1:  # the fake server keeps off the bot's core
        os.sched_setaffinity(0, cores - {core})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            return asyncio.run(_measure(str(Path(tmp) / "sessions.db"), chats, core))
    finally:
        os.sched_setaffinity(0, cores)
