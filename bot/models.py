"""What the dialogue manager hands to every face: structured replies, not formatted text.

A face (terminal, one-shot CLI, Telegram) renders a Reply its own way: options become numbers
in the terminal and inline buttons on Telegram; sources become cited excerpts.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Source(BaseModel):
    """A verbatim excerpt and where it stands: document (title and number) and article."""

    document: str
    article: str
    excerpt: str


class Option(BaseModel):
    """A quick reply: `label` is shown, `value` is what the manager receives when it is chosen.

    `value` is plain ASCII-safe text under 64 bytes, so a face may use it as callback data.
    """

    label: str
    value: str


class Reply(BaseModel):
    text: str
    options: list[Option] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    intent: str | None = None
    score: float | None = None
    figures: dict = Field(default_factory=dict)
    multi_select: bool = False  # options may be toggled several at a time (years), then confirmed
    details: str = ""  # what follows on request: steps, the year-by-year table, caveats (依据)
