"""Trace steps and the sentences they cite (rules/articles.yaml, read once).

Each article of the policy is one function that returns a `Ruled`: the value it decides for the
target year, the trace step that shows it (its sentence formatted from the parameter values
actually used) and the caveats it raises. evaluate() adds them to a Trace in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

import yaml

from rules.models import Citation, Step, StepResult
from rules.parameters import Reference

ARTICLES = Path(__file__).with_name("articles.yaml")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@lru_cache(maxsize=1)
def articles() -> dict[str, Citation]:
    """Every citable sentence by id, validated as a Reference (document, article, quote)."""
    raw = yaml.safe_load(ARTICLES.read_text("utf-8"))
    return {key: Citation(**Reference.model_validate(ref).model_dump()) for key, ref in raw.items()}


def cite(key: str) -> Citation:
    return articles()[key]


def step(rule: str, text: str, source: str, result: StepResult = None, **inputs: object) -> Step:
    """One trace step: the rule's id, its sentence, the article it cites, its result and inputs."""
    return Step(rule=rule, text=text, inputs=inputs, result=result, citation=cite(source))


@dataclass(frozen=True)
class Ruled(Generic[T_co]):
    """What one article decides for the target year, the step that shows it, the caveats it raises."""

    value: T_co
    step: Step | None = None
    caveats: tuple[str, ...] = ()


class Trace:
    """Collects the ordered steps and the caveats of one evaluation."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.caveats: list[str] = []

    def add(self, ruled: Ruled[T]) -> T:
        """Record an article's step and caveats; give back its value."""
        if ruled.step is not None:
            self.steps.append(ruled.step)
        for text in ruled.caveats:
            self.caveat(text)
        return ruled.value

    def caveat(self, text: str) -> None:
        if text not in self.caveats:
            self.caveats.append(text)


def percent(rate: float) -> str:
    """0.2 -> "20%"."""
    return f"{round(rate * 100, 6):g}%"
