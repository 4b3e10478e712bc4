"""Typo repair by sound and shape, and the dialect lexicon: both read before tokenising."""

import pytest

from intents.sounds import syllable_key
from intents.text import dialect_forms, normalise, read_dialect, read_spelling, repair_slips


@pytest.mark.parametrize(
    "typed, term",
    [
        ("缴废", "缴费"),
        ("断报", "断保"),
        ("激厉", "激励"),
        ("封鼎线", "封顶线"),
        ("零包销", "零报销"),
        ("等侍期", "等待期"),
        ("门诊共计", "门诊共济"),
        ("出生医学正明", "出生医学证明"),
    ],
)
def test_a_slip_of_a_domain_term_by_sound_or_shape_is_read_as_the_term(typed, term):
    assert repair_slips(f"请问{typed}的事") == f"请问{term}的事"


@pytest.mark.parametrize(
    "text",
    [
        "报效国家",
        "包销商品",
        "他是个大兵",
        "我不交会怎样",
        "已报销了",
        "在街上",
        "交了",
        "医疗费",
    ],
)
def test_real_words_and_function_characters_are_never_corrected(text):
    assert repair_slips(text) == text


def test_the_usual_reading_of_the_typed_character_decides_its_sound():
    # 缴 can be read zhuo (作废), but people type it as jiao: 缴废 is 缴费
    assert normalise("缴废多少") == "缴费多少"


@pytest.mark.parametrize("a, b", [("zhī", "zi"), ("nián", "lian"), ("shēng", "sen"), ("hú", "fu")])
def test_sounds_merged_in_chongqing_speech_share_a_key(a, b):
    assert syllable_key(a) == syllable_key(b)


def test_every_dialect_entry_reads_its_own_example_as_standard_mandarin():
    for form in dialect_forms():
        assert form.form in form.example, form
        read = read_dialect(form.example)
        if form.standard in read:
            continue
        # a form with a context may give way to its other reading in another entry's example
        assert form.before or form.not_before or form.not_after or form.after, form


@pytest.mark.parametrize(
    "typed, standard",
    [
        ("娃儿好久能报", "小孩什么时候能报"),
        ("断了一年要等好久", "断保了1年要等多久"),
        ("要交满好多年", "要交满多少年"),
        ("交了好多年了", "交了好多年了"),  # 好多 after 了 is "many", not "how many"
        ("好久没交了", "很久没交了"),
        ("屋头老汉交了农村合作医疗", "家里父亲交了居民医保"),
        ("住院报得到不", "住院能不能报销"),
        ("缴费从好久到好久", "缴费从什么时候到什么时候"),
        ("断了两年补得到不", "断保了2年能不能补缴"),
        ("明年不打算交了", "明年断保了"),
    ],
)
def test_dialect_forms_are_read_in_their_context(typed, standard):
    assert normalise(typed) == standard


@pytest.mark.parametrize("text", ["住院按什么比例报", "重庆市外的户籍", "之后每连续参保一年", "医保线上服务有哪些"])
def test_a_rare_reading_a_distributive_or_a_word_next_to_a_term_is_not_a_slip(text):
    # 干 can be read àn but is typed as gan; 每 is not 没; 医保线上 is 医保 + 线上
    assert repair_slips(text) == text


@pytest.mark.parametrize(
    "typed, term",
    [("lingbaoxiao", "零报销"), ("dengdaiqi", "等待期"), ("fengdingxian", "封顶线"), ("lianxucanbao", "连续参保")],
)
def test_a_domain_term_typed_as_toneless_pinyin_is_read_as_the_term(typed, term):
    assert read_spelling(f"{typed}是什么") == f"{term}是什么"
    assert normalise(f"我想问问{typed.upper()}怎么算") == normalise(f"我想问问{term}怎么算")


def test_a_run_of_spelled_terms_is_read_term_by_term():
    assert read_spelling("lianxucanbaojili") == "连续参保激励"


@pytest.mark.parametrize(
    "text",
    [
        "hello world",
        "insurance",
        "qwertyuiop",
        "asdfgh",
        "xyzzy",
        "please help",
        "zhongguo",
        "lingbao",
        "yb 是什么",
        "ok",
    ],
)
def test_english_words_random_letters_and_other_pinyin_are_left_as_typed(text):
    assert read_spelling(text) == text


def test_a_long_term_mistyped_in_several_characters_that_all_sound_alike_is_read_as_it():
    assert normalise("练续参宝鸡励有好多").startswith("连续参保激励")
    assert normalise("零包消激历") == "零报销激励"


def test_a_function_character_among_the_slips_keeps_the_span_as_typed():
    assert "另报销" in normalise("基金另报销")  # 另 is no slip of 零
