"""Where a rule is written, said first when the question asks for it ("出自哪份文件", "文号",
"依据什么规定"): the documents and articles of the answer's own sources, named as they are cited."""

from __future__ import annotations

import re

from bot.models import Reply

_ASKS_SOURCE = re.compile(
    r"出自|出处|哪(?:一)?(?:份|个|号)(?:文件|规定|通知|政策)|什么(?:文件|规定)|啥子?(?:文件|规定)|"
    r"(?:依据|根据|按照)(?:的是)?(?:什么|啥子?|哪)|文号|文件号|发文|政策依据|有(?:什么|啥子?)依据"
)


def asks_source(question: str) -> bool:
    """Whether the question asks in which document or article a rule stands."""
    return bool(_ASKS_SOURCE.search(question or ""))


def source_opening(question: str, reply: Reply) -> str:
    """ "出处：渝医保发〔2025〕42号《…》（一）。" for a question asking where the rule is written;
    "" when it does not ask, or the reply cites nothing."""
    if not asks_source(question) or not reply.sources:
        return ""
    places: dict[str, list[str]] = {}
    for source in reply.sources:
        articles = places.setdefault(source.document, [])
        if source.article and source.article not in articles:
            articles.append(source.article)
    named = "；".join(f"{doc}（{'、'.join(arts)}）" if arts else doc for doc, arts in places.items())
    return f"出处：{named}。\n"
