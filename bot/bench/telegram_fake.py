"""A small stand-in for the Telegram Bot API, for tests and `yibao bench` (no network needed).

`FakeBotAPI` keeps the chats the way Telegram would: updates queued for getUpdates (long
polling with offset and timeout), the messages the bot sent (with their keyboards, edited in
place), every call with its parameters and time, and an optional 429 "Too Many Requests"
answered once for a chosen method. It serves the methods the yibao face uses: getMe,
deleteWebhook, setWebhook, setMyCommands, getUpdates, sendMessage, editMessageText,
editMessageReplyMarkup, answerCallbackQuery, sendChatAction.

Two ways to reach it:
- `FakeServer` puts it on 127.0.0.1 with aiohttp (imported only when started);
  point TELEGRAM_API_BASE_URL at `server.base_url`.
- `OfflineRequest` is a `telegram.request.BaseRequest` that answers from the same object in
  process, for fast tests that feed updates straight into an Application.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "渝医保问答",
    "username": "yibao_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_JSON_PARAMS = {
    "reply_markup",
    "commands",
    "allowed_updates",
    "scope",
    "link_preview_options",
    "reply_parameters",
    "entities",
}


@dataclass
class Call:
    """One request the bot made: the method, its parameters (decoded) and when it arrived."""

    method: str
    params: dict[str, Any]
    at: float


@dataclass
class FakeBotAPI:
    """The state of a pretend Telegram: updates to deliver, messages sent, calls received."""

    bot_user: dict = field(default_factory=lambda: dict(BOT_USER))
    calls: list[Call] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    sent: dict[tuple[int, int], dict] = field(default_factory=dict)
    by_chat: dict[int, list[int]] = field(default_factory=dict)  # chat -> message ids, in order
    delivered_at: dict[int, float] = field(default_factory=dict)
    fail_once: dict[str, int] = field(default_factory=dict)  # method -> retry_after seconds
    network_error_once: set[str] = field(default_factory=set)  # OfflineRequest only
    max_poll: float = 30.0
    # sendMessage calls past this many hang unanswered and are never delivered: a bot killed
    # while its replies are on the way (release() lets the hung calls fail, for a clean stop)
    stall_sends_after: int | None = None

    def __post_init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._changed = asyncio.Event()
        self._base_time = int(time.time())
        self._released = asyncio.Event()

    def release(self) -> None:
        """Let every stalled call end with an error (none of them is delivered)."""
        self._released.set()

    # ---- what a test does: people write, tap and wait

    def _event(self) -> asyncio.Event:
        return self._changed

    def _notify(self) -> None:
        event = self._event()
        event.set()
        self._changed = asyncio.Event()

    def push(self, update: dict) -> int:
        """Queue an update (its update_id is assigned here) and wake a waiting getUpdates."""
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **update})
        self._notify()
        return update_id

    def message(
        self, chat_id: int, user_id: int, text: str | None = None, *, chat_type: str = "private", **extra: Any
    ) -> dict:
        """A Message object as Telegram would deliver it from a person."""
        body = {
            "message_id": next(self._message_ids),
            "date": self._base_time,
            "chat": {
                "id": chat_id,
                "type": chat_type,
                **({"title": "群"} if chat_type != "private" else {"first_name": "测试"}),
            },
            "from": {"id": user_id, "is_bot": False, "first_name": "测试"},
        }
        if text is not None:
            body["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        body.update(extra)
        return body

    def text(self, chat_id: int, user_id: int, text: str, **extra: Any) -> int:
        """A person sends `text` (commands get their bot_command entity)."""
        return self.push({"message": self.message(chat_id, user_id, text, **extra)})

    def tap(self, message: dict, user_id: int, data: str) -> int:
        """A person taps the button with callback data `data` under a message the bot sent."""
        return self.push(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "chat_instance": "ci",
                    "from": {"id": user_id, "is_bot": False, "first_name": "测试"},
                    "message": message,
                    "data": data,
                }
            }
        )

    def sent_to(self, chat_id: int) -> list[dict]:
        """The messages the bot sent into a chat, oldest first, as they stand now (after edits)."""
        return [self.sent[(chat_id, message_id)] for message_id in self.by_chat.get(chat_id, [])]

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, predicate, timeout: float = 10.0, what: str = "a call") -> Any:
        """Wait until predicate(self) is truthy; its value is returned. Bounded by `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate(self)
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                methods = [c.method for c in self.calls[-12:]]
                raise TimeoutError(f"waited {timeout:.0f}s for {what}; last calls: {methods}")
            try:
                await asyncio.wait_for(self._event().wait(), min(remaining, 0.5))
            except TimeoutError:
                pass

    async def wait_messages(self, chat_id: int, count: int, timeout: float = 10.0) -> list[dict]:
        """Wait until the bot has sent `count` messages into the chat; return all of them."""
        return await self.wait_for(
            lambda api: len(api.sent_to(chat_id)) >= count and api.sent_to(chat_id),
            timeout,
            f"{count} messages to chat {chat_id}",
        )

    # ---- what the bot does: Bot API methods

    async def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict]:
        """Answer one Bot API call: (HTTP status, JSON body)."""
        params = {key: _decode(key, value) for key, value in params.items()}
        self.calls.append(Call(method, params, time.monotonic()))
        self._notify()
        if method in self.fail_once:
            retry_after = self.fail_once.pop(method)
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            }
        if (
            method == "sendMessage"
            and self.stall_sends_after is not None
            and len(self.calls_of("sendMessage")) > self.stall_sends_after
        ):
            await self._released.wait()
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        if method == "getUpdates":
            return 200, {"ok": True, "result": await self._get_updates(params)}
        answer = getattr(self, f"_{method}", None)
        if answer is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        try:
            return 200, {"ok": True, "result": answer(params)}
        except LookupError as exc:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        timeout = min(float(params.get("timeout") or 0), self.max_poll)
        deadline = time.monotonic() + timeout
        while not self.updates and time.monotonic() < deadline:
            try:
                await asyncio.wait_for(self._event().wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        batch = self.updates[:limit]
        now = time.monotonic()
        for update in batch:
            self.delivered_at.setdefault(update["update_id"], now)
        return batch

    def _getMe(self, params: dict) -> dict:
        return self.bot_user

    def _deleteWebhook(self, params: dict) -> bool:
        return True

    def _setMyCommands(self, params: dict) -> bool:
        return True

    def _setWebhook(self, params: dict) -> bool:
        return True

    def _sendChatAction(self, params: dict) -> bool:
        return True

    def _answerCallbackQuery(self, params: dict) -> bool:
        return True

    def _sendMessage(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self.bot_user,
        }
        _set_text(message, params)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.sent[(chat_id, message["message_id"])] = message
        self.by_chat.setdefault(chat_id, []).append(message["message_id"])
        return _public(message)

    def _stored(self, params: dict) -> dict:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.sent:
            raise LookupError("message to edit not found")
        return self.sent[key]

    def _editMessageText(self, params: dict) -> dict:
        message = self._stored(params)
        _set_text(message, params)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return _public(message)

    def _editMessageReplyMarkup(self, params: dict) -> dict:
        message = self._stored(params)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return _public(message)


def _public(message: dict) -> dict:
    """The message as Telegram returns it (without the HTML this fake keeps for tests)."""
    return {key: value for key, value in message.items() if key != "html"}


def _set_text(message: dict, params: dict) -> None:
    """Keep the text as a person sees it (HTML parsed, as Telegram does) and the HTML sent."""
    raw = str(params.get("text", ""))
    if not raw:
        raise LookupError("message text is empty")
    if params.get("parse_mode") == "HTML":
        text, entities = parse_html(raw)
    else:
        text, entities = raw, []
    if not text.strip():
        raise LookupError("message text is empty")
    if len(text.encode("utf-16-le")) // 2 > 4096:
        raise LookupError("message is too long")
    message["text"], message["html"] = text, raw
    if entities:
        message["entities"] = entities
    else:
        message.pop("entities", None)


_ENTITY_OF_TAG = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "s": "strikethrough",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.open: list[tuple[str, int]] = []
        self.entities: list[dict] = []

    def _units(self) -> int:
        return len(self.text.encode("utf-16-le")) // 2

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in _ENTITY_OF_TAG:
            raise LookupError(f'can\'t parse entities: unsupported start tag "{tag}"')
        self.open.append((tag, self._units()))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            raise LookupError(f'can\'t parse entities: unexpected end tag "{tag}"')
        _, start = self.open.pop()
        if self._units() > start:
            self.entities.append({"type": _ENTITY_OF_TAG[tag], "offset": start, "length": self._units() - start})

    def handle_data(self, data: str) -> None:
        self.text += data


def parse_html(raw: str) -> tuple[str, list[dict]]:
    """Telegram's HTML parse mode, for the tags yibao uses: the plain text and its entities."""
    if "<" not in raw and "&" not in raw:
        return raw, []
    parser = _Parser()
    parser.feed(raw)
    parser.close()
    if parser.open:
        raise LookupError("can't parse entities: unclosed tag")
    return parser.text, sorted(parser.entities, key=lambda e: e["offset"])


def _decode(key: str, value: Any) -> Any:
    if key in _JSON_PARAMS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class OfflineRequest(BaseRequest):
    """A BaseRequest that answers from a FakeBotAPI in process: no sockets at all."""

    def __init__(self, api: FakeBotAPI) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 10.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=None,
        write_timeout=None,
        connect_timeout=None,
        pool_timeout=None,
    ) -> tuple[int, bytes]:
        params = dict(request_data.json_parameters) if request_data else {}
        method_name = url.rsplit("/", 1)[-1]
        if method_name in self.api.network_error_once:
            self.api.network_error_once.discard(method_name)
            raise NetworkError("connection reset (simulated)")
        status, body = await self.api.handle(method_name, params)
        return status, json.dumps(body).encode("utf-8")


class FakeServer:
    """The FakeBotAPI on http://127.0.0.1:<random port>/bot<token>/<method> (aiohttp)."""

    def __init__(self, api: FakeBotAPI | None = None, token: str | None = None) -> None:
        self.api = api or FakeBotAPI()
        self.token = token
        self.port: int | None = None
        self.peers: set[tuple] = set()  # the client ends (host, port) of the connections used
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeServer:
        async def route(request: web.Request) -> web.Response:
            token, method = request.match_info["token"], request.match_info["method"]
            if request.transport is not None:
                self.peers.add(request.transport.get_extra_info("peername"))
            if self.token is not None and token != self.token:
                return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
            params: dict[str, Any] = dict(request.query)
            if request.can_read_body:
                if request.content_type == "application/json":
                    params.update(await request.json())
                else:
                    params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
            status, body = await self.api.handle(method, params)
            return web.json_response(body, status=status)

        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", route)
        runner = self._runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self.port = runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
