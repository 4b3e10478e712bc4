"""Whole conversations through the face and the real dialogue manager, in process.

The store is the SQLite session store in a temporary directory, as in production; the
figures and wording checked here are the manager's own (compared with what turn() answers to
the same messages in a fresh session), so the face is shown to add nothing and lose nothing.
"""

from __future__ import annotations

import pytest

from bot.conversation.store import SQLiteStore
from bot.telegram.face import EXAMPLES, EXPIRED, Conversations, session_key
from tg_harness import TODAY, buttons, data_of, make_harness, manager_texts

KEY = session_key(42, 7)


class Recording(Conversations):
    """The real conversations, remembering which messages the face handed to turn()."""

    def __init__(self, store) -> None:
        super().__init__(store, lambda: TODAY)
        self.messages: list[str] = []

    def turn(self, key, message, incoming=None):
        self.messages.append(message)
        return super().turn(key, message, incoming)


@pytest.fixture
async def real_bot(api, tmp_path):
    store = SQLiteStore(tmp_path / "sessions.db")
    conversations = Recording(store)
    harness = await make_harness(api, conversations)
    yield harness, store, conversations
    await harness.app.shutdown()
    store.close()


def last_batch(h, count: int) -> list[str]:
    return h.texts()[-count:]


async def test_a_calculation_by_buttons_ends_in_the_managers_figure_with_cited_excerpts(real_bot):
    h, store, conv = real_bot
    await h.say("/calc")
    message = h.sent()[-1]
    for _ in range(8):  # answer each question with its first button until the figure comes
        label, data = buttons(message)[0]
        await h.tap(message, data)
        if store.load(KEY) is None or store.load(KEY).pending is None:
            break
        message = h.sent()[-1]
    assert conv.messages[0] == "我想算一下我的大病保险封顶线"
    expected = manager_texts(conv.messages)
    assert "元" in expected[0]
    shown = h.sent()[-len(expected) :]
    assert [m["text"].split("\n")[0] for m in shown] == [t.split("\n")[0] for t in expected]
    answer = shown[-1]
    assert len(answer["text"].splitlines()) <= 3, "the figure fits a phone"
    assert not any(e["type"] == "blockquote" for e in answer.get("entities", []))
    await h.tap(answer, data_of(answer, "依据"))
    steps = h.sent()[-1]
    assert "依据" in steps["text"] and any(e["type"] == "blockquote" for e in steps.get("entities", [])), (
        "the 依据 button shows the steps and quotes the sources"
    )


async def test_years_ticked_on_buttons_reach_the_manager_as_one_answer(real_bot):
    h, store, conv = real_bot
    await h.say("我2027年的封顶线是多少")
    question = h.sent()[-1]
    years = [label for label, data in buttons(question) if "-year:" in data]
    assert len(years) >= 2
    for label in years:
        await h.tap(h.sent()[-1], data_of(h.sent()[-1], label))
    ticked = [label for label, _ in buttons(h.sent()[-1]) if label.startswith("✅")]
    assert ticked == [f"✅ {label}" for label in years]
    await h.tap(h.sent()[-1], data_of(h.sent()[-1], "确认"))
    assert conv.messages[-1] == "years:" + ",".join(label.removesuffix("年") for label in years)
    assert h.texts()[-1] == manager_texts(conv.messages)[-1]
    facts = store.load(KEY).facts
    assert all(facts.years[int(label.removesuffix("年"))] == "insured" for label in years)


async def test_a_button_under_an_answered_question_has_expired(real_bot):
    h, store, conv = real_bot
    await h.say("/calc")
    first = h.sent()[-1]
    label, data = buttons(first)[0]
    await h.tap(first, data)
    before = store.load(KEY).model_dump_json()
    await h.tap(first, buttons(first)[0][1] if buttons(first) else data)
    assert h.answers()[-1].get("text") == EXPIRED
    assert store.load(KEY).model_dump_json() == before
    assert len(conv.messages) == 2


async def test_forget_deletes_what_was_stored_for_this_person(real_bot):
    h, store, conv = real_bot
    await h.say("我2025年和2026年都交了，2026年的封顶线是多少？")
    await h.say("在别的群里的我", chat_id=43)
    assert store.load(KEY) is not None
    await h.say("/forget")
    assert store.load(KEY) is None
    assert store.load(session_key(43, 7)) is not None
    assert h.texts()[-1] == manager_texts(["忘记我"])[-1]


async def test_reset_in_the_middle_of_a_calculation_starts_afresh(real_bot):
    h, store, conv = real_bot
    await h.say("/calc")
    assert store.load(KEY).pending is not None
    await h.say("/reset")
    assert store.load(KEY) is None or store.load(KEY).pending is None
    assert h.texts()[-1] == manager_texts(["我想算一下我的大病保险封顶线", "重新开始"])[-1]


async def test_start_welcomes_with_example_questions_that_stay_usable(real_bot):
    h, store, conv = real_bot
    await h.say("/start")
    welcome = h.sent()[-1]
    assert welcome["text"] == manager_texts(["帮助"])[-1]
    assert [label for label, _ in buttons(welcome)] == [o.label for o in EXAMPLES]
    await h.say("新生儿怎么参保")
    await h.tap(welcome, data_of(welcome, EXAMPLES[0].label))
    assert conv.messages[-1] == EXAMPLES[0].value
    assert h.answers()[-1].get("text") is None


async def test_faq_search_shows_the_question_answer_and_the_quoted_article(real_bot):
    h, store, conv = real_bot
    await h.say("/faq 新生儿怎么参保")
    from faq.search import search

    hits = search("新生儿怎么参保", k=3)
    assert hits
    shown = h.sent()[-len(hits) :]
    for hit, message in zip(hits, shown, strict=True):
        assert message["text"].startswith(hit.question)
        assert hit.excerpt in message["text"] and hit.document in message["text"]
    assert conv.messages == []  # a search is not a turn


async def test_about_lists_the_documents_and_their_dates(real_bot):
    h, store, conv = real_bot
    await h.say("/about")
    from faq import load

    text = h.texts()[-1]
    for doc in load().documents:
        assert doc.name in text
        if doc.date:
            assert doc.date.isoformat() in text


async def test_a_new_bot_on_the_same_store_continues_the_conversation(api, tmp_path):
    path = tmp_path / "sessions.db"
    store = SQLiteStore(path)
    h = await make_harness(api, Conversations(store, lambda: TODAY))
    await h.say("/calc")
    question = h.sent()[-1]
    await h.app.shutdown()
    store.close()

    store = SQLiteStore(path)
    h = await make_harness(api, Conversations(store, lambda: TODAY))
    try:
        label, data = buttons(question)[0]
        await h.tap(question, data)
        expected = manager_texts(["我想算一下我的大病保险封顶线", data[5:]])
        assert h.texts()[-len(expected) :] == expected
    finally:
        await h.app.shutdown()
        store.close()


async def test_conversations_untouched_for_longer_than_the_configured_age_are_deleted(tmp_path, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setenv("YIBAO_SESSION_DAYS", "2")
    store = SQLiteStore(tmp_path / "sessions.db", clock=lambda: clock[0])
    conversations = Conversations(store, lambda: TODAY)
    conversations.turn(KEY, "我想算一下我的大病保险封顶线")
    clock[0] += 86400
    assert conversations.expire() == 0 and store.load(KEY) is not None
    clock[0] += 2 * 86400
    assert conversations.expire() == 1 and store.load(KEY) is None
    store.close()
