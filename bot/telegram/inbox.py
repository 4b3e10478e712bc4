"""Telegram at least once: every update is in the store's inbox before Telegram is told it arrived.

Long polling confirms updates implicitly: the next getUpdates (with a higher offset) tells
Telegram to drop everything before it. `InboxRequest` wraps the request that carries
getUpdates and writes each update of a response to the inbox before the response reaches
python-telegram-bot, so no later getUpdates can confirm an update that is not kept. When the
inbox cannot be written, the response is dropped as a network error: python-telegram-bot asks
again with the same offset (after its backoff) and Telegram keeps the updates.

What is kept is the update without names (first_name becomes "", last_name and username go)
and with ID-card numbers, phone numbers and stated names in its texts masked (same length, so
entity offsets stay right). A handled update keeps only its id, for a day.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot import service
from bot.service import Store, StoreError

_NAMES = ("last_name", "username")
_TEXTS = ("text", "caption")


def scrubbed(value: Any) -> Any:
    """The update as kept: no people's names, personal data in texts masked."""
    if isinstance(value, list):
        return [scrubbed(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    person = "first_name" in value and not value.get("is_bot")
    for key, item in value.items():
        if person and key in _NAMES:
            continue
        if person and key == "first_name":
            out[key] = ""
        elif key in ("title",) and isinstance(item, str):
            out[key] = service.mask(item)
        elif key in _TEXTS and isinstance(item, str):
            out[key] = service.mask(item)
        else:
            out[key] = scrubbed(item)
    return out


def chat_of(update: dict) -> int:
    """The chat an update belongs to (0 when it has none the face answers in)."""
    message = update.get("message") or (update.get("callback_query") or {}).get("message") or {}
    chat = message.get("chat") or {}
    return int(chat.get("id") or 0)


def keep(store: Store, updates: list[dict]) -> None:
    """Write every update to the inbox (an update already there is left as it is)."""
    for update in updates:
        if isinstance(update, dict) and isinstance(update.get("update_id"), int):
            store.inbox_add(update["update_id"], chat_of(update), json.dumps(scrubbed(update), ensure_ascii=False))


class InboxRequest(BaseRequest):
    """The getUpdates request, keeping every update it returns in the inbox first."""

    def __init__(self, inner: BaseRequest, store: Store) -> None:
        self.inner = inner
        self.store = store

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, body = await self.inner.do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if status == 200 and url.rstrip("/").endswith("/getUpdates"):
            try:
                updates = json.loads(body).get("result") or []
            except (ValueError, AttributeError):
                return status, body  # python-telegram-bot reports a malformed answer itself
            try:
                await asyncio.to_thread(keep, self.store, updates)
            except StoreError as exc:
                raise NetworkError(f"updates not kept, asking again later: {exc}") from None
        return status, body
