"""What every face of yibao calls: one question answered, one turn of a conversation, a search
of the policy questions, a personal calculation, and what a face needs around them.

A face (bot/cli, bot/telegram, bot/http) parses its own input and renders its own output; the
answer itself comes from here, so two faces can never answer one question differently. A face
imports this module, its own folder and the face-neutral modules (bot.models, bot.errors,
bot.buttons, bot.workers) only: never the conversation, the answers, rules, intents or faq
(tests/test_house.py). Nothing here reads the command line or prints.

    ask(question, today)            -> {intent, score, answer, sources, options, kind}
    turn(store, key, message, today[, receipt]) -> [Reply]   (state saved before the replies go out)
    search(query, k)                -> [Hit]
    calc(facts..., today)           -> rules.Result, or CalcRefused with one line of Chinese

The conversations kept between turns:

    open_store(path)  -> Store (memory, SQLite, Redis); StoreError (one Chinese line) when it cannot
    store_path(path)  -> where open_store(path) keeps them; begin(store, key): a new, empty one
    expire(store)     -> how many older than YIBAO_SESSION_DAYS were deleted
    apology(), STORE_DOWN: what a face says when the store failed during a turn
    AlreadyHandled, Receipt: the Telegram inbox's once-only turn; KeyLocks: one lock per conversation

What a message may be, and the policy facts a face shows:

    problem(text, max_chars), undecodable(text), MAX_CHARS   -> a message that cannot be read
    personal(text), mask(text)       -> ID-card or phone numbers or names in it, and it masked
    first_year(), LAST_YEAR, covered_years(), today_bounds(), Group, COVERAGE_ZH, Result
    documents()                      -> the policy documents the answers cite
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from pydantic import ValidationError

from bot.conversation.dialogue import TASKS, respond
from bot.conversation.inbound import MAX_CHARS, problem, undecodable
from bot.conversation.locks import KeyLocks
from bot.conversation.privacy import NOTICE, blank, mask, personal
from bot.conversation.router import catalogue, prepare_figures, understand
from bot.conversation.session import STORE_DOWN, apology
from bot.conversation.session import turn as session_turn
from bot.conversation.state import State
from bot.conversation.store import (
    AlreadyHandled,
    Receipt,
    Store,
    StoreError,
    default_path,
    open_store,
    session_max_age,
)
from bot.models import Reply
from faq import Document, Hit
from faq import load as knowledge
from faq import search as faq_search
from rules import Group, History, Result, RulesError, error_message, evaluate, parameters
from rules.models import COVERAGE_ZH
from rules.policy import LAST_YEAR, first_year, today_bounds

__all__ = [
    "COVERAGE_ZH",
    "KIND_CALCULATION",
    "KIND_DIALOGUE",
    "KIND_FAQ",
    "KIND_REFUSED",
    "LAST_YEAR",
    "MAX_CHARS",
    "STORE_DOWN",
    "AlreadyHandled",
    "CalcRefused",
    "Group",
    "Hit",
    "KeyLocks",
    "Receipt",
    "Result",
    "Store",
    "StoreError",
    "apology",
    "ask",
    "begin",
    "calc",
    "covered_years",
    "documents",
    "expire",
    "first_year",
    "mask",
    "open_store",
    "personal",
    "problem",
    "reply_kind",
    "search",
    "store_path",
    "today_bounds",
    "turn",
    "undecodable",
    "warm",
    "year_list",
]

EMPTY_TEXT = "您没有输入问题。请直接问我，比如“断保一年有多长等待期？”或“我的大病保险封顶线是多少？”"

# what kind of answer a reply is, for counting: figures computed, a cited policy answer, a refusal
# (out of scope), or the dialogue itself (a question back, a greeting, a choice offered)
KIND_CALCULATION, KIND_FAQ, KIND_REFUSED, KIND_DIALOGUE = "calculation", "faq", "refused", "dialogue"


class CalcRefused(ValueError):
    """The facts contradict each other or cannot be computed; str() is one line of Chinese."""


def year_list(text: str) -> list[int]:
    """'2025-2026,2028' -> [2025, 2026, 2028]; full-width digits and commas are accepted."""
    t = unicodedata.normalize("NFKC", text)
    years: set[int] = set()
    for part in filter(None, (s.strip() for s in re.split(r"[,、;]+", t))):
        m = re.fullmatch(r"(\d{4})(?:\s*[-~—–至到]\s*(\d{4}))?", part)
        if not m:
            raise ValueError(f"不是年份或年份范围: {part!r}（例如 2025-2026,2028）")
        first, last = int(m[1]), int(m[2] or m[1])
        if last < first:
            raise ValueError(f"年份范围倒置: {part!r}")
        years.update(range(first, last + 1))
    return sorted(years)


def ask(question: str, today: dt.date) -> dict:
    """One question -> {intent, score, answer, sources, options, kind}, routed as `yibao chat` routes
    a first message (bot.conversation.dialogue.respond with once=True): a policy answer, or a
    personal question's figures with their steps when the one message holds every fact, else what
    the answer still needs. A message holding an ID-card or phone number or a name starts with
    the privacy notice, whatever it asked."""
    text = (question or "").strip()
    if not text:
        return _as_json([Reply(text=EMPTY_TEXT)], None, 0.0)
    bad = problem(text, MAX_CHARS)
    if bad is not None:
        return _as_json([bad], None, 0.0)
    decision = understand(blank(text))
    replies, _ = respond(None, text, today, once=True)
    replies = [r.model_copy(update={"text": r.text + "\n" + r.details}) if r.details else r for r in replies]
    tasks = [r.intent for r in replies if r.intent in TASKS]
    intent = tasks[-1] if tasks else (replies[0].intent if replies and _kind(replies[0].intent) else None)
    result = _as_json(replies, intent, decision.score)
    if personal(text) and NOTICE not in result["answer"]:
        result["answer"] = "\n".join(filter(None, [NOTICE, result["answer"]]))
    return result


def _kind(intent: str | None) -> str | None:
    spec = catalogue().get(intent or "")
    return spec.kind if spec else None


def _as_json(replies: list[Reply], intent: str | None, score: float) -> dict:
    sources: list[dict[str, str]] = []
    options: list[dict[str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    for reply in replies:
        for s in reply.sources:
            key = (s.document, s.article, s.excerpt)
            if key not in seen:
                seen.add(key)
                sources.append({"document": s.document, "article": s.article, "excerpt": s.excerpt})
        options = [{"label": o.label, "value": o.value} for o in reply.options] or options
    return {
        "intent": intent,
        "score": round(float(score), 4),
        "answer": "\n".join(r.text for r in replies if r.text),
        "sources": sources,
        "options": options,
        "kind": reply_kind(replies),
    }


def reply_kind(replies: list[Reply]) -> str:
    """What a turn's replies amount to: figures computed, a cited policy answer, a refusal (no
    intent understood), or the dialogue going on (a question back, a greeting)."""
    if any(r.figures for r in replies):
        return KIND_CALCULATION
    if any(r.sources for r in replies):
        return KIND_FAQ
    if not any(r.intent for r in replies):
        return KIND_REFUSED
    return KIND_DIALOGUE


def turn(
    store: Store,
    key: str,
    message: str,
    today: dt.date,
    receipt: Callable[[list[Reply], State | None], Receipt] | None = None,
) -> list[Reply]:
    """One turn of the conversation stored under `key` (bot.conversation.session.turn); `receipt`
    names the update answered and what is to be sent, committed with the turn (the Telegram inbox)."""
    return session_turn(store, key, message, today, receipt)


def store_path(path: str | None = None) -> str:
    """Where open_store(path) keeps the conversations: `path`, else $YIBAO_STORE or the default file."""
    return path or default_path()


def begin(store: Store, key: str) -> None:
    """Keep a new, empty conversation under `key` (a session the HTTP face has issued)."""
    store.save(key, State())


def expire(store: Store) -> int:
    """Delete the conversations older than YIBAO_SESSION_DAYS; how many were deleted."""
    return store.expire(session_max_age())


def search(query: str, k: int = 5) -> list[Hit]:
    """The k best policy questions for a query, each with its verbatim excerpt (faq.search)."""
    return faq_search(query, k=k)


def calc(
    target_year: int,
    *,
    enrolled: list[int],
    elsewhere: list[int],
    employee: list[int],
    zero_claim: list[int],
    reward_used: list[int],
    backpaid: int,
    group: Group,
    born: dt.date | None,
    paid_on: dt.date | None,
    today: dt.date,
) -> Result:
    """The rules engine on one member's history (rules.evaluate)."""
    try:
        history = History.from_lists(
            target_year,
            enrolled=enrolled,
            elsewhere=elsewhere,
            employee=employee,
            zero_claim=set(zero_claim),
            reward_used=set(reward_used),
            backpaid=backpaid,
            group=group,
            born=born,
            paid_on=paid_on,
            today=today,
        )
        return evaluate(history)
    except (ValidationError, RulesError) as exc:
        raise CalcRefused(error_message(exc)) from None


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """The first and last year the rules can answer for: the earliest date a policy parameter
    takes effect (rules/parameters/*.yaml) to the last insured year the engine computes."""
    first = min(value.from_ for p in parameters.parameters().values() for value in p.values)
    return first.year, LAST_YEAR


def documents() -> list[Document]:
    """The policy documents the answers cite, each with its passages (faq/sources)."""
    return knowledge().documents


def warm() -> None:
    """Build the matcher, the search index and the entries' figure tables now rather than on the
    first call that needs them."""
    understand("断保")
    search("断保", k=1)
    prepare_figures()
