"""`yibao`: one console script, one sub-command a module under bot/commands.

Each command module defines `configure(parser)` (cheap: arguments only) and `run(args) -> int`
(imports what it needs, so that `yibao ask` does not pay for Telegram). Bad input ends in one
line on standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed
from typing import NoReturn

from bot.cli.text_io import safe_output
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


# argparse's own words, in Chinese (its messages are formed before error() sees them)
_CHINESE = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1 的值 \2 无效（可选：\3）"),
    (r"invalid choice: (.*?) \(choose from (.*)\)", r"无效的选项 \1（可选：\2）"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (\S+): expected at least one argument", r"参数 \1 后面至少需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能和 \2 同时使用"),
    (r"argument (\S+): ignored explicit argument (.*)", r"参数 \1 不接受值 \2"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"参数 \1 的值 \3 无效"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
    (r"expected one argument", r"需要一个值"),
]
_HELP_WORDS = [
    ("usage:", "用法："),
    ("positional arguments:", "位置参数："),
    ("options:", "选项："),
    ("show this help message and exit", "显示本帮助并退出"),
    ("show program's version number and exit", "显示版本号并退出"),
]


def chinese(message: str) -> str:
    """An argparse error message in Chinese (unknown ones are left as they are)."""
    for pattern, replacement in _CHINESE:
        if re.fullmatch(pattern, message, flags=re.S):
            return re.sub(pattern, replacement, message, count=1, flags=re.S)
    return message


class _Parser(argparse.ArgumentParser):
    """argparse, but in Chinese, and a usage error is one line on standard error and exit code 2."""

    def error(self, message: str) -> NoReturn:  # argparse's hook
        sys.stderr.write(f"yibao: {chinese(message)}\n")
        raise SystemExit(2)

    def format_usage(self) -> str:
        return _help_words(super().format_usage())

    def format_help(self) -> str:
        return _help_words(super().format_help())


def _help_words(text: str) -> str:
    for english, chinese_words in _HELP_WORDS:
        text = text.replace(english, chinese_words)
    return text


def version() -> str:
    try:
        return installed("yibao")
    except PackageNotFoundError:
        return "未安装（源码运行）"


def _module(name: str):
    return importlib.import_module(f"bot.cli.{name}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="yibao", description="渝医保问答：重庆城乡居民医保参保激励与等待期助手")
    parser.add_argument("--version", action="version", version=f"yibao {version()}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        _module(name).configure(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    safe_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "chat")
    try:
        args = build_parser().parse_args(argv)
        return int(_module(args.command).run(args) or 0)
    except InputError as exc:  # a bad argument or setting, a store that cannot be used: one line
        sys.stderr.write(f"yibao: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
