"""Who a question asks about: the relatives it names, and whether each is a 近亲属.

relations(text) reads the text through the one pipeline (intents.text.normalise) and finds the
relation words of intents/data/kinship.yaml in it, longest first; words joined by 的 make one
relation whose path is theirs end to end (老婆的妹妹 = 妻子的妹妹; the dialect lexicon already
writes 小舅子 as 妻子的弟弟). A path is a 近亲属 when it is one of the eight the seed lists
(004 二.1, after 《民法典》): the spouse, a parent, a child, a sibling, a parent's parent, a
child's child. A word with two readings (公公: the husband's father, or the grandfather) keeps
both; a step- or adoptive relation is left undecided.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, NamedTuple

from pydantic import BaseModel

from intents.text import DATA, load_yaml, normalise, to_simplified

Verdict = Literal["near", "not_near", "undecided", "depends"]


class Reading(BaseModel):
    """One way to read the relation: its steps from the person asking, and its 近亲属 category
    (None when it is none of the eight); `undecided` for step- and adoptive relations."""

    path: tuple[str, ...]
    near: str | None
    undecided: bool = False

    @property
    def plain(self) -> str:
        """The relation in plain words: 妻子的弟弟."""
        return "的".join(self.path) or "非亲属"


class Relation(BaseModel):
    """A person the question names: as it says them (小舅子), and its readings."""

    said: str
    readings: tuple[Reading, ...]

    @property
    def verdict(self) -> Verdict:
        if any(r.undecided for r in self.readings):
            return "undecided"
        near = {r.near is not None for r in self.readings}
        if near == {True}:
            return "near"
        return "not_near" if near == {False} else "depends"


class _Step(BaseModel):
    kind: Literal["spouse", "parent", "child", "sibling"]
    sex: Literal["m", "f", ""]


class _Group(BaseModel):
    path: tuple[str, ...]
    near: str
    words: list[str]


class Kinship(BaseModel):
    near: tuple[str, ...]
    steps: dict[str, _Step]
    relations: list[_Group]
    others: list[str]


@lru_cache(maxsize=1)
def kinship() -> Kinship:
    return Kinship.model_validate(load_yaml(DATA / "kinship.yaml"))


def near_relatives() -> tuple[str, ...]:
    """The eight categories, as the seed lists them: 配偶、父母、子女 ..."""
    return kinship().near


def category(path: tuple[str, ...]) -> str | None:
    """The 近亲属 category of a path of steps from the person, None when it is none of them."""
    steps = kinship().steps
    if not path or any(s not in steps for s in path):
        return None
    kinds = tuple(steps[s].kind for s in path)
    one = {"spouse": "配偶", "parent": "父母", "child": "子女", "sibling": "兄弟姐妹"}
    if len(kinds) == 1:
        return one[kinds[0]]
    two = {("parent", "parent"): ("祖父母", "外祖父母"), ("child", "child"): ("孙子女", "外孙子女")}
    if len(kinds) == 2 and kinds in two:
        paternal, maternal = two[kinds]
        sex = steps[path[0]].sex
        return paternal if sex == "m" else maternal if sex == "f" else f"{paternal}或{maternal}"
    return None


def _reading(path: tuple[str, ...], near: str) -> Reading:
    return Reading(path=path, near=category(path), undecided=near == "undecided")


class _Table(NamedTuple):
    pattern: re.Pattern[str]
    readings: dict[str, tuple[Reading, ...]]
    words: dict[str, tuple[str, ...]]
    own: dict[str, tuple[Reading, ...]]


@lru_cache(maxsize=1)
def _table() -> _Table:
    """The normalised form of every word -> its readings; the words behind each normalised form
    (老汉儿 and 父亲 are both 父亲 once read); each word's own readings (侄女儿, not every word
    read as 侄小孩); one alternation of the forms, longest first."""
    readings: dict[str, list[Reading]] = {}
    words: dict[str, list[str]] = {}
    own: dict[str, list[Reading]] = {}
    for group in kinship().relations:
        for word in group.words:
            key = normalise(word)
            found = _reading(group.path, group.near)
            own.setdefault(word, []).append(found)
            if found not in readings.setdefault(key, []):
                readings[key].append(found)
            words.setdefault(key, []).append(word)
    for word in kinship().others:
        key = normalise(word)
        readings.setdefault(key, [Reading(path=(), near=None)])
        words.setdefault(key, []).append(word)
    pattern = re.compile("|".join(map(re.escape, sorted(readings, key=len, reverse=True))))
    return _Table(
        pattern=pattern,
        readings={k: tuple(v) for k, v in readings.items()},
        words={k: tuple(v) for k, v in words.items()},
        own={k: tuple(v) for k, v in own.items()},
    )


def _chain(parts: list[tuple[Reading, ...]]) -> tuple[Reading, ...]:
    """The readings of X的Y: every reading of X followed by every reading of Y (someone who is no
    relative anywhere in the chain makes it no relative)."""
    out = list(parts[0])
    for options in parts[1:]:
        joined: list[Reading] = []
        for head in out:
            for tail in options:
                path = head.path + tail.path if head.path and tail.path else ()
                reading = Reading(path=path, near=category(path), undecided=head.undecided or tail.undecided)
                if reading not in joined:
                    joined.append(reading)
        out = joined
    return tuple(out)


def _said(normalised: str, raw: str, start: int) -> tuple[str, int]:
    """The words the person typed for a normalised span: the longest word listed for it that the
    raw text holds from `start` on (小舅子 for 妻子的弟弟), else the span itself."""
    candidates = sorted(_table().words.get(normalised, ()), key=len, reverse=True)
    found = [(raw.find(w, start), -len(w), w) for w in candidates if raw.find(w, start) >= 0]
    if not found:
        return normalised, start
    at, _, word = min(found)
    return word, at + len(word)


def relations(text: str) -> list[Relation]:
    """The relatives a question names, in the order it names them (X的Y read as one)."""
    table = _table()
    clean = normalise(text)
    spans = list(table.pattern.finditer(clean))
    groups: list[list[re.Match[str]]] = []
    for m in spans:
        if groups and clean[groups[-1][-1].end() : m.start()] == "的":
            groups[-1].append(m)
        else:
            groups.append([m])
    raw = to_simplified(text or "").lower()
    found: list[Relation] = []
    cursor = 0
    for group in groups:
        span = clean[group[0].start() : group[-1].end()]
        said, cursor = _said(span, raw, cursor)
        own = table.own.get(said, ()) if len(group) == 1 else ()
        chain = own or _chain([table.readings[m.group(0)] for m in group])
        found.append(Relation(said=said, readings=chain))
    return found
