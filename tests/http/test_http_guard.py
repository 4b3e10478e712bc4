"""What stands before the routes: allowed hosts, API keys with a namespace each, rate and session
limits, security headers on every response, HEAD, the body cap, offline docs and /metrics."""

from __future__ import annotations

import logging
import re

import pytest

from bot.conversation.store import MemoryStore
from bot.http.app import create_app
from bot.http.logs import Summary
from bot.http.settings import HttpSettings, Limits, SettingsError, key_digest, parse_keys
from tests.http.conftest import ROOMY, client_on

KEY_A, KEY_B = "a" * 12 + "0123456789ab", "b" * 12 + "0123456789ab"
HISTORY = "我2025年和2026年都在重庆交了居民医保，2025年一次都没报销，2026年的封顶线是多少"


def keyed(**limits) -> HttpSettings:
    clients = parse_keys(f"desk-a {KEY_A}\ndesk-b {KEY_B} " + " ".join(f"{k}={v}" for k, v in limits.items()))
    return HttpSettings(clients=clients, ip_requests_per_minute=10**6)


@pytest.fixture
def keyed_client():
    with client_on(create_app(MemoryStore(), keyed())) as c:
        yield c


# ---------- hosts ----------


def test_a_foreign_host_header_is_refused_on_every_route(client):
    for path in ("/", "/healthz", "/api/faq?q=断保", "/docs"):
        response = client.get(path, headers={"host": "attacker.example"})
        assert response.status_code == 400, path
        assert response.json() == {"detail": "不接受这个主机名（Host）：请用服务配置的地址访问"}
    assert client.get("/healthz", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/healthz", headers={"host": "[::1]:8000"}).status_code == 200


def test_a_configured_host_name_is_accepted():
    settings = ROOMY.model_copy(update={"allowed_hosts": ["localhost", "yibao.example.org"]})
    with client_on(create_app(MemoryStore(), settings)) as c:
        assert c.get("/healthz", headers={"host": "yibao.example.org"}).status_code == 200
        assert c.get("/healthz", headers={"host": "evil.example.org"}).status_code == 400


# ---------- API keys ----------


def test_with_keys_configured_api_routes_need_a_known_key(keyed_client):
    missing = keyed_client.get("/api/faq", params={"q": "断保"})
    assert missing.status_code == 401
    assert missing.json() == {"detail": "缺少接口密钥：请在请求头 X-API-Key 中提供"}
    wrong = keyed_client.get("/api/faq", params={"q": "断保"}, headers={"X-API-Key": "c" * 24})
    assert wrong.status_code == 401 and wrong.json() == {"detail": "接口密钥无效"}
    assert wrong.headers["www-authenticate"].startswith("ApiKey")
    assert keyed_client.get("/metrics").status_code == 401
    ok = keyed_client.get("/api/faq", params={"q": "断保"}, headers={"X-API-Key": KEY_A})
    assert ok.status_code == 200 and ok.json()["hits"]


def test_health_the_console_and_the_docs_need_no_key(keyed_client):
    for path in ("/healthz", "/", "/docs", "/redoc", "/openapi.json", "/docs-assets/swagger-ui.css"):
        assert keyed_client.get(path).status_code == 200, path


def test_each_client_has_its_own_sessions(keyed_client):
    started = keyed_client.post("/api/chat", json={"message": HISTORY}, headers={"X-API-Key": KEY_A})
    session = started.json()["session"]
    assert "204,000元" in started.json()["replies"][-1]["text"]  # told whole: the figure at once
    other = keyed_client.post("/api/chat", json={"session": session, "message": "依据"}, headers={"X-API-Key": KEY_B})
    assert other.status_code == 404
    assert keyed_client.delete(f"/api/chat/{session}", headers={"X-API-Key": KEY_B}).status_code == 404
    own = keyed_client.post("/api/chat", json={"session": session, "message": "依据"}, headers={"X-API-Key": KEY_A})
    assert own.status_code == 200 and "逐年封顶线" in own.json()["replies"][0]["text"]


def test_a_keys_file_keeps_only_digests_and_refuses_weak_or_repeated_keys():
    (client,) = parse_keys("# 坐席\ndesk-a  " + KEY_A + "  sessions_per_hour=5\n")
    assert client.key_digest == key_digest(KEY_A) and KEY_A not in client.model_dump_json()
    assert client.limits.sessions_per_hour == 5
    for text, said in (
        (f"desk {'x' * 10}", "密钥太短"),
        (f"a {KEY_A}\nb {KEY_A}", "同一个密钥"),
        (f"a {KEY_A}\na {KEY_B}", "名称重复"),
        (f"a {KEY_A} speed=9", "不认识的限额"),
        (f"A! {KEY_A}", "名称只能"),
    ):
        with pytest.raises(SettingsError, match=said):
            parse_keys(text)


# ---------- limits ----------


def test_too_many_requests_from_one_client_get_429_with_retry_after():
    settings = HttpSettings(local_limits=Limits(requests_per_minute=6), ip_requests_per_minute=10**6)
    with client_on(create_app(MemoryStore(), settings)) as c:
        statuses = [c.get("/api/faq", params={"q": "断保"}).status_code for _ in range(3)]
        assert statuses == [200, 429, 429]  # a burst of 10 seconds' worth: one request
        refused = c.get("/api/faq", params={"q": "断保"})
        assert refused.json()["detail"].startswith("请求太频繁，请") and int(refused.headers["retry-after"]) >= 1
        assert c.get("/healthz").status_code == 200, "health checks are never limited"


def test_too_many_requests_from_one_address_get_429_whatever_the_client():
    settings = keyed().model_copy(update={"ip_requests_per_minute": 12})
    with client_on(create_app(MemoryStore(), settings)) as c:
        statuses = [
            c.get("/api/faq", params={"q": "断保"}, headers={"X-API-Key": key}).status_code
            for key in (KEY_A, KEY_B, KEY_A, KEY_B)
        ]
        assert statuses == [200, 200, 429, 429]


def test_sessions_per_client_and_hour_are_bounded_with_a_clear_429():
    settings = HttpSettings(local_limits=Limits(sessions_per_hour=3), ip_requests_per_minute=10**6)
    with client_on(create_app(MemoryStore(), settings)) as c:
        sessions = [c.post("/api/chat", json={"message": "你好"}).json()["session"] for _ in range(3)]
        refused = c.post("/api/chat", json={"message": "你好"})
        assert refused.status_code == 429
        assert refused.json()["detail"].startswith("本小时新开的会话已达上限（3个）")
        assert int(refused.headers["retry-after"]) > 0
        going_on = c.post("/api/chat", json={"session": sessions[0], "message": "断保"})
        assert going_on.status_code == 200, "a session already started goes on"


# ---------- headers, HEAD, body cap ----------


def test_every_response_carries_the_security_headers(client):
    responses = [
        client.get("/"),
        client.get("/healthz"),
        client.get("/api/faq", params={"q": "断保"}),
        client.post("/api/ask", json={}),
        client.get("/api/nothing"),
        client.get("/docs"),
        client.get("/healthz", headers={"host": "attacker.example"}),
        client.get("/metrics"),
    ]
    for response in responses:
        h = response.headers
        assert h["x-content-type-options"] == "nosniff", response.url
        assert "frame-ancestors 'none'" in h["content-security-policy"], response.url
        assert h["referrer-policy"] == "no-referrer" and h["x-frame-options"] == "DENY", response.url


def test_head_answers_wherever_get_does_without_a_body(client):
    for path in ("/", "/healthz", "/api/faq?q=断保", "/docs", "/openapi.json", "/metrics"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"], path
    assert client.head("/api/ask").status_code == 405


def test_a_body_over_the_cap_is_refused_on_every_route(client):
    big = b"x" * (HttpSettings().max_body + 1)
    for method, path in (
        ("POST", "/api/chat"),
        ("POST", "/api/calc"),
        ("DELETE", "/api/chat/abc"),
        ("GET", "/api/faq?q=a"),
        ("POST", "/nothing"),
    ):
        response = client.request(method, path, content=big, headers={"content-type": "application/json"})
        assert response.status_code == 413, path
        assert response.json()["detail"] == f"请求内容太大（最多{HttpSettings().max_body}字节）"


# ---------- docs offline, metrics ----------


def test_the_docs_pages_load_nothing_from_another_site(client):
    for path in ("/docs", "/redoc"):
        page = client.get(path).text
        assert not re.search(r"(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page), path
        for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
            assert asset.startswith("/docs-assets/"), asset
            response = client.get(asset)
            assert response.status_code == 200 and len(response.content) > 100, asset
        assert "script-src 'self';" in client.get(path).headers["content-security-policy"]
    assert "SwaggerUIBundle" in client.get("/docs-assets/swagger-ui-bundle.js").text
    assert client.get("/docs-assets/../app.py").status_code == 404


def test_metrics_count_requests_conversations_answers_and_errors(client):
    client.get("/api/faq", params={"q": "断保两年要等多久"})
    session = client.post("/api/chat", json={"message": HISTORY, "today": "2026-03-01"}).json()["session"]
    client.post("/api/chat", json={"session": session, "message": "yes", "today": "2026-03-01"})
    client.post("/api/calc", json={"target_year": 2026, "enrolled": [2026]})
    client.post("/api/ask", json={"question": "今天天气怎么样"})
    client.post("/api/chat", json={"session": "guessed", "message": "继续"})
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'yibao_conversations_started_total{client="local"} 1.0' in text
    assert 'yibao_answers_total{kind="faq"} 1.0' in text
    assert 'yibao_answers_total{kind="calculation"} 2.0' in text  # the chat's figure and /api/calc
    assert 'yibao_answers_total{kind="refused"} 1.0' in text
    assert 'yibao_http_errors_total{reason="unknown_session"} 1.0' in text
    assert 'yibao_http_requests_total{method="POST",route="/api/chat",status="200"} 2.0' in text
    assert 'yibao_http_request_duration_seconds_count{route="/api/faq"} 1.0' in text
    assert "断保" not in text and session not in text


# ---------- the log under a flood ----------


def test_a_flood_of_one_failure_is_one_line_an_interval_without_tracebacks(caplog):
    now = [0.0]
    logger = logging.getLogger("yibao.test.flood")
    summary = Summary(interval=60, clock=lambda: now[0])
    logger.addFilter(summary)
    caplog.set_level(logging.INFO, logger="yibao.test.flood")
    try:
        for _ in range(10_000):
            try:
                raise OSError(24, "Too many open files")
            except OSError:
                logger.exception("socket.accept() out of system resource")
        now[0] = 61.0
        logger.error("socket.accept() out of system resource", exc_info=(OSError, OSError(24, "x"), None))
    finally:
        logger.removeFilter(summary)
    records = [r for r in caplog.records if r.name == "yibao.test.flood"]
    assert len(records) == 2
    assert all(r.exc_info is None for r in records) and "Traceback" not in caplog.text
    assert "另有9999次" in records[1].getMessage()
