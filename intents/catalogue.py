"""The intent catalogue: what a person can mean, each intent with the wordings that show it.

Three kinds of intent:
- faq: one per FAQ entry. Not written here: the bot builds their specs from the knowledge base
  (id, first question wording as title, every wording as an example) and hands them to
  build_catalogue(), so a wording lives in one place only.
- task: personal questions answered with the member's own history (my_cap, my_waiting,
  my_benefit_start, what_if), from intents/data/intents.yaml.
- conversation: greeting, thanks, help, restart, cancel, yes, no, goodbye, forget_me, from the
  same file.

A spec may carry `keywords` (words that, when present, speak for the intent) and `negative`
(words that speak against it). The file's `out_of_scope` list holds words that no question
yibao answers contains (公积金, 天气, ...): their presence lowers every score. Its `domain`
list holds words of which a question about the policy has at least one (医保, 参保, 报销 ...):
a question with none of them, and no year or count, scores lower on FAQ and task intents.
Its `uncovered` list holds questions that share the subject's words but ask what the sources
do not answer (医保卡余额, 异地就医备案, 退休缴费年限, 献血 ...): they are matched like the
examples of one more intent, and a question nearer to them than to any intent is refused.
Its `qualifiers` list holds the words that say which benefit or scheme a figure belongs to (门诊,
职工医保, 医疗救助 ...): a question naming one that none of an intent's wordings names asks about
another benefit's figure (门诊的起付线 is not the critical-illness deductible).
Its `concepts` map holds the subject's own notions (continuity, zero reimbursement, the cap, a
break, waiting, back-payment, newborns, students ...) with the forms people name them by: a
question naming one is about the subject even when its other words are new to the catalogue.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from intents.text import load_yaml

DATA = Path(__file__).parent / "data"
Kind = Literal["faq", "task", "conversation"]
TASK_INTENTS = ("my_cap", "my_waiting", "my_benefit_start", "what_if")
CONVERSATION_INTENTS = ("greeting", "thanks", "help", "restart", "cancel", "yes", "no", "goodbye", "forget_me")


class IntentSpec(BaseModel):
    """One intent: its id, kind, the question shown in "您是想问", and example wordings."""

    id: str
    kind: Kind
    title: str
    examples: list[str]
    keywords: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)

    @field_validator("examples")
    @classmethod
    def _some_examples(cls, value: list[str]) -> list[str]:
        value = [v for v in (str(x).strip() for x in value) if v]
        if not value:
            raise ValueError("an intent needs at least one example")
        return value


class Catalogue(BaseModel):
    """Every intent yibao can recognise, plus the words that mark a question off-topic."""

    intents: list[IntentSpec]
    out_of_scope: list[str] = Field(default_factory=list)
    domain: list[str] = Field(default_factory=list)
    vocabulary: list[str] = Field(default_factory=list)
    uncovered: list[str] = Field(default_factory=list)
    qualifiers: list[str] = Field(default_factory=list)
    concepts: dict[str, list[str]] = Field(default_factory=dict)

    def get(self, intent_id: str) -> IntentSpec | None:
        return self.by_id().get(intent_id)

    def by_id(self) -> dict[str, IntentSpec]:
        return {spec.id: spec for spec in self.intents}

    def fingerprint(self) -> str:
        """A hash of everything matching depends on (used to key the matcher's cache)."""
        return hashlib.sha1(self.model_dump_json().encode("utf-8")).hexdigest()


class _File(BaseModel):
    intents: dict[str, IntentSpec]
    out_of_scope: list[str] = Field(default_factory=list)
    domain: list[str] = Field(default_factory=list)
    uncovered: list[str] = Field(default_factory=list)
    qualifiers: list[str] = Field(default_factory=list)
    concepts: dict[str, list[str]] = Field(default_factory=dict)


@lru_cache(maxsize=1)
def own_intents() -> _File:
    """intents/data/intents.yaml: the task and conversation intents, the off-topic words, the
    domain words and the uncovered questions."""
    raw = load_yaml(DATA / "intents.yaml") or {}
    for intent_id, body in (raw.get("intents") or {}).items():
        body.setdefault("id", intent_id)
    return _File.model_validate(raw)


def build_catalogue(faq_specs: list[IntentSpec], vocabulary: list[str] | None = None) -> Catalogue:
    """The full catalogue: the FAQ intents handed in by the caller, then our own intents.

    `vocabulary`: texts of the subject (the knowledge base's answers and passages, say) whose
    words count as in-domain even when no example uses them; a question's words found neither
    there nor in any example are foreign, and weigh against every FAQ and task intent.

    An id may appear once only; a FAQ entry that reuses a task or conversation id is an error.
    """
    own = own_intents()
    specs = list(faq_specs) + list(own.intents.values())
    seen: set[str] = set()
    for spec in specs:
        if spec.id in seen:
            raise ValueError(f"intent id {spec.id!r} appears twice")
        seen.add(spec.id)
    return Catalogue(
        intents=specs,
        out_of_scope=list(own.out_of_scope),
        domain=list(own.domain),
        vocabulary=list(vocabulary or []),
        uncovered=list(own.uncovered),
        qualifiers=list(own.qualifiers),
        concepts=dict(own.concepts),
    )
