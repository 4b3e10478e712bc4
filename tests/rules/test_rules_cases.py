"""Table-driven cases, one YAML file per rule under cases/, each case naming its article."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from rules_helpers import dig, figures, history_of, load_cases, plain

from rules import RulesError, error_message, evaluate

CASES = load_cases()


@pytest.mark.parametrize("file,doc,case", CASES)
def test_case(file, doc, case):
    assert doc.get("article") and case.get("article"), "every rule file and every case names its article"
    if "error" in case:
        with pytest.raises((RulesError, ValidationError)) as caught:
            evaluate(history_of(case["history"]))
        assert case["error"] in error_message(caught.value)
        return
    result = figures(case["history"])
    for path, expected in case["expect"].items():
        assert dig(result, path) == plain(expected), f"{path}: {dig(result, path)!r} != {expected!r}"
    rules = [step["rule"] for step in result["trace"]]
    for rule in case.get("trace", []):
        assert rule in rules, f"trace has no step {rule}: {rules}"
    said = "\n".join(step["text"] for step in result["trace"])
    for words in case.get("says", []):
        assert str(words) in said, f"the trace does not say {words!r}:\n{said}"
    if "caveat" in case:
        assert any(case["caveat"] in c for c in result["caveats"]), result["caveats"]


def test_every_rule_file_has_cases_and_each_case_a_unique_name():
    names = [p.values[2]["name"] for p in CASES]
    files = {p.values[0] for p in CASES}
    assert len(names) == len(set(names))
    assert {
        "cap_ceiling",
        "continuous",
        "zero_claim",
        "reduction",
        "waiting",
        "benefits",
        "special_groups",
        "history",
    } <= files
