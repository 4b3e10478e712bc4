"""AiohttpRequest: the Bot API calls of the real bot, against the fake server on 127.0.0.1."""

from __future__ import annotations

import socket

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.bench.telegram_fake import FakeBotAPI, FakeServer
from bot.telegram.face import AiohttpRequest
from tg_harness import TOKEN


@pytest.fixture
async def server():
    running = await FakeServer(FakeBotAPI(max_poll=5.0), token=TOKEN).start()
    yield running
    await running.stop()


@pytest.fixture
async def request_():
    request = AiohttpRequest(connections=2)
    await request.initialize()
    yield request
    await request.shutdown()


def _data(**params) -> RequestData:
    return RequestData([RequestParameter.from_input(key, value) for key, value in params.items()])


async def test_messages_and_keyboards_reach_the_server_over_one_kept_alive_connection(server):
    bot = Bot(TOKEN, base_url=server.base_url, request=AiohttpRequest(), get_updates_request=AiohttpRequest())
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("✅ 2025", callback_data="ab12+year:2025")]])
    async with bot:
        for n in range(5):
            sent = await bot.send_message(42, f"第{n}条 <b>消息</b>", parse_mode="HTML", reply_markup=markup)
            assert sent.text == f"第{n}条 消息"
    messages = server.api.sent_to(42)
    assert [m["text"] for m in messages] == [f"第{n}条 消息" for n in range(5)]
    assert messages[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ab12+year:2025"
    assert [c.method for c in server.api.calls] == ["getMe"] + ["sendMessage"] * 5
    assert len(server.peers) == 1  # getMe and the five messages shared one connection


async def test_a_file_goes_as_multipart_with_the_other_parameters(server, request_):
    url = f"{server.base_url}{TOKEN}/sendMessage"
    data = _data(chat_id=7, text="附件说明", document=InputFile(b"%PDF-1.4", filename="a.pdf"))
    assert data.contains_files
    status, _ = await request_.do_request(url, "POST", data)
    assert status == 200
    assert server.api.sent_to(7)[0]["text"] == "附件说明"


async def test_a_server_that_keeps_quiet_past_the_read_timeout_is_timed_out(server, request_):
    url = f"{server.base_url}{TOKEN}/getUpdates"
    with pytest.raises(TimedOut):
        await request_.do_request(url, "POST", _data(timeout=3), read_timeout=0.2)


async def test_a_refused_connection_is_a_network_error(request_):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError) as caught:
        await request_.do_request(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", "POST")
    assert not isinstance(caught.value, TimedOut)
    assert TOKEN not in str(caught.value)


async def test_an_error_that_names_the_url_does_not_repeat_the_token(request_):
    with pytest.raises(NetworkError) as caught:
        await request_.do_request(f"http://[::1/bot{TOKEN}/getMe", "POST")  # a broken URL
    assert TOKEN not in str(caught.value)


async def test_a_proxy_named_in_the_environment_carries_the_calls(server, monkeypatch):
    proxy = server.base_url.removesuffix("/bot")  # the fake server stands in for the proxy
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    request = AiohttpRequest()
    await request.initialize()
    try:
        status, body = await request.do_request(f"http://api.telegram.invalid/bot{TOKEN}/getMe", "POST")
    finally:
        await request.shutdown()
    assert status == 200 and b"yibao_test_bot" in body
    assert [c.method for c in server.api.calls] == ["getMe"]
