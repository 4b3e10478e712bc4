"""Matching a question against the intent catalogue: ranked intents with scores in 0..1.

Each example wording is indexed once as a set of terms: its jieba tokens (domain dictionary,
filler and question templates removed; a long domain word also stands for the domain words
inside it: 固定待遇等待期 is an 等待期), "m:"-marked month numbers (2月 is not 12月), and the
"2:"-marked character bigrams of its content words (of the whole compact text when it is
short), so that a word jieba cuts differently, or a typo the synonym table does not know,
still shares most of its characters. A question is scored against every example sharing a term:

    coverage   = IDF weight of the shared terms / IDF weight of the question's terms
    precision  = IDF weight of the shared terms / IDF weight of the example's terms
    fuzzy      = rapidfuzz Indel similarity of the two compact strings
    example    = 0.45 coverage + 0.20 precision + 0.35 fuzzy  (-0.1 if it names other months;
                 -0.1 if both name domain terms and none in common: 怎么才算断保 / 怎么才算零报销)
    nearest    = 0.7 best example + 0.3 second-best example of the intent
                 (-0.1 if no example of the intent names the question's month)
    intent cov = coverage of the question by all the intent's examples together (IDF over intents)
    similarity = 0.6 nearest + 0.4 intent cov

Terms never seen in any example weigh as much as the rarest term, so a question about
something else (公积金, 天气) explains little of itself and scores low. The similarity is then
adjusted by
- the catalogue's out-of-scope words (-0.25 each; twice that for conversation intents: a
  greeting around another request is not a greeting);
- for FAQ and task intents: -0.15 when the question has none of the domain words, no year and
  no count, -0.2 x the share of its words found in no example and not in the subject's
  vocabulary (the knowledge base's texts: 征兵, 挂失, 贷款 are foreign there), and -0.04 for
  each of the question's telling words (used by one or two intents only) the intent never uses;
- -QUALIFIER when the question names a benefit or scheme (the catalogue's qualifiers: 门诊,
  医疗救助 ...) that none of the intent's wordings names: a figure of another benefit;
- -NOTION_MISS for each of the subject's notions the question names (catalogue.concepts: 断保,
  连续参保, 零报销, 等待期 ..., at most two) that none of the intent's wordings names: "2026年没交
  连续参保年限咋算" is about continuity after a break, not the waiting period of a break;
- keywords / negative words of the intent (+0.05 / -0.2 each);
- personal markers for task intents: a question about *my* years ("我2025年断了，2026年交的")
  is a task, a general one ("断保一年有多长等待期", "今年没报销明年封顶线涨多少") belongs to
  the FAQ: task intents get -0.25 without any personal marker and up to +0.15 with several;
  what_if gets +0.1 with a hypothetical (如果, 要是, 假如, ...的话) and -0.1 without.

The catalogue's uncovered questions (near the subject, not answered by the sources: 医保卡余额,
异地就医备案, 献血 ...) are scored as one more intent from their nearest examples; an intent
that does not beat them by UNCOVERED_MARGIN is pushed under the threshold. A long message is
also read clause by clause (see Matcher.rank), so that a story around a question does not
drown it.

calibrate() maps it to 0..1 (a logistic curve, 0.5 at the raw similarity 0.25 where, on our
tuning questions, off-topic ones start to outnumber real ones), and decide() turns the
ranking into a Decision: out_of_scope under THRESHOLD, ambiguous when the runner-up is within
MARGIN (raw) of the best (the bot then asks "您是想问：1. … 2. …"), else match; a bare term
of the subject ("交费") is answered by its best intent. The weights were set on
tests/intents/tune.yaml; tests/intents/heldout.yaml measures them.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field
from rapidfuzz.distance import Indel

from intents.catalogue import Catalogue, IntentSpec
from intents.text import compact, domain_words, normalise, tokens

THRESHOLD = 0.5
MARGIN = 0.01  # on the raw similarity: top1 - top2 under this asks "您是想问"
# Raw similarities are mapped through a logistic curve centred on RAW_FALLBACK (the raw
# similarity under which, on our own wordings, a question is more likely off-topic than not),
# so that 0.5 is the refusal point and the scores read as confidences.
RAW_FALLBACK, STEEPNESS = 0.25, 8.0
W_COVERAGE, W_PRECISION, W_FUZZY = 0.45, 0.20, 0.35
W_EXAMPLE, W_INTENT = 0.6, 0.4

_FIRST_PERSON = re.compile(r"我(?!想问|想咨询|想了解|问一下|问下)|俺|本人|自己|我家|我妈|我爸|我们家")
_YEAR = re.compile(r"(?<!\d)(?:19|20)?\d{2}(?:年|、|和|到|至|-)|[今去明前后]年|[〇零一二三四五六七八九]{2,4}年")
_COUNT = re.compile(r"[断补缴交停][^，。,；;]{0,3}?(?:\d+|[一两二三四五六七八九十几])年")
_RELATIVE_YEAR = re.compile(r"[今去明前后]年")
_HYPOTHETICAL = re.compile(r"如果|要是|假如|假设|万一|的话")
# A break denied ("十几年没断过", "从未中断"): read as continuity by the notions and domain terms.
_NEGATED_BREAK = re.compile(r"(?:没有?|未|从未|从没有?|从来没有?|不曾|从不)(?:断保|断过|断缴|中断)")
# Where a long message is cut into pieces, each scored on its own as well as the whole.
_CLAUSE = re.compile(r"[\s,，。.!！?？;；、:：~～]+")
_ASKS = re.compile(
    r"吗|么|呢|多少|多久|几|哪|什么|怎么|谁|是不是|有没有|能不能|会不会|算不算|还在不|"
    r"[能会算要有在是][不没]|[不没]$|\?|？"
)
LONG_QUERY = 24  # characters (compact) from which a message is also read clause by clause
W_WINDOW = 0.03  # a piece's score, taken for the whole, gives up this much
W_LEFT_OUT = 0.1  # and this much times the share of the message's content it leaves out


# A question that asks for a figure (read on the normalised text): an amount paid out or a ratio
# (报多少, 比例, 最高报 ...), or any figure at all (多少年, 多少项, 交多少, 电话是多少). What one
# pays in (交多少) may be answered without an amount ("只交个人部分"): it asks any figure.
_ASKS_AMOUNT = re.compile(
    r"几成|比例|百分之几|百分比|(?:最高支付限额|起付线)[^，,。？?]{0,6}(?:多少|几)|"
    r"[报给赔][^，,。？?]{0,2}多少(?!年|个月|天|次|岁|项|人|部分)|"
    r"最多.{0,3}[报给赔]|最高.{0,3}[报给赔]|多少钱|几块钱|多少块"
)  # what is paid out, and money asked by name (交多少钱: an amount, where 交多少 may be a share)
# 几年 asks a figure; 好几年, 前几年, 这几年 only tell of some years
_ASKS_FIGURE = re.compile(r"多少|(?<![好前这那十近])几(?:个|年|项)(?!前|来)")


def asks_something(text: str) -> bool:
    """Whether a piece of a message asks something (吗, 多少, 能不能, ？ ...), on its normalised text."""
    return bool(_ASKS.search(normalise(text or "")))


_ASKS_SHARE = re.compile(r"几成|比例|百分之几|百分比|百分之多少")


def asks_for_figure(text: str) -> str | None:
    """ "share" when a question asks for a ratio (比例, 几成, 百分之几), "amount" when it asks for an
    amount (报多少, 最高报 ...), "any" when it asks for some other figure (多少年, 几项), else None."""
    clean = normalise(text or "")
    if _ASKS_SHARE.search(clean):
        return "share"
    if _ASKS_AMOUNT.search(clean):
        return "amount"
    return "any" if _ASKS_FIGURE.search(clean) else None


class Match(BaseModel):
    intent: str
    score: float  # calibrated, 0..1
    raw: float = 0.0  # the adjusted similarity before calibration (margins are read here)
    uncovered: float | None = None  # when pushed under the threshold for being no nearer than the
    before: float | None = None  # uncovered questions: their similarity, and this intent's before


class Decision(BaseModel):
    """What the question is: one intent, a choice between close intents, or out of scope."""

    kind: Literal["match", "ambiguous", "out_of_scope"]
    intent: str | None = None
    score: float = 0.0
    candidates: list[Match] = Field(default_factory=list)
    close: list[str] = Field(default_factory=list)  # a match chosen among these as close ones


class _Query(NamedTuple):
    text: str
    compact: str
    terms: list[str]
    personal: int


OFF_DOMAIN = 0.15
FOREIGN = 0.2  # times the share of the question's words found in no example and no vocabulary
W_SECOND = 0.3  # an intent's score leans on its two nearest examples, not one
CONVERSATION_STRANGE = 0.15  # times the share of the message's words a conversation intent never uses
FRAGMENT_CHARS = 6  # a bare term is at most this long
FRAGMENT_RAW = 0.15  # the raw similarity from which a bare term is answered by its best intent
MONTH_CLASH = 0.1  # an example naming other months than the question
TOPIC_CLASH = 0.1  # an example naming only other domain terms than the question
RARE = 0.04  # per telling word of the question the intent never uses (at most two)
HYPOTHETICAL_TASKS = ("what_if",)
NOT_HYPOTHETICAL = 0.1  # for or against a what-if, with or without 如果/要是/假如/…的话
UNCOVERED = "__uncovered__"  # the catalogue's questions the sources do not answer
UNCOVERED_NEAR = 0.3  # raw: an uncovered question this near is not outweighed by notions alone
UNCOVERED_MARGIN = 0.03  # an intent must beat them by this much (raw) to be answered
QUALIFIER = 0.12  # the question names a benefit the intent's wordings never name
NOTION_MISS = 0.045  # per notion of the question (at most two) an intent's wordings never name
CONCEPT_FLOOR = 0.12  # raw: from here a question naming the subject's notions is answered
CONCEPT_FLOOR_TWO = 0.06  # and from here when the intent's wordings name two of them or more
CONCEPT_DEPTH = 12  # read this deep, so that greetings and "no" ranked first leave them room
DEFINING_SHARE = 0.8  # a notion this share of an entry's wordings name is its subject
WHO_NOTIONS = frozenset({"student", "newborn", "account", "outpatient_reform"})  # whose rule: a subject by itself
NOT_ITS_SUBJECT = 0.08  # an entry, for a question that names none of its subject's notions
CONCEPT_RIVALS = 3  # by the best of this many top intents whose wordings name them too


SHORT = 8  # characters: up to this, a message's bigrams come from all of it
_MONTH_NUMBER = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*月")
_INNER_MONTH = re.compile(r"(?<=\d)\d月")  # the "2月" inside "12月" is not February


def _terms(clean: str, squeezed: str) -> set[str]:
    """jieba tokens, plus "2:"-marked character bigrams of the text ("1:" characters when short)."""
    words = tokens(clean, normalised=True)
    out = set(words)
    for word in words:  # 固定待遇等待期 is also an 等待期, 零报销激励 a 零报销
        if len(word) >= 4:
            out.update(w for w in domain_words() if len(w) < len(word) and w in word)
    out.update("m:" + str(int(m)) for m in _MONTH_NUMBER.findall(clean))  # 2月 is not 12月
    # in a sentence, bigrams of the content words only: filler ("听说", "任何", "吗") adds
    # nothing to match; a short message ("谢谢你的帮助") keeps all of its characters
    content = "".join(words) if len(squeezed) > SHORT and words else squeezed
    out.update("2:" + content[i : i + 2] for i in range(len(content) - 1) if not _INNER_MONTH.match(content, i))
    if len(squeezed) <= 3:
        out.update("1:" + ch for ch in squeezed)
    return out


def personal_strength(clean: str) -> int:
    """0..3: how plainly a question is about the asker's own history.

    Named years count; relative ones (今年, 明年) only beside a first person: "今年没报销明年
    封顶线涨多少" asks what the rule gives anyone, "我今年没报销" tells of one's own year."""
    first_person = bool(_FIRST_PERSON.search(clean))
    years = len(_YEAR.findall(clean))
    if not first_person:
        years -= len(_RELATIVE_YEAR.findall(clean))
    strength = int(first_person) + int(years >= 1) + int(years >= 2)
    if first_person and (_COUNT.search(clean) or _HYPOTHETICAL.search(clean)):
        strength += 1
    return min(strength, 3)


def _break_denied_as_continuity(clean: str) -> str:
    """A normalised text with each denied break ("没断保了") read as continuous payment ("一直交")."""
    return _NEGATED_BREAK.sub("一直交", clean)


def calibrate(raw: float) -> float:
    """A raw similarity as a score in 0..1, 0.5 at RAW_FALLBACK."""
    return 1.0 / (1.0 + math.exp(-STEEPNESS * (raw - RAW_FALLBACK)))


_PERSONAL_BONUS = {0: -0.25, 1: 0.0, 2: 0.1, 3: 0.15}
# What a personal calculation answers: one's own figure or date. A history told around another
# kind of question (能不能接着算, 额度能不能带过来) is a question about the rule, for the FAQ.
_OWN_FIGURE = re.compile(
    r"多少|多久|几个月|几月|哪天|哪一天|什么时候|几号|多长|最高支付限额|等待期|能报|能用|"
    r"恢复|降|涨|提高|加|激励|算一下|算算|帮我算|帮我看|要等|不用等|等那么|等这么|少等"
)
NO_OWN_FIGURE = 0.1  # a task intent, for a message that asks no figure of one's own


class Matcher:
    """An index of every example of a catalogue; `rank(text)` scores a question against it."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.specs: dict[str, IntentSpec] = catalogue.by_id()
        self.example_intent: list[str] = []
        self.concept_forms = {
            name: tuple(dict.fromkeys(normalise(f) for f in forms)) for name, forms in catalogue.concepts.items()
        }
        self.example_compact: list[str] = []
        self.example_weight: list[float] = []
        self.example_months: list[frozenset[str]] = []
        self.example_topics: list[frozenset[str]] = []
        self.example_notions: list[frozenset[str]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        example_terms: list[set[str]] = []
        sources = [(spec.id, spec.examples) for spec in catalogue.intents]
        sources.append((UNCOVERED, catalogue.uncovered))
        for intent_id, examples in sources:
            for example in examples:
                clean = normalise(example)
                squeezed = compact(clean, normalised=True)
                terms = _terms(clean, squeezed)
                index = len(self.example_intent)
                self.example_intent.append(intent_id)
                self.example_compact.append(squeezed)
                example_terms.append(terms)
                self.example_months.append(frozenset(t for t in terms if t.startswith("m:")))
                self.example_topics.append(self.topics_of(clean))
                self.example_notions.append(self.concepts_of(clean))
                for term in terms:
                    postings[term].append(index)
        n = max(len(self.example_intent), 1)
        self.uncovered_notions = [
            no for it, no in zip(self.example_intent, self.example_notions, strict=True) if it == UNCOVERED and no
        ]
        # the notions no uncovered question names: a question naming one is of the answered subject
        self.answered_notions = frozenset(self.concept_forms) - frozenset().union(
            *(no for it, no in zip(self.example_intent, self.example_notions, strict=True) if it == UNCOVERED)
        )
        self.unknown_idf = math.log(n + 1) + 1.0
        self.idf = {t: math.log((n + 1) / (len(p) + 0.5)) + 0.1 for t, p in postings.items()}
        self.postings = {t: tuple(p) for t, p in postings.items()}
        self.example_weight = [sum(self.idf[t] for t in terms) or 1.0 for terms in example_terms]
        intent_postings: dict[str, set[str]] = defaultdict(set)
        for intent, terms in zip(self.example_intent, example_terms, strict=True):
            for term in terms:
                intent_postings[term].add(intent)
        self.intent_months: dict[str, frozenset[str]] = {}
        for intent, months in zip(self.example_intent, self.example_months, strict=True):
            self.intent_months[intent] = self.intent_months.get(intent, frozenset()) | months
        self.intent_topics: dict[str, frozenset[str]] = {}  # the domain terms its wordings name
        for intent, topic in zip(self.example_intent, self.example_topics, strict=True):
            self.intent_topics[intent] = self.intent_topics.get(intent, frozenset()) | topic
        k = len(self.specs) + 1  # the uncovered questions count as one more intent
        self.intent_unknown_idf = math.log(k + 1) + 1.0
        self.intent_idf = {t: math.log((k + 1) / (len(p) + 0.5)) + 0.1 for t, p in intent_postings.items()}
        self.intent_postings = {t: tuple(sorted(p)) for t, p in intent_postings.items()}
        self.oos_words = tuple(normalise(w) for w in catalogue.out_of_scope)
        self.domain_words = tuple(normalise(w) for w in catalogue.domain)
        known: set[str] = {t for t in postings if not t.startswith(("2:", "1:"))}
        for text in catalogue.vocabulary:
            known.update(tokens(text))
        self.known_words = frozenset(known)
        self.keywords = {s.id: tuple(normalise(w) for w in s.keywords) for s in catalogue.intents}
        self.negative = {s.id: tuple(normalise(w) for w in s.negative) for s in catalogue.intents}
        self.qualifiers = tuple(dict.fromkeys(normalise(w) for w in catalogue.qualifiers))
        self.qualified = {
            s.id: frozenset(w for w in self.qualifiers if any(w in normalise(e) for e in s.examples))
            for s in catalogue.intents
        }
        self.intent_concepts: dict[str, frozenset[str]] = {}  # the notions its wordings name
        named_by: dict[str, Counter[str]] = defaultdict(Counter)
        wordings: Counter[str] = Counter()
        for intent, notions in zip(self.example_intent, self.example_notions, strict=True):
            if intent != UNCOVERED:
                self.intent_concepts[intent] = self.intent_concepts.get(intent, frozenset()) | notions
                named_by[intent].update(notions)
                wordings[intent] += 1
        # the notions nearly every wording of an entry names (student for the students' entry): the
        # entry's own subject, which a question naming none of them is not about
        self.defining: dict[str, frozenset[str]] = {
            intent: frozenset(
                n for n, c in named_by[intent].items() if n in WHO_NOTIONS and c >= DEFINING_SHARE * wordings[intent]
            )
            for intent in wordings
            if self.specs[intent].kind == "faq"
        }

    def concepts_of(self, clean: str) -> frozenset[str]:
        """The subject's notions (catalogue.concepts) a normalised text names: continuity, break ...
        A break denied ("十几年没断过", "从未中断") names continuity, not a break."""
        clean = _break_denied_as_continuity(clean)
        return frozenset(name for name, forms in self.concept_forms.items() if any(f in clean for f in forms))

    def by_concept(self, text: str, ranked: list[Match]) -> Match | None:
        """The intent that answers a question every intent scored under the refusal point, when the
        question names the subject's own notions (断保, 零报销, 等待期, 新生儿 ...): of the
        CONCEPT_RIVALS best FAQ or task intents from CONCEPT_FLOOR up (CONCEPT_FLOOR_TWO when its
        wordings name two of the question's notions or more), at least as near as the
        uncovered questions (the answered margin UNCOVERED_MARGIN is not asked here), the one
        whose wordings name most of the question's notions (then the best ranked). None when the
        question names none of them, or no such intent names them.

        New words around a notion (a story, a relative, a dialect turn) lower every similarity
        alike; the notion still says what the question is about, and the ranking which answer."""
        named = self.concepts_of(self.query(text).text)
        if not named:
            return None
        policy = [m for m in ranked if self.specs[m.intent].kind != "conversation"]
        if len(policy) < CONCEPT_RIVALS:  # greetings and "no" ranked first: read deeper
            seen = {m.intent for m in policy}
            deeper = self.rank(text, limit=CONCEPT_DEPTH)
            policy += [m for m in deeper if self.specs[m.intent].kind != "conversation" and m.intent not in seen]
        shared = [
            (len(named & self.intent_concepts.get(m.intent, frozenset())), m.raw, m) for m in policy[:CONCEPT_RIVALS]
        ]
        # the most of the question's notions any one uncovered question names: an intent naming more of
        # them (two at least) is nearer in subject however near an uncovered question reads in words
        unanswered = max((len(named & no) for no in self.uncovered_notions), default=0)
        shared = [
            row
            for row in shared
            if row[0]
            and (
                _nearer_than_uncovered(row[2], CONCEPT_FLOOR if row[0] == 1 else CONCEPT_FLOOR_TWO)
                or (
                    row[0] >= 2
                    and row[0] > unanswered
                    and _before(row[2]) >= CONCEPT_FLOOR_TWO
                    and (row[2].uncovered or 0.0) < UNCOVERED_NEAR  # (取现 is near "取现到银行卡")
                )
            )
        ]
        return max(shared, key=lambda row: row[:2])[2] if shared else None

    @staticmethod
    def topics_of(clean: str) -> frozenset[str]:
        """The domain dictionary's terms a normalised text names (断保, 零报销, 新生儿 ...); a break
        denied ("没断保") names none."""
        clean = _break_denied_as_continuity(clean)
        return frozenset(w for w in domain_words() if w in clean)

    def is_fragment(self, text: str) -> bool:
        """A bare term of the subject ("交费", "新生儿参保"): short, asking nothing, every word
        known to the catalogue and one of them a domain word."""
        q = self.query(text)
        words = [t for t in q.terms if not t.startswith(("2:", "1:", "m:"))]
        return (
            0 < len(q.compact) <= FRAGMENT_CHARS
            and bool(words)
            and not _ASKS.search(q.text)
            and all(t in self.known_words for t in words)
            and any(w in q.text for w in self.domain_words)
        )

    def query(self, text: str, normalised: bool = False) -> _Query:
        """The question read for matching (`normalised`: `text` is already the pipeline's output)."""
        clean = (text if normalised else normalise(text or ""))[:500]
        squeezed = compact(clean, normalised=True)
        return _Query(
            text=clean,
            compact=squeezed,
            terms=sorted(_terms(clean, squeezed)),
            personal=personal_strength(clean),
        )

    def rank(self, text: str, limit: int = 5) -> list[Match]:
        """Intents ranked by score (best first), at most `limit` of them.

        A long message (LONG_QUERY characters and more) is also scored piece by piece (two or
        three clauses in a row that ask something), and each intent keeps its best reading less
        W_WINDOW (and W_LEFT_OUT times the share of the message's words the piece leaves out): a story
        around a question ("我身体一直好，好几年没去医院…有奖励吗") must not drown it."""
        q = self.query(text)
        if not q.compact:
            return []
        notions = self.concepts_of(q.text)
        scored = self._adjusted(q, q.personal, notions)
        if len(q.compact) >= LONG_QUERY:
            clauses = [c for c in _CLAUSE.split(q.text) if c]
            whole = sum(len(t) for t in q.terms if not t.startswith(("2:", "1:"))) or 1
            for size in (2, 3):
                for i in range(len(clauses) - size + 1):
                    piece = self.query(" ".join(clauses[i : i + size]), normalised=True)  # (clauses of q.text)
                    content = sum(len(t) for t in piece.terms if not t.startswith(("2:", "1:")))
                    if content < 4 or len(piece.compact) >= len(q.compact) or not _ASKS.search(piece.text):
                        continue  # a piece that tells ("2025年交了") is no reading of the question
                    cost = W_WINDOW + W_LEFT_OUT * max(0.0, 1 - content / whole)
                    for intent, sim in self._adjusted(piece, q.personal, notions).items():
                        if sim - cost > scored.get(intent, -1.0):
                            scored[intent] = sim - cost
        uncovered = scored.pop(UNCOVERED, None)
        pushed: dict[str, float] = {}
        if uncovered is not None:
            for intent, sim in scored.items():
                if uncovered >= sim - UNCOVERED_MARGIN:
                    # nearer to what the sources do not answer than to this intent: refused
                    scored[intent] = min(sim, RAW_FALLBACK - 0.02) - (uncovered - sim + UNCOVERED_MARGIN)
                    pushed[intent] = sim
        ordered = sorted(((sim, intent) for intent, sim in scored.items()), reverse=True)
        return [
            Match(
                intent=intent,
                score=round(calibrate(sim), 4),
                raw=round(sim, 4),
                uncovered=round(uncovered, 4) if intent in pushed and uncovered is not None else None,
                before=round(pushed[intent], 4) if intent in pushed else None,
            )
            for sim, intent in ordered[:limit]
        ]

    def _similarities(self, q: _Query, q_notions: frozenset[str]) -> dict[str, float]:
        """Each intent's similarity to the question (UNCOVERED among them), before adjustment;
        `q_notions` are the notions of the whole message (a piece of it is read in their light)."""
        weights = {t: self.idf.get(t, self.unknown_idf) for t in q.terms}
        total = sum(weights.values()) or 1.0
        shared: dict[int, float] = defaultdict(float)
        for term, weight in weights.items():
            for index in self.postings.get(term, ()):
                shared[index] += weight
        best: dict[str, float] = {}
        second: dict[str, float] = defaultdict(float)
        q_months = frozenset(t for t in q.terms if t.startswith("m:"))
        q_topics = self.topics_of(q.text)
        for index, overlap in shared.items():
            sim = (
                W_COVERAGE * overlap / total
                + W_PRECISION * overlap / self.example_weight[index]
                + W_FUZZY * Indel.normalized_similarity(q.compact, self.example_compact[index])
            )
            months = self.example_months[index]
            if q_months and months and not q_months & months:
                sim -= MONTH_CLASH  # "2月份交的" is not "12月交的", however alike they read
            topic = self.example_topics[index]
            if q_topics and topic and not q_topics & topic:
                sim -= TOPIC_CLASH  # "怎么才算断保" is not "怎么才算零报销", however alike they read
            intent = self.example_intent[index]
            if intent == UNCOVERED:
                # an uncovered question is less near for each of the question's notions that only
                # the answered questions speak of (零报销, 等待期: self.answered_notions), as the
                # intents are for the notions their wordings never name (NOTION_MISS in _adjusted)
                sim -= NOTION_MISS * min(2, len(q_notions & self.answered_notions))
            if sim > best.get(intent, 0.0):
                second[intent] = best.get(intent, 0.0)
                best[intent] = sim
            elif sim > second[intent]:
                second[intent] = sim
        iw = {t: self.intent_idf.get(t, self.intent_unknown_idf) for t in q.terms}
        itotal = sum(iw.values()) or 1.0
        icov: dict[str, float] = defaultdict(float)
        for term, weight in iw.items():
            for intent in self.intent_postings.get(term, ()):
                icov[intent] += weight / itotal
        for intent in best:
            nearest = (1 - W_SECOND) * best[intent] + W_SECOND * second[intent]
            months = self.intent_months.get(intent, frozenset())
            if q_months and months and not q_months & months:
                nearest -= MONTH_CLASH  # no example of the intent names the question's month
            # the uncovered questions are many topics, not one: only their nearest ones count
            spread = nearest if intent == UNCOVERED else icov[intent]
            best[intent] = W_EXAMPLE * nearest + W_INTENT * spread
        return best

    def _adjusted(self, q: _Query, personal: int, notions: frozenset[str]) -> dict[str, float]:
        """_similarities() with the adjustments of the module notes; `notions`: the whole message's
        (the uncovered questions are held to them; an intent to the notions of the text it reads)."""
        best = self._similarities(q, notions)
        own = self.concepts_of(q.text)  # an intent answers the piece read, in its own notions
        penalty = 0.25 * sum(1 for w in self.oos_words if w in q.text)
        words = [t for t in q.terms if not t.startswith(("2:", "1:"))]
        foreign = sum(1 for t in words if t not in self.known_words and not t.isdigit() and not t.startswith("m:"))
        foreign_share = foreign / len(words) if words else 0.0
        bonus = _PERSONAL_BONUS[personal]
        off_domain = (
            bool(self.domain_words)
            and not any(w in q.text for w in self.domain_words)
            and not _YEAR.search(q.text)
            and not _COUNT.search(q.text)
        )
        hypothetical = bool(_HYPOTHETICAL.search(q.text))
        asks_own = bool(_OWN_FIGURE.search(q.text))
        # the question's most telling words (used by one or two intents only: 大一, 献血 is not
        # known at all): an intent that never uses them explains less of the question
        telling = [t for t in words if len(self.intent_postings.get(t, ())) in (1, 2)][:2]
        named = frozenset(w for w in getattr(self, "qualifiers", ()) if w in q.text)
        scored: dict[str, float] = {}
        for intent, sim in best.items():
            if intent == UNCOVERED:
                scored[intent] = sim  # the off-topic words speak for it, not against
                continue
            spec = self.specs[intent]
            # a greeting or thanks around an off-topic request does not make it one
            sim -= penalty * (2 if spec.kind == "conversation" else 1)
            sim += 0.05 * sum(1 for w in self.keywords[intent] if w in q.text)
            sim -= 0.2 * sum(1 for w in self.negative[intent] if w in q.text)
            if spec.kind != "conversation":
                sim -= OFF_DOMAIN * off_domain + FOREIGN * foreign_share
                sim -= RARE * sum(1 for t in telling if intent not in self.intent_postings[t])
                if named and not named & self.qualified.get(intent, frozenset()):
                    sim -= QUALIFIER  # a figure of another benefit (门诊的起付线)
                # the subject's notions the question names that none of the intent's wordings name
                sim -= NOTION_MISS * min(2, len(own - self.intent_concepts[intent]))
                if self.defining.get(intent) and not notions & self.defining[intent]:
                    sim -= NOT_ITS_SUBJECT  # "断了一年交了钱马上能用吗" is not the students' entry
            if spec.kind == "task":
                sim += bonus if asks_own else min(bonus, 0.0) - NO_OWN_FIGURE
                if intent in HYPOTHETICAL_TASKS:  # 假如/要是 ... 的话 speaks for a what-if
                    sim += NOT_HYPOTHETICAL if hypothetical else -NOT_HYPOTHETICAL
            elif spec.kind == "faq" and personal >= 2:
                sim -= 0.05 * (personal - 1)
            scored[intent] = sim
        return scored


def _before(match: Match) -> float:
    """An intent's raw similarity before any push by the uncovered questions."""
    return match.before if match.before is not None else match.raw


def _nearer_than_uncovered(match: Match, floor: float) -> bool:
    """Whether an intent scored `floor` or more before any push by the uncovered questions, and
    no less than they did."""
    if match.uncovered is None or match.before is None:
        return match.raw >= floor
    return match.before >= max(floor, match.uncovered)


def decide(
    ranked: list[Match], threshold: float = THRESHOLD, margin: float = MARGIN, fragment: bool = False
) -> Decision:
    """Match, ambiguous (runner-up within `margin`) or out of scope (best under `threshold`).

    A `fragment` (Matcher.is_fragment: a bare term such as "交费" or "集中参保期") names a
    topic without asking anything in particular: its best intent answers it, from a lower
    floor (FRAGMENT_RAW) and without "您是想问" between entries of the same topic."""
    if fragment and ranked and ranked[0].raw >= FRAGMENT_RAW:
        top = ranked[0]
        return Decision(kind="match", intent=top.intent, score=max(top.score, threshold), candidates=ranked[:3])
    if not ranked or ranked[0].score < threshold:
        best_score = ranked[0].score if ranked else 0.0
        return Decision(kind="out_of_scope", score=best_score, candidates=ranked[:3])
    top = ranked[0]
    close = [m for m in ranked[1:3] if m.score >= threshold and top.raw - m.raw < margin]
    if close:
        return Decision(kind="ambiguous", score=top.score, candidates=[top, *close])
    return Decision(kind="match", intent=top.intent, score=top.score, candidates=ranked[:3])
