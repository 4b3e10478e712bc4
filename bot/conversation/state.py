"""What a conversation remembers between two turns: structured facts, never what was typed.

The state is a pydantic model that serialises to JSON (`model_dump_json` /
`model_validate_json`), so every store keeps it as one text value. It holds the member's known
facts (the history the rules engine needs), the task being answered, the question the bot is
waiting on and the options it last offered. Raw messages are never kept: an ID-card number,
a phone number or a name typed by a person cannot end up in a store.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from bot.models import Option, Source

STATE_VERSION = 1

YearStatus = Literal["insured", "elsewhere", "employee", "uninsured"]
Task = Literal["my_cap", "my_waiting", "my_benefit_start", "what_if"]
Pending = Literal[
    "task",  # which personal question (cap / waiting / benefit start)
    "years",  # which of `pending_years` were insured
    "zero_claim",  # which of `pending_years` had no fund reimbursement at all
    "reward_used",  # did critical-illness insurance pay out of the incentive amount
    "reward_years",  # ... in which years
    "backpaid",  # how many broken years were back-paid
    "paid_on",  # when the target year's contribution was paid
    "born",  # a child's birth date
    "confirm",  # the one-sentence summary, waiting for 对 / 不对
    "amend",  # the person said the summary is wrong: waiting for the correction
    "resume",  # after an interruption: continue the calculation?
    "pick",  # "您是想问…": waiting for a choice among the last options
]


class Facts(BaseModel):
    """A member's history as far as the person has told it; None means not known yet."""

    target_year: int | None = None
    target_inferred: bool = False  # the year asked about was not said: the latest year told insured
    years: dict[int, YearStatus] = Field(default_factory=dict)
    zero_claim: dict[int, bool] = Field(default_factory=dict)  # True: no reimbursement at all
    reward_used: list[int] | None = None
    backpaid: int | None = None
    group: str | None = None
    born: dt.date | None = None
    paid_on: dt.date | None = None
    paid_month: str | None = None  # "YYYY-MM" when only the month of payment is known
    every_year: YearStatus | None = None  # "一直都交了" / "一直没交", said of every year, the span unknown yet
    paid_in_period: bool = False  # one message, no date said: the payment taken as made in the period

    def known(self) -> bool:
        return any(
            (
                self.target_year,
                self.years,
                self.zero_claim,
                self.reward_used is not None,
                self.backpaid is not None,
                self.group,
                self.born,
                self.paid_on,
                self.paid_month,
            )
        )


class WhatIf(BaseModel):
    """A what-if question: back-pay some broken years, or keep enrolling next year."""

    kind: Literal["backpay", "continue"]
    backpay: int = 0


class State(BaseModel):
    """One conversation. `version` lets a newer yibao read (or reset) an older saved state."""

    version: int = STATE_VERSION
    facts: Facts = Field(default_factory=Facts)
    task: Task | None = None
    what_if: WhatIf | None = None
    pending: Pending | None = None
    pending_years: list[int] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    topic_task: Task | None = None  # the personal question closest to the last FAQ answer
    topic_turn: int = 0  # ... given on this turn
    paused: bool = False  # a detour was answered; the bot offered to continue the calculation
    last_task: Task | None = None  # the form last computed: a correction after its result reopens it
    next_task: Task | None = None  # a second personal question asked with the first: answered after it
    next_years: list[int] = Field(default_factory=list)  # "去年和今年分别是多少": the other years asked
    last_results: list[str] = Field(default_factory=list)  # the figures last worked out, as said
    last_details: str = ""  # the steps, year table and caveats of the last result (依据)
    last_sources: list[Source] = Field(default_factory=list)  # ... and its cited excerpts
    plan_asked: bool = False  # "还没交": asked once when it will be paid
    whole: bool = False  # this turn's message told the whole history a form needed
    forget: bool = False  # set by "忘记我": the session layer deletes the stored record
    turns: int = 0
