"""An HTTP client on the application, with its conversations in a SQLite file of the test's own."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.http.app import create_app
from bot.conversation.store import SQLiteStore


@pytest.fixture
def db(tmp_path):
    return tmp_path / "sessions.db"


@pytest.fixture
def store(db):
    s = SQLiteStore(db)
    yield s
    s.close()


@pytest.fixture
def client(store):
    with TestClient(create_app(store)) as c:
        yield c
