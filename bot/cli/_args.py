"""Argument types shared by the sub-commands; a bad value is one line and exit code 2."""

from __future__ import annotations

import argparse
import datetime as dt

from bot import service
from bot.errors import InputError


def iso_date(text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD that exists (2026-02-30 does not)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效日期（应为 YYYY-MM-DD）: {text!r}") from None


def today_date(text: str) -> dt.date:
    """--today: a valid date within the years the rules cover."""
    day = iso_date(text)
    first, last = service.covered_years()
    if not first <= day.year <= last:
        raise argparse.ArgumentTypeError(f"{day.isoformat()} 超出政策覆盖的年份（{first}—{last}年）")
    return day


def add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=today_date, default=None, help="把这一天当作今天（YYYY-MM-DD），默认取系统日期")


def today_of(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


EMPTY_ARGUMENT = "{what} 为空：请输入要问的问题（或省略它，从标准输入逐行读取）"


def question_argument(text: str, what: str, max_chars: int | None = None) -> str:
    """A question given as an argument: an empty one is one line on standard error and exit
    code 2 in every command; with `max_chars`, so is one that is not text or too long."""
    if not text.strip():
        raise InputError(EMPTY_ARGUMENT.format(what=what))
    bad = service.problem(text, max_chars) if max_chars is not None else None
    if bad is not None:
        raise InputError(bad.text)
    return text.strip()
