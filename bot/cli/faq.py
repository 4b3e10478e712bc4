"""`yibao faq [--json] [-k N] [QUERY]`: search the policy FAQ as a hotline agent does.

With QUERY: the hits, best first, each with its verbatim excerpt and citation (document
number and article), the words that matched highlighted; `--json` prints them as one JSON
array. Without QUERY: one query per line on standard input, one JSON array per line (an empty
array when nothing matches, and for an empty line), for scripts and score.py.
"""

from __future__ import annotations

import argparse
import json

from bot import service
from bot.cli._args import question_argument
from bot.cli.text_io import stdin_lines

# rich (~20 ms) is imported where the human output is drawn: every command module is imported to
# build the parser, and `--json` and the standard-input mode do not need it.

HOTLINE = "12393"
MAX_K = 20


def _k(text: str) -> int:
    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是整数: {text!r}") from None
    if not 1 <= k <= MAX_K:
        raise argparse.ArgumentTypeError(f"-k 应在 1 到 {MAX_K} 之间: {k}")
    return k


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="*", metavar="QUERY", help="要检索的问题；省略时从标准输入逐行读取")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("-k", type=_k, default=5, help=f"最多返回几条（1-{MAX_K}，默认 5）")


def _hits_json(hits) -> str:
    return json.dumps([h.model_dump() for h in hits], ensure_ascii=False)


def render(query: str, hits, console) -> None:
    """Human output: each hit's question, answer and excerpt with its citation; matched words
    highlighted; the 12393 hotline when nothing matches."""
    from rich.panel import Panel  # noqa: PLC0415 - human output only (see top)
    from rich.text import Text  # noqa: PLC0415 - human output only (see top)

    if not hits:
        console.print(Text(f"没有找到与「{query}」相关的政策问答。", style="bold"))
        console.print(f"请拨打 {HOTLINE} 医保服务热线咨询（缴费问题可拨打 12366）。")
        return
    for n, hit in enumerate(hits, 1):
        body = Text()
        body.append(hit.answer + "\n\n")
        body.append("「" + hit.excerpt + "」\n", style="italic")
        body.append(f"—— {hit.document} {hit.article}", style="dim")
        body.highlight_words(hit.matched, style="bold yellow")
        title = Text(f"{n}. {hit.question}")
        title.highlight_words(hit.matched, style="bold yellow")
        console.print(
            Panel(body, title=title, title_align="left", subtitle=f"相关度 {hit.score:.2f}", subtitle_align="right")
        )


def run(args: argparse.Namespace) -> int:
    query = question_argument(" ".join(args.query), "QUERY", service.MAX_CHARS) if args.query else ""
    if query:
        hits = service.search(query, k=args.k)
        if args.json:
            print(_hits_json(hits))
            return 0
        from rich.console import Console  # noqa: PLC0415 - human output only (see top)

        render(query, hits, Console())
        return 0
    for line in stdin_lines():  # a line that is empty, not text or too long: no hits, next line
        text = line.strip()
        usable = text and service.problem(text, service.MAX_CHARS) is None
        print(_hits_json(service.search(text, k=args.k) if usable else []), flush=True)
    return 0
