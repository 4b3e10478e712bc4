"""The engine's boundary: a member's history in, a Result (figures, trace, caveats) out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rules.errors import RulesError
from rules.policy import LAST_YEAR, Group, collection_period, first_year


class Coverage(str, Enum):
    """How a member was insured in one insured year (参保年度).

    Continuity is an input matter (渝医保发〔2025〕37号 五.2): the history says which years are
    covered, and the engine trusts it. When filling it in, count as covered (not a break):
    a move between regions (跨统筹区连续参保, mark the year `elsewhere` or `chongqing`);
    a switch between employee and resident insurance with a gap of at most 3 months whose
    contributions for the gap were paid; veterans leaving the army, and the unemployed spouses
    of servicemen who find work, who join Chongqing basic insurance within 3 months.
    A switch with a gap over 3 months, or no basic insurance at all, makes the year `none`.
    """

    chongqing = "chongqing"  # 重庆城乡居民医保
    elsewhere = "elsewhere"  # 市外居民医保: years count, the incentive standard is Chongqing's
    employee = "employee"  # 职工医保: keeps continuity, not a resident-insurance year
    none = "none"  # 未参加基本医保: a broken year

    @property
    def resident(self) -> bool:
        return self in (Coverage.chongqing, Coverage.elsewhere)

    @property
    def insured(self) -> bool:
        return self is not Coverage.none


COVERAGE_ZH = {
    Coverage.chongqing: "重庆居民医保",
    Coverage.elsewhere: "市外居民医保",
    Coverage.employee: "职工医保",
    Coverage.none: "未参保",
}


GROUP_ZH = {g: g.label for g in Group}
"""The one Chinese name of each group (policy.Group.label), by group."""


def _fail(message: str) -> None:
    raise RulesError(message)


class History(BaseModel):
    """One member's history up to the insured year asked about (the target year).

    `coverage` maps each insured year from 2025 to the target year to how the member was
    insured; a missing year is `none` (a broken year). `backpaid` is the number of broken years
    whose contributions were back-paid to repair the variable waiting period. `paid_on` is the
    day the contribution for the target year was paid. `pre_2025_years` are years before 2025
    a person mentioned: they are ignored (渝医保发〔2025〕37号 四.2), and the trace says so.
    `also_employee` are years with a resident-insurance spell and an employee-insurance spell
    (a switch within the year); they count as resident years.
    """

    model_config = ConfigDict(extra="forbid")

    target_year: int
    today: dt.date | None = None
    coverage: dict[int, Coverage] = Field(default_factory=dict)
    zero_claim: set[int] = Field(default_factory=set)
    reward_used: set[int] = Field(default_factory=set)
    backpaid: int = Field(default=0, ge=0)
    group: Group = Group.general
    born: dt.date | None = None
    paid_on: dt.date | None = None
    pre_2025_years: list[int] = Field(default_factory=list)
    also_employee: set[int] = Field(default_factory=set)

    @field_validator("target_year")
    @classmethod
    def _target_in_range(cls, year: int) -> int:
        first = first_year()
        if not first <= year <= LAST_YEAR:
            _fail(
                f"参保年度{year}超出可计算范围：参保激励和等待期从{first}年度开始计算，"
                f"本计算支持{first}—{LAST_YEAR}年度"
            )
        return year

    @field_validator("backpaid", mode="before")
    @classmethod
    def _backpaid_not_negative(cls, n: object) -> object:
        if isinstance(n, int) and n < 0:
            _fail(f"补缴年数不能是负数：{n}")
        return n

    @model_validator(mode="after")
    def _consistent(self) -> History:
        first, target = first_year(), self.target_year
        for name, years in (
            ("参保年度", self.coverage),
            ("零报销年度", self.zero_claim),
            ("使用奖励额度的年度", self.reward_used),
        ):
            for y in sorted(years):
                if y < first:
                    _fail(f"{name}{y}早于{first}年：{first}年以前的年度不计入（渝医保发〔2025〕37号 四.2）")
                if y > target:
                    _fail(f"{name}{y}晚于所问的参保年度{target}")
        for y in self.pre_2025_years:
            if y >= first:
                _fail(f"pre_2025_years 只能放{first}年以前的年度，收到{y}")
        both = self.zero_claim & self.reward_used
        if both:
            _fail(f"{years_zh(both)}年既是零报销年度又使用了奖励额度：使用奖励额度说明基金有报销，二者矛盾")
        for y in sorted(self.zero_claim):
            if self.covered(y) is Coverage.none and y != target:
                _fail(f"{y}年没有参保，不能算作零报销年度")
        for y in sorted(self.reward_used):
            if not (self.covered(y).resident or y == target and self.covered(y) is Coverage.none):
                _fail(f"{y}年没有参加居民医保，不能使用居民大病保险的奖励额度")
        for y in sorted(self.also_employee):
            if not self.covered(y).resident:
                _fail(f"also_employee 的年度{y}必须同时是居民医保年度")
        if self.covered(target) is Coverage.employee:
            _fail(f"{target}年度参加的是职工医保：本计算只适用于城乡居民医保的大病保险封顶线和等待期")
        if self.group is Group.newborn and self.born is None:
            _fail("新生儿需要出生日期（--born YYYY-MM-DD）")
        if self.born is not None:
            if self.born > dt.date(target, 12, 31):
                _fail(f"出生日期{self.born}晚于所问的参保年度{target}")
            if self.today is not None and self.born > self.today:
                _fail(f"出生日期{self.born}晚于今天{self.today}")
            early = [y for y, c in self.coverage.items() if c.insured and y < self.born.year]
            if early:
                _fail(f"{years_zh(early)}年在出生（{self.born}）之前，不能参保")
        if self.paid_on is not None:
            opens = collection_period(target).start
            if not opens <= self.paid_on <= dt.date(target, 12, 31):
                _fail(
                    f"缴费日期{self.paid_on}不可能是{target}年度的缴费：集中参保期最早从"
                    f"{opens.year}年{opens.month}月开始，最晚在{target}年12月31日前缴费"
                )
            if self.born is not None and self.paid_on < self.born:
                _fail(f"缴费日期{self.paid_on}早于出生日期{self.born}")
        return self

    def covered(self, year: int) -> Coverage:
        """How the member was insured in `year` (a year not given is `none`)."""
        return self.coverage.get(year, Coverage.none)

    @classmethod
    def from_lists(
        cls,
        target_year: int,
        enrolled: Iterable[int] = (),
        elsewhere: Iterable[int] = (),
        employee: Iterable[int] = (),
        **kw: Any,
    ) -> History:
        """A History from year lists, as a person tells them.

        A year listed both as Chongqing and as outside-Chongqing resident insurance is a
        contradiction (one resident insurance a year). A year with resident insurance and
        employee insurance is a switch within the year: it counts as a resident year and the
        trace says so. Years before 2025 are kept apart in `pre_2025_years` and ignored.
        """
        lists = {
            Coverage.chongqing: set(enrolled),
            Coverage.elsewhere: set(elsewhere),
            Coverage.employee: set(employee),
        }
        clash = lists[Coverage.chongqing] & lists[Coverage.elsewhere]
        if clash:
            _fail(f"{years_zh(clash)}年既在重庆又在市外参加居民医保：同一年度只能参加一处居民医保")
        pre = sorted({y for ys in lists.values() for y in ys if y < first_year()} | set(kw.pop("pre_2025_years", ())))
        coverage: dict[int, Coverage] = {}
        for y in lists[Coverage.employee]:
            coverage[y] = Coverage.employee
        for kind in (Coverage.elsewhere, Coverage.chongqing):
            for y in lists[kind]:
                coverage[y] = kind
        switched = lists[Coverage.employee] & (lists[Coverage.chongqing] | lists[Coverage.elsewhere])
        coverage = {y: c for y, c in coverage.items() if y >= first_year()}
        return cls(
            target_year=target_year,
            coverage=coverage,
            pre_2025_years=pre,
            also_employee={y for y in switched if y >= first_year()} | set(kw.pop("also_employee", ())),
            **kw,
        )


def years_zh(years: Iterable[int]) -> str:
    """[2026, 2025] -> "2025、2026"."""
    return "、".join(str(y) for y in sorted(years))


class Citation(BaseModel):
    document: str
    article: str
    quote: str


StepResult = int | str | bool | None | list[int] | dict[str, Any]


class Step(BaseModel):
    """One step of the computation, as a hotline agent reads it back: rule, sentence, source."""

    rule: str
    text: str
    inputs: dict[str, Any] = Field(default_factory=dict)
    result: StepResult = None
    citation: Citation


class Cap(BaseModel):
    """The target year's critical-illness cap (大病保险最高支付限额), yuan."""

    base: int
    continuous: int
    zero_claim: int
    incentives: int
    incentives_capped: int
    reduction: int
    effective: int


class CapYear(BaseModel):
    """One insured year's cap; `effective` is None for a year without resident insurance."""

    year: int
    coverage: Coverage
    continuous: int
    zero_claim: int
    reduction: int
    effective: int | None


class Waiting(BaseModel):
    """The waiting period (待遇等待期) for the target year, in whole calendar months."""

    applies: bool
    reason: str  # the plain-Chinese reason
    reason_code: str  # former_rules | newborn | continuous_in_period | not_continuous | outside_period
    # | not_continuous_outside_period
    fixed: int
    variable: int
    repaired: int
    floor_applied: bool
    months: int
    counting_from: dt.date | None


class FeeTier(BaseModel):
    name: str
    yuan: int


class Fees(BaseModel):
    """Contribution tiers (个人缴费标准) and the fiscal subsidy for the year, where the sources give them."""

    year: int
    tiers: list[FeeTier]
    fiscal_subsidy: int | None
    citation: Citation


class Result(BaseModel):
    target_year: int
    group: Group
    broken_years: list[int]
    continuous: bool
    cap: Cap
    cap_by_year: list[CapYear]
    waiting: Waiting
    benefits_from: dt.date | None
    fees: Fees | None
    trace: list[Step]
    caveats: list[str]
