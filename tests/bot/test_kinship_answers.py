"""The personal account for family: a question naming a relative is answered for that relative
first (004 二.1: the account pays for 近亲属 only), never with the entry's yes before a no."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import service

TODAY = dt.date(2025, 10, 1)


def answer(question: str) -> dict:
    return service.ask(question, TODAY)


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("职工医保个人账户的钱能给我外孙女买药吗", "可以。外孙女属于近亲属（外孙子女）。"),
        ("用职工医保个人账户给我奶奶交居民医保可以吗", "可以。奶奶属于近亲属（祖父母）。"),
        ("我老汉儿能用我个人账户买药不", "可以。老汉儿属于近亲属（父母）。"),
    ],
)
def test_a_near_relative_is_told_yes(question: str, opening: str) -> None:
    reply = answer(question)
    assert reply["intent"] in {"account_sharing_relatives", "account_pays_relatives_premium"}
    assert reply["answer"].startswith(opening)
    assert "不可以" not in reply["answer"]


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("职工医保个人账户能给我丈母娘看病用吗", "不可以。丈母娘（妻子的母亲）不在近亲属范围内。"),
        ("个人账户里的钱能帮我嫂子交居民医保吗", "不可以。嫂子（哥哥的妻子）不在近亲属范围内。"),
        ("个人账户能给我老婆的哥哥用吗", "不可以。老婆的哥哥（妻子的哥哥）不在近亲属范围内。"),
        ("我的个人账户可以给表哥用吗", "不可以。表哥（父母的兄弟姐妹的儿子）不在近亲属范围内。"),
        ("个人账户能给我朋友用吗", "不可以。朋友不在近亲属范围内。"),
    ],
)
def test_anyone_else_is_told_no_and_no_yes_follows_first(question: str, opening: str) -> None:
    reply = answer(question)
    text = reply["answer"]
    assert text.startswith(opening)
    # the entry's canned yes is gone; its explanation (the eight near relatives) and excerpt stay
    assert not text[len(opening) :].startswith("可以")
    assert "外孙子女" in text
    assert any("近亲属" in s["excerpt"] for s in reply["sources"])


@pytest.mark.parametrize(
    ("question", "who"), [("个人账户能不能给后妈看病", "后妈"), ("职工医保个人账户能给养子买药吗", "养子")]
)
def test_step_and_adoptive_relations_are_left_to_the_hotline(question: str, who: str) -> None:
    text = answer(question)["answer"]
    assert text.startswith(f"{who}是否算近亲属，文件没有写明，请拨打医保服务热线 12393 确认。")
    assert not text.startswith("可以") and not text.startswith("不可以")


def test_two_relatives_each_get_their_answer_the_no_first() -> None:
    text = answer("我的个人账户能给我老汉儿和大姨子用不")["answer"]
    assert text.startswith("大姨子（妻子的姐姐）不在近亲属范围内，不可以；老汉儿属于近亲属（父母），可以。")


def test_a_word_with_two_readings_says_both_the_no_first() -> None:
    text = answer("职工医保个人账户能给婆婆用吗")["answer"]
    assert text.startswith(
        "婆婆要看指的是谁：指丈夫的母亲时不在近亲属范围内，不可以；指父亲的母亲时属于近亲属（祖父母），可以。"
    )


def test_a_question_naming_no_relative_keeps_the_entry_answer() -> None:
    reply = answer("职工医保个人账户可以给哪些亲属用")
    assert reply["intent"] == "account_sharing_relatives"
    assert reply["answer"].startswith("职工医保个人账户可以给已参加基本医保的近亲属使用。")


def test_a_relative_asking_about_the_account_in_everyday_words_gets_the_answer_for_that_relative():
    import datetime as dt

    from bot.service import ask

    answer = ask("我大姨子能不能用我医保卡里的钱拿药", dt.date(2026, 12, 1))["answer"]
    assert answer.startswith("不可以。")
