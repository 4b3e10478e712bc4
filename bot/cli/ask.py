"""`yibao ask [--json] [--today D] [QUESTION]`: one answer per question.

With no QUESTION, every line of standard input is one question, each answered on its own
(one JSON object per line with --json; an empty line still gets one polite object).
JSON fields: intent (null when out of scope or ambiguous), score, answer, sources (document,
article, excerpt), options (label, value).

FAQ and conversation intents are answered from bot.answers.replies; a figure the question wrongly
assumes is corrected first (faq.premises), and a message asking several FAQ questions, each ending
in a question mark, or comparing two things gets each part answered (bot.conversation.router
.split_questions, .split_comparison). Personal questions (my_cap,
my_waiting, my_benefit_start, what_if) go through the dialogue manager (bot.conversation.dialogue), as
`yibao chat` would, in its one-shot mode (bot.conversation.oneshot.one_shot): when the one message holds
every fact, the figures come back; otherwise the reply says what is still needed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json

from bot.answers.replies import clarify_reply, conversation_reply, faq_reply_for, out_of_scope_reply
from bot.cli._args import add_today, question_argument, today_of
from bot.cli.text_io import stdin_lines
from bot.conversation import inbound, privacy
from bot.conversation.oneshot import one_shot
from bot.conversation.router import catalogue, understand
from bot.models import Reply
from intents.catalogue import TASK_INTENTS

EMPTY_TEXT = "您没有输入问题。请直接问我，比如“断保一年有多长等待期？”或“我的大病保险封顶线是多少？”"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", nargs="?", help="要问的问题；省略时从标准输入逐行读取，每行一个问题")
    p.add_argument("--json", action="store_true", help="每个问题输出一行 JSON")
    add_today(p)


def answer(question: str, today: dt.date) -> dict:
    """One question -> {intent, score, answer, sources, options}; a message holding an ID-card or
    phone number or a name starts with the privacy notice, whatever it asked."""
    text = (question or "").strip()
    if not text:
        return _as_json([Reply(text=EMPTY_TEXT)], None, 0.0)
    bad = inbound.problem(text, inbound.MAX_CHARS)
    if bad is not None:
        return _as_json([bad], None, 0.0)
    result = _answer(text, today)
    if privacy.personal(text) and privacy.NOTICE not in result["answer"]:
        result["answer"] = "\n".join(filter(None, [privacy.NOTICE, result["answer"]]))
    return result


def _answer(text: str, today: dt.date) -> dict:

    several = _several_questions(text)
    if several is not None:
        return several
    decision = understand(text)
    if decision.kind == "out_of_scope":
        return _as_json([out_of_scope_reply()], None, decision.score)
    if decision.kind == "ambiguous":
        if any(c.intent in TASK_INTENTS for c in decision.candidates):
            # the manager takes a close call as the personal question when asked personally
            replies = task_replies(text, today)
            chosen = next((r.intent for r in reversed(replies) if r.intent in TASK_INTENTS), None)
            if chosen:
                return _as_json(replies, chosen, decision.score)
        return _as_json([clarify_reply(decision.candidates)], None, decision.score)
    intent = decision.intent or ""
    if intent in TASK_INTENTS:
        return _as_json(task_replies(text, today), intent, decision.score)
    spec_kind = _kind(intent)
    if spec_kind == "conversation":
        return _as_json([conversation_reply(intent)], intent, decision.score)
    reply = faq_reply_for(intent)
    if reply is None:
        return _as_json([out_of_scope_reply()], None, decision.score)
    return _as_json([_corrected(text, reply)], intent, decision.score)


def _corrected(question: str, reply):
    """The reply, opened by the correction of a figure the question wrongly assumes
    (faq.premises: "听说满3年就有奖励" -> "不是3年，按规定是4年。")."""
    from faq.premises import correction

    fixed = correction(question, reply.text)
    return reply.model_copy(update={"text": f"{fixed}{reply.text}"}) if fixed else reply


def _several_questions(text: str) -> dict | None:
    """A message asking several FAQ questions ("断保一年等多久？封顶线降多少？"), or comparing two
    things of one subject ("固定等待期和变动等待期有什么区别"), answered part by part when every
    part is understood as a FAQ entry (an entry both parts name, once; the two sides of a
    comparison of one topic); else None (read as one question)."""
    from bot.conversation.router import split_comparison, split_questions
    from faq import load

    parts = split_questions(text)
    comparison = not parts
    parts = parts or split_comparison(text)
    if not parts:
        return None
    decisions = [understand(p) for p in parts]
    intents = list(dict.fromkeys(d.intent for d in decisions))   # two sides of one entry: once
    if any(d.kind != "match" or _kind(d.intent or "") != "faq" for d in decisions):
        return None
    if comparison and len({load().entry(i).topic for i in intents if i}) != 1:
        return None   # the two sides read as different subjects: the comparison is not ours
    replies = [faq_reply_for(i) for i in intents]
    if any(r is None for r in replies):
        return None
    asked = parts if len(intents) == len(parts) else [text] * len(intents)
    return _as_json([_corrected(p, r) for p, r in zip(asked, replies)], intents[0],
                    min(d.score for d in decisions))


def task_replies(text: str, today: dt.date) -> list[Reply]:
    """A personal question through the dialogue manager's one-shot mode: the summary and the
    figures when the message holds every fact, else what the answer still needs."""
    return one_shot(text, today)


def _kind(intent: str) -> str | None:
    spec = catalogue().get(intent)
    return spec.kind if spec else None


def _as_json(replies: list[Reply], intent: str | None, score: float) -> dict:
    sources: list[dict[str, str]] = []
    options: list[dict[str, str]] = []
    seen: set[tuple[str, str, str]] = set()
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
