"""`yibao bench --load`: many conversations at once through several worker processes on Redis.

For each number of workers (1, 2, 4 by default) and each face:
  - http:     `yibao serve --workers N` on Redis; CONVERSATIONS simulated callers at once, each
              talking through one conversation of the SCRIPTS (no pause between turns: the next
              message goes as soon as the answer is in), over kept-alive connections;
  - telegram: `yibao telegram --webhook … --workers N` on Redis behind the local fake Bot API;
              CONVERSATIONS chats at once, each posting its next update to the webhook as soon
              as the bot's first message for the previous one reaches the fake Bot API.
Reported: requests (updates) per second over the whole run, the CPU seconds the workers and
Redis spent meanwhile (and requests per worker CPU second: what one core does), latency p50 /
p99 (sending to answer; for Telegram, posting to the bot's first sendMessage into that chat),
errors (any status but 200, a timeout, an apology for a store failure), and `wrong_states`: conversations
whose stored state at the end is not exactly the state their messages imply (the same
messages run through the dialogue manager in this process, one after the other). Everything
is bounded: CONVERSATIONS × len(script) requests per run and RUN_LIMIT seconds.

Redis: $YIBAO_LOAD_REDIS, else redis://127.0.0.1:6379/15; the keys go under a prefix of this
run's own and are deleted at the end. The client runs on the same machine as the workers
(the figures are for the machine as a whole: client, workers and Redis share its cores).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import redis

from bot.bench.http_bench import UNLIMITED, Served, free_port, request
from bot.bench.telegram_bench import _cpu_seconds
from bot.bench.telegram_fake import FakeBotAPI, FakeServer
from bot.conversation.redis_store import RedisStore
from bot.conversation.session import turn
from bot.conversation.state import State
from bot.conversation.store import MemoryStore
from bot.http.app import chat_key
from bot.http.settings import LOCAL_CLIENT
from bot.telegram.render import render_html

TODAY = "2026-03-01"
CONVERSATIONS = 1000
WORKERS = (1, 2, 4)
RUN_LIMIT = 600.0
REQUEST_TIMEOUT = 120.0
DELIVERIES = 3
TOKEN = "123456:LOADloadLOADloadLOADloadLOADload_-"
SECRET = "load-test-webhook-secret-0123456789"
# conversations that need their turns in order: each message answers the question before it
SCRIPTS: list[list[str]] = [
    ["我想算一下我的大病保险封顶线", "2025年和2026年都交了", "2025年没有报销过", "对"],
    ["我2025年交了，2026年没交，2027年交了，等待期多久", "没有补缴", "对"],
    ["我的大病保险封顶线是多少", "交了", "交了", "没有报销过"],
    ["新生儿怎么参保", "断保两年要等多久才能报销", "我想算一下我的等待期"],
    ["我断了一年，今年交了，要等多久", "2025年没交", "没有补缴", "对"],
]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] if ordered else 0.0


def expected(start_empty: bool) -> tuple[list[str | None], list[list[int]]]:
    """For each script: the state it leaves, as JSON, and the number of Telegram messages each of
    its turns sends; its messages through the dialogue manager one after the other (the HTTP face
    starts a conversation from an empty State, Telegram from nothing)."""

    today = dt.date.fromisoformat(TODAY)
    states, counts = [], []
    for script in SCRIPTS:
        store = MemoryStore()
        if start_empty:
            store.save("k", State())
        counts.append(
            [sum(len(render_html(reply)) for reply in turn(store, "k", message, today)) for message in script]
        )
        state = store.load("k")
        states.append(None if state is None else state.model_dump_json())
    return states, counts


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)

    def failed(self, kind: str) -> None:
        self.errors += 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    errors: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # errors by kind
    redelivered: int = 0  # webhook posts sent again after a refused or broken delivery
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds of the workers and of Redis
    done: list[tuple[int, str]] = field(default_factory=list)  # (script, key) of finished conversations

    def figures(self, seconds: float, conversations: int, wrong: int) -> dict:
        return {
            "conversations": conversations,
            "requests": len(self.latencies),
            "requests_per_s": round(len(self.latencies) / seconds, 1) if seconds else 0.0,
            "p50_ms": round(_percentile(self.latencies, 0.5), 1),
            "p99_ms": round(_percentile(self.latencies, 0.99), 1),
            "errors": self.errors,
            "error_kinds": self.kinds,
            "redelivered": self.redelivered,
            "finished": len(self.done),
            "wrong_states": wrong,
            "seconds": round(seconds, 2),
            **self.cpu,
            "requests_per_worker_cpu_s": round(len(self.latencies) / self.cpu["workers_cpu_s"], 1)
            if self.cpu.get("workers_cpu_s")
            else None,
        }


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children now alive (Linux /proc; 0 elsewhere)."""
    try:
        children = open(f"/proc/{pid}/task/{pid}/children", encoding="ascii").read().split()
    except OSError:
        children = []
    return _cpu_seconds(pid) + sum(_cpu_seconds(int(child)) for child in children)


def _redis_cpu(base: str) -> float:
    client = redis.Redis.from_url(base)
    try:
        info = client.info("cpu")
        return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])
    finally:
        client.close()


class Meter:
    """The CPU the workers and Redis spent between start() and stop(), into the tally."""

    def __init__(self, pid: int, base: str, tally: Tally) -> None:
        self.pid, self.base, self.tally = pid, base.split("?")[0], tally

    def start(self) -> Meter:
        self.before = _cpu(self.pid), _redis_cpu(self.base)
        return self

    def stop(self) -> None:
        workers, redis_cpu = _cpu(self.pid) - self.before[0], _redis_cpu(self.base) - self.before[1]
        self.tally.cpu = {"workers_cpu_s": round(workers, 2), "redis_cpu_s": round(redis_cpu, 2)}


def redis_base() -> str:
    return os.environ.get("YIBAO_LOAD_REDIS", "redis://127.0.0.1:6379/15")


def _check(store_url: str, tally: Tally, expected: list[str | None]) -> int:
    """Conversations whose stored state is not what their messages imply (unfinished ones count)."""
    store = RedisStore(store_url)
    try:
        wrong = 0
        for script, key in tally.done:
            state = store.load(key)
            if (None if state is None else state.model_dump_json()) != expected[script]:
                wrong += 1
        return wrong
    finally:
        store.close()


def _clean(base: str, prefix: str) -> None:
    client = redis.Redis.from_url(base)
    try:
        batch = list(client.scan_iter(match=f"{prefix}*", count=1000))
        for start in range(0, len(batch), 500):
            client.delete(*batch[start : start + 500])
    finally:
        client.close()


async def _all(conversations: list, tally: Tally, limit: float) -> float:
    """Run the conversations at once; those unfinished after `limit` seconds are errors. The seconds."""
    began = time.perf_counter()
    _, late = await asyncio.wait([asyncio.create_task(c) for c in conversations], timeout=limit)
    for job in late:
        job.cancel()
        tally.failed("unfinished in time")
    return time.perf_counter() - began


def _run(workers: int, conversations: int, base: str | None, start_empty: bool, measure) -> dict:
    """measure(store_url, tally) -> seconds, on keys of this run's own; the figures, states checked."""
    base = base or redis_base()
    prefix = f"yibao-load:{uuid.uuid4().hex[:10]}:"
    store_url = f"{base}?prefix={prefix}"
    tally = Tally()
    states = expected(start_empty)[0]
    try:
        seconds = measure(store_url, tally)
        return {"workers": workers, **tally.figures(seconds, conversations, _check(store_url, tally, states))}
    finally:
        _clean(base, prefix)


# ---------------------------------------------------------------- HTTP


async def _http_conversations(base: str, conversations: int, tally: Tally, limit: float) -> float:
    async def talk(index: int, http: aiohttp.ClientSession) -> None:
        script = index % len(SCRIPTS)
        session = ""  # none yet: the first message opens one
        for message in SCRIPTS[script]:
            body = {"message": message, "today": TODAY, **({"session": session} if session else {})}
            began = time.perf_counter()
            try:
                async with http.post(f"{base}/api/chat", json=body) as response:
                    answer = await response.json(content_type=None)
                    status = response.status
            except TimeoutError:
                tally.failed("timeout")
                return
            except (aiohttp.ClientError, ValueError) as exc:
                tally.failed(type(exc).__name__)
                return
            tally.latencies.append((time.perf_counter() - began) * 1000)
            if status != 200 or any(r.get("intent") == "store_down" for r in answer.get("replies", [])):
                tally.failed(f"status {status}" if status != 200 else "请稍后再试")
                return
            session = answer["session"]
        tally.done.append((script, chat_key(LOCAL_CLIENT, session)))

    connector = aiohttp.TCPConnector(limit=conversations, force_close=False)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        return await _all([talk(i, http) for i in range(conversations)], tally, limit)


def http_run(
    workers: int, conversations: int = CONVERSATIONS, limit: float = RUN_LIMIT, base: str | None = None
) -> dict:
    """One run of `yibao serve --workers N` on Redis; the figures of Tally.figures."""

    def measure(store_url: str, tally: Tally) -> float:
        with tempfile.TemporaryDirectory() as tmp:
            served = Served(Path(tmp), args=[*UNLIMITED, "--workers", str(workers)], env={"YIBAO_STORE": store_url})
            with served:
                _warm_http(served.base, workers)
                assert served.process is not None  # started by `with served`
                meter = Meter(served.process.pid, store_url, tally).start()
                seconds = asyncio.run(_http_conversations(served.base, conversations, tally, limit))
                meter.stop()
                return seconds

    return _run(workers, conversations, base, True, measure)


def _warm_http(base: str, workers: int) -> None:
    """A few requests first, so that every worker has answered once before the clock starts."""
    for _ in range(4 * workers):
        request(f"{base}/api/ask", {"question": "断保两年要等多久", "today": TODAY}, timeout=60)


# ---------------------------------------------------------------- Telegram webhook


async def _telegram_conversations(
    conversations: int, workers: int, store_url: str, tally: Tally, limit: float
) -> float:

    counts = expected(start_empty=False)[1]
    sent: dict[int, int] = {}  # chat -> messages the bot sent into it
    waiting: dict[int, tuple[int, asyncio.Future]] = {}  # chat -> (count awaited, its future)
    first: dict[int, float] = {}  # chat -> when the first message of the awaited turn arrived

    class Api(FakeBotAPI):
        def _sendMessage(self, params: dict) -> dict:
            answer = super()._sendMessage(params)
            chat = int(params["chat_id"])
            sent[chat] = sent.get(chat, 0) + 1
            first.setdefault(chat, time.perf_counter())
            if "请稍后再试" in params.get("text", ""):
                first[chat] = -1.0
            target, future = waiting.get(chat, (0, None))
            if future is not None and sent[chat] >= target and not future.done():
                future.set_result(None)
            return answer

    api = Api(max_poll=1.0)
    server = await FakeServer(api, token=TOKEN).start()
    port = free_port()
    hook = f"http://127.0.0.1:{port}/hook"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "YIBAO_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        TELEGRAM_RATE_LIMIT="1000000",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        YIBAO_STORE=store_url,
    )
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "telegram",
        "--webhook",
        hook,
        "--listen",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--today",
        TODAY,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    try:
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=conversations), timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        ) as http:
            await _until_up(http, f"http://127.0.0.1:{port}/healthz", bot, log)

            async def post(chat: int, text: str, replies: int) -> float:
                """Post one update and wait for all its replies; the seconds until the first."""
                future = asyncio.get_running_loop().create_future()
                waiting[chat] = (sent.get(chat, 0) + replies, future)
                first.pop(chat, None)
                update = {"update_id": next(ids), "message": api.message(chat, chat, text)}
                began = time.perf_counter()
                for attempt in range(DELIVERIES):  # as Telegram, which delivers an update again on failure
                    try:
                        async with http.post(hook, json=update, headers=headers) as response:
                            if response.status == 200:
                                break
                            problem: Exception = RuntimeError(f"webhook {response.status}")
                    except aiohttp.ClientConnectionError as exc:
                        problem = exc
                    tally.redelivered += 1
                    await asyncio.sleep(0.05 * (attempt + 1))
                else:
                    raise problem
                await asyncio.wait_for(future, REQUEST_TIMEOUT)
                if first[chat] < 0:
                    raise RuntimeError("请稍后再试")
                return first[chat] - began

            async def talk(index: int) -> None:
                chat = 10**6 + index
                script = index % len(SCRIPTS)
                for text, replies in zip(SCRIPTS[script], counts[script], strict=True):
                    try:
                        tally.latencies.append(await post(chat, text, replies) * 1000)
                    except TimeoutError:
                        tally.failed("timeout")
                        return
                    except (aiohttp.ClientError, RuntimeError) as exc:
                        tally.failed(str(exc) or type(exc).__name__)
                        return
                tally.done.append((script, f"tg:{chat}:{chat}"))

            ids = iter(range(1, 10**9))
            for warm in range(4 * workers):  # every worker answers once before the clock starts
                await post(2 * 10**6 + warm, SCRIPTS[1][0], counts[1][0])
            meter = Meter(bot.pid, store_url, tally).start()
            seconds = await _all([talk(i) for i in range(conversations)], tally, limit)
            meter.stop()
            return seconds
    finally:
        if bot.returncode is None:
            bot.terminate()
            try:
                await asyncio.wait_for(bot.wait(), 20)
            except TimeoutError:
                bot.kill()
                await bot.wait()
        log.close()
        await server.stop()


async def _until_up(http, url: str, bot, log, wait: float = 90.0) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if bot.returncode is not None:
            log.seek(0)
            raise RuntimeError("yibao telegram stopped:\n" + log.read().decode("utf-8", "replace")[-2000:])
        try:
            async with http.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("yibao telegram --webhook did not come up")


def telegram_run(
    workers: int, conversations: int = CONVERSATIONS, limit: float = RUN_LIMIT, base: str | None = None
) -> dict:
    """One run of `yibao telegram --webhook … --workers N` on Redis; the figures of Tally.figures."""

    def measure(store_url: str, tally: Tally) -> float:
        return asyncio.run(_telegram_conversations(conversations, workers, store_url, tally, limit))

    return _run(workers, conversations, base, False, measure)


def figures(conversations: int = CONVERSATIONS, workers: tuple[int, ...] = WORKERS) -> dict:
    """Both faces against each number of workers: {"http": [...], "telegram": [...], "cores": n}."""
    return {
        "cores": os.cpu_count(),
        "http": [http_run(n, conversations) for n in workers],
        "telegram": [telegram_run(n, conversations) for n in workers],
    }
