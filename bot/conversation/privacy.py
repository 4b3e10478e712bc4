"""What a person should not need to tell yibao: ID-card numbers, phone numbers and names.

The dialogue manager keeps no message text at all (the state holds structured facts only), so
nothing typed can reach a store or a log. This module finds such data in a message so that the
bot can say it does not need it, and blanks it before the text is matched against intents.
ID-card numbers (18 or 15 digits, whole or in groups) and phone numbers are found by
intents.slots (the one place that reads digits); a name only where it is said to be one:
"我叫张三", "姓名：李四", "我是王五" (a common surname and one or two more characters, ending
the sentence: "我是学生", "我是2025年参保的" are not names).
"""

from __future__ import annotations

import re

from intents.slots import find_pii, pii_spans

NOTICE = "提醒：我不需要您的身份证号、手机号或姓名，也不会保存它们。只要告诉我哪几年参保、有没有报销这类情况就够了。"

_NAME = re.compile(
    r"(?:我叫|我的名字(?:是|叫)|本人姓名|姓名(?:是|叫|[:：])?|名字(?:是|叫)[:：]?)\s*"
    r"[\u4e00-\u9fff·]{2,4}"
)
# the most common surnames (about 85% of people); "我是" + one of them + a given name
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田萧潘袁蔡蒋余于杜叶程魏"
    "苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵"
    "万覃武钱戴严莫孔向常汤康易乔赖文"
)
# a word after 我是 that names a role, not a person (学生, 农民, 居民, 家长 ...)
_ROLE_END = "生民员户人工者长属师妈爸儿女子家主"
_I_AM = re.compile(rf"我是\s*([{_SURNAMES}][\u4e00-\u9fff]{{1,2}})(?=$|[\s，,。.！!？?；;、])")


def _i_am_name(text: str) -> bool:
    return any(m.group(1)[-1] not in _ROLE_END for m in _I_AM.finditer(text))


def has_name(text: str) -> bool:
    """ "我叫张三", "姓名：李四", "我是王五" ... (a name said as such; a bare name cannot be told from words)."""
    text = text or ""
    return bool(_NAME.search(text)) or _i_am_name(text)


def personal(text: str) -> list[str]:
    """The kinds of personal data in the text: "id_card", "phone", "name" (values never kept)."""
    _clean, kinds = find_pii(text or "")
    return kinds + (["name"] if has_name(text) else [])


def blank(text: str) -> str:
    """The message with ID-card numbers, phone numbers and stated names replaced by spaces."""
    text, _kinds = find_pii(text or "")
    text = _I_AM.sub(lambda m: "我是 " if m.group(1)[-1] not in _ROLE_END else m.group(0), text)
    return _NAME.sub(" ", text)


def mask(text: str) -> str:
    """The message with every character of personal data replaced by "＊": the same length in
    UTF-16 code units, so that Telegram's entity offsets still point at the same places."""
    spans = []
    for pattern in (_NAME, _I_AM):
        spans += [m.span() for m in pattern.finditer(text)]
    spans += pii_spans(text)
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if not chars[i].isspace():
                chars[i] = "＊" if len(chars[i].encode("utf-16-le")) == 2 else "＊＊"
    return "".join(chars)
