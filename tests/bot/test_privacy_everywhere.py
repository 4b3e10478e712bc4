"""ID-card numbers (18 or 15 digits, whole or in groups), phone numbers and "我是/我叫 + name"
get the privacy notice in every face, `ask` included, and are never kept."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from bot.conversation import privacy
from bot.conversation.session import turn
from bot.conversation.store import MemoryStore

PERSONAL = [
    "500101199001011234",
    "500101 19900101 1234",
    "500101-1990-0101-123X",
    "500101900101123",
    "13812345678",
    "138 1234 5678",
    "我是王五",
    "我是王五，我2025年没交",
    "我叫李四",
]
NOT_PERSONAL = [
    "我是学生",
    "我是2025年参保的",
    "我是低保户",
    "我是新生儿家长",
    "2025 2026 2027 2028 2029年都交了",
    "封顶线是200000元",
]


@pytest.mark.parametrize("text", PERSONAL)
def test_personal_data_is_found(text):
    assert privacy.personal(text)


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_ordinary_sentences_are_not_taken_for_personal_data(text):
    assert privacy.personal(text) == []


@pytest.mark.parametrize("text", PERSONAL)
def test_chat_shows_the_notice_and_keeps_nothing_of_it(text):
    store = MemoryStore()
    replies = turn(store, "cli:p", text, dt.date(2026, 11, 22))
    assert replies[0].text == privacy.NOTICE
    kept = store.raw("cli:p") or ""
    assert "王五" not in kept and "李四" not in kept and "1234" not in kept and "5678" not in kept


@pytest.mark.parametrize("text", ["500101 19900101 1234", "500101900101123", "13812345678", "我是王五"])
def test_ask_shows_the_notice_even_for_a_message_that_is_only_personal_data(text):
    p = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", text], capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 0 and json.loads(p.stdout)["answer"].startswith(privacy.NOTICE)
