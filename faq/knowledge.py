"""The knowledge base: source documents cut into passages, and FAQ entries quoting them.

Sources (faq/sources/*.yaml) hold the in-scope parts of the five seed documents, cleaned of
print line breaks, one passage per article, item or paragraph, each with a stable id such as
`004-五.4`, `002-三` or `001-p17`. Entries (faq/entries/*.yaml) hold the questions people ask,
a plain answer, and excerpts quoted verbatim from those passages.

Loading checks every reference: an excerpt that does not occur word for word in the passage
it cites, a citation of a passage that does not exist, or a repeated id raises a
`ValidationError` (a `ValueError`), so broken data never reaches a resident.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

HERE = Path(__file__).parent
SOURCES = HERE / "sources"
ENTRIES = HERE / "entries"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Passage(BaseModel):
    """One addressable piece of a document: an article, an item or a paragraph."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^\d{3}-\S+$")
    article: str = Field(min_length=1)
    heading: str | None = None
    text: str = Field(min_length=1)


class Document(BaseModel):
    """A source text with its metadata; `name` is how the product cites it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^\d{3}$")
    title: str
    subtitle: str | None = None
    number: str | None = None
    issuer: str
    author: str | None = None
    date: dt.date | None = None
    kind: Literal["notice", "press report"]
    prevails: bool = False
    about: str | None = None
    note: str | None = None
    passages: list[Passage] = Field(min_length=1)

    @model_validator(mode="after")
    def _passages_belong_here(self) -> Document:
        seen: set[str] = set()
        for p in self.passages:
            if not p.id.startswith(f"{self.id}-"):
                raise ValueError(f"passage {p.id} does not belong to document {self.id}")
            if p.id in seen:
                raise ValueError(f"passage id repeats: {p.id}")
            seen.add(p.id)
        return self

    @property
    def name(self) -> str:
        """Display name with the document number: 渝医保发〔2025〕37号《…》, 重庆晨报2025年6月26日《…》."""
        if self.number:
            return f"{self.number}《{self.title}》"
        if self.date is None:
            return f"《{self.title}》（{self.issuer}刊载）"
        return f"{self.issuer}{self.date.year}年{self.date.month}月{self.date.day}日《{self.title}》"

    @property
    def short_name(self) -> str:
        """The number alone for notices, the outlet and date for press reports."""
        if self.number:
            return self.number
        return self.name


class Excerpt(BaseModel):
    """A sentence quoted verbatim from a passage; `document` and `article` are filled on loading."""

    passage: str
    text: str = Field(min_length=4)
    document: str = ""
    article: str = ""

    @property
    def citation(self) -> str:
        return f"{self.document} {self.article}".strip()


class Unless(BaseModel):
    """A condition of the answer that the question may say is not met: when `when` (a regular
    expression, read on the question's normalised text, numerals as digits) matches, the answer's yes/no opening
    ("可以。") is replaced by `opening`, which says why, from the same articles."""

    when: str = Field(min_length=2)
    opening: str = Field(min_length=4)

    @field_validator("when")
    @classmethod
    def _compiles(cls, when: str) -> str:
        try:
            re.compile(when)
        except re.error as e:
            raise ValueError(f"not a regular expression: {when!r} ({e})") from e
        return when


class Entry(BaseModel):
    """One question people ask, in many wordings, with our plain answer and its quoted basis;
    `unless`: the conditions under which its yes/no opening turns (Unless)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    topic: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    questions: list[str] = Field(min_length=12)
    answer: str = Field(min_length=10)
    excerpts: list[Excerpt] = Field(min_length=1)
    unless: list[Unless] = Field(default_factory=list)

    @field_validator("questions")
    @classmethod
    def _distinct_wordings(cls, questions: list[str]) -> list[str]:
        cleaned = [q.strip() for q in questions]
        if any(not q for q in cleaned):
            raise ValueError("empty question wording")
        dupes = {q for q in cleaned if cleaned.count(q) > 1}
        if dupes:
            raise ValueError(f"question wording repeats: {sorted(dupes)}")
        return cleaned

    @property
    def question(self) -> str:
        """The canonical wording (the first)."""
        return self.questions[0]


class KnowledgeBase(BaseModel):
    documents: list[Document]
    entries: list[Entry]
    _entries: dict[str, Entry] = PrivateAttr(default_factory=dict)
    _passages: dict[str, Passage] = PrivateAttr(default_factory=dict)
    _docs: dict[str, Document] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _references_hold(self) -> KnowledgeBase:
        docs: set[str] = set()
        passages: dict[str, tuple[Document, Passage]] = {}
        for doc in self.documents:
            if doc.id in docs:
                raise ValueError(f"document id repeats: {doc.id}")
            docs.add(doc.id)
            for p in doc.passages:
                if p.id in passages:
                    raise ValueError(f"passage id repeats: {p.id}")
                passages[p.id] = (doc, p)
        ids: set[str] = set()
        for entry in self.entries:
            if entry.id in ids:
                raise ValueError(f"entry id repeats: {entry.id}")
            ids.add(entry.id)
            for ex in entry.excerpts:
                if ex.passage not in passages:
                    raise ValueError(f"entry {entry.id} cites a passage that does not exist: {ex.passage}")
                doc, p = passages[ex.passage]
                if ex.text not in p.text:
                    raise ValueError(f"entry {entry.id}: excerpt not verbatim in {ex.passage}: {ex.text!r}")
                ex.document, ex.article = doc.name, p.article
        return self

    def model_post_init(self, _context) -> None:
        self._entries = {e.id: e for e in self.entries}
        self._passages = {p.id: p for d in self.documents for p in d.passages}
        self._docs = {d.id: d for d in self.documents}

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id (KeyError if there is none)."""
        return self._entries[entry_id]

    def passage(self, passage_id: str) -> Passage:
        """The passage with this id (KeyError if there is none)."""
        return self._passages[passage_id]

    def document(self, doc_id: str) -> Document:
        return self._docs[doc_id]

    def document_of(self, passage_id: str) -> Document:
        return self._docs[passage_id.split("-", 1)[0]]

    @property
    def topics(self) -> list[str]:
        return sorted({e.topic for e in self.entries})


def _read(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def read_entries(directory: Path) -> list[dict]:
    """Raw entries from every YAML file; a file's `topic` applies to entries that name none."""
    raw: list[dict] = []
    for path in sorted(directory.glob("*.yaml")):
        data = _read(path) or {}
        for item in data.get("entries") or []:
            raw.append({"topic": data.get("topic"), **item})
    return raw


def load_from(sources: Path = SOURCES, entries: Path = ENTRIES) -> KnowledgeBase:
    """Read and validate a knowledge base from two directories of YAML (not cached)."""
    documents = [_read(p) for p in sorted(sources.glob("*.yaml"))]
    return KnowledgeBase.model_validate({"documents": documents, "entries": read_entries(entries)})


@lru_cache(maxsize=1)
def load() -> KnowledgeBase:
    """The shipped knowledge base, validated once per process."""
    return load_from()
