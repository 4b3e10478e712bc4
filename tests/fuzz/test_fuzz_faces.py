"""Fuzz the faces: the Telegram update handler with made-up updates (any text, any entity
offsets, no sender, groups, forged buttons) and the command line's standard input with any
bytes. Nothing raises: no apology from the bot, no traceback, every line answered."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.bench.telegram_fake import FakeBotAPI
from bot.conversation.store import MemoryStore
from bot.telegram.face import SORRY, Conversations
from tests.fuzz.strategies import lines, messages
from tests.telegram.tg_harness import TODAY, make_harness

ids = st.integers(min_value=-(10**13), max_value=10**13)
small = st.integers(min_value=-3, max_value=200)


@st.composite
def updates(draw) -> dict:
    chat_type = draw(st.sampled_from(["private", "group", "supergroup", "channel"]))
    chat_id = draw(ids)
    chat = {"id": chat_id, "type": chat_type}
    body: dict = {"message_id": draw(st.integers(1, 10**6)), "date": 0, "chat": chat}
    if draw(st.booleans()):
        body["from"] = {"id": draw(ids), "is_bot": draw(st.booleans()), "first_name": draw(messages)}
    elif draw(st.booleans()):
        body["sender_chat"] = {"id": draw(ids), "type": "channel"}
    text = draw(messages | st.sampled_from(["/start", "/faq", "/faq 新生儿", "/calc 2025年", "/forget", "/about"]))
    if draw(st.booleans()):
        body["text"] = text
        body["entities"] = [
            {
                "type": draw(st.sampled_from(["mention", "bot_command", "bold"])),
                "offset": draw(small),
                "length": draw(small),
            }
            for _ in range(draw(st.integers(0, 3)))
        ]
    else:
        body["sticker"] = {
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        }
    if draw(st.booleans()):
        body["reply_to_message"] = {
            "message_id": 1,
            "date": 0,
            "chat": chat,
            "from": {"id": 777000111, "is_bot": True, "first_name": "b"},
            "text": "x",
        }
    if draw(st.booleans()):
        return {"message": body}
    data = draw(st.text(max_size=64) | st.sampled_from(["0000+2025", "****=", "****:新生儿", "0000:yes", "abcd-2026"]))
    markup = (
        {"inline_keyboard": [[{"text": draw(messages) or "x", "callback_data": data}]]} if draw(st.booleans()) else None
    )
    message = {**body, "from": {"id": 777000111, "is_bot": True, "first_name": "b"}, "text": "请选择"}
    message.pop("sticker", None)
    if markup:
        message["reply_markup"] = markup
    return {
        "callback_query": {
            "id": "q",
            "chat_instance": "c",
            "data": data,
            "message": message,
            "from": {"id": draw(ids), "is_bot": False, "first_name": "测"},
        }
    }


def test_the_telegram_update_handler_never_fails(caplog):
    caplog.set_level(logging.ERROR, logger="yibao.telegram")
    loop = asyncio.new_event_loop()
    api = FakeBotAPI()
    store = MemoryStore()
    harness = loop.run_until_complete(make_harness(api, Conversations(store, lambda: TODAY), typing_after=5))
    counter = iter(range(1, 10**9))

    @settings(deadline=None)
    @given(updates())
    def handle(update):
        update = {"update_id": next(counter), **update}
        loop.run_until_complete(harness.app.process_update(Update.de_json(update, harness.app.bot)))

    try:
        handle()
    finally:
        loop.run_until_complete(harness.app.shutdown())
        loop.close()
    sent = [call.params.get("text") for call in api.calls_of("sendMessage")]
    assert sent and SORRY not in sent
    assert "update failed" not in caplog.text


@pytest.mark.parametrize("command", [["ask", "--json"], ["faq"], ["chat", "--json", "--store", "memory"]])
@settings(max_examples=4, deadline=None)
@given(batch=st.lists(lines, min_size=1, max_size=40))
def test_standard_input_of_any_bytes_is_answered_line_by_line(command, batch):
    stdin = b"\n".join(batch) + b"\n"
    p = subprocess.run(
        [sys.executable, "-m", "bot", *command, "--today", "2026-11-22"]
        if command[0] != "faq"
        else [sys.executable, "-m", "bot", *command],
        input=stdin,
        capture_output=True,
        timeout=120,
    )
    assert p.returncode == 0 and b"Traceback" not in p.stderr, p.stderr[-500:]
    out = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]
    if command[0] in ("ask", "faq"):
        assert len(out) == len(batch)
    else:
        assert len(out) >= len(batch)
