"""`yibao chat [--json] [--today D] [--session NAME]`: the terminal face of the conversation.

On a terminal: a prompt with history and line editing (prompt_toolkit), coloured replies
(rich), options numbered so the person can type 1, 2 ... (several numbers for a multi-select).
Otherwise one message per line on standard input; `--json` prints one JSON object per reply
per line (text, options, sources, intent, figures, details). A personal result shows its figure
and one sentence of why; its steps, year table and excerpts follow on its 依据 option (or a typed
"依据"), or at once with `--explain`. Each run is a new conversation unless
`--session NAME` names one to continue; the state is saved after every turn.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid

from bot import buttons, service
from bot.cli._args import add_today, today_of
from bot.cli.text_io import stdin_lines
from bot.errors import InputError

# Every command module is imported to build the parser, so what only `yibao chat` needs and costs
# start-up time is imported where it is used: prompt_toolkit (~100 ms, the terminal prompt only)
# and rich (~20 ms, the coloured replies only).


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="每条回复输出一行 JSON")
    p.add_argument("--explain", action="store_true", help="个人测算结果直接展开计算过程、逐年封顶线和政策原文")
    p.add_argument("--session", metavar="NAME", help="继续名为 NAME 的对话（默认每次新开一个）")
    p.add_argument(
        "--store",
        metavar="PATH",
        help="会话存储文件（默认 $YIBAO_STORE 或 ~/.local/share/yibao/sessions.db；memory 表示只在内存）",
    )
    add_today(p)


def run(args: argparse.Namespace) -> int:
    key = f"cli:{session_name(args.session)}" if args.session is not None else f"cli:{uuid.uuid4().hex}"
    store = service.open_store(args.store)  # a store that cannot be used is one line and exit code 2
    today = today_of(args)
    explain = bool(getattr(args, "explain", False))
    if sys.stdin.isatty() and sys.stdout.isatty() and not args.json:
        return _interactive(store, key, today, explain)
    return _batch(store, key, today, args.json, explain)


MAX_SESSION_NAME = 64


def session_name(name: str) -> str:
    """--session NAME, checked: not empty, text, short, and not an ID-card or phone number or a
    name (it is kept as the conversation's key, and a key is never personal data)."""
    name = name.strip()
    if not name or service.undecodable(name) or len(name) > MAX_SESSION_NAME:
        raise InputError(f"--session 需要一个名字（{MAX_SESSION_NAME}个字符以内的文字）")
    if service.personal(name):
        raise InputError("--session 的名字里不要用身份证号、手机号或姓名，换一个代号即可")
    return name


def answered(store, key: str, message: str, today) -> list:
    """One turn; a store that fails now gets the polite "请稍后再试" (nothing was kept)."""
    try:
        return service.turn(store, key, message, today)
    except service.StoreError:
        return service.apology()


def chosen(message: str, options: list, multi: bool) -> str:
    """What typed numbers stand for: "2" -> the second option's value; "1 3" on a multi-select
    -> the ticked years as one "years:2025,2027" message. Anything else is sent as typed."""
    text = message.strip()
    if not options or not re.fullmatch(r"\d{1,2}(?:[\s,，、]+\d{1,2})*", text):
        return message
    picks = [int(n) for n in re.split(r"[\s,，、]+", text)]
    if any(not 1 <= n <= len(options) for n in picks):
        return message
    values = [options[n - 1].value for n in picks]
    if len(values) == 1:
        return values[0]
    if multi and all(buttons.is_toggle(v) for v in values):
        return buttons.chosen(values)
    return message


def _reply_json(reply) -> str:
    return json.dumps(reply.model_dump(mode="json", exclude_defaults=False), ensure_ascii=False)


def _batch(store, key: str, today, as_json: bool, explain: bool = False) -> int:
    state = store.load(key)
    options, multi = (list(state.options), False) if state else ([], False)
    for line in stdin_lines():
        message = chosen(line, options, multi)
        replies = answered(store, key, message, today)
        for reply in replies:
            print(_reply_json(reply) if as_json else _plain(reply, explain), flush=True)
        if replies:
            options, multi = list(replies[-1].options), replies[-1].multi_select
    return 0


def folded(reply) -> bool:
    """A result whose steps and excerpts wait for its 依据 option (unless --explain)."""
    return bool(reply.details)


def _plain(reply, explain: bool = False) -> str:
    lines = [reply.text]
    if explain and reply.details:
        lines.append(reply.details)
    for i, option in enumerate(reply.options, 1):
        lines.append(f"  {i}. {option.label}")
    if explain or not folded(reply):
        for source in reply.sources:
            lines.append(f"  〔{source.document} {source.article}〕{source.excerpt}")
    return "\n".join(lines)


def _render(console, reply, explain: bool = False) -> None:
    from rich.markup import escape  # noqa: PLC0415 - the coloured replies only (see top)

    console.print(f"[bold cyan]渝医保[/] {escape(reply.text)}")
    if explain and reply.details:
        console.print(f"[dim]{escape(reply.details)}[/]")
    for source in reply.sources if explain or not folded(reply) else []:
        console.print(f"  [dim]〔{escape(source.document)} {escape(source.article)}〕{escape(source.excerpt)}[/]")
    if reply.options:
        shown = "  ".join(f"[bold yellow]{i}[/] {escape(o.label)}" for i, o in enumerate(reply.options, 1))
        hint = "（可输入多个编号，如 1 2）" if reply.multi_select else ""
        console.print(f"  {shown}[dim]{hint}[/]")


def _interactive(store, key: str, today, explain: bool = False) -> int:
    from prompt_toolkit import PromptSession  # noqa: PLC0415 - the terminal prompt only, ~100 ms (see top)
    from prompt_toolkit.history import InMemoryHistory  # noqa: PLC0415 - as above
    from rich.console import Console  # noqa: PLC0415 - the coloured replies only (see top)

    console = Console()
    console.print(
        "[bold]渝医保问答[/]：重庆城乡居民医保的封顶线、等待期、什么时候能报销。[dim]输入问题后回车；输入 q 退出。[/]"
    )
    session: PromptSession[str] = PromptSession(history=InMemoryHistory())  # in memory only: nothing typed is kept
    state = store.load(key)
    options, multi = (list(state.options), False) if state else ([], False)
    while True:
        try:
            line = session.prompt("您：")
        except EOFError:
            break
        except KeyboardInterrupt:
            continue
        if line.strip().lower() in ("q", "quit", "exit", "/quit", "退出"):
            break
        replies = answered(store, key, chosen(line, options, multi), today)
        for reply in replies:
            _render(console, reply, explain)
        if replies:
            options, multi = list(replies[-1].options), replies[-1].multi_select
    return 0
