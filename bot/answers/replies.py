"""The replies that do not need a member's history: FAQ answers, "您是想问", out of scope,
and the conversation intents (greeting, thanks, help ...). Each is a bot.models.Reply.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import buttons
from bot.answers import incentives
from bot.answers.conditions import turned
from bot.answers.counts import BreakCount, opening
from bot.answers.kin import kin_answer
from bot.answers.provenance import source_opening
from bot.answers.wording import HOTLINE
from bot.conversation.router import catalogue
from bot.models import Option, Reply, Source
from faq import load
from faq.premises import correction
from rules.policy import Group

MAX_SOURCES = 2

SCOPE = (
    "我能回答重庆城乡居民医保的这些问题：连续参保激励和基金零报销激励（大病保险封顶线怎么提高）、"
    "断保后的待遇等待期和补缴修复、2026年度的缴费标准和集中参保期、什么时候开始享受待遇、"
    f"{Group.newborn.label}和{Group.student.label}参保、特殊群体，以及职工医保门诊共济、个人账户家庭共济等规定"
    "（依据2025年重庆市出台的相关文件）。"
)

ALSO_ASKED = "您可能还想问："
OUT_OF_SCOPE_TEXT = "抱歉，这个问题不在我能回答的范围内。" + SCOPE + f"其他医保问题请拨打医保服务热线 {HOTLINE} 咨询。"

CONVERSATION_TEXT = {
    "greeting": "您好！我是渝医保问答助手。"
    + SCOPE
    + "也可以帮您算个人的大病保险封顶线、等待期和开始报销的日期，比如问“我断保了两年要等多久”。",
    "thanks": "不客气！还有其他医保问题随时问我。",
    "help": SCOPE + "个人情况可以直接说，比如“我2025年和2026年都交了，2026年的封顶线是多少？”"
    "或“我断了两年，要等多久才能报销？”。"
    f"我答不了的问题，请拨打医保服务热线 {HOTLINE}。",
    "restart": "好的，我们重新开始。您想问什么？",
    "cancel": "好的，已取消。还有别的问题随时问我。",
    "yes": "好的。",
    "no": "好的。",
    "goodbye": f"再见！祝您身体健康。有医保问题随时来问，也可以拨打 {HOTLINE}。",
    "forget_me": "好的，我会删除保存的关于您的全部记录。",
}


def faq_reply(entry) -> Reply:
    """A FAQ entry's plain answer, with its first one or two verbatim excerpts as sources."""
    sources = [Source(document=ex.document, article=ex.article, excerpt=ex.text) for ex in entry.excerpts[:MAX_SOURCES]]
    return Reply(text=entry.answer, sources=sources, intent=entry.id)


def faq_reply_for(intent: str) -> Reply | None:
    """faq_reply() for the entry with this id, or None when no entry has it."""

    try:
        entry = load().entry(intent)
    except KeyError:
        return None
    return faq_reply(entry)


def faq_answer(question: str, intent: str, count: BreakCount | None = None) -> Reply | None:
    """The entry's reply to this question, opened by the correction of a figure the question wrongly
    assumes (faq.premises: "听说满3年就有奖励" -> "不是3年，按规定是4年。"), for a number of years
    of break said without calendar years, by the figures for that number, and for an incentive entry,
    by the incentives worked out for the years the question states (answers.incentives); an answer
    about the personal account for family opens with the answer for the relative the question names
    (bot.answers.kin), one stating that a condition of the answer is not met with what that means
    (bot.answers.conditions); a question asking where the rule is written gets its documents first
    (bot.answers.provenance); None without the entry."""

    reply = faq_reply_for(intent)
    if reply is None:
        return None
    kin = kin_answer(question, intent, reply.text)
    if kin is not None:
        reply = reply.model_copy(update={"text": kin})
    condition = turned(question, intent, reply.text)
    if condition is not None:
        reply = reply.model_copy(update={"text": condition})
    opened = (
        source_opening(question, reply)
        + (correction(question, reply.text) or "")
        + opening(intent, count)
        + incentives.opening(question, intent)
    )
    return reply.model_copy(update={"text": f"{opened}{reply.text}"}) if opened else reply


def out_of_scope_reply() -> Reply:
    """What yibao covers, and the 12393 hotline for everything else."""
    return Reply(text=OUT_OF_SCOPE_TEXT, intent=None)


def _title(intent: str) -> str:

    spec = catalogue().get(intent)
    return spec.title if spec else intent


def clarify_reply(candidates: Sequence) -> Reply:
    """ "您是想问：1. … 2. …" with the real question texts; each is an option (value pick:<id>)."""
    options: list[Option] = []
    for match in candidates:
        intent = getattr(match, "intent", None) or str(match)
        title = _title(intent)
        if any(o.label == title for o in options):
            continue
        options.append(Option(label=title, value=buttons.value(buttons.PICK, intent)))
    if not options:
        return out_of_scope_reply()
    lines = "\n".join(f"{i}. {o.label}" for i, o in enumerate(options, 1))
    return Reply(text=f"您是想问：\n{lines}\n请回复序号，或者换个说法再问一次。", options=options)


def with_neighbours(reply: Reply, intents: Sequence[str]) -> Reply:
    """A policy answer chosen among close readings, followed by "您可能还想问：" and the others'
    questions as options (value pick:<id>) before the reply's own; every face lists its options."""
    extra = [Option(label=_title(i), value=buttons.value(buttons.PICK, i)) for i in intents]
    extra = [o for o in extra if o.label not in {x.label for x in reply.options}]
    if not extra:
        return reply
    return reply.model_copy(update={"text": f"{reply.text}\n\n{ALSO_ASKED}", "options": [*extra, *reply.options]})


def conversation_reply(intent: str) -> Reply:
    """The reply to a conversation intent (greeting, thanks, help, restart, cancel, ...)."""
    text = CONVERSATION_TEXT.get(intent)
    if text is None:
        return out_of_scope_reply()
    return Reply(text=text, intent=intent)
