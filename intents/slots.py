"""Facts in what a person types: years, relative years, ranges and lists of years, counts,
dates, yes/no, groups, and clause by clause what happened in which year.

    extract("我2025年和2026年都参保了，2025年一次都没报销过", today) ->
        Slots(years=[2025, 2026], facts=[2025 insured, 2026 insured, 2025 zero_claim], ...)

The text first goes through the shared pipeline (intents.text.normalise: 没报销 -> 零报销,
断了 -> 断保了, 补交 -> 补缴, 好久 -> 多久 ...). ID-card and phone numbers are then found, reported
as kinds only ("id_card", "phone": never the digits) and blanked, so that their digits are not
read as years. Chinese numerals before 年/月/日/号/个 are turned into digits with cn2an
(二〇二五年 -> 2025年, 两年 -> 2年, 十二月十号 -> 12月10号). Dates are read and blanked next, so
that "2026年12月交了2027年的" gives a payment month (2026-12) and the insured year 2027, not
a fact about 2026.

Years: 2025, 25年, 二〇二五年, 二五年; ranges 2025到2027年, 25-27年, 2025至2027; lists 25、26年,
2025和2026年; relative 今年, 去年, 前年, 大前年, 明年, 后年, 大后年 (from `today`). A year
outside 2000 .. today.year + 20 (1990年, 3025年) is reported in invalid_years and nowhere else.

Clauses: the text is cut at ，。；,;！？ and at 但/可是/然后/不过; in each clause the years and the
predicates give YearFacts. A clause that names no year speaks about the years of the clause
before it ("2025年参保了，但没报销" -> 2025 insured, 2025 zero_claim).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Annotated, Literal, NamedTuple

from pydantic import AfterValidator, BaseModel, Field

from intents.places import places
from intents.spoken_dates import Spoken, spoken_dates
from intents.text import normalise
from rules import policy

Status = Literal[
    "insured", "uninsured", "elsewhere", "employee", "zero_claim", "claimed", "reward_used", "reward_unused"
]


def _special_group(value: str) -> str:
    """One of rules.policy.Group's values other than the general one (what `group_of` names)."""
    if policy.Group(value) is policy.Group.general:
        raise ValueError("the general group is no group the text names")
    return value


Group = Annotated[str, AfterValidator(_special_group)]


class YearFact(BaseModel):
    """One thing the person said about one insured year."""

    year: int
    status: Status


class Payers(BaseModel):
    """People paying contributions on one tier: 5口人都选一档 -> Payers(people=5, tier="一档").
    `tier` is None when the message names no tier for them ("一家四口交多少")."""

    people: int
    tier: str | None = None


class Slots(BaseModel):
    """Everything extract() found in one message. Empty lists / None mean "not said"."""

    years: list[int] = Field(default_factory=list)  # valid years named as years
    facts: list[YearFact] = Field(default_factory=list)  # clause-level facts, in text order
    all_insured: bool = False  # 一直交 / 每年都交 / 都交了 / 都参保了
    none_insured: bool = False  # 都没交 / 都没参保 / 一直没交
    backpaid: int | None = None  # 补缴了N年 (0 for 没有补缴 / 不补缴)
    broken_count: int | None = None  # 断了N年 / N年没交
    insured_count: int | None = None  # 连续交了N年 / 交了N年医保 / 参保N年了
    nth_year: int | None = None  # 第N年: an insured year counted from the first year, no calendar year
    zero_claim_count: int | None = None  # N年零报销 / 零报销连着N年 / N个零报销年度
    target_year: int | None = None  # the year asked about: 2027年的封顶线, 交了2027年的, 2027年参保要等多久;
    # in a question naming none, the latest year said insured
    target_inferred: bool = False  # True when the question names no year (the latest year said insured)
    paid_on: dt.date | None = None  # full date of the contribution (12月10号交的)
    paid_month: tuple[int, int] | None = None  # (year, month) when the day is not said: 2026年12月交了
    born: dt.date | None = None  # 2026年1月10日出生
    born_month: tuple[int, int] | None = None  # (year, month) when the day is not said
    dates: list[dt.date] = Field(default_factory=list)  # every full date, in text order
    months: list[tuple[int, int]] = Field(default_factory=list)  # (year, month) said without a day
    yes: bool | None = None  # 对/是的/没错/嗯/好的/确认 -> True; 不对/没有/不是/错了 -> False
    group: Group | None = None
    general: bool = False  # 普通居民 / 一般参保人 / 都不是: no special group
    not_groups: list[str] = Field(default_factory=list)  # 不是低保户 / 也不是学生: groups denied
    invalid_years: list[int] = Field(default_factory=list)  # 1990年, 3025年
    conflicts: list[int] = Field(default_factory=list)  # a year said both insured and not
    statuses: list[Status] = Field(default_factory=list)  # said with no year at all ("一次都没报销过")
    pii: list[str] = Field(default_factory=list)  # kinds only: "id_card", "phone"
    written_years: list[int] = Field(default_factory=list)  # years written as numbers (2027年), not 明年
    tiers: list[str] = Field(default_factory=list)  # contribution tiers named (一档, 二档), in text order
    payers: list[Payers] = Field(default_factory=list)  # 全家5口都选一档, 两个一档一个二档, 我和老婆
    tier_difference: bool = False  # 二档比一档多交多少 / 差多少 / 贵多少


# ---------------------------------------------------------------- primitives

# ID-card numbers: 18 digits (the last may be X) or the old 15, written whole or in groups
# separated by single spaces or dashes ("500101 19900101 1234", "500101-900101-123")
_ID_CARD = re.compile(
    r"(?<![0-9])[1-9](?:[ -]?\d){16}[ -]?[0-9x](?![ -]?[0-9x])"
    r"|(?<![0-9])[1-9](?:[ -]?\d){14}(?![ -]?[0-9x])",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
_CN_NUMERAL = re.compile(
    r"(?<!\d)(?!(?<=[上下这那同另每])一(?:年|个))[〇零一二两三四五六七八九十百]+"  # (下一年: a year, not a count)
    r"(?=年|月|日|号|个|岁|周岁|天|(?:(?:到|至|、|和|-)[〇零一二两三四五六七八九十]+)+年)"
)
# 二〇二五 and 一九九〇 are years wherever they stand ("二〇二五、二〇二六这两年")
_CN_YEAR = re.compile(
    r"(?<![〇零一二三四五六七八九十])(?:一九|二[〇零])[〇零一二三四五六七八九]{2}(?![〇零一二三四五六七八九十])"
)
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _cn_to_digits(match: re.Match[str]) -> str:
    text = match.group(0)
    if len(text) >= 2 and all(ch in "〇零一二三四五六七八九" for ch in text):
        return text.translate(_CN_DIGITS)  # 二〇二五 / 二五: digit by digit, as said
    import cn2an  # noqa: PLC0415 - ~200 ms, only for a number written in Chinese numerals

    try:
        return str(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):
        return text


def find_pii(text: str) -> tuple[str, list[str]]:
    """(text with ID-card and phone numbers blanked, the kinds found). Values are never kept."""
    kinds: list[str] = []
    if _ID_CARD.search(text):
        kinds.append("id_card")
        text = _ID_CARD.sub(" ", text)
    if _PHONE.search(text):
        kinds.append("phone")
        text = _PHONE.sub(" ", text)
    return text, kinds


def pii_spans(text: str) -> list[tuple[int, int]]:
    """Where ID-card and phone numbers stand in the text (start, end)."""
    return [m.span() for pattern in (_ID_CARD, _PHONE) for m in pattern.finditer(text)]


_LIST_COUNT = re.compile(r"(?<=\d)(?:两|二|三|四|五|六|七|八|九|十)(?=个?年)")


def prepare(text: str) -> tuple[str, list[str]]:
    """Normalised text, PII blanked, Chinese numerals before 年/月/日/号/个 as digits."""
    clean = normalise(text or "")[:5000]
    clean, pii = find_pii(clean)
    clean = _LIST_COUNT.sub("", clean)  # 25、26两年: the count of the years just listed
    clean = _CN_YEAR.sub(_cn_to_digits, clean)
    clean = _CN_NUMERAL.sub(_cn_to_digits, clean)
    return clean, pii


_RELATIVE = {
    "大前年": -3,
    "前年": -2,
    "去年": -1,
    "今年": 0,
    "明年": 1,
    "后年": 2,
    "大后年": 3,
    "上一年": -1,
    "上年": -1,
    "下一年": 1,
    "下年": 1,
    "本年": 0,
}
_RELATIVE_RE = re.compile("|".join(sorted(_RELATIVE, key=len, reverse=True)))


def relative_years(text: str, today: dt.date) -> list[tuple[int, int, int]]:
    """(start, end, year) of every 今年/去年/前年/大前年/明年/后年/大后年 in the text."""
    return [(m.start(), m.end(), today.year + _RELATIVE[m.group(0)]) for m in _RELATIVE_RE.finditer(text)]


_Y = r"(?:\d{4}|\d{2})"
_SEP = r"(?:、|和|与|及|跟|以及|,|，|/|到|至|-|~|～|—|－)"
_RANGE_SEPS = ("到", "至", "-", "~", "～", "—", "－")
_TO_RELATIVE = re.compile(r"(?<!\d)(\d{4})\s*年?\s*(?:到|至|一直到)\s*(大前年|前年|去年|今年|明年|后年|大后年)")
# 年 may stand after every year of a list or range: "2027年到2030年", "2025年、2026年"
_YEAR_SEQ = re.compile(rf"(?<![\d.:/])({_Y}(?:\s*年?\s*{_SEP}\s*{_Y})*)(?![\d%])(\s*年)?")
BARE_YEARS = (1900, 2099)  # a four-digit number without 年 outside these is an amount
_COUNT_BEFORE = set("了交缴续断补满共第近多保")  # 断保10年, 参保12年: counts
_NOT_YEAR_AFTER = re.compile(r"\s*(?:元|块|万|千|百|%|个|天|号|人|次|岁|分|多元)")


def _year_value(token: str, explicit: bool) -> int | None:
    if len(token) == 4:
        return int(token)
    if len(token) == 2 and explicit:
        return 2000 + int(token)
    return None


class _YearSpan(NamedTuple):
    start: int
    end: int
    years: list[int]


def year_spans(text: str, today: dt.date) -> tuple[list[_YearSpan], list[int]]:
    """([(start, end, valid years)] in text order, invalid years) for every absolute, ranged,
    listed and relative year mention."""
    spans: list[_YearSpan] = []
    invalid: list[int] = []
    low, high = 2000, today.year + 20
    for m in _YEAR_SEQ.finditer(text):
        seq, nian = m.group(1), bool(m.group(2)) or "年" in m.group(1)
        if not nian and _NOT_YEAR_AFTER.match(text, m.end()):
            continue
        parts = re.split(rf"\s*年?\s*({_SEP})\s*", seq)
        tokens, seps = parts[0::2], parts[1::2]
        if not nian and any(len(t) != 4 or not BARE_YEARS[0] <= int(t) <= BARE_YEARS[1] for t in tokens):
            continue  # bare numbers count as years only when written with four digits that
            # could be a year: 每年加5000 names an amount, 3025年 an impossible year
        if (
            len(tokens) == 1
            and len(tokens[0]) == 2
            and m.start() > 0
            and text[m.start() - 1] in _COUNT_BEFORE
            and not text.endswith("除了", 0, m.start())
        ):  # 除了30年没交: a year
            near_now = abs(2000 + int(tokens[0]) - today.year) <= 3
            names_year = (
                text.startswith("的", m.end())
                or _AFTER_BREAK.search(text, 0, m.start())
                or _YEAR_SUBJECT.match(text, m.end())
            )  # 25年交了26年也交了: 26年 is what 也交了 is said of
            if not (near_now and names_year):
                continue  # 交了12年: a count; but 交了27年的, 断了26年交了 name years
        read = [_year_value(t, True) for t in tokens]
        values = [v for v in read if v is not None]
        if len(values) != len(read):
            continue
        years: list[int] = [values[0]]
        for sep, value in zip(seps, values[1:], strict=False):
            if sep in _RANGE_SEPS and years[-1] < value <= years[-1] + 60:
                years.extend(range(years[-1] + 1, value + 1))
            else:
                years.append(value)
        valid = [y for y in years if low <= y <= high]
        invalid.extend(y for y in years if not low <= y <= high and y not in invalid)
        if valid:
            spans.append(_YearSpan(m.start(), m.end(), valid))
    for start, end, year in relative_years(text, today):
        spans.append(_YearSpan(start, end, [year]))
    for m in _TO_RELATIVE.finditer(text):  # "2025年到今年": every year of the range
        first, last = int(m.group(1)), today.year + _RELATIVE[m.group(2)]
        if low <= first <= last <= high:
            spans = [sp for sp in spans if not m.start() <= sp.start < m.end()]
            spans.append(_YearSpan(m.start(), m.end(), list(range(first, last + 1))))
    spans.sort()
    return spans, invalid


def years_in(text: str, today: dt.date) -> tuple[list[tuple[int, int]], list[int]]:
    """([(position, year)], invalid years) for the absolute and relative years in a text."""
    spans, invalid = year_spans(text, today)
    return [(span.start, year) for span in spans for year in span.years], invalid


_YEAR_SUBJECT = re.compile(r"\s*(?:年\s*)?(?:也|都|又|还|没|就|才)")
_AFTER_BREAK = re.compile(r"断保了?\s*$")
_GROUP_GAP = re.compile(r"^[\s、和与及跟/年都也还]*$")


def _year_groups(text: str, today: dt.date) -> list[_YearSpan]:
    """Year mentions side by side ("2025年、2026年", "去年和今年") merged into one group."""
    groups: list[_YearSpan] = []
    for span in year_spans(text, today)[0]:
        if groups and _GROUP_GAP.match(text[groups[-1].end : span.start]):
            last = groups[-1]
            groups[-1] = _YearSpan(last.start, span.end, last.years + [y for y in span.years if y not in last.years])
        else:
            groups.append(span)
    return groups


_REL = "大前年|大后年|前年|去年|今年|明年|后年|本年"
_DATE_FULL = re.compile(
    rf"(?<!\d)(?:(\d{{4}}|\d{{2}})\s*(?:年|[-/.])|({_REL}))?\s*"
    rf"(\d{{1,2}})\s*(?:月|[-/.])\s*(\d{{1,2}})\s*(?:日|号)?(?!\d)"
)
_MONTH_ONLY = re.compile(rf"(?<!\d)(?:(\d{{4}}|\d{{2}})\s*年\s*|({_REL}))?(\d{{1,2}})\s*月(?:份)?(?!\d)")


# after a date: the year it pays for, in the same clause ("12月交了2027年的", "1月5号交的2026年度")
_PAID_FOR_AFTER = re.compile(r"[^，,。；;！!？?]{0,6}?(?:交|缴|买)(?:了|的)?(?:是)?\s*(\d{4})\s*年")


class _DateHit(BaseModel):
    start: int
    end: int
    year: int
    month: int
    day: int | None


def dates_in(text: str, today: dt.date, said_in_words: Sequence[Spoken] | None = None) -> list[_DateHit]:
    """Dates with or without a day; a missing year comes from the last year named before it,
    else from `today`. Impossible dates (2月30日) are skipped. Dates said in words (上个月10号,
    国庆节过后几天, 腊月二十三, 前几天: intents.spoken_dates) are read first; the words of one
    too vague to read give no date and no part of them is read as another (`said_in_words`: those
    already read from this text, when the caller has them)."""
    hits: list[_DateHit] = []
    taken: list[tuple[int, int]] = []
    for said in spoken_dates(text, today) if said_in_words is None else said_in_words:
        taken.append((said.start, said.end))
        if said.year is not None and said.month is not None:
            hits.append(_DateHit(start=said.start, end=said.end, year=said.year, month=said.month, day=said.day))

    def year_of(raw: str | None, relative: str | None, start: int, end: int, month: int) -> int:
        if raw:
            return 2000 + int(raw) if len(raw) == 2 else int(raw)
        if relative:
            return today.year + _RELATIVE[relative]
        if paid_for := _PAID_FOR_AFTER.match(text, end):
            # "12月交了2027年的": a payment for 2027 made in its collection period, December 2026
            # (渝医保发〔2025〕37号 五.3: September to next February), else in that year itself
            year = int(paid_for.group(1))
            return year - 1 if month >= policy.collection_period(year).first_month else year
        before, _ = years_in(text[:start], today)
        return before[-1][1] if before else today.year

    for m in _DATE_FULL.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if "月" not in m.group(0) and m.group(1) is None:
            continue  # "12-10" alone is too ambiguous (a range, a score)
        month, day = int(m.group(3)), int(m.group(4))
        year = year_of(m.group(1), m.group(2), m.start(), m.end(), month)
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        hits.append(_DateHit(start=m.start(), end=m.end(), year=year, month=month, day=day))
        taken.append((m.start(), m.end()))
    for m in _MONTH_ONLY.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        month = int(m.group(3))
        if not 1 <= month <= 12:
            continue
        hits.append(
            _DateHit(
                start=m.start(),
                end=m.end(),
                year=year_of(m.group(1), m.group(2), m.start(), m.end(), month),
                month=month,
                day=None,
            )
        )
    hits.extend(h for h in relative_dates(text, today) if not any(s < h.end and h.start < e for s, e in taken))
    hits.sort(key=lambda h: h.start)
    return hits


_RELATIVE_DAY = {"大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "刚刚": 0}
_RELATIVE_MONTH = {"上个月": -1, "上月": -1, "这个月": 0, "本月": 0, "这月": 0, "下个月": 1, "下月": 1}
_RELATIVE_DATE = re.compile("|".join(sorted([*_RELATIVE_DAY, *_RELATIVE_MONTH], key=len, reverse=True)))


def relative_dates(text: str, today: dt.date) -> list[_DateHit]:
    """今天/昨天/前天 (a day) and 上个月/这个月/下个月 (a month), counted from `today`."""
    hits: list[_DateHit] = []
    for m in _RELATIVE_DATE.finditer(text):
        word = m.group(0)
        if word in _RELATIVE_DAY:
            day = today + dt.timedelta(days=_RELATIVE_DAY[word])
            hits.append(_DateHit(start=m.start(), end=m.end(), year=day.year, month=day.month, day=day.day))
        else:
            index = today.year * 12 + today.month - 1 + _RELATIVE_MONTH[word]
            hits.append(_DateHit(start=m.start(), end=m.end(), year=index // 12, month=index % 12 + 1, day=None))
    return hits


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return "".join(chars)


_YES = (
    "对",
    "对的",
    "对头",
    "对头的",
    "是",
    "是的",
    "是滴",
    "没错",
    "没错的",
    "嗯",
    "嗯嗯",
    "恩",
    "好",
    "好的",
    "确认",
    "确定",
    "正确",
    "可以",
    "行",
    "对了",
    "就是",
    "就是这样",
    "是这样",
    "没问题",
    "ok",
    "okay",
    "yes",
    "y",
    "对啊",
    "是啊",
    "对呀",
    "是呀",
    "确认无误",
    "没错误",
)
_NO = (
    "不对",
    "不是",
    "没有",
    "没",
    "错了",
    "不",
    "否",
    "不正确",
    "不是的",
    "没有的",
    "不对的",
    "错",
    "no",
    "n",
    "并没有",
    "都没有",
    "说错了",
    "搞错了",
    "不是这样",
    "有误",
    "不行",
)
_YES_NO_HEAD = re.compile(
    "^("
    + "|".join(sorted(map(re.escape, _YES + _NO), key=len, reverse=True))
    + r")(?:[\s,，.。!！~]|啊|呀|呢|哦|了|的|$)"
)


def yes_no(text: str) -> bool | None:
    """True / False when the message is, or begins with, a yes or a no; None otherwise."""
    clean = text.strip().lower()
    m = _YES_NO_HEAD.match(clean)
    if not m:
        return None
    return m.group(1) in _YES


_GROUPS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (policy.Group.newborn.value, re.compile(r"新生儿|刚出生|刚生|才出生|才生|满月|婴儿")),
    (policy.Group.low_income.value, re.compile(r"低保|低收入|特困|困难群众|孤儿")),
    (policy.Group.poverty_alleviated.value, re.compile(r"脱贫|建档立卡|贫困户")),
    (policy.Group.inmate.value, re.compile(r"服刑|刑满|监狱|坐牢|释放")),
    (
        policy.Group.student.value,
        re.compile(
            r"大学生|在校生|学生|读大学|大学|大[一二三四五](?![点些])|"
            r"研[一二三](?![点些])|研究生|读研|入学|"
            # 考来重庆读书, 考上了: admitted by an entrance examination (not to a secondary school)
            r"考(?:来|到|上|进)(?![^，。,；;]{0,4}(?:高中|初中|中学|小学|中专|职高))"
        ),
    ),
)


# A group word under a negation ("不是学生也不是低保户", "并非特困", "没有低保"): not that group.
# 不是/并非 reach over a list of groups up to a clause end or a 是 ("不是学生是低保户": low-income).
_NOT_GROUP = re.compile(
    r"(?:不是|并非|并不是|不属于|不算)[^是，。,;；！？!?]{0,10}$|"
    r"(?:没有?|未|非)(?:评上|办|申请|吃|享受)?(?:过|了)?$"
)
# "普通居民", "一般参保人", "都不是": no special group
_GENERAL = re.compile(
    r"(?:普通|一般)(?:的)?(?:城乡)?(?:居民|参保人|人员|群众|老百姓)|"
    r"(?:以上|这些|上面的)?都不是(?:[,，。]|$)"
)


def group_of(text: str) -> str | None:
    """The special group a text names, unless it is named under a negation."""
    for name, pattern in _GROUPS:
        if any(not _NOT_GROUP.search(text, 0, m.start()) for m in pattern.finditer(text)):
            return name
    return None


def denied_groups(text: str) -> list[str]:
    """The groups a text names only under a negation ("不是低保户" -> low_income)."""
    return [
        name
        for name, pattern in _GROUPS
        if name != group_of(text) and any(_NOT_GROUP.search(text, 0, m.start()) for m in pattern.finditer(text))
    ]


def no_special_group(text: str) -> bool:
    """Whether a text says the person belongs to no special group ("普通居民", "都不是")."""
    return group_of(text) is None and bool(_GENERAL.search(text))


# ---------------------------------------------------------------- clauses

# Also a space between two words (people typing on a phone use it as a comma), but not inside
# a list of years ("2025 2026年", "2025年 2026年") nor after a bare negation ("没有 报销过").
_CLAUSE_SPLIT = re.compile(
    r"[，。；,;！？!?\n]+|(?<=[^\d\s年、和没不未都也])(?<!没有)\s+(?=[^\d\s])|但是|但|可是|"
    r"然后|不过|后来|而且"
)
# A negation before the verb (没交, 未参保, 忘了交, 漏交, 没来得及交, 没顾上交) or after it (交漏了).
_NEGATION = r"(?:没有?|未|不|没再|没去|没能|忘(?:了|记了?|掉了?)?|漏了?|没来得及|来不及|没顾上|顾不上|没时间)"
# "从来没断过", "没有断保": never broken, every year insured
_NEVER_BROKEN = re.compile(r"(?:没有?|未|不曾|从没有?)断(?:保|缴|交|档)?(?:了|过)?")
_NEGATED_INSURED = re.compile(
    rf"{_NEGATION}(?:再|去|给[他她]|帮[他她])?(?:参(?:过|上)?保|交|缴|买|上医保|续|有医保|续保|参加)|断保|停了|不在保|"
    r"(?:交|缴)(?:漏|掉)了|(?:交|缴|买)不(?:起|上|了)|没钱(?:交|缴|买)|断(?:的|掉了?|开了?)|没有?接续|"
    r"(?:什么|任何)(?:保险|医保)?(?:都|也)没有?|(?:哪里|哪儿|哪都)(?:都)?没(?:有)?(?:参保|交|缴|买)"
)
# what follows a year when it is only a verb or a no: "…，2029年交，", "2025年有", "26年也没有"
_BARE_PAID = re.compile(r"^\s*(?:也|都|又|再|就|才)?(?:交|缴|买|有)\s*[的了]?\s*$")
_BARE_NO = re.compile(r"^\s*(?:也|都|还|又)?(?:没有|没|未)\s*[的呢哦嘛噻]?\s*$")
# Provinces and their capitals, and large cities, other than Chongqing: "在成都参保" is 市外.
_ELSEWHERE = re.compile(
    rf"外地|市外|外省|省外|外市|异地|老家|{'|'.join(places())}|在(?!重庆|渝)[\u4e00-\u9fff]{{1,4}}(?:省|市|"
    rf"县)"
)
_EMPLOYEE = re.compile(r"职工医保|单位(?:交|缴|买|给)|公司(?:交|缴|买|给)|厂里(?:交|缴|买)|上班交")
_ZERO_CLAIM = re.compile(
    r"零报销|(?:没有?|未)\s*(?:去|再|拿去)?\s*(?:报销|报过)|"
    r"没有?(?:住过?院|看过?病|用过?(?![^，。,；;]{0,6}(?:激励|"
    r"奖励|大病)))|一次都没用|没产生报销"
)
# "激励额度没用过", "没用过激励额度": the incentive amount not used, its own subject (not 零报销)
_REWARD_UNUSED = re.compile(
    r"(?:激励|奖励|额度)(?:的|增加的)?(?:额度|部分|金额)?[^，。,；;]{0,4}?(?:没有?|未|不|从没有?)(?:有)?(?:用|使用|动)|"
    r"(?:没有?|未|从来没有?|从没有?)(?:有)?(?:用|使用|动)(?:过|到过?|了)?[^，。,；;]{0,8}?(?:激励|奖励|额度)|"
    r"大病保险(?:也|都|还)?(?:从来|从)?(?:没(?:有)?(?:报|用|赔|报销)过?|零报销)"
)
_REWARD = re.compile(
    r"大病保险(?:报|赔|支付|用)了|大病保险(?:报销|赔付)过|用了?(?:激励|奖励)额度|激励额度用|"
    r"(?:激励|奖励)(?:的|增加的)?[\d千万元块]{0,8}额度(?:都|也|全|已经)?(?:用|花)(?:完|光|掉|了)|"
    r"(?<![没不])用(?:过|了|到过?)[^，。,；;]{0,8}?(?:激励|奖励)(?:的|增加的)?(?:额度|部分)"
)
_CLAIMED = re.compile(r"报销了|报销过|报了|报过|住院报|用过医保|用了医保|看病报|报销(?:\d+|几)|有报销|住过院|住了院")
_INSURED = re.compile(
    r"参保|参(?:了|过|的|上)保|交了|缴了|交的|缴的|交过|缴过|买了|买的|有医保|续保|续了|缴费|都交|都缴|交上|交起|缴上|补上|"
    r"在交|上了医保|"
    r"(?:才|又|再|重新|开始)(?:想起来?|记起来?|跑去|去|来)?(?:交|缴|买|参保)|"
    r"(?:第一次|首次|头一回|头一次|初次|第一回)(?:交|缴|买|参保)|"
    r"(?:交|缴|买|参加|参)(?:了|的)?(?:重庆)?(?:城乡)?(?:居民)?(?:医保|医疗保险|社保|保险)|参加了|参加的|"
    r"继续(?:交|缴|参保|买)|还(?:要)?(?:交|缴|买)|接着(?:交|缴|买)|(?:想|要|准备|打算|会)(?:去)?(?:交|缴|买)"
)
_ALL = re.compile(
    r"一直(?:都|在)*有|一直[^，,。；;！!？?没未不想要准打]{0,8}?(?:交|缴|参(?:的|了)?保|买)|每年都|年年都|"
    r"年年(?:交|缴|买|参保)(?:了|的|着|过)|(?<![成首京])都(?:交|缴|参了?保|买|有)(?:了|的|"
    r"过|着)?|" + _NEVER_BROKEN.pattern + r"(?!(?:保|缴|交|档)?(?:了|过)?[的年])|(?<!算|是|叫|"
    r"于)连续(?:交|缴|参保)(?!吗|不|么|没|嘛|呢)"
)
_NONE = re.compile(
    rf"都{_NEGATION}(?:去|给[他她]|帮[他她])?(?:交|缴|参(?:过)?保|买|上)|一直没(?:有)?(?:给[他她]|帮[他她])?(?:交|缴|参保|买)|"
    rf"从来没(?:有)?(?:给[他她]|帮[他她])?(?:交|缴|参保|买)|都断保"
)
_BROKEN = re.compile(
    r"断保了?\s*(?<!\d)(\d|10)\s*年|(?<![\d年])(?!1\s*年都)(\d)\s*年(?:都)?(?:没有?|未)(?:交|缴|"
    r"参保|买)"
)
_INSURED_COUNT = re.compile(
    r"(?:连续|一直|已经)?(?:交|缴|参保|买)(?:了|满|够)?\s*(?<!\d)(\d{1,2})\s*年(?!的(?!话))|参保\s*(\d{1,2})\s*年了|"
    r"(?:前面|前|头|最开始|开始)(?<!\d)(\d{1,2})\s*年(?:都|也)?(?:在)?(?:交|缴|参保|买)"
)
_NTH_YEAR = re.compile(r"第\s*(\d{1,2})\s*个?年")
_ZERO_CLAIM_COUNT = re.compile(
    r"(?<![\d第])(\d{1,2})\s*个?年(?:度)?(?:都|也|全)?(?:是)?零报销|(?<!\d)(\d{1,2})\s*个零报销|"
    r"零报销(?:了|过)?(?:都)?(?:连续|连着|一共|共|总共)?\s*(?<!\d)(\d{1,2})\s*个?年"
)
# "补了3年", "3年都补缴了", "把5年的钱全补了": a count of years back-paid
_BACKPAID = re.compile(
    r"补缴?了?\s*(\d{1,2})\s*年|(?<!\d)(\d)\s*年的?(?:钱|保费|医保费?|费)?(?:都|也|全都|全部|全)?(?:已经)?"
    r"补(?:缴|交|上|齐|了)(?!了?\s*\d)"
)
_BACKPAY_WORDS = re.compile(
    r"(?:已经|后来|也|又)?补(?:缴|交)(?:了|过)?(?:\s*\d{1,2}\s*年)?(?:的)?|补(?:了|"
    r"过)\s*\d{1,2}\s*年"
)
# "把2027年的也补缴了", "补缴了2025、2026年的": the years back-paid, named
_BACKPAID_NAMED = re.compile(
    r"((?:\d{4}\s*年?\s*(?:、|和|与|跟|,|，|到|至|-)?\s*)+)年?度?的?(?:医保|保费)?(?:也|都|全|已经)*补(?:缴|交)(?:了|过|上|齐)|"
    r"补(?:缴|交)(?:了|过|上)\s*((?:\d{4}\s*年?\s*(?:、|和|与|跟|,|，|到|至|-)?\s*)+)年?度?的"
)
# "啥子补缴哦，没有补", "什么奖励啊，没有": a term echoed to deny it (an answer, not a question)
ECHO_DENIED = re.compile(r"^什么([^，,。？?！!]{1,6}?)[哦啊呀嘛哟噻]?[，,。！!]\s*(?=没|不|莫)")
_NO_BACKPAY = re.compile(r"没有?补缴|不补缴|没补|不补|没有补")
# 出生证明 and 出生医学证明 name a document brought to enrol, not the day of birth
_BIRTH = re.compile(r"出生(?!医学证明|证明|证)|生的|出世|生于|生日")
_FROM = re.compile(r"(?:从)?(\d{4}|\d{2})\s*年(?:度)?(?:才|就|又)?(?:开始|起|以来)")
# "（2025到2028年交了，）后头又连续交了3年": as many more years insured after the last one told
_THEN_MORE = re.compile(
    r"(?:后头|后面|之后|以后|然后|接着|再往后)(?:又|再|还)?(?:连续|接着|继续|一直)?(?:交|缴|参保|买)(?:了|满|够)?\s*"
    r"(?<!\d)(\d{1,2})\s*个?年"
)
_UNTIL = re.compile(r"(?:一直|连续)?(?:都)?(?:在)?(?:交|缴|参保|买)(?:了)?(?:医保)?到(\d{4}|\d{2})\s*年")
_EVERY = re.compile(r"从来|从没|一直|每年|年年|哪年都|都没有?(?:用|报)|都(?:有)?报|都(?:是)?零报销")
_NOT_YET = re.compile(r"还没有?(?:去)?(?:交|缴|买)|还未(?:交|缴)")
_OTHERS = re.compile(r"其他|其余|别的|另外的|剩下的")
_TARGET_OF = re.compile(r"年度?的")
_TOLD_OF = re.compile(r"\s*(?:没|也|都|还|补|不|未|就)")
_QUESTION = re.compile(
    r"多少|多久|(?<!不)是不是|是否|(?<!不)对不对|多长|几个月|什么时候|哪天|哪一天|几号|吗|么|\?|？|怎么|能不能|可不可以|有没有|要等|"
    r"会不会|"
    r"有等待期|[有要][^，。,]{0,6}(?:没|不)\s*$"
)


_PLACE_DENIED_BEFORE = re.compile(r"(?:没有?|未|不曾|不是)\s*(?:在|去|到)?\s*$")
_PLACE_DENIED_AFTER = re.compile(r"\s*(?:也|都)?\s*(?:没有?|未)")
_JOB_DENIED_BEFORE = re.compile(r"(?:没有?|未|不曾)\s*(?:交|缴|买|参加|参|有)\s*(?:过|了)?\s*$")


def _denied_place(clause: str, place: re.Match[str]) -> bool:
    """ "也没在外地参保", "外地也没有参保": the place named only to say the person was not insured there."""
    return bool(_PLACE_DENIED_BEFORE.search(clause[: place.start()]) or _PLACE_DENIED_AFTER.match(clause, place.end()))


# "什么保险都没有", "啥子都没补": an indefinite, not a question
_INDEFINITE = re.compile(r"(?:什么|任何)[^，。,；;?？]{0,4}?(?:都|也)")


def _asking(text: str) -> bool:
    """Whether a text asks something (_QUESTION), its indefinites (什么…都) left aside."""
    return bool(_QUESTION.search(_INDEFINITE.sub(" ", text)))


_HEARSAY = re.compile(r"^\s*(?:听说|据说|听人说|听别人说|别人说|有人说|人家说|都说)")


def _after_year(tail: str) -> list[Status]:
    """The statuses the words after a year give it, a bare verb or no among them ("2029年交")."""
    if _BARE_NO.match(tail):
        return ["uninsured"]
    if _BARE_PAID.match(tail):
        return ["insured"]
    return _statuses(tail)


def _statuses(clause: str) -> list[Status]:
    if _HEARSAY.match(clause):
        return []  # "听说断保了封顶线要降": what is said of people, not a year of one's own
    found: list[Status] = []
    rest = _BACKPAY_WORDS.sub(" ", clause)  # 补缴了一年: a count of back-paid years, not a year paid
    if _REWARD_UNUSED.search(rest):
        found.append("reward_unused")
        rest = _REWARD_UNUSED.sub(" ", rest)
    if _REWARD.search(rest):
        found.append("reward_used")
        rest = _REWARD.sub(" ", rest)
    if _ZERO_CLAIM.search(rest):
        found.append("zero_claim")
        rest = _ZERO_CLAIM.sub(" ", rest)
    if _CLAIMED.search(rest):
        found.append("claimed")
        rest = _CLAIMED.sub(" ", rest)
    job = _EMPLOYEE.search(rest)
    if job and (_denied_place(rest, job) or _JOB_DENIED_BEFORE.search(rest[: job.start()])):
        # "职工医保也没有", "没有交职工医保": not an employee's year
        return [s for s in found if s != "insured"]
    if job:
        found.append("employee")
        rest = _EMPLOYEE.sub(" ", rest)
    elif place := _ELSEWHERE.search(rest):
        if _denied_place(rest, place):  # "也没在外地或者单位参保": nothing said of a year but that
            return [s for s in found if s != "insured"]
        if re.search(r"参保|参(?:过|了|的|上)保|交|缴|买|医保", rest):
            found.append("elsewhere")
            rest = _ELSEWHERE.sub(" ", rest)
    if _NEVER_BROKEN.search(rest):
        found.append("insured")
        rest = _NEVER_BROKEN.sub(" ", rest)
    if _NEGATED_INSURED.search(rest) or _NONE.search(rest):
        found.append("uninsured")
        rest = _NONE.sub(" ", _NEGATED_INSURED.sub(" ", rest))
    if not {"elsewhere", "employee", "insured"} & set(found) and _INSURED.search(rest):
        found.append("insured")
    return found


_PAY_VERB = re.compile(r"交|缴|买|参保|办了|办的|办理")  # "12月1号交": the day of a payment, said without 了/的
_PAID_FOR = re.compile(r"(?:交|缴|买)(?:了|的)?(?:是|为)?\s*$")
# "没有补缴2026年的", "还没交2027年的": a payment for a year denied, so no year paid for nor asked about
_UNPAID_FOR = re.compile(r"(?:没有?|未|不)(?:去|再|要|用)?(?:补)?(?:交|缴|买)(?:了|过)?\s*$")


# "今年是2027年", "现在是2028年初": the year the message speaks from (its 今年, 去年, 前年 are read from it)
_NOW_SAID = re.compile(r"(?:今年|现在|如今|目前)(?:已经|已)?(?:是|到了)\s*(20\d{2})\s*年")


def stated_today(clean: str, today: dt.date) -> dt.date:
    """`today` moved into the year a message says it is now ("今年是2027年"), else `today`."""
    m = _NOW_SAID.search(clean)
    if not m or int(m.group(1)) == today.year:
        return today
    year = int(m.group(1))
    return today.replace(year=year, day=min(today.day, 28)) if today.month == 2 else today.replace(year=year)


def extract(text: str, today: dt.date) -> Slots:
    """Every slot found in one message (see the module docstring for the forms read)."""
    clean, pii = prepare(text)
    today = stated_today(clean, today)
    slots = Slots(
        pii=pii,
        yes=yes_no(clean),
        group=group_of(clean),
        general=no_special_group(clean),
        not_groups=denied_groups(clean),
    )
    in_words = spoken_dates(clean, today)
    hits = dates_in(clean, today, in_words)
    for hit in hits:
        if hit.day is not None:
            slots.dates.append(dt.date(hit.year, hit.month, hit.day))
        else:
            slots.months.append((hit.year, hit.month))
    unread = [(s.start, s.end) for s in in_words if s.month is None]
    undated = _blank(clean, [(h.start, h.end) for h in hits] + unread)
    year_hits, slots.invalid_years = years_in(undated, today)
    slots.years = sorted({y for _, y in year_hits})
    slots.all_insured, slots.none_insured = _all_or_none(undated, today)
    if m := _BROKEN.search(undated):
        slots.broken_count = int(m.group(1) or m.group(2))
    more = _THEN_MORE.search(undated)  # "之后又交了2年": more years, not how many in all
    if (
        (m := _INSURED_COUNT.search(undated))
        and not _BACKPAID.search(undated[max(0, m.start() - 2) : m.end()])
        and not (more and more.start() <= m.start() < more.end())
    ):
        slots.insured_count = int(m.group(1) or m.group(2) or m.group(3))
    if m := _NTH_YEAR.search(undated):
        slots.nth_year = int(m.group(1))
    spans = year_spans(undated, today)[0]
    for m in _ZERO_CLAIM_COUNT.finditer(undated):
        group = next(g for g in (1, 2, 3) if m.group(g))
        if not any(span.start <= m.start(group) < span.end for span in spans):  # 25年没报销: a year
            slots.zero_claim_count = int(m.group(group))
            break
    if m := _BACKPAID.search(undated):
        slots.backpaid = int(m.group(1) or m.group(2))
    elif named := _backpaid_years(undated, today):
        slots.backpaid = len(named)
    elif _NO_BACKPAY.search(undated) or ((echo := ECHO_DENIED.match(undated)) and "补" in echo.group(1)):
        slots.backpaid = 0
    _read_clauses(clean, undated, hits, today, slots)
    _said_again(clean, slots)
    _break_from(undated, today, slots)
    _until(undated, today, slots)
    if more:
        _then_more(more, slots)
    slots.written_years = sorted(
        {
            y
            for span in year_spans(undated, today)[0]
            for y in span.years
            if any(c.isdigit() for c in undated[span.start : span.end])
        }
    )
    _payers(undated, slots)
    claimed = {f.year for f in slots.facts if f.status == "claimed"}
    # "2026年只有门诊报了一点，没住院": a claim told beats a partial "no claim" of the same year
    slots.facts = [f for f in slots.facts if not (f.status == "zero_claim" and f.year in claimed)]
    return slots


# "2025年交了的……哦不对，我记错了，2025年没交": a slip taken back in the same message
_TAKEN_BACK = re.compile(r"不对|记错|说错|搞错|弄错|更正|纠正|应该是|我是说")
_YEAR_STATUS = ("insured", "uninsured", "elsewhere", "employee")


def _said_again(clean: str, slots: Slots) -> None:
    """A year said both insured and not in one message that takes a slip back: what it says last."""
    if not slots.conflicts or not _TAKEN_BACK.search(clean):
        return
    last = {f.year: f for f in slots.facts if f.status in _YEAR_STATUS and f.year in slots.conflicts}
    slots.facts = [f for f in slots.facts if f.status not in _YEAR_STATUS or f.year not in last or f is last[f.year]]
    slots.conflicts = []


def _break_from(undated: str, today: dt.date, slots: Slots) -> None:
    """ "从2025年起连着三年没交", "2025年开始断了3年": a break of N years that opens at a named year
    covers that year and the N-1 after it (each uninsured), not only the year named."""
    broken = _BROKEN.search(undated)
    if not broken or not slots.broken_count:
        return
    opened = [m for m in _FROM.finditer(undated) if m.end() <= broken.start()]
    if not opened or _CLAUSE_SPLIT.search(undated, opened[-1].end(), broken.start()):
        return
    between = undated[opened[-1].end() : broken.start()]
    first = _year_value(opened[-1].group(1), True)
    if first is None or len(between) > _BREAK_GAP or _PAY_VERB.search(between):
        return  # "从2025年起一直交，…断了两年": the year opens the payments, not the break
    told = {f.year for f in slots.facts}
    for year in range(first, first + slots.broken_count):
        if year not in told or year == first:
            slots.facts.append(YearFact(year=year, status="uninsured"))
    slots.facts = list({(f.year, f.status): f for f in slots.facts}.values())


_BREAK_GAP = 6  # characters between "2025年起" and "断了3年" (连着, 一直都 ...)


def _backpaid_years(undated: str, today: dt.date) -> list[int]:
    """The calendar years a message says were back-paid ("把2027年的也补缴了": [2027])."""
    m = _BACKPAID_NAMED.search(undated)
    if not m:
        return []
    return [y for span in year_spans(m.group(1) or m.group(2), today)[0] for y in span.years]


def _all_or_none(undated: str, today: dt.date) -> tuple[bool, bool]:
    """一直交 / 都没交 said of the years not named: a clause whose 都 covers the years it lists
    ("2025到2026年都没交") says nothing of the others; "从2025年起每年都交了" opens a range."""
    all_, none = False, False
    for clause in _CLAUSE_SPLIT.split(undated):
        if not clause or not clause.strip():
            continue
        open_ended = not year_spans(clause, today)[0] or bool(_FROM.search(clause))
        none = none or (bool(_NONE.search(clause)) and open_ended)
        all_ = all_ or (bool(_ALL.search(clause)) and not _NONE.search(clause) and open_ended)
    return all_ and not none, none


def _until(undated: str, today: dt.date, slots: Slots) -> None:
    """ "2025年开始交的，一直交到2029年": every year from the first (2025 when none is said) to
    the last is insured, unless the message says otherwise of a year."""
    told = {f.year for f in slots.facts if f.status in ("uninsured", "elsewhere", "employee")}
    for m in _UNTIL.finditer(undated):
        last = _year_value(m.group(1), True)
        starts = [_year_value(f.group(1), True) for f in _FROM.finditer(undated, 0, m.start())]
        first = starts[-1] if starts else policy.first_year()
        if last is None or first is None or not first <= last <= today.year + 20:
            continue
        for year in range(first, last + 1):
            if year not in told and not any(f.year == year and f.status == "insured" for f in slots.facts):
                slots.facts.append(YearFact(year=year, status="insured"))
                if year not in slots.years:
                    slots.years = sorted(set(slots.years) | {year})


def _then_more(more: re.Match[str], slots: Slots) -> None:
    """ "2025年到2028年连续交满4年，后头又连续交了3年" (`more`, a _THEN_MORE match): the N years after the
    last insured year told are insured too (2029-2031), unless the message says otherwise of one of them."""
    insured = [f.year for f in slots.facts if f.status == "insured"]
    if not insured:
        return
    last = max(insured)
    added = range(last + 1, last + 1 + min(int(more.group(1)), 20))
    told = {f.year for f in slots.facts}
    slots.facts.extend(YearFact(year=year, status="insured") for year in added if year not in told)
    slots.years = sorted(set(slots.years) | set(added))
    if slots.target_inferred and slots.target_year == last:
        slots.target_year = added[-1] if added else last  # the years told run on: the last is the one asked


def _read_clauses(clean: str, undated: str, hits: list[_DateHit], today: dt.date, slots: Slots) -> None:
    """Facts clause by clause; inside a clause, each group of years takes the predicates that
    follow it up to the next group ("2025年没参保2026年参保"), a predicate before the first
    group belongs to it when it names the year paid for ("交了2027年的")."""
    carried: list[int] = []
    bounds = [0] + [p for m in _CLAUSE_SPLIT.finditer(clean) for p in (m.start(), m.end())] + [len(clean)]
    said: dict[int, set[str]] = {}

    def note(years: list[int], statuses: list[Status]) -> None:
        if statuses and not years:
            slots.statuses.extend(s for s in statuses if s not in slots.statuses)
        for status in statuses:
            for year in years:
                slots.facts.append(YearFact(year=year, status=status))
                said.setdefault(year, set()).add(status)

    for start, end in zip(bounds[0::2], bounds[1::2], strict=False):
        clause, bare = clean[start:end], undated[start:end]
        if not clause.strip():
            continue
        groups = _year_groups(bare, today)
        clause_years = list(dict.fromkeys(y for g in groups for y in g.years))
        clause_dates = [h for h in hits if start <= h.start < end]
        statuses = _statuses(bare)
        lead = _statuses(bare[: groups[0].start]) if groups else statuses
        if groups and _BROKEN.search(bare[: groups[0].start]):
            lead = [s for s in lead if s != "uninsured"]  # 断了三年今年又交了: the break is counted, not this year
        if not groups:
            if _EVERY.search(bare) and set(lead) & {"zero_claim", "claimed"}:
                note([], lead)  # "从来没用医保报销过": every year, not the year just said
            elif _NOT_YET.search(bare):
                pass  # "还没交": the payment to come, not a year before
            elif _OTHERS.search(bare):
                carried = []  # "其他年份都交了": the years not named, not the ones just said
            elif not (clause_dates and set(lead) <= {"insured"}) and not (
                "uninsured" in lead and any(h.year not in carried for h in clause_dates)
            ):
                # ("今年1月5号交的" names when a payment was made, not for which year; "2025年交了，
                # 2026年3月辞职就断了": a stop dated in another year says nothing of 2025)
                note(carried, lead)
        else:
            pending = lead if _pays_for(bare, groups[0]) or not carried else []
            if lead and not pending:
                note(carried, lead)
            for i, group in enumerate(groups):
                tail = bare[group.end : groups[i + 1].start] if i + 1 < len(groups) else bare[group.end :]
                own = _after_year(tail)
                current, pending = pending, []
                if i + 1 < len(groups) and own and _pays_for(bare, groups[i + 1]):
                    pending, own = own, []  # 今年交了明年的: the verb pays for the next group
                note(group.years, list(dict.fromkeys(current + own)))
            carried = [] if _asking(bare) else clause_years  # (the year a question asks about)
        _dates_of(bare, clause_dates, statuses, today, slots)
        for m in _TARGET_OF.finditer(bare):
            before, _ = years_in(bare[: m.start() + 1], today)
            if (
                before
                and before[-1][0] + 6 >= m.start()
                and not _UNPAID_FOR.search(bare[: before[-1][0]])
                and not _TOLD_OF.match(bare, m.end())  # "前年的没补缴": told of, not asked about
            ):
                slots.target_year = before[-1][1]
        if slots.target_year is None and clause_years and _asking(bare):
            slots.target_year = clause_years[-1]
    slots.conflicts = sorted(y for y, s in said.items() if "insured" in s and "uninsured" in s)
    if slots.target_year is None and _asking(undated):
        insured = [f.year for f in slots.facts if f.status in ("insured", "elsewhere", "employee")]
        opened = {_year_value(m.group(1), True) for m in _FROM.finditer(undated)}
        if insured and not (slots.all_insured and max(insured) in opened):
            slots.target_year = max(insured)  # 2025年没交，2026年交了，要等多久: about 2026
            slots.target_inferred = True  # (but 从2025年起一直交 opens a range: not about 2025)
        paid = (slots.paid_on.year, slots.paid_on.month) if slots.paid_on else slots.paid_month
        if insured and paid and slots.group != "newborn":
            # 2025、2026年都交了，九月十号交了: the insured year the payment is for (the September
            # rule, 渝医保发〔2025〕37号 五.3) is the one asked about
            slots.target_year = max(slots.target_year or 0, policy.paid_for(paid))


_PAID_THE = re.compile(r"(?:交|缴|买)(?:的是|的|是)\s*$")  # "12月交的2026年": 的 before the year
_OBJECT_END = re.compile(r"度?的")  # "交了2027年的", "交了2027年度的": the year is what was paid for


def _pays_for(text: str, group: _YearSpan) -> bool:
    """Whether a year group is the object of a payment verb just before it: 交了2027年的, 交的2026年."""
    before = text[: group.start]
    if _UNPAID_FOR.search(before):
        return False
    return bool(_PAID_THE.search(before)) or (
        bool(_OBJECT_END.match(text, group.end)) and bool(_PAID_FOR.search(before))
    )


def _dates_of(bare: str, clause_dates: list[_DateHit], statuses: Sequence[str], today: dt.date, slots: Slots) -> None:
    """A clause's dates: a birth date next to 出生, else a payment date next to a payment."""
    if _BIRTH.search(bare):
        for h in clause_dates:
            if h.day is not None:
                slots.born = dt.date(h.year, h.month, h.day)
            else:
                slots.born_month = (h.year, h.month)
        if slots.group is None and slots.born and slots.born.year >= today.year - 2:
            slots.group = "newborn"  # a child born lately; "我1990年出生" is not
    elif clause_dates and (
        "insured" in statuses
        or "elsewhere" in statuses
        or "employee" in statuses
        or ("uninsured" not in statuses and _PAY_VERB.search(bare))
    ):
        h = clause_dates[-1]
        if h.day is not None:
            slots.paid_on = dt.date(h.year, h.month, h.day)
        else:
            slots.paid_month = (h.year, h.month)


# ---------------------------------------------------------------- contributions: who pays on which tier

_MAX_PAYERS = 30  # a household: a larger number before 人 is no family
_CN_COUNT = re.compile(r"(?<![\d〇零一二两三四五六七八九十百])[一二两三四五六七八九十]{1,3}(?=口|人|位)")
_SHARE = (
    r"(?<![\d.])(\d{1,2})\s*(?:个人|个|口人|口|人|位)?\s*(?:都|全|全部|也|均)?\s*"
    r"(?:选择|选|交|缴|买|按|参保|参加|是|上|要)?\s*(?:了|的)?\s*"
)
_TOTAL = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:口人|口|个人|人|位)(?![\d])")
_KIN = r"(?:小孩子?|孩子|娃儿?|儿子|女儿|老人|大人|兄弟|姐妹)"
_MEMBER = re.compile(
    rf"(?P<n>\d{{1,2}})\s*个?\s*{_KIN}|"
    r"(?P<two>两口子|2口子|老两口|两夫妻|夫妻俩?|我们?俩|我们2个|父母|爸妈|爹妈|公婆|岳父母)|"
    r"(?P<one>老婆|老公|爱人|媳妇|妻子|丈夫|婆娘|老妈|老汉|老爸|爸爸|妈妈|父亲|母亲|爷爷|奶奶|外公|外婆|岳父|岳母|"
    rf"{_KIN}|(?:(?<=[和跟与同加、])|(?<=还有))我(?![老爱媳妻丈婆爸妈父母爷奶外岳儿女孩娃家])|"
    r"我(?=\s*(?:和|跟|与|同|加|、|还有)))"
)
_DIFFERENCE = re.compile(r"(?:多|贵|差|高|少|相差)(?:交|缴|出|花|付)?了?(?:多少|几多|几百|好多)|差价|差额|差距")
_OTHER_YEAR = re.compile(r"去年|往年|上年|前年|以前|之前|涨")
_CLAUSES = re.compile(r"[，。；,;！？!?\n]+")


@lru_cache(maxsize=1)
def _tier_pattern() -> re.Pattern[str]:
    """The tier names of rules.policy (一档, 二档), longest first."""
    return re.compile("|".join(sorted(map(re.escape, policy.tier_names()), key=len, reverse=True)))


def _clause_payers(clause: str, tiers: re.Pattern[str]) -> list[Payers]:
    """Who pays on which tier in one clause: 2个一档1个二档; 5口人都选一档; 我和老婆、两个小孩."""
    named = list(dict.fromkeys(m.group(0) for m in tiers.finditer(clause)))
    share = re.compile(rf"{_SHARE}({tiers.pattern})")
    found = [Payers(people=int(m.group(1)), tier=m.group(2)) for m in share.finditer(clause)]
    if found:
        return found
    tier = named[0] if len(named) == 1 else None
    totals = [int(m.group(1)) for m in _TOTAL.finditer(clause)]
    if totals:
        return [Payers(people=max(totals), tier=tier)]
    people = 0
    for m in _MEMBER.finditer(clause):
        people += int(m.group("n")) if m.group("n") else 2 if m.group("two") else 1
    return [Payers(people=people, tier=tier)] if people else []


def _payers(undated: str, slots: Slots) -> None:
    """The tiers named, who pays on which (a household of one is no count) and whether the
    difference between the tiers is asked."""
    tiers = _tier_pattern()
    text = _CN_COUNT.sub(_cn_to_digits, undated)
    slots.tiers = list(dict.fromkeys(m.group(0) for m in tiers.finditer(text)))
    found = [p for clause in _CLAUSES.split(text) for p in _clause_payers(clause, tiers)]
    if len(found) > 1 and not any(p.tier for p in found):
        # 屋头5口人，我、老婆、两个娃儿和我妈: one household, counted and then named
        found = [Payers(people=max(p.people for p in found))]
    if len(slots.tiers) == 1:
        found = [p if p.tier else Payers(people=p.people, tier=slots.tiers[0]) for p in found]
    tiered = sum(p.people for p in found if p.tier)
    if tiered:  # 全家5口，2个一档2个二档: the household's total holds the tiers said, 1 person's is not said
        found = [p if p.tier or p.people < tiered else Payers(people=p.people - tiered) for p in found]
        found = [p for p in found if p.people]
    if 2 <= sum(p.people for p in found) and all(0 < p.people <= _MAX_PAYERS for p in found):
        slots.payers = found
    slots.tier_difference = bool(slots.tiers) and bool(_DIFFERENCE.search(text)) and not _OTHER_YEAR.search(text)
