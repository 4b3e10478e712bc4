"""`yibao ask [--json] [--today D] [QUESTION]`: one answer per question.

With no QUESTION, every line of standard input is one question, each answered on its own
(one JSON object per line with --json; an empty line still gets one polite object).
JSON fields: intent (null when out of scope or ambiguous), score, answer, sources (document,
article, excerpt), options (label, value).

Every question goes through the same router as `yibao chat` (bot.conversation.dialogue.respond
with once=True): FAQ and conversation intents get their answer from bot.answers.replies; a
personal question (my_cap, my_waiting, my_benefit_start, what_if) gets its figures when the one
message holds every fact, with the steps and the year table (an agent's look-up may stay long),
otherwise the reply says what is still needed. A figure the question wrongly assumes is
corrected first, and several questions in one message are answered part by part, in the
conversation's router too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from bot import service
from bot.cli._args import add_today, question_argument, today_of
from bot.cli.text_io import stdin_lines


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", nargs="?", help="要问的问题；省略时从标准输入逐行读取，每行一个问题")
    p.add_argument("--json", action="store_true", help="每个问题输出一行 JSON")
    add_today(p)


def answer(question: str, today: dt.date) -> dict:
    """One question -> the service layer's answer (bot.service.ask), as the HTTP face gives it."""
    result = service.ask(question, today)
    result.pop("kind", None)  # counted by the HTTP face's metrics, not part of the answer
    return result


def _show(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return
    print(result["answer"])
    for i, option in enumerate(result["options"], 1):
        if f"{i}. {option['label']}" not in result["answer"]:
            print(f"  {i}. {option['label']}")
    for s in result["sources"]:
        print(f"  ——{s['document']} {s['article']}：“{s['excerpt']}”")
    print(flush=True)


def run(args: argparse.Namespace) -> int:
    today = today_of(args)
    if args.question is not None:
        _show(answer(question_argument(args.question, "QUESTION"), today), args.json)
        return 0
    for line in stdin_lines():
        _show(answer(line, today), args.json)
    return 0
