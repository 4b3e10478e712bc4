"""An answer whose yes/no opening depends on a condition the question says is not met.

"外地户口已经在外省办了退休，还能以个人身份参加重庆职工医保吗" is answered by the entry on people
from outside Chongqing joining the employee insurance, which opens "可以。" for those who meet its
conditions (男未满63周岁、女未满58周岁、未在市外办理养老退休, 004 一.2). The entry lists, as data
(faq.knowledge.Unless), the conditions a question may break and the opening that says so; the rest
of the answer (the conditions themselves, with their articles) stands.
"""

from __future__ import annotations

import re

from faq.knowledge import load
from intents.slots import prepare

# The opening of a yes/no answer: "可以。", "能。", "不会。", "能恢复，" ...
_OPENING = re.compile(r"^(?:不|没)?(?:可以|能|会|是|有|要|需要)[^，。,]{0,3}[。，,]")


def turned(question: str, intent: str, answer: str) -> str | None:
    """The answer with its opening turned by the first condition the question breaks, else None."""
    try:
        entry = load().entry(intent)
    except KeyError:
        return None
    clean, _ = prepare(question or "")  # normalised, numerals as digits (六十五岁 -> 65岁)
    for rule in entry.unless:
        if re.search(rule.when, clean):
            return rule.opening + _OPENING.sub("", answer, count=1)
    return None
