"""Argument types shared by the sub-commands; a bad value is one line and exit code 2."""
from __future__ import annotations

import argparse
import datetime as dt


def iso_date(text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD that exists (2026-02-30 does not)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效日期（应为 YYYY-MM-DD）: {text!r}") from None


def add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=iso_date, default=None,
                        help="把这一天当作今天（YYYY-MM-DD），默认取系统日期")


def today_of(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()
