"""Every parameter value and every cited sentence has a source, quoted verbatim from its document."""

from __future__ import annotations

import re

import pytest
import yaml
from pydantic import ValidationError

from rules import RulesError, parameters
from rules.parameters import ParameterFile
from rules.trace import ARTICLES, articles
from tests.shared_files import shared

SEEDS = shared("seeds")
DOCUMENTS = {  # citation document -> seed file prefix
    "渝医保发〔2025〕37号": "004",
    "渝医保发〔2025〕42号": "002",
    "重庆晨报 2025-06-26": "001",
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_text(document: str) -> str:
    prefix = next(v for k, v in DOCUMENTS.items() if document.startswith(k))
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return squeeze(path.read_text("utf-8"))


def references():
    for param in parameters.parameters().values():
        for value in param.values:
            yield pytest.param(value.reference, id=f"{param.name}@{value.from_}")
    for key, citation in articles().items():
        yield pytest.param(citation, id=f"articles:{key}")


@pytest.mark.parametrize("ref", list(references()))
def test_quote_appears_verbatim_in_its_document(ref):
    assert any(ref.document.startswith(k) for k in DOCUMENTS), f"unknown document {ref.document}"
    assert squeeze(ref.quote) in seed_text(ref.document), f"not in {ref.document}: {ref.quote}"


def test_every_parameter_value_has_a_document_article_and_quote():
    for path in sorted(parameters.HERE.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text("utf-8"))
        for param in raw["parameters"]:
            assert param.get("unit"), f"{param['name']} has no unit"
            for value in param["values"]:
                ref = value.get("reference") or {}
                assert all(ref.get(k) for k in ("document", "article", "quote")), f"{param['name']}: {value}"
                assert "from" in value, f"{param['name']} value without an effective date"
    raw = yaml.safe_load(ARTICLES.read_text("utf-8"))
    for key, ref in raw.items():
        assert all(ref.get(k) for k in ("document", "article", "quote")), key


def test_a_value_without_a_quote_is_refused_at_load():
    bad = {
        "parameters": [
            {
                "name": "x",
                "description": "x",
                "unit": "yuan",
                "values": [
                    {
                        "from": "2025-01-01",
                        "value": 1,
                        "reference": {"document": "渝医保发〔2025〕37号", "article": "五.4"},
                    }
                ],
            }
        ]
    }
    with pytest.raises(ValidationError):
        ParameterFile.model_validate(bad)


def test_a_value_without_a_source_is_refused_at_load():
    bad = {
        "parameters": [
            {"name": "x", "description": "x", "unit": "yuan", "values": [{"from": "2025-01-01", "value": 1}]}
        ]
    }
    with pytest.raises(ValidationError):
        ParameterFile.model_validate(bad)


def test_a_year_no_parameter_covers_raises_instead_of_giving_zero():
    with pytest.raises(RulesError, match="2024"):
        parameters.value("base_cap", 2024)


def test_contribution_tiers_exist_only_for_2026():
    assert parameters.value("contribution_tiers", 2026) == {"一档": 400, "二档": 775}
    assert parameters.optional("contribution_tiers", 2027) is None
    with pytest.raises(RulesError):
        parameters.value("contribution_tiers", 2027)


def test_every_trace_step_cites_a_known_sentence():
    from rules_helpers import figures

    result = figures(
        {
            "target_year": 2029,
            "enrolled": [2029],
            "backpaid": 3,
            "paid_on": "2028-12-01",
            "zero_claim": [],
            "today": "2029-03-01",
        }
    )
    known = {(c.document, c.article, c.quote) for c in articles().values()}
    assert result["trace"]
    for step in result["trace"]:
        c = step["citation"]
        assert (c["document"], c["article"], c["quote"]) in known
        assert step["text"]
