"""Fixtures for the Telegram face tests."""

from __future__ import annotations

import os

import pytest

from bot.bench.telegram_fake import FakeBotAPI
from tg_harness import Scripted, make_harness

os.environ.setdefault("PTB_TIMEDELTA", "1")  # as `yibao telegram` runs: PTB 22's future durations


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
