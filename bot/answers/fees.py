"""The contributions answer worked out for the people a question names: "全家5口都选一档交多少" opens
with "按2026年度的标准，5人都选一档：5×400元=2000元。", "二档比一档多交多少" with the difference, both
from the tiers of rules.policy (渝医保发〔2025〕42号 一). A question naming only years the sources
give no standard for is told so, with the 12393 hotline, instead of another year's amounts.
"""

from __future__ import annotations

from bot.answers.wording import HOTLINE
from bot.models import Reply
from intents.slots import Payers, Slots
from rules import policy

# The FAQ entries that state the contribution tiers (the general one and the students' one).
TIER_ENTRIES = ("fees_2026", "student_fees")
OTHER_YEAR_TEXT = (
    "现有文件只给出了{known}年度的居民医保个人缴费标准，没有{asked}年度的缴费标准，"
    "我不能用{known}年度的数额回答。{asked}年度的标准以当年发布的文件为准，"
    f"可以拨打医保服务热线 {HOTLINE} 咨询。"
)


def _yuan(amount: int) -> str:
    return f"{amount}元"


def _total(payers: list[Payers], tiers: dict[str, int]) -> str:
    """ "5人都选一档：5×400元=2000元。" / "2人选一档、1人选二档：2×400元+1×775元=1575元。"; people
    whose tier is not said: what each tier would cost them."""
    said = [p for p in payers if p.tier in tiers]
    unsaid = sum(p.people for p in payers if p.tier not in tiers)
    parts = []
    if said:
        if len(said) == 1:
            who = f"{said[0].people}人都选{said[0].tier}" if said[0].people > 1 else f"1人选{said[0].tier}"
        else:
            who = "、".join(f"{p.people}人选{p.tier}" for p in said)
        terms = "+".join(f"{p.people}×{_yuan(tiers[p.tier or ''])}" for p in said)
        parts.append(f"{who}：{terms}={_yuan(sum(p.people * tiers[p.tier or ''] for p in said))}")
    if unsaid:
        verb = "都选" if unsaid > 1 else "选"
        each = "，".join(f"{verb}{name}：{unsaid}×{_yuan(yuan)}={_yuan(unsaid * yuan)}" for name, yuan in tiers.items())
        parts.append(f"{'另外' if said else ''}{unsaid}人{each}")
    return "；".join(parts) + "。"


def _difference(payers: list[Payers], tiers: dict[str, int]) -> str:
    """ "二档比一档每人多交775元−400元=375元" and, for several people, the household's difference."""
    (low, low_yuan), (high, high_yuan) = min(tiers.items(), key=lambda t: t[1]), max(tiers.items(), key=lambda t: t[1])
    each = high_yuan - low_yuan
    text = f"{high}比{low}每人每年多交：{_yuan(high_yuan)}−{_yuan(low_yuan)}={_yuan(each)}"
    people = sum(p.people for p in payers)
    if people > 1:
        text += f"；{people}人都选{high}比都选{low}多交：{people}×{_yuan(each)}={_yuan(people * each)}"
    return text + "。"


def figure(slots: Slots) -> str:
    """The worked figure a contributions question asks for, or "" when it names no one and asks no
    difference. The year is the one the tiers are given for (the one asked, when written)."""
    if not slots.payers and not slots.tier_difference:
        return ""
    known = policy.contribution_years()
    asked = [y for y in slots.written_years if y in known]
    year = asked[-1] if asked else known[-1]
    tiers = policy.contribution_tiers(year)
    if not tiers or len(tiers) < 2 and slots.tier_difference:
        return ""
    parts = [_total(slots.payers, tiers)] if slots.payers and not slots.tier_difference else []
    if slots.tier_difference:
        parts.append(_difference(slots.payers, tiers))
    return f"按{year}年度的标准，" + "".join(parts)


def other_year(slots: Slots) -> Reply | None:
    """A question naming years the sources give no contribution standard for, and none they do:
    said plainly, with the hotline (no intent: outside what the sources answer)."""
    known = policy.contribution_years()
    if not slots.written_years or any(y in known for y in slots.written_years):
        return None
    return Reply(
        text=OTHER_YEAR_TEXT.format(known="、".join(map(str, known)), asked="、".join(map(str, slots.written_years))),
        intent=None,
    )


def contributions(reply: Reply, slots: Slots) -> Reply:
    """A tier entry's reply to a question with these slots: for another year, what the sources do
    not give; with people or a difference, the worked figure first; otherwise the reply as it is."""
    if reply.intent not in TIER_ENTRIES:
        return reply
    instead = other_year(slots)
    if instead is not None:
        return instead
    worked = figure(slots)
    return reply.model_copy(update={"text": worked + reply.text}) if worked else reply
