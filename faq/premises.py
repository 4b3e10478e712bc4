"""A wrong premise in a question, found against the answer that is about to be given.

"听说满3年就有奖励了吧" asks about the continuous-enrolment incentive and states a figure (3
years) that the answer contradicts (4 years): the reply should correct it first. The rule:

- the question makes a claim (听说, 是不是, 就能, 不是…吗 ... and what follows; or the last
  clause before a trailing 吧 / 对吧), so that the person's own case told before it (我断了5年，
  补缴后是不是等6个月) is not taken for a claim;
- the claim states a figure of a kind the answer also states: a duration in years (满3年, not a
  calendar year such as 2025年) or months (3个月), an amount of money (4000元, 800块, 2万), or a
  share (20%); Chinese numerals are read as digits first (三年, 四千);
- the answer never states that figure of that kind.

The correction names the answer's figure of the same kind nearest to the one stated ("不是3年，
按规定是4年"). A figure the answer states anywhere is never "corrected", so a question that
tells its own case (断保1年) is left alone whenever the answer covers it.
"""

from __future__ import annotations

import math
import re
import warnings
from typing import NamedTuple

_CLAIM = re.compile(r"听说|据说|是不是|是否|不是.{0,12}吗|有人说|别人说")
_THEN = re.compile(r"就能|就有|就是|就加|就会|就要|就可以")  # "满3年就加4000": the clause claims
_TRAILING_CLAIM = re.compile(r"(?:对吧|对不对|吧|是吧)[？?。！!]*$")
_CLAUSE = re.compile(r"[，,；;。！!？?]")
_FIGURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万元|万块|万|元|块钱|块|个月|月|年|%|％)")
# a bare amount after a verb of money (每年加5000, 降4000): yuan
_BARE_MONEY = re.compile(r"(?:加|降|提高|降低|涨|增加|减少)(\d{3,6})(?![\d.年月%％万元块])")
_CALENDAR = re.compile(r"(?:19|20)\d{2}")
# the same figures in other words: 4千 / 4千元 (4000元), 七成 (70%), 一半 (50%)
_OTHER_WORDS = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(千元|千块钱|千块|千|成)(?![人项个岁次家所年员为立本绩功])")
_HALF = re.compile(r"一半")


class Figure(NamedTuple):
    kind: str  # years, months, money, share
    value: float
    text: str  # as written in the text it came from


def _kind(number: str, unit: str) -> tuple[str, float] | None:
    value = float(number)
    if unit == "年":
        if _CALENDAR.fullmatch(number) or len(number) == 2 and value >= 10:
            return None  # 2025年, 25年: a calendar year, not a span
        return "years", value
    if unit in ("个月", "月"):
        return ("months", value) if unit == "个月" else None  # 3月 is March
    if unit in ("万元", "万块", "万"):
        return "money", value * 10000
    if unit in ("元", "块钱", "块"):
        return "money", value
    return "share", value


def figures(text: str) -> list[Figure]:
    """The spans, amounts and shares a text states, Chinese numerals read as digits."""
    import cn2an  # noqa: PLC0415 - its models load only when a text's figures are read, not at start-up

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            digits = cn2an.transform(text, "cn2an")
    except (ValueError, KeyError, IndexError):
        digits = text
    out = []
    for m in _FIGURE.finditer(digits):
        kind = _kind(m.group(1), m.group(2))
        if kind:
            out.append(Figure(kind[0], kind[1], m.group(0)))
    out += [Figure("money", float(m.group(1)), m.group(1)) for m in _BARE_MONEY.finditer(digits)]
    for m in _OTHER_WORDS.finditer(digits):
        value = float(m.group(1))
        out.append(
            Figure("share", value * 10, m.group(0)) if m.group(2) == "成" else Figure("money", value * 1000, m.group(0))
        )
    out += [Figure("share", 50.0, m.group(0)) for m in _HALF.finditer(text)]
    return out


def claimed(question: str) -> str | None:
    """The part of a question that makes a claim: from 听说 / 是不是 ... on, the clause holding
    就能 / 就加 ... (满3年就加4000) and what follows, or the last clause before a trailing 吧 /
    对吧; None when the question claims nothing."""
    lead = _CLAIM.search(question)
    if lead:
        return question[lead.start() :]
    then = _THEN.search(question)
    if then:
        starts = [m.end() for m in _CLAUSE.finditer(question, 0, then.start())]
        return question[(starts[-1] if starts else 0) :]
    if _TRAILING_CLAIM.search(question):
        clauses = [c for c in _CLAUSE.split(question) if c.strip()]
        return clauses[-1] if clauses else None
    return None


def _shown(f: Figure) -> str:
    if f.kind == "money":
        return f"{f.value / 10000:g}万元" if f.value >= 10000 else f"{f.value:g}元"
    return {"years": f"{f.value:g}年", "months": f"{f.value:g}个月", "share": f"{f.value:g}%"}[f.kind]


_DENIES = re.compile(r"不用|不需要|无需|不会|不能|没有")


def correction(question: str, answer: str) -> str | None:
    """ "不是X，按规定是Y。" when the question claims a figure the answer contradicts, else None."""
    claim_text = claimed(question)
    if claim_text is None:
        return None
    stated = figures(answer)
    denied = bool(_DENIES.match(answer.strip()))
    for claim in figures(claim_text):
        same = [f for f in stated if f.kind == claim.kind]
        if not same or any(math.isclose(f.value, claim.value) for f in same):
            continue
        nearest = min(same, key=lambda f: abs(math.log((f.value or 0.5) / (claim.value or 0.5))))
        if denied and not 0.5 <= (nearest.value or 0.5) / (claim.value or 0.5) <= 2:
            continue  # "另外交两百块钱？" -- "不用另外交钱。…19856元": the opening denies it; 19856 is another figure
        return f"不是{_shown(claim)}，按规定是{_shown(nearest)}。"
    return None


_COUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:项|个|人|万人|天|次|岁|周岁|条|家|所|种|档)|\d{3,}")


def states_a_figure(answer: str, kind: str = "any") -> bool:
    """Whether an answer states a figure: of `kind` "share", a share (20%, 七成); "amount", an amount
    of money or a share;
    of "any", also a span, a count or a number such as a hotline."""
    found = figures(answer)
    if kind == "share":
        return any(f.kind == "share" for f in found)
    if kind == "amount":
        return any(f.kind in ("money", "share") for f in found)
    return bool(found) or bool(_COUNT.search(answer))
