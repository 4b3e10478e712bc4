"""The shared development scenarios (../shared/eval/dev-scenarios.yaml), evaluated in-process."""

from __future__ import annotations

import pytest
import yaml
from rules_helpers import dig, figures, plain

from tests.shared_files import shared

SCENARIOS = yaml.safe_load(shared("eval", "dev-scenarios.yaml").read_text("utf-8"))["scenarios"]
KEYS = {"cap": "cap.effective", "waiting_months": "waiting.months", "benefits_from": "benefits_from"}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_dev_scenario(scenario):
    result = figures(scenario["history"])
    for key, expected in scenario["expect"].items():
        assert dig(result, KEYS[key]) == plain(expected), key
    assert result["trace"] and all(step["citation"]["quote"] for step in result["trace"])
