"""How the simulated member reads the bot: which question it asks, what its summary says, which
figures it states. Only the reply text and its offered options are read, as a person reads them
(structured `figures` are a fallback when the text carries none).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel

from bot.models import Reply

Asked = Literal[
    "confirm",
    "amend",
    "resume",
    "task",
    "born",
    "paid_on",
    "backpaid",
    "reward_years",
    "reward_used",
    "zero_claim",
    "years",
    "none",
]

INTERNAL = re.compile(
    r"validation error|Traceback|\bError\b|Exception|pydantic|input_value|value_error|"
    r"NoneType|KeyError|TypeError|ValueError"
)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_RANGE = re.compile(r"(?<!\d)(20\d\d)\s*(?:至|到|-|—|–|~)\s*(20\d\d)(?!\d)")
_DATE = re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})[日号]")
_MONTH = re.compile(r"(20\d\d)年(\d{1,2})月(?!\d{1,2}[日号])")
_CAP = re.compile(r"(?:最高支付限额|封顶线)[^。\n\d]{0,12}?(\d{1,3}(?:,\d{3})+|\d{5,7})\s*元")
_CAP_WAN = re.compile(r"(?:最高支付限额|封顶线)[^。\n\d]{0,12}?(\d+(?:\.\d+)?)\s*万")
_WAIT = re.compile(r"等待期(?:是|为|共|一共|：|:)?\s*(\d+)\s*个月")
_NO_WAIT = re.compile(
    r"没有(?:待遇)?等待期|不设(?:新的)?(?:待遇)?等待期|无(?:待遇)?等待期|"
    r"等待期(?:是|为|：|:)?\s*0\s*个月"
)
_START = re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})日\s*(?:起|开始)(?!算)[^。\n\d]{0,8}?(?:享受|报销|生效)")
_START_AFTER = re.compile(
    r"(?:享受待遇|待遇开始|开始享受)(?:的日期|日期)?(?:是|为|：|:)\s*"
    r"(20\d\d)年(\d{1,2})月(\d{1,2})日"
)


def internal_error(reply: Reply) -> bool:
    """An internal error shown to the person: a validation message, a traceback, an exception name."""
    return bool(INTERNAL.search(reply.text))


def years_of(text: str) -> list[int]:
    """Years a text names, ranges (2025至2027) expanded."""
    found: set[int] = set()
    for a, b in _RANGE.findall(text):
        lo, hi = sorted((int(a), int(b)))
        found.update(range(lo, hi + 1))
    found.update(int(y) for y in _YEAR.findall(text))
    return sorted(found)


def dates_of(text: str) -> list[dt.date]:
    return [dt.date(int(y), int(m), int(d)) for y, m, d in _DATE.findall(text)]


def asked(reply: Reply) -> Asked:
    """What the bot waits for, from its words and options."""
    text = reply.text
    values = [o.value for o in reply.options]
    if "对吗" in text or "对不对" in text:
        return "confirm"
    if "哪里不对" in text:
        return "amend"
    if "继续" in text and "吗" in text and ("计算" in text or "刚才" in text):
        return "resume"
    if any(v.startswith("task:") for v in values) and "哪一项" in text:
        return "task"
    if "出生" in text and ("哪天" in text or "日期" in text or "哪一天" in text):
        return "born"
    if ("哪天交" in text or "缴费日期" in text or "什么时候交" in text or "还没交" in text) and "？" in text:
        return "paid_on"
    if "补缴" in text and ("几年" in text or "有没有" in text):
        return "backpaid"
    if "哪一年用到" in text or ("哪几年用" in text and "额度" in text):
        return "reward_years"
    if "额度" in text and ("有没有" in text or "用到" in text or "用过" in text) and "？" in text:
        return "reward_used"
    if (
        "报销" in text
        and ("有没有" in text or "哪几年" in text or "选出" in text or "报销过" in text)
        and ("？" in text or "选" in text)
    ):
        return "zero_claim"
    if ("交了" in text or "参加了" in text or "参保" in text or "交了吗" in text) and (
        "？" in text or "吗" in text or "选出" in text
    ):
        return "years"
    return "none"


def asked_years(reply: Reply) -> list[int]:
    """The years a question is about: from the options first, else from its words."""
    from_options = sorted({int(y) for o in reply.options for y in _YEAR.findall(o.value)})
    return from_options or years_of(reply.text)


# --- the figures -------------------------------------------------------------------------------


class Figures(BaseModel):
    cap: int | None = None
    waiting_months: int | None = None
    benefits_from: dt.date | None = None
    year: int | None = None
    disagree: list[str] = []  # figures whose text and structured field differ

    def any(self) -> bool:
        return self.cap is not None or self.waiting_months is not None or self.benefits_from is not None


def figures(reply: Reply) -> Figures:
    """The personal figures a reply states (cap in yuan, waiting months, the first day of benefits)."""
    text = reply.text
    personal = bool(reply.figures) or "您的" in text or "您从" in text or "您没有" in text
    if not personal:
        return Figures()
    out = Figures()
    m = _CAP.search(text)
    if m:
        out.cap = int(m.group(1).replace(",", ""))
    elif m := _CAP_WAN.search(text):
        out.cap = round(float(m.group(1)) * 10000)
    m = _WAIT.search(text)
    if m:
        out.waiting_months = int(m.group(1))
    elif _NO_WAIT.search(text):
        out.waiting_months = 0
    m = _START.search(text) or _START_AFTER.search(text)
    if m:
        out.benefits_from = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    head = re.search(r"(20\d\d)年您", text)
    out.year = int(head.group(1)) if head else reply.figures.get("target_year")
    carried = _structured(reply.figures)
    if not out.any():  # a face that words figures differently: the structured fields
        return carried.model_copy(update={"year": out.year})
    out.disagree = [
        name
        for name in ("cap", "waiting_months", "benefits_from")
        if getattr(out, name) is not None
        and getattr(carried, name) is not None
        and getattr(out, name) != getattr(carried, name)
    ]
    return out


def _structured(f: dict) -> Figures:
    start = f.get("benefits_from")
    return Figures(
        cap=f.get("cap"),
        waiting_months=f.get("waiting_months"),
        benefits_from=dt.date.fromisoformat(start) if isinstance(start, str) else start,
    )


# --- the summary -------------------------------------------------------------------------------


class Summary(BaseModel):
    """What a "我理解的是…对吗？" sentence says; None / empty where it says nothing."""

    target: int | None = None
    task: str | None = None  # the question the bot took: my_cap, my_waiting or my_benefit_start
    statuses: dict[int, str] = {}
    zero: set[int] = set()
    claimed: set[int] = set()
    reward_used: set[int] | None = None
    backpaid: int | None = None
    paid_on: dt.date | None = None
    paid_month: tuple[int, int] | None = None
    paid_in_period: bool = False
    born: dt.date | None = None
    group: str | None = None


GROUP_WORDS = (
    ("新生儿", "newborn"),
    ("大学生", "student"),
    ("学生", "student"),
    ("低保", "low_income"),
    ("低收入", "low_income"),
    ("困难", "low_income"),
    ("脱贫", "poverty_alleviated"),
    ("服刑", "inmate"),
    ("在押", "inmate"),
)
_NUM = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def read_summary(text: str) -> Summary:
    s = Summary()
    m = re.search(r"(?:想知道|想问|问的是)(20\d\d)年", text)
    if m:
        s.target = int(m.group(1))
    asked_part = text.split("；", 1)[0] if "；" in text else ""
    for words, task in (
        ("最高支付限额|封顶线", "my_cap"),
        ("哪天开始|开始享受|待遇开始|什么时候开始", "my_benefit_start"),
        ("等待期|等多久", "my_waiting"),
    ):
        if re.search(words, asked_part):
            s.task = task
            break
    body = text.split("；", 1)[1] if "想知道" in text and "；" in text else text.split("：", 1)[-1]
    for clause in re.split(r"[，,；;。]", body):
        _clause(s, clause)
    return s


def _clause(s: Summary, clause: str) -> None:
    years = years_of(clause)
    if "出生" in clause:
        m = _DATE.search(clause)
        if m:
            s.born = dt.date(*map(int, m.groups()))
        return
    if "身份" in clause or (not years and any(w in clause for w, _ in GROUP_WORDS)):
        s.group = next((g for w, g in GROUP_WORDS if w in clause), s.group)
        return
    if "保费" in clause or "缴费" in clause or "交的" in clause and "月" in clause:
        m = _DATE.search(clause)
        if m:
            s.paid_on = dt.date(*map(int, m.groups()))
        elif m := _MONTH.search(clause):
            s.paid_month = (int(m.group(1)), int(m.group(2)))
        elif "集中参保期" in clause:
            s.paid_in_period = True
        return
    if "补缴" in clause:
        m = re.search(r"补缴了?(\d+|[一两二三四五六])年", clause)
        if m:
            s.backpaid = int(m.group(1)) if m.group(1).isdigit() else _NUM[m.group(1)]
        elif "没" in clause or "未" in clause:
            s.backpaid = 0
        return
    if "激励" in clause and "额度" in clause:
        if "没" in clause or "未" in clause:
            s.reward_used = set()
        else:
            s.reward_used = set(years)
        return
    if "报销" in clause:
        zero = any(w in clause for w in ("没有用医保报销", "一次都没", "没报销", "零报销", "没有报销"))
        (s.zero if zero else s.claimed).update(years)
        return
    if not years:
        return
    if "职工" in clause:
        status = "employee"
    elif "外地" in clause or "市外" in clause:
        status = "elsewhere"
    elif any(w in clause for w in ("没有参保", "未参保", "没参保", "没交", "没有交", "断保", "未参加")):
        status = "none"
    elif any(w in clause for w in ("参加居民医保", "参保", "交了", "居民医保")):
        status = "chongqing"
    else:
        return
    for y in years:
        s.statuses[y] = status
