"""Helpers for driving whole conversations through the dialogue manager."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from bot.conversation.dialogue import respond
from bot.conversation.state import State
from bot.models import Reply
from tests.shared_files import shared

HERE = Path(__file__).parent
DEV_DIALOGUES = shared("eval", "dev-dialogues.yaml")


def norm(text: str) -> str:
    """As the project's scorer reads a reply: NFKC, thousands separators dropped."""
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=\d)[,，\s](?=\d{3})", "", t)


def missing(text: str, groups: list[list[str]]) -> list[list[str]]:
    t = norm(text)
    return [g for g in groups if not any(norm(str(alt)) in t for alt in g)]


class Talk:
    """One conversation held with the manager, turn by turn, the state carried along."""

    def __init__(self, today: dt.date | str) -> None:
        self.today = today if isinstance(today, dt.date) else dt.date.fromisoformat(str(today))
        self.state: State | None = None
        self.replies: list[list[Reply]] = []

    def say(self, message: str) -> list[Reply]:
        replies, self.state = respond(self.state, message, self.today)
        self.replies.append(replies)
        return replies

    def text(self, message: str) -> str:
        return "\n".join(r.text for r in self.say(message))

    def seen(self) -> str:
        """Everything the person was shown (as the project's scorer reads a conversation)."""
        return "\n".join(r.text for turn in self.replies for r in turn)


@pytest.fixture
def talk():
    return Talk


def conversations() -> list[dict]:
    return yaml.safe_load((HERE / "conversations.yaml").read_text(encoding="utf-8"))["conversations"]
