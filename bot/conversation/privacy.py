"""What a person should not need to tell yibao: ID-card numbers, phone numbers and names.

The dialogue manager keeps no message text at all (the state holds structured facts only), so
nothing typed can reach a store or a log. This module finds such data in a message so that the
bot can say it does not need it, and blanks it before the text is matched against intents.
ID-card and phone numbers are found by intents.slots (the one place that reads digits).
"""
from __future__ import annotations

import re

_NAME = re.compile(r"(?:我叫|我的名字(?:是|叫)|本人姓名|姓名(?:是|叫|[:：])?|名字(?:是|叫)[:：]?)\s*"
                   r"[\u4e00-\u9fff·]{2,4}")


def has_name(text: str) -> bool:
    """"我叫张三", "姓名：李四" ... (a name said as such; a bare name cannot be told from words)."""
    return bool(_NAME.search(text or ""))


def blank(text: str) -> str:
    """The message with ID-card numbers, phone numbers and stated names replaced by spaces."""
    from intents.slots import find_pii

    text, _kinds = find_pii(text or "")
    return _NAME.sub(" ", text)
