"""Ranked search over the FAQ entries, through the same text pipeline as intent matching.

Every text (question wordings, answers, excerpts) and every query goes through
`intents.text`: normalise (NFKC, traditional -> simplified, synonyms and dialect such as
封顶线 -> 最高支付限额, 断缴 -> 断保, 补交 -> 补缴, 娃儿 -> 小孩), jieba tokens with the domain
dictionary, and the compact string. Terms are the jieba tokens plus character bigrams of the
Chinese runs (bigrams survive typos and words that jieba cuts differently).

Each entry gets seven features in 0..1 (see `features`): BM25 against its closest question
wording, against its answer and against its excerpts, each divided by the score the query
would get against itself (terms never seen keep their full weight, so a query about the
weather scores near zero); the idf share of the query found anywhere in the entry, of all
terms and of content words; rapidfuzz similarity to the closest wording (typos); and whether
the query names anything of medical insurance at all. Their weighted sum goes through a
logistic calibration fitted by faq/calibrate.py, so a Hit's score is the estimated
probability that it is the entry meant; hits under THRESHOLD (just above every off-topic
query of the calibration) are not returned.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from faq.knowledge import ENTRIES, SOURCES, Entry, KnowledgeBase, load
from intents import text as pipeline
from intents.text import DATA, compact, normalise, read_cached, synonym_table, tokens, write_cached

# Chosen and fitted by faq/calibrate.py (held-out wordings against off-topic queries):
# score = 1 / (1 + exp(-(CAL_A * weighted sum + CAL_B))), the probability that the top hit
# is the right entry; THRESHOLD sits just above the best off-topic score.
CAL_A, CAL_B = 7.1294, -2.0984
THRESHOLD = 0.32
K1, B = 1.2, 0.75
FUZZY_FLOOR = 50  # rapidfuzz ratio below which two wordings are unrelated
# weights of (question, bag, answer, excerpt, fuzzy, words, domain); they sum to 1
WEIGHTS = (0.2, 0.1, 0.2, 0.2, 0.1, 0.1, 0.1)


class Hit(BaseModel):
    """One search result, ready to show: the entry's canonical question, our answer, and the
    excerpt it rests on with its citation."""

    entry_id: str
    topic: str
    question: str
    answer: str
    excerpt: str
    document: str
    article: str
    score: float
    matched: list[str]


# Words that mark a query as being about medical insurance at all (with the intents domain
# dictionary): a query holding none of them needs much stronger evidence to be answered.
DOMAIN_TERMS = frozenset(
    "医保 社会保险 参保 缴费 医保费 保费 报销 断保 补缴 等待期 待遇 激励 大病 最高支付限额 起付线 "
    "零报销 连续参保 住院 门诊 统筹 个人账户 共济 近亲属 生育 孕产妇 剖宫产 终止妊娠 计划生育 新生儿 "
    "出生医学证明 大学生 研究生 高校 低保 特困 脱贫 低收入 返贫 医疗救助 服刑 军人 退役 随军 户籍 "
    "港澳台 灵活就业 退休 市外 跨统筹区 跨制度 转移接续 集中参保期 一档 二档 财政补助 集体经济 "
    "税务 12366 12393 医保服务站 一件事 渝快办 渝药易购 医保钱包 电子凭证 移动支付 参保率 长效机制 "
    "实施方案 放宽 封顶".split()
)
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
# Question words and light verbs that say nothing about the topic; they still count in BM25
# (with their low idf) but not in the share of content words an entry covers.
GENERIC = frozenset(
    "怎么 什么 多少 多久 哪里 哪儿 哪个 哪些 哪天 几 几个 几月 时候 什么时候 可以 能 能不能 不能 会 会不会 "
    "要 要不要 需要 应该 是否 有没有 没有 有 算 算不算 吗 还 再 办 办理 弄 搞 去 来 给 用 交 领 问 找 "
    "一下 现在 今天 明天 昨天 一个 怎么办 为什么 为啥 咋办 情况 问题 意思 规定 政策 几号 几时 谁 哪 "
    "时间 东西 事 事情 知道 告诉 帮 帮忙 请 说 讲 看 想 了解 咨询 之前 以后 之后".split()
)


def terms(text: str) -> list[str]:
    """Index terms of a text: jieba content words, then character bigrams (marked with '~')."""
    clean = normalise(text)
    words = tokens(clean, normalised=True)
    grams = [run[i : i + 2] for run in _HAN_RUN.findall(clean) for i in range(len(run) - 1)]
    return words + ["~" + g for g in grams]


@dataclass
class _Bm25:
    """Okapi BM25 over a small collection, with an inverted index."""

    docs: list[Counter]
    lengths: list[int] = field(init=False)
    avgdl: float = field(init=False)
    idf: dict[str, float] = field(init=False)
    postings: dict[str, list[tuple[int, int]]] = field(init=False)
    unseen_idf: float = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.docs)
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avgdl = (sum(self.lengths) / n) if n else 1.0
        df: Counter = Counter()
        self.postings = {}
        for i, doc in enumerate(self.docs):
            for term, tf in doc.items():
                df[term] += 1
                self.postings.setdefault(term, []).append((i, tf))
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.unseen_idf = math.log(1 + (n + 0.5) / 0.5)

    def scores(self, query: Counter) -> dict[int, float]:
        out: dict[int, float] = {}
        for term in query:
            posting = self.postings.get(term)
            if not posting:
                continue
            idf = self.idf[term]
            for i, tf in posting:
                norm = K1 * (1 - B + B * self.lengths[i] / self.avgdl)
                out[i] = out.get(i, 0.0) + idf * tf * (K1 + 1) / (tf + norm)
        return out

    def ceiling(self, query: Counter) -> float:
        """The score of the query against itself as a document: the normaliser to 0..1."""
        length = sum(query.values())
        norm = K1 * (1 - B + B * length / self.avgdl)
        return sum(self.idf.get(t, self.unseen_idf) * tf * (K1 + 1) / (tf + norm) for t, tf in query.items())


@dataclass
class Index:
    """Everything search needs, computed once from the knowledge base."""

    kb: KnowledgeBase
    entries: list[Entry]
    questions: _Bm25  # one document per question wording
    owner: list[int]  # question wording -> entry position
    answers: _Bm25  # one document per entry
    excerpts: _Bm25  # one document per entry: its excerpts and their headings
    compact_questions: list[str]
    entry_terms: list[set[str]]
    word_idf: dict[str, float] = field(default_factory=dict)  # over entries, words only
    unseen_word_idf: float = 0.0


def build_index(kb: KnowledgeBase) -> Index:
    q_docs, owner, compacts, entry_terms = [], [], [], []
    a_docs, e_docs = [], []
    for pos, entry in enumerate(kb.entries):
        seen: set[str] = set()
        for q in entry.questions:
            t = terms(q)
            q_docs.append(Counter(t))
            owner.append(pos)
            compacts.append(compact(q))
            seen.update(t)
        a = terms(entry.answer)
        e = []
        for ex in entry.excerpts:
            heading = kb.passage(ex.passage).heading or ""
            e += terms(ex.text) + terms(heading)
        a_docs.append(Counter(a))
        e_docs.append(Counter(e))
        entry_terms.append(seen | set(a) | set(e))
    n = len(entry_terms)
    df = Counter(t for bag in entry_terms for t in bag if not t.startswith("~"))
    word_idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
    return Index(
        kb=kb,
        entries=list(kb.entries),
        questions=_Bm25(q_docs),
        owner=owner,
        answers=_Bm25(a_docs),
        excerpts=_Bm25(e_docs),
        compact_questions=compacts,
        entry_terms=entry_terms,
        word_idf=word_idf,
        unseen_word_idf=math.log(1 + (n + 0.5) / 0.5),
    )


@lru_cache(maxsize=1)
def domain_terms() -> tuple[str, ...]:
    """DOMAIN_TERMS and the intents domain dictionary, in normalised form."""
    words = set(DOMAIN_TERMS)
    for line in (DATA / "domain_dict.txt").read_text(encoding="utf-8").splitlines():
        if line.split():
            words.add(line.split()[0])
    return tuple(sorted({normalise(w) for w in words if len(w) >= 2}, key=len, reverse=True))


def in_domain(clean: str) -> bool:
    """Whether a normalised query names anything of medical insurance."""
    return any(w in clean for w in domain_terms())


def _fingerprint() -> str:
    """A hash of everything the index depends on: the data, the text pipeline, this module."""
    files = [
        *sorted(SOURCES.glob("*.yaml")),
        *sorted(ENTRIES.glob("*.yaml")),
        Path(__file__),
        Path(pipeline.__file__),
        *sorted(pipeline.DATA.glob("*.txt")),
        *sorted(pipeline.DATA.glob("synonyms*.yaml")),
    ]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


_CACHED_FIELDS = (
    "questions",
    "owner",
    "answers",
    "excerpts",
    "compact_questions",
    "entry_terms",
    "word_idf",
    "unseen_word_idf",
)


@lru_cache(maxsize=1)
def index() -> Index:
    """The index of the shipped knowledge base, built once and kept in the cache directory
    (keyed by a hash of the data and the code), so a fresh process does not re-cut every
    wording with jieba."""
    kb = load()
    name = f"faq-index-{_fingerprint()}.pickle"
    parts = read_cached(name)
    if isinstance(parts, dict) and len(parts.get("entry_terms", ())) == len(kb.entries):
        try:
            return Index(kb=kb, entries=list(kb.entries), **parts)
        except TypeError:
            pass
    built = build_index(kb)
    write_cached(name, {f: getattr(built, f) for f in _CACHED_FIELDS})
    return built


def _normalised(bm: _Bm25, query: Counter) -> dict[int, float]:
    ceiling = bm.ceiling(query)
    if ceiling <= 0:
        return {}
    return {i: min(1.0, s / ceiling) for i, s in bm.scores(query).items()}


def features(query: str, idx: Index | None = None) -> dict[int, tuple[float, ...]]:
    """Per entry with any evidence: (question, bag, answer, excerpt, fuzzy, words, domain), 0..1.

    question  BM25 against the entry's closest question wording, normalised
    bag       the idf share of the query's terms that occur anywhere in the entry
    answer    BM25 against the answer, normalised
    excerpt   BM25 against the excerpts and their headings, normalised
    fuzzy     rapidfuzz ratio of the compact query to the closest question wording, rescaled
              so that FUZZY_FLOOR and below is 0
    words     the idf share of the query's content words (not GENERIC) found in the entry
    domain    1 when the query names anything of medical insurance (DOMAIN_TERMS), else 0
    """
    idx = idx or index()
    clean = normalise(query or "")
    flat = compact(clean, normalised=True)
    if not flat:
        return {}
    q = Counter(terms(clean))
    if not q:
        return {}
    best_q: dict[int, float] = {}
    for i, s in _normalised(idx.questions, q).items():
        pos = idx.owner[i]
        if s > best_q.get(pos, 0.0):
            best_q[pos] = s
    best_f: dict[int, float] = {}
    for _, s, i in process.extract(flat, idx.compact_questions, scorer=fuzz.ratio, limit=40, score_cutoff=FUZZY_FLOOR):
        pos = idx.owner[i]
        s = (s - FUZZY_FLOOR) / (100 - FUZZY_FLOOR)  # only near-identical strings count
        if s > best_f.get(pos, 0.0):
            best_f[pos] = s
    weights = {t: idx.questions.idf.get(t, idx.questions.unseen_idf) for t in q}
    total = sum(weights.values()) or 1.0
    content = {t: idx.word_idf.get(t, idx.unseen_word_idf) for t in q if not t.startswith("~") and t not in GENERIC}
    content_total = sum(content.values())
    ans = _normalised(idx.answers, q)
    exc = _normalised(idx.excerpts, q)
    domain = 1.0 if in_domain(clean) else 0.0
    out: dict[int, tuple[float, ...]] = {}
    for pos in set(best_q) | set(best_f) | set(ans) | set(exc):
        have = idx.entry_terms[pos]
        bag = sum(w for t, w in weights.items() if t in have) / total
        words = sum(w for t, w in content.items() if t in have) / content_total if content_total else 0.0
        out[pos] = (
            best_q.get(pos, 0.0),
            bag,
            ans.get(pos, 0.0),
            exc.get(pos, 0.0),
            best_f.get(pos, 0.0),
            words,
            domain,
        )
    return out


def combine(f: tuple[float, ...], weights: tuple[float, ...] = WEIGHTS) -> float:
    return sum(w * x for w, x in zip(weights, f, strict=True))


def calibrated(raw: float) -> float:
    """The weighted feature sum as a 0..1 score (logistic fit in faq/calibrate.py)."""
    return 1 / (1 + math.exp(-(CAL_A * raw + CAL_B)))


def score_entries(query: str, idx: Index | None = None) -> list[tuple[float, int]]:
    """(calibrated score, entry position) for every entry with any evidence, best first."""
    out = [(calibrated(combine(f)), pos) for pos, f in features(query, idx).items()]
    out.sort(key=lambda p: (-p[0], p[1]))
    return out


def _matched(query: str, entry_terms: set[str], shown: str) -> list[str]:
    """Query words found in the entry, for highlighting, longest first: the normalised jieba
    words, plus the ways the shown text writes them (封顶线 for 最高支付限额, 断缴 for 断保)."""
    words = [w for w in dict.fromkeys(tokens(query)) if w in entry_terms and len(w) > 1 and w not in GENERIC]
    found = set(words)
    variants = [v for v, canonical in synonym_table().items() if canonical in found and len(v) > 1 and v in shown]
    return sorted(dict.fromkeys(words + variants), key=len, reverse=True)


def _best_excerpt(entry: Entry, query_terms: set[str]):
    def overlap(ex) -> int:
        return len(query_terms & set(terms(ex.text)))

    return max(entry.excerpts, key=overlap)


def search(query: str, k: int = 5) -> list[Hit]:
    """The entries that answer `query`, best first, only those scoring above THRESHOLD."""
    if k <= 0:
        return []
    idx = index()
    hits: list[Hit] = []
    q_terms = set(terms(query or ""))
    for score, pos in score_entries(query, idx)[:k]:
        if score < THRESHOLD:
            break
        entry = idx.entries[pos]
        ex = _best_excerpt(entry, q_terms)
        hits.append(
            Hit(
                entry_id=entry.id,
                topic=entry.topic,
                question=entry.question,
                answer=entry.answer,
                excerpt=ex.text,
                document=ex.document,
                article=ex.article,
                score=round(score, 4),
                matched=_matched(query, idx.entry_terms[pos], f"{entry.question}{entry.answer}{ex.text}"),
            )
        )
    return hits
