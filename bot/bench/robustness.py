"""Robustness in the CheckList style (Ribeiro et al. 2020): does the intent hold when the wording moves?

From every intent's canonical question (a FAQ entry's first wording, a task intent's title) one
perturbed question is generated per kind, by rule, never written by hand:

- dialect      standard words said the Chongqing way, from the dialect lexicon read backwards
               (多少 -> 好多, 怎么 -> 咋个, 什么 -> 啥子, 没有 -> 没得, 孩子 -> 娃儿 ...);
- typo         one character of a domain term typed as its most common homophone that makes no
               word (激励 -> 激力), as a pinyin keyboard offers it;
- traditional  the question in traditional characters (OpenCC s2t);
- keywords     the content words only (with the question word and a first person), space-separated,
               as an agent types a look-up;
- story        wrapped in a personal story that does not bear on the answer;
- polite       polite padding before and after.

Invariance: the perturbed question must be understood as the same intent as the canonical one
(a "match" decision naming it). A kind that does not apply to a question (no word to say in
dialect, no domain term to mistype) is not counted for it. `invariance()` gives the rate per kind.

Direction (`premise()`): for every FAQ entry whose answer states a span, a number of months or an
amount, a wrong figure of that kind is put in front of the canonical question ("听说是5年，…");
the intent must still hold and faq.premises.correction() must name the answer's figure.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import opencc
from pydantic import BaseModel, Field

from bot.conversation.router import catalogue
from bot.conversation.router import understand as decide
from faq import load
from faq.premises import correction, figures
from intents.sounds import FUNCTION_CHARS
from intents.text import _PUNCT, dialect_forms, repairer, stopwords, tokenizer

KINDS = ("dialect", "typo", "traditional", "keywords", "story", "polite")
_STORIES = (
    "我是重庆本地人，平时在区里一家超市上班，家里几口人的医保一直是我在管，最近帮屋头的人办事情，有点搞不清楚。",
    "我在镇上开了个小店，生意一般，这几天听邻居们摆龙门阵说起医保的事情，我自己心里也没底。",
    "家里老人身体还可以，娃儿在读书，我和爱人都在本地做点小生意，平时很少研究这些政策。",
)
_POLITE = ("您好，麻烦问一下，", "，谢谢您了！")


class Perturbed(BaseModel):
    intent: str
    kind: str
    original: str
    text: str


class KindRate(BaseModel):
    kind: str
    cases: int
    invariant: int
    rate: float
    moved: list[Perturbed] = Field(default_factory=list)


@lru_cache(maxsize=1)
def _to_dialect() -> tuple[tuple[str, str], ...]:
    """standard form -> a dialect form, from the lexicon's entries that need no context."""
    pairs: dict[str, str] = {}
    for f in dialect_forms():
        if f.before or f.not_before or f.not_after or f.after or not f.reverse or len(f.standard) < 2:
            continue
        pairs.setdefault(f.standard, f.form)
    return tuple(sorted(pairs.items(), key=lambda p: -len(p[0])))


def dialect(text: str) -> str | None:
    out = text
    for standard, form in _to_dialect():
        out = out.replace(standard, form)
    return out if out != text else None


@lru_cache(maxsize=1)
def _common_homophones() -> dict[str, str]:
    """A domain term's character -> its most frequent homophone (by jieba's single-character
    counts), as the first candidate of a pinyin keyboard."""

    tok = tokenizer()
    tok.check_initialized()
    out = {}
    for ch, others in repairer().sounds_like.items():
        ranked = sorted((c for c in others if c not in FUNCTION_CHARS), key=lambda c: -tok.FREQ.get(c, 0))
        if ranked and tok.FREQ.get(ranked[0], 0) > 0:
            out[ch] = ranked[0]
    return out


def typo(text: str) -> str | None:
    """One character of the question's longest domain term typed as a homophone (no real word)."""
    tok = tokenizer()
    tok.check_initialized()
    homophones = _common_homophones()
    for term in repairer().terms:  # longest first
        at = text.find(term)
        if at < 0:
            continue
        for p in range(len(term) - 1, -1, -1):
            swap = homophones.get(term[p])
            slip = term[:p] + (swap or "") + term[p + 1 :]
            if swap and tok.FREQ.get(slip, 0) == 0:
                return text[:at] + slip + text[at + len(term) :]
    return None


@lru_cache(maxsize=1)
def _s2t():
    return opencc.OpenCC("s2t")


def traditional(text: str) -> str | None:
    out = _s2t().convert(text)
    return out if out != text else None


def keywords(text: str) -> str | None:
    """The content words (jieba, without filler or punctuation), space-separated."""
    # the first person and the question word stay: "我 断保 等 多久" still asks one's own wait
    stop = (stopwords() | {"能", "会", "吗", "要"}) - {"我"}
    words = [w for w in tokenizer().lcut(text) if _PUNCT.sub("", w) and w not in stop]
    out = " ".join(words)
    return out if len(words) >= 2 and out.replace(" ", "") != text else None


def story(text: str, n: int = 0) -> str:
    return _STORIES[n % len(_STORIES)] + "我想问一下，" + text


def polite(text: str) -> str:
    return _POLITE[0] + text.rstrip("？?") + _POLITE[1]


def perturb(intent: str, question: str, n: int = 0) -> list[Perturbed]:
    """Every applicable perturbation of one canonical question."""
    made = {
        "dialect": dialect(question),
        "typo": typo(question),
        "traditional": traditional(question),
        "keywords": keywords(question),
        "story": story(question, n),
        "polite": polite(question),
    }
    return [Perturbed(intent=intent, kind=k, original=question, text=t) for k, t in made.items() if t]


def canonical_questions() -> list[tuple[str, str]]:
    """(intent, canonical question): every FAQ entry's first wording and every task's title."""
    return [(s.id, s.title) for s in catalogue().intents if s.kind in ("faq", "task")]


def invariance(understand: Callable[[str], str | None] | None = None) -> list[KindRate]:
    """Per kind: how many perturbed questions keep their canonical question's intent."""
    if understand is None:

        def understand(q: str) -> str | None:
            d = decide(q)
            return d.intent if d.kind == "match" else None

    cases: dict[str, list[tuple[Perturbed, bool]]] = {k: [] for k in KINDS}
    for n, (intent, question) in enumerate(canonical_questions()):
        if understand(question) != intent:
            continue  # the canonical wording itself is the held-out tests' business
        for p in perturb(intent, question, n):
            cases[p.kind].append((p, understand(p.text) == intent))
    return [
        KindRate(
            kind=k,
            cases=len(v),
            invariant=sum(ok for _, ok in v),
            rate=round(sum(ok for _, ok in v) / max(len(v), 1), 4),
            moved=[p for p, ok in v if not ok],
        )
        for k, v in cases.items()
    ]


def _wrong(answer: str):
    """A figure of the answer, and a claim of the same kind the answer nowhere states
    ("听说是5年，")."""

    stated = figures(answer)
    units = {"years": ("年", 1), "months": ("个月", 1), "money": ("元", 1000)}
    for f in stated:
        if f.kind not in units or (f.kind == "years" and f.value >= 10) or (f.kind == "money" and f.value < 100):
            continue
        unit, step = units[f.kind]
        wrong = f.value + step
        while any(g.kind == f.kind and g.value == wrong for g in stated):
            wrong += step
        return f, f"听说是{wrong:g}{unit}，"
    return None


def premise(understand: Callable[[str], str | None] | None = None) -> KindRate:
    """Direction: a wrong figure before the question keeps the intent and brings the correction."""
    if understand is None:

        def understand(q: str) -> str | None:
            d = decide(q)
            return d.intent if d.kind == "match" else None

    cases: list[tuple[Perturbed, bool]] = []
    for entry in load().entries:
        made = _wrong(entry.answer)
        if made is None or understand(entry.question) != entry.id:
            continue
        right, claim = made
        text = claim + entry.question
        fixed = correction(text, entry.answer)
        ok = understand(text) == entry.id and fixed is not None
        cases.append((Perturbed(intent=entry.id, kind="premise", original=entry.question, text=text), ok))
    return KindRate(
        kind="premise",
        cases=len(cases),
        invariant=sum(ok for _, ok in cases),
        rate=round(sum(ok for _, ok in cases) / max(len(cases), 1), 4),
        moved=[p for p, ok in cases if not ok],
    )
