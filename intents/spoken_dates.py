"""Days and months said in everyday words, read against `today`.

    spoken_dates("国庆节过后几天交的", dt.date(2026, 11, 20)) -> (Spoken(0, 9, 2026, 10, None),)

The text is the one `intents.slots.prepare` made (normalised, traditional characters in simplified
ones, Chinese numerals before 年/月/日/号/天 as digits). Each reading names either a day (`day`
set), a month only (`day` None), or nothing (`month` None: the words are a date too vague or
too ambiguous to read; they are still reported, so that no other reader takes their parts, such as
the 12月 of 农历12月, for a date of its own). A day is never guessed where only a month is meant.

Forms read:

- relative days and weeks: 上个月10号, 这个月12号, 本月3号, 下个月5号 (a day); 上周五, 这个星期一
  (a day); 前几天, 前两天, 这几天, 上周, 上个星期 (about a week around: the month only, and nothing
  when that week runs over two months, as it does early in a month);
- festivals on a fixed day of the Gregorian calendar: 元旦, 国庆(节), 十一长假, 劳动节/五一,
  儿童节, 妇女节, 平安夜, 圣诞(节);
- lunar dates and festivals, converted with the lunar calendar of `lunar_python`: 正月/腊月/冬月
  and 农历N月 with a day (初十, 十五, 二十三, 廿三, 23号), 腊八, 除夕/大年三十, 春节/大年初一,
  元宵, 端午, 七夕, 中秋, 重阳 (a day); 小年 (腊月二十三 in the north, 二十四 in the south: the
  month), 腊月二十几, 腊月底, 正月初几 (the month when the whole range falls in one Gregorian
  month); 过年 said of a payment (除夕 to 初七: the month when that week falls in one);
  过了年, 过完年, 年后 (the fortnight up to 元宵: the month when it falls in one);
- after any festival: 那天/当天 (the day), 前两天/后3天 (the day so many days off), 前几天/前/之前
  and 后几天/后/过后/之后 (the week before or after: the month), 前后/左右 (the fortnight around:
  the month), 期间/假期/的时候 (the holiday: the month).

The year: a year said just before the words (2026年国庆, 去年腊八, 今年过年) is the year of the
festival; for a lunar festival that can fall in January or February it may also be read as the
Gregorian year, and when the two readings give two different days and what was said does not
choose one of them, nothing is read. Without a year, the most recent occurrence up to `today`
(people tell when they paid), or the next one when the clause speaks of a plan (准备, 打算, 再交 ...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from lunar_python import Lunar, LunarYear


class Spoken(NamedTuple):
    """One date said in words: its span in the text and what it reads as (see the module docstring)."""

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None


class _Range(NamedTuple):
    """The days an anchor names in one year: one day when first == last."""

    first: dt.date
    last: dt.date


# ---------------------------------------------------------------- the lunar calendar


@lru_cache(maxsize=512)
def lunar_to_solar(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian date of a day of a lunar year's (non-leap) month; None when that month has no such day."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        return None
    try:
        solar = Lunar.fromYmd(year, month, day).getSolar()
    except (
        Exception
    ):  # the library raises a bare Exception for a day the month does not have (or a year past its table)
        return None
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=256)
def lunar_month_days(year: int, month: int) -> int:
    """How many days a lunar year's (non-leap) month has: 29 or 30."""
    return int(LunarYear.fromYear(year).getMonth(month).getDayCount())


def _lunar(month: int, first: int | None, last: int | None) -> Callable[[int], _Range | None]:
    """An anchor on lunar days first..last of a month (None: the month's last day, 29th or 30th)."""

    def days(year: int) -> _Range | None:
        end = lunar_month_days(year, month)
        lo, hi = first or end, last or end
        a, b = lunar_to_solar(year, month, lo), lunar_to_solar(year, month, min(hi, end))
        return _Range(a, b) if a and b and lo <= hi <= end else None

    return days


def _solar(month: int, day: int) -> Callable[[int], _Range | None]:
    def days(year: int) -> _Range | None:
        try:
            d = dt.date(year, month, day)
        except ValueError:
            return None
        return _Range(d, d)

    return days


# ---------------------------------------------------------------- numbers said in words

_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_day(word: str) -> int | None:
    """A day of the month in words or digits: 初五 -> 5, 初十 -> 10, 十五 -> 15, 二十三 -> 23, 廿三 -> 23,
    三十 -> 30, 23号 -> 23. None for anything else."""
    word = word.strip().removesuffix("号").removesuffix("日").strip()
    if word.startswith("初"):
        word = word[1:]
        value = cn_day(word)
        return value if value is not None and value <= 10 else None
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 31 else None
    word = word.replace("廿", "二十")
    tens, sep, units = word.partition("十")
    if not sep:
        return _CN_DIGIT.get(word) if len(word) == 1 else None
    if (tens and tens not in _CN_DIGIT) or (units and units not in _CN_DIGIT):
        return None
    value = (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)
    return value if 1 <= value <= 30 else None


# ---------------------------------------------------------------- festivals and lunar dates

_SOLAR_FESTIVALS = {
    "元旦": (1, 1),
    "国庆": (10, 1),
    "十一": (10, 1),
    "劳动节": (5, 1),
    "五一": (5, 1),
    "儿童节": (6, 1),
    "妇女节": (3, 8),
    "三八节": (3, 8),
    "平安夜": (12, 24),
    "圣诞": (12, 25),
}
# 期间/假期/的时候: the days around a festival its holiday may take, which differ from year to year
# (the 元旦 holiday has begun on 30 December, the 劳动节 one on 29 April); one day for the others
_HOLIDAY = {"国庆": (0, 7), "十一": (0, 7), "劳动节": (-2, 4), "五一": (-2, 4), "元旦": (-2, 2), "春节": (-1, 7)}
_LUNAR_FESTIVALS: dict[str, tuple[int, int | None, int | None]] = {  # (month, first day, last day)
    "腊八": (12, 8, 8),
    "小年": (12, 23, 24),  # 腊月二十三 in the north, 二十四 in the south
    "除夕": (12, None, None),  # the last day of 腊月, the 29th or the 30th
    "大年三十": (12, None, None),
    "年三十": (12, None, None),
    "大年夜": (12, None, None),
    "春节": (1, 1, 1),
    "大年初一": (1, 1, 1),
    "元宵": (1, 15, 15),
    "端午": (5, 5, 5),
    "七夕": (7, 7, 7),
    "中秋": (8, 15, 15),
    "重阳": (9, 9, 9),
}
_NUM = r"[一二三四五六七八九十]"
_FESTIVAL = (
    r"元旦|国庆|十一(?=长假|黄金周|假期|放假)|劳动节|(?<![\d一二三四五六七八九十])五一(?![\d一二三四五六七八九十])"
    r"|(?:六一)?儿童节|妇女节|三八节|平安夜|圣诞"
    r"|腊八|小年(?![轻龄纪级])|除夕|大年三十|(?<![今去明前后本\d])年三十|大年夜|春节|大年初一|元宵|端午|七夕|中秋|重阳"
)
_LUNAR_MONTH = r"(?:(?P<lp>农历|阴历|旧历)\s*(?P<lm>\d{1,2}|正|腊|冬)|(?P<ln>正|腊|冬))月"
_LUNAR_MONTH_BY_DAY = r"(?P<lg>\d{1,2})月(?=初[一二三四五六七八九十])"  # 10月初八: a day counted 初八 is lunar
_LUNAR_DAY = (
    rf"(?P<ld>初{_NUM}(?!{_NUM})|初\d{{1,2}}\s*(?:号|日)?|廿{_NUM}?|[二三]十{_NUM}?(?!几|多)|十{_NUM}?(?!几|多)"
    r"|\d{1,2}\s*(?:号|日)?)"
    r"|(?P<lr>初几|十几|十多|二十几|二十多|廿几)"
    r"|(?P<lpart>初|上旬|中旬|下旬|中|底|末)"
)
# lunar days said roughly (腊月二十几, 正月初, 腊月底): first and last day (None: the month's last)
_LUNAR_DAYS: dict[str, tuple[int, int | None]] = {
    "初几": (1, 10),
    "十几": (11, 19),
    "十多": (11, 19),
    "二十几": (21, 29),
    "二十多": (21, 29),
    "廿几": (21, 29),
    "初": (1, 10),
    "上旬": (1, 10),
    "中旬": (11, 20),
    "中": (11, 20),
    "下旬": (21, None),
    "底": (21, None),
    "末": (21, None),
}
_YEAR_BEFORE = r"(?:(?P<y>\d{4}|\d{2})\s*年|(?P<ry>大前年|前年|去年|今年|明年|后年|本年))?\s*(?:的)?\s*"
_OFFSET = (
    r"(?P<exact>那天|当天|那日|当日|这天)"
    r"|(?:之|以)?前(?P<bn>\d{1,2})天|(?:过后|之后|以后|后)(?P<an>\d{1,2})天"
    r"|(?P<around>前后|左右)"
    r"|(?P<before>(?:之|以)?前(?:几|两三|一两|三四|些)天|(?:之|以)?前(?![\d天]))"
    r"|(?P<after>(?:过后|之后|以后|后|过了)(?:几|两三|一两|三四|些)?天?)"
    r"|(?P<period>期间|假期|长假|放假|黄金周|的时候|时候|时(?!间)|那几天|那阵子?)"
)
_ANCHOR = re.compile(
    rf"{_YEAR_BEFORE}(?:(?P<fest>{_FESTIVAL})(?:节)?|(?:{_LUNAR_MONTH}|{_LUNAR_MONTH_BY_DAY})(?:{_LUNAR_DAY})?)"
    rf"\s*(?:{_OFFSET})?"
)
# 过年 said of a payment or a time (过年好 is a greeting), and the weeks after it
_NEW_YEAR = re.compile(
    rf"{_YEAR_BEFORE}过年(?:(?P<exact>那天|当天)|(?P<after>后|以后|之后|过后)"
    r"|(?P<period>的时候|时候|时(?!间)|期间|放假(?:的时候|期间)?|那几天|那阵子?)"
    r"|(?=\s*(?:就|才|都|也)?\s*(?:交|缴|买|补|参保|办)))"
    r"|(?P<after2>过了年|过完年|(?<![\d今去明前后本这那两几多个一二三四五六七八九十百千整周半当新大过次每上下隔])年后(?!面))"
)

# ---------------------------------------------------------------- relative days and weeks

_REL_MONTH = {"上个月": -1, "上月": -1, "这个月": 0, "本月": 0, "这月": 0, "下个月": 1, "下月": 1}
_REL_MONTH_DAY = re.compile(r"(上个月|上月|这个月|本月|这月|下个月|下月)\s*(\d{1,2})\s*(?:号|日)")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY = re.compile(
    r"(上个?(?:星期|礼拜)|上一?周|这个?(?:星期|礼拜)|这周|本周|本星期)\s*([一二三四五六日天1-7])(?!\d)"
)
_RECENT = re.compile(
    r"(?P<week>上个?(?:星期|礼拜)|上一?周(?!期))"
    r"|(?P<days>前(?:几|些|两三|一两|两|2)天|前些日子|前一阵子?|这(?:几|两|2|些)天)"
)

_FUTURE = re.compile(
    r"准备|打算|计划|想(?:在|等)|等到|到时|还没有?(?:去)?(?:交|缴|买)|再(?:去)?(?:交|缴|买)|要(?:在|等到)"
    r"|将要|将在|会(?:去)?(?:交|缴|买)|明天|下周|来得及|赶得上|还能|能不能|可不可以|可以吗|行不行|行吗"
)
_PAST = re.compile(r"已经|(?:交|缴|买|参保)(?:了|的|过)")  # a payment told as done outweighs a plan's words
_GREETING = re.compile(r"\s*(?:快乐|愉快|安康|好)")  # 中秋快乐, 过年好: wishes, not dates
_CLAUSE_END = re.compile(r"[，。；,;！？!?\n]")
_WEEK = 7  # 前几天, 国庆后, 元旦前: about a week
_YEAR = 385  # a festival said without a year: its last occurrence, if within a (lunar) year gone by


def _plan(text: str, start: int, end: int) -> bool:
    """Whether the clause around a span speaks of a payment to come rather than one made."""
    clause = _clause(text, start, end)
    return bool(_FUTURE.search(clause)) and not _PAST.search(clause)


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a span: from the punctuation before it to the one after it."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    after = _CLAUSE_END.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else len(text)]


def _month_of(first: dt.date, last: dt.date) -> tuple[int, int] | None:
    return (first.year, first.month) if (first.year, first.month) == (last.year, last.month) else None


def _reading(start: int, end: int, first: dt.date, last: dt.date, exact: bool) -> Spoken:
    """A day when the range is one day and a day was said, the month when it lies in one, else nothing."""
    if exact and first == last:
        return Spoken(start, end, first.year, first.month, first.day)
    month = _month_of(first, last)
    return Spoken(start, end, *month) if month else Spoken(start, end)


def _named_year(m: re.Match[str], today: dt.date) -> int | None:
    if m.group("y"):
        raw = m.group("y")
        return 2000 + int(raw) if len(raw) == 2 else int(raw)
    if m.group("ry"):
        return (
            today.year
            + {"大前年": -3, "前年": -2, "去年": -1, "今年": 0, "本年": 0, "明年": 1, "后年": 2}[m.group("ry")]
        )
    return None


def _choose(
    ranges: Callable[[int], _Range | None], lunar: bool, named: int | None, future: bool, today: dt.date
) -> _Range | None:
    """The occurrence meant: of the year said (a lunar one read also by its Gregorian year; two
    readings left after the tense are no reading), else the latest up to today (the next one for a plan)."""
    found = [(y, r) for y in range(today.year - 4, today.year + 3) if (r := ranges(y)) is not None]
    if named is not None:
        said = [r for y, r in found if y == named or (lunar and r.first.year == named)]
        if len(said) > 1:
            said = [r for r in said if (r.last >= today if future else r.first <= today)]
        return said[0] if len(said) == 1 else None
    if future:
        return next((r for _, r in found if r.last >= today), None)
    past = [r for _, r in found if r.first <= today]
    return past[-1] if past and past[-1].first > today - dt.timedelta(days=_YEAR) else None


def _anchor(m: re.Match[str]) -> tuple[Callable[[int], _Range | None], bool, bool, str | None] | None:
    """(the days the words name in a year, lunar, one day named, the festival) of an anchor match."""
    if fest := m.group("fest"):
        if fest in _LUNAR_FESTIVALS:
            month, first, last = _LUNAR_FESTIVALS[fest]
            return _lunar(month, first, last), True, first == last, fest
        key = fest.removeprefix("六一")
        return _solar(*_SOLAR_FESTIVALS[key]), False, True, key
    raw = m.group("lm") or m.group("ln") or m.group("lg")
    month = {"正": 1, "腊": 12, "冬": 11}.get(raw) or int(raw)
    if not 1 <= month <= 12:
        return None
    if m.group("ld"):
        day = cn_day(m.group("ld"))
        if month == 12 and day == 30:
            return _lunar(12, None, None), True, True, None  # 腊月三十: 除夕, the 29th in a short month
        return (_lunar(month, day, day), True, True, None) if day else None
    said = m.group("lr") or m.group("lpart") or ""
    first, last = _LUNAR_DAYS.get(said, (1, None))
    return _lunar(month, first, last), True, False, None


def _festivals(text: str, today: dt.date) -> list[Spoken]:
    found: list[Spoken] = []
    for m in _ANCHOR.finditer(text):
        start = m.start() if (m.group("y") or m.group("ry")) else _first_char(m, text)
        if (
            m.group("fest")
            and m.end() == m.end("fest") + (text.startswith("节", m.end("fest")))
            and (_GREETING.match(text, m.end()))
        ):
            continue
        anchor = _anchor(m)
        if anchor is None:
            found.append(Spoken(start, m.end()))
            continue
        ranges, lunar, one_day, fest = anchor
        future = _plan(text, m.start(), m.end())
        chosen = _choose(ranges, lunar, _named_year(m, today), future, today)
        if chosen is None:
            found.append(Spoken(start, m.end()))
            continue
        first, last = chosen
        exact = one_day
        if m.group("bn") or m.group("an"):
            if not one_day:
                found.append(Spoken(start, m.end()))
                continue
            shift = -int(m.group("bn")) if m.group("bn") else int(m.group("an"))
            first = last = first + dt.timedelta(days=shift)
        elif m.group("before"):
            first, last, exact = first - dt.timedelta(days=_WEEK), first - dt.timedelta(days=1), False
        elif m.group("after"):
            first, last, exact = last + dt.timedelta(days=1), last + dt.timedelta(days=_WEEK), False
        elif m.group("around"):
            first, last, exact = first - dt.timedelta(days=_WEEK), last + dt.timedelta(days=_WEEK), False
        elif m.group("period"):
            before, after = _HOLIDAY.get(fest or "", (0, 0))
            first, last, exact = first + dt.timedelta(days=before), last + dt.timedelta(days=after), False
        found.append(_reading(start, m.end(), first, last, exact))
    return found


def _first_char(m: re.Match[str], text: str) -> int:
    """Where the words proper begin (the optional 的 and spaces before them are not theirs)."""
    start = m.start()
    while start < m.end() and text[start] in " 的":
        start += 1
    return start


def _new_year(text: str, today: dt.date, taken: list[tuple[int, int]]) -> list[Spoken]:
    """过年 (the week from 除夕), 过年那天 (春节), 过了年 / 年后 (the fortnight after 春节)."""
    found: list[Spoken] = []
    for m in _NEW_YEAR.finditer(text):
        if _overlaps(m.start(), m.end(), taken):
            continue
        start = m.start() if (m.group("y") or m.group("ry")) else _first_char(m, text)
        if m.group("after2"):
            start = m.start("after2")
        future = _plan(text, m.start(), m.end())
        named = _named_year(m, today) if not m.group("after2") else None
        if m.group("exact"):
            chosen = _choose(_lunar(1, 1, 1), True, named, future, today)
            found.append(_reading(start, m.end(), *chosen, True) if chosen else Spoken(start, m.end()))
            continue
        if m.group("after") or m.group("after2"):
            chosen = _choose(_lunar(1, 1, 15), True, named, future, today)
        else:
            chosen = _choose(_new_year_week, True, named, future, today)
        found.append(_reading(start, m.end(), *chosen, False) if chosen else Spoken(start, m.end()))
    return found


def _new_year_week(year: int) -> _Range | None:
    """除夕 to 初七 of a lunar year: the days 过年 names."""
    first = lunar_to_solar(year, 1, 1)
    return _Range(first - dt.timedelta(days=1), first + dt.timedelta(days=6)) if first else None


def _relative(text: str, today: dt.date, taken: list[tuple[int, int]]) -> list[Spoken]:
    """上个月10号, 上周五 (a day); 前几天, 上周 (the month of about a week, when it lies in one)."""
    found: list[Spoken] = []
    for m in _REL_MONTH_DAY.finditer(text):
        index = today.year * 12 + today.month - 1 + _REL_MONTH[m.group(1)]
        try:
            day = dt.date(index // 12, index % 12 + 1, int(m.group(2)))
        except ValueError:
            found.append(Spoken(m.start(), m.end()))
            continue
        found.append(Spoken(m.start(), m.end(), day.year, day.month, day.day))
    for m in _WEEKDAY.finditer(text):
        said = m.group(2)
        weekday = int(said) - 1 if said.isdigit() else _WEEKDAYS[said]
        monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(days=7 if m.group(1).startswith("上") else 0)
        day = monday + dt.timedelta(days=weekday)
        found.append(Spoken(m.start(), m.end(), day.year, day.month, day.day))
    taken = taken + [(s.start, s.end) for s in found]
    for m in _RECENT.finditer(text):
        if _overlaps(m.start(), m.end(), taken):
            continue
        if m.group("week"):
            monday = today - dt.timedelta(days=today.weekday() + 7)
            first, last = monday, monday + dt.timedelta(days=6)
        elif _plan(text, m.start(), m.end()) and m.group("days").startswith("这"):
            first, last = today, today + dt.timedelta(days=_WEEK)
        else:
            last = today if m.group("days").startswith("这") else today - dt.timedelta(days=1)
            first = today - dt.timedelta(days=_WEEK)
        found.append(_reading(m.start(), m.end(), first, last, False))
    return found


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


@lru_cache(maxsize=256)
def spoken_dates(text: str, today: dt.date) -> tuple[Spoken, ...]:
    """Every date said in words in a prepared text, in text order (see the module docstring)."""
    found = _festivals(text, today)
    found += _new_year(text, today, [(s.start, s.end) for s in found])
    found += _relative(text, today, [(s.start, s.end) for s in found])
    kept: list[Spoken] = []
    for s in sorted(found, key=lambda s: (s.start, -s.end)):
        if not _overlaps(s.start, s.end, [(k.start, k.end) for k in kept]):
            kept.append(s)
    return tuple(kept)
