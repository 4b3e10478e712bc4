"""What the fuzz tests feed in: any text (lone surrogates and control characters included),
text mixed from the domain's own words and numbers, and raw bytes for standard input."""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = [
    "2025年",
    "2026年",
    "断保",
    "没交",
    "交了",
    "对",
    "不对",
    "补缴了1年",
    "封顶线多少",
    "要等多久",
    "新生儿",
    "大学生",
    "零报销",
    "低保",
    "职工医保",
    "year:2025",
    "years:2025,2026",
    "years:none",
    "1月10号",
    "我叫",
    "我是王五",
    "身份证",
    "500101 19900101 1234",
    "13812345678",
    "😀",
    "\u200b",
    "\x00",
    "\ud800",
    "？",
    "忘记我",
    "重新开始",
    "/start",
    "@yibao_test_bot",
    "《",
    "〔2025〕37号",
    "十二月",
    "一九九〇年",
    "-",
    "  ",
]

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=120)
domain_text = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), min_size=1, max_size=10).map("".join)
messages = any_text | domain_text
lines = st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" "))
