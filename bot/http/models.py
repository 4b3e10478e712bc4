"""What goes over HTTP: the request and response models of `yibao serve`, and the one-line
Chinese message a rejected request gets.

Every request body is a pydantic model that refuses unknown fields, so a misspelt field
(`zero-claim` for `zero_claim`) is an error, not a silent default. Texts are bounded
(MAX_TEXT characters), years are 2025-2100 (2025年以前的年度不计连续参保和断保年限，
渝医保发〔2025〕37号 四.2), dates are YYYY-MM-DD.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from bot import service
from bot.models import Option, Reply, Source
from bot.service import Group, Hit, year_list

MAX_TEXT = 10_000  # characters in a question or a chat message
MAX_QUERY = 500  # characters in a search query
MAX_HITS = 20
SESSION_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
FIRST_YEAR, LAST_YEAR = service.first_year(), service.LAST_YEAR

Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
EARLIEST_TODAY, LATEST_TODAY = service.today_bounds()


def _plausible_today(day: dt.date) -> dt.date:
    """ "Today" as a caller may set it: within the years the rules are written for."""
    if not EARLIEST_TODAY <= day <= LATEST_TODAY:
        raise ValueError(f"应在{EARLIEST_TODAY}至{LATEST_TODAY}之间")
    return day


Today = Annotated[
    dt.date, AfterValidator(_plausible_today), Field(description="把这一天当作今天（YYYY-MM-DD），默认取服务器日期")
]


def _years(value: Any) -> Any:
    """A year list as JSON ([2025, 2026]) or as `yibao calc` takes it ("2025-2026,2028")."""
    if isinstance(value, str):
        return year_list(value)
    return value


def _group(value: Any) -> Any:
    """`low-income` (as `yibao calc --group` spells it) or `low_income`."""
    return value.strip().replace("-", "_") if isinstance(value, str) else value


Years = Annotated[list[Year], BeforeValidator(_years), Field(max_length=LAST_YEAR - FIRST_YEAR + 1)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class AskRequest(_Request):
    question: str = Field(max_length=MAX_TEXT, description="居民的问题，一句话")
    today: Today | None = None


class AskResponse(BaseModel):
    """The object `yibao ask --json` prints for one question."""

    intent: str | None
    score: float
    answer: str
    sources: list[Source]
    options: list[Option]


class ChatRequest(_Request):
    session: str | None = Field(
        None, pattern=SESSION_PATTERN, description="服务器发放的会话编号；省略即开始新的会话，编号在回复里"
    )
    message: str = Field(max_length=MAX_TEXT, description="这一轮说的话，或所选选项的 value")
    today: Today | None = None


class ChatResponse(BaseModel):
    session: str = Field(description="这个会话的编号（128位随机数），下一轮带上它")
    replies: list[Reply]


class ForgetResponse(BaseModel):
    session: str
    forgotten: bool


class FaqResponse(BaseModel):
    query: str
    hits: list[Hit]


class CalcRequest(_Request):
    """The same facts as `yibao calc`; year lists as JSON arrays or as "2025-2026,2028"."""

    target_year: Year = Field(description="所问的参保年度")
    enrolled: Years = Field(default_factory=list, description="参加重庆居民医保的年度")
    elsewhere: Years = Field(default_factory=list, description="在市外参加居民医保的年度")
    employee: Years = Field(default_factory=list, description="参加职工医保的年度")
    zero_claim: Years = Field(default_factory=list, description="医保基金零报销的年度")
    reward_used: Years = Field(default_factory=list, description="大病保险使用了奖励额度的年度")
    backpaid: int = Field(0, ge=0, le=LAST_YEAR - FIRST_YEAR, description="为修复变动等待期补缴的年数")
    group: Annotated[Group, BeforeValidator(_group)] = Group.general
    born: dt.date | None = Field(None, description="出生日期（新生儿必填）")
    paid_on: dt.date | None = Field(None, description="所问年度的缴费日期")
    today: Today | None = None


class Passage(BaseModel):
    id: str
    article: str
    heading: str | None
    text: str


class DocumentOut(BaseModel):
    id: str
    name: str = Field(description="引用时使用的名称（文号或报刊与日期）")
    title: str
    number: str | None
    issuer: str
    date: dt.date | None
    kind: str
    passages: list[Passage]


class Health(BaseModel):
    status: str


class ErrorBody(BaseModel):
    detail: str = Field(description="一行中文说明")


FIELD_ZH = {
    "question": "问题",
    "message": "消息",
    "session": "会话编号",
    "q": "检索词",
    "k": "结果数",
    "today": "今天的日期",
    "target_year": "参保年度",
    "enrolled": "重庆居民医保年度",
    "elsewhere": "市外居民医保年度",
    "employee": "职工医保年度",
    "zero_claim": "零报销年度",
    "reward_used": "使用奖励额度的年度",
    "backpaid": "补缴年数",
    "group": "参保人群",
    "born": "出生日期",
    "paid_on": "缴费日期",
}


def _field(loc: tuple) -> str:
    names = [str(p) for p in loc if p not in ("body", "query", "path") and not isinstance(p, int)]
    if not names:
        return ""
    return FIELD_ZH.get(names[-1], names[-1])


def _one(err: Mapping[str, Any]) -> str:
    """One validation error in plain Chinese."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    field = _field(tuple(err.get("loc", ())))
    if kind == "missing":
        return f"缺少{field}" if field else "缺少请求内容"
    if kind == "json_invalid":
        return "请求体不是有效的 JSON"
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return "请求体应为 JSON 对象"
    if kind == "extra_forbidden":
        return f"不认识的字段：{err.get('loc', ('',))[-1]}"
    if kind == "string_too_long":
        return f"{field}太长（最多{ctx.get('max_length')}字）"
    if kind == "string_too_short":
        return f"{field}不能为空"
    if kind == "string_pattern_mismatch" and field == FIELD_ZH["session"]:
        return "会话编号只能由1-64个英文字母、数字、_ 或 - 组成"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{field}不是有效日期（应为 YYYY-MM-DD）"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{field}应为整数"
    if kind in ("list_type",):
        return f'{field}应为年份列表，如 [2025, 2026] 或 "2025-2026"'
    if kind == "too_long":
        return f"{field}太多"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if field.endswith("年度"):
            return (
                f"{field}应在{FIRST_YEAR}—{LAST_YEAR}年之间：{FIRST_YEAR}年以前的年度不计连续参保和断保年限"
                "（渝医保发〔2025〕37号 四.2）"
            )
        low, high = ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt"))
        bounds = f"不小于{low}" if low is not None else f"不大于{high}"
        return f"{field}应{bounds}"
    if kind == "enum":
        return f"{field}只能是：{ctx.get('expected', '')}"
    if kind == "value_error" and isinstance(ctx.get("error"), Exception):
        return f"{field}：{ctx['error']}" if field else str(ctx["error"])
    return f"{field}无效" if field else "请求无效"


def validation_message(errors: Sequence[Mapping[str, Any]]) -> str:
    """Pydantic/FastAPI validation errors -> one line of Chinese (never the input echoed)."""
    lines: list[str] = []
    for err in errors:
        line = _one(err)
        if line not in lines:
            lines.append(line)
    return "；".join(lines[:3]) or "请求无效"
