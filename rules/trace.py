"""Trace steps and the sentences they cite (rules/articles.yaml, read once)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from rules.models import Citation, Step
from rules.parameters import Reference

ARTICLES = Path(__file__).with_name("articles.yaml")


@lru_cache(maxsize=1)
def articles() -> dict[str, Citation]:
    """Every citable sentence by id, validated as a Reference (document, article, quote)."""
    raw = yaml.safe_load(ARTICLES.read_text("utf-8"))
    return {key: Citation(**Reference.model_validate(ref).model_dump()) for key, ref in raw.items()}


def cite(key: str) -> Citation:
    return articles()[key]


class Trace:
    """Collects the ordered steps and the caveats of one evaluation."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.caveats: list[str] = []

    def step(self, rule: str, text: str, source: str, result=None, **inputs) -> None:
        self.steps.append(Step(rule=rule, text=text, inputs=inputs, result=result, citation=cite(source)))

    def caveat(self, text: str) -> None:
        if text not in self.caveats:
            self.caveats.append(text)
