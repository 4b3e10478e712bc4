"""The inbox in process: a duplicate update is answered once, a failing store gets "请稍后再试"
and leaves the update to be answered later, what is kept holds no names or numbers, and odd
updates (no sender, a mention splitting an emoji, forged buttons) get no apology."""

from __future__ import annotations

import json

from telegram import Update

from bot.conversation.session import STORE_DOWN
from bot.conversation.store import SQLiteStore, StoreError
from bot.telegram.face import EXPIRED, SORRY, Conversations, Incoming, session_key
from bot.telegram.inbox import keep
from bot.telegram.render import state_version
from tg_harness import TODAY, make_harness, manager_texts


class Failing(SQLiteStore):
    def commit(self, *args, **kwargs):
        raise StoreError("会话存储写入失败（磁盘已满）")

    def inbox_done(self, *args, **kwargs):
        raise StoreError("会话存储写入失败（磁盘已满）")


async def _bot(api, store):
    return await make_harness(api, Conversations(store, lambda: TODAY))


async def test_the_same_update_twice_is_answered_once(api, tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    h = await _bot(api, store)
    try:
        update = {"update_id": 9001, "message": api.message(42, 7, "我断了两年，要等多久才能报销？")}
        keep(store, [update])
        for _ in range(2):
            await h.app.process_update(Update.de_json(update, h.app.bot))
        assert h.texts() == manager_texts(["我断了两年，要等多久才能报销？"])
        assert store.load(session_key(42, 7)).turns == 1
        assert store.inbox_pending() == [] and store.inbox_get(9001).done
    finally:
        await h.app.shutdown()


async def test_a_committed_turn_whose_replies_were_lost_is_sent_on_restart_not_turned_again(api, tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    update = {"update_id": 9100, "message": api.message(42, 7, "新生儿怎么参保？")}
    keep(store, [update])
    conversations = Conversations(store, lambda: TODAY)
    conversations.turn(session_key(42, 7), "新生儿怎么参保？", Incoming(9100, 42))  # killed before sending
    h = await _bot(api, store)
    try:
        assert await h.face.replay(h.app) == 1
        assert h.texts() == manager_texts(["新生儿怎么参保？"])
        assert store.load(session_key(42, 7)).turns == 1 and store.inbox_pending() == []
    finally:
        await h.app.shutdown()


async def test_a_store_failing_mid_conversation_says_try_later_and_keeps_the_update_pending(api, tmp_path):
    store = Failing(tmp_path / "s.db")
    update = {"update_id": 9200, "message": api.message(42, 7, "新生儿怎么参保？")}
    keep(store, [update])
    h = await _bot(api, store)
    try:
        await h.app.process_update(Update.de_json(update, h.app.bot))
        assert h.texts() == [STORE_DOWN]
        assert [item.update_id for item in store.inbox_pending()] == [9200]
    finally:
        await h.app.shutdown()


def test_what_the_inbox_keeps_has_no_names_and_no_numbers(api, tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    message = api.message(42, 7, "我叫王小明，身份证 500101 19900101 1234，电话13812345678")
    message["from"].update(first_name="小明", last_name="王", username="wxm")
    keep(store, [{"update_id": 1, "message": message}])
    kept = store.inbox_get(1).payload
    for secret in ("王小明", "小明", "wxm", "1990", "13812345678"):
        assert secret not in kept
    text = json.loads(kept)["message"]["text"]
    assert len(text) == len(message["text"])  # entity offsets still point at the same places


async def test_odd_updates_get_no_apology(scripted_bot):
    h, conv = scripted_bot
    api = h.api
    anonymous = api.message(-100, 7, "@yibao_test_bot 新生儿怎么参保", chat_type="supergroup")
    del anonymous["from"]
    anonymous["sender_chat"] = {"id": -100, "type": "supergroup", "title": "群"}
    anonymous["entities"] = [{"type": "mention", "offset": 0, "length": 15}]
    await h.feed({"message": anonymous})
    split = api.message(-100, 8, "😀@yibao_test_bot 你好", chat_type="supergroup")
    split["entities"] = [{"type": "mention", "offset": 1, "length": 16}]
    await h.feed({"message": split})
    bot_message = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": 42, "type": "private"},
        "from": api.bot_user,
        "text": "请选择",
    }
    for forged in ("0000+2025", "****+2025", "****=", "0000=", "zz", "****-2025", "0000:" + "x" * 60):
        await h.tap(bot_message, forged)
    current = state_version(str(conv.turns))  # a button of the current state, its label not text
    button = {"text": "\ud800年", "callback_data": f"{current}:x"}
    labelled = {**bot_message, "reply_markup": {"inline_keyboard": [[button]]}}
    await h.tap(labelled, f"{current}:x")
    texts = [m["text"] for chat in (42, -100) for m in api.sent_to(chat)]
    assert SORRY not in texts
    assert conv.received == [
        (session_key(-100, -100), "新生儿怎么参保"),
        (session_key(-100, 8), "你好"),
        (session_key(42, 7), "x"),
    ]
    assert all(a.get("text") == EXPIRED for a in h.answers()[:6])


async def test_no_log_line_holds_what_was_typed_or_who_typed_it(api, tmp_path, caplog):
    import logging

    caplog.set_level(logging.INFO)  # the level `yibao telegram` logs at (bot.telegram.face.configure_logging)
    store = Failing(tmp_path / "s.db")  # so that the turn fails and is logged
    h = await _bot(api, store)
    try:
        message = api.message(42, 7, "我叫王小明，身份证 500101 19900101 1234，电话13812345678，封顶线多少")
        message["from"].update(first_name="小明", username="wxm")
        update = {"update_id": 9300, "message": message}
        keep(store, [update])
        await h.app.process_update(Update.de_json(update, h.app.bot))
        assert h.texts()
    finally:
        await h.app.shutdown()
    assert "store failed during a turn" in caplog.text
    for secret in ("王小明", "小明", "wxm", "500101", "1990", "13812345678", "封顶线多少"):
        assert secret not in caplog.text


async def test_a_kept_update_that_cannot_be_read_does_not_stop_the_start(api, tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.inbox_add(9400, 42, "{not json")
    keep(store, [{"update_id": 9401, "message": api.message(42, 7, "你好")}])
    h = await _bot(api, store)
    try:
        assert await h.face.replay(h.app) == 2
        assert h.texts() == manager_texts(["你好"]) and store.inbox_pending() == []
    finally:
        await h.app.shutdown()
