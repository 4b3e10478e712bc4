"""How a Reply looks on Telegram: HTML text split to the message limit, and inline keyboards.

Pure functions, no network: the text and the sources of a Reply become one or more HTML
messages (everything escaped, excerpts as block quotes with their document and article);
options become inline buttons whose callback data carries a short version of the
conversation state, so a tap on an old message can be recognised and refused.

Callback data (at most 64 bytes, Telegram's limit):
    "<ver>:<value>"   an ordinary option: <value> goes to the dialogue manager as a message
    "<ver>+<value>"   a multi-select option that is ticked
    "<ver>-<value>"   a multi-select option that is not ticked
    "<ver>=years:"    the 确认 button this face adds to a multi-select: it sends the ticked
                      values as one message, "years:2025,2026" (or "years:none")
<ver> is VERSION_LEN characters ("****" for buttons that never go stale); the ticked set lives in
the message's own keyboard, so it survives a restart of the bot. In a multi-select reply the options whose value is
"year:<YYYY>" are the toggles; its other options ("都交了" -> "years:all") are sent at once.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import buttons as option_values
from bot.models import Option, Reply, Source

MESSAGE_LIMIT = 4096  # Telegram: 1-4096 characters after entities parsing
CALLBACK_LIMIT = 64  # Telegram: callback_data is 1-64 bytes
VERSION_LEN = 4
ANY_VERSION = "****"  # buttons that never go stale (the example questions under /start)
TICK = "✅ "
KINDS = ":+-="

_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")


def state_version(state_json: str | None) -> str:
    """A short fingerprint of the stored conversation state ("0000" when nothing is stored)."""
    if state_json is None:
        return "0" * VERSION_LEN
    return hashlib.blake2s(state_json.encode("utf-8"), digest_size=4).hexdigest()[:VERSION_LEN]


# ---------------------------------------------------------------- text


def visible_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def sentences(text: str) -> list[str]:
    """Split after 。！？ and line breaks, keeping each delimiter with its sentence."""
    return [piece for piece in _SENTENCE_END.split(text) if piece]


def _hard_split(text: str, limit: int) -> list[str]:
    pieces, current = [], ""
    for char in text:
        if visible_length(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    return pieces + ([current] if current else [])


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pack whole sentences into pieces of at most `limit`; a longer sentence is cut hard."""
    pieces: list[str] = []
    current = ""
    for sentence in sentences(text):
        if visible_length(sentence) > limit:
            if current:
                pieces.append(current)
                current = ""
            *full, current = _hard_split(sentence, limit)
            pieces.extend(full)
        elif visible_length(current + sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current += sentence
    if current.strip():
        pieces.append(current)
    return [piece for piece in pieces if piece.strip()] or ([text[:limit]] if text else [])


@dataclass(frozen=True)
class Block:
    """A run of text and how it is shown: plain, a block quote (an excerpt), or a citation."""

    kind: str  # "text" | "quote" | "cite"
    text: str

    def html(self) -> str:
        body = html.escape(self.text, quote=False)
        if self.kind == "quote":
            return f"<blockquote>{body}</blockquote>"
        if self.kind == "cite":
            return f"<i>{body}</i>"
        return body


def blocks_of(reply: Reply) -> list[Block]:
    """The reply's text, then each source: its excerpt quoted, then document and article. A
    personal result (one with `details`) fits a phone: its excerpts come with its 依据 button."""
    blocks = [Block("text", reply.text.strip() or "…")]
    for source in [] if reply.details else reply.sources:
        blocks.extend(_source_blocks(source))
    return blocks


def _source_blocks(source: Source) -> list[Block]:
    where = "，".join(part for part in (source.document.strip(), source.article.strip()) if part)
    return [Block("quote", source.excerpt.strip()), Block("cite", f"——{where}")]


SEPARATOR = "\n"


def pack(blocks: list[Block], limit: int = MESSAGE_LIMIT) -> list[list[Block]]:
    """Group blocks into messages of at most `limit` visible characters, splitting long blocks."""
    pieces = [Block(block.kind, part) for block in blocks for part in split_text(block.text, limit)]
    messages: list[list[Block]] = []
    current: list[Block] = []
    size = 0
    for block in pieces:
        extra = visible_length(block.text) + (visible_length(SEPARATOR) if current else 0)
        if current and size + extra > limit:
            messages.append(current)
            current, size = [], 0
            extra = visible_length(block.text)
        current.append(block)
        size += extra
    if current:
        messages.append(current)
    return messages


def render_html(reply: Reply, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The HTML messages that show one reply, each within Telegram's limit once parsed."""
    return [SEPARATOR.join(block.html() for block in message) for message in pack(blocks_of(reply), limit)]


def escape(text: str) -> str:
    return html.escape(text, quote=False)


# ---------------------------------------------------------------- buttons


def fits(value: str) -> bool:
    """Whether a value fits into callback data after the version and the kind character."""
    return 0 < len(value.encode("utf-8")) <= CALLBACK_LIMIT - VERSION_LEN - 1


def encode(version: str, kind: str, value: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown button kind {kind!r}")
    return f"{version}{kind}{value}"


@dataclass(frozen=True)
class Tap:
    """A decoded button press."""

    version: str
    kind: str
    value: str


def decode(data: str | None) -> Tap | None:
    """The button press, or None for data this face did not write."""
    if not data or len(data) <= VERSION_LEN or data[VERSION_LEN] not in KINDS:
        return None
    return Tap(data[:VERSION_LEN], data[VERSION_LEN], data[VERSION_LEN + 1 :])


def _rows(buttons: list[InlineKeyboardButton], labels: list[str]) -> list[list[InlineKeyboardButton]]:
    """Short labels (years, 是/否) share a row, three at most; a long label has its own row."""
    rows: list[list[InlineKeyboardButton]] = []
    for button, label in zip(buttons, labels, strict=True):
        short = visible_length(label) <= 8
        if short and rows and len(rows[-1]) < 3 and visible_length(rows[-1][-1].text) <= 8:
            rows[-1].append(button)
        else:
            rows.append([button])
    return rows


CONFIRM_LABEL = "确认"


def is_toggle(option: Option) -> bool:
    """In a multi-select reply, a year to tick; the other options are sent at once when tapped."""
    return option_values.is_toggle(option.value)


def selection_message(values: list[str]) -> str:
    """What a confirmed multi-select sends to the manager: "years:2025,2026" or "years:none"."""
    return option_values.chosen(values)


def _button(option: Option, version: str, kind: str, label: str) -> InlineKeyboardButton:
    value = option.value if fits(option.value) else option.label
    if not fits(value):  # neither fits: the button sends its own label, cut to the limit
        value = value.encode("utf-8")[: CALLBACK_LIMIT - VERSION_LEN - 1].decode("utf-8", "ignore")
    return InlineKeyboardButton(label, callback_data=encode(version, kind, value))


def keyboard(reply: Reply, version: str) -> InlineKeyboardMarkup | None:
    """Inline buttons for the reply's options (None when it has none)."""
    if not reply.options:
        return None
    toggles = [o for o in reply.options if is_toggle(o)] if reply.multi_select else []
    if toggles:
        direct = [o for o in reply.options if not is_toggle(o)]
        rows = _rows([_button(o, version, "-", o.label) for o in toggles], [o.label for o in toggles])
        rows += _rows([_button(o, version, ":", o.label) for o in direct], [o.label for o in direct])
        confirm = Option(label=CONFIRM_LABEL, value=option_values.value(option_values.CHOSEN) + ":")
        return InlineKeyboardMarkup(rows + [[_button(confirm, version, "=", CONFIRM_LABEL)]])
    buttons = [_button(o, version, ":", o.label) for o in reply.options]
    return InlineKeyboardMarkup(_rows(buttons, [o.label for o in reply.options]))


def toggle(markup: InlineKeyboardMarkup, data: str) -> InlineKeyboardMarkup:
    """The same keyboard with the button whose callback data is `data` ticked or unticked."""
    rows = []
    for row in markup.inline_keyboard:
        new_row = []
        for button in row:
            tap = decode(button.callback_data if isinstance(button.callback_data, str) else None)
            if button.callback_data == data and tap and tap.kind in "+-":
                on = tap.kind == "-"
                label = button.text.removeprefix(TICK)
                new_row.append(
                    InlineKeyboardButton(
                        TICK + label if on else label, callback_data=encode(tap.version, "+" if on else "-", tap.value)
                    )
                )
            else:
                new_row.append(button)
        rows.append(new_row)
    return InlineKeyboardMarkup(rows)


def ticked(markup: InlineKeyboardMarkup | None) -> list[str]:
    """The values ticked in a multi-select keyboard, in the order they are shown."""
    if markup is None:
        return []
    values = []
    for row in markup.inline_keyboard:
        for button in row:
            tap = decode(button.callback_data if isinstance(button.callback_data, str) else None)
            if tap and tap.kind == "+":
                values.append(tap.value)
    return values
