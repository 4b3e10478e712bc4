"""Blind sets scored by facts, through the same code path as `yibao ask`.

A blind set (bot/bench/data/blind-*.yaml) is written by someone who never saw the product, from
the policy sources only: each case is a question `q`, its `topic`, and either `facts` (an AND of
OR-groups: every group must have one of its strings in the answer) or `out_of_scope: true` (the
answer must be a refusal naming the 12393 hotline, with no intent). The answer is the one
`yibao ask` prints (bot.cli.ask.answer), so the figure here is the figure of the command line.
Strings are compared after NFKC, with the thousands separators of figures removed (20,000).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from bot.service import ask as answer
from intents.text import load_yaml

DATA = Path(__file__).resolve().parent / "data"
HOTLINE = "12393"
_GROUPING = re.compile(r"(?<=\d)[,，\s](?=\d{3})")


class BlindCase(BaseModel):
    q: str
    topic: str = ""
    facts: list[list[str]] = Field(default_factory=list)
    out_of_scope: bool = False


class BlindMiss(BaseModel):
    q: str
    topic: str
    intent: str | None
    answer: str


class BlindReport(BaseModel):
    name: str
    in_scope: int
    in_scope_right: int
    off_topic: int
    off_topic_refused: int
    misses: list[BlindMiss] = Field(default_factory=list)

    @property
    def in_scope_rate(self) -> float:
        return self.in_scope_right / max(self.in_scope, 1)

    @property
    def refusal_rate(self) -> float:
        return self.off_topic_refused / max(self.off_topic, 1)


def blind_sets() -> list[Path]:
    """The blind sets shipped with the package, in order."""
    return sorted(DATA.glob("blind-*.yaml"))


def load_cases(path: Path) -> list[BlindCase]:
    raw = load_yaml(path) or {}
    return [BlindCase.model_validate(c) for c in raw.get("cases") or []]


def _norm(text: str) -> str:
    return _GROUPING.sub("", unicodedata.normalize("NFKC", text))


def carries(answer: str, facts: list[list[str]]) -> bool:
    """Whether every OR-group of `facts` has one of its strings in `answer`."""
    text = _norm(answer)
    return all(any(_norm(alt) in text for alt in group) for group in facts)


def is_refusal(result: dict) -> bool:
    return not result.get("intent") and HOTLINE in _norm(result.get("answer") or "")


def score(name: str, cases: list[BlindCase], ask: Callable[[str], dict]) -> BlindReport:
    """In-scope cases right when the answer carries their facts; off-topic ones when refused."""
    ins = ins_ok = oos = oos_ok = 0
    misses = []
    for case in cases:
        result = ask(case.q)
        if case.out_of_scope:
            oos += 1
            ok = is_refusal(result)
            oos_ok += ok
        else:
            ins += 1
            ok = carries(result.get("answer") or "", case.facts)
            ins_ok += ok
        if not ok:
            misses.append(
                BlindMiss(
                    q=case.q, topic=case.topic, intent=result.get("intent"), answer=(result.get("answer") or "")[:200]
                )
            )
    return BlindReport(
        name=name, in_scope=ins, in_scope_right=ins_ok, off_topic=oos, off_topic_refused=oos_ok, misses=misses
    )


def ask_in_process(today: dt.date | None = None) -> Callable[[str], dict]:
    """`yibao ask --json` for one question, without a subprocess."""
    day = today or dt.date.today()
    return lambda q: answer(q, day)


def score_file(path: Path, today: dt.date | None = None) -> BlindReport:
    return score(path.stem, load_cases(path), ask_in_process(today))
