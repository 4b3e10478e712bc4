"""The dialogue manager: (state, message, today) -> (replies, new state), with no I/O and no clock.

Every message is read twice, by intents.slots (the facts it states) and by bot.conversation.router (what it
asks). Facts are filed whenever they come ("a checklist, not a flowchart"); a bare answer
("没有", "都交了", "2025年", "对") is read against the question the bot is waiting on. When the
current question (cap, waiting period, benefit start, what-if) has every fact it needs, the
bot confirms them in one sentence and only then computes with rules.evaluate. A question about
something else in the middle is answered, then the bot offers to continue where it was.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bot.conversation import history as hist
from bot.conversation import privacy
from bot.models import Option, Reply
from bot.answers.questions import TASK_NAMES, ask, ask_task
from bot.conversation.state import Facts, State, WhatIf

TASKS = ("my_cap", "my_waiting", "my_benefit_start", "what_if")
CONVERSATION = ("greeting", "thanks", "help", "restart", "cancel", "yes", "no", "goodbye", "forget_me")
MAX_CHARS = 500
LIKELY_TASK = 0.2  # a task intent this close is taken when the message states one's history

PRIVACY_TEXT = privacy.NOTICE
EMPTY_TEXT = "您好像没有输入内容。可以直接问我，比如“我断保了两年，要等多久才能报销？”"
LONG_TEXT = ("这段内容太长了（{n}个字），我一次只能看一两句话。请简单说说您想问什么，"
             "比如“2026年我的大病保险封顶线是多少？”")
CONFLICT_TEXT = "{years}您说了交了也说了没交，我没法确定。请再告诉我一次：{years}交了吗？"
EARLY_YEAR_TEXT = ("{years}不计入：2025年以前的参保缴费年限不纳入计算（渝医保发〔2025〕37号 四.2），"
                   "我只看2025年及以后的年份。")
FAR_YEAR_TEXT = "{years}不像是有效的年份。我能计算的是{first}年到{last}年的参保情况，请再检查一下年份。"
AMEND_TEXT = "好的，哪里不对？直接告诉我正确的情况就行，比如“2026年没交”或“补缴了1年”。"
YEARS_AGAIN = "{years}是都交了吗？请选出交了的年份，或者直接说“都交了”“2026年没交”。"
ZERO_CLAIM_AGAIN = ("{years}里，请选出一次都没有用医保报销过的年份；"
                    "每年都报销过就说“都报销过”，都没报销过就说“都没报销过”。")
PAID_ON_AGAIN = ("请直接告诉我{target}年的医保费是哪天交的，比如“{example}”或“今天交的”；"
                 "还没交的话，回复“还没交”。")
RESUME_TEXT = "要继续刚才的{task}计算吗？"
CANCEL_TEXT = "好的，已取消这次计算。您说过的情况我先记着，有别的问题随时问我。"
RESTART_TEXT = "好的，我们重新开始。您想问什么？比如“我的大病保险封顶线是多少”或“断保了要等多久”。"
FORGET_TEXT = "已删除我保存的关于您的全部记录。需要时随时可以重新开始。"

_CONTINUE = re.compile(r"^(继续|接着|继续吧|接着来|继续算|接着算|继续计算|好的?，?继续)[。！!.]?$")
_BACKPAID_YES = re.compile(r"^(?!.*(?:没|不|未))(?:有|已经|已)?补(?:缴|交)?(?:了|过)")
_NOT_PAID = re.compile(r"^(?:还)?没(?:有)?(?:交|缴)?(?:呢|的)?$|还没(?:有)?(?:交|缴)|没交呢|准备交|还没去")
_REWARD_YES = re.compile(r"(?<![没不])(?:有|用|报)")  # "用到过", "有": a bare "对" says nothing here
_HYPOTHETICAL = re.compile(r"如果|要是|假如|假设|万一")
FIRST_PERSON = re.compile(r"我(?!想问|想咨询|想了解|问一下|问下)|本人|俺")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_NUMBER = re.compile(r"^\s*([0-9零一二两三四五六七八九十]+)\s*(年|个)?\s*$")


# --- understanding (the intents package does the reading; this only calls it) ------------

def _extract(text: str, today: dt.date):
    from intents.slots import extract

    return extract(text, today)


def _understand(text: str):
    from bot.conversation.router import understand

    return understand(text)


def _slot(slots: Any, name: str, default=None):
    value = getattr(slots, name, default)
    return default if value is None else value


# --- entry point ------------------------------------------------------------------------------

def respond(state: State | None, message: str, today: dt.date) -> tuple[list[Reply], State]:
    """One turn: the replies to send and the state to keep. Never raises on any message."""
    st = state.model_copy(deep=True) if state is not None else State()
    st.turns += 1
    st.forget = False
    replies = _turn(st, message if isinstance(message, str) else "", today)
    if replies and replies[-1].options:
        st.options = list(replies[-1].options)
    elif replies:
        st.options = []
    return replies, st


def _turn(st: State, message: str, today: dt.date) -> list[Reply]:
    text = re.sub(r"\s+", " ", message).strip()
    if not text:
        return [Reply(text=EMPTY_TEXT, intent="empty")] + _reminder(st, today)
    if len(text) > MAX_CHARS:
        return [Reply(text=LONG_TEXT.format(n=len(text)), intent="too_long")] + _reminder(st, today)
    if _is_value(text):
        return _on_value(st, text, today)
    slots = _extract(text, today)
    decision = _understand(privacy.blank(text))
    notes: list[Reply] = []
    if _slot(slots, "pii", []) or privacy.has_name(text):
        notes.append(Reply(text=PRIVACY_TEXT, intent="privacy"))
    invalid = sorted(set(_slot(slots, "invalid_years", [])))
    far = [y for y in invalid if y >= hist.FIRST_YEAR]
    for template, years in ((EARLY_YEAR_TEXT, [y for y in invalid if y < hist.FIRST_YEAR]), (FAR_YEAR_TEXT, far)):
        if years:
            notes.append(Reply(text=template.format(years="、".join(f"{y}年" for y in years),
                                                    first=hist.FIRST_YEAR, last=today.year + 1),
                               intent="invalid_year"))
    if far and not _slot(slots, "years", []):
        return notes + _reminder(st, today)  # "3025年交了": the year is the answer's whole subject
    return notes + _dispatch(st, text, slots, decision, today, bool(notes))


def _intent(decision: Any) -> str | None:
    return getattr(decision, "intent", None) if getattr(decision, "kind", None) == "match" else None


def _personal(text: str) -> bool:
    from intents.match import personal_strength
    from intents.text import normalise

    return personal_strength(normalise(text)) >= 1


def _dispatch(st: State, text: str, slots: Any, decision: Any, today: dt.date, noted: bool) -> list[Reply]:
    intent = _intent(decision)
    facts_said = hist.has_history_facts(slots)
    if getattr(decision, "kind", None) == "ambiguous":
        tasks = [c.intent for c in getattr(decision, "candidates", []) if c.intent in TASKS]
        if tasks and (facts_said or _personal(text)):
            intent = tasks[0]  # a close call between a general and a personal question, asked personally
    intent = _task_by_words(text, decision, intent)
    if intent == "forget_me":
        return _forget(st)
    if intent == "restart" and not facts_said:
        _reset(st)
        return [Reply(text=RESTART_TEXT, intent="restart")]
    if intent == "cancel" and not facts_said:
        return _cancel(st)
    if st.pending == "task" and not st.task:
        chosen = _menu_choice(st, text)
        if chosen:
            return _on_value(st, chosen, today)
    if st.pending == "pick":
        offered = [o.value.split(":", 1)[1] for o in st.options if o.value.startswith("pick:")]
        choice = _pick(st, text)
        if choice:
            return _on_value(st, choice, today)
        tasks = [i for i in offered if i in TASKS]
        if facts_said and intent not in TASKS and tasks:
            # "您是想问…" answered with one's own history: the personal question it is
            return _start_task(st, tasks[0], slots, text, today)
    if st.task and _answers_pending_slots(st, slots) and not _asks(text):
        st.paused = False  # "今天刚交的" to "哪天交的？": an answer, whatever the matcher reads
        return _answer(st, text, slots, today)
    if st.task and not facts_said and _CONTINUE.match(text):
        st.paused = False
        return _resume(st, today)
    if st.paused:
        st.paused = False
        if not facts_said and intent == "yes":
            return _resume(st, today)
        if not facts_said and intent in ("no", "cancel"):
            return _cancel(st)
    if intent is not None and intent not in TASKS and intent not in CONVERSATION and not st.task \
            and facts_said and _of_oneself(text, slots):
        guess = _likely_task(decision) or _menu_task(text)
        if guess:  # a policy question asked with one's own history: work out one's own figure
            return _start_task(st, guess, slots, text, today)
    if intent is not None and intent not in TASKS and intent not in CONVERSATION and _asks(text):
        # a question about the policy in the middle: answered; facts only when said of oneself
        if facts_said and _of_oneself(text, slots):
            hist.apply_slots(st.facts, slots, today)
        return _faq(st, intent, today)
    fresh_topic = st.topic_task if st.topic_turn == st.turns - 1 else None
    if intent in TASKS and fresh_topic and not st.task and facts_said and not _asks(text):
        intent = fresh_topic  # facts told right after a policy answer: that answer's question
    answering = bool(st.task) and (facts_said or _answers_pending(st, text, slots))
    if intent in TASKS and not (answering and intent != st.task and not _asks(text)):
        return _start_task(st, intent, slots, text, today)
    if answering:
        return _answer(st, text, slots, today)
    if facts_said and not st.task:
        guess = fresh_topic or _likely_task(decision) or (_menu_task(text) if _asks(text) else None)
        if guess:
            return _start_task(st, guess, slots, text, today)
        conflicts = hist.apply_slots(st.facts, slots, today)
        if conflicts:
            return _conflict(st, conflicts, today)
        st.pending = "task"
        return [Reply(text="好的，记下了。", intent="noted"), ask_task()]
    if intent in CONVERSATION:
        return _conversation(st, intent, today)
    if intent is not None:
        return _faq(st, intent, today)
    if getattr(decision, "kind", None) == "ambiguous":
        return _clarify(st, decision)
    if noted:  # a privacy or year note already said something useful
        return _reminder(st, today)
    return [_out_of_scope()] + _reminder(st, today)


# --- tasks: collect, confirm, compute -------------------------------------------------------

_MENU_WORDS = {"task:my_cap": ("封顶", "限额", "大病"), "task:my_waiting": ("等待", "等多久", "多久"),
               "task:my_benefit_start": ("什么时候", "哪天", "开始", "报销")}


TASK_WORDS = {"my_cap": re.compile(r"封顶|限额|上限"),
               "my_waiting": re.compile(r"等待期|等多久|等好久|多久|几个月"),
               "my_benefit_start": re.compile(r"什么时候|啥时候|哪天|哪一天|几号|开始享受|生效")}


def tasks_named(text: str) -> list[str]:
    """The personal questions whose words a message uses."""
    return [task for task, words in TASK_WORDS.items() if words.search(text)]


OWN_FIGURE = re.compile(r"多少|好多|多久|好久|几个月|几年|哪天|哪一天|什么时候|啥时候|几号|多长|哪个月|能涨|能加|"
                        r"等不等|要不要等|用不用等|有没有等待期|要等|能报|封顶线是|等待期是|等待期不|等待期没")
CLOSE = 0.05  # a personal question this close to a policy answer is taken when asked of one's own figure


def _task_by_words(text: str, decision: Any, intent: str | None) -> str | None:
    """Between two close questions, the personal one whose words the message uses: "2028年
    封顶线多少" is the cap even when the waiting period ranks a little higher; "我哪天开始能
    报销" is one's own start date even when the rule of the waiting period ranks a little
    higher; "明年继续交的话，要等待期不" is the waiting period of next year, not a cap what-if."""
    said = tasks_named(text)
    if len(said) != 1 or said[0] == intent:
        return intent
    candidates = getattr(decision, "candidates", [])[:3]
    scores = {c.intent: c.score for c in candidates}
    if intent in TASK_WORDS and said[0] in scores:
        return said[0]
    if intent == "what_if" and said[0] != "my_cap" and "补" not in text:
        return said[0]
    if intent not in TASKS and intent not in CONVERSATION and said[0] in scores and FIRST_PERSON.search(text) \
            and OWN_FIGURE.search(text) and scores[said[0]] >= max(scores.values()) - CLOSE:
        return said[0]
    return intent


def _menu_choice(st: State, text: str) -> str | None:
    """The answer to "您想了解哪一项？": an option's label or number, or its key word."""
    for i, option in enumerate(st.options, 1):
        if text in (option.label, str(i)):
            return option.value
    for value, words in _MENU_WORDS.items():
        if any(w in text for w in words):
            return value
    return None


def _menu_task(text: str) -> str | None:
    """The personal question whose menu words a message uses (封顶 / 等多久 / 什么时候)."""
    said = tasks_named(text)
    if len(said) == 1:
        return said[0]
    menu = _menu_choice(State(), text)
    return menu.split(":", 1)[1] if menu else None


def _of_oneself(text: str, slots: Any) -> bool:
    """Facts said about one's own history ("我…", several years, a year not paid), not the
    year a policy question names ("2026年度个人缴费标准是多少")."""
    facts = _slot(slots, "facts", [])
    if _slot(slots, "born") or _slot(slots, "paid_on") or _slot(slots, "paid_month"):
        return True  # a child's birth date, the day one paid: always one's own history
    return bool(FIRST_PERSON.search(text)) or len({f.year for f in facts}) > 1 \
        or any(f.status in ("uninsured", "zero_claim", "claimed", "reward_used") for f in facts)


def _likely_task(decision: Any) -> str | None:
    """With facts about one's own history, the best-ranked personal question, if plausible."""
    for c in getattr(decision, "candidates", [])[:3]:
        if c.intent in TASKS and c.score >= LIKELY_TASK:
            return c.intent
    return None


def _asks(text: str) -> bool:
    """Whether a message is phrased as a question (a new question, not an answer)."""
    from intents.text import normalise

    said = text + " " + normalise(text)  # 好多 -> 多少, 好久 -> 多久, 啥 -> 什么
    return any(w in said for w in ("?", "？", "多少", "多久", "什么", "吗", "几", "怎么", "哪", "如果", "呢"))


def _start_task(st: State, intent: str, slots: Any, text: str, today: dt.date) -> list[Reply]:
    if intent in ("my_waiting", "my_benefit_start") and _HYPOTHETICAL.search(text) \
            and _slot(slots, "backpaid"):
        intent = "what_if"  # "如果补缴一年，要等多久": a hypothesis, not a back-payment made
    st.task = intent  # type: ignore[assignment]
    st.what_if = _what_if(slots, text) if intent == "what_if" else None
    st.pending = None
    st.pending_years = []
    backpaid = st.facts.backpaid
    conflicts = hist.apply_slots(st.facts, slots, today)
    hist.apply_count(st.facts, slots, today, st.task)
    _all_or_none(st, slots, today)
    _bare_statuses(st, slots, today)  # "从没报销过" with the question: the insured years
    if st.what_if is not None and st.what_if.kind == "backpay":
        st.facts.backpaid = backpaid  # "如果我补缴一年" is a hypothesis, not a fact
    if conflicts:
        return _conflict(st, conflicts, today)
    return advance(st, today)


def _all_or_none(st: State, slots: Any, today: dt.date) -> None:
    """"一直都交了" / "都没交" said with the question: every year it needs that is not known yet."""
    insured = _slot(slots, "all_insured", False)
    if not insured and not _slot(slots, "none_insured", False):
        return
    target = hist.target_of(st.facts, today)
    for y in hist.span(st.facts, target, st.task):
        st.facts.years.setdefault(y, "insured" if insured else "uninsured")


def _what_if(slots: Any, text: str) -> WhatIf:
    """"如果我补缴一年" -> back-pay 1 year; "如果明年继续交" -> keep enrolling next year."""
    n = _slot(slots, "backpaid")
    if n is None and "补" in text:
        n = _slot(slots, "broken_count") or 1
    if n is not None:
        return WhatIf(kind="backpay", backpay=int(n))
    return WhatIf(kind="continue")


def advance(st: State, today: dt.date) -> list[Reply]:
    """Ask for the next missing fact, or confirm what is known."""
    need = hist.next_need(st, today)
    if need is not None:
        st.pending = need.slot  # type: ignore[assignment]
        st.pending_years = list(need.years)
        return [ask(need, st, today)]
    st.pending = "confirm"
    st.pending_years = []
    return [Reply(text=hist.summary(st, today), intent="confirm",
                  options=[Option(label="对", value="yes"), Option(label="不对，改一下", value="no")])]


def _answers_pending(st: State, text: str, slots: Any) -> bool:
    """Whether a message with no stated facts is still an answer to the question asked."""
    if st.pending is None:
        return False
    if _slot(slots, "yes") is not None:
        return True
    if st.pending in ("years", "zero_claim", "reward_years", "confirm", "amend") and _bare_years(st, slots) \
            and not _asks(text):
        return True
    if st.pending == "backpaid" and (_count(text, slots) is not None or _BACKPAID_YES.search(text)):
        return True
    if st.pending in ("paid_on", "born") and _date(slots) is not None:
        return True
    if st.pending == "paid_on" and _NOT_PAID.search(text):
        return True
    if st.pending in ("confirm", "amend") and _is_amend(text):
        return True
    if _slot(slots, "statuses", []) and not _asks(text) \
            and st.pending in ("years", "zero_claim", "confirm", "amend"):
        return True
    return st.pending in ("zero_claim", "amend") and ("都" in text or "每年" in text)


_RELEVANT = {
    "years": ("facts", "years", "all_insured", "none_insured", "broken_count"),
    "zero_claim": ("facts", "statuses"),
    "reward_used": ("facts",),
    "reward_years": ("years",),
    "backpaid": ("backpaid", "broken_count"),
    "paid_on": ("paid_on", "paid_month", "dates", "months"),
    "born": ("born", "dates"),
    "confirm": ("facts", "paid_on", "paid_month", "backpaid", "broken_count", "born"),
    "amend": ("facts", "paid_on", "paid_month", "backpaid", "broken_count", "born"),
}


def _answers_pending_slots(st: State, slots: Any) -> bool:
    """Whether a message gives a slot the pending question is waiting for."""
    return st.pending is not None and any(_slot(slots, name) for name in _RELEVANT.get(st.pending, ()))


def _bare_years(st: State, slots: Any) -> list[int]:
    stated = {int(f.year) for f in _slot(slots, "facts", [])}
    years = [int(y) for y in _slot(slots, "years", []) if int(y) not in stated]
    return sorted(y for y in set(years) if hist.FIRST_YEAR <= y <= hist.LAST_YEAR)


def _count(text: str, slots: Any) -> int | None:
    n = _slot(slots, "backpaid")
    if n is None:
        n = _slot(slots, "broken_count")
    if n is not None:
        return int(n)
    m = _NUMBER.match(text)
    if not m:
        return None
    try:
        import cn2an

        return int(cn2an.cn2an(m.group(1), "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _date(slots: Any) -> dt.date | None:
    """The date a message gives: a payment day, a birth day, else the last full date in it."""
    for name in ("paid_on", "born"):
        value = _slot(slots, name)
        if isinstance(value, dt.date):
            return value
    dates = _slot(slots, "dates", [])
    return dates[-1] if dates else None


INSURANCE = ("insured", "uninsured", "elsewhere", "employee")


def _bare_statuses(st: State, slots: Any, today: dt.date) -> bool:
    """Said with no year ("没交", "在外地交的", "报销过", "都没报销过"): about the years of the
    question asked (at the summary, only whether the insured years had a reimbursement)."""
    statuses = _slot(slots, "statuses", [])
    if not statuses or _slot(slots, "facts", []):
        return False
    if st.pending in ("years", "zero_claim"):
        years = list(st.pending_years)
    elif st.pending in ("confirm", "amend", None):
        years = hist.span(st.facts, hist.target_of(st.facts, today), st.task)
    else:
        return False
    kinds = [k for k in statuses if k in INSURANCE]
    applied = False
    if st.pending == "years" and len(kinds) == 1:
        for y in years:
            st.facts.years[y] = kinds[0]
        applied = True
    claims = [k for k in statuses if k in ("zero_claim", "claimed")]
    if len(claims) == 1:
        for y in years:
            if st.facts.years.get(y) in hist.RESIDENT:
                st.facts.zero_claim[y] = claims[0] == "zero_claim"
                applied = True
    return applied


def _answer(st: State, text: str, slots: Any, today: dt.date) -> list[Reply]:
    """File the facts of a message and read a bare answer against the pending question."""
    pending, years = st.pending, list(st.pending_years)
    yes = _slot(slots, "yes")
    before = st.facts.model_copy(deep=True)
    applied = _bare_statuses(st, slots, today)
    facts_said = hist.has_history_facts(slots) or applied
    if pending == "born" and isinstance(_date(slots), dt.date) and _slot(slots, "born") is None:
        st.facts.born = _date(slots)
        facts_said = facts_said and _slot(slots, "paid_on") is None
    if pending == "paid_on" and _slot(slots, "paid_on") is None and _slot(slots, "paid_month") is None \
            and isinstance(_date(slots), dt.date):
        st.facts.paid_on = _date(slots)
    context = years if pending == "years" else []
    conflicts = hist.apply_slots(st.facts, slots, today, context_years=context)
    hist.apply_count(st.facts, slots, today, st.task)
    if pending == "zero_claim" and facts_said:
        named = {int(f.year) for f in _slot(slots, "facts", []) if f.status == "zero_claim"}
        if named & set(years):
            for y in years:  # "2025年没报销过": the other years asked about had a reimbursement
                st.facts.zero_claim.setdefault(y, y in named)
    if pending == "zero_claim" and not facts_said and yes is True and len(years) > 1 \
            and not _bare_years(st, slots) and "都" not in text and "每年" not in text:
        again = ask(hist.Need(slot="zero_claim", years=years), st, today)
        return [again.model_copy(update={"text": ZERO_CLAIM_AGAIN.format(years=hist.years_text(years))})]
    if pending == "zero_claim" and not facts_said:
        _zero_claim_answer(st, text, slots, years, yes)
    elif pending == "reward_used" and not facts_said and yes is True and not _REWARD_YES.search(text):
        return [Reply(text="请告诉我：大病保险有没有用到过激励增加的额度？没有用到就说“没有”，用到过就说“用到过”。",
                      intent="ask:reward_used", options=ask(hist.Need(slot="reward_used", years=years), st, today).options)]
    elif pending == "years" and not facts_said:
        bare = _bare_years(st, slots)
        if bare:
            _mark_years(st.facts, years, set(bare))
        elif yes is False or (yes is True and len(years) == 1):
            # "没有" to "哪几年交了？" is none of them; a bare "对" to several years says nothing
            _mark_years(st.facts, years, set(years) if yes else set())
        elif yes is True:
            again = ask(hist.Need(slot="years", years=years), st, today)
            return [again.model_copy(update={"text": YEARS_AGAIN.format(years=hist.years_text(years))})]
    elif pending == "reward_used" and not facts_said and yes is not None:
        if not yes:
            st.facts.reward_used = []
        elif len(years) == 1:
            st.facts.reward_used = years
        else:
            st.pending = "reward_years"
            return [ask(hist.Need(slot="reward_years", years=years), st, today)]
    elif pending == "paid_on" and not facts_said and _date(slots) is None and (yes is not None or _NOT_PAID.search(text)):
        target = hist.target_of(st.facts, today)
        if (yes is False or _NOT_PAID.search(text)) and today <= dt.date(target - 1, 12, 31):
            return _on_value(st, "paid:collection", today)  # not paid yet: the option offered
        return [Reply(text=PAID_ON_AGAIN.format(target=target, example=f"{target - 1}年12月10日"),
                      intent="ask:paid_on", options=ask(hist.Need(slot="paid_on"), st, today).options)]
    elif pending == "reward_years":
        chosen = [y for y in _bare_years(st, slots) if y in years]
        if chosen:
            st.facts.reward_used = chosen
    elif pending == "backpaid" and st.facts.backpaid is None:
        n = _count(text, slots)
        if n is not None:
            st.facts.backpaid = max(0, n)
        elif yes is False:
            st.facts.backpaid = 0
        elif (yes is True or _BACKPAID_YES.search(text)) and len(years) == 1:
            st.facts.backpaid = 1
        elif yes is True or _BACKPAID_YES.search(text):
            return [Reply(text=f"补缴了几年？（断保共{len(years)}年）", intent="ask:backpaid",
                          options=ask(hist.Need(slot="backpaid", years=years), st, today).options[:-1])]
    elif pending in ("confirm", "amend") and not facts_said and st.facts == before \
            and not _slot(slots, "target_year"):
        # a correction that carries a fact ("不对，是2027年度的") is filed and confirmed anew
        if yes is True:
            return _compute(st, today)
        if yes is False or _is_amend(text):
            st.pending = "amend"
            return [Reply(text=AMEND_TEXT, intent="amend",
                          options=[Option(label="其实没问题", value="yes"),
                                   Option(label="重新开始", value="restart")])]
    if st.facts.backpaid is not None:
        broken = hist.broken_years(st.facts, hist.target_of(st.facts, today))
        st.facts.backpaid = min(st.facts.backpaid, len(broken)) if broken else st.facts.backpaid
    if conflicts:
        return _conflict(st, conflicts, today)
    return advance(st, today)


def _is_amend(text: str) -> bool:
    return any(w in text for w in ("改", "不对", "错了", "不是"))


def _mark_years(facts: Facts, asked: list[int], insured: set[int]) -> None:
    for y in asked:
        facts.years[y] = "insured" if y in insured else "uninsured"


def _zero_claim_answer(st: State, text: str, slots: Any, years: list[int], yes: bool | None) -> None:
    """Which asked years had no reimbursement; one year is asked "有没有报销过" (no = zero claim)."""
    chosen = [y for y in _bare_years(st, slots) if y in years]
    if chosen:
        for y in years:
            st.facts.zero_claim[y] = y in chosen
    elif "都没" in text or _slot(slots, "none_insured", False):
        for y in years:
            st.facts.zero_claim[y] = True
    elif "都" in text or "每年" in text or _slot(slots, "all_insured", False):
        for y in years:
            st.facts.zero_claim[y] = False
    elif yes is not None:
        if len(years) == 1:
            st.facts.zero_claim[years[0]] = not yes
        elif not yes:  # "哪几年一次都没报销？" - "没有": every year had a reimbursement
            for y in years:
                st.facts.zero_claim[y] = False


def _conflict(st: State, years: list[int], today: dt.date) -> list[Reply]:
    shown = "、".join(f"{y}年" for y in years)
    st.pending = "years"
    st.pending_years = years
    return [Reply(text=CONFLICT_TEXT.format(years=shown), intent="conflict",
                  options=[Option(label="交了", value="yes"), Option(label="没交", value="no")])]


def _compute(st: State, today: dt.date) -> list[Reply]:
    from rules import RulesError, evaluate

    from bot.answers.render import answer

    try:
        result = evaluate(hist.to_history(st, today))
        baseline = _baseline(st, today, evaluate) if st.what_if is not None else None
    except (RulesError, ValueError) as exc:
        st.pending = "amend"
        return [Reply(text=f"按您说的情况我没法计算：{_first_line(exc)} 请改一下，或者说“重新开始”。",
                      intent="rules_error",
                      options=[Option(label="重新开始", value="restart")])]
    replies = answer(st, result, today, baseline)
    st.pending = None
    st.pending_years = []
    st.task = None
    st.what_if = None
    return replies


def _baseline(st: State, today: dt.date, evaluate):
    """What the member has without the what-if: no extra back-payment, or the year before."""
    base = st.model_copy(deep=True)
    if base.what_if is not None and base.what_if.kind == "backpay":
        base.task, base.what_if = "my_waiting", None
    else:
        target = hist.target_of(base.facts, today)
        if target - 1 < hist.FIRST_YEAR:
            return None
        base.facts.target_year, base.facts.target_inferred = target - 1, False
        base.task, base.what_if = "my_cap", None
    return evaluate(hist.to_history(base, today))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else "信息不完整"
    return text if text.endswith(("。", "）")) else text + "。"


# --- values sent back by option buttons ----------------------------------------------------

_VALUE = re.compile(r"^(yes|no|continue|restart|cancel|forget|pick:[\w.-]+|task:\w+|status:\w+|"
                    r"backpaid:\d+|paid:\w+|whatif:\w+|years?:[\w,:]*)$")


def _is_value(text: str) -> bool:
    return bool(_VALUE.match(text)) and len(text) < 200


def _on_value(st: State, value: str, today: dt.date) -> list[Reply]:
    kind, _, arg = value.partition(":")
    if kind == "restart":
        _reset(st)
        return [Reply(text=RESTART_TEXT, intent="restart")]
    if kind == "cancel":
        return _cancel(st)
    if kind == "forget":
        return _forget(st)
    if kind == "task" and arg in TASKS:
        st.task, st.what_if = arg, None  # type: ignore[assignment]
        return advance(st, today)
    if kind == "whatif":
        st.task = "what_if"
        st.what_if = (WhatIf(kind="continue") if arg == "continue"
                      else WhatIf(kind="backpay", backpay=(st.facts.backpaid or 0) + 1))
        if arg == "continue":
            target = hist.target_of(st.facts, today)
            st.facts.years[target] = "insured"
            st.facts.target_year, st.facts.target_inferred = target + 1, False
        return advance(st, today)
    if kind == "pick":
        return _picked(st, arg, today)
    if kind == "continue" or (st.paused and kind == "yes"):
        st.paused = False
        return _resume(st, today)
    st.paused = False
    if st.task is None or st.pending is None:
        if kind in ("yes", "no"):
            return _conversation(st, kind, today)
        return [Reply(text="这个选项已经过期了。请直接告诉我您想问什么。", intent="stale")]
    if kind in ("yes", "no"):
        from intents.slots import Slots

        return _answer(st, kind, Slots(yes=kind == "yes"), today)
    if kind == "status" and st.pending == "years" and arg in ("elsewhere", "employee", "insured", "uninsured"):
        for y in st.pending_years:
            st.facts.years[y] = arg  # type: ignore[assignment]
        return advance(st, today)
    if kind in ("year", "years"):
        return _years_value(st, arg, today)
    if kind == "backpaid" and st.pending == "backpaid":
        st.facts.backpaid = int(arg)
        return advance(st, today)
    if kind == "paid" and st.pending == "paid_on":
        target = hist.target_of(st.facts, today)
        st.facts.paid_on, st.facts.paid_month = dt.date(target - 1, 12, 31), None
        return advance(st, today)
    return advance(st, today)


def _years_value(st: State, arg: str, today: dt.date) -> list[Reply]:
    """"years:2025,2026" / "year:2025,year:2026" / "years:all" / "years:none" for the asked years."""
    asked = list(st.pending_years)
    if "all" in arg:
        chosen = set(asked)
    elif "none" in arg:
        chosen = set()
    else:
        chosen = {int(y) for y in _YEAR.findall(arg)} & set(asked)
    if st.pending == "years":
        _mark_years(st.facts, asked, chosen)
    elif st.pending == "zero_claim":
        for y in asked:
            st.facts.zero_claim[y] = y in chosen
    elif st.pending == "reward_years":
        st.facts.reward_used = sorted(chosen)
    return advance(st, today)


# --- interruptions, conversation, FAQ -------------------------------------------------------

def _reset(st: State) -> None:
    fresh = State(turns=st.turns)
    for name in State.model_fields:
        setattr(st, name, getattr(fresh, name))


def _cancel(st: State) -> list[Reply]:
    st.task, st.what_if, st.pending, st.pending_years, st.paused = None, None, None, [], False
    return [Reply(text=CANCEL_TEXT, intent="cancel")]


def _forget(st: State) -> list[Reply]:
    _reset(st)
    st.forget = True
    return [Reply(text=FORGET_TEXT, intent="forget_me")]


def _resume(st: State, today: dt.date) -> list[Reply]:
    if st.task is None:
        return [Reply(text="好的，您想问什么？", intent="continue")]
    return advance(st, today)


def _reminder(st: State, today: dt.date) -> list[Reply]:
    """While collecting, a detour ends with the offer to continue where we were."""
    if st.task is None or st.pending is None:
        return []
    st.paused = True
    return [Reply(text=RESUME_TEXT.format(task=TASK_NAMES.get(st.task, "")), intent="resume",
                  options=[Option(label="继续", value="continue"), Option(label="不用了", value="cancel")])]


def _conversation(st: State, intent: str, today: dt.date) -> list[Reply]:
    from bot.answers.replies import conversation_reply

    if intent in ("yes", "no") and st.task is None:
        if intent == "yes" and st.facts.known() and st.pending == "task":
            return [ask_task()]
        return [Reply(text="好的。还有什么想问的吗？比如“我的大病保险封顶线是多少”。", intent=intent)]
    if intent == "yes" and st.task is not None:
        return _resume(st, today)
    if intent == "no" and st.task is not None:
        return _cancel(st)
    reply = conversation_reply(intent)
    return [reply] + _reminder(st, today)


TOPIC_TASK = {"waiting": "my_waiting", "repair": "my_waiting", "continuity": "my_waiting",
              "period": "my_benefit_start", "newborn": "my_benefit_start", "student": "my_benefit_start",
              "zero_claim": "my_cap", "continuous": "my_cap", "ceiling": "my_cap", "critical": "my_cap",
              "break_cap": "my_cap", "break_incentive": "my_cap"}
TOPIC_OFFER = {"my_waiting": "算算我的等待期", "my_benefit_start": "算算我哪天能报销", "my_cap": "算算我的封顶线"}


def _faq(st: State, intent: str, today: dt.date) -> list[Reply]:
    """A policy question: the FAQ answer; mid-calculation, the offer to continue; otherwise the
    offer to work out the person's own figure on the same topic."""
    from bot.answers.replies import faq_reply_for

    reply = faq_reply_for(intent)
    if reply is None:
        return [_out_of_scope()] + _reminder(st, today)
    if st.task is None or st.pending is None:
        st.topic_task = TOPIC_TASK.get(topic_of(intent))  # type: ignore[assignment]
        st.topic_turn = st.turns
        if st.topic_task:
            reply = reply.model_copy(update={"options": [
                Option(label=TOPIC_OFFER[st.topic_task], value=f"task:{st.topic_task}")]})
    return [reply] + _reminder(st, today)


def topic_of(intent: str) -> str | None:
    from faq import load

    try:
        return load().entry(intent).topic
    except KeyError:
        return None


def _clarify(st: State, decision: Any) -> list[Reply]:
    from bot.answers.replies import clarify_reply

    reply = clarify_reply(getattr(decision, "candidates", []))
    if st.task is None or st.pending is None:
        st.pending = "pick"
    return [reply]


def _pick(st: State, text: str) -> str | None:
    """A typed choice among "您是想问" options: the option's label or its number."""
    for i, option in enumerate(st.options, 1):
        if text in (option.label, str(i)):
            return option.value
    st.pending = None
    return None


def _picked(st: State, intent: str, today: dt.date) -> list[Reply]:
    if st.pending == "pick":
        st.pending = None
    if intent in TASKS:
        st.task, st.what_if = intent, (WhatIf(kind="continue") if intent == "what_if" else None)  # type: ignore[assignment]
        return advance(st, today)
    if intent in CONVERSATION:
        return _conversation(st, intent, today)
    return _faq(st, intent, today)


def _out_of_scope() -> Reply:
    from bot.answers.replies import out_of_scope_reply

    return out_of_scope_reply()
