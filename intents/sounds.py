"""Typo repair by sound and shape: a non-word that sounds or looks like a domain term is read as it.

People type Chinese by pinyin, so the usual typo is a homophone picked from the candidate list
(缴废 for 缴费, 断报 for 断保, 激厉 for 激励, 零包销 for 零报销); a hand-writing input gives a
character of the same shape (封项线 for 封顶线). The rule, for every domain term T of two to
six characters and every span W of the text as long as T:

- W differs from T in exactly one character c (in place of T's t);
- c sounds like t: the usual pinyin syllables of c and t are one once tones are dropped and the sounds
  a Chongqing speaker merges are merged (zh/z, ch/c, sh/s, n/l, hu/fu, eng/en, ing/in); or,
  for terms of three characters and more, c and t are in one group of intents/data/shapes.txt
  (characters mistaken for one another by shape);
- W is not a word of the dictionary (real words are never "corrected": 包销, 报效, 大兵), no
  dictionary word of the text crosses W's edge (已报销 holds no 医保), and c is not a function
  character (不, 了, 已, 每 ...: 不交 is not 补缴, 每连续 is not 没连续); and c is not at an edge
  of T whose rest is a term (医保线上 holds 医保, not a mistyped 医保险).

Only the sounds of the terms' own characters are kept (built once with pypinyin and cached on
disk by intents.text), so reading a message costs a few dictionary look-ups per character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# Characters that carry grammar, not content: never taken for a typo of a term's character.
FUNCTION_CHARS = frozenset(
    "不没未已以一也又有的地得了着过是在再才就都和与及或而把被给让叫向从对为于到"
    "去来说要会能可这那哪谁我你他她它们个几多少么吗呢吧啊呀哦嘛年月日号每各另该此其之"
)
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
_MERGES = (("zh", "z"), ("ch", "c"), ("sh", "s"))
MANY_SLIPS_FROM = 4  # a term this long is read from a span that sounds like it throughout


def syllable_key(syllable: str) -> str:
    """A pinyin syllable without its tone, with the sounds of Chongqing speech merged."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", syllable) if not unicodedata.combining(ch))
    plain = plain.replace("ü", "v").lower()
    for long, short in _MERGES:
        if plain.startswith(long):
            plain = short + plain[len(long) :]
            break
    if plain.startswith("n") and not plain.startswith("ng"):
        plain = "l" + plain[1:]
    if plain == "hu":
        plain = "fu"
    if plain.endswith("eng"):
        plain = plain[:-1]
    elif plain.endswith("ing"):
        plain = plain[:-1]
    return plain


def _readings() -> dict[str, list[str]]:
    """Every character pypinyin knows -> the keys of its readings, the usual one first (pypinyin
    is imported only here, to build the repairer)."""
    from pypinyin import pinyin_dict  # noqa: PLC0415 - only to build the repairer (cached), not at start-up

    out: dict[str, list[str]] = {}
    for code, readings in pinyin_dict.pinyin_dict.items():
        out[chr(code)] = list(dict.fromkeys(syllable_key(r) for r in readings.split(",") if r))
    return out


def read_shapes(lines: Iterable[str]) -> dict[str, frozenset[str]]:
    """character -> the other characters of its shape groups (shapes.txt lines)."""
    out: dict[str, set[str]] = {}
    for line in lines:
        line = line.split("#", 1)[0]
        group = line.split()
        for ch in group:
            out.setdefault(ch, set()).update(c for c in group if c != ch)
    return {ch: frozenset(others) for ch, others in out.items()}


@dataclass
class Repairer:
    """The terms, indexed by "all characters but one", with the neighbours of their characters."""

    terms: tuple[str, ...]
    sounds_like: dict[str, frozenset[str]] = field(default_factory=dict)  # t -> characters c
    looks_like: dict[str, frozenset[str]] = field(default_factory=dict)
    slots: dict[tuple[int, int, str], tuple[str, ...]] = field(default_factory=dict)
    lengths: tuple[int, ...] = ()
    letters: frozenset[str] = frozenset()  # the characters of the terms
    known: frozenset[str] = frozenset()  # the terms themselves
    heard_as: dict[str, str] = field(default_factory=dict)  # a character that sounds like a term's -> its sound
    by_sound: dict[tuple[str, ...], str] = field(default_factory=dict)  # a term of 4+ by its sounds

    @classmethod
    def build(cls, terms: Iterable[str], shape_lines: Iterable[str]) -> Repairer:
        words = tuple(sorted({t for t in terms if 2 <= len(t) <= 6 and _HAN.match(t)}, key=len, reverse=True))
        readings = _readings()
        wanted = {ch for t in words for ch in t}
        by_key: dict[str, set[str]] = {}
        for ch, keys in readings.items():
            if keys:  # both characters by their usual reading: 缴 is jiao, 干 is gan (not an)
                by_key.setdefault(keys[0], set()).add(ch)
        sounds = {t: frozenset(c for c in by_key.get(readings[t][0], ()) if c != t) for t in wanted if readings.get(t)}
        shapes = read_shapes(shape_lines)
        heard_as = {c: readings[t][0] for t in wanted if readings.get(t) for c in (t, *sounds.get(t, ()))}
        by_sound: dict[tuple[str, ...], str] = {}
        for term in words:
            if len(term) >= MANY_SLIPS_FROM and all(ch in heard_as for ch in term):
                by_sound.setdefault(tuple(heard_as[ch] for ch in term), term)
        slots: dict[tuple[int, int, str], list[str]] = {}
        for term in words:
            for p in range(len(term)):
                slots.setdefault((len(term), p, term[:p] + term[p + 1 :]), []).append(term)
        return cls(
            terms=words,
            sounds_like=sounds,
            looks_like={t: shapes[t] for t in wanted if t in shapes},
            slots={k: tuple(v) for k, v in slots.items()},
            lengths=tuple(sorted({len(t) for t in words}, reverse=True)),
            letters=frozenset(wanted),
            known=frozenset(words),
            heard_as=heard_as,
            by_sound=by_sound,
        )

    def candidate(self, window: str) -> str | None:
        """The term `window` is a one-character slip of, if any (by sound, or shape from 3).

        A slip at a term's edge whose rest is a term itself is no slip: 医保线(上) holds 医保 and
        a 线 of another word, not a mistyped 医保险."""
        n = len(window)
        for p in range(n):
            c = window[p]
            if c in FUNCTION_CHARS:
                continue
            for term in self.slots.get((n, p, window[:p] + window[p + 1 :]), ()):
                t = term[p]
                if c == t or (p == n - 1 and term[:-1] in self.known) or (p == 0 and term[1:] in self.known):
                    continue
                if c in self.sounds_like.get(t, ()) or (n >= 3 and c in self.looks_like.get(t, ())):
                    return term
        return None

    def _by_sound(self, window: str) -> str | None:
        """A term of MANY_SLIPS_FROM characters or more that `window` (every character of it heard in
        a term: Repairer.heard_as) sounds like throughout, whatever the number of slips (联续参宝鸡励
        for 连续参保激励), none of them a function character."""
        term = self.by_sound.get(tuple(self.heard_as[ch] for ch in window))
        if term is None or term == window:
            return None
        return None if any(c != t and c in FUNCTION_CHARS for c, t in zip(window, term, strict=True)) else term

    def repair(self, text: str, is_word: Callable[[str], bool], spans: Callable[[str], list[tuple[int, int]]]) -> str:
        """`text` with every slip of a term read as the term (see the module notes).

        is_word(w): whether w is a word of the dictionary; spans(text): the (start, end) of the
        dictionary words jieba finds in it (asked only when a slip is found)."""
        if not self.slots or len(text) < 2:
            return text
        # a slip keeps all but one of the term's characters: a span with fewer of the terms'
        # characters than that is skipped without a look-up
        known, heard = [0], [0]
        for ch in text:
            known.append(known[-1] + (ch in self.letters))
            heard.append(heard[-1] + (ch in self.heard_as))
        found: list[tuple[int, int, str]] = []
        i = 0
        while i < len(text) - 1:
            hit = None
            for n in self.lengths:
                if i + n > len(text):
                    continue
                one_slip = known[i + n] - known[i] >= n - 1
                by_ear = n >= MANY_SLIPS_FROM and heard[i + n] - heard[i] == n  # every character heard in a term
                if not one_slip and not by_ear:
                    continue
                window = text[i : i + n]
                if not _HAN.match(window):
                    continue
                term = (self.candidate(window) if one_slip else None) or (self._by_sound(window) if by_ear else None)
                if term is not None and not is_word(window):
                    hit = (i, i + n, term)
                    break
            if hit:
                found.append(hit)
                i = hit[1]
            else:
                i += 1
        if not found:
            return text
        words = [(s, e) for s, e in spans(text) if e - s >= 2]
        out, last = [], 0
        for start, end, term in found:
            crossing = any(s < end and e > start and (s < start or e > end) for s, e in words)
            if crossing:
                continue
            out.append(text[last:start])
            out.append(term)
            last = end
        out.append(text[last:])
        return "".join(out)
