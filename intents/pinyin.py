"""Whole phrases typed in toneless pinyin read as the words they spell.

People who cannot pick characters (an old phone, a foreign keyboard, haste) type the pinyin
itself: "duanbao yinian deng duojiu", "xinshenger zenme canbao", "lian xu can bao 满几年". A run of
Latin letters, with spaces, apostrophes or nothing between its syllables, is read as words when

- the whole run segments into pinyin syllables (no syllable across a space or an apostrophe):
  "weather in chongqing", "hello world", "app", "id" do not, and are left as typed;
- it has at least two syllables ("ok", "man", "xian" alone are never read);
- and at least one word of two syllables or more is found in it ("a man" is not read as "a 满").

The words are the domain terms (intents/data/domain_dict.txt, the synonym table's canonical forms
and variants) and the everyday words of a question (intents/data/pinyin_words.txt: 多少, 多久,
几个月, 怎么 ...). Each word's toneless pinyin is derived with pypinyin when the reader is built
(its phrase reading first, then the other readings of its polyphonic characters); nothing here
spells a word by hand. One spelling several words share goes to the domain term, then the longer
word, then the first reading. The run is read longest word first: of all the ways to cut it, the
one leaving the fewest syllables unread, then with the fewest pieces, then with the longest word
earliest. Syllables that spell no word stay as typed; white space between two words read is
dropped (Chinese is written without it).

pypinyin is imported only to build the reader, which intents.text builds on the first message
holding Latin letters and keeps on disk; a message without them never loads it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

_HAN = re.compile(r"^[\u3400-\u9fff]+$")
_VOWEL = re.compile(r"[aeiouv]")
# A run: Latin words joined by white space or apostrophes (normalise() has lower-cased it).
RUN = re.compile(r"(?<![a-zü])[a-zü]+(?:[\s'’]+[a-zü]+)*(?![a-zü])")
_SEPARATOR = re.compile(r"[\s'’]")
MIN_SYLLABLES = 2
_MAX_READINGS = 16  # spellings kept per word from its polyphonic characters

# priorities of a spelling's words (higher wins): a domain term over an everyday word
DOMAIN, VARIANT, EVERYDAY = 3, 2, 1


def toneless(reading: str) -> str:
    """A pinyin reading without its tone, ü written v as people type it ("lǚ" -> "lv")."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", reading.lower()):
        if ch == "\u0308" and out and out[-1] == "u":
            out[-1] = "v"
        elif not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out).replace("ü", "v")


def _syllables() -> frozenset[str]:
    """Every toneless syllable of pypinyin's readings that has a vowel (not m, n, ng, hm)."""
    from pypinyin import pinyin_dict  # noqa: PLC0415 - only to build the reader (cached)

    out: set[str] = set()
    for readings in pinyin_dict.pinyin_dict.values():
        for reading in readings.split(","):
            plain = toneless(reading)
            if plain.isascii() and plain.isalpha() and _VOWEL.search(plain):
                out.add(plain)
    return frozenset(out)


def _readings(word: str, syllables: frozenset[str]) -> list[tuple[str, ...]]:
    """The toneless syllables of `word`: pypinyin's phrase reading, then the other readings of
    its polyphonic characters (at most _MAX_READINGS)."""
    from pypinyin import Style, lazy_pinyin, pinyin  # noqa: PLC0415 - only to build the reader

    first = tuple(toneless(s) for s in lazy_pinyin(word, style=Style.NORMAL))
    each = [list(dict.fromkeys(toneless(r) for r in rs)) for rs in pinyin(word, style=Style.NORMAL, heteronym=True)]
    out = [first, *itertools.islice(itertools.product(*each), _MAX_READINGS)]
    return [r for r in dict.fromkeys(out) if len(r) == len(word) and all(s in syllables for s in r)]


@dataclass(frozen=True)
class Piece:
    start: int  # letter positions in the run, separators left out
    end: int
    word: str | None  # None: a syllable left as typed
    syllables: int = 1


@dataclass
class PinyinReader:
    """toneless spelling -> (its syllable boundaries, the word), and the syllables of pinyin."""

    syllables: frozenset[str] = frozenset()
    words: dict[str, tuple[frozenset[int], str, int]] = field(default_factory=dict)
    longest: int = 0  # letters of the longest spelling
    longest_syllable: int = 0

    @classmethod
    def build(cls, ranked_words: Iterable[tuple[str, int]]) -> PinyinReader:
        """ranked_words: (word, priority) pairs; DOMAIN before VARIANT before EVERYDAY."""
        syllables = _syllables()
        best: dict[str, tuple[tuple[int, int, int], str, tuple[str, ...]]] = {}
        for word, priority in ranked_words:
            if not _HAN.match(word):
                continue
            for order, reading in enumerate(_readings(word, syllables)):
                spelling = "".join(reading)
                rank = (priority, len(word), -order)
                if spelling not in best or rank > best[spelling][0]:
                    best[spelling] = (rank, word, reading)
        words = {}
        for spelling, (_, word, reading) in best.items():
            cuts = frozenset(itertools.accumulate(len(s) for s in reading[:-1]))
            words[spelling] = (cuts, word, len(reading))
        return cls(
            syllables=syllables,
            words=words,
            longest=max(map(len, words), default=0),
            longest_syllable=max(map(len, syllables), default=0),
        )

    def read(self, text: str) -> str:
        """`text` with every run of pinyin read as the words it spells (see the module notes)."""
        if not self.words:
            return text
        return RUN.sub(lambda m: self._read_run(m.group(0)), text)

    def _read_run(self, run: str) -> str:
        where = [i for i, ch in enumerate(run) if not _SEPARATOR.match(ch)]  # letter -> index in run
        letters = "".join(run[i] for i in where).replace("ü", "v")
        forced = {k for k in range(1, len(where)) if where[k] != where[k - 1] + 1}
        pieces = self._cut(letters, forced)
        if pieces is None or sum(p.syllables for p in pieces) < MIN_SYLLABLES:
            return run
        if not any(p.word is not None and p.syllables >= 2 for p in pieces):
            return run
        out = []
        for k, p in enumerate(pieces):
            if k:
                gap = run[where[pieces[k - 1].end - 1] + 1 : where[p.start]]
                out.append("" if p.word is not None and pieces[k - 1].word is not None else gap)
            out.append(p.word if p.word is not None else run[where[p.start] : where[p.end - 1] + 1])
        return "".join(out)

    def _cut(self, letters: str, forced: set[int]) -> list[Piece] | None:
        """The best way to cut `letters` into words and unread syllables, or None when they are
        not pinyin. best[i]: (unread syllables, pieces) of the best cut of letters[i:]."""
        n = len(letters)

        def crosses(i: int, j: int, inner: Iterable[int] = ()) -> bool:
            inside = set(inner)
            return any(i < k < j and (k - i) not in inside for k in forced)

        best: list[tuple[int, int] | None] = [None] * (n + 1)
        choice: list[Piece | None] = [None] * (n + 1)
        best[n] = (0, 0)
        for i in range(n - 1, -1, -1):
            options: list[Piece] = []
            for j in range(min(n, i + self.longest), i, -1):
                entry = self.words.get(letters[i:j])
                if entry is not None and best[j] is not None and not crosses(i, j, entry[0]):
                    options.append(Piece(i, j, entry[1], entry[2]))
            for j in range(min(n, i + self.longest_syllable), i, -1):
                if letters[i:j] in self.syllables and best[j] is not None and not crosses(i, j):
                    options.append(Piece(i, j, None))
            for p in options:  # longest word first: it keeps a tie
                rest = best[p.end]
                assert rest is not None
                cost = (rest[0] + (p.word is None), rest[1] + 1)
                if best[i] is None or cost < best[i]:  # type: ignore[operator]
                    best[i], choice[i] = cost, p
        if best[0] is None:
            return None
        pieces: list[Piece] = []
        i = 0
        while i < n:
            taken = choice[i]
            assert taken is not None
            pieces.append(taken)
            i = taken.end
        return pieces
