"""The agent console page: self-contained (nothing fetched from elsewhere), every datum inserted
as text, and its chat buttons sending what the dialogue manager expects."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from bot.http.app import console_page


def test_the_console_is_served_as_one_chinese_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for heading in ("坐席控制台", "政策检索", "对话", "个人测算", "12393"):
        assert heading in page
    csp = response.headers["content-security-policy"]
    assert csp.startswith("default-src 'none'")
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_the_console_fetches_nothing_from_elsewhere(client):
    page = client.get("/").text
    assert not re.search(r"(?i)\b(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page), "an external address"
    assert not re.search(r"(?i)<(?:link|img|iframe)\b|\bsrc\s*=|@import|url\(", page)
    calls = set(re.findall(r'"(/api/[a-z]+)', page))
    assert calls == {"/api/faq", "/api/chat", "/api/calc"}
    paths = client.get("/openapi.json").json()["paths"]
    assert all(any(p.startswith(c) for p in paths) for c in calls)


def test_the_console_inserts_data_only_as_text():
    page, _ = console_page()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in page


def test_the_calc_form_offers_the_engine_s_groups_and_coverages():
    page, _ = console_page()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});\n", page).group(1))
    assert {g["value"] for g in config["groups"]} >= {"general", "newborn", "low_income", "student"}
    assert config["coverage"]["chongqing"] == "重庆居民医保"
    assert config["firstYear"] == 2025


def test_the_console_s_policy_allows_exactly_its_own_script_and_style():
    page, csp = console_page()
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in csp
    assert not re.search(r"\sstyle=|\son[a-z]+=", page), "an inline style or handler the policy would block"
