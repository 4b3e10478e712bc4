"""One handler per fact the forms ask for, shared by typed text and option buttons.

A message (or a button's value) is read once into `Said`, a typed input; the handler of the
pending question (`FILL[state.pending]`) decides whether it answers it. "The pending question
wins": a short answer fills the fact in any words ("没用过", "用到过", "28年用到过", "还莫得交",
a list of years, a number), whatever the matcher makes of it. A handler returns

- `FILLED`: the fact is filed, the form asks its next question or confirms;
- a list of replies: the answer needs one more question (how many years back-paid, which year);
- `None`: the message does not answer the question (a detour, a new question).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from pydantic import BaseModel, Field

from bot import buttons
from bot.answers import wording as w
from bot.answers.questions import ask, paid_options
from bot.conversation import history as hist
from bot.conversation.state import State
from bot.models import Reply
from intents.slots import Slots
from intents.text import normalise
from rules import policy

FILLED: list[Reply] = []


class Said(BaseModel):
    """What one message or one button said, typed: the extractor's slots, and for a button
    its choice ("all", "none", "collection", "today", a status) and the years it picked."""

    text: str = ""
    slots: Slots = Field(default_factory=Slots)
    choice: str | None = None
    picked: list[int] | None = None

    @property
    def words(self) -> str:
        """The text as typed and as the shared pipeline reads it (还莫得交 -> 还没有交)."""

        return self.text + "\n" + normalise(self.text)

    @property
    def yes(self) -> bool | None:
        return self.slots.yes

    def bare_years(self) -> list[int]:
        """Years named without a fact of their own ("2025和2026年", "28年用到过")."""
        if self.picked is not None:
            return sorted(self.picked)
        stated = {f.year for f in self.slots.facts}
        return sorted({y for y in self.slots.years if y not in stated and y in policy.years()})

    def date(self) -> dt.date | None:
        for value in (self.slots.paid_on, self.slots.born):
            if value is not None:
                return value
        return self.slots.dates[-1] if self.slots.dates else None

    def count(self) -> int | None:
        for value in (self.slots.backpaid, self.slots.broken_count):
            if value is not None:
                return value
        m = _NUMBER.match(self.text)
        if not m:
            return None
        import cn2an  # noqa: PLC0415 - ~200 ms, only for a number written in Chinese numerals

        try:
            return int(cn2an.cn2an(m.group(1), "smart"))
        except (ValueError, KeyError, TypeError):
            return None


def said_value(value: str) -> Said:
    """A button's value as typed input: "yes", "years:2025,2026", "years:all", "backpaid:1" ..."""
    kind, arg = buttons.parts(value)
    if kind in ("yes", "no"):
        return Said(text=value, slots=Slots(yes=kind == "yes"))
    if kind in (buttons.TOGGLE, buttons.CHOSEN):
        if arg in ("all", "none"):
            return Said(text=value, choice=arg)
        return Said(text=value, picked=[int(y) for y in re.findall(r"\d{4}", arg)])
    if kind == "backpaid":
        return Said(text=value, slots=Slots(backpaid=int(arg)))
    return Said(text=value, choice=arg or kind)


_NUMBER = re.compile(r"^\s*([0-9零一二两三四五六七八九十]+)\s*(年|个)?\s*$")
_NEGATIVE = re.compile(r"没|不|未|无|莫得|木有")
_REWARD_POSITIVE = re.compile(r"用(?:到|过|了)|^有(?:的|过|用)?$|^用$|超过|超了", re.MULTILINE)
_ALL = re.compile(r"都|每年|全部|全都|年年|一直")
_ONLY = re.compile(r"只有|只是|就只|仅|除了")
_BACKPAID_YES = re.compile(r"^(?!.*(?:没|不|未))(?:有|已经|已)?补(?:缴|交)?(?:了|过)")
_NOT_PAID = re.compile(
    r"^(?:还|暂时)?没(?:有)?(?:交|缴)?(?:呢|的)?$|还没(?:有)?(?:交|缴)|没交呢|准备交|打算交|还没去|"
    r"还没有?缴费|过几天|下个月交|月底交|年底交",
    re.MULTILINE,
)
_BY_YEAR_END = re.compile(r"年底|年前|12月底|12月31|十二月底|月底前")
_PAYING_NOW = re.compile(r"现在|马上|这就|今天|刚刚|刚才|刚(?:交|缴)")


# --- the handlers ---------------------------------------------------------------------------


def fill_years(st: State, said: Said, today: dt.date) -> list[Reply] | None:
    """ "哪几年交了？": the years picked or named are insured, the others asked are not."""
    asked = list(st.pending_years)
    if said.choice in hist.INSURANCE:
        for y in asked:
            st.facts.years[y] = said.choice  # type: ignore[assignment]
        return FILLED
    chosen = None
    if said.choice == "all" or said.slots.all_insured:
        chosen = set(asked)
    elif said.choice == "none" or said.slots.none_insured:
        chosen = set()
    elif said.bare_years() and not said.slots.facts:
        chosen = set(said.bare_years())
    elif said.yes is False:
        chosen = set()
    elif said.yes is True and len(asked) == 1:
        chosen = set(asked)
    elif said.yes is True:
        return [
            ask(hist.Need(slot="years", years=asked), st, today).model_copy(
                update={"text": w.YEARS_AGAIN.format(years=hist.years_text(asked))}
            )
        ]
    told = {f.year: f.status for f in said.slots.facts if f.status in hist.INSURANCE and f.year in asked}
    if chosen is None and told and _ONLY.search(said.words):  # "只有2026年没交": the others the other way
        other = "insured" if set(told.values()) == {"uninsured"} else "uninsured"
        for y in asked:
            st.facts.years.setdefault(y, other)  # type: ignore[arg-type]
        return FILLED
    if chosen is None:
        kinds = [k for k in said.slots.statuses if k in hist.INSURANCE]
        if len(kinds) != 1 or said.slots.facts:
            return None
        for y in asked:
            st.facts.years.setdefault(y, kinds[0])  # type: ignore[arg-type]
        return FILLED
    for y in asked:
        if y not in {f.year for f in said.slots.facts}:
            st.facts.years[y] = "insured" if y in chosen else "uninsured"
    return FILLED


def fill_zero_claim(st: State, said: Said, today: dt.date) -> list[Reply] | None:
    """ "哪几年一次都没报销过？" (several years) / "有没有报销过？" (one year)."""
    asked = list(st.pending_years)
    statuses = said.slots.statuses
    named = {f.year for f in said.slots.facts if f.status == "zero_claim"}
    if named & set(asked):  # "2025年没报销过": the other years asked about had a reimbursement
        for y in asked:
            st.facts.zero_claim.setdefault(y, y in named)
        return FILLED
    claimed = {f.year for f in said.slots.facts if f.status == "claimed"} & set(asked)
    if claimed and _ONLY.search(said.words):  # "只有26年报销过": the other years had none
        for y in asked:
            st.facts.zero_claim.setdefault(y, y not in claimed)
        return FILLED
    chosen: set[int] | None = None
    if said.choice == "all":
        chosen = set(asked)
    elif said.choice == "none":
        chosen = set()
    elif said.bare_years():
        chosen = set(said.bare_years()) & set(asked)
    elif "zero_claim" in statuses and "claimed" not in statuses:
        chosen = set(asked)
    elif "claimed" in statuses and "zero_claim" not in statuses:
        chosen = set()
    elif _ALL.search(said.words) and _NEGATIVE.search(said.words):
        chosen = set(asked)
    elif _ALL.search(said.words) or said.slots.all_insured:
        chosen = set()
    elif said.yes is not None and len(asked) == 1:
        chosen = set() if said.yes else set(asked)
    elif said.yes is False:
        chosen = set()  # "哪几年一次都没报销？" - "没有": every year had one
    elif said.yes is True:
        return [
            ask(hist.Need(slot="zero_claim", years=asked), st, today).model_copy(
                update={"text": w.ZERO_CLAIM_AGAIN.format(years=hist.years_text(asked))}
            )
        ]
    if chosen is None:
        return None
    for y in asked:
        st.facts.zero_claim[y] = y in chosen
    return FILLED


def fill_reward_used(st: State, said: Said, today: dt.date) -> list[Reply] | None:
    """ "大病保险有没有用到过激励增加的额度？": 没用过 / 没有 / 用到过 / 28年用到过."""
    asked = list(st.pending_years)
    if any(f.status == "reward_used" for f in said.slots.facts):
        return FILLED  # filed with the facts
    if said.slots.facts and not any(f.status == "reward_unused" for f in said.slots.facts):
        return None  # "2026年报销过": about reimbursements, not the incentive amount
    negative = (
        said.yes is False
        or "reward_unused" in said.slots.statuses
        or any(f.status == "reward_unused" for f in said.slots.facts)
        or (said.yes is None and bool(_NEGATIVE.search(said.words)) and not said.bare_years())
    )
    if negative:
        st.facts.reward_used = []
        return FILLED
    years = said.bare_years()
    if years:
        st.facts.reward_used = years
        return FILLED
    if (
        said.yes is True
        and not _REWARD_POSITIVE.search(said.words)
        and said.choice is None
        and said.text not in ("yes",)
    ):
        return [
            ask(hist.Need(slot="reward_used", years=asked), st, today).model_copy(update={"text": w.REWARD_AGAIN})
        ]  # a bare 对 to "有没有…": which one?
    if said.yes is True or _REWARD_POSITIVE.search(said.words):
        if len(asked) == 1:
            st.facts.reward_used = asked
            return FILLED
        st.pending = "reward_years"
        return [ask(hist.Need(slot="reward_years", years=asked), st, today)]
    return None


def fill_reward_years(st: State, said: Said, today: dt.date) -> list[Reply] | None:
    asked = list(st.pending_years)
    years = [y for y in said.bare_years() if y in asked]
    if said.choice == "all" or (_ALL.search(said.words) and not years):
        years = asked
    if not years:
        return None
    st.facts.reward_used = years
    return FILLED


_PAY_WORD = re.compile(r"交|缴|买")


def fill_backpaid(st: State, said: Said, today: dt.date) -> list[Reply] | None:
    """ "补缴了几年？": a number, 没有, 补了, 都补了 (every broken year)."""
    broken = list(st.pending_years)
    n = said.count()
    if n is not None:
        st.facts.backpaid = max(0, min(n, len(broken) or n))
        return FILLED
    backpay_word = bool(_BACKPAID_YES.search(said.words)) or ("补" in said.words and not _NEGATIVE.search(said.words))
    paid_word = "补" in said.words or _PAY_WORD.search(said.words)  # "以前也没交过": nothing paid, back-paid neither
    if said.yes is False or (said.yes is None and paid_word and _NEGATIVE.search(said.words)):
        st.facts.backpaid = 0
        return FILLED
    if backpay_word and _ALL.search(said.words):
        st.facts.backpaid = len(broken)
        return FILLED
    if said.yes is True or backpay_word:
        if len(broken) == 1:
            st.facts.backpaid = 1
            return FILLED
        reply = ask(hist.Need(slot="backpaid", years=broken), st, today)
        return [
            Reply(text=w.BACKPAID_HOW_MANY.format(n=len(broken)), intent="ask:backpaid", options=reply.options[:-1])
        ]
    return None


def fill_paid_on(st: State, said: Said, today: dt.date) -> list[Reply] | None:
    """ "哪天交的？": a date (read against the year asked about), 今天/现在交, 还没交."""
    target = hist.target_of(st.facts, today)
    if said.choice == "collection":
        st.facts.paid_on, st.facts.paid_month = dt.date(target - 1, 12, 31), None
        return FILLED
    if said.choice == "today" or (
        said.date() is None and _PAYING_NOW.search(said.words) and not _NOT_PAID.search(said.words)
    ):
        st.facts.paid_on, st.facts.paid_month = today, None
        return _payment_for(st, today, today)
    day = said.date()
    if day is not None:
        st.facts.paid_on, st.facts.paid_month = day, None
        return _payment_for(st, day, today)
    if said.slots.months:
        y, m = said.slots.months[-1]
        st.facts.paid_month, st.facts.paid_on = f"{y:04d}-{m:02d}", None
        return FILLED
    end = dt.date(target - 1, 12, 31)
    if _BY_YEAR_END.search(said.words) and today <= end:
        st.facts.paid_on, st.facts.paid_month = end, None
        return FILLED
    if said.yes is False or _NOT_PAID.search(said.words):
        if st.plan_asked:  # asked once already: the earliest day it can still be paid
            st.facts.paid_on, st.facts.paid_month = max(end, today), None
            return FILLED
        st.plan_asked = True
        return [Reply(text=w.PAID_ON_PLAN.format(target=target), intent="ask:paid_on", options=paid_options(st, today))]
    if said.yes is True:
        return [
            Reply(
                text=w.PAID_ON_AGAIN.format(target=target, example=w.date_text(_example_day(st, today))),
                intent="ask:paid_on",
                options=paid_options(st, today),
            )
        ]
    return None


def _example_day(st: State, today: dt.date) -> dt.date:
    if st.facts.born:
        return max(st.facts.born, today)
    return dt.date(hist.target_of(st.facts, today) - 1, 12, 10)


def insured_year_of(day: dt.date, group: str | None) -> int:
    """The insured year a payment is for: from September on, the next year (37号 五.3)."""
    if hist.norm_group(group) == "newborn":
        return day.year
    return policy.paid_for(day)


def _payment_for(st: State, day: dt.date, today: dt.date) -> list[Reply] | None:
    """A payment day read against the year asked about. When the person named no year, the year
    follows the payment (from September on, the next year: 37号 五.3). When they named one, a day
    from its collection period (September before) to its end is a payment for it (from March on,
    outside the collection period); any other day is asked about, never filed."""
    facts = st.facts
    target = hist.target_of(facts, today)
    if hist.norm_group(facts.group) == "newborn":
        return FILLED
    if facts.target_year is None or facts.target_inferred:
        facts.target_year, facts.target_inferred = insured_year_of(day, facts.group), True
        return FILLED
    if dt.date(target - 1, 9, 1) <= day <= dt.date(target, 12, 31):
        return FILLED
    facts.paid_on = None
    return [
        Reply(
            text=w.PAID_OTHER_YEAR.format(day=w.date_text(day), year=insured_year_of(day, facts.group), target=target),
            intent="ask:paid_on",
            options=paid_options(st, today),
        )
    ]


def fill_born(st: State, said: Said, today: dt.date) -> list[Reply] | None:
    day = said.slots.born or said.date()
    if day is None:
        return None
    if day > today:
        return [Reply(text=w.BORN_FUTURE.format(day=w.date_text(day)), intent="ask:born")]
    st.facts.born = day
    return FILLED


def fill_task(st: State, said: Said, today: dt.date) -> list[Reply] | None:
    return None  # the menu is read by the dialogue (a choice starts a form)


FILL: dict[str, Callable[[State, Said, dt.date], list[Reply] | None]] = {
    "years": fill_years,
    "zero_claim": fill_zero_claim,
    "reward_used": fill_reward_used,
    "reward_years": fill_reward_years,
    "backpaid": fill_backpaid,
    "paid_on": fill_paid_on,
    "born": fill_born,
}
