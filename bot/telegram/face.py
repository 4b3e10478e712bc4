"""The Telegram face of yibao: python-telegram-bot v22, long polling or a webhook.

The face holds no dialogue logic. Every message, command and button tap becomes one message
for `bot.service.turn(store, key, message, today)`, run in the face's one worker thread so the
event loop stays free (one thread, not a pool: turns are CPU-bound under the GIL and the store
takes them one at a time anyway, so more threads only fight over the GIL), one at a time per
conversation (an asyncio.Lock per key) so two fast taps never race. The session key is
"tg:<chat id>:<user id>"; the state lives in the shared session store (SQLite by default).

At least once, each message once (bot.telegram.inbox): every update is kept in the store's
inbox before the next getUpdates confirms it to Telegram; a turn is committed together with
what it is to send (the outbox) and the update marked turned; the messages sent are counted,
then the update is marked done. On start, before polling, whatever was kept and not done is
answered in the order received (a turned update from its outbox, never turned again), and an
update seen again (Telegram resending it) is dropped. A bot killed with SIGKILL and started
again answers every message once and continues every conversation where it was.

Rendering (HTML, splitting at 4,096 characters, inline keyboards, the version carried in
callback data) is in bot.telegram.render; configuration in bot.telegram.config.

Choices made on purpose:
- Edited messages are ignored: the original was already answered, and answering the edit as
  a new turn would take the same facts twice. They are not even requested from Telegram.
- In groups the bot answers only when addressed: a command, an @mention of the bot, or a
  reply to one of its messages. Each member has their own conversation there.
- Stickers, photos, voice, locations, documents and the like get one polite line.
- A tap on a button whose message is older than the conversation's current state gets the
  toast "这个按钮已过期" and nothing else.
- "typing…" is shown only when an answer takes longer than 0.3 s, as Telegram recommends,
  and renewed every 4.5 s while the work goes on.
- In a multi-select reply (years), options whose value is "year:<YYYY>" are toggles ticked in
  place in the keyboard; the face adds a 确认 button that sends "years:2025,2026" (or
  "years:none"); the reply's other options are sent at once when tapped.
- Bot API calls go through aiohttp (`AiohttpRequest`), keeping its connections alive: with
  HTTPX every call scanned the whole connection pool (a getpeername and a poll per idle
  connection, each giving the GIL away to the worker thread) and crossed anyio's stream
  wrappers: about 0.8 ms of CPU per call on its own against 0.1 ms with aiohttp, and some
  2 ms per update under load in this process, more than the turn itself.
- Logs carry no message text and no names; chat ids appear only as a keyed hash that
  changes with every start, and the token is masked in every line.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import hashlib
import itertools
import json
import logging
import os
import secrets
import signal
import threading
import traceback
import urllib.error
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import service
from bot.errors import InputError
from bot.models import Option, Reply, Source
from bot.service import AlreadyHandled, KeyLocks, Receipt, StoreError
from bot.telegram import render
from bot.telegram.config import TelegramConfig
from bot.telegram.inbox import InboxRequest
from bot.telegram.transport import AiohttpRequest

log = logging.getLogger("yibao.telegram")

# What each command sends to the dialogue manager, and the menu Telegram shows for it.
COMMANDS: dict[str, tuple[str | None, str]] = {
    "start": ("帮助", "yibao 能做什么，示例问题"),
    "help": ("帮助", "怎么提问"),
    "calc": ("我想算一下我的大病保险封顶线", "算我的大病保险封顶线、等待期"),
    "faq": (None, "检索政策问答：/faq 新生儿怎么参保"),
    "reset": ("重新开始", "重新开始这次对话"),
    "forget": ("忘记我", "删除为我保存的一切"),
    "about": (None, "依据的文件和日期"),
}
# Example questions under /start's welcome, as buttons that never go stale (each under 60 bytes).
EXAMPLES = [
    Option(label=text, value=text)
    for text in (
        "我想算一下我的大病保险封顶线",
        "我断了两年，要等多久才能报销？",
        "新生儿怎么参保？",
        "2026年居民医保交多少钱？",
    )
]
ALLOWED_UPDATES = ["message", "callback_query"]
TEXT_ONLY = "我只能看懂文字消息。请用文字提问，例如：“我断缴了两年，要等多久才能报销？”"
EXPIRED = "这个按钮已过期"
NOT_YOURS = "这些按钮是给提问的那位的"
SORRY = "抱歉，刚才处理出了问题，请再发一次。也可以拨打医保服务热线 12393。"
FAQ_USAGE = "请在 /faq 后面写上要查的问题，例如：/faq 新生儿怎么参保"
NETWORK_ATTEMPTS = 3
MARKUPS_KEPT = 1024
CONCURRENCY = 32  # updates handled at once (one chat's updates wait for each other in a lock)


def session_key(chat_id: int, user_id: int) -> str:
    return f"tg:{chat_id}:{user_id}"


_LOG_KEY = secrets.token_bytes(16)  # per process: ids hashed with it cannot be looked up later


def hashed(value: object) -> str:
    """An id as it may appear in a log line: a short keyed hash, stable within one run only."""
    return hashlib.blake2s(str(value).encode(), digest_size=4, key=_LOG_KEY).hexdigest()


# ---------------------------------------------------------------- the dialogue behind the face


@dataclass(frozen=True)
class Incoming:
    """The update a turn answers: its id, the chat, and what the first reply quotes in a group."""

    update_id: int
    chat_id: int
    group: bool = False
    quote: int | None = None
    examples: bool = False  # /start: the example questions go under a reply without options


def outbox(incoming: Incoming, replies: Sequence[Reply], version: str | None) -> str:
    """What is to be sent for an update, as JSON: kept with the turn, sent after it."""
    return json.dumps(
        {
            "chat": incoming.chat_id,
            "group": incoming.group,
            "quote": incoming.quote,
            "examples": incoming.examples,
            "version": version,
            "replies": [reply.model_dump(mode="json") for reply in replies],
        },
        ensure_ascii=False,
    )


class Conversations:
    """The face's only door to the dialogue: one turn, and the version of the stored state."""

    def __init__(self, store: Any, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.store = store
        self.today = today

    def turn(self, key: str, message: str, incoming: Incoming | None = None) -> tuple[list[Reply], str | None] | None:
        """The replies and the version their buttons carry; None when this update's turn was
        taken before (a duplicate); the apology (no buttons) when the store failed."""
        made: dict[str, str] = {}

        def receipt_for(update: Incoming) -> Callable[[list[Reply], Any], Receipt]:
            def receipt(replies: list[Reply], state: Any) -> Receipt:
                made["version"] = render.state_version(None if state is None else state.model_dump_json())
                return Receipt(update.update_id, update.chat_id, outbox(update, replies, made["version"]))

            return receipt

        try:
            replies = service.turn(self.store, key, message, self.today(), receipt_for(incoming) if incoming else None)
        except AlreadyHandled:
            return None
        except StoreError as exc:
            log.error("store failed during a turn: %s", exc)
            return service.apology(), None
        return replies, made.get("version") or self.version(key)

    def version(self, key: str) -> str:
        state = self.store.load(key)
        return render.state_version(None if state is None else state.model_dump_json())

    def expire(self) -> int:
        """Delete conversations older than the configured age (YIBAO_SESSION_DAYS)."""
        return service.expire(self.store)


class Knowledge:
    """The FAQ search and the document list, for /faq and /about."""

    def search(self, query: str, k: int = 3) -> list[Reply]:
        return [
            Reply(
                text=f"{hit.question}\n{hit.answer}",
                intent=hit.entry_id,
                score=hit.score,
                sources=[Source(document=hit.document, article=hit.article, excerpt=hit.excerpt)],
            )
            for hit in service.search(query, k=k)
        ]

    def documents(self) -> list[str]:
        lines = []
        for doc in service.documents():
            when = f"（{doc.date.isoformat()}）" if doc.date else ""
            lines.append(f"• {doc.name}{when}")
        return lines


# ---------------------------------------------------------------- logging without secrets


class TokenMask(logging.Filter):
    """Replace the token in every record, tracebacks included (they are folded into the text)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], InvalidToken):
            return False  # serve() says it in one line: Telegram refused the token
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info))
            record.exc_info = None
        if record.exc_text:
            text += "\n" + record.exc_text
            record.exc_text = None
        record.msg = text.replace(self.token, "<token>")
        record.args = ()
        return True


def configure_logging(token: str, level: int = logging.INFO) -> TokenMask:
    """Log to standard error with the token masked; httpx's per-request URL lines silenced."""
    mask = TokenMask(token)
    root = logging.getLogger()
    if not root.handlers:
        stderr = logging.StreamHandler()
        stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(stderr)
    root.setLevel(level)
    for handler in root.handlers:
        handler.addFilter(mask)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return mask


# ---------------------------------------------------------------- the face


class TelegramFace:
    """The handlers: every update becomes at most one turn, rendered back as HTML messages."""

    def __init__(
        self, conversations: Conversations, knowledge: Knowledge | None = None, typing_after: float = 0.3
    ) -> None:
        self.conversations = conversations
        self.inbox = getattr(conversations, "store", None)  # None: no inbox (a scripted stand-in)
        self.knowledge = knowledge or Knowledge()
        self.typing_after = typing_after
        self._locks = KeyLocks(asyncio.Lock)
        # The keyboards this process last put under a message: two quick taps on year toggles
        # both carry the keyboard as it was before either edit arrived, so the newer one wins.
        self._markups: OrderedDict[tuple[int, int], InlineKeyboardMarkup] = OrderedDict()
        self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="yibao-turn")

    def close(self) -> None:
        """Let the worker thread finish the turn it is in and stop."""
        self._worker.shutdown(wait=True)

    def install(self, app: Application) -> None:
        private_or_group = filters.ChatType.PRIVATE | filters.ChatType.GROUPS
        new = filters.UpdateType.MESSAGE & private_or_group
        for name, (message, _) in COMMANDS.items():
            if message is not None:
                handler = self._command(message, EXAMPLES if name == "start" else None)
                app.add_handler(CommandHandler(name, handler, filters=new))
        app.add_handler(CommandHandler("faq", self.on_faq, filters=new))
        app.add_handler(CommandHandler("about", self.on_about, filters=new))
        app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, self.on_text))
        app.add_handler(MessageHandler(new & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.on_other))
        app.add_handler(CallbackQueryHandler(self.on_tap))
        app.add_handler(TypeHandler(Update, self.screen), group=-1)
        app.add_handler(TypeHandler(Update, self.settle), group=1)
        app.add_error_handler(self.on_error)

    # -- the inbox: each update answered once, even across a SIGKILL

    async def screen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Before any handler: an update handled before is dropped; one whose turn was committed
        but whose replies may not have gone out is answered from the outbox, not turned again."""
        if self.inbox is None:
            return
        try:
            item = await self.in_worker(self.inbox.inbox_get, update.update_id)
        except StoreError as exc:
            log.warning("inbox not read: %s", exc)
            return
        if item is not None and item.done:
            raise ApplicationHandlerStop
        if item is not None and item.outbox is not None:
            await self.resend(context.bot, item.update_id, item.outbox, item.sent)
            raise ApplicationHandlerStop

    async def settle(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """After the handlers: the update is done (its replies went out, or it needed none)."""
        await self.done(update.update_id, update.effective_chat.id if update.effective_chat else 0)

    async def done(self, update_id: int, chat_id: int) -> None:
        if self.inbox is None:
            return
        try:  # not behind the turns queued in the worker: the window before it is kept stays short
            await asyncio.to_thread(self.inbox.inbox_done, update_id, chat_id)
        except StoreError as exc:  # it is answered again after a restart: better than never
            log.warning("inbox not updated: %s", exc)

    async def resend(self, bot: Any, update_id: int, kept: str, skip: int = 0) -> None:
        """Send what a committed turn was to send (but the first `skip` messages, which went out
        before), then mark its update done."""
        out = json.loads(kept)
        replies = [Reply.model_validate(reply) for reply in out["replies"]]
        replies, version = with_examples(replies, out["version"], out["examples"])
        await self.deliver(bot, out["chat"], out["group"], replies, version, out["quote"], update_id, skip)
        await self.done(update_id, out["chat"])

    async def replay(self, app: Application) -> int:
        """On start, before polling: every update kept but not done, in the order received."""
        if self.inbox is None:
            return 0
        pending = await self.in_worker(self.inbox.inbox_pending)
        for item in pending:
            try:
                if item.outbox is not None:
                    await self.resend(app.bot, item.update_id, item.outbox, item.sent)
                elif item.payload is not None:
                    await app.process_update(Update.de_json(json.loads(item.payload), app.bot))
                else:
                    await self.done(item.update_id, item.chat)
            except (TelegramError, ValueError, KeyError, TypeError) as exc:  # one bad update never stops the start
                log.warning("kept update not replayed: %s", type(exc).__name__)
                await self.done(item.update_id, item.chat)
        if pending:
            log.info("replayed %d updates kept from before the restart", len(pending))
        return len(pending)

    def lock(self, key: str) -> asyncio.Lock:
        return self._locks(key)

    # -- updates

    def _command(self, message: str, examples: list[Option] | None = None):
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            extra = " ".join(context.args or [])
            text = f"{message}，{extra}" if extra and message != "帮助" else message
            await self.converse(update, context, text, examples)

        return handler

    # Each handler is registered for updates that carry what it reads (a message, a callback
    # query): the checks for None below are for the type checker and never end a handler.

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is None:
            return
        text = addressed_text(update.effective_message, context.bot)
        if text is None:
            return
        await self.converse(update, context, text)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        if is_group(message) and not replies_to_bot(message, context.bot):
            return
        await self.send(context, message, [Reply(text=TEXT_ONLY)], version=None)

    async def on_faq(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = " ".join(context.args or []).strip()
        message = update.effective_message
        if message is None:
            return
        if not query:
            await self.send(context, message, [Reply(text=FAQ_USAGE)], version=None)
            return
        hits = await self.working(context, message.chat_id, self.knowledge.search, query)
        if not hits:
            hits = [Reply(text="没有找到相关的政策问答。可以换个说法，或拨打医保服务热线 12393。")]
        await self.send(context, message, hits, version=None)

    async def on_about(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        lines = await asyncio.to_thread(self.knowledge.documents)
        text = "yibao 依据以下文件回答（以医保经办机构的认定为准）：\n" + "\n".join(lines)
        await self.send(context, message, [Reply(text=text)], version=None)

    async def converse(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, examples: list[Option] | None = None
    ) -> None:
        """One turn for this chat and person; `examples` go under a reply that offers no options."""
        message = update.effective_message
        if message is None:
            return
        key = session_key(message.chat_id, sender_id(update))
        incoming = Incoming(
            update.update_id,
            message.chat_id,
            is_group(message),
            message.message_id if is_group(message) else None,
            bool(examples),
        )
        async with self.lock(key):
            await self.take_turn(context, key, text, incoming)

    async def take_turn(self, context: ContextTypes.DEFAULT_TYPE, key: str, text: str, incoming: Incoming) -> None:
        """The turn, committed with what it is to send; then the sending (a duplicate: nothing)."""
        args = (key, text, incoming) if self.inbox is not None else (key, text)
        turned = await self.working(context, incoming.chat_id, self.conversations.turn, *args)
        if turned is None:
            return
        replies, version = with_examples(turned[0], turned[1], incoming.examples)
        kept = self.inbox is not None and version is not None  # an apology (store down) was not kept
        await self.deliver(
            context.bot,
            incoming.chat_id,
            incoming.group,
            replies,
            version,
            incoming.quote,
            incoming.update_id if kept else None,
        )

    async def on_tap(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        message, data = query.message, query.data
        tap = render.decode(data)
        if tap is None or data is None or not isinstance(message, Message):  # no data: no tap either
            await answer(query, EXPIRED)
            return
        if (
            is_group(message)
            and message.reply_to_message is not None
            and message.reply_to_message.from_user
            and message.reply_to_message.from_user.id != query.from_user.id
        ):
            await answer(query, NOT_YOURS)
            return
        key = session_key(message.chat_id, query.from_user.id)
        async with self.lock(key):
            current = await self.in_worker(self.conversations.version, key)
            lasting = tap.version == render.ANY_VERSION and tap.kind == ":"  # /start's examples only
            toggles_lost = (
                tap.kind in "+-="
                and message.reply_markup is None
                and (message.chat_id, message.message_id) not in self._markups
            )
            if (tap.version != current and not lasting) or toggles_lost:
                await answer(query, EXPIRED)
                return
            where = (message.chat_id, message.message_id)
            if tap.kind in "+-":
                await answer(query)
                markup = self._markups.pop(where, message.reply_markup)
                assert markup is not None  # a keyboard neither shown nor kept was answered EXPIRED above
                current_data = _same_button(markup, data)
                markup = render.toggle(markup, current_data)
                self._remember(where, markup)
                try:
                    await self.retrying(message.edit_reply_markup, reply_markup=markup)
                except BadRequest as exc:  # "message is not modified", a message gone meanwhile
                    log.info("keyboard not edited: %s", type(exc).__name__)
                return
            if tap.kind == "=":
                markup = self._markups.pop(where, message.reply_markup)
                text = render.selection_message(render.ticked(markup))
                shown = "、".join(_labels_of(markup, "+")) or "都没有选"
            else:
                text = tap.value
                shown = _label_of(message.reply_markup, data) or tap.value
            await answer(query)
            await self.mark_chosen(message, shown)
            asked = message.reply_to_message  # in a group: the person's message the bot answered
            group = is_group(message)
            quote = (asked.message_id if asked else message.message_id) if group else None
            await self.take_turn(context, key, text, Incoming(update.update_id, message.chat_id, group, quote))

    def _remember(self, where: tuple[int, int], markup: InlineKeyboardMarkup) -> None:
        self._markups[where] = markup
        while len(self._markups) > MARKUPS_KEPT:
            self._markups.popitem(last=False)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        where = "-"
        if isinstance(update, Update) and update.effective_chat:
            where = hashed(update.effective_chat.id)
        frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
        log.error("update failed in chat %s: %s\n%s", where, type(error).__name__, frames)
        if isinstance(update, Update) and update.effective_chat and not isinstance(error, (Forbidden, NetworkError)):
            try:
                await context.bot.send_message(update.effective_chat.id, SORRY)
            except Exception as exc:  # noqa: BLE001 - the apology is best effort
                log.warning("could not apologise in chat %s: %s", where, type(exc).__name__)

    # -- helpers

    def in_worker(self, func, *args) -> asyncio.Future:
        """`func(*args)` in the face's worker thread (turns, versions and FAQ searches)."""
        return asyncio.get_running_loop().run_in_executor(self._worker, func, *args)

    async def working(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, func, *args):
        """Run `func(*args)` in the worker thread; "typing…" if it takes longer than typing_after."""
        task = self.in_worker(func, *args)
        wait = self.typing_after
        while True:
            if wait > 0:
                done, _ = await asyncio.wait({task}, timeout=wait)
                if done:
                    return task.result()
            try:
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            except (NetworkError, Forbidden) as exc:
                log.info("typing indicator not sent: %s", type(exc).__name__)
            if wait <= 0:
                return await task
            wait = 4.5  # Telegram shows "typing" for five seconds

    async def send(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        message: Message,
        replies: Sequence[Reply],
        version: str | None,
        quote_id: int | None = None,
    ) -> None:
        """Each reply as one or more HTML messages; its buttons under the last one.

        In a group the first message replies to the person's (`quote_id`, by default the
        message being answered), so that everyone sees whom it is for.
        """
        group = is_group(message)
        await self.deliver(
            context.bot, message.chat_id, group, replies, version, (quote_id or message.message_id) if group else None
        )

    async def deliver(
        self,
        bot: Any,
        chat_id: int,
        group: bool,
        replies: Sequence[Reply],
        version: str | None,
        quote_id: int | None,
        update_id: int | None = None,
        skip: int = 0,
    ) -> None:
        """The replies as HTML messages into the chat; in a group the first quotes `quote_id`.

        With `update_id`, the count of messages sent is kept in the inbox after each one, and
        a resend skips the first `skip` (those went out before the restart)."""
        quote = ReplyParameters(quote_id, allow_sending_without_reply=True) if group and quote_id else None
        messages = [
            (piece, render.keyboard(reply, version) if version is not None and i == len(pieces) - 1 else None)
            for reply in replies
            for pieces in [render.render_html(reply)]
            for i, piece in enumerate(pieces)
        ]
        for n, (piece, markup) in enumerate(messages):
            if n >= skip:
                await self.retrying(
                    bot.send_message,
                    chat_id,
                    piece,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    reply_parameters=quote,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
                if update_id is not None and self.inbox is not None and n < len(messages) - 1:
                    await asyncio.to_thread(self.inbox.inbox_sent, update_id, n + 1)
            quote = None

    async def mark_chosen(self, message: Message, shown: str) -> None:
        """The tapped message keeps its text, loses its buttons and shows what was chosen."""
        text = f"{message.text_html}\n\n👉 {render.escape(shown)}" if message.text else None
        try:
            if text and render.visible_length((message.text or "") + shown) < render.MESSAGE_LIMIT - 8:
                await self.retrying(message.edit_text, text, parse_mode=ParseMode.HTML, reply_markup=None)
            else:
                await self.retrying(message.edit_reply_markup, reply_markup=None)
        except BadRequest as exc:  # e.g. "message is not modified"
            log.info("tapped message not edited: %s", type(exc).__name__)

    @staticmethod
    async def retrying(call, *args, **kwargs):
        """Call the Bot API again after a network error (not after a refusal), three tries."""
        for attempt in range(NETWORK_ATTEMPTS):
            try:
                return await call(*args, **kwargs)
            except BadRequest:
                raise
            except NetworkError as exc:
                if attempt == NETWORK_ATTEMPTS - 1:
                    raise
                log.warning("network error (%s), trying again", type(exc).__name__)
                await asyncio.sleep(0.5 * 2**attempt)


async def answer(query: Any, text: str | None = None) -> None:
    """answerCallbackQuery, always, once; a query too old to answer is logged, not an error."""
    try:
        await query.answer(text)
    except TelegramError as exc:
        log.info("callback query not answered: %s", type(exc).__name__)


def _same_button(markup: InlineKeyboardMarkup | None, data: str) -> str:
    """The callback data of the tapped button in `markup` (its tick may have changed since)."""
    tap = render.decode(data)
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            here = button.callback_data
            if not isinstance(here, str):
                continue
            other = render.decode(here)
            if other and tap and other.kind in "+-" and other.value == tap.value:
                return here
    return data


def _label_of(markup: InlineKeyboardMarkup | None, data: str | None) -> str | None:
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if button.callback_data == data:
                return button.text.removeprefix(render.TICK)
    return None


def _labels_of(markup: InlineKeyboardMarkup | None, kind: str) -> list[str]:
    """The labels of the buttons of one kind (the ticked years: "+")."""
    labels = []
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            tap = render.decode(button.callback_data if isinstance(button.callback_data, str) else None)
            if tap and tap.kind == kind:
                labels.append(button.text.removeprefix(render.TICK))
    return labels


def with_examples(replies: list[Reply], version: str | None, examples: bool) -> tuple[list[Reply], str | None]:
    """/start's example questions under its last reply when no reply offers options (buttons
    that never go stale)."""
    if examples and replies and version is not None and not any(reply.options for reply in replies):
        return [*replies[:-1], replies[-1].model_copy(update={"options": EXAMPLES})], render.ANY_VERSION
    return replies, version


def sender_id(update: Update) -> int:
    """Who wrote: the person, or (a message without `from`: an anonymous admin, a channel) the chat
    it was sent as, so that such messages still have a conversation of their own."""
    if update.effective_user is not None:
        return update.effective_user.id
    message = update.effective_message
    sender = getattr(message, "sender_chat", None) if message else None
    return sender.id if sender else (message.chat_id if message else 0)


def is_group(message: Message) -> bool:
    return message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def replies_to_bot(message: Message, bot: Any) -> bool:
    original = message.reply_to_message
    return bool(original and original.from_user and original.from_user.id == bot.id)


def addressed_text(message: Message, bot: Any) -> str | None:
    """The text meant for the bot, or None in a group when the bot is not addressed.

    In a private chat every message is for the bot; in a group, a message that mentions
    @<bot username> (the mention is removed) or replies to one of the bot's messages.
    """
    text = message.text or ""
    if not is_group(message):
        return text
    username = (bot.username or "").lower()
    mentions = [
        entity
        for entity in message.entities
        if entity.type == MessageEntity.MENTION and _span(text, entity).lower() == f"@{username}"
    ]
    for entity in sorted(mentions, key=lambda e: e.offset, reverse=True):
        text = _cut(text, entity.offset, entity.length)
    if mentions or replies_to_bot(message, bot):
        return text.strip()
    return None


def _span(text: str, entity: MessageEntity) -> str:
    """The text of an entity (UTF-16 offsets); an offset inside a character yields what is whole."""
    units = text.encode("utf-16-le", "surrogatepass")
    start, end = max(entity.offset, 0), max(entity.offset + entity.length, 0)
    return units[2 * start : 2 * end].decode("utf-16-le", "ignore")


def _cut(text: str, offset: int, length: int) -> str:
    """Remove a UTF-16 span (Telegram's offsets count UTF-16 code units); a span that splits a
    character (a forged offset inside an emoji) drops the halves rather than failing."""
    units = text.encode("utf-16-le", "surrogatepass")
    offset, length = max(offset, 0), max(length, 0)
    return (units[: 2 * offset] + units[2 * (offset + length) :]).decode("utf-16-le", "ignore")


# ---------------------------------------------------------------- the application


async def _post_init(app: Application) -> None:
    await app.bot.set_my_commands([BotCommand(name, about) for name, (_, about) in COMMANDS.items()])
    log.info("yibao telegram is up as @%s", app.bot.username)


HEARTBEAT_EVERY = 15.0


async def heartbeat(path: str, every: float = HEARTBEAT_EVERY) -> None:
    """Touch `path` while the event loop runs: the container's health check reads its age."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        target.touch()
        await asyncio.sleep(every)


EXPIRE_EVERY = 3600.0


async def expiring(conversations: Conversations, every: float = EXPIRE_EVERY) -> None:
    """Delete conversations untouched for longer than YIBAO_SESSION_DAYS, once an hour."""
    while True:
        try:
            removed = await asyncio.to_thread(conversations.expire)
            if removed:
                log.info("expired %d old conversations", removed)
        except Exception as exc:  # noqa: BLE001 - housekeeping must not stop the bot
            log.warning("expiring old conversations failed: %s", type(exc).__name__)
        await asyncio.sleep(every)


def _lifecycle(heartbeat_path: str | None, face: TelegramFace):
    """post_init / post_shutdown hooks: the menu, the heartbeat and the hourly expiry."""
    tasks: list[asyncio.Task] = []

    async def start(app: Application) -> None:
        await _post_init(app)
        await face.replay(app)
        if heartbeat_path:
            tasks.append(asyncio.create_task(heartbeat(heartbeat_path)))
        if isinstance(face.conversations, Conversations):
            tasks.append(asyncio.create_task(expiring(face.conversations)))

    async def stop(app: Application) -> None:
        for running in tasks:
            running.cancel()
        await asyncio.to_thread(face.close)

    return start, stop


def build_application(
    config: TelegramConfig,
    face: TelegramFace,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    concurrency: int = CONCURRENCY,
) -> Application:
    """An Application with flood control, network timeouts, the commands menu and the face."""
    started, stopped = _lifecycle(config.heartbeat, face)
    builder = (
        ApplicationBuilder()
        .token(config.token.get_secret_value())
        .rate_limiter(AIORateLimiter(overall_max_rate=config.rate_limit, max_retries=3))
        .concurrent_updates(concurrency)
        .post_init(started)
        .post_shutdown(stopped)
    )
    file_url = config.base_file_url  # never None when api_base_url is set (its shape is checked)
    if config.api_base_url and file_url:
        builder = builder.base_url(config.api_base_url).base_file_url(file_url)
    builder = builder.request(request or AiohttpRequest())
    polling = get_updates_request or AiohttpRequest(connections=1)
    if face.inbox is not None:  # every update kept before the next poll confirms it to Telegram
        polling = InboxRequest(polling, face.inbox)
    builder = builder.get_updates_request(polling)
    app = builder.build()
    face.install(app)
    return app


def webhook_path(url: str) -> str:
    """The path Telegram will post to, taken from the public webhook URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--webhook 应为完整网址（https://…）: {url!r}")
    return parts.path.lstrip("/")


REACH_TIMEOUT = 3.0
BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)


def reachable(config: TelegramConfig, sleep: Callable[[float], None] | None = None) -> bool:
    """Ask the Bot API who we are before starting: a refused token is an InputError (exit 2);
    no answer is one line on standard error within a few seconds, then again after 1, 2, 4 …
    up to 60 s, until it answers (True) or the process is told to stop (False)."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    base = (config.api_base_url or "https://api.telegram.org/bot").rstrip("/")
    url = f"{base}{config.token.get_secret_value()}/getMe"
    try:
        for attempt in itertools.count():
            try:
                with urllib.request.urlopen(url, timeout=REACH_TIMEOUT) as response:  # noqa: S310
                    response.read()
                return True
            except urllib.error.HTTPError as exc:
                if exc.code in (401, 404):
                    raise InputError("Telegram 不认这个 TELEGRAM_BOT_TOKEN（被拒绝），请向 @BotFather 核对") from None
                return True  # it answers; python-telegram-bot handles the rest (flood control, 5xx)
            except (urllib.error.URLError, OSError) as exc:
                wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
                reason = getattr(exc, "reason", exc)
                log.warning(
                    "无法连接 Telegram Bot API（%s），%d 秒后重试",
                    type(reason).__name__ if not isinstance(reason, str) else reason,
                    wait,
                )
                if (sleep or stop.wait)(wait):
                    return False
        return False
    except KeyboardInterrupt:
        return False
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(
    config: TelegramConfig,
    *,
    webhook: str | None = None,
    listen: str = "127.0.0.1",
    port: int = 8443,
    today: dt.date | None = None,
) -> int:
    """Run until SIGINT/SIGTERM: long polling, or a webhook when `webhook` is a public URL."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB 22's future durations, without its warning
    configure_logging(config.token.get_secret_value())
    store = service.open_store(config.store)  # a store that cannot be used: one line, exit code 2
    if not reachable(config):
        return 0  # stopped (SIGTERM / Ctrl+C) while waiting for the Bot API
    conversations = Conversations(store, (lambda: today) if today else dt.date.today)
    requests = AiohttpRequest(), AiohttpRequest(connections=1)
    app = build_application(config, TelegramFace(conversations), request=requests[0], get_updates_request=requests[1])
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        if webhook:
            secret = config.webhook_secret.get_secret_value() if config.webhook_secret else secrets.token_urlsafe(32)
            app.run_webhook(
                listen=listen,
                port=port,
                url_path=webhook_path(webhook),
                webhook_url=webhook,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=-1,
                close_loop=False,
            )
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1, close_loop=False)
    except InvalidToken:
        raise InputError("Telegram 不认这个 TELEGRAM_BOT_TOKEN（被拒绝），请向 @BotFather 核对") from None
    finally:  # a refused token stops the Application before it shuts its requests down itself
        loop.run_until_complete(asyncio.gather(*(request.shutdown() for request in requests)))
        loop.close()
    return 0
