"""The agent console page: self-contained (nothing fetched from elsewhere), every datum inserted
as text, and its chat buttons sending what the dialogue manager expects."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.http.app import console_page

HERE = Path(__file__).parent


def test_the_console_is_served_as_one_chinese_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for heading in ("坐席控制台", "政策检索", "对话", "个人测算", "12393"):
        assert heading in page
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


def test_the_console_fetches_nothing_from_elsewhere(client):
    page = client.get("/").text
    assert not re.search(r"(?i)\b(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page), "an external address"
    assert not re.search(r"(?i)<(?:link|img|iframe)\b|\bsrc\s*=|@import|url\(", page)
    calls = set(re.findall(r'"(/api/[a-z]+)', page))
    assert calls == {"/api/faq", "/api/chat", "/api/calc"}
    paths = client.get("/openapi.json").json()["paths"]
    assert all(any(p.startswith(c) for p in paths) for c in calls)


def test_the_console_inserts_data_only_as_text():
    page = console_page()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in page


def test_the_calc_form_offers_the_engine_s_groups_and_coverages():
    page = console_page()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});\n", page).group(1))
    assert {g["value"] for g in config["groups"]} >= {"general", "newborn", "low_income", "student"}
    assert config["coverage"]["chongqing"] == "重庆居民医保"
    assert config["firstYear"] == 2025


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the console's script")
def test_ticked_years_are_sent_as_one_choice_and_a_new_session_forgets_the_old(tmp_path):
    page = tmp_path / "console.html"
    page.write_text(console_page(), encoding="utf-8")
    done = subprocess.run(["node", str(HERE / "console_dom.js"), "fake", str(page)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["afterUntick"] == ["2026年"]
    assert seen["ticked"] == ["2025年", "2026年"]
    assert seen["disabledAfterwards"], "old options cannot be clicked twice"
    sent = [(c["method"], c["url"], (c["body"] or {}).get("message")) for c in seen["calls"]]
    assert sent == [("POST", "/api/chat", "start"), ("POST", "/api/chat", "years:2025,2026"),
                    ("POST", "/api/chat", "start"), ("POST", "/api/chat", "years:all"),
                    ("DELETE", f"/api/chat/{seen['oldSession']}", None)]
    assert all(c["body"]["session"] == seen["oldSession"] for c in seen["calls"] if c["body"])
    assert all(c["body"]["today"] == "2026-03-01" for c in seen["calls"] if c["body"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", seen["newSession"]) and seen["newSession"] != seen["oldSession"]
    assert "2025年、2026年" in seen["log"] and "<b>years:2025,2026</b>" in seen["log"]
    assert seen["logAfterwards"] == ("新会话已开始，上一位来电人的记录已删除。")
