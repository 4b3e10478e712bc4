"""The questions the bot asks while filling a history: one short question, with options.

Option values are plain ASCII the dialogue manager understands when a face sends them back:
"yes", "no", "task:my_cap", "year:2025" (a toggle of a multi-select), "years:2025,2026",
"years:all", "years:none", "status:elsewhere", "backpaid:1", "paid:collection", "continue",
"restart", "cancel".
"""

from __future__ import annotations

import datetime as dt

from bot import buttons
from bot.conversation.history import Need, target_of, years_text
from bot.conversation.state import State
from bot.models import Option, Reply

TASK_OPTIONS = [
    Option(label="大病保险封顶线", value=buttons.value(buttons.TASK, "my_cap")),
    Option(label="等待期有多长", value=buttons.value(buttons.TASK, "my_waiting")),
    Option(label="什么时候能报销", value=buttons.value(buttons.TASK, "my_benefit_start")),
]
TASK_NAMES = {"my_cap": "封顶线", "my_waiting": "等待期", "my_benefit_start": "待遇开始日期", "what_if": "假设计算"}


def ask_task() -> Reply:
    return Reply(text="您想了解哪一项？", options=list(TASK_OPTIONS), intent="ask:task")


def _year_toggles(years: list[int]) -> list[Option]:
    return [Option(label=f"{y}年", value=buttons.toggle(y)) for y in years]


def paid_options(state: State, today: dt.date) -> list[Option]:
    """Answers to "哪天交的？" the person can give with one tap: never a day already past, never
    a day before a child's birth."""
    target = target_of(state.facts, today)
    options = []
    end = dt.date(target - 1, 12, 31)
    born = state.facts.born
    if today <= end and (born is None or born <= end):
        options.append(Option(label=f"还没交，会在{target - 1}年12月31日前交", value="paid:collection"))
    if born is None or born <= today:
        options.append(Option(label="今天交的", value="paid:today"))
    return options


def ask(need: Need, state: State, today: dt.date) -> Reply:
    """The question for one missing fact."""
    years = need.years
    target = target_of(state.facts, today)
    if need.slot == "years":
        if len(years) == 1:
            y = years[0]
            return Reply(
                text=f"{y}年您参加了医保吗？",
                options=[
                    Option(label="在重庆交了居民医保", value="yes"),
                    Option(label="没交", value="no"),
                    Option(label="在外地参保", value="status:elsewhere"),
                    Option(label="职工医保", value="status:employee"),
                ],
                intent="ask:years",
            )
        return Reply(
            text=f"{years_text(years)}，哪几年交了重庆城乡居民医保？可以多选；"
            "在外地参保或参加职工医保的年份，直接告诉我就行。",
            options=_year_toggles(years)
            + [
                Option(label="都交了", value=buttons.value(buttons.CHOSEN, "all")),
                Option(label="都没交", value=buttons.value(buttons.CHOSEN, "none")),
            ],
            multi_select=True,
            intent="ask:years",
        )
    if need.slot == "zero_claim":
        if len(years) == 1:
            y = years[0]
            return Reply(
                text=f"{y}年您有没有用医保报销过（门诊、住院都算）？",
                options=[Option(label="报销过", value="yes"), Option(label="一次都没报销过", value="no")],
                intent="ask:zero_claim",
            )
        return Reply(
            text=f"{years_text(years)}里，哪几年一次都没有用医保报销过（门诊、住院都没有）？",
            options=_year_toggles(years)
            + [
                Option(label="每年都报销过", value=buttons.value(buttons.CHOSEN, "none")),
                Option(label="都没报销过", value=buttons.value(buttons.CHOSEN, "all")),
            ],
            multi_select=True,
            intent="ask:zero_claim",
        )
    if need.slot == "reward_used":
        return Reply(
            text=f"{years_text(years)}，大病保险有没有用到过激励增加的那部分额度？"
            "（一般只有大额住院、超过原来的封顶线时才会用到）",
            options=[Option(label="没有", value="no"), Option(label="用到过", value="yes")],
            intent="ask:reward_used",
        )
    if need.slot == "reward_years":
        return Reply(
            text="是哪一年用到的？", options=_year_toggles(years), multi_select=True, intent="ask:reward_years"
        )
    if need.slot == "backpaid":
        n = len(years)
        # numbered so that typing "1" in the terminal means one year
        options = [Option(label=f"补缴了{k}年", value=f"backpaid:{k}") for k in range(1, min(n, 5) + 1)]
        options.append(Option(label="没有补缴", value="backpaid:0"))
        return Reply(
            text=f"您{years_text(years)}断保（共{n}年），后来有没有补缴？补缴了几年？",
            options=options,
            intent="ask:backpaid",
        )
    if need.slot == "paid_on":
        example = max(state.facts.born, today) if state.facts.born else dt.date(target - 1, 12, 10)
        return Reply(
            text=f"{target}年的医保费是哪天交的？比如“{example.year}年{example.month}月{example.day}日”。",
            options=paid_options(state, today),
            intent="ask:paid_on",
        )
    if need.slot == "born":
        return Reply(text="孩子是哪天出生的？比如“2026年1月10日”。", intent="ask:born")
    return ask_task()
