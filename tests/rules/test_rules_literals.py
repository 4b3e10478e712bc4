"""Policy values live in rules/parameters/*.yaml: the engine's code types none of them again.

A month count, a day count, a percentage, an age, an amount, a year or a collection month
written inside a string or as a number in rules/*.py would leave a sentence or a figure wrong
when a parameter changes. Docstrings may quote the articles (they are the law beside the code).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import rules

RULES = Path(rules.__file__).parent
POLICY_WORDS = re.compile(r"[1-9]\d*\s*(?:个月|天|%|周岁|万元|元)|(?<![A-Za-z_])20\d\d|(?<![\d至])(?:[2-9]|1[01])月")
DOCUMENT = re.compile(r"〔20\d\d〕\d+号")  # a document's number names it, it is no value


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def compared(tree: ast.AST) -> set[int]:
    """The numbers a condition compares with (`month >= 9`, `days < 730`), other than 0 and 1."""
    return {
        id(n)
        for c in ast.walk(tree)
        if isinstance(c, ast.Compare)
        for n in (c.left, *c.comparators)
        if isinstance(n, ast.Constant) and type(n.value) is int and n.value not in (0, 1)
    }


def literals():
    for path in sorted(RULES.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        skip, numbers = docstrings(tree), compared(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or id(node) in skip:
                continue
            where = f"{path.relative_to(RULES.parent)}:{node.lineno}"
            if isinstance(node.value, str) and POLICY_WORDS.search(DOCUMENT.sub("", node.value)):
                yield where, node.value
            if type(node.value) is int and (id(node) in numbers or 2000 <= node.value < 2100):
                yield where, node.value


def test_rules_code_writes_no_policy_value_as_a_literal():
    assert list(literals()) == []
