"""How the simulated member says things: years, statuses, reimbursements, dates, in several styles.

Written from how people in Chongqing talk about their insurance, not from the matcher's
wordings: Arabic or Chinese-numeral years (二〇二六年, 二六年), two-digit years (26年), years
relative to today (前年, 去年, 今年, 明年), ranges (2025到2027年), lists, negations (2026年没交),
and the Chongqing dialect (莫得 / 没得, 好多, 好久, 啥子, 娃儿, 交了的).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel

YearStyle = Literal["arabic", "short", "chinese", "relative"]
Status = Literal["chongqing", "elsewhere", "employee", "none"]

DIGITS = "〇一二三四五六七八九"
RELATIVE = {-2: "前年", -1: "去年", 0: "今年", 1: "明年"}
MONTHS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


class Voice(BaseModel):
    """A member's way of speaking, fixed for one conversation."""

    years: YearStyle = "arabic"
    dialect: bool = False
    ranges: bool = True
    short_chinese: bool = False  # 二六年 rather than 二〇二六年
    today: dt.date


def runs(years: Iterable[int]) -> list[tuple[int, int]]:
    """2025, 2026, 2027, 2029 -> [(2025, 2027), (2029, 2029)]."""
    out: list[tuple[int, int]] = []
    for y in sorted(set(years)):
        if out and y == out[-1][1] + 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


class Speech:
    """The member's phrasings; `rng` picks among the variants, `voice` fixes the style."""

    def __init__(self, voice: Voice, rng: random.Random) -> None:
        self.voice = voice
        self.rng = rng

    def pick(self, plain: list[str], dialect: list[str] | None = None) -> str:
        if self.voice.dialect and dialect and self.rng.random() < 0.7:
            return self.rng.choice(dialect)
        return self.rng.choice(plain)

    # --- years -----------------------------------------------------------------------------

    def bare(self, y: int, style: YearStyle | None = None) -> str:
        """One year without 年: "2026", "26", "二〇二六", "二六"; relative years are whole words."""
        style = style or self.voice.years
        if style == "short":
            return str(y)[2:]
        if style == "chinese":
            digits = "".join(DIGITS[int(c)] for c in str(y))
            return digits[2:] if self.voice.short_chinese else digits
        return str(y)

    def year(self, y: int) -> str:
        if self.voice.years == "relative" and y - self.voice.today.year in RELATIVE:
            return RELATIVE[y - self.voice.today.year]
        style: YearStyle | None = None if self.voice.years != "relative" else "arabic"
        return self.bare(y, style) + "年"

    def years(self, years: Iterable[int]) -> str:
        """A set of years as a person lists them: ranges when allowed, else 、 and 和."""
        ys = sorted(set(years))
        relative = self.voice.years == "relative" and all(y - self.voice.today.year in RELATIVE for y in ys)
        if relative:
            words = [RELATIVE[y - self.voice.today.year] for y in ys]
            return words[0] if len(words) == 1 else "、".join(words[:-1]) + "和" + words[-1]
        style = "arabic" if self.voice.years == "relative" else self.voice.years
        parts = []
        for a, b in runs(ys):
            if a == b:
                parts.append(self.bare(a, style))
            elif self.voice.ranges and b - a >= 1 and (b - a >= 2 or self.rng.random() < 0.5):
                joiner = self.rng.choice(["到", "到", "至", "-"])
                parts.append(f"{self.bare(a, style)}{joiner}{self.bare(b, style)}")
            else:
                parts.extend(self.bare(y, style) for y in range(a, b + 1))
        if len(parts) == 1:
            return parts[0] + "年"
        if self.rng.random() < 0.5:
            return "、".join(parts) + "年"
        return "年、".join(parts[:-1]) + "年和" + parts[-1] + "年"

    def date(self, d: dt.date, with_year: bool = True) -> str:
        day = self.rng.choice(["日", "号"]) if not self.voice.dialect else "号"
        if self.voice.years == "relative" and d.year - self.voice.today.year in RELATIVE:
            head = RELATIVE[d.year - self.voice.today.year]
        elif self.voice.years == "chinese" and self.rng.random() < 0.4:
            return f"{self.bare(d.year)}年{MONTHS[d.month]}月{d.day}{day}"
        else:
            head = f"{d.year}年"
        if not with_year and d.year == self.voice.today.year:
            head = ""
        return f"{head}{d.month}月{d.day}{day}"

    # --- facts -----------------------------------------------------------------------------

    def status(self, years: list[int], status: Status, every: bool = False) -> str:
        """One clause: these years were insured this way (or not at all)."""
        ys = self.years(years)
        many = len(years) > 1
        all_ = "都" if many else ""
        if status == "chongqing":
            if every and years[0] == 2025 and self.rng.random() < 0.4:
                return self.pick(
                    [f"从{self.year(2025)}开始一直在重庆交居民医保，没断过", f"{ys}每年都交了"],
                    [f"从{self.year(2025)}起一直都是交了的，没断过", f"{ys}年年都交了的"],
                )
            return self.pick(
                [f"{ys}{all_}交了", f"{ys}{all_}在重庆交了城乡居民医保", f"{ys}{all_}参保了", f"{ys}{all_}交了医保"],
                [f"{ys}{all_}是交了的", f"{ys}{all_}交了的", f"{ys}{all_}在重庆买了医保的"],
            )
        if status == "none":
            return self.pick(
                [
                    f"{ys}{all_}没交",
                    f"{ys}{all_}断了没交",
                    f"{ys}{all_}没有参保",
                    f"{ys}没买医保",
                    f"{ys}{all_}没有交医保",
                ],
                [f"{ys}{all_}莫得交", f"{ys}{all_}没得交", f"{ys}{all_}莫得买医保", f"{ys}断了的"],
            )
        if status == "elsewhere":
            return self.pick(
                [f"{ys}在外地交的居民医保", f"{ys}在老家外省参的城乡居民医保", f"{ys}在成都交的居民医保"],
                [f"{ys}在外地买的居民医保", f"{ys}是在老家外省交的居民医保"],
            )
        return self.pick(
            [f"{ys}在单位上班交的职工医保", f"{ys}参加的职工医保", f"{ys}是职工医保"],
            [f"{ys}在厂里上班，交的职工医保", f"{ys}单位给我买的职工医保"],
        )

    def statuses(self, by_year: dict[int, Status]) -> str:
        """Every year told, grouped by status; sometimes only the exceptions to 都交了."""
        groups: dict[Status, list[int]] = {}
        for y, s in sorted(by_year.items()):
            groups.setdefault(s, []).append(y)
        years = sorted(by_year)
        if (
            set(groups) == {"chongqing", "none"}
            and len(groups["none"]) <= 2
            and len(years) >= 3
            and self.rng.random() < 0.35
        ):
            gone = self.years(groups["none"])
            return self.pick(
                [f"除了{gone}没交，其他年份都交了", f"只有{gone}没交，别的年份都交了"],
                [f"除了{gone}莫得交，其他年都是交了的"],
            )
        order = sorted(groups, key=lambda s: min(groups[s]))
        every = len(groups) == 1 and len(years) > 1
        return "，".join(self.status(groups[s], s, every) for s in order)

    def story(self, by_year: dict[int, Status]) -> str | None:
        """The years as a story in order ("2025年开始交的，2027年断了一年，2028年又接着交"), for a span of
        consecutive years paid in Chongqing or not at all; None when the years do not fit one."""
        years = sorted(by_year)
        if (
            len(years) < 3
            or years[-1] - years[0] != len(years) - 1
            or not set(by_year.values()) <= {"chongqing", "none"}
            or len(set(by_year.values())) < 2
        ):
            return None
        runs_: list[tuple[Status, int, int]] = []
        for y in years:
            if runs_ and runs_[-1][0] == by_year[y]:
                runs_[-1] = (runs_[-1][0], runs_[-1][1], y)
            else:
                runs_.append((by_year[y], y, y))
        clauses = []
        for i, (status, a, b) in enumerate(runs_):
            n = b - a + 1
            count = "一两三四五六七八"[n - 1] if n <= 8 else str(n)
            if status == "none":
                span = self.years(range(a, b + 1))
                clauses.append(
                    self.pick(
                        [f"{self.year(a)}断了一年", f"{self.year(a)}没交"]
                        if n == 1
                        else [f"{span}断了{count}年", f"{span}都没交"],
                        [f"{self.year(a)}莫得交"] if n == 1 else [f"{span}断了{count}年的"],
                    )
                )
            else:
                start = (
                    self.pick([f"{self.year(a)}又接着交", f"{self.year(a)}又开始交"])
                    if i > 1
                    else f"{self.year(a)}开始交的"
                    if i == 0
                    else f"{self.year(a)}才开始交"
                )
                clauses.append(start + (f"，一直交到{self.year(b)}" if n > 1 else ""))
        return "，".join(clauses)

    def broken_count(self, paid: int, broken: int, target: int) -> str:
        """The years as counts, not named: paid `paid` years, then `broken` years not paid right before
        the year asked about ("前面3年都交了，后来断了两年")."""
        n = self.count(broken)
        again = self.pick(
            [f"{self.year(target)}又交了", f"{self.year(target)}又接着交"], [f"{self.year(target)}又交了的"]
        )
        if not paid:
            return self.pick([f"断了{n}年没交，{again}"], [f"断了{n}年莫得交，{again}"])
        if paid == 1:
            return self.pick([f"交了一年后断了{n}年", f"交了一年，后来断了{n}年，{again}"], [f"交了一年后头断了{n}年"])
        return self.pick(
            [f"前面{self.count(paid)}年都交了，后来断了{n}年，{again}", f"交了{self.count(paid)}年后断了{n}年"],
            [f"前面{self.count(paid)}年都是交了的，后头断了{n}年"],
        )

    def zero_claims(self, years: list[int], zero: set[int], named: bool = False) -> str:
        """Which of `years` had no reimbursement at all; `named` names the years even when all agree."""
        none_ = sorted(set(years) & zero)
        some = sorted(set(years) - zero)
        if not none_ and not named:
            return self.pick(["每年都报销过", "每年都有报销", "每年看病都用医保报过"], ["每年都报过的", "年年都报销过"])
        if not some and not named:
            return self.pick(["一次都没报销过", "从来没用医保报销过"], ["一次都莫得报销过", "从来没得报过"])
        parts = []
        if none_:
            parts.append(
                self.pick(
                    [f"{self.years(none_)}一次都没报销过", f"{self.years(none_)}没有用医保报销过"],
                    [f"{self.years(none_)}莫得报销过", f"{self.years(none_)}一分钱都没得报过"],
                )
            )
        if some and (named or not parts or self.rng.random() < 0.8):
            parts.append(
                self.pick([f"{self.years(some)}报销过", f"{self.years(some)}有报销"], [f"{self.years(some)}报过的"])
            )
        return "，".join(parts)

    def reward(self, used: list[int]) -> str:
        if not used:
            return self.pick(
                ["激励额度没用过", "大病保险增加的额度没用到过", "没用过激励额度"],
                ["激励的额度莫得用过", "增加的那部分额度没得用到过"],
            )
        ys = self.years(used)
        return self.pick(
            [f"{ys}住院用到了激励增加的额度", f"{ys}大病保险用过激励额度"], [f"{ys}住院把增加的额度用了的"]
        )

    def count(self, n: int) -> str:
        return self.rng.choice([str(n), "一两三四五六七八"[min(n, 8) - 1]])

    def backpaid(self, n: int, broken: int = 0) -> str:
        """How many broken years were back-paid; all of them may be said as 都补缴了."""
        if not n:
            return self.pick(["没有补缴", "断的年份没补交"], ["莫得补缴", "没得补交"])
        if n == broken > 1 and self.rng.random() < 0.4:
            return self.pick(
                [f"断的{self.count(n)}年都补缴了", f"{self.count(n)}年都补交了"], [f"{self.count(n)}年都补了的"]
            )
        count = self.count(n)
        return self.pick([f"补缴了{count}年", f"后来补交了{count}年"], [f"补了{count}年的"])

    def paid(self, target: int, d: dt.date) -> str:
        if d == self.voice.today and self.rng.random() < 0.7:
            return self.today_paid()
        return self.pick(
            [
                f"{self.year(target)}的医保是{self.date(d)}交的",
                f"{self.date(d)}交的{self.year(target)}的钱",
                f"{self.year(target)}的保费{self.date(d)}交的",
            ],
            [f"{self.year(target)}的医保{self.date(d)}交了的"],
        )

    def today_paid(self) -> str:
        return self.pick(["今天刚交的", "今天交的", "就是今天交的"], ["今天才交的", "今天刚交了的"])

    def planned(self, target: int, child: bool = False) -> str:
        if child:
            return self.pick(
                ["还没交，这几天就去交", "还没去交，过几天就交"], ["还莫得交，这几天去交", "还没得交，过两天去"]
            )
        return self.pick(
            [f"{self.year(target)}的还没交，年底前会交", "还没交，12月底之前去交"],
            ["还莫得交，年底前交", "还没得交，过几天去交"],
        )

    def born(self, d: dt.date) -> str:
        return self.pick(
            [f"孩子是{self.date(d)}出生的", f"宝宝{self.date(d)}生的"],
            [f"娃儿是{self.date(d)}生的", f"我家娃儿{self.date(d)}出生的"],
        )

    def group(self, group: str, born: dt.date | None = None) -> str:
        if group == "newborn" and born and (self.rng.random() < 0.5 or (self.voice.today - born).days > 180):
            return self.born(born)  # a child no longer just born is told by the birth day
        return {
            "newborn": self.pick(["我家宝宝刚出生", "给刚出生的孩子问"], ["我家娃儿才生"]),
            "student": self.pick(["我是在重庆读大学的学生", "我在重庆上大学"], ["我在重庆读大学"]),
            "low_income": self.pick(["我家是低保户", "我是低收入人口"], ["我屋头是低保户"]),
            "poverty_alleviated": self.pick(["我是脱贫户", "我家是脱贫人口"], ["我屋头是脱贫户"]),
            "general": self.pick(["我就是普通居民，不是特殊人群"], ["我就是一般的居民，不是啥子特殊人群"]),
        }.get(group, "")

    def follow_up(self, task: str) -> str:
        """A second question right after a figure, leaning on what was said before."""
        if task == "my_cap":
            return self.pick(
                ["那我的封顶线是多少？", "那大病保险最高能报多少呢？", "再帮我算一下封顶线"],
                ["那封顶线是好多嘛？", "那大病保险最多报好多？"],
            )
        if task == "my_waiting":
            return self.pick(
                ["那我要等多久才能报销？", "那等待期有几个月？", "帮我算一下我的等待期"],
                ["那要等好久嘛？", "那我要等好久才能报销哦？"],
            )
        return self.pick(
            ["那我从哪天开始能报销？", "那什么时候开始享受待遇？"], ["那我啥子时候能报销嘛？", "那哪天起才能报销？"]
        )

    def task(self, task: str, target: int | None, child: bool = False) -> str:
        who = "孩子" if child and not self.voice.dialect else ("娃儿" if child else "我")
        y = self.year(target) if target else ""
        if task == "my_cap":
            return self.pick(
                [
                    f"{y}{who}的大病保险封顶线是多少",
                    f"帮我算一下{who}{y}的大病保险最高能报多少",
                    f"{who}{y}的大病保险最高支付限额是多少",
                ],
                [f"{y}{who}的大病保险封顶线是好多嘛", f"{who}{y}大病保险最多能报好多"],
            )
        if task == "my_waiting":
            return self.pick(
                [f"{who}{y}参保要等多久才能报销", f"{who}{y}的等待期有几个月", f"算一下{who}{y}的待遇等待期"],
                [f"{who}{y}要等好久才能报销", f"{who}{y}的等待期是好久"],
            )
        return self.pick(
            [f"{who}{y}从哪天开始能报销", f"{who}{y}什么时候开始享受医保待遇", f"{y}{who}的医保哪天开始生效"],
            [f"{who}{y}啥子时候能开始报销", f"{who}{y}哪天起才能报销嘛"],
        )
