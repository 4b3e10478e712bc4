"""The real `yibao telegram` process against a fake Bot API server on 127.0.0.1.

Each test starts the bot as a subprocess (TELEGRAM_API_BASE_URL pointing at the fake server,
the SQLite store in a temporary directory, the real dialogue manager) and drives it the way
Telegram would: updates handed out by long polling, calls recorded as they arrive. Every wait
is bounded; the processes are killed in the fixture's teardown.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bench.telegram_fake import FakeBotAPI, FakeServer
from bot.conversation.store import SQLiteStore
from bot.telegram.face import TEXT_ONLY, session_key
from tg_harness import TODAY, TOKEN, buttons, manager_texts

CHAT, USER = 5001, 77
KEY = session_key(CHAT, USER)
COMMAND = [sys.executable, "-m", "bot", "telegram", "--today", TODAY.isoformat()]
WAIT = 60.0  # seconds: generous for a loaded machine, but never unbounded


class BotProcess:
    """`yibao telegram` as a subprocess; its standard error goes to a log file."""

    def __init__(self, base_url: str, store: Path, log: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "YIBAO_"))}
        self.env.update(
            TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base_url, YIBAO_STORE=str(store), PYTHONUNBUFFERED="1"
        )
        self.log = log
        self.command = list(COMMAND)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.command, env=self.env, stdout=log, stderr=log, stdin=subprocess.DEVNULL
            )

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    async def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, then wait without blocking the loop the fake server runs in."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            for _ in range(int(timeout * 10)):
                if self.process.poll() is not None:
                    break
                await asyncio.sleep(0.1)
            else:
                self.kill()
        return self.process.returncode if self.process else None


class World:
    def __init__(self, api: FakeBotAPI, bot: BotProcess, store: Path) -> None:
        self.api, self.bot, self.store = api, bot, store

    async def start(self) -> None:
        """Start the bot and wait until it has set its menu and is polling."""
        seen = len(self.api.calls)
        self.bot.start()
        await self.api.wait_for(
            lambda a: (
                any(c.method == "getUpdates" for c in a.calls[seen:])
                and any(c.method == "setMyCommands" for c in a.calls[seen:])
            ),
            WAIT,
            "the bot to start polling",
        )

    async def say(self, text: str | None, count: int = 1, **extra) -> list[dict]:
        """A person writes; returns the `count` messages the bot sends in reply."""
        before = len(self.api.sent_to(CHAT))
        update_id = self.api.text(CHAT, USER, text, **extra)
        return await self._replies(before, count, update_id)

    async def tap(self, message: dict, label: str, count: int = 1) -> list[dict]:
        before = len(self.api.sent_to(CHAT))
        update_id = self.api.tap(message, USER, dict(buttons(message))[label])
        return await self._replies(before, count, update_id)

    async def _replies(self, before: int, count: int, update_id: int) -> list[dict]:
        await self.api.wait_messages(CHAT, before + count, WAIT)
        await self.confirmed(update_id)
        return self.api.sent_to(CHAT)[before:]

    async def confirmed(self, update_id: int) -> None:
        """Wait until the bot has asked for updates after `update_id` (so it will not see it again)."""
        await self.api.wait_for(
            lambda a: any(c.method == "getUpdates" and int(c.params.get("offset") or 0) > update_id for c in a.calls),
            WAIT,
            f"update {update_id} to be confirmed",
        )

    def stored(self):
        store = SQLiteStore(self.store)
        try:
            return store.load(KEY)
        finally:
            store.close()


@pytest.fixture
async def world(tmp_path):
    api = FakeBotAPI(max_poll=2.0)
    server = await FakeServer(api, token=TOKEN).start()
    store = tmp_path / "sessions.db"
    bot = BotProcess(server.base_url, store, tmp_path / "bot.log")
    yield World(api, bot, store)
    bot.kill()
    await server.stop()
    assert TOKEN not in (tmp_path / "bot.log").read_text(encoding="utf-8", errors="replace")


def texts(messages: list[dict]) -> list[str]:
    return [m["text"] for m in messages]


async def test_a_question_gets_the_managers_answer(world):
    await world.start()
    expected = manager_texts(["新生儿怎么参保？"])
    replies = await world.say("新生儿怎么参保？", len(expected))
    assert texts(replies) == expected
    assert "新生儿" not in world.bot.log.read_text(encoding="utf-8"), "message text never logged"


async def test_buttons_carry_a_calculation_forward(world):
    await world.start()
    (question,) = await world.say("/calc")
    label, data = buttons(question)[0]
    expected = manager_texts(["我想算一下我的大病保险封顶线", data[5:]])
    replies = await world.tap(question, label, len(expected))
    assert texts(replies) == expected
    assert world.api.sent_to(CHAT)[0]["text"].endswith(f"👉 {label}")
    assert len(world.api.calls_of("answerCallbackQuery")) == 1


async def test_forget_removes_the_stored_conversation(world):
    await world.start()
    await world.say("/calc")
    assert world.stored() is not None
    expected = manager_texts(["忘记我"])
    replies = await world.say("/forget", len(expected))
    assert texts(replies) == expected
    assert world.stored() is None


async def test_a_sticker_gets_a_polite_line(world):
    await world.start()
    replies = await world.say(
        None,
        sticker={
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
    )
    assert texts(replies) == [TEXT_ONLY]


async def test_too_many_requests_is_waited_out_and_the_reply_still_arrives(world):
    await world.start()
    world.api.fail_once["sendMessage"] = 1
    expected = manager_texts(["新生儿怎么参保？"])
    replies = await world.say("新生儿怎么参保？", len(expected))
    assert texts(replies) == expected
    sends = world.api.calls_of("sendMessage")
    assert len(sends) == len(replies) + 1
    assert sends[1].at - sends[0].at >= 1.0  # retry_after was honoured


async def test_a_bot_killed_in_the_middle_of_a_calculation_continues_after_restart(world):
    await world.start()
    (question,) = await world.say("/calc")
    first, first_data = buttons(question)[0]
    calc = ["我想算一下我的大病保险封顶线", first_data[5:]]
    replies = await world.tap(question, first, len(manager_texts(calc)))
    follow_up = replies[-1]
    assert buttons(follow_up), "the calculation is waiting for the next answer"
    pending = world.stored().pending
    assert pending is not None

    world.bot.kill()
    assert world.bot.process.returncode == -signal.SIGKILL
    await world.start()

    second, second_data = buttons(follow_up)[0]
    expected = manager_texts([*calc, second_data[5:]])
    replies = await world.tap(follow_up, second, len(expected))
    assert texts(replies) == expected


async def test_sigterm_stops_the_bot_cleanly(world):
    await world.start()
    assert await world.bot.stop() == 0
    assert "Traceback" not in world.bot.log.read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_webhook_mode_takes_updates_only_with_the_secret(world):
    import aiohttp

    port = _free_port()
    url = f"http://127.0.0.1:{port}/yibao-hook"
    world.bot.env["TELEGRAM_WEBHOOK_SECRET"] = "the-shared-secret"
    world.bot.command = [*COMMAND, "--webhook", url, "--listen", "127.0.0.1", "--port", str(port)]
    world.bot.start()
    (registered,) = await world.api.wait_for(lambda a: a.calls_of("setWebhook"), WAIT, "setWebhook")
    assert registered.params["url"] == url
    assert registered.params["secret_token"] == "the-shared-secret"
    assert set(registered.params["allowed_updates"]) == {"message", "callback_query"}

    update = {"update_id": 1, "message": world.api.message(CHAT, USER, "/start")}
    async with aiohttp.ClientSession() as http:
        for _ in range(100):  # the web server comes up just after setWebhook
            try:
                async with http.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "a-wrong-secret"}
                ) as refused:
                    break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
        assert refused.status == 403
        async with http.post(url, json=update) as unsigned:
            assert unsigned.status == 403
        async with http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "the-shared-secret"}
        ) as accepted:
            assert accepted.status == 200
    expected = manager_texts(["帮助"])
    await world.api.wait_messages(CHAT, len(expected), WAIT)
    assert texts(world.api.sent_to(CHAT)) == expected
    assert world.api.calls_of("getUpdates") == []


async def test_a_token_telegram_refuses_ends_with_one_line_and_exit_2(world):
    refused = "654321:ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvu_-99"
    world.bot.env["TELEGRAM_BOT_TOKEN"] = refused
    world.bot.start()
    for _ in range(int(WAIT * 10)):
        if world.bot.process.poll() is not None:
            break
        await asyncio.sleep(0.1)
    assert world.bot.process.returncode == 2
    log = world.bot.log.read_text(encoding="utf-8")
    assert log.count("\n") == 1 and "TELEGRAM_BOT_TOKEN" in log
    assert refused not in log


async def test_a_bot_api_that_does_not_answer_is_said_within_seconds_and_tried_again(world):
    port = _free_port()  # nothing listens there
    world.bot.env["TELEGRAM_API_BASE_URL"] = f"http://127.0.0.1:{port}/bot"
    world.bot.start()
    for _ in range(100):
        if world.bot.log.read_text(encoding="utf-8").count("无法连接 Telegram Bot API") >= 2:
            break
        await asyncio.sleep(0.1)
    log = world.bot.log.read_text(encoding="utf-8")
    assert "无法连接 Telegram Bot API" in log and "1 秒后重试" in log and "2 秒后重试" in log
    assert world.bot.process.poll() is None, "it keeps trying"
    assert await world.bot.stop() == 0
    assert TOKEN not in log and "Traceback" not in log


async def test_a_store_that_cannot_be_used_ends_with_one_line_and_exit_2(world):
    world.store.write_bytes(b"this is not a database, just some text\n" * 100)
    world.bot.start()
    assert world.bot.process.wait(timeout=WAIT) == 2
    log = world.bot.log.read_text(encoding="utf-8")
    assert log.count("\n") == 1 and "会话存储" in log and "Traceback" not in log
