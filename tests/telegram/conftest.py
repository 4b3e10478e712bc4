"""Fixtures for the Telegram face tests."""
from __future__ import annotations

import pytest

from bot.telegram_fake import FakeBotAPI
from tg_harness import Scripted, make_harness


@pytest.fixture
def api() -> FakeBotAPI:
    return FakeBotAPI()


@pytest.fixture
async def scripted_bot(api):
    """(harness, scripted conversations); the test sets `conversations.queue`."""
    conversations = Scripted()
    harness = await make_harness(api, conversations)
    yield harness, conversations
    await harness.app.shutdown()
