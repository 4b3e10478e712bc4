"""Telegram at least once, and each message answered once: the real `yibao telegram` process,
SIGKILLed while 300 messages from 10 people are queued and its replies are on the way, then
started again on the same store. Every message is answered exactly once, in order per chat.

The fake Bot API lets the first sends through, then holds every further sendMessage
unanswered and undelivered (stall_sends_after): the bot is killed with turns committed whose
replies never arrived, updates received and not yet turned, and updates still queued at
Telegram (not yet confirmed). (A message Telegram took whose answer the bot never saw, the
kill falling in the millisecond between the two, would be sent again: Telegram offers no way
to ask whether a message was sent. That one moment is at least once, not exactly once.)
"""

from __future__ import annotations

import asyncio
import signal

import pytest

from bot.bench.telegram_fake import FakeBotAPI, FakeServer, parse_html
from bot.conversation.session import turn
from bot.conversation.store import MemoryStore
from bot.telegram.render import render_html
from test_telegram_end_to_end import WAIT, BotProcess, World
from tg_harness import TODAY, TOKEN

PEOPLE = 10
EACH = 30
QUESTIONS = [
    "新生儿怎么参保？",
    "你好",
    "2026年居民医保交多少钱？",
    "我断了两年，要等多久才能报销？",
    "谢谢",
    "什么是零报销激励？",
    "大学生怎么参保",
    "集中参保期是什么时候？",
    "重新开始",
    "帮助",
]


def messages_of(person: int) -> list[str]:
    return [QUESTIONS[(person + i) % len(QUESTIONS)] for i in range(EACH)]


def expected_texts(messages: list[str]) -> list[str]:
    """What one person should see, message after message, from a fresh conversation."""
    store, seen = MemoryStore(), []
    for message in messages:
        for reply in turn(store, "reference", message, TODAY):
            seen += [parse_html(piece)[0] for piece in render_html(reply)]
    return seen


@pytest.fixture
async def world(tmp_path):
    api = FakeBotAPI(max_poll=2.0)
    server = await FakeServer(api, token=TOKEN).start()
    bot = BotProcess(server.base_url, tmp_path / "sessions.db", tmp_path / "bot.log")
    bot.env["TELEGRAM_RATE_LIMIT"] = "1000"
    yield World(api, bot, tmp_path / "sessions.db")
    bot.kill()
    api.release()
    await server.stop()


def chat(person: int) -> int:
    return 6001 + person


async def test_a_bot_killed_with_300_messages_queued_answers_each_exactly_once_in_order(world):
    api = world.api
    expected = {chat(p): expected_texts(messages_of(p)) for p in range(PEOPLE)}
    total = sum(len(texts) for texts in expected.values())
    last = 0
    for i in range(EACH):  # queued before the bot starts, interleaved as people write at once
        for p in range(PEOPLE):
            last = api.text(chat(p), chat(p), messages_of(p)[i])
    api.stall_sends_after = total // 3
    await world.start()
    await api.wait_for(lambda a: len(a.calls_of("sendMessage")) > total // 3 + 5, WAIT, "replies on the way")
    # the replies let through have been marked sent by now; the bot goes on turning updates
    # whose replies hang: killed, it leaves turns committed and unsent, updates kept and not
    # turned, and updates Telegram still holds
    await asyncio.sleep(2.0)
    world.bot.kill()
    assert world.bot.process.returncode == -signal.SIGKILL
    delivered_before = sum(len(api.sent_to(chat(p))) for p in range(PEOPLE))
    assert 0 < delivered_before < total

    api.stall_sends_after = None
    await world.start()
    await api.wait_for(
        lambda a: all(len(a.sent_to(c)) >= len(texts) for c, texts in expected.items()), WAIT * 2, "every reply"
    )
    await world.confirmed(last)
    await asyncio.sleep(1.0)  # anything sent twice would arrive now
    for c, texts in expected.items():
        assert [m["text"] for m in api.sent_to(c)] == texts
    assert world.store.stat().st_mode & 0o777 == 0o600
    assert "Traceback" not in world.bot.log.read_text(encoding="utf-8")
