"""The Telegram bot in webhook mode with several worker processes behind one port:
`yibao telegram --webhook URL --workers N` (bot.workers forks them onto one socket).

Telegram posts each update to URL; a reverse proxy with TLS in front (deploy/nginx-yibao.conf)
passes it to --listen:--port, where any worker may take it. A worker answers 200 only once the
update is in the store's inbox (bot.telegram.inbox, names and numbers scrubbed), so an update
is never lost: when the store cannot be written it answers 503 and Telegram sends the update
again later. Then the update goes to python-telegram-bot in that worker, and the face takes
the turn as in polling mode: under the conversation's lease in the shared store (Redis), so
two updates of one chat reaching two workers at once are applied one after the other, each on
the state the other left, and in the order Telegram numbered them (an update waits while an
older one of its chat is kept but has had no turn); a duplicate is answered once.

The parent process sets the webhook once (with the secret Telegram sends back in
X-Telegram-Bot-Api-Secret-Token: TELEGRAM_WEBHOOK_SECRET, or one made up for this run);
posts without it get 403. Updates kept but not answered (a worker killed mid-turn) are
answered by the first worker on start and by every worker started again after a death.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hmac
import json
import logging
import os
import secrets
import urllib.error
import urllib.request

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.errors import InputError
from bot.service import StoreError, open_store, warm
from bot.telegram.config import TelegramConfig
from bot.telegram.face import (
    ALLOWED_UPDATES,
    Conversations,
    TelegramFace,
    build_application,
    configure_logging,
    hashed,
    reachable,
    webhook_path,
)
from bot.telegram.inbox import keep
from bot.telegram.transport import AiohttpRequest
from bot.workers import bind, supervise

log = logging.getLogger("yibao.telegram.webhook")
MAX_UPDATE_BYTES = 1 << 20
SECRET_HEADER = "x-telegram-bot-api-secret-token"
MAX_CONNECTIONS = 40  # Telegram's default: updates it posts at once
KEEP_ALIVE = 75  # seconds an idle connection from Telegram (or the proxy) stays open
ORDER_WAIT = 5.0  # seconds an update waits for an older one of its chat to have its turn
ORDER_SETTLE = 0.05  # an older update delivered to another worker at the same moment is kept by then


class WebhookFace(TelegramFace):
    """The face as each worker runs it: a chat's updates applied in the order Telegram numbered
    them, whichever workers they reach; kept updates answered on start only where told to
    (one worker, or one started again)."""

    def __init__(self, *args, replays: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.replays = replays

    async def replay(self, app: Application) -> int:
        return await super().replay(app) if self.replays else 0

    async def converse(self, update: Update, context, text: str, examples=None) -> None:
        await self.in_order(update)
        await super().converse(update, context, text, examples)

    async def on_tap(self, update: Update, context) -> None:
        await self.in_order(update)
        await super().on_tap(update, context)

    async def in_order(self, update: Update) -> None:
        """Wait (up to ORDER_WAIT seconds) while an older update of this chat, kept in the inbox,
        has not had its turn: two messages sent one after the other and taken by two workers at
        the same moment are applied in the order they were sent. A store without this index
        (SQLite, memory) or an older update lost with its worker does not hold anything up long."""
        earlier = getattr(self.inbox, "earlier_unturned", None)
        chat = update.effective_chat
        if earlier is None or chat is None:
            return
        loop = asyncio.get_running_loop()
        deadline, pause = loop.time() + ORDER_WAIT, 0.002
        await asyncio.sleep(ORDER_SETTLE)  # two updates of a chat that arrive together: the older is kept first
        try:
            while await asyncio.to_thread(earlier, chat.id, update.update_id):
                if loop.time() >= deadline:
                    log.warning(
                        "an older update of chat %s had no turn within %.0f s; going on", hashed(chat.id), ORDER_WAIT
                    )
                    return
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.05)
        except StoreError as exc:
            log.warning("order of updates not checked: %s", exc)


def answered(inbox, update: dict) -> bool:
    """Keep the update in the inbox; True when it was kept before and its turn already taken (the
    worker that took it sends the replies, or a worker started again does), so it needs nothing."""
    keep(inbox, [update])
    item = inbox.inbox_get(update["update_id"])
    return item is not None and (item.done or item.outbox is not None)


def receiver(ptb: Application, face: TelegramFace, path: str, secret: str):
    """The ASGI application of one worker: POST /<path> takes an update, GET /healthz says ok."""

    async def take(request: Request) -> Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return Response(status_code=413)
        try:
            data = json.loads(body)
        except ValueError:
            return Response(status_code=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return Response(status_code=400)
        if face.inbox is not None:
            try:
                if await asyncio.to_thread(answered, face.inbox, data):
                    return Response(status_code=200)  # sent again by Telegram: its turn was taken already
            except StoreError as exc:
                log.warning("update not kept, Telegram will send it again: %s", exc)
                return Response(status_code=503, headers={"Retry-After": "5"})
        await ptb.update_queue.put(Update.de_json(data, ptb.bot))
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await ptb.initialize()
        if ptb.post_init:
            await ptb.post_init(ptb)
        await ptb.start()
        try:
            yield
        finally:
            await ptb.stop()
            await ptb.shutdown()
            if ptb.post_shutdown:
                await ptb.post_shutdown(ptb)

    return Starlette(routes=[Route("/" + path, take, methods=["POST"]), Route("/healthz", healthz)], lifespan=lifespan)


def set_webhook(config: TelegramConfig, url: str, secret: str) -> None:
    """Tell the Bot API where to post updates (once, from the parent); a refusal is one InputError."""
    base = (config.api_base_url or "https://api.telegram.org/bot").rstrip("/")
    body = json.dumps(
        {"url": url, "secret_token": secret, "allowed_updates": ALLOWED_UPDATES, "max_connections": MAX_CONNECTIONS}
    ).encode()
    request = urllib.request.Request(
        f"{base}{config.token.get_secret_value()}/setWebhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            answer = json.loads(exc.read())
        except ValueError:
            answer = {"description": f"HTTP {exc.code}"}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise InputError(f"无法设置 webhook：{type(exc).__name__}") from None
    if not answer.get("ok"):
        raise InputError(f"Telegram 拒绝了 webhook 设置：{answer.get('description', '')}"[:200])


def serve_workers(
    config: TelegramConfig, webhook: str, listen: str, port: int, workers: int, today: dt.date | None = None
) -> int:
    """Set the webhook, bind --listen:--port, fork `workers` receivers; run until SIGTERM / Ctrl+C."""

    os.environ.setdefault("PTB_TIMEDELTA", "1")
    path = webhook_path(webhook)
    configure_logging(config.token.get_secret_value())
    open_store(config.store).close()  # a store that cannot be used: one line, exit code 2, before forking
    if not reachable(config):
        return 0
    secret = config.webhook_secret.get_secret_value() if config.webhook_secret else secrets.token_urlsafe(32)
    sock = bind(listen, port)
    set_webhook(config, webhook, secret)
    warm()  # the matcher and the search index, shared by the workers after the fork
    log.info("webhook workers: %d on %s:%d", workers, listen, sock.getsockname()[1])

    def worker(index: int, restarted: bool) -> int:
        store = open_store(config.store)
        face = WebhookFace(
            Conversations(store, (lambda: today) if today else dt.date.today), replays=index == 0 or restarted
        )
        ptb = build_application(
            config, face, request=AiohttpRequest(), get_updates_request=AiohttpRequest(connections=1)
        )
        app = receiver(ptb, face, path, secret)
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                lifespan="on",
                access_log=False,
                log_level="warning",
                timeout_keep_alive=KEEP_ALIVE,
                timeout_graceful_shutdown=10,
            )
        )
        server.run(sockets=[sock])
        return 0

    return supervise(workers, worker)
