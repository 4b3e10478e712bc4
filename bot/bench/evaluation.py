"""Scoring an intent classifier on held-out questions, and the classical baseline it must beat.

report(cases, predict) -> EvalReport: accuracy over every case (an off-topic case is right
when refused), in-scope accuracy, the off-topic refusal rate, per-intent precision / recall /
F1 (off-topic counted as the label "out_of_scope"), the most confused (expected, predicted)
pairs, and the misses themselves, as `rasa test nlu` reports them.

load_cases(path) reads an evaluation set; yibao_intent(question) is yibao's own prediction (the
router's match, None when it refuses).

Baseline(catalogue) (Baseline.of_yibao(): on the router's catalogue): TF-IDF over character
1-3-grams of the normalised examples + a linear SVM (scikit-learn, a test extra imported only
here), trained on exactly the examples the matcher indexes. A question is refused when no
class's decision function reaches BASELINE_THRESHOLD (0: no one-vs-rest classifier claims it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from bot.conversation.router import catalogue, understand
from intents.catalogue import Catalogue
from intents.text import compact, load_yaml

OOS = "out_of_scope"
BASELINE_THRESHOLD = 0.0


class Case(BaseModel):
    q: str
    intent: str | None = None


class IntentScore(BaseModel):
    intent: str
    precision: float
    recall: float
    f1: float
    support: int


class Miss(BaseModel):
    q: str
    expected: str
    predicted: str


class EvalReport(BaseModel):
    name: str
    cases: int
    accuracy: float
    in_scope_accuracy: float
    refusal_rate: float
    per_intent: list[IntentScore] = Field(default_factory=list)
    confused: list[tuple[str, str, int]] = Field(default_factory=list)
    misses: list[Miss] = Field(default_factory=list)


def load_cases(path: Path) -> list[Case]:
    """The cases of an evaluation set (YAML: cases: [{q, intent}], intent omitted when off-topic)."""
    raw = load_yaml(path) or {}
    return [Case.model_validate(c) for c in raw.get("cases") or []]


def yibao_intent(question: str) -> str | None:
    """What yibao's router takes the question to ask: the intent matched, or None (refused)."""
    decision = understand(question)
    return decision.intent if decision.kind == "match" else None


def report(name: str, cases: Sequence[Case], predict: Callable[[str], str | None]) -> EvalReport:
    pairs = [(c.intent or OOS, predict(c.q) or OOS) for c in cases]
    right = sum(e == p for e, p in pairs)
    ins = [(e, p) for e, p in pairs if e != OOS]
    oos = [(e, p) for e, p in pairs if e == OOS]
    labels = sorted({e for e, _ in pairs} | {p for _, p in pairs})
    per_intent = []
    for label in labels:
        tp = sum(e == label and p == label for e, p in pairs)
        fp = sum(e != label and p == label for e, p in pairs)
        fn = sum(e == label and p != label for e, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent.append(
            IntentScore(
                intent=label, precision=round(precision, 3), recall=round(recall, 3), f1=round(f1, 3), support=tp + fn
            )
        )
    confused = Counter((e, p) for e, p in pairs if e != p)
    return EvalReport(
        name=name,
        cases=len(pairs),
        accuracy=round(right / max(len(pairs), 1), 4),
        in_scope_accuracy=round(sum(e == p for e, p in ins) / max(len(ins), 1), 4),
        refusal_rate=round(sum(p == OOS for _, p in oos) / max(len(oos), 1), 4),
        per_intent=per_intent,
        confused=[(e, p, n) for (e, p), n in confused.most_common(10)],
        misses=[Miss(q=c.q, expected=e, predicted=p) for c, (e, p) in zip(cases, pairs, strict=True) if e != p],
    )


class Baseline:
    """TF-IDF character 1-3-grams + LinearSVC over the catalogue's examples."""

    def __init__(self, catalogue: Catalogue, threshold: float = BASELINE_THRESHOLD):
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - scikit-learn: an optional extra
        from sklearn.svm import LinearSVC  # noqa: PLC0415 - scikit-learn: an optional extra

        self._compact = compact
        texts, labels = [], []
        for spec in catalogue.intents:
            for example in spec.examples:
                texts.append(compact(example))
                labels.append(spec.id)
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.model = LinearSVC(C=1.0)
        self.model.fit(self.vectorizer.fit_transform(texts), labels)
        self.threshold = threshold

    @classmethod
    def of_yibao(cls) -> Baseline:
        """Trained on exactly the examples yibao's router matches against."""
        return cls(catalogue())

    def predict(self, text: str) -> str | None:
        scores = self.model.decision_function(self.vectorizer.transform([self._compact(text)]))[0]
        best = int(scores.argmax())
        if scores[best] < self.threshold:
            return None
        return str(self.model.classes_[best])
