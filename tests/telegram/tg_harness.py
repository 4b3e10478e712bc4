"""An Application wired to an in-process fake Bot API, and a scripted stand-in for rendering tests."""

from __future__ import annotations

import datetime as dt
import itertools

from telegram import Update

from bot.bench.telegram_fake import FakeBotAPI, OfflineRequest
from bot.models import Reply
from bot.telegram.config import TelegramConfig
from bot.telegram.face import TelegramFace, build_application
from bot.telegram.render import state_version

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef_-01"


class Scripted:
    """Replies a test chose, in order, for rendering tests; records what the face sent."""

    def __init__(self, *replies: list[Reply]) -> None:
        self.queue = list(replies)
        self.received: list[tuple[str, str]] = []
        self.turns = 0

    def turn(self, key: str, message: str) -> tuple[list[Reply], str]:
        self.received.append((key, message))
        self.turns += 1
        replies = self.queue.pop(0) if self.queue else [Reply(text=f"收到：{message}")]
        return replies, self.version(key)

    def version(self, key: str) -> str:
        return state_version(str(self.turns))


_UPDATE_IDS = itertools.count(1)


class Harness:
    """Feed updates into the Application as Telegram would deliver them."""

    def __init__(self, app, api: FakeBotAPI) -> None:
        self.app = app
        self.api = api
        self._ids = _UPDATE_IDS  # Telegram never hands out one update_id twice, whichever bot asks

    async def feed(self, update: dict) -> None:
        update = {"update_id": next(self._ids), **update}
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def say(self, text: str, chat_id: int = 42, user_id: int = 7, **extra) -> None:
        await self.feed({"message": self.api.message(chat_id, user_id, text, **extra)})

    async def tap(self, message: dict, data: str, user_id: int = 7) -> None:
        await self.feed(
            {
                "callback_query": {
                    "id": "q1",
                    "chat_instance": "ci",
                    "data": data,
                    "message": message,
                    "from": {"id": user_id, "is_bot": False, "first_name": "测试"},
                }
            }
        )

    def sent(self, chat_id: int = 42) -> list[dict]:
        return self.api.sent_to(chat_id)

    def texts(self, chat_id: int = 42) -> list[str]:
        return [m["text"] for m in self.sent(chat_id)]

    def answers(self) -> list[dict]:
        return [c.params for c in self.api.calls_of("answerCallbackQuery")]


async def make_harness(api: FakeBotAPI, conversations, typing_after: float = 0.3) -> Harness:
    config = TelegramConfig(token=TOKEN, rate_limit=1000)
    face = TelegramFace(conversations, typing_after=typing_after)
    app = build_application(config, face, request=OfflineRequest(api), get_updates_request=OfflineRequest(api))
    await app.initialize()
    harness = Harness(app, api)
    harness.face = face
    return harness


TODAY = dt.date(2026, 3, 1)


def buttons(message: dict) -> list[tuple[str, str]]:
    """(label, callback data) of every button under a message the bot sent."""
    markup = message.get("reply_markup") or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


def data_of(message: dict, label: str) -> str:
    return dict(buttons(message))[label]


def manager_texts(messages: list[str], today: dt.date = TODAY) -> list[str]:
    """What a person should see for the manager's answer to the last of these messages
    (in a fresh session): each reply's text and quoted sources, as Telegram shows the HTML."""
    from bot.bench.telegram_fake import parse_html
    from bot.conversation.session import turn
    from bot.conversation.store import MemoryStore
    from bot.telegram.render import render_html

    store = MemoryStore()
    replies = []
    for message in messages:
        replies = turn(store, "reference", message, today)
    return [parse_html(piece)[0] for reply in replies for piece in render_html(reply)]
