"""A simulated member who talks to yibao: an agenda-based user simulator (Schatzmann et al. 2007).

Each member has a random TRUE history (rules.History: the year asked about 2025-2032, broken
years, years elsewhere or in employee insurance, years without reimbursement, the incentive
amount used, back-paid years, newborns, students, low-income and poverty-alleviated people,
payment days in and outside the collection period of 渝医保发〔2025〕37号 五.3) and a `today`
consistent with it. The truth is rules.evaluate on that history: the cap, the waiting months
and the first day of benefits.

The member's agenda is a stack of things to tell (the question, who they are, their years,
reimbursements, the incentive, back-payment, the payment day). A one-shot member empties it in
the first message; a piecemeal member says only the question and answers what the bot asks
(an answer to the bot's question goes on top of the agenda); a partial one tells the years
first. At a summary the member either corrects what is wrong (mode `correct`) or says 对
(mode `confirm`). A conversation ends at the first figure for the question, or after
MAX_TURNS messages.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from bot.bench.member_reading import (
    Figures,
    Summary,
    asked,
    asked_years,
    dates_of,
    figures,
    internal_error,
    read_summary,
)
from bot.bench.member_speech import Speech, Status, Voice, YearStyle
from bot.conversation.history import coming_year
from bot.conversation.session import turn
from bot.conversation.store import MemoryStore
from bot.models import Reply
from rules import Coverage, History, evaluate
from rules import parameters as p

Task = Literal["my_cap", "my_waiting", "my_benefit_start"]
Mode = Literal["correct", "confirm"]
Telling = Literal["oneshot", "partial", "piecemeal"]
TASKS: list[Task] = ["my_cap", "my_waiting", "my_benefit_start"]
TELLINGS: list[Telling] = ["oneshot", "partial", "piecemeal"]
YEAR_STYLES: list[YearStyle] = ["arabic", "short", "chinese", "relative"]
MAX_TURNS = 20
FIRST_YEAR = 2025
LAST_TARGET = 2032
STATUS_OF = {
    Coverage.chongqing: "chongqing",
    Coverage.elsewhere: "elsewhere",
    Coverage.employee: "employee",
    Coverage.none: "none",
}


class Truth(BaseModel):
    """The member's real situation and what the rules engine computes from it."""

    task: Task
    history: History
    planned: bool = False  # not paid yet on `today`: will pay on a day between plan_from and plan_to
    plan_from: dt.date | None = None  # any payment day in this window gives the same figures
    plan_to: dt.date | None = None
    cap: int
    waiting_months: int
    benefits_from: dt.date | None

    @property
    def target(self) -> int:
        return self.history.target_year

    @property
    def today(self) -> dt.date:
        assert self.history.today is not None
        return self.history.today

    def first(self) -> int:
        born = self.history.born
        return max(FIRST_YEAR, born.year) if born else FIRST_YEAR

    def status(self, year: int) -> Status:
        if year == self.target:
            return "chongqing"
        return STATUS_OF[self.history.covered(year)]  # type: ignore[return-value]

    def before(self) -> list[int]:
        """The years before the one asked about that the member can tell of (from 2025 or birth)."""
        return list(range(self.first(), self.target))

    def resident(self) -> list[int]:
        return [y for y in self.before() if self.status(y) in ("chongqing", "elsewhere")]

    def broken_before_target(self) -> list[int]:
        out = []
        for y in range(self.target - 1, self.first() - 1, -1):
            if self.status(y) != "none":
                break
            out.append(y)
        return sorted(out)


class Persona(BaseModel):
    telling: Telling
    voice: Voice
    taps: float = Field(ge=0, le=1)  # the chance of tapping an offered option that fits
    says_target: bool = True
    slip: bool = False  # tells one year wrong at first, and corrects it at the summary
    second: Task | None = None  # after the first figure, asks this in the same conversation
    late: bool = False  # a slip noticed only after the figure: corrected then, the figure asked again
    detour: bool = False  # asks a policy question in the middle, then goes on


class Member(BaseModel):
    seed: str
    truth: Truth
    persona: Persona


# --- true histories ----------------------------------------------------------------------------


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _period(target: int) -> tuple[dt.date, dt.date]:
    """The collection period for the year asked about (37号 五.3: September to February)."""
    first = int(p.value("collection_first_month", target))
    last = int(p.value("collection_last_month", target))
    end = dt.date(target, last + 1, 1) - dt.timedelta(days=1)
    return dt.date(target - 1, first, 1), end


def _years_before(rng: random.Random, target: int, first: int) -> dict[int, Coverage]:
    years = list(range(first, target))
    coverage = {y: Coverage.chongqing for y in years}
    if not years:
        return coverage
    broken = min(rng.choices([0, 1, 2, 3, 4, 5], [30, 25, 18, 12, 8, 7])[0], len(years))
    if broken:
        if rng.random() < 0.6:  # a block right before the year asked about: the waiting period counts it
            gone = years[-broken:]
        else:
            gone = rng.sample(years, broken)
        for y in gone:
            coverage[y] = Coverage.none
    for y in years:
        if coverage[y] is Coverage.chongqing:
            r = rng.random()
            if r < 0.08:
                coverage[y] = Coverage.elsewhere
            elif r < 0.16:
                coverage[y] = Coverage.employee
    return coverage


def _claims(rng: random.Random, coverage: dict[int, Coverage], target: int) -> tuple[set[int], set[int]]:
    resident = [y for y, c in coverage.items() if c.resident and y < target]
    zero = {y for y in resident if rng.random() < 0.4}
    first_zero = min(zero, default=None)
    used: set[int] = set()
    if first_zero is not None and rng.random() < 0.35:
        could = [y for y in resident if y > first_zero and y not in zero]
        if could:
            used = set(rng.sample(could, 1 if rng.random() < 0.8 or len(could) == 1 else 2))
    return zero, used


def _paid(rng: random.Random, target: int, group: str) -> dt.date:
    start, end = _period(target)
    if group == "student" and rng.random() < 0.7:
        month = int(p.value("student_collection_month", target))
        return _day(rng, dt.date(target - 1, month, 1), dt.date(target - 1, month, 30))
    if rng.random() < 0.65:
        return _day(rng, start, end)
    return _day(rng, end + dt.timedelta(days=1), dt.date(target, 12, 31))


def _newborn(rng: random.Random) -> dict:
    """A child: born, then first enrolled within 90 days, before two, or at two or older."""
    kind = rng.choices(["days", "under_two", "over_two", "not_yet"], [45, 27, 13, 15])[0]
    lag = {"days": (0, 90), "under_two": (91, 700), "over_two": (740, 1400), "not_yet": (3, 60)}[kind]
    days = int(p.value("newborn_days", FIRST_YEAR))
    while True:
        born = _day(rng, dt.date(2025, 1, 1), dt.date(LAST_TARGET, 12, 20))
        paid = born + dt.timedelta(days=rng.randint(*lag))
        if paid.year <= LAST_TARGET and (kind != "not_yet" or paid.year == born.year):
            break
    target = paid.year
    coverage = {y: Coverage.none for y in range(born.year, target)}
    coverage[target] = Coverage.chongqing
    out = {"target_year": target, "coverage": coverage, "group": "newborn", "born": born, "paid_on": paid}
    if kind == "not_yet":  # asked a few days after the birth, paying within the 90 days, in the birth year
        today = _day(rng, born, paid - dt.timedelta(days=1))
        out["plan"] = (today, min(born + dt.timedelta(days=days), dt.date(born.year, 12, 31)))
    return out


def random_truth(rng: random.Random) -> Truth:
    task: Task = rng.choice(TASKS)
    group = rng.choices(["general", "newborn", "student", "low_income", "poverty_alleviated"], [72, 12, 8, 4, 4])[0]
    plan: tuple[dt.date, dt.date] | None = None
    if group == "newborn":
        kw = _newborn(rng)
        zero: set[int] = set()
        used: set[int] = set()
        backpaid = 0
        paid = kw.pop("paid_on")
        plan = kw.pop("plan", None)
        today = plan[0] if plan else paid + dt.timedelta(days=rng.randint(0, 120))
    else:
        target = rng.randint(FIRST_YEAR, LAST_TARGET)
        coverage = _years_before(rng, target, FIRST_YEAR)
        coverage[target] = Coverage.chongqing
        zero, used = _claims(rng, coverage, target)
        broken = []
        for y in range(target - 1, FIRST_YEAR - 1, -1):
            if coverage[y] is not Coverage.none:
                break
            broken.append(y)
        backpaid = rng.randint(1, len(broken)) if broken and rng.random() < 0.4 else 0
        paid = _paid(rng, target, group)
        if (
            paid.year == target - 1
            and paid.month >= 9
            and rng.random() < 0.15
            and paid > dt.date(target - 1, 9, 5)
            and group != "student"
        ):
            today = _day(rng, dt.date(target - 1, 9, 1), paid - dt.timedelta(days=1))
            plan = (today, dt.date(target - 1, 12, 31))  # asked before paying, paying by December
        else:
            today = paid + dt.timedelta(days=0 if rng.random() < 0.1 else rng.randint(0, 150))  # 0: paid today
        kw = {"target_year": target, "coverage": coverage, "group": group}
    history = History(today=today, zero_claim=zero, reward_used=used, backpaid=backpaid, paid_on=paid, **kw)
    result = evaluate(history)
    return Truth(
        task=task,
        history=history,
        planned=plan is not None,
        plan_from=plan[0] if plan else None,
        plan_to=plan[1] if plan else None,
        cap=result.cap.effective,
        waiting_months=result.waiting.months,
        benefits_from=result.benefits_from,
    )


def random_member(seed: str, mode: Mode) -> Member:
    rng = random.Random(seed)
    truth = random_truth(rng)
    telling: Telling = rng.choices(TELLINGS, [35, 25, 40])[0]
    voice = Voice(
        years=rng.choices(YEAR_STYLES, [45, 20, 15, 20])[0],
        dialect=rng.random() < 0.3,
        ranges=rng.random() < 0.6,
        short_chinese=rng.random() < 0.4,
        today=truth.today,
    )
    # a person names no year only when they tell no years at first and mean the coming year
    says_target = telling != "piecemeal" or rng.random() < 0.7 or truth.target != coming_year(truth.today)
    slip = mode == "correct" and telling != "piecemeal" and bool(truth.before()) and rng.random() < 0.2
    later = random.Random(seed + ":second")  # its own draws: the first question's population stays as it is
    second: Task | None = later.choice([t for t in TASKS if t != truth.task]) if later.random() < 0.3 else None
    late = slip and later.random() < 0.4
    detour = later.random() < 0.15
    persona = Persona(
        telling=telling,
        voice=voice,
        taps=rng.choice([0.0, 0.5, 0.9]),
        says_target=says_target,
        slip=slip,
        second=second,
        late=late,
        detour=detour,
    )
    return Member(seed=seed, truth=truth, persona=persona)


# --- the conversation --------------------------------------------------------------------------


class Turn(BaseModel):
    who: Literal["member", "bot"]
    text: str


class Conversation(BaseModel):
    seed: str
    mode: Mode
    task: Task
    style: str
    outcome: Literal["right", "wrong", "none"]
    kind: str  # why: "right", "wrong_cap", "wrong_waiting", "wrong_start", "missing_start", "turn_limit", ...
    internal_error: bool
    turns: int
    corrected: int  # summaries the member had to correct
    confirmed_wrong: int  # wrong summaries the member confirmed (mode confirm)
    summary_errors: list[str] = []  # the kinds of fact its summaries got wrong (target, years, paid_on ...)
    second_task: Task | None = None  # a second question in the same conversation, after the first figure
    second_kind: str | None = None
    second_outcome: Literal["right", "wrong", "none"] | None = None
    truth: dict
    stated: dict
    transcript: list[Turn]


class Agent:
    """One member in one conversation: the agenda, the answers, the reading of summaries."""

    def __init__(self, member: Member, mode: Mode) -> None:
        self.m = member
        self.t = member.truth
        self.mode = mode
        self.rng = random.Random(member.seed + ":speech")
        self.say = Speech(member.persona.voice, self.rng)
        self.agenda: list[str] = []
        self.slipped: int | None = None
        self.slipped_as: Status | None = None  # what the member said of that year
        self.late_done = False
        self.detoured = False
        self.corrected = 0
        self.summary_errors: Counter[str] = Counter()  # the kinds of fact the summaries got wrong
        self.confirmed_wrong = 0
        self.asked_again = 0
        self.plain = Speech(Voice(today=member.truth.today), self.rng)  # after being misread twice
        self.seen: dict[str, int] = {}
        self.asks: dict[str, int] = {}  # how often each kind of question came
        self.repeated = False

    # the agenda: each item is a fact kind to tell, the top of the stack is the end of the list
    def opening(self) -> str:
        t, persona = self.t, self.m.persona
        items = ["task"]
        if t.history.group.value != "general":
            items.append("group")
        if persona.telling in ("oneshot", "partial"):
            items += ["born", "years"]
        if persona.telling == "oneshot":
            items += ["zero", "reward", "backpaid", "paid"]
        said: list[str] = []
        for item in items:
            text = self.tell(item)
            if text and not (item == "born" and any("生的" in x or "出生" in x for x in said)):
                said.append(text)
        if self.rng.random() < 0.5 and len(said) > 1:  # the question first or last
            said = said[1:] + [said[0]]
        later = ["paid", "backpaid", "reward", "zero", "years", "born"]
        self.agenda = [i for i in later if i not in items]
        return "，".join(said) + self.rng.choice(["？", "。", ""])

    def tell(self, item: str) -> str:
        t, say = self.t, self.say
        h = t.history
        child = h.group.value == "newborn"
        if item == "task":
            return say.task(t.task, t.target if self.m.persona.says_target else None, child)
        if item == "group":
            return say.group(h.group.value, h.born)
        if item == "born":
            return say.born(h.born) if h.born else ""
        if item == "years":
            years = t.before()
            if not years:
                return ""
            told = {y: t.status(y) for y in years}
            plain = [y for y in years if y not in h.zero_claim and y not in h.reward_used]
            if self.m.persona.slip and self.slipped is None and plain:  # a year no other told fact is about
                self.slipped = self.rng.choice(plain)
                told[self.slipped] = "none" if told[self.slipped] != "none" else "chongqing"
                self.slipped_as = told[self.slipped]
            if child:
                told = {y: s for y, s in told.items() if s != "none"} or told
            broken = t.broken_before_target()
            by_count = (
                not child
                and broken
                and set(told.values()) <= {"chongqing", "none"}
                and [y for y, s in told.items() if s == "none"] == broken
                and self.rng.random() < 0.25
            )
            if by_count:  # "前面2年都交了，后来断了两年": counts, not years
                return say.broken_count(len(years) - len(broken), len(broken), t.target)
            story = say.story(told) if self.rng.random() < 0.3 else None
            return story or say.statuses(told)
        if item == "zero":
            resident = [y for y in t.resident() if y != self.slipped]  # a year misremembered as unpaid: left out
            if t.task != "my_cap" or not resident:
                return ""
            return say.zero_claims(resident, set(h.zero_claim))
        if item == "reward":
            if t.task != "my_cap" or not h.zero_claim:
                return ""
            return say.reward(sorted(h.reward_used))
        if item == "backpaid":
            if t.task == "my_cap" or not t.broken_before_target() or h.group.former_rules:
                return ""
            return say.backpaid(h.backpaid, len(t.broken_before_target()))
        if item == "paid":
            if t.task == "my_cap":
                return ""
            assert h.paid_on is not None
            return say.planned(t.target, h.born is not None) if t.planned else say.paid(t.target, h.paid_on)
        return ""

    def taps_now(self) -> bool:
        return not self.repeated and self.rng.random() < self.m.persona.taps

    def tap(self, reply: Reply, value: str) -> bool:
        if self.repeated:
            return False  # the button did not take: type instead
        return any(o.value == value for o in reply.options) and self.rng.random() < self.m.persona.taps

    # --- answering what is asked -------------------------------------------------------------

    def answer(self, reply: Reply) -> str:
        kind = asked(reply)
        years = asked_years(reply)
        key = kind if kind not in ("none", "confirm", "resume") else reply.text
        self.asks[key] = self.asks.get(key, 0) + 1
        self.repeated = self.asks[key] > 1
        if self.m.persona.detour and not self.detoured and kind not in ("none", "resume", "amend"):
            return self.detour()
        if kind == "confirm":
            return self.confirm(reply.text)
        if kind == "amend":
            return self.correction(read_summary(self.last_summary), bare=True) or "没有别的了，就是这样"
        if kind == "resume":
            return "continue" if self.tap(reply, "continue") else self.rng.choice(["继续", "继续吧", "好，接着算"])
        if kind == "task":
            value = f"task:{self.t.task}"
            return value if self.tap(reply, value) else self.tell("task")
        if kind == "born" and self.t.history.born:
            return self.say.born(self.t.history.born)
        if kind == "paid_on":
            if self.t.planned:
                offered = next((o for o in reply.options if o.value == "paid:collection"), None)
                by = dates_of(offered.label) if offered else []
                fits = bool(by) and self.fits_plan(by[0])
                if offered and (fits or self.rng.random() < 0.5) and self.tap(reply, "paid:collection"):
                    return "paid:collection"  # "还没交…" tapped, half the time without reading the day offered
                if self.repeated:
                    return "还没交"  # asked again: the shortest answer the question allows
                return self.say.planned(self.t.target, self.t.history.born is not None)
            d = self.t.history.paid_on
            assert d is not None
            if d == self.t.today and self.rng.random() < 0.7:
                return self.say.today_paid()
            return self.say.date(d, with_year=self.rng.random() < 0.7) + self.rng.choice(["", "交的", "交了的"])
        if kind == "backpaid":
            n = self.t.history.backpaid
            value = f"backpaid:{n}"
            return value if self.tap(reply, value) else self.say.backpaid(n, len(self.t.broken_before_target()))
        if kind == "reward_used":
            used = sorted(self.t.history.reward_used)
            if self.tap(reply, "yes" if used else "no"):
                return "yes" if used else "no"
            if self.repeated:
                return self.say.reward(used)
            if not used:
                return self.rng.choice(
                    ["没用过", "没有", "没有用到过", "莫得用过"]
                    if self.m.persona.voice.dialect
                    else ["没用过", "没有", "没有用到过", "没用到"]
                )
            return self.rng.choice(["用到过", self.say.reward(used)])
        if kind == "reward_years":
            used = sorted(self.t.history.reward_used)
            if used and self.taps_now():
                return "years:" + ",".join(map(str, used))
            return self.say.years(used) if used else "没用过"
        if kind == "zero_claim":
            return self.zero_answer(reply, years or self.t.resident())
        if kind == "years":
            return self.years_answer(reply, years or self.t.before())
        return self.more()

    def owes_late(self) -> bool:
        return self.m.persona.late and self.slipped is not None and not self.late_done

    def late_correction(self) -> str:
        """After the figure: the slipped year put right ("不对，我记错了，2026年其实没交")."""
        assert self.slipped is not None
        self.late_done = True
        self.seen.clear()
        head = self.say.pick(["不对，我记错了，", "等一下，我说错了，", "刚才说错了，"], ["不对哦，我记错了，"])
        return head + self.say.statuses({self.slipped: self.t.status(self.slipped)})

    def detour(self) -> str:
        self.detoured = True
        return self.say.pick(
            [
                "顺便问一下，集中参保期是哪几个月？",
                "对了，断保了补缴要去哪里交？",
                "先问一下，2026年居民医保一年交多少钱？",
            ],
            ["先问哈，集中参保期是啥子时候？", "对了，居民医保一年要交好多钱？"],
        )

    def follow_up(self, reply: Reply, task: Task) -> str:
        """The second question, after a figure: a tap on the offered next step, or a short follow-up."""
        self.t = self.t.model_copy(update={"task": task})
        self.asks.clear()
        self.seen.clear()
        if self.tap(reply, f"task:{task}"):
            return f"task:{task}"
        return self.say.follow_up(task)

    def more(self) -> str:
        """Not a question the member recognises: tell the next thing on the agenda, or ask again."""
        while self.agenda:
            said = self.tell(self.agenda.pop())
            if said:
                return said
        self.asked_again += 1
        return self.tell("task")

    def years_answer(self, reply: Reply, years: list[int]) -> str:
        t = self.t
        years = [y for y in years if y < t.target] or years
        statuses = {y: t.status(y) for y in years}
        kinds = set(statuses.values())
        if len(years) == 1:
            s = statuses[years[0]]
            value = {"chongqing": "yes", "none": "no", "elsewhere": "status:elsewhere", "employee": "status:employee"}[
                s
            ]
            if self.tap(reply, value):
                return value
            if self.rng.random() < 0.5:
                return self.say.status(years, s)
            return {
                "chongqing": self.say.pick(["交了", "交了的", "参保了"], ["交了的", "是交了的"]),
                "none": self.say.pick(["没交", "没有交", "没参保"], ["莫得交", "没得交"]),
                "elsewhere": "在外地交的居民医保",
                "employee": "交的职工医保",
            }[s]
        if kinds == {"chongqing"}:
            if self.tap(reply, "years:all"):
                return "years:all"
            return (
                self.say.pick(["都交了", "每年都交了", "都参保了"], ["都是交了的", "年年都交了"])
                if self.rng.random() < 0.6
                else self.say.statuses(statuses)
            )
        if kinds == {"none"}:
            if self.tap(reply, "years:none"):
                return "years:none"
            return (
                self.say.pick(["都没交", "一年都没交"], ["都莫得交", "一年都没得交"])
                if self.rng.random() < 0.6
                else self.say.statuses(statuses)
            )
        if kinds <= {"chongqing", "none"}:
            paid = [y for y in years if statuses[y] == "chongqing"]
            value = "years:" + ",".join(map(str, paid))
            if self.taps_now():
                return value
        return self.say.statuses(statuses)

    def zero_answer(self, reply: Reply, years: list[int]) -> str:
        zero = set(self.t.history.zero_claim)
        none_ = [y for y in years if y in zero]
        if len(years) == 1:
            value = "no" if none_ else "yes"
            if self.tap(reply, value):
                return value
            if self.rng.random() < 0.5:
                return self.say.zero_claims(years, zero)
            return (
                self.say.pick(["没报销过", "一次都没报销过"], ["莫得报销过", "没得报过"])
                if none_
                else self.say.pick(["报销过", "有报销"], ["报过的", "报销过的"])
            )
        if self.taps_now():
            if not none_:
                return "years:none"
            if len(none_) == len(years):
                return "years:all"
            return "years:" + ",".join(map(str, none_))
        return self.say.zero_claims(years, zero)

    # --- the summary -------------------------------------------------------------------------

    last_summary = ""

    def confirm(self, text: str) -> str:
        self.last_summary = text
        self.seen[text] = self.seen.get(text, 0) + 1
        wrong = self.correction(read_summary(text))
        if not wrong:
            return self.rng.choice(["对", "对的", "是的", "yes"] if self.mode == "correct" else ["对"])
        if self.mode == "confirm":
            self.confirmed_wrong += 1
            return "对"
        self.corrected += 1
        return wrong

    def result_summary_fix(self, replies: list[Reply]) -> str:
        """In `correct` mode a wrong summary shown above a result ("按您说的情况：…", a history told
        whole goes straight to its figure) is put right as at a "对吗", once per summary; "" otherwise."""
        if self.mode != "correct":
            return ""
        for r in replies:
            if "按您说的情况" in r.text and r.text not in self.seen:
                self.seen[r.text] = 1
                wrong = self.correction(read_summary(r.text))
                if wrong:
                    self.corrected += 1
                    return wrong
        return ""

    def correction(self, s: Summary, bare: bool = False) -> str:
        """What the member says to put a wrong summary right ("" when nothing is wrong)."""
        parts = self.wrong_facts(s)
        self.summary_errors.update(kind for kind, _ in parts)
        if not parts:
            return ""
        head = "" if bare else self.rng.choice(["不对，", "不对，", "不是，", "错了，"])
        return head + "，".join(text for _, text in parts)

    def wrong_facts(self, s: Summary) -> list[tuple[str, str]]:
        """Each fact the summary states wrongly (its kind), with the words that put it right."""
        t, h = self.t, self.t.history
        again = self.seen.get(self.last_summary, 0) >= 2  # the same summary again: say it plainly, in full
        say = self.plain if again else self.say
        parts: list[tuple[str, str]] = []
        if s.task is not None and s.task != t.task:
            asked = say.task(t.task, t.target, h.group.value == "newborn")
            parts.append(("task", asked if again else self.rng.choice(["我问的是", "我是想问"]) + asked))
        if s.target is not None and s.target != t.target and not (parts and again):
            parts.append(
                (
                    "target",
                    say.task(t.task, t.target, h.group.value == "newborn")
                    if again
                    else f"我问的是{say.year(t.target)}",
                )
            )
        group = h.group.value
        said_group = s.group or ("newborn" if s.born else "general")
        if said_group != group and (group != "general" or said_group != "general"):
            parts.append(("group", say.born(h.born) if group == "newborn" and h.born else say.group(group)))
        if h.born and s.born and s.born != h.born:
            parts.append(("born", say.born(h.born)))
        wrong_years: dict[int, Status] = {}
        for y, status in s.statuses.items():
            truth = t.status(y) if y >= t.first() else "none"
            if y == self.slipped and self.owes_late():
                truth = self.slipped_as or truth  # not noticed yet: the summary matches what was said
            if y > t.target:
                continue
            if status != truth:
                wrong_years[y] = truth
        if wrong_years:
            parts.append(("years", say.statuses(wrong_years)))
        wrong_zero = sorted(y for y in s.zero if y not in h.zero_claim) + sorted(
            y for y in s.claimed if y in h.zero_claim
        )
        if wrong_zero and t.task == "my_cap":
            parts.append(("zero_claim", say.zero_claims(wrong_zero, set(h.zero_claim), named=True)))
        if s.reward_used is not None and t.task == "my_cap" and s.reward_used != set(h.reward_used):
            parts.append(("reward_used", say.reward(sorted(h.reward_used))))
        if s.backpaid is not None and s.backpaid != h.backpaid and t.task != "my_cap":
            parts.append(("backpaid", say.backpaid(h.backpaid, len(t.broken_before_target()))))
        if t.task != "my_cap" and self.paid_wrong(s) and h.paid_on is not None:
            parts.append(
                ("paid_on", say.planned(t.target, h.born is not None) if t.planned else say.paid(t.target, h.paid_on))
            )
        return parts

    def fits_plan(self, day: dt.date) -> bool:
        assert self.t.plan_from and self.t.plan_to
        return self.t.plan_from <= day <= self.t.plan_to

    def paid_wrong(self, s: Summary) -> bool:
        d = self.t.history.paid_on
        assert d is not None
        if self.t.planned:
            said = s.paid_on or (dt.date(*s.paid_month, 1) if s.paid_month else None)
            return said is not None and not self.fits_plan(said)
        if s.paid_on is not None:
            return s.paid_on != d
        if s.paid_month is not None:
            return s.paid_month != (d.year, d.month)
        if s.paid_in_period:
            start, end = _period(self.t.target)
            return not start <= d <= end
        return False


def judge(truth: Truth, stated: Figures) -> str:
    """ "right", or why not: every figure the question needs is stated and right, no stated one wrong."""
    if stated.year is not None and stated.year != truth.target:
        return "wrong_year"
    if stated.disagree:
        return "text_disagrees_" + stated.disagree[0]  # the words say one figure, the structured field another
    needs = {"my_cap": ("cap",), "my_waiting": ("waiting_months",), "my_benefit_start": ("benefits_from",)}[truth.task]
    for name in ("cap", "waiting_months", "benefits_from"):
        said = getattr(stated, name)
        real = getattr(truth, name)
        if said is None:
            if name in needs and real is not None:
                return "missing_" + name
            continue
        if said != real:
            return "wrong_" + name
    return "right"


def converse(member: Member, mode: Mode, max_turns: int = MAX_TURNS) -> Conversation:
    """Talk to the bot through session.turn with a memory store until a figure or the turn limit;
    a member with a second question asks it after the first figure, in the same conversation."""

    agent = Agent(member, mode)
    store, key, today = MemoryStore(), "sim", member.truth.today
    transcript: list[Turn] = []
    message = agent.opening()
    error = False
    legs: list[tuple[str, Figures, int]] = []  # (kind, figures stated, member turns) per question
    stated = Figures()
    kind = "turn_limit"
    turns = start = 0
    tasks = [member.truth.task] + ([member.persona.second] if member.persona.second else [])
    for turns in range(1, max_turns * len(tasks) + 1):
        transcript.append(Turn(who="member", text=message))
        replies = turn(store, key, message, today)
        for r in replies:
            transcript.append(Turn(who="bot", text=r.text))
            error = error or internal_error(r)
            found = figures(r)
            if found.any():
                stated = found
        if not replies:
            kind = "no_reply"
        elif stated.any() and agent.owes_late():
            message, stated = agent.late_correction(), Figures()  # the figure for what was misremembered
            continue
        elif stated.any() and (fix := agent.result_summary_fix(replies)):
            message, stated = fix, Figures()  # the summary above the figure was wrong: put right first
            continue
        elif stated.any():
            kind = judge(member.truth.model_copy(update={"task": tasks[len(legs)]}), stated)
        elif turns - start < max_turns:
            message = agent.answer(replies[-1])
            continue
        legs.append((kind, stated, turns - start))
        if len(legs) == len(tasks) or kind in ("no_reply", "turn_limit"):
            break
        message = agent.follow_up(replies[-1], tasks[len(legs)])
        stated, kind, start = Figures(), "turn_limit", turns
    kind, stated, first_turns = legs[0] if legs else (kind, stated, turns)
    second = (legs[1][0] if len(legs) > 1 else "turn_limit") if len(tasks) > 1 and kind != "turn_limit" else None
    t = member.truth
    p_ = member.persona
    style = (
        f"{p_.telling}/{p_.voice.years}"
        + ("/dialect" if p_.voice.dialect else "")
        + ("/late" if p_.late else "/slip" if p_.slip else "")
        + ("/detour" if p_.detour else "")
        + f"/taps{p_.taps}"
    )
    return Conversation(
        seed=member.seed,
        mode=mode,
        task=t.task,
        style=style,
        outcome=outcome_of(kind),
        kind=kind,
        internal_error=error,
        turns=first_turns,
        corrected=agent.corrected,
        confirmed_wrong=agent.confirmed_wrong,
        summary_errors=sorted(agent.summary_errors),
        second_task=p_.second if second else None,
        second_kind=second,
        second_outcome=outcome_of(second) if second else None,
        truth=truth_of(t),
        stated=stated.model_dump(mode="json"),
        transcript=transcript,
    )


def outcome_of(kind: str) -> Literal["right", "wrong", "none"]:
    if kind == "right":
        return "right"
    return "none" if kind in ("turn_limit", "no_reply") or kind.startswith("missing") else "wrong"


def truth_of(t: Truth) -> dict:
    """The true history and figures, as shown beside a failing transcript."""
    h = t.history
    return {
        "target": t.target,
        "today": t.today.isoformat(),
        "group": h.group.value,
        "coverage": {y: t.status(y) for y in t.before()},
        "zero_claim": sorted(h.zero_claim),
        "reward_used": sorted(h.reward_used),
        "backpaid": h.backpaid,
        "paid_on": h.paid_on.isoformat() if h.paid_on else None,
        "planned": t.planned,
        "born": h.born.isoformat() if h.born else None,
        "cap": t.cap,
        "waiting_months": t.waiting_months,
        "benefits_from": t.benefits_from.isoformat() if t.benefits_from else None,
    }
