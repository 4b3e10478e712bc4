"""The answer for the relative a question names, before a personal-account entry's answer.

The employee's personal account pays for 近亲属 only (004 二.1). A question about the account for
family (the FAQ entries of topic `family`) that names a relative opens with the answer for that
relative: "可以。外孙女属于近亲属（外孙子女）。", "不可以。小舅子（妻子的弟弟）不在近亲属范围内；…",
or, for a step- or adoptive relation the sources do not settle, the 12393 hotline. The entry's
own canned yes ("可以。", "可以给近亲属代缴。") is then left out, so no yes stands before a no.
"""

from __future__ import annotations

import re

from bot.answers.wording import HOTLINE
from faq import load
from intents.kinship import Relation, near_relatives, relations

FAMILY = "family"
_CANNED_YES = re.compile(r"^可以[^。]*。")


def _near(r: Relation) -> str:
    category = r.readings[0].near or ""
    return f"{r.said}属于近亲属" if r.said == category else f"{r.said}属于近亲属（{category}）"


def _named(r: Relation, plain: str) -> str:
    return r.said if plain in (r.said, "") else f"{r.said}（{plain}）"


def _clause(r: Relation, mark: bool) -> str:
    """What the reply says of one relative (`mark`: with its 可以 / 不可以, among others)."""
    if r.verdict == "near":
        return _near(r) + ("，可以" if mark else "")
    if r.verdict == "not_near":
        named = _named(r, r.readings[0].plain if r.readings[0].path else "")
        return f"{named}不在近亲属范围内" + ("，不可以" if mark else "")
    if r.verdict == "undecided":
        return f"{r.said}是否算近亲属，文件没有写明，请拨打医保服务热线 {HOTLINE} 确认"
    no = [x for x in r.readings if x.near is None]
    yes = [x for x in r.readings if x.near is not None]
    return (
        f"{r.said}要看指的是谁：指{'或'.join(x.plain for x in no)}时不在近亲属范围内，不可以；"
        f"指{'或'.join(x.plain for x in yes)}时属于近亲属（{yes[0].near}），可以"
    )


def is_family(intent: str) -> bool:
    try:
        return load().entry(intent).topic == FAMILY
    except KeyError:
        return False


def kin_answer(question: str, intent: str, answer: str) -> str | None:
    """The entry's answer opened by the answer for the relatives the question names; None when
    the entry is not about the account for family or the question names no relative."""
    if not is_family(intent):
        return None
    named = relations(question)
    if not named:
        return None
    rest = _CANNED_YES.sub("", answer, count=1)
    verdicts = {r.verdict for r in named}
    # the ones who may not first, then the ones the sources leave open, then the ones who may
    order = {"not_near": 0, "depends": 1, "undecided": 2, "near": 3}
    mixed = len(verdicts) > 1
    clauses = [_clause(r, mixed) for r in sorted(named, key=lambda r: order[r.verdict])]
    # the list of the eight, unless the entry's own answer lists them after the opening
    listed = "" if all(n in rest for n in near_relatives()) else f"；近亲属是指{'、'.join(near_relatives())}"
    if verdicts == {"near"}:
        return f"可以。{'，'.join(clauses)}。{rest}"
    if verdicts == {"not_near"}:
        return f"不可以。{'；'.join(clauses)}{listed}。{rest}"
    return f"{'；'.join(clauses)}{listed}。{rest}"
