"""The JSON API as a caller sees it: answers, search hits, figures, and one line of Chinese for
every request it cannot take."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.http.models import MAX_TEXT
from bot.http.settings import HttpSettings

TODAY = "2026-03-01"
MAX_BODY = HttpSettings().max_body


def test_health_check_says_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


# ---------- /api/ask ----------


def test_ask_answers_exactly_as_yibao_ask_json_does(client):
    question = "断保两年再参保要等多久才能报销"
    printed = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--today", TODAY, question],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    response = client.post("/api/ask", json={"question": question, "today": TODAY})
    assert response.status_code == 200
    assert response.json() == json.loads(printed)


def test_ask_about_a_break_answers_with_the_wait_and_a_cited_excerpt(client):
    body = client.post("/api/ask", json={"question": "断保两年要等几个月", "today": TODAY}).json()
    assert "4个月" in body["answer"]
    assert body["sources"], body
    first = body["sources"][0]
    assert first["excerpt"] and first["article"]
    assert "号" in first["document"] or "《" in first["document"]


def test_ask_with_the_history_in_one_question_gives_the_personal_figure(client):
    question = "我2025年和2026年都在重庆交了居民医保，2025年一次都没报销，2026年的封顶线是多少"
    body = client.post("/api/ask", json={"question": question, "today": TODAY}).json()
    assert body["intent"] == "my_cap"
    assert "204,000元" in body["answer"]


def test_an_empty_question_gets_a_polite_prompt_not_an_error(client):
    response = client.post("/api/ask", json={"question": "   "})
    assert response.status_code == 200
    assert response.json()["intent"] is None
    assert "您没有输入问题" in response.json()["answer"]


def test_emoji_english_and_a_long_paste_get_a_reply_without_crashing(client):
    for question in ("😀😀😀", "what is the weather", "医保" * 2500):
        response = client.post("/api/ask", json={"question": question, "today": TODAY})
        assert response.status_code == 200, question[:20]
        assert response.json()["answer"].strip()
    out_of_scope = client.post("/api/ask", json={"question": "😀😀😀"}).json()
    assert "12393" in out_of_scope["answer"]


def test_a_question_over_the_limit_is_refused_in_one_chinese_line(client):
    response = client.post("/api/ask", json={"question": "问" * (MAX_TEXT + 1)})
    assert response.status_code == 422
    assert response.json() == {"detail": f"问题太长（最多{MAX_TEXT}字）"}


def test_a_body_over_the_cap_is_refused_before_it_is_read(client):
    response = client.post(
        "/api/ask", content=b'{"question": "' + b"a" * MAX_BODY + b'"}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("请求内容太大")


def test_malformed_requests_are_named_in_chinese(client):
    cases = [
        ({}, "缺少问题"),
        ({"question": "断保", "today": "2026-02-30"}, "今天的日期不是有效日期（应为 YYYY-MM-DD）"),
        ({"question": "断保", "lang": "en"}, "不认识的字段：lang"),
        ({"question": 12}, "问题无效"),
    ]
    for body, message in cases:
        response = client.post("/api/ask", json=body)
        assert response.status_code == 422, body
        assert response.json() == {"detail": message}, body
    broken = client.post("/api/ask", content=b"{question:", headers={"content-type": "application/json"})
    assert broken.status_code == 422
    assert broken.json() == {"detail": "请求体不是有效的 JSON"}
    nested = client.post("/api/ask", content=b"[" * 20000 + b"]" * 20000, headers={"content-type": "application/json"})
    assert nested.status_code == 400
    assert nested.json() == {"detail": "请求体无法解析"}
    listed = client.post("/api/ask", json=["断保"])
    assert listed.status_code == 422
    assert listed.json() == {"detail": "请求体应为 JSON 对象"}


def test_a_today_outside_the_rules_years_is_refused(client):
    for path, body in (
        ("/api/ask", {"question": "断保"}),
        ("/api/chat", {"session": "s", "message": "断保"}),
        ("/api/calc", {"target_year": 2026}),
    ):
        response = client.post(path, json={**body, "today": "9999-12-31"})
        assert response.status_code == 422, path
        assert response.json() == {"detail": "今天的日期：应在2024-01-01至2100-12-31之间"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_gets_an_answer_or_a_one_line_refusal_never_a_500(client, text):
    for response in (
        client.post("/api/ask", json={"question": text}),
        client.post("/api/chat", json={"message": text}),
        client.get("/api/faq", params={"q": text}),
    ):
        assert response.status_code in (200, 422), (response.status_code, text)
        body = response.json()
        if response.status_code == 422:
            assert isinstance(body["detail"], str) and "\n" not in body["detail"]


# ---------- /api/faq ----------


def test_faq_search_returns_the_answer_with_its_verbatim_excerpt_and_citation(client):
    response = client.get("/api/faq", params={"q": "新生儿什么时候开始享受待遇", "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "新生儿什么时候开始享受待遇"
    assert 1 <= len(body["hits"]) <= 3
    top = body["hits"][0]
    assert "新生儿" in top["question"]
    assert top["excerpt"] and top["document"] and top["article"]
    assert top["score"] >= body["hits"][-1]["score"]
    from faq import load

    passages = [p.text for d in load().documents for p in d.passages]
    assert any(top["excerpt"] in text for text in passages)


def test_faq_search_finds_nothing_for_the_weather(client):
    assert client.get("/api/faq", params={"q": "明天重庆天气怎么样"}).json()["hits"] == []


def test_faq_search_rejects_empty_long_and_out_of_range_queries(client):
    cases = [
        ({}, "缺少检索词"),
        ({"q": ""}, "检索词不能为空"),
        ({"q": "   "}, "检索词不能为空"),
        ({"q": "断" * 501}, "检索词太长（最多500字）"),
        ({"q": "断保", "k": 0}, "结果数应不小于1"),
        ({"q": "断保", "k": 99}, "结果数应不大于20"),
        ({"q": "断保", "k": "three"}, "结果数应为整数"),
    ]
    for params, message in cases:
        response = client.get("/api/faq", params=params)
        assert response.status_code == 422, params
        assert response.json() == {"detail": message}, params


# ---------- /api/calc ----------


def test_calc_gives_what_yibao_calc_json_gives(client):
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "calc",
            "--json",
            "--year",
            "2028",
            "--enrolled",
            "2025-2026,2028",
            "--elsewhere",
            "2027",
            "--zero-claim",
            "2025",
            "--paid-on",
            "2027-12-10",
            "--today",
            TODAY,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    response = client.post(
        "/api/calc",
        json={
            "target_year": 2028,
            "enrolled": [2025, 2026, 2028],
            "elsewhere": [2027],
            "zero_claim": [2025],
            "paid_on": "2027-12-10",
            "today": TODAY,
        },
    )
    assert response.status_code == 200
    assert response.json() == json.loads(printed)


def test_a_broken_year_lowers_the_cap_and_sets_the_wait(client):
    body = client.post(
        "/api/calc", json={"target_year": 2027, "enrolled": "2025,2027", "paid_on": "2026-12-15", "today": TODAY}
    ).json()
    assert body["broken_years"] == [2026]
    assert body["cap"]["effective"] == 196000
    assert body["cap"]["reduction"] == 4000
    assert body["waiting"]["months"] == 3
    assert body["benefits_from"] == "2027-04-01"
    assert [row["year"] for row in body["cap_by_year"]] == [2025, 2026, 2027]
    assert all(step["citation"]["quote"] for step in body["trace"])


def test_calc_takes_the_group_as_yibao_calc_spells_it(client):
    body = client.post(
        "/api/calc", json={"target_year": 2026, "enrolled": [2026], "group": "low-income", "today": TODAY}
    ).json()
    assert body["group"] == "low_income"
    assert body["waiting"]["months"] == 0


def test_contradictions_in_calc_are_400_with_the_engine_s_sentence(client):
    cases = [
        (
            {"target_year": 2027, "enrolled": [2025, 2027], "elsewhere": [2025]},
            "2025年既在重庆又在市外参加居民医保：同一年度只能参加一处居民医保",
        ),
        (
            {"target_year": 2026, "enrolled": [2025, 2026], "zero_claim": [2025], "reward_used": [2025]},
            "2025年既是零报销年度又使用了奖励额度：使用奖励额度说明基金有报销，二者矛盾",
        ),
        ({"target_year": 2026, "enrolled": [2026], "group": "newborn"}, "新生儿需要出生日期（请填写“出生日期”）"),
        (
            {"target_year": 2026, "enrolled": [2026], "paid_on": "2024-01-01"},
            "缴费日期2024-01-01不可能是2026年度的缴费",
        ),
    ]
    for body, message in cases:
        response = client.post("/api/calc", json={**body, "today": TODAY})
        assert response.status_code == 400, body
        assert response.json()["detail"].startswith(message), response.json()
        assert "\n" not in response.json()["detail"] and "--" not in response.json()["detail"]


def test_impossible_years_and_bad_dates_in_calc_are_422(client):
    cases = [
        ({"target_year": 3025}, "参保年度应在2025—2100年之间"),
        ({"target_year": 2026, "enrolled": [2024, 2026]}, "重庆居民医保年度应在2025—2100年之间"),
        ({"target_year": 2026, "enrolled": "2026-2025"}, "重庆居民医保年度：年份范围倒置"),
        ({"target_year": 2026, "born": "2026-13-01"}, "出生日期不是有效日期（应为 YYYY-MM-DD）"),
        ({"target_year": 2026, "backpaid": -1}, "补缴年数应不小于0"),
        ({"target_year": 2026, "group": "martian"}, "参保人群只能是"),
        ({"target_year": 2026, "zero-claim": [2025]}, "不认识的字段：zero-claim"),
        ({}, "缺少参保年度"),
    ]
    for body, message in cases:
        response = client.post("/api/calc", json=body)
        assert response.status_code == 422, body
        assert response.json()["detail"].startswith(message), response.json()


# ---------- /api/documents, docs, unknown addresses ----------


def test_documents_list_every_source_with_its_citation_name_and_passages(client):
    documents = client.get("/api/documents").json()
    names = [d["name"] for d in documents]
    assert any("渝医保发〔2025〕37号" in n for n in names)
    assert any("渝医保发〔2025〕42号" in n for n in names)
    assert all(d["passages"] and all(p["text"] for p in d["passages"]) for d in documents)


def test_openapi_documentation_lists_every_endpoint(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/healthz",
        "/api/ask",
        "/api/chat",
        "/api/chat/{session}",
        "/api/faq",
        "/api/calc",
        "/api/documents",
    } <= set(paths)


def test_unknown_address_and_method_answer_in_chinese(client):
    assert client.get("/api/nothing").json() == {"detail": "没有这个地址"}
    wrong = client.get("/api/ask")
    assert wrong.status_code == 405
    assert wrong.json() == {"detail": "不支持这个请求方法"}
