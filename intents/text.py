"""The one text pipeline shared by intent matching, FAQ search and slot extraction.

normalise(): NFKC (full-width digits and letters become ASCII), traditional -> simplified
(OpenCC t2s), lower case, then synonyms, dialect and common pinyin-input typos mapped to one
canonical vocabulary (intents/data/synonyms.yaml). Punctuation and digits are kept, because
slot extraction reads "2025-12-10", "25、26年" and "2025到2027年".

tokens(): normalise, then jieba with the domain dictionary shipped in intents/data, with
punctuation, white space and filler words (intents/data/stopwords.txt) removed.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, str]:
    """variant -> canonical, from synonyms.yaml."""
    raw = yaml.safe_load((DATA / "synonyms.yaml").read_text(encoding="utf-8")) or {}
    table: dict[str, str] = {}
    for canonical, variants in raw.items():
        for variant in variants or []:
            table[str(variant)] = str(canonical)
    return table


@lru_cache(maxsize=1)
def _synonym_pattern() -> re.Pattern[str] | None:
    table = synonym_table()
    if not table:
        return None
    alternatives = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives)))


def to_simplified(text: str) -> str:
    """NFKC, then traditional -> simplified characters."""
    text = unicodedata.normalize("NFKC", text)
    if any(ord(ch) > 0x2E7F for ch in text):
        text = _converter().convert(text)
    return text


def normalise(text: str) -> str:
    """Canonical form of what a person typed; keeps digits and punctuation for slot extraction."""
    text = to_simplified(text or "").lower()
    pattern = _synonym_pattern()
    if pattern is not None:
        table = synonym_table()
        text = pattern.sub(lambda m: table[m.group(0)], text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words = (DATA / "stopwords.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in words if w)


@lru_cache(maxsize=1)
def tokenizer():
    """A jieba tokenizer of our own (not the global one) with the domain dictionary loaded."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.load_userdict(str(DATA / "domain_dict.txt"))
    return tok


def tokens(text: str, *, normalised: bool = False) -> list[str]:
    """Content words of a text: normalised, cut by jieba, without punctuation or filler."""
    clean = text if normalised else normalise(text)
    stop = stopwords()
    out = []
    for word in tokenizer().lcut(clean, HMM=True):
        word = _PUNCT.sub("", word)
        if word and word not in stop:
            out.append(word)
    return out


def compact(text: str, *, normalised: bool = False) -> str:
    """The normalised text without punctuation or white space: the string fuzzy matching sees."""
    clean = text if normalised else normalise(text)
    return _PUNCT.sub("", clean)
