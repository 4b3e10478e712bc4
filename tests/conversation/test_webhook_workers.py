"""The webhook receiver every worker runs: an update is answered only once it is kept in the inbox;
Telegram's secret is checked; a duplicate delivery is answered once; a Redis that is down gets
503, so that Telegram delivers the update again, and then it is answered."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import os
import subprocess
import sys

import httpx
import pytest

from bot.bench.telegram_fake import FakeBotAPI, FakeServer, OfflineRequest
from bot.conversation.redis_store import RedisStore
from bot.conversation.state import State
from bot.telegram.config import TelegramConfig
from bot.telegram.face import Conversations, build_application
from bot.telegram.webhook import SECRET_HEADER, WebhookFace, receiver
from redis_helpers import PrivateRedis, clean, free_port, fresh_prefix, url
from test_redis_faults import CAP, PAID, UNPAID, state_after

os.environ.setdefault("PTB_TIMEDELTA", "1")
TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef_-01"
SECRET = "a-webhook-secret-of-the-test-0123"
TODAY = dt.date(2026, 3, 1)
IDS = itertools.count(500)


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path).start()
    yield server
    server.stop()


async def _replies(api: FakeBotAPI, chat: int, count: int) -> list[str]:
    await api.wait_for(lambda a: len(a.sent_to(chat)) >= count, 20.0, f"{count} messages")
    await asyncio.sleep(0.3)  # a second answer to the same update would arrive now
    return [m["text"] for m in api.sent_to(chat)]


async def test_an_update_is_kept_before_200_answered_once_and_a_down_redis_gets_503(redis_server):
    api = FakeBotAPI()
    store = RedisStore(url("yibao-test:", base=redis_server.base, lock_ms=2000, wait_ms=3000))
    face = WebhookFace(Conversations(store, lambda: TODAY), typing_after=5.0)
    ptb = build_application(
        TelegramConfig(token=TOKEN, rate_limit=1000),
        face,
        request=OfflineRequest(api),
        get_updates_request=OfflineRequest(api),
    )
    app = receiver(ptb, face, "hook", SECRET)
    transport = httpx.ASGITransport(app=app)

    def update(text: str, update_id: int | None = None) -> dict:
        return {"update_id": update_id or next(IDS), "message": api.message(31, 31, text)}

    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client,
    ):
        ok = {SECRET_HEADER: SECRET}
        first = update("我想算一下我的大病保险封顶线")
        assert (await client.post("/hook", json=first)).status_code == 403
        assert (await client.post("/hook", json=first, headers={SECRET_HEADER: "wrong"})).status_code == 403
        assert (await client.post("/hook", content=b"{not json", headers=ok)).status_code == 400
        assert (await client.post("/hook", json={"message": {}}, headers=ok)).status_code == 400

        assert (await client.post("/hook", json=first, headers=ok)).status_code == 200
        assert store.inbox_get(first["update_id"]) is not None  # kept before the 200
        assert await _replies(api, 31, 1) == ["2025年您参加了医保吗？"]
        assert (await client.post("/hook", json=first, headers=ok)).status_code == 200  # delivered again
        assert await _replies(api, 31, 1) == ["2025年您参加了医保吗？"]  # and not answered again

        redis_server.kill()
        second = update("2025年和2026年都交了")
        assert (await client.post("/hook", json=second, headers=ok)).status_code == 503
        assert len(api.sent_to(31)) == 1  # nothing answered for an update not kept
        redis_server.start()
        assert (await client.post("/hook", json=second, headers=ok)).status_code == 200
        texts = await _replies(api, 31, 2)
        assert texts == ["2025年您参加了医保吗？", "2025年您有没有用医保报销过（门诊、住院都算）？"]
        assert (await client.get("/healthz")).json() == {"status": "ok"}
    store.close()


class Webhook:
    """`yibao telegram --webhook … --workers 1` as a child process on a port of its own."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.hook = f"http://127.0.0.1:{self.port}/hook"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "telegram",
                "--webhook",
                self.hook,
                "--port",
                str(self.port),
                "--workers",
                "1",
                "--today",
                str(TODAY),
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    async def up(self, client: httpx.AsyncClient) -> None:
        for _ in range(600):
            assert self.process.poll() is None, "yibao telegram stopped"
            try:
                if (await client.get(f"http://127.0.0.1:{self.port}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError("yibao telegram --webhook did not come up")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def _turns(store: RedisStore, key: str, count: int, wait: float = 20.0) -> State | None:
    for _ in range(int(wait / 0.05)):
        state = await asyncio.to_thread(store.load, key)
        if state is not None and state.turns >= count:
            return state
        await asyncio.sleep(0.05)
    return await asyncio.to_thread(store.load, key)


async def test_two_webhook_workers_apply_two_updates_of_one_chat_in_the_order_telegram_numbered_them():
    prefix = fresh_prefix("order")
    api = FakeBotAPI(max_poll=1.0)
    server = await FakeServer(api, token=TOKEN).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "YIBAO_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        TELEGRAM_RATE_LIMIT="1000000",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        YIBAO_STORE=url(prefix, lock_ms=3000, wait_ms=10000),
    )
    a, b = Webhook(env), Webhook(env)
    store = RedisStore(url(prefix))
    ok = {SECRET_HEADER: SECRET}
    in_order = state_after([CAP[0], PAID, UNPAID])
    assert in_order != state_after([CAP[0], UNPAID, PAID])
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            await asyncio.gather(a.up(client), b.up(client))

            def update(chat: int, text: str) -> dict:
                return {"update_id": next(IDS), "message": api.message(chat, chat, text)}

            # worker A has kept the older update but not yet taken its turn; B takes the newer one
            chat = 7001
            assert (await client.post(a.hook, json=update(chat, CAP[0]), headers=ok)).status_code == 200
            assert (await _turns(store, f"tg:{chat}:{chat}", 1)).turns == 1
            older, newer = update(chat, PAID), update(chat, UNPAID)
            await asyncio.to_thread(store.inbox_add, older["update_id"], chat, json.dumps(older))
            assert (await client.post(b.hook, json=newer, headers=ok)).status_code == 200
            await asyncio.sleep(1.0)
            assert (await asyncio.to_thread(store.load, f"tg:{chat}:{chat}")).turns == 1  # B waits
            assert (await client.post(a.hook, json=older, headers=ok)).status_code == 200
            assert await _turns(store, f"tg:{chat}:{chat}", 3) == in_order

            # and when both arrive at the same moment, one at each worker
            for chat in range(7100, 7110):
                assert (await client.post(a.hook, json=update(chat, CAP[0]), headers=ok)).status_code == 200
                assert (await _turns(store, f"tg:{chat}:{chat}", 1)).turns == 1
                older, newer = update(chat, PAID), update(chat, UNPAID)
                answers = await asyncio.gather(
                    client.post(a.hook, json=older, headers=ok), client.post(b.hook, json=newer, headers=ok)
                )
                assert [r.status_code for r in answers] == [200, 200]
                assert await _turns(store, f"tg:{chat}:{chat}", 3) == in_order
    finally:
        a.stop()
        b.stop()
        store.close()
        clean(prefix)
        await server.stop()
