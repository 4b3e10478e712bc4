"""What every face checks in a message before anything reads it: bytes that were not text, and
length. A message that fails gets a polite reply and touches no state; the next one is read.

Standard input and arguments are decoded with "surrogateescape" (bot.cli.text_io), so a byte
that is not UTF-8 arrives as a lone surrogate (U+DC80-U+DCFF); a JSON update can carry lone
surrogates too. Nothing downstream (OpenCC, jieba, a store) can take them.
"""

from __future__ import annotations

import re

from bot.models import Reply

MAX_CHARS = 500  # a question is a sentence or two; the dialogue manager says so past this
BAD_BYTES_TEXT = "这条消息里有无法识别的字符（不是有效的 UTF-8 文字），请用文字重新输入。"
TOO_LONG_TEXT = "这段内容太长了（{n}个字），我一次只能看一两句话（{max}字以内）。请简单说说您想问什么。"
_SURROGATE = re.compile("[\ud800-\udfff]")


def undecodable(text: str) -> bool:
    """True when the text holds bytes that were not UTF-8 (or lone surrogates from JSON)."""
    return bool(_SURROGATE.search(text))


def problem(text: str, max_chars: int | None = None) -> Reply | None:
    """The polite reply for a message nothing should read, or None when it is fine.

    `max_chars` None leaves the length to the dialogue manager (which says so in context).
    """
    if undecodable(text):
        return Reply(text=BAD_BYTES_TEXT, intent="bad_bytes")
    if max_chars is not None and len(text.strip()) > max_chars:
        return Reply(text=TOO_LONG_TEXT.format(n=len(text.strip()), max=max_chars), intent="too_long")
    return None
