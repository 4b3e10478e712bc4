"""What a person sees for FAQ answers, "您是想问", off-topic questions and small talk."""

from bot.answers.replies import clarify_reply, conversation_reply, faq_reply_for, out_of_scope_reply
from bot.conversation.router import catalogue, understand
from intents.match import Match


def test_faq_reply_is_the_answer_with_one_or_two_cited_excerpts():
    reply = faq_reply_for("collection_period")
    assert "9月" in reply.text
    assert 1 <= len(reply.sources) <= 2
    assert all(s.document and s.article and s.excerpt for s in reply.sources)
    assert reply.intent == "collection_period"


def test_unknown_faq_id_gives_no_reply():
    assert faq_reply_for("no_such_entry") is None


def test_out_of_scope_says_what_yibao_covers_and_names_the_hotline():
    text = out_of_scope_reply().text
    assert "12393" in text
    for subject in ("激励", "等待期", "缴费", "集中参保期", "新生儿", "大学生", "职工医保"):
        assert subject in text


def test_clarify_lists_the_real_question_titles_as_numbered_options():
    reply = clarify_reply([Match(intent="waiting_fixed", score=0.8), Match(intent="waiting_variable", score=0.79)])
    titles = [catalogue().get("waiting_fixed").title, catalogue().get("waiting_variable").title]
    assert reply.text.startswith("您是想问")
    assert f"1. {titles[0]}" in reply.text and f"2. {titles[1]}" in reply.text
    assert [o.value for o in reply.options] == ["pick:waiting_fixed", "pick:waiting_variable"]
    assert all(len(o.value.encode()) < 64 for o in reply.options)


def test_conversation_replies():
    assert "渝医保" in conversation_reply("greeting").text
    assert "不客气" in conversation_reply("thanks").text
    assert "12393" in conversation_reply("help").text
    assert "12393" in conversation_reply("unknown_intent").text


def test_understand_never_raises_on_odd_input():
    for text in ("", "😀", "x" * 5000, None):
        assert understand(text).kind in ("match", "ambiguous", "out_of_scope")


def test_a_close_call_between_policy_questions_is_answered_with_the_neighbours_offered():
    import datetime as dt

    from bot.conversation.dialogue import respond
    from bot.service import ask

    question = "新生儿 参保 时间"  # an agent's look-up: how to enrol, or from when it pays?
    decision = understand(question)
    assert decision.kind == "match" and decision.close
    result = ask(question, dt.date(2026, 12, 1))
    assert result["intent"] == decision.intent and "90天" in result["answer"]
    assert "您可能还想问" in result["answer"]
    neighbour = catalogue().get(decision.close[0]).title
    assert neighbour in [o["label"] for o in result["options"]]
    replies, state = respond(None, question, dt.date(2026, 12, 1))
    assert replies[0].options[0].label == neighbour
    picked, _ = respond(state, "1", dt.date(2026, 12, 1))
    assert picked[0].intent == decision.close[0]


def test_a_comparison_followed_by_asking_each_figure_answers_both_sides():
    import datetime as dt

    from bot.service import ask

    answer = ask("固定等待期和变动等待期咋个区分？分别是好久？", dt.date(2026, 12, 1))["answer"]
    assert "3个月" in answer and "每多断保1年再加1个月" in answer
