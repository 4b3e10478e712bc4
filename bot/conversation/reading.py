"""How a message reads as a question: which personal question (task) it names, whether it asks
for one's own figure, whether it is phrased as a question, whether its facts are one's own.
Pure functions of the text and the matcher's decision; the dialogue's rules use them."""

from __future__ import annotations

import re

from bot.conversation.router import Decision
from bot.conversation.state import State
from intents.slots import ECHO_DENIED, Slots
from intents.text import normalise

TASKS = ("my_cap", "my_waiting", "my_benefit_start", "what_if")
CONVERSATION = ("greeting", "thanks", "help", "restart", "cancel", "yes", "no", "goodbye", "forget_me")
LIKELY_TASK = 0.2  # a task intent this close is taken when the message states one's history
FIRST_PERSON = re.compile(r"我(?!想问|想咨询|想了解|问一下|问下)|本人|俺")


def is_faq(intent: str | None) -> bool:
    return intent is not None and intent not in TASKS and intent not in CONVERSATION


_MENU_WORDS = {
    "task:my_cap": ("封顶", "限额", "大病"),
    "task:my_waiting": ("等待", "等多久", "多久"),
    "task:my_benefit_start": ("什么时候", "哪天", "开始", "报销"),
}


TASK_WORDS = {
    "my_cap": re.compile(r"封顶|限额|上限|最(?:多|高)(?:能|可以)?报"),
    "my_waiting": re.compile(
        r"等待期|等多久|等好久|多久|几个月|要等|不用等|用不用等|要不要等|等不等|马上(?:就)?(?:能|可以)(?:用|报)"
    ),
    "my_benefit_start": re.compile(r"什么时候|啥时候|哪天|哪一天|几号|开始享受|生效"),
}


def tasks_named(text: str) -> list[str]:
    """The personal questions whose words a message uses (as typed or as the pipeline reads it:
    啥子时候 -> 什么时候)."""

    said = text + "\n" + normalise(text)
    return [task for task, words in TASK_WORDS.items() if words.search(said)]


OWN_FIGURE = re.compile(
    r"多少|好多|多久|好久|几个月|几年|哪天|哪一天|什么时候|啥时候|几号|多长|哪个月|能涨|能加|"
    r"等不等|要不要等|用不用等|有没有等待期|要等|不用等|等那么|等这么|少等|能报|封顶线是|等待期是|等待期不|等待期没"
)
CLOSE = 0.05  # a personal question this close to a policy answer is taken when asked of one's own figure


_WAITING_AND_DATE = {"my_waiting", "my_benefit_start"}


def _policy_runner_up(decision: Decision, intent: str) -> str | None:
    """The FAQ entry ranked right behind a personal question, within CLOSE of it."""
    ranked = decision.candidates[:3]
    top = next((c.score for c in ranked if c.intent == intent), None)
    for c in ranked:
        if c.intent != intent and is_faq(c.intent) and top is not None and c.score >= top - 2 * CLOSE:
            return c.intent
    return None


def task_by_words(text: str, decision: Decision, intent: str | None) -> str | None:
    """Between two close questions, the personal one whose words the message uses: "2028年
    封顶线多少" is the cap even when the waiting period ranks a little higher; "我哪天开始能
    报销" is one's own start date even when the rule of the waiting period ranks a little
    higher; "明年继续交的话，要等待期不" is the waiting period of next year, not a cap what-if."""
    said = tasks_named(text)
    if intent in TASK_WORDS and not said and asks(text) and (policy := _policy_runner_up(decision, intent)) is not None:
        return policy  # "要连续交几年才有奖励": no word of a personal figure, a rule asked about
    if intent in TASK_WORDS and intent not in said and said and set(said) <= _WAITING_AND_DATE:
        # "要等多久才能报销" names the waiting period and its date, not the cap the history ranked first
        return "my_waiting" if "等" in text else said[0]
    if len(said) != 1 or said[0] == intent:
        return intent
    scores = {c.intent: c.score for c in decision.candidates[:3]}
    if intent in TASK_WORDS:
        return said[0]  # two personal questions: the one the message names
    if intent == "what_if" and said[0] != "my_cap" and "补" not in text:
        return said[0]
    if (
        is_faq(intent)
        and said[0] in scores
        and FIRST_PERSON.search(text)
        and OWN_FIGURE.search(text)
        and scores[said[0]] >= max(scores.values()) - CLOSE
    ):
        return said[0]
    return intent


def menu_choice(st: State, text: str) -> str | None:
    """The answer to "您想了解哪一项？": an option's label or number, or its key word."""
    for i, option in enumerate(st.options, 1):
        if text in (option.label, str(i)):
            return option.value
    for value, words in _MENU_WORDS.items():
        if any(word in text for word in words):
            return value
    return None


def menu_task(text: str) -> str | None:
    """The personal question whose menu words a message uses (封顶 / 等多久 / 什么时候)."""
    said = tasks_named(text)
    if len(said) == 1:
        return said[0]
    menu = menu_choice(State(), text)
    return menu.split(":", 1)[1] if menu else None


def of_oneself(text: str, slots: Slots) -> bool:
    """Facts said about one's own history ("我…", several years, a year not paid), not the
    year a policy question names ("2026年度个人缴费标准是多少")."""
    if slots.born or slots.paid_on or slots.paid_month or slots.group:
        return True  # a child's birth date, the day one paid, a group: always one's own history
    return (
        bool(FIRST_PERSON.search(text))
        or len({f.year for f in slots.facts}) > 1
        or any(f.status in ("uninsured", "zero_claim", "claimed", "reward_used", "reward_unused") for f in slots.facts)
    )


def likely_task(decision: Decision) -> str | None:
    """With facts about one's own history, the best-ranked personal question, if plausible."""
    for c in decision.candidates[:3]:
        if c.intent in TASKS and c.score >= LIKELY_TASK:
            return c.intent
    return None


# "也没有补缴啥子", "没得啥子": nothing at all, said at a clause end (an indefinite, not a question)
_NOTHING = re.compile(r"(?:没有?|没得|不)[^，。,；;?？]{0,6}?(?:什么|啥子|啥)(?:的)?(?=$|[，。,；;！!])")


# "这几年身体好": some years, not how many; "哪里都没参过保": anywhere, not where
_SOME_YEARS = re.compile(r"[这那前头近]几(?:年|天|个月|回|次)|(?:哪里|哪儿|哪|什么|谁)(?=都|也)")


def asks(text: str) -> bool:
    """Whether a message is phrased as a question (a new question, not an answer)."""

    clean = normalise(text)  # 好多 -> 多少, 好久 -> 多久, 啥 -> 什么
    if echo := ECHO_DENIED.match(clean):
        text = clean = clean[echo.end() :]
    text, clean = (_SOME_YEARS.sub("", _NOTHING.sub("", t)) for t in (text, clean))
    said = text + " " + clean
    return any(word in said for word in ("?", "？", "多少", "多久", "什么", "吗", "几", "怎么", "哪", "如果", "呢"))
