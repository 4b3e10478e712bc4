"""What a message asks: the FAQ entries and our own intents, matched by intents.match.

The catalogue is assembled here, at run time, because intents/ knows nothing of answers:
one FAQ intent per knowledge-base entry (its id, its first wording as the title shown in
"您是想问", every wording as an example) plus the task and conversation intents of
intents/data/intents.yaml. The matcher is built once per process and cached on disk
(keyed by a hash of the catalogue), so a cold `yibao ask` does not re-cut every example.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import intents
from bot.answers.kin import is_family
from faq import load
from faq import search as faq_search
from faq.premises import states_a_figure
from intents.catalogue import Catalogue, IntentSpec, build_catalogue
from intents.kinship import relations
from intents.match import THRESHOLD, Decision, Match, Matcher, asks_for_figure, asks_something, decide
from intents.places import elsewhere
from intents.text import normalise, read_cached, write_cached

__all__ = [
    "Decision",
    "Match",
    "catalogue",
    "matcher",
    "understand",
    "rank",
    "faq_specs",
    "split_questions",
    "split_comparison",
]

_CACHE_VERSION = 1


def faq_specs() -> list[IntentSpec]:
    """One intent per FAQ entry: id, first wording as title, every wording as an example."""

    return [IntentSpec(id=e.id, kind="faq", title=e.questions[0], examples=list(e.questions)) for e in load().entries]


def vocabulary() -> list[str]:
    """The knowledge base's own texts (answers and source passages): the subject's words."""

    kb = load()
    texts = [e.answer for e in kb.entries]
    texts += [p.text for d in kb.documents for p in d.passages]
    return texts


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return build_catalogue(faq_specs(), vocabulary())


def _key(cat: Catalogue) -> str:
    """Catalogue + the pipeline's data files + the matching code: any change rebuilds."""

    digest = hashlib.sha1(cat.fingerprint().encode())
    root = Path(intents.__file__).parent
    for path in sorted([*root.glob("*.py"), *(root / "data").glob("*")]):
        if path.name != "jieba_small.txt" and path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def matcher() -> Matcher:
    """The process's matcher, from the on-disk cache when the catalogue has not changed."""

    cat = catalogue()
    name = f"matcher-v{_CACHE_VERSION}-{_key(cat)}.pickle"
    cached = read_cached(name)
    if isinstance(cached, Matcher):
        return cached
    built = Matcher(cat)
    write_cached(name, built, replaces="matcher-v*.pickle")  # an older catalogue's matcher goes
    return built


def rank(text: str, limit: int = 5) -> list[Match]:
    return matcher().rank(text, limit=limit)


_QUESTION_END = re.compile(r"(?<=[？?])")


def split_questions(text: str) -> list[str]:
    """The questions of a message that asks several ("断保一年等多久？封顶线降多少？"): its
    parts ending in a question mark (and the rest after the last one), when there are two or
    more that each ask something; else [] (one question, however long)."""
    parts = [p.strip(" ，,。；;") for p in _QUESTION_END.split(text or "")]
    parts = [p for p in parts if len(p) >= 4]
    asking = [p for p in parts if asks_something(p)]
    return asking if len(asking) >= 2 and len(asking) == len(parts) else []


_AND = r"(?:和|跟|与|同|还是|或者)"
_DIFFERENCE = re.compile(
    rf"^(.{{2,}}?){_AND}(.{{2,}}?)(?:之间)?(?:有|是)?"
    r"(?:什么|啥子|啥|哪些|怎么)?(?:区别|不同|不一样|差别|差异|区分)"
)
_SAME = re.compile(rf"^(.{{2,}}?){_AND}(.{{2,}}?)[，,]?[^，,]{{0,8}}?(?:是不是)?(?:一样|相同|一回事)")
_WHICH = re.compile(rf"^(.{{2,}}?){_AND}(.{{2,}}?)(?:相比)?(?:选)?哪(?:个|种|样)(.+)$")


def split_comparison(text: str) -> list[str]:
    """The two sides of a comparison (区别, 不同, 一样吗), each with what is compared: "12月交和1月交有什么区别" ->
    ["12月交", "1月交"], "年底交和年初交哪个享受待遇早" -> ["年底交享受待遇早", "年初交享受待遇早"];
    [] when the message compares nothing."""
    clean = normalise(text or "").strip(" ？?。！!")
    m = _DIFFERENCE.match(clean) or _SAME.match(clean)
    if m:
        return [m.group(1), m.group(2)]
    m = _WHICH.match(clean)
    if m:
        return [m.group(1) + m.group(3), m.group(2) + m.group(3)]
    return []


def understand(text: str) -> Decision:
    """match / ambiguous / out_of_scope for one message (never raises on any string).

    A question asking for a figure (报多少, 比例, 最高报 ...: intents.match.asks_for_figure)
    matched to a FAQ entry whose answer states no figure of that kind is refused: it asks a
    figure the sources do not give (门诊统筹一年最高报多少 is not answered by the policy basis
    of the outpatient reform)."""
    text = text if isinstance(text, str) else ""
    if elsewhere(text):  # 成都的居民医保交多少: another place's insurance
        return Decision(kind="out_of_scope")
    m = matcher()
    ranked, decision = _first_reading(m, text, fragment=m.is_fragment(text))
    if (defined := _defining(text)) is not None:  # "一厅联办是什么意思": the answer that explains it
        return Decision(kind="match", intent=defined, score=max(decision.score, THRESHOLD), candidates=ranked[:3])
    if decision.kind == "out_of_scope" and (claim := _claim_set_aside(m, text)) is not None:
        decision = claim  # "二档是不是已经涨到800了": the entry the claim is about (its figure corrected)
    if decision.kind == "out_of_scope" and (kin := _for_a_relative(m, text, ranked)) is not None:
        return Decision(kind="match", intent=kin, score=decision.score, candidates=ranked[:3])
    if decision.kind == "ambiguous":
        decision = _by_topic(m, text, decision)
    if decision.kind == "ambiguous" and all(m.specs[c.intent].kind == "faq" for c in decision.candidates):
        decision = _best_of_close(decision)
    if decision.kind == "match" and decision.intent and m.specs[decision.intent].kind == "faq":
        decision = _fused(m, text, ranked, decision)
    asked = asks_for_figure(text) if decision.kind == "match" and decision.intent else None
    if asked and decision.intent in _figureless(asked):
        return Decision(kind="out_of_scope", score=decision.score, candidates=decision.candidates)
    return decision


# A claim put as a question ("…是不是800", "…交两百块钱，我没记错吧"): the figure claimed is the
# person's, not a word of the question; the answer corrects it (faq.premises).
_CLAIMS = re.compile(r"是不是|对不对|对吧|是吧|没记错|说得对|对不|是这样|真的吗|是真的|听说|据说")
_CLAIMED_FIGURE = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?\s*(?:万元|万块|万|千元|千|多块|多元|块钱|块|元|多)?(?![\d.年月日号个岁档%％])|"
    r"[零一二两三四五六七八九十]*[百千万][零一二两三四五六七八九十百千万]*多?(?:块钱|块|元)?"
)


def _claim_set_aside(m: Matcher, text: str) -> Decision | None:
    """A claim with a figure that reads as nothing: read again without the figure; the match, if any."""
    clean = normalise(text)
    if not _CLAIMS.search(clean):
        return None
    bare = _CLAIMED_FIGURE.sub("", clean)
    if bare == clean or len(bare) < 4:
        return None
    decision = _first_reading(m, bare)[1]
    return decision if decision.kind == "match" else None


def _first_reading(m: Matcher, text: str, fragment: bool = False) -> tuple[list[Match], Decision]:
    """The ranking and its decision, a refusal taken back when the question names the subject's
    notions (Matcher.by_concept)."""
    ranked = m.rank(text)
    decision = decide(ranked, fragment=fragment)
    if decision.kind == "out_of_scope" and (named := m.by_concept(text, ranked)) is not None:
        decision = Decision(kind="match", intent=named.intent, score=named.score, candidates=ranked[:3])
    return ranked, decision


# Reciprocal-rank fusion of the two readings of a policy question (Cormack et al. 2009): the
# matcher's, which knows the wordings, and the FAQ search's, which also reads each entry's answer
# and excerpts, so words no wording uses still count. Weights set on our own tuning questions.
FUSION_K = 2.0  # rank offset: 1/(K + rank)
FUSION_SEARCH = 1.5  # the search's vote against the matcher's 1.0
FUSION_DEPTH = 5
FUSION_SURE = 0.05  # raw: a matcher this far ahead of its runner-up is not outvoted


def _fused(m: Matcher, text: str, ranked: list[Match], decision: Decision) -> Decision:
    """A policy match read again with the FAQ search, unless the matcher is sure (FUSION_SURE):
    the entry the two rankings together put first answers (the matcher's order breaks ties). The
    search reads answers and excerpts too, so a question in words no wording uses still finds
    the entry whose answer speaks of them."""
    faqs = [r for r in ranked if m.specs[r.intent].kind == "faq" and r.uncovered is None]
    if len(faqs) >= 2 and faqs[0].raw - faqs[1].raw > FUSION_SURE:
        return decision  # the matcher is sure: "固定等待期多长" is not the variable one
    mine = [r.intent for r in faqs][:FUSION_DEPTH]
    votes: dict[str, float] = {}
    for order, weight in ((mine, 1.0), ([h.entry_id for h in faq_search(text, k=FUSION_DEPTH)], FUSION_SEARCH)):
        for rank, intent in enumerate(order):
            votes[intent] = votes.get(intent, 0.0) + weight / (FUSION_K + rank)
    if not votes:
        return decision
    best = max(votes, key=lambda i: (votes[i], -(mine.index(i) if i in mine else FUSION_DEPTH)))
    if best == decision.intent:
        return decision
    close = [decision.intent, *decision.close] if decision.close else []
    return decision.model_copy(update={"intent": best, "close": [c for c in close if c and c != best]})


_ASKS_MEANING = re.compile(r"什么意思|是什么|指什么|是指|指的是|什么叫|何为|何谓|含义|怎么理解")
_QUOTED = re.compile(r"“([^”]{2,10})”")


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    """The terms one answer alone puts in quotation marks (“一厅联办”, “足不出村”), normalised, with
    that answer's entry: the entry that explains the term."""
    seen: dict[str, set[str]] = {}
    for entry in load().entries:
        for term in _QUOTED.findall(entry.answer):
            seen.setdefault(normalise(term), set()).add(entry.id)
    return {term: next(iter(ids)) for term, ids in seen.items() if len(ids) == 1 and len(term) >= 3}


def _defining(text: str) -> str | None:
    """The entry explaining a term the question asks the meaning of ("一厅联办是啥子意思"), when one
    answer alone quotes it; None otherwise."""
    clean = normalise(text)
    if not _ASKS_MEANING.search(clean):
        return None
    named = {entry for term, entry in glossary().items() if _defined_here(clean, term)}
    return named.pop() if len(named) == 1 else None


_MEANING_AFTER = re.compile(
    r"^[”」』\"'\s]{0,2}(?:到底|究竟)?(?:是|指)?(?:什么意思|是什么|什么|是指|指的是|指什么|的意思|含义|怎么理解)"
)
_MEANING_BEFORE = re.compile(r"(?:什么叫|何为|何谓|什么是)[“「『\"'\s]{0,2}$")


def _defined_here(clean: str, term: str) -> bool:
    """Whether the question asks what `term` itself means ("一厅联办是啥意思", "什么叫足不出村"),
    not what is said of it ("市外户籍人员参保是指啥子情况的人")."""
    at = clean.find(term)
    return at >= 0 and bool(_MEANING_AFTER.match(clean[at + len(term) :]) or _MEANING_BEFORE.search(clean[:at]))


def _for_a_relative(m: Matcher, text: str, ranked: list[Match]) -> str | None:
    """A question about the personal account that names a person ("我大姨子能不能用我医保卡里的钱",
    "卡借给朋友用得不"): the account entry ranked best, whose answer opens with whether that
    person is a near relative (bot.answers.kin), however low the wordings scored."""
    if "account" not in m.concepts_of(m.query(text).text) or not relations(text):
        return None
    return next((r.intent for r in ranked if is_family(r.intent)), None)


def _best_of_close(decision: Decision) -> Decision:
    """A close call between policy questions answered by the best of them, the others offered after
    the answer ("您可能还想问"): a person who asked gets an answer, most often the one meant, and the
    neighbours one tap away, rather than a question back."""
    top, *others = decision.candidates
    return Decision(
        kind="match",
        intent=top.intent,
        score=top.score,
        candidates=decision.candidates,
        close=[c.intent for c in others],
    )


def _by_topic(m: Matcher, text: str, decision: Decision) -> Decision:
    """A close call settled by the question's domain terms: when exactly one of the close
    intents has wordings naming every domain term the question names (零报销 in "零报销是不是
    也要等满4年"), it is the one meant."""
    named = m.topics_of(m.query(text).text)
    if not named:
        return decision
    covering = [c for c in decision.candidates if named <= m.intent_topics.get(c.intent, frozenset())]
    if len(covering) != 1:
        return decision
    top = covering[0]
    return Decision(kind="match", intent=top.intent, score=top.score, candidates=decision.candidates)


FIGURE_KINDS = ("share", "amount", "any")


def prepare_figures() -> None:
    """The figure tables of every kind a question can ask, read once (faq.premises.figures reads
    each answer's numerals with cn2an): a server builds them at start, not on a question."""
    for kind in FIGURE_KINDS:
        _figureless(kind)


@lru_cache(maxsize=len(FIGURE_KINDS))
def _figureless(kind: str) -> frozenset[str]:
    """The FAQ entries whose answers state no figure of `kind` ("share", "amount" or "any")."""

    return frozenset(e.id for e in load().entries if not states_a_figure(e.answer, kind))
