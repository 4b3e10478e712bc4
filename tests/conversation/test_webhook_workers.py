"""The webhook receiver every worker runs: an update is answered only once it is kept in the inbox;
Telegram's secret is checked; a duplicate delivery is answered once; a Redis that is down gets
503, so that Telegram delivers the update again, and then it is answered."""
from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os

import httpx
import pytest

from bot.bench.telegram_fake import FakeBotAPI, OfflineRequest
from bot.conversation.redis_store import RedisStore
from bot.telegram.config import TelegramConfig
from bot.telegram.face import Conversations, build_application
from bot.telegram.webhook import SECRET_HEADER, WebhookFace, receiver
from redis_helpers import PrivateRedis, url

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
    ptb = build_application(TelegramConfig(token=TOKEN, rate_limit=1000), face,
                            request=OfflineRequest(api), get_updates_request=OfflineRequest(api))
    app = receiver(ptb, face, "hook", SECRET)
    transport = httpx.ASGITransport(app=app)

    def update(text: str, update_id: int | None = None) -> dict:
        return {"update_id": update_id or next(IDS), "message": api.message(31, 31, text)}

    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport,
                                                                  base_url="http://127.0.0.1") as client:
        ok = {SECRET_HEADER: SECRET}
        first = update("我想算一下我的大病保险封顶线")
        assert (await client.post("/hook", json=first)).status_code == 403
        assert (await client.post("/hook", json=first, headers={SECRET_HEADER: "wrong"})).status_code == 403
        assert (await client.post("/hook", content=b"{not json", headers=ok)).status_code == 400
        assert (await client.post("/hook", json={"message": {}}, headers=ok)).status_code == 400

        assert (await client.post("/hook", json=first, headers=ok)).status_code == 200
        assert store.inbox_get(first["update_id"]) is not None  # kept before the 200
        assert (await client.post("/hook", json=first, headers=ok)).status_code == 200  # delivered again
        assert await _replies(api, 31, 1) == ["2025年您参加了医保吗？"]

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
