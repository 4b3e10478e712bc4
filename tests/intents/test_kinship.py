"""The kinship table (intents/data/kinship.yaml) and relations(): who a question names."""

from __future__ import annotations

import pytest

from intents.kinship import category, kinship, relations


def test_every_group_states_what_its_path_is() -> None:
    """Each group's stated 近亲属 category is the one its path gives by rule (004 二.1's eight)."""
    for group in kinship().relations:
        if group.near == "undecided":
            continue
        expected = category(group.path) or "no"
        assert expected == group.near, (group.words, group.path)


def test_the_eight_are_the_seeds_list() -> None:
    assert "、".join(kinship().near) == "配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女"


@pytest.mark.parametrize(
    ("text", "said", "verdict", "plain"),
    [
        ("給我兒子買藥", "儿子", "near", "儿子"),
        ("我妈的妈妈住院了", "妈的妈妈", "near", "母亲的母亲"),
        ("孙女儿", "孙女儿", "near", "儿子的女儿"),
        ("我家小舅子", "小舅子", "not_near", "妻子的弟弟"),
        ("侄女儿读书", "侄女儿", "not_near", "兄弟的女儿"),
        ("老公的妹妹", "老公的妹妹", "not_near", "丈夫的妹妹"),
        ("后爸", "后爸", "undecided", "父亲"),
        ("弟妹", "弟妹", "depends", "弟弟"),
    ],
)
def test_relations_read_through_the_pipeline(text: str, said: str, verdict: str, plain: str) -> None:
    (found,) = relations(text)
    assert (found.said, found.verdict, found.readings[0].plain) == (said, verdict, plain)


def test_a_grandparent_of_unstated_side_is_near_either_way() -> None:
    (found,) = relations("父母的父母")
    assert found.verdict == "near" and found.readings[0].near == "祖父母或外祖父母"


def test_no_relative_no_relation() -> None:
    assert relations("个人账户可以给哪些人用") == []
