"""`yibao`: one console script, one sub-command a module under bot/commands.

Each command module defines `configure(parser)` (cheap: arguments only) and `run(args) -> int`
(imports what it needs, so that `yibao ask` does not pay for Telegram). Bad input ends in one
line on standard error and exit code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from bot.errors import InputError

COMMANDS = {
    "chat": "终端对话（默认）",
    "ask": "回答一个问题",
    "faq": "检索政策问答",
    "calc": "计算个人大病保险封顶线、等待期和待遇开始日期",
    "eval": "意图识别评测（与经典基线对比）",
    "bench": "性能测量",
    "telegram": "启动 Telegram 机器人",
    "serve": "启动 HTTP 接口和坐席控制台",
}


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on standard error and exit code 2."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse's hook
        sys.stderr.write(f"yibao: {message}\n")
        raise SystemExit(2)


def _module(name: str):
    return importlib.import_module(f"bot.cli.{name}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="yibao", description="渝医保问答：重庆城乡居民医保参保激励与等待期助手")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        _module(name).configure(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "chat")
    args = build_parser().parse_args(argv)
    try:
        return int(_module(args.command).run(args) or 0)
    except InputError as exc:
        sys.stderr.write(f"yibao: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
