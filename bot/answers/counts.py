"""A number of years of break said without calendar years ("断保两年再交", "断了7年"): the figures
the rules give for that number (rules.counts), worded to open a policy answer, and the note for a
personal question whose count reaches before the first year the rules count (37号 四.2).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import Reply
from rules import counts
from rules.trace import Ruled

COUNT_NOTE = "break_count"

# The FAQ entries (and the personal questions) whose answer a count of broken years makes concrete,
# with the figures each one opens with: the cap, the waiting period, the waiting period after back-payment.
ENTRY_FIGURES = {
    "break_cap_reduction": ("cap",),
    "break_consequences": ("waiting", "cap"),
    "waiting_fixed": ("waiting",),
    "waiting_variable": ("waiting", "repair"),
    "repair_by_backpay": ("waiting", "repair"),
    "repair_floor_six_months": ("waiting", "repair"),
    "backpay_what_it_repairs": ("waiting", "repair"),
}
TASK_FIGURES = {
    "my_cap": ("cap",),
    "my_waiting": ("waiting", "repair"),
    "my_benefit_start": ("waiting", "repair"),
    "what_if": ("waiting", "repair"),
}


@dataclass(frozen=True)
class BreakCount:
    """N years of break as said, the years said back-paid (None: not said), the insured year whose
    parameters are in force."""

    broken: int
    backpaid: int | None
    year: int


def figures(kinds: tuple[str, ...], count: BreakCount) -> str:
    """The rules' own sentences for the count, in the order of `kinds`."""
    found: dict[str, Ruled[int]] = {
        "cap": counts.cap_for(count.broken, count.year),
        "waiting": counts.waiting_for(count.broken, count.year),
        "repair": counts.repaired_for(count.broken, count.year, count.backpaid),
    }
    steps = [found[k].step for k in kinds]
    return "".join(s.text for s in steps if s is not None)


def opening(intent: str, count: BreakCount | None) -> str:
    """ "按断保N年算：…" before the answer of an entry the count makes concrete; "" otherwise."""
    kinds = ENTRY_FIGURES.get(intent)
    if count is None or not kinds or count.broken < 1:
        return ""
    return f"按断保{count.broken}年算：{figures(kinds, count)}\n"


def before_first_year(count: BreakCount, target: int, task: str | None) -> Reply | None:
    """A personal count that reaches before the first year the rules count: the article quoted,
    what counts for the insured year `target`, and what the rule gives for the years said.
    None when every year said can count."""
    ruled = counts.counted(count.broken, target)
    if ruled.step is None:
        return None
    cite = ruled.step.citation
    text = f"您说断保{count.broken}年。{cite.document} {cite.article}规定：“{cite.quote}”。{ruled.step.text}" + (
        f"下面按断保{ruled.value}年计算。" if ruled.value else "下面不按断保计算。"
    )
    kinds = TASK_FIGURES.get(task or "", ("cap", "waiting"))
    text += f"\n如果断保{count.broken}年都算，按规定：{figures(kinds, count)}"
    return Reply(text=text, intent=COUNT_NOTE)
