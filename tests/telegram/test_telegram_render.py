"""How a Reply looks on Telegram: escaping, splitting at 4,096 characters, buttons."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import InlineKeyboardMarkup

from bot.bench.telegram_fake import parse_html
from bot.models import Option, Reply, Source
from bot.telegram.render import (
    CALLBACK_LIMIT,
    MESSAGE_LIMIT,
    decode,
    keyboard,
    render_html,
    selection_message,
    split_text,
    state_version,
    ticked,
    toggle,
    visible_length,
)


def seen(html: str) -> str:
    """The text a person sees once Telegram has parsed the HTML."""
    return parse_html(html)[0]


def test_angle_brackets_and_ampersands_reach_the_person_as_typed():
    reply = Reply(text='封顶线 <b>24万</b> & 以上 "引号"')
    (html,) = render_html(reply)
    assert "<b>" not in html
    assert seen(html) == '封顶线 <b>24万</b> & 以上 "引号"'


def test_excerpt_is_quoted_with_its_document_and_article():
    reply = Reply(
        text="等待期为3个月。",
        sources=[Source(document="渝医保发〔2025〕37号", article="第五条", excerpt="设置参保等待期<3个月>")],
    )
    (html,) = render_html(reply)
    assert "<blockquote>设置参保等待期&lt;3个月&gt;</blockquote>" in html
    assert seen(html) == "等待期为3个月。\n设置参保等待期<3个月>\n——渝医保发〔2025〕37号，第五条"


def test_a_personal_result_keeps_its_excerpts_for_its_依据_button():
    reply = Reply(
        text="2026年您的大病保险最高支付限额是204,000元。",
        details="依据：\n· 2025年零报销",
        sources=[Source(document="渝医保发〔2025〕42号", article="三", excerpt="次年提高大病保险最高支付限额4000元")],
    )
    (html,) = render_html(reply)
    assert "blockquote" not in html and seen(html) == "2026年您的大病保险最高支付限额是204,000元。"


def test_long_reply_is_split_between_sentences_within_the_limit():
    sentence = "连续参保满4年后，每多参保1年，大病保险最高支付限额提高1000元。"
    text = sentence * 300
    pieces = split_text(text)
    assert len(pieces) > 1
    assert "".join(pieces) == text
    assert all(visible_length(p) <= MESSAGE_LIMIT for p in pieces)
    assert all(p.endswith("。") for p in pieces)


def test_one_sentence_longer_than_a_message_is_cut_without_losing_characters():
    text = "字" * 9000
    pieces = split_text(text)
    assert [len(p) for p in pieces] == [4096, 4096, 808]


def test_emoji_count_twice_as_telegram_counts_them():
    assert visible_length("😀a") == 3
    pieces = split_text("😀" * 3000)
    assert all(visible_length(p) <= MESSAGE_LIMIT for p in pieces)
    assert "".join(pieces) == "😀" * 3000


def test_a_long_reply_with_sources_fits_every_message():
    reply = Reply(text="说明。" * 2000, sources=[Source(document="文件", article="第一条", excerpt="原文<" * 900)])
    pieces = render_html(reply)
    assert len(pieces) >= 2
    assert all(visible_length(seen(p)) <= MESSAGE_LIMIT for p in pieces)
    assert "".join(seen(p) for p in pieces).count("原文<") == 900


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=9000))
def test_any_text_renders_to_valid_html_within_the_limit(text):
    for piece in render_html(Reply(text=text)):
        assert visible_length(seen(piece)) <= MESSAGE_LIMIT


def test_short_options_share_a_row_and_long_ones_stand_alone():
    reply = Reply(
        text="您是想问：",
        options=[
            Option(label="是", value="yes"),
            Option(label="否", value="no"),
            Option(label="断缴以后等待期怎么算？", value="pick:waiting"),
            Option(label="大病保险封顶线怎么算？", value="pick:cap"),
        ],
    )
    rows = keyboard(reply, "abcd").inline_keyboard
    assert [[b.text for b in row] for row in rows] == [
        ["是", "否"],
        ["断缴以后等待期怎么算？"],
        ["大病保险封顶线怎么算？"],
    ]
    assert rows[0][0].callback_data == "abcd:yes"


def test_callback_data_stays_within_64_bytes_even_for_a_long_value():
    reply = Reply(text="?", options=[Option(label="很长", value="x" * 63)])
    ((button,),) = keyboard(reply, "abcd").inline_keyboard
    assert len(button.callback_data.encode()) <= CALLBACK_LIMIT
    assert decode(button.callback_data).value == "很长"


def test_no_options_no_keyboard():
    assert keyboard(Reply(text="好的"), "abcd") is None


def _years_reply() -> Reply:
    return Reply(
        text="哪几年交了？",
        multi_select=True,
        options=[
            Option(label="2024年", value="year:2024"),
            Option(label="2025年", value="year:2025"),
            Option(label="2026年", value="year:2026"),
            Option(label="都交了", value="years:all"),
            Option(label="都没交", value="years:none"),
        ],
    )


def test_year_toggles_tick_and_untick_in_the_keyboard():
    markup = keyboard(_years_reply(), "abcd")
    assert [[b.text for b in row] for row in markup.inline_keyboard] == [
        ["2024年", "2025年", "2026年"],
        ["都交了", "都没交"],
        ["确认"],
    ]
    markup = toggle(markup, "abcd-year:2025")
    markup = toggle(markup, "abcd-year:2024")
    assert [b.text for b in markup.inline_keyboard[0]] == ["✅ 2024年", "✅ 2025年", "2026年"]
    assert ticked(markup) == ["year:2024", "year:2025"]
    markup = toggle(markup, "abcd+year:2024")
    assert [b.text for b in markup.inline_keyboard[0]] == ["2024年", "✅ 2025年", "2026年"]
    assert ticked(InlineKeyboardMarkup.de_json(markup.to_dict(), None)) == ["year:2025"]


def test_confirmed_selection_is_the_message_the_manager_reads():
    assert selection_message(["year:2025", "year:2026"]) == "years:2025,2026"
    assert selection_message([]) == "years:none"


def test_state_version_changes_with_the_state_and_is_fixed_for_no_state():
    assert state_version(None) == "0000"
    assert state_version('{"turns": 1}') != state_version('{"turns": 2}')
    assert len(state_version('{"turns": 1}')) == 4
