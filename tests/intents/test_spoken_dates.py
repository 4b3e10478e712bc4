"""The day a contribution was paid, said in everyday words: relative days and months, festivals of
the Gregorian and of the lunar calendar, with their offsets, read as `Slots.dates` (a day) or
`Slots.months` (a month only) for a given today, and nothing when the words are no date or too
vague to read."""

from __future__ import annotations

import datetime as dt

import pytest

from intents.slots import extract
from intents.spoken_dates import cn_day, lunar_to_solar, spoken_dates

D = dt.date
NOV_20 = D(2026, 11, 20)  # a Friday
MAR_5 = D(2026, 3, 5)


def read(text: str, today: dt.date) -> tuple[list[dt.date], list[tuple[int, int]]]:
    slots = extract(text, today)
    return slots.dates, slots.months


@pytest.mark.parametrize(
    "text, today, dates",
    [
        ("上个月10号交的", NOV_20, [D(2026, 10, 10)]),
        ("上月10号交的", NOV_20, [D(2026, 10, 10)]),
        ("上个月十号交的", D(2027, 1, 15), [D(2026, 12, 10)]),
        ("下个月5号交", NOV_20, [D(2026, 12, 5)]),
        ("本月3号交的", NOV_20, [D(2026, 11, 3)]),
        ("这个月十二号交的", NOV_20, [D(2026, 11, 12)]),
        ("前天交的", NOV_20, [D(2026, 11, 18)]),
        ("昨天交的", NOV_20, [D(2026, 11, 19)]),
        ("今天刚交", NOV_20, [D(2026, 11, 20)]),
        ("上周五交的", NOV_20, [D(2026, 11, 13)]),
        ("上个礼拜三交的", NOV_20, [D(2026, 11, 11)]),
    ],
)
def test_a_day_counted_from_today_is_read_as_that_day(text, today, dates):
    assert read(text, today) == (dates, [])


@pytest.mark.parametrize(
    "text, today, months",
    [
        ("前几天交的", NOV_20, [(2026, 11)]),
        ("前两天交的", NOV_20, [(2026, 11)]),
        ("这几天交的", NOV_20, [(2026, 11)]),
        ("上周交的", NOV_20, [(2026, 11)]),
        ("上个星期交的", NOV_20, [(2026, 11)]),
        ("上周交的", D(2026, 12, 3), [(2026, 11)]),  # last week lies wholly in November
        ("10月底交的", NOV_20, [(2026, 10)]),
        ("十月中旬交的", NOV_20, [(2026, 10)]),
        ("去年12月初交的", NOV_20, [(2025, 12)]),
        ("上个月底交的", NOV_20, [(2026, 10)]),
    ],
)
def test_a_recent_time_said_roughly_gives_its_month_only(text, today, months):
    assert read(text, today) == ([], months)


@pytest.mark.parametrize(
    "text, today",
    [
        ("前几天交的", D(2026, 12, 3)),  # the week before may be November or December
        ("前两天交的", D(2026, 12, 2)),
        ("这几天交的", D(2026, 12, 5)),
        ("上周交的", D(2026, 12, 9)),  # 30 November to 6 December
    ],
)
def test_a_recent_time_over_two_months_gives_nothing(text, today):
    assert read(text, today) == ([], [])


@pytest.mark.parametrize(
    "text, today, dates",
    [
        ("元旦那天交的", NOV_20, [D(2026, 1, 1)]),
        ("元旦前两天交的", NOV_20, [D(2025, 12, 30)]),
        ("2026年元旦前两天交的", NOV_20, [D(2025, 12, 30)]),
        ("国庆节交的", NOV_20, [D(2026, 10, 1)]),
        ("國慶節那天繳的", NOV_20, [D(2026, 10, 1)]),
        ("2025年国庆交的", NOV_20, [D(2025, 10, 1)]),
        ("国庆后3天交的", NOV_20, [D(2026, 10, 4)]),
        ("五一交的", NOV_20, [D(2026, 5, 1)]),
        ("劳动节交的", MAR_5, [D(2025, 5, 1)]),  # the latest one already past
        ("圣诞节交的", NOV_20, [D(2025, 12, 25)]),
        ("圣诞节交的", D(2026, 12, 28), [D(2026, 12, 25)]),
        ("准备元旦前两天交", NOV_20, [D(2026, 12, 30)]),  # a plan: the next one
    ],
)
def test_a_fixed_festival_and_its_offset_in_days_give_the_day(text, today, dates):
    assert read(text, today) == (dates, [])


@pytest.mark.parametrize(
    "text, today, months",
    [
        ("国庆节过后几天交的", NOV_20, [(2026, 10)]),
        ("国庆节过后几天交的", MAR_5, [(2025, 10)]),
        ("国庆后交的", NOV_20, [(2026, 10)]),
        ("去年国庆以后交的", NOV_20, [(2025, 10)]),
        ("国庆期间交的", NOV_20, [(2026, 10)]),
        ("元旦前几天交的", NOV_20, [(2025, 12)]),
        ("十一长假交的", NOV_20, [(2026, 10)]),
    ],
)
def test_some_days_around_a_fixed_festival_give_its_month_only(text, today, months):
    assert read(text, today) == ([], months)


@pytest.mark.parametrize(
    "text, today, dates",
    [
        ("腊八交的", MAR_5, [D(2026, 1, 26)]),
        ("腊月二十三交的", MAR_5, [D(2026, 2, 10)]),
        ("腊月廿三交的", MAR_5, [D(2026, 2, 10)]),
        ("臘月二十三繳的", MAR_5, [D(2026, 2, 10)]),
        ("腊月二十三号交的", MAR_5, [D(2026, 2, 10)]),
        ("农历十二月二十三交的", MAR_5, [D(2026, 2, 10)]),
        ("今年腊月二十三交的", MAR_5, [D(2026, 2, 10)]),  # the 腊月 of 2027 is still to come
        ("除夕交的", MAR_5, [D(2026, 2, 16)]),
        ("大年三十交的", MAR_5, [D(2026, 2, 16)]),
        ("腊月三十交的", MAR_5, [D(2026, 2, 16)]),  # 除夕, though this 腊月 has 29 days
        ("春节交的", MAR_5, [D(2026, 2, 17)]),
        ("大年初一交的", MAR_5, [D(2026, 2, 17)]),
        ("过年那天交的", MAR_5, [D(2026, 2, 17)]),
        ("正月初十交的", MAR_5, [D(2026, 2, 26)]),
        ("正月十五交的", MAR_5, [D(2026, 3, 3)]),
        ("元宵节交的", MAR_5, [D(2026, 3, 3)]),
        ("十月初八交的", D(2026, 12, 1), [D(2026, 11, 16)]),  # a day counted 初八 is a lunar one
        ("今年腊八交的", NOV_20, [D(2026, 1, 26)]),  # the one this year, already past
        ("元宵节交的", D(2026, 2, 20), [D(2025, 2, 12)]),  # this year's is still to come
    ],
)
def test_a_lunar_date_or_festival_is_converted_to_its_gregorian_day(text, today, dates):
    assert read(text, today) == (dates, [])


@pytest.mark.parametrize(
    "text, today, months",
    [
        ("小年交的", MAR_5, [(2026, 2)]),  # 腊月二十三 or 二十四: both in February
        ("腊月二十几交的", MAR_5, [(2026, 2)]),
        ("腊月二十几交的", D(2025, 3, 1), [(2025, 1)]),
        ("腊月底交的", MAR_5, [(2026, 2)]),
        ("过年交的", MAR_5, [(2026, 2)]),
        ("过了年交的", D(2027, 4, 1), [(2027, 2)]),
        ("年后交的", D(2027, 4, 1), [(2027, 2)]),
        ("过年后交的", D(2027, 4, 1), [(2027, 2)]),
    ],
)
def test_a_lunar_time_said_roughly_gives_the_month_it_falls_in(text, today, months):
    assert read(text, today) == ([], months)


@pytest.mark.parametrize(
    "text, today",
    [
        ("腊月二十几交的", D(2027, 3, 1)),  # 28 January to 5 February 2027
        ("年后交的", D(2026, 4, 1)),  # 17 February to 3 March 2026
        ("过年交的", D(2025, 3, 1)),  # 28 January to 4 February 2025
        ("正月交的", MAR_5),
        ("农历十二月交的", MAR_5),  # not December
        ("2025年腊八交的", NOV_20),  # January 2025 or January 2026: both past
        ("去年腊月二十三交的", NOV_20),  # January 2025 or, in lunar years, February 2026
        ("国庆前后交的", NOV_20),
        ("元旦假期交的", NOV_20),  # the holiday has begun on 30 December
    ],
)
def test_a_time_over_two_months_or_two_years_gives_nothing(text, today):
    assert read(text, today) == ([], [])


@pytest.mark.parametrize(
    "text",
    [
        "过年好",
        "腊肉好吃",
        "小年轻不懂",
        "中秋快乐",
        "国庆节快乐",
        "两年后还能补吗",
        "我今年三十了",
        "新年好",
    ],
)
def test_words_that_are_no_date_give_no_date(text):
    assert read(text, MAR_5) == ([], [])


def test_a_festival_fills_the_payment_slots_and_leaves_no_year_fact():
    slots = extract("2025年国庆节过后几天交的", NOV_20)
    assert slots.paid_month == (2025, 10) and slots.paid_on is None
    assert slots.years == [] and slots.facts == []
    slots = extract("我2025年就交了，腊月二十三又交了一次", MAR_5)
    assert slots.paid_on == D(2026, 2, 10)
    assert slots.years == [2025]


def test_a_day_counted_from_this_month_is_a_payment_day():
    slots = extract("这个月12号交的", NOV_20)
    assert slots.paid_on == D(2026, 11, 12) and slots.paid_month is None


@pytest.mark.parametrize(
    "word, day",
    [("初一", 1), ("初十", 10), ("十", 10), ("十五", 15), ("二十", 20), ("二十三", 23), ("廿三", 23), ("三十", 30)],
)
def test_chinese_numerals_name_days(word, day):
    assert cn_day(word) == day


@pytest.mark.parametrize("word", ["初十一", "四十", "几", "", "二十几"])
def test_words_that_name_no_day_give_none(word):
    assert cn_day(word) is None


def test_the_lunar_calendar_knows_short_months_and_new_years():
    assert lunar_to_solar(2026, 1, 1) == D(2026, 2, 17)
    assert lunar_to_solar(2027, 1, 1) == D(2027, 2, 6)
    assert lunar_to_solar(2025, 12, 30) is None  # 腊月 of 2025 has 29 days


def test_each_reading_reports_where_its_words_are():
    (said,) = spoken_dates("我是国庆节过后几天交的", NOV_20)
    assert (said.start, said.end, said.year, said.month, said.day) == (2, 9, 2026, 10, None)
