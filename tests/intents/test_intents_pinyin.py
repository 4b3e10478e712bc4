"""Phrases typed in toneless pinyin are read as the words they spell; English is left alone."""

import subprocess
import sys

import pytest

from bot.conversation.router import understand
from intents.text import normalise, read_spelling


@pytest.mark.parametrize(
    "typed, chinese",
    [
        ("jiaofei biaozhun shi duoshao", "缴费标准是多少"),
        ("daxuesheng zai nali canbao", "大学生在哪里参保"),
        ("duanbao le neng bu neng bujiao", "断保了能不能补缴"),
        ("qifuxian shi duoshao", "起付线是多少"),
        ("geren zhanghu de qian zenme yong", "个人账户的钱怎么用"),
        ("jizhong canbaoqi shi shenme shihou", "集中参保期是什么时候"),
        ("JiZhong CanBaoQi shi shenme shihou", "集中参保期是什么时候"),  # capitals as a phone types them
        ("ji'zhong'can'bao'qi shi shen'me shi'hou", "集中参保期是什么时候"),  # syllables apart
    ],
)
def test_a_question_typed_in_pinyin_reads_as_the_chinese_and_gets_its_intent(typed, chinese):
    assert normalise(typed) == normalise(chinese)
    expected = understand(chinese)
    assert expected.kind == "match" and expected.intent
    got = understand(typed)
    assert (got.kind, got.intent) == (expected.kind, expected.intent)


@pytest.mark.parametrize(
    "typed, read",
    [
        ("wo de haizi zenme canbao", "我的小孩怎么参保"),  # 孩子 is a variant: the synonym table maps it
        ("yibao jiaofei 要交多少", "医保缴费 要交多少"),  # pinyin beside characters
        ("我想问 lian xu can bao 的事", "我想问 连续参保 的事"),
        ("xinshenger", "新生儿"),  # er is a syllable of its own
        ("zhongguo canbao", "zhongguo 参保"),  # syllables of no known word stay as typed
    ],
)
def test_pinyin_runs_are_read_word_by_word_longest_first(typed, read):
    assert normalise(typed) == read


@pytest.mark.parametrize(
    "text",
    [
        "hello world",
        "ok",
        "app",
        "id",
        "weather in chongqing",
        "can you help me",
        "i love you",
        "thank you",
        "china",
        "women",
        "banana",
        "change",
        "email",
        "wifi",
        "iphone",
        "man",
        "jiao",
        "xi'an",  # one syllable (or one place name cut by its apostrophe)
        "a man",
        "you can",  # pinyin syllables, but no word of two syllables in them
        "nihao",
        "lingbao",  # pinyin of no word we know
    ],
)
def test_english_and_other_letters_are_left_as_typed(text):
    assert read_spelling(text) == text
    assert normalise(text.upper()) == text


@pytest.mark.parametrize("question", ["what is the weather in Chongqing", "How much do I pay", "Where is the app"])
def test_an_english_question_is_still_refused(question):
    assert understand(question).kind == "out_of_scope"


def test_a_message_without_latin_letters_never_builds_the_pinyin_reader():
    code = (
        "import sys; from intents.text import normalise, pinyin_reader; "
        "normalise('断保一年等多久'); print(pinyin_reader.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0"]


def test_the_contribution_tiers_typed_in_pinyin_are_read():
    from intents.text import normalise

    assert normalise("erdang yinian duoshao").startswith("二档")
