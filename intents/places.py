"""Questions about another place's insurance: "成都的居民医保交多少", "北京有没有连续参保激励".

The sources are Chongqing's; a question asking what another province or city does is not theirs to
answer, however well its words match an entry. A place named as where someone was insured ("在成都
交的居民医保，现在回重庆") is background, not the subject: only a place followed by its own
insurance or policy (的医保, 的居民医保, 那边的政策 ...) makes the question another place's.
The places are data (intents/data/places.txt).
"""

from __future__ import annotations

import re
from functools import lru_cache

from intents.text import DATA, normalise

_SCHEME = r"(?:市|省)?(?:那边|那里|当地)?的?(?:居民医保|职工医保|医保|基本医疗保险|医疗保险|参保政策|医保政策|政策)"


@lru_cache(maxsize=1)
def places() -> tuple[str, ...]:
    """The places of intents/data/places.txt, longest first."""
    words: list[str] = []
    for line in (DATA / "places.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return tuple(sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = "|".join(map(re.escape, places()))
    return re.compile(rf"(?<![在从去到回])({names}){_SCHEME}")


_HERE = re.compile(r"重庆|渝|转|接续|回来|带过来|连续计算|接着算")


def elsewhere(text: str) -> str | None:
    """The other place whose insurance a question asks about, or None. A question that also names
    Chongqing or a move ("四川的医保转到重庆算不算连续") is about Chongqing's rules for a move."""
    clean = normalise(text or "")
    m = _pattern().search(clean)
    return m.group(1) if m and not _HERE.search(clean) else None
