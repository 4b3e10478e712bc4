"""The knowledge base refuses broken data and ships every in-scope topic with cited excerpts."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from faq import load
from faq.knowledge import SOURCES, KnowledgeBase, load_from


def _documents() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(SOURCES.glob("*.yaml"))]


def _entry(**overrides) -> dict:
    entry = {
        "id": "waiting_fixed_probe",
        "topic": "waiting",
        "questions": [f"固定等待期是几个月{i}" for i in range(12)],
        "answer": "固定待遇等待期是3个月，等待期内不能报销。",
        "excerpts": [{"passage": "000-图5", "text": "固定待遇等待期：3个月"}],
    }
    entry.update(overrides)
    return entry


def test_a_well_formed_entry_gets_its_citation_filled_in():
    kb = KnowledgeBase.model_validate({"documents": _documents(), "entries": [_entry()]})
    excerpt = kb.entry("waiting_fixed_probe").excerpts[0]
    assert excerpt.article == "图解5"
    assert excerpt.document == "重庆日报2025年6月26日《重庆医保建立参保激励约束机制》"


def test_an_excerpt_that_is_not_verbatim_is_rejected():
    broken = _entry(excerpts=[{"passage": "004-五.4", "text": "每断保1年，降低大病保险最高支付限额5000元"}])
    with pytest.raises(ValidationError, match="not verbatim in 004-五.4"):
        KnowledgeBase.model_validate({"documents": _documents(), "entries": [broken]})


def test_an_excerpt_quoted_from_the_wrong_passage_is_rejected():
    broken = _entry(excerpts=[{"passage": "004-五.3", "text": "每断保1年，降低居民大病保险最高支付限额4000元"}])
    with pytest.raises(ValidationError, match="not verbatim"):
        KnowledgeBase.model_validate({"documents": _documents(), "entries": [broken]})


def test_citing_a_passage_that_does_not_exist_is_rejected():
    broken = _entry(excerpts=[{"passage": "004-六.1", "text": "固定待遇等待期：3个月"}])
    with pytest.raises(ValidationError, match="does not exist: 004-六.1"):
        KnowledgeBase.model_validate({"documents": _documents(), "entries": [broken]})


def test_a_repeated_entry_id_is_rejected():
    with pytest.raises(ValidationError, match="entry id repeats: waiting_fixed_probe"):
        KnowledgeBase.model_validate({"documents": _documents(), "entries": [_entry(), _entry()]})


def test_a_repeated_passage_id_is_rejected():
    docs = _documents()
    doc = next(d for d in docs if d["id"] == "004")
    doc["passages"].append(dict(doc["passages"][0]))
    with pytest.raises(ValidationError, match="passage id repeats"):
        KnowledgeBase.model_validate({"documents": docs, "entries": []})


def test_an_entry_with_too_few_wordings_is_rejected():
    with pytest.raises(ValidationError, match="questions"):
        KnowledgeBase.model_validate({"documents": _documents(), "entries": [_entry(questions=["固定等待期是几个月"])]})


def test_a_broken_entry_file_fails_loading(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        yaml.safe_dump(
            {"topic": "waiting", "entries": [_entry(excerpts=[{"passage": "002-三", "text": "固定待遇等待期6个月"}])]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="not verbatim in 002-三"):
        load_from(SOURCES, tmp_path)


def test_shipped_knowledge_base_is_complete():
    kb = load()
    assert 45 <= len(kb.entries) <= 70
    assert all(len(e.questions) >= 12 for e in kb.entries)
    assert {d.id for d in kb.documents} == {"000", "001", "002", "003", "004"}
    wanted = {
        "continuous",
        "zero_claim",
        "ceiling",
        "break_incentive",
        "waiting",
        "repair",
        "break_cap",
        "special",
        "newborn",
        "period",
        "fees",
        "student",
        "continuity",
        "hukou",
        "family",
        "maternity",
        "critical",
        "channels",
        "outpatient",
    }
    assert wanted <= set(kb.topics)
    assert kb.entry("repair_floor_six_months").excerpts[0].article == "第26段"
    assert kb.passage("004-五.4").text.startswith("居民医保未连续参保人员再参保缴费的")


def test_notices_are_cited_by_their_number_and_press_reports_by_outlet_and_date():
    kb = load()
    assert kb.document("004").name.startswith("渝医保发〔2025〕37号《")
    assert kb.document("002").name.startswith("渝医保发〔2025〕42号《")
    assert kb.document("001").name.startswith("重庆晨报2025年6月26日《")
    for entry in kb.entries:
        for ex in entry.excerpts:
            assert ex.document and ex.article
            assert ".txt" not in ex.document and "_" not in ex.document


def test_the_notice_37_prevails_and_says_so():
    kb = load()
    assert kb.document("004").prevails
    assert "以本通知为准" in kb.passage("004-结语").text


def test_print_line_breaks_are_joined_without_spaces():
    kb = load()
    assert "重庆市外的中国大陆户籍人员" in kb.passage("004-一.1").text
    assert "连续参保人员从次年1月开始享受待遇" in kb.passage("004-五.3").text
    assert "新生儿出生90天内参保缴费的" in kb.passage("004-五.1").text
    assert "医保参保登记、变更、查询" in kb.passage("001-p9").text


@pytest.mark.parametrize("word", ["耕地", "撂荒", "小游戏", "社保卡", "玩具", "荣昌猪", "柑橘", "梯田花海", "消防"])
def test_unrelated_newspaper_articles_are_not_in_the_sources(word):
    kb = load()
    assert not [p.id for d in kb.documents for p in d.passages if word in p.text]


def test_answers_state_the_key_figures_themselves():
    kb = load()
    assert "4000元" in kb.entry("continuous_incentive_what").answer
    assert "24万" in kb.entry("incentive_ceiling").answer
    assert "19856元" in kb.entry("critical_deductible").answer
    assert "400元" in kb.entry("fees_2026").answer and "775元" in kb.entry("fees_2026").answer
    assert "63周岁" in kb.entry("outsiders_join_employee_insurance").answer
    assert "出生之日起" in kb.entry("newborn_benefit_start").answer
    assert "6个月" in kb.entry("repair_floor_six_months").answer
