"""The face fed Update objects as Telegram delivers them, answered by an in-process fake API.

The replies here are chosen by each test (the face must render whatever the manager says);
conversations through the real dialogue manager are in test_conversations.py and
test_end_to_end.py.
"""

from __future__ import annotations

import asyncio
import copy
import logging

from bot.models import Option, Reply
from bot.telegram.face import EXPIRED, NOT_YOURS, SORRY, TEXT_ONLY, _post_init
from tg_harness import TOKEN, Scripted, buttons, data_of, make_harness

YEARS = Reply(
    text="2024年到2026年，哪几年交了重庆城乡居民医保？可以多选。",
    multi_select=True,
    options=[
        Option(label="2024年", value="year:2024"),
        Option(label="2025年", value="year:2025"),
        Option(label="2026年", value="year:2026"),
        Option(label="都交了", value="years:all"),
    ],
)


async def test_a_question_gets_the_managers_reply_for_this_chat_and_person(scripted_bot):
    h, conv = scripted_bot
    conv.queue = [[Reply(text="封顶线是 <24万> & 更多"), Reply(text="还有什么想问的吗？")]]
    await h.say("我的封顶线是多少", chat_id=42, user_id=7)
    assert conv.received == [("tg:42:7", "我的封顶线是多少")]
    assert h.texts() == ["封顶线是 <24万> & 更多", "还有什么想问的吗？"]
    assert all(m["html"] != m["text"] for m in h.sent()[:1])


async def test_yes_no_buttons_send_their_value_and_the_message_shows_the_choice(scripted_bot):
    h, conv = scripted_bot
    conv.queue = [
        [
            Reply(
                text="我理解的是：2025年参保。对吗？",
                options=[Option(label="对", value="yes"), Option(label="不对", value="no")],
            )
        ],
        [Reply(text="您的封顶线是 …")],
    ]
    await h.say("算封顶线")
    question = h.sent()[0]
    assert [label for label, _ in buttons(question)] == ["对", "不对"]
    await h.tap(question, data_of(question, "对"))
    assert conv.received[-1] == ("tg:42:7", "yes")
    edited = h.sent()[0]
    assert edited["text"] == "我理解的是：2025年参保。对吗？\n\n👉 对"
    assert "reply_markup" not in edited
    assert h.texts()[-1] == "您的封顶线是 …"
    assert len(h.answers()) == 1


async def test_years_are_ticked_in_place_then_confirmed_as_one_message(scripted_bot):
    h, conv = scripted_bot
    conv.queue = [[YEARS], [Reply(text="好的，记下了。")]]
    await h.say("算封顶线")
    question = h.sent()[0]
    await h.tap(question, data_of(question, "2024年"))
    question = h.sent()[0]
    await h.tap(question, data_of(question, "2026年"))
    question = h.sent()[0]
    assert [label for label, _ in buttons(question)][:3] == ["✅ 2024年", "2025年", "✅ 2026年"]
    assert len(h.api.calls_of("editMessageReplyMarkup")) == 2
    assert len(conv.received) == 1  # ticking is not a turn
    await h.tap(question, data_of(question, "确认"))
    assert conv.received[-1] == ("tg:42:7", "years:2024,2026")
    assert h.sent()[0]["text"].endswith("👉 2024年、2026年")
    assert h.texts()[-1] == "好的，记下了。"
    assert len(h.answers()) == 3


async def test_two_quick_ticks_on_the_same_keyboard_both_count(scripted_bot):
    h, conv = scripted_bot
    conv.queue = [[YEARS]]
    await h.say("算封顶线")
    snapshot = copy.deepcopy(h.sent()[0])  # both taps carry the keyboard as first shown
    await h.tap(snapshot, data_of(snapshot, "2024年"))
    await h.tap(snapshot, data_of(snapshot, "2025年"))
    assert [label for label, _ in buttons(h.sent()[0])][:3] == ["✅ 2024年", "✅ 2025年", "2026年"]
    await h.tap(snapshot, data_of(snapshot, "确认"))
    assert conv.received[-1] == ("tg:42:7", "years:2024,2025")


async def test_confirming_with_nothing_ticked_says_none(scripted_bot):
    h, conv = scripted_bot
    conv.queue = [[YEARS]]
    await h.say("算封顶线")
    await h.tap(h.sent()[0], data_of(h.sent()[0], "确认"))
    assert conv.received[-1] == ("tg:42:7", "years:none")


async def test_all_years_button_is_sent_at_once(scripted_bot):
    h, conv = scripted_bot
    conv.queue = [[YEARS]]
    await h.say("算封顶线")
    await h.tap(h.sent()[0], data_of(h.sent()[0], "都交了"))
    assert conv.received[-1] == ("tg:42:7", "years:all")


async def test_a_button_from_an_older_message_only_gets_a_toast(scripted_bot):
    h, conv = scripted_bot
    conv.queue = [
        [Reply(text="对吗？", options=[Option(label="对", value="yes")])],
        [Reply(text="您想了解哪一项？", options=[Option(label="封顶线", value="task:my_cap")])],
    ]
    await h.say("第一句")
    old = h.sent()[0]
    await h.say("第二句")
    calls_before = len(h.api.calls)
    await h.tap(old, data_of(old, "对"))
    assert [c.method for c in h.api.calls[calls_before:]] == ["answerCallbackQuery"]
    assert h.answers()[-1]["text"] == EXPIRED
    assert [m for _, m in conv.received] == ["第一句", "第二句"]


async def test_callback_data_this_face_did_not_write_is_refused_politely(scripted_bot):
    h, conv = scripted_bot
    await h.say("你好")
    await h.tap(h.sent()[0], "something-else")
    assert h.answers()[-1]["text"] == EXPIRED
    assert len(conv.received) == 1


async def test_stickers_photos_voice_locations_documents_get_one_polite_line(scripted_bot):
    h, conv = scripted_bot
    extras = [
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}},
        {"location": {"latitude": 29.56, "longitude": 106.55}},
        {"document": {"file_id": "d", "file_unique_id": "d", "file_name": "病历.pdf"}},
    ]
    for extra in extras:
        await h.say(None, **extra)
    assert h.texts() == [TEXT_ONLY] * len(extras)
    assert conv.received == []


async def test_an_edited_message_is_ignored_on_purpose(scripted_bot):
    h, conv = scripted_bot
    message = h.api.message(42, 7, "2025年交了", edit_date=1_800_000_000)
    await h.feed({"edited_message": message})
    assert conv.received == []
    assert h.sent() == []


async def test_in_a_group_only_messages_addressed_to_the_bot_are_answered(scripted_bot):
    h, conv = scripted_bot
    group = {"chat_id": -100, "chat_type": "supergroup"}
    await h.say("大家好", **group)
    assert h.sent(-100) == []
    mention = "@yibao_test_bot 新生儿怎么参保"
    await h.say(mention, entities=[{"type": "mention", "offset": 0, "length": 15}], **group)
    assert conv.received == [("tg:-100:7", "新生儿怎么参保")]
    bot_message = h.sent(-100)[0]
    assert h.api.calls_of("sendMessage")[-1].params["reply_parameters"]["message_id"] > 0
    await h.say("那学生呢", reply_to_message=bot_message, **group)
    assert conv.received[-1] == ("tg:-100:7", "那学生呢")
    await h.say("/calc", **group)
    assert conv.received[-1] == ("tg:-100:7", "我想算一下我的大病保险封顶线")
    await h.say("@someone_else 你好", entities=[{"type": "mention", "offset": 0, "length": 13}], **group)
    await h.say(
        None,
        sticker={
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        },
        **group,
    )
    assert len(conv.received) == 3
    assert len(h.sent(-100)) == 3


async def test_in_a_group_a_persons_buttons_are_not_for_others(scripted_bot):
    h, conv = scripted_bot
    conv.queue = [[Reply(text="对吗？", options=[Option(label="对", value="yes")])]]
    await h.say("/calc", chat_id=-100, chat_type="group", user_id=7)
    question = h.sent(-100)[0]
    asked = h.api.message(-100, 7, "/calc", chat_type="group")
    question["reply_to_message"] = asked
    await h.tap(question, data_of(question, "对"), user_id=8)
    assert h.answers()[-1]["text"] == NOT_YOURS
    assert len(conv.received) == 1
    await h.tap(question, data_of(question, "对"), user_id=7)
    assert conv.received[-1] == ("tg:-100:7", "yes")
    assert h.api.calls_of("sendMessage")[-1].params["reply_parameters"]["message_id"] == asked["message_id"]


async def test_commands_send_the_managers_own_words(scripted_bot):
    h, conv = scripted_bot
    for command in ("/start", "/help", "/calc", "/reset", "/forget"):
        await h.say(command)
    assert [m for _, m in conv.received] == ["帮助", "帮助", "我想算一下我的大病保险封顶线", "重新开始", "忘记我"]
    await h.say("/calc 2025年交了")
    assert conv.received[-1][1] == "我想算一下我的大病保险封顶线，2025年交了"


async def test_faq_without_a_query_explains_how_to_ask(scripted_bot):
    h, conv = scripted_bot
    await h.say("/faq")
    assert "/faq 新生儿怎么参保" in h.texts()[-1]


async def test_menu_lists_every_command(scripted_bot):
    h, _ = scripted_bot
    await _post_init(h.app)
    (call,) = h.api.calls_of("setMyCommands")
    assert [c["command"] for c in call.params["commands"]] == [
        "start",
        "help",
        "calc",
        "faq",
        "reset",
        "forget",
        "about",
    ]


async def test_a_long_reply_arrives_in_pieces_with_buttons_under_the_last(scripted_bot):
    h, conv = scripted_bot
    text = "第一条规定很长。" * 1200
    conv.queue = [[Reply(text=text, options=[Option(label="好", value="ok")])]]
    await h.say("说说")
    sent = h.sent()
    assert len(sent) == 3
    assert "".join(m["text"] for m in sent) == text
    assert ["reply_markup" in m for m in sent] == [False, False, True]


async def test_typing_is_shown_while_a_slow_answer_is_worked_out(api):
    class Slow:
        def turn(self, key, message):
            import time

            time.sleep(0.3)
            return [Reply(text="好了")], "0000"

        def version(self, key):
            return "0000"

    h = await make_harness(api, Slow(), typing_after=0.05)
    try:
        await h.say("算一下")
    finally:
        await h.app.shutdown()
    methods = [c.method for c in api.calls if c.method in ("sendChatAction", "sendMessage")]
    assert methods == ["sendChatAction", "sendMessage"]
    assert api.calls_of("sendChatAction")[0].params["action"] == "typing"


async def test_a_quick_answer_needs_no_typing_indicator(api):
    h = await make_harness(api, Scripted(), typing_after=5.0)
    try:
        await h.say("你好")
    finally:
        await h.app.shutdown()
    assert h.texts() == ["收到：你好"]
    assert api.calls_of("sendChatAction") == []


async def test_two_fast_taps_in_one_chat_are_handled_one_after_the_other(api):
    class Counting:
        def __init__(self):
            self.active: dict[str, int] = {}
            self.most: dict[str, int] = {}
            self.order: list[str] = []

        def turn(self, key, message):
            import time

            self.active[key] = self.active.get(key, 0) + 1
            self.most[key] = max(self.most.get(key, 0), self.active[key])
            time.sleep(0.05)
            self.order.append(message)
            self.active[key] -= 1
            return [Reply(text=message)], "0000"

        def version(self, key):
            return "0000"

    conv = Counting()
    h = await make_harness(api, conv)
    try:
        await asyncio.gather(*(h.say(f"第{i}句") for i in range(5)), h.say("别人", chat_id=43))
    finally:
        await h.app.shutdown()
    assert conv.most["tg:42:7"] == 1
    assert [m for m in conv.order if m != "别人"] == [f"第{i}句" for i in range(5)]
    assert h.texts() == [f"第{i}句" for i in range(5)]


async def test_a_failing_turn_gets_an_apology_and_the_bot_keeps_answering(api, caplog):
    class Flaky:
        calls = 0

        def turn(self, key, message):
            Flaky.calls += 1
            if Flaky.calls == 1:
                raise RuntimeError(f"broken on {message}")
            return [Reply(text="这次好了")], "0000"

        def version(self, key):
            return "0000"

    h = await make_harness(api, Flaky())
    try:
        with caplog.at_level(logging.ERROR):
            await h.say("我的身份证是500101199001011234", chat_id=4242)
            await h.say("再试一次", chat_id=4242)
    finally:
        await h.app.shutdown()
    assert h.texts(4242) == [SORRY, "这次好了"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged
    assert "500101199001011234" not in logged and "4242" not in logged


async def test_too_many_requests_is_waited_out_and_the_reply_still_arrives(scripted_bot):
    h, conv = scripted_bot
    h.api.fail_once["sendMessage"] = 1
    await h.say("你好")
    assert h.texts() == ["收到：你好"]
    assert len(h.api.calls_of("sendMessage")) == 2


async def test_a_network_error_while_sending_is_tried_again(scripted_bot):
    h, conv = scripted_bot
    h.api.network_error_once.add("sendMessage")
    await h.say("你好")
    assert h.texts() == ["收到：你好"]


def test_token_never_appears_in_a_log_line(caplog):
    from bot.telegram.face import configure_logging

    root = logging.getLogger()
    handler = logging.StreamHandler()
    root.addHandler(handler)
    try:
        mask = configure_logging(TOKEN)
        records = []
        handler.emit = records.append  # what reaches the handler after its filters
        logging.getLogger("telegram.ext").warning("POST https://api.telegram.org/bot%s/getMe failed", TOKEN)
        try:
            raise ConnectionError(f"https://api.telegram.org/bot{TOKEN}/sendMessage")
        except ConnectionError:
            logging.getLogger("telegram.ext").exception("network trouble")
        assert len(records) == 2
        assert all(TOKEN not in r.getMessage() for r in records)
        assert "bot<token>/getMe" in records[0].getMessage()
        assert "bot<token>/sendMessage" in records[1].getMessage()
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    finally:
        root.removeHandler(handler)
        for h in root.handlers:
            h.removeFilter(mask)


async def test_the_heartbeat_file_is_touched_while_the_bot_runs(tmp_path):
    from bot.telegram.face import heartbeat

    path = tmp_path / "run" / "heartbeat"
    task = asyncio.create_task(heartbeat(str(path), every=0.01))
    await asyncio.sleep(0.05)
    first = path.stat().st_mtime_ns
    await asyncio.sleep(0.05)
    task.cancel()
    assert path.stat().st_mtime_ns > first
