"""The policy facts the rest of the product asks about, each read from rules/parameters/*.yaml.

One place for what other packages would otherwise type again: the first insured year the rules
count, which insured year a payment day pays for (the September rule), the collection period,
the newborn window, the special groups with their one Chinese name, the years the rules cover
and the facts each question needs.

    from rules import policy
    policy.first_year()                          # 2025
    policy.paid_for(dt.date(2026, 9, 10))        # 2027: a payment from September is for the next year
    policy.Group.inmate.label                    # 服刑人员
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from rules import parameters

LAST_YEAR = 2100
"""The last insured year the engine computes (a product bound, not a policy value)."""


@lru_cache(maxsize=1)
def first_year() -> int:
    """The first insured year the rules count (渝医保发〔2025〕37号 四.2: "参保激励的连续参保年限从参加2025年度
    居民医保开始计算，以前年度是否连续参保不计连续参保年限和断保年限")."""
    year = parameters.parameters()["policy_start_year"].values[0].value
    assert isinstance(year, int)
    return year


def years() -> range:
    """The insured years the rules compute: from the first year to LAST_YEAR."""
    return range(first_year(), LAST_YEAR + 1)


def today_bounds() -> tuple[dt.date, dt.date]:
    """The days a "today" may be: from 1 January of the year before the first insured year (its
    collection period starts then) to the last day of LAST_YEAR."""
    return dt.date(first_year() - 1, 1, 1), dt.date(LAST_YEAR, 12, 31)


def _year_in_force(year: int) -> int:
    """Parameters for years before the rules: those of the first year (a day of 2020 is still read)."""
    return max(year, first_year())


@dataclass(frozen=True)
class CollectionPeriod:
    """The collection period (集中参保期) for one insured year, 渝医保发〔2025〕37号 五.3: "我市居民医保集中
    参保期原则上为每年9月至次年2月"; college students "集中参保期原则上为每年9月"."""

    insured_year: int
    first_month: int  # of the year before the insured year
    last_month: int  # of the insured year
    student_month: int  # of the year before the insured year

    @property
    def start(self) -> dt.date:
        return dt.date(self.insured_year - 1, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return _month_end(self.insured_year, self.last_month)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def months_zh(self) -> str:
        """ "9月至次年2月", as the document writes it."""
        return f"{self.first_month}月至次年{self.last_month}月"


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@lru_cache(maxsize=256)
def collection_period(insured_year: int) -> CollectionPeriod:
    """The collection period of `insured_year`, from the parameters in force for that year."""
    year = _year_in_force(insured_year)
    return CollectionPeriod(
        insured_year,
        int(parameters.value("collection_first_month", year)),
        int(parameters.value("collection_last_month", year)),
        int(parameters.value("student_collection_month", year)),
    )


def paid_for(day: dt.date | tuple[int, int]) -> int:
    """The insured year a payment made on `day` (a date, or a (year, month) pair) pays for.

    渝医保发〔2025〕37号 五.3 (the September rule): the collection period runs "每年9月至次年2月", so a
    payment from September on is for the next insured year, one before September for its own year.
    """
    year, month = (day.year, day.month) if isinstance(day, dt.date) else day
    following = collection_period(year + 1)
    return year + 1 if month >= following.first_month else year


def coming_year(today: dt.date) -> int:
    """The insured year people are paying for on `today` (the September rule, 五.3)."""
    return paid_for(today)


def add_years(day: dt.date, count: int) -> dt.date:
    """`day` `count` years on; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + count)
    except ValueError:
        return day.replace(year=day.year + count, day=28)


@dataclass(frozen=True)
class NewbornWindow:
    """渝医保发〔2025〕37号 五.1: "新生儿出生90天内参保缴费的，自出生之日起享受待遇；出生后超过90天未满2周岁
    首次参保缴费的，从完成缴费的次日起享受待遇；年满2周岁后首次参保缴费的，设置待遇等待期"."""

    days: int  # paid within this many days of birth: covered from the day of birth
    age: int  # first enrolled before this age: no waiting period, no broken years

    def from_birth(self, born: dt.date, paid_on: dt.date) -> bool:
        """Paid within the days after birth: benefits from the day of birth."""
        return (paid_on - born).days <= self.days

    def age_limit(self, born: dt.date) -> dt.date:
        """The birthday from which a first enrolment has the general waiting period."""
        return add_years(born, self.age)

    def under_age(self, born: dt.date, day: dt.date) -> bool:
        """First enrolled on `day` before the age limit: no waiting period, no broken years."""
        return day < self.age_limit(born)


@lru_cache(maxsize=256)
def newborn_window(insured_year: int) -> NewbornWindow:
    year = _year_in_force(insured_year)
    return NewbornWindow(
        int(parameters.value("newborn_days", year)), int(parameters.value("newborn_no_wait_age", year))
    )


class Group(str, Enum):
    """Who the member is, for the special-group rules of 渝医保发〔2025〕37号 五.1 and 五.3.

    Each group has one Chinese name (`label`); the special groups keep the names of 五.1:
    "新生儿、低收入人口、脱贫人口、服刑人员等特殊群体参保待遇等待期按原政策执行".
    """

    general = "general"
    newborn = "newborn"
    low_income = "low_income"
    poverty_alleviated = "poverty_alleviated"
    inmate = "inmate"
    student = "student"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def former_rules(self) -> bool:
        """Low-income, poverty-alleviated people and inmates keep the former rules (no new wait)."""
        return self in FORMER_RULES


_LABELS = {
    Group.general: "一般参保人",
    Group.newborn: "新生儿",
    Group.low_income: "低收入人口",
    Group.poverty_alleviated: "脱贫人口",
    Group.inmate: "服刑人员",
    Group.student: "在渝高校大学生",
}
FORMER_RULES = (Group.low_income, Group.poverty_alleviated, Group.inmate)


def former_rules_zh() -> str:
    """ "低收入人口、脱贫人口、服刑人员": the groups that keep the former rules, as 五.1 names them."""
    return "、".join(g.label for g in FORMER_RULES)


class Task(str, Enum):
    """The member questions the engine answers."""

    cap = "my_cap"
    waiting = "my_waiting"
    benefit_start = "my_benefit_start"


class Fact(str, Enum):
    """A fact a question may need from the person, in the order they are asked for."""

    born = "born"  # a newborn's birth day (五.1)
    years = "years"  # how each year from the first year to the year before was insured (四.2, 五.2)
    zero_claim = "zero_claim"  # which insured years had no fund reimbursement (42号 三)
    reward_used = "reward_used"  # whether critical-illness insurance paid out of an incentive amount (四.1)
    backpaid = "backpaid"  # back-paid years, when the years right before are broken (晨报: 补缴修复)
    paid_on = "paid_on"  # the payment day (五.3)


def needs(task: Task | str, group: Group | str = Group.general) -> tuple[Fact, ...]:
    """The facts `task` needs for a member of `group`, in the order to ask for them.

    Some are asked only when they can matter: `reward_used` when an incentive amount existed,
    `backpaid` when the years right before are broken, `years` not for a newborn first enrolled
    before the age limit of the newborn window (五.1: no broken years). The groups that keep the
    former rules (五.1) need no years for the waiting period or the day benefits start.
    """
    task, group = Task(task), Group(group)
    found = [Fact.born] if group is Group.newborn else []
    if task is Task.cap:
        return (*found, Fact.years, Fact.zero_claim, Fact.reward_used)
    if not group.former_rules:
        found += [Fact.years, Fact.backpaid]
    if task is Task.benefit_start:
        found.append(Fact.paid_on)
    return tuple(found)


def contribution_tiers(insured_year: int) -> dict[str, int] | None:
    """The individual contribution of each tier (一档, 二档 ...) for `insured_year`, in yuan per person,
    or None for a year the sources give no standard for (渝医保发〔2025〕42号 一: "参加我市2026年度居民医保
    个人缴费标准为一档400元/人·年、二档775元/人·年"; only the 2026 year is given)."""
    found = parameters.optional("contribution_tiers", insured_year)
    if found is None:
        return None
    assert isinstance(found.value, dict)
    return dict(found.value)


def contribution_years() -> tuple[int, ...]:
    """The insured years whose contribution tiers the sources give."""
    values = parameters.parameters()["contribution_tiers"].values
    return tuple(year for v in values for year in range(v.from_.year, (v.until or v.from_).year + 1))


def tier_names() -> tuple[str, ...]:
    """The names of the contribution tiers, as the documents write them (一档, 二档), in order."""
    names: dict[str, None] = {}
    for v in parameters.parameters()["contribution_tiers"].values:
        assert isinstance(v.value, dict)
        names.update(dict.fromkeys(v.value))
    return tuple(names)
