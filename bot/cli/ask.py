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

from bot.cli._args import add_today, question_argument, today_of
from bot.cli.text_io import stdin_lines
from bot.conversation import inbound, privacy
from bot.conversation.dialogue import TASKS, respond
from bot.conversation.router import catalogue, understand
from bot.models import Reply

EMPTY_TEXT = "您没有输入问题。请直接问我，比如“断保一年有多长等待期？”或“我的大病保险封顶线是多少？”"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", nargs="?", help="要问的问题；省略时从标准输入逐行读取，每行一个问题")
    p.add_argument("--json", action="store_true", help="每个问题输出一行 JSON")
    add_today(p)


def answer(question: str, today: dt.date) -> dict:
    """One question -> {intent, score, answer, sources, options}, routed as `yibao chat` routes a
    first message (bot.conversation.dialogue.respond with once=True); a message holding an ID-card
    or phone number or a name starts with the privacy notice, whatever it asked."""

    text = (question or "").strip()
    if not text:
        return _as_json([Reply(text=EMPTY_TEXT)], None, 0.0)
    bad = inbound.problem(text, inbound.MAX_CHARS)
    if bad is not None:
        return _as_json([bad], None, 0.0)
    decision = understand(privacy.blank(text))
    replies, _ = respond(None, text, today, once=True)
    replies = [r.model_copy(update={"text": r.text + "\n" + r.details}) if r.details else r for r in replies]
    tasks = [r.intent for r in replies if r.intent in TASKS]
    intent = tasks[-1] if tasks else (replies[0].intent if replies and _kind(replies[0].intent) else None)
    result = _as_json(replies, intent, decision.score)
    if privacy.personal(text) and privacy.NOTICE not in result["answer"]:
        result["answer"] = "\n".join(filter(None, [privacy.NOTICE, result["answer"]]))
    return result


def _kind(intent: str | None) -> str | None:

    spec = catalogue().get(intent or "")
    return spec.kind if spec else None


def _as_json(replies: list, intent: str | None, score: float) -> dict:
    sources, options, seen = [], [], set()
    for reply in replies:
        for s in reply.sources:
            key = (s.document, s.article, s.excerpt)
            if key not in seen:
                seen.add(key)
                sources.append({"document": s.document, "article": s.article, "excerpt": s.excerpt})
        options = [{"label": o.label, "value": o.value} for o in reply.options] or options
    return {"intent": intent, "score": round(float(score), 4),
            "answer": "\n".join(r.text for r in replies if r.text), "sources": sources,
            "options": options}


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
