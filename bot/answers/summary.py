"""The one-sentence summary of what the person has said, confirmed with one tap before the
figures are worked out ("我理解的是：…对吗？"), and shown above a result told whole."""

from __future__ import annotations

import datetime as dt

from bot.conversation import history as hist
from bot.conversation.state import State
from rules.policy import Group


def group_label(group: str) -> str:
    """The group's one Chinese name, as the rules name it (渝医保发〔2025〕37号 五.1)."""
    return Group(group).label if group in list(Group) else group


def summary(state: State, today: dt.date) -> str:
    """One sentence: "我理解的是：2025、2026年参保，2025年没有报销…对吗？"."""
    facts, task = state.facts, state.task
    target = hist.target_of(facts, today)
    years = hist.known_years(facts, target, task)
    parts: list[str] = []
    question = {
        "my_cap": f"{target}年的大病保险最高支付限额",
        "my_waiting": f"{target}年参保的等待期",
        "my_benefit_start": f"{target}年从哪天开始享受待遇",
    }.get(task or "", "")
    if state.task == "what_if" and state.what_if:
        question = (
            f"如果补缴{state.what_if.backpay}年，{target}年的等待期会怎样"
            if state.what_if.kind == "backpay"
            else f"如果{target}年继续参保，封顶线会怎样"
        )
    group = hist.norm_group(facts.group)
    if group == "newborn" and facts.born:
        parts.append(f"孩子{facts.born.year}年{facts.born.month}月{facts.born.day}日出生")
    elif group and group != "general":
        parts.append(f"身份是{group_label(group)}")
    by_status: dict[str, list[int]] = {}
    for y in years:
        by_status.setdefault(facts.years.get(y, "?"), []).append(y)
    if years and state.what_if is None and facts.years.get(target, "insured") == "insured":
        by_status.setdefault("insured", []).append(target)  # the year asked about is counted insured
    names = {
        "insured": "在重庆参加居民医保",
        "elsewhere": "在外地参加居民医保",
        "employee": "参加职工医保",
        "uninsured": "没有参保",
    }
    for status in sorted((s for s in names if by_status.get(s)), key=lambda s: min(by_status[s])):
        parts.append(hist.years_text(by_status[status]) + names[status])
    if hist.cap_task(state):
        resident = [y for y in years if facts.years.get(y) in hist.RESIDENT]  # (reimbursed only when insured)
        zero = [y for y in resident if facts.zero_claim.get(y)]
        claimed = [y for y in resident if facts.zero_claim.get(y) is False]
        if zero:
            parts.append(hist.years_text(zero) + "一次都没有用医保报销")
        if claimed:
            parts.append(hist.years_text(claimed) + "有过报销")
        if facts.reward_used:
            parts.append(hist.years_text(facts.reward_used) + "大病保险用过激励额度")
        elif facts.reward_used == [] and hist.incentive_years(facts, target):
            parts.append("大病保险没有用过激励额度")
    broken = hist.broken_years(facts, target) if hist.span(facts, target, task) else []
    if broken and not hist.cap_task(state) and facts.backpaid is not None:
        parts.append(f"补缴了{facts.backpaid}年" if facts.backpaid else "没有补缴")
    paid = facts.paid_on
    if paid and paid > today and (paid.month, paid.day) == (12, 31):  # not paid yet: by the end of December
        parts.append(f"{target}年的保费会在{paid.year}年{paid.month}月{paid.day}日前交")
    elif paid:
        parts.append(f"{target}年的保费是{paid.year}年{paid.month}月{paid.day}日交的")
    elif facts.paid_month:
        year, month = facts.paid_month.split("-")
        parts.append(f"{target}年的保费是{int(year)}年{int(month)}月交的")
    elif not hist.cap_task(state) and task != "my_benefit_start" and not hist.former_rules(group):
        parts.append(f"{target}年的保费在集中参保期内缴纳")
    head = f"您想知道{question}；" if question else ""
    return "我理解的是：" + head + "，".join(parts or ["还没有您的参保情况"]) + "。对吗？"
