"""The shared text pipeline: one vocabulary whatever the script, dialect or typo."""

import pytest

from intents.text import compact, normalise, tokens


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("連續參保有什麼獎勵", "连续参保有什么激励"),
        ("断了两年咋个办", "断保了2年怎么办"),
        ("零报消激励", "零报销激励"),
        ("一年都没得报销过", "1年都零报销"),  # dialect 没得 first, then 没有报销过 = 零报销
        ("等代期多久", "等待期多久"),
        ("大并保险封顶线", "大病保险最高支付限额"),
        ("娃儿两岁才参保有没得等待期", "小孩两岁才参保有没有等待期"),
        ("断缴一年", "断保1年"),
        ("补交两年", "补缴2年"),
        ("要等好久", "要等多久"),
        ("ｌｉｓｔ２０２５年", "list2025年"),
        # a span of years or months in numerals is its digit; a year or 第/每 is left alone
        ("断缴四年再交", "断保4年再交"),
        ("要等三个月", "要等3个月"),
        ("二〇二五年参保", "二〇二五年参保"),
        ("二五年没交", "二五年没交"),
        ("第三年开始", "第三年开始"),
        ("每两年一次", "每两年一次"),
    ],
)
def test_normalise_maps_variants_to_one_vocabulary(typed, canonical):
    assert normalise(typed) == canonical


def test_a_canonical_word_is_never_rewritten_by_a_shorter_variant_inside_it():
    assert normalise("大病保险") == "大病保险"


def test_tokens_keep_domain_words_whole_and_drop_filler():
    words = tokens("请问一下零报销激励是什么呢？")
    assert "零报销激励" in words or "零报销" in words
    assert "请问" not in words and "呢" not in words


def test_compact_drops_punctuation_and_surrounding_filler():
    assert compact("你好，请问集中参保期是什么时候呀？") == "集中参保期是什么时候"
    assert compact("没有没有") == "没有"


@pytest.mark.parametrize("text", ["", "   ", "😀", "a" * 5000, "\x00\x01"])
def test_bad_input_never_raises(text):
    normalise(text)
    tokens(text)
    compact(text)


@pytest.mark.parametrize(
    "typed, read", [("二五二六两年没交", "25、26两年没交"), ("二五二六二七年都交了", "25、26、27年都交了")]
)
def test_a_run_of_years_said_by_two_numerals_each_reads_as_a_list(typed, read):
    assert normalise(typed).startswith(read)


@pytest.mark.parametrize("typed", ["二〇二五年", "二十年", "断保二三年", "一二年"])
def test_full_years_tens_and_rough_spans_are_not_read_as_short_years(typed):
    assert "、" not in normalise(typed) and "2" + "5" not in normalise(typed).replace("二〇二五", "")


def test_an_agent_s_label_is_no_part_of_the_question():
    assert normalise("来电：新生儿何时可以参保") == normalise("新生儿什么时候可以参保")
    assert normalise("咨询: 断保后能否补缴") == normalise("断保后能不能补缴")


def test_the_written_register_reads_as_everyday_speech_but_未来_stays():
    assert normalise("大学生有无等待期") == normalise("大学生有没有等待期")
    assert normalise("2025年未参保") == normalise("2025年没参保")
    assert "未来" in normalise("未来政策会变吗")


def test_a_general_word_that_swallows_a_verb_of_the_subject_is_not_a_token():
    from intents.text import tokens

    assert "上交" not in tokens("保费能不能在手机上交") and "交" in tokens("保费能不能在手机上交")
    assert "外交" not in tokens("大病保险要另外交钱吗") and "另外" in tokens("大病保险要另外交钱吗")
