"""An HTTP client on the application, with its conversations in a SQLite file of the test's own.

The client speaks to the app as http://localhost (an allowed host); its limits are raised out
of the way, except in the tests about limits, which make their own settings.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.conversation.store import SQLiteStore
from bot.http.app import create_app
from bot.http.settings import HttpSettings, Limits

BASE = "http://localhost"
ROOMY = HttpSettings(
    local_limits=Limits(requests_per_minute=10**6, sessions_per_hour=10**6), ip_requests_per_minute=10**6
)


def client_on(app, **kwargs) -> TestClient:
    return TestClient(app, base_url=BASE, **kwargs)


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
    with client_on(create_app(store, ROOMY)) as c:
        yield c
