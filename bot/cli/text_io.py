"""Standard input as the commands read it: UTF-8, one message a line, bytes that are not UTF-8
kept as lone surrogates (never an exception) so that bot.conversation.inbound can answer them
politely and the next line is still read."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator


def stdin_lines() -> Iterator[str]:
    """Each line of standard input without its line ending."""
    stream = sys.stdin
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream = io.TextIOWrapper(buffer, encoding="utf-8", errors="surrogateescape", newline=None)
    for line in stream:
        yield line.rstrip("\r\n")


def safe_output() -> None:
    """Standard output and error never raise on a character they cannot encode."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
