"""Questions about another place's insurance: "成都的居民医保交多少", "北京有没有连续参保激励".

The sources are Chongqing's; a question asking what another province or city does is not theirs to
answer, however well its words match an entry. A place named as where someone was insured ("在成都
交的居民医保，现在回重庆") is background, not the subject: only a place followed by its own
insurance or policy (的医保, 2026年度居民医保, 那边的政策 ...), or care sought there (去北京看病), makes
the question another place's.
The places are data (intents/data/places.txt).
"""

from __future__ import annotations

import re
from functools import lru_cache

from intents.text import DATA, normalise

_SCHEME = (
    r"(?:市|省)?(?:\d{4}年度?)?(?:那边|那里|当地)?的?"
    r"(?:城乡)?(?:居民|大学生|学生|新生儿|小孩|儿童|老年人)?"  # 北京的居民大病保险, 上海的大学生医保
    r"(?:居民医保|职工医保|医保|基本医疗保险|医疗保险|大病保险|参保政策|医保政策|政策)"
)
_CARE = r"(?:看病|住院|就医|治病|做手术)"


@lru_cache(maxsize=1)
def places() -> tuple[str, ...]:
    """The places of intents/data/places.txt, longest first."""
    words: list[str] = []
    for line in (DATA / "places.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return tuple(sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = "|".join(map(re.escape, places()))
    return re.compile(rf"(?<![在从去到回])({names}){_SCHEME}"), re.compile(rf"(?<=[去到])({names}){_CARE}")


_HERE = re.compile(r"重庆|渝|转|接续|回来|带过来|连续计算|接着算")
_BACK = re.compile(r"回来|回重庆|转|接续")
_HOW_MUCH = re.compile(r"比例|报多少|报销多少|能报几|几成|备案|结算|怎么报")  # what care elsewhere pays


def elsewhere(text: str) -> str | None:
    """The other place whose insurance a question asks about, or None. A question that also names
    Chongqing or a move ("四川的医保转到重庆算不算连续") is about Chongqing's rules for a move; what
    care sought in another place pays ("去北京看病报多少", "去上海住院要备案吗") is 异地就医, which the
    sources leave to the hotline ("去成都住院了，等待期内能报吗" is still a waiting question)."""
    clean = normalise(text or "")
    scheme, care = _patterns()
    m = scheme.search(clean)
    if m and not _HERE.search(clean):
        return m.group(1)
    m = care.search(clean)
    return m.group(1) if m and _HOW_MUCH.search(clean) and not _BACK.search(clean) else None
