"""Policy facts are read from rules (rules.policy and the parameters), never typed again in bot/ or intents/.

A first year, a rate, an amount, a waiting period, a window or the September rule written as a
literal in the product's code stays wrong when a parameter changes, and two names for one group
let one answer name a member two ways. The check reads the code with ast: docstrings and comments
may quote the articles, only constants the code runs with count.

Exceptions, each named here and nowhere else:
- bot/bench/: the member generator and the fake servers build histories and messages on purpose
  (a bench states the world it tests against; it is no part of the product's answers);
- strings that quote a document by its number ("渝医保发〔2025〕37号"): the number names a document;
- a year inside a sentence is an example or a date ("比如“我2025年和2026年都交了”", "2025-2026,2028"),
  not the first year: strings count only where they word a policy fact ("2025年以前", "早于2025年",
  "20%", "6个月", "90天", "4000元", a group's name);
- a number that is no policy value though it equals one, in ALLOWED with its file: the scoring
  weights of the matcher (0.2), the HTTP server's connection limit (4000) and the HTTP status 400.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import bot
import intents
from rules import policy
from tests.rules.test_rules_literals import compared, docstrings

ROOT = Path(bot.__file__).parent.parent
CODE = [Path(bot.__file__).parent, Path(intents.__file__).parent]
SKIPPED = [Path(bot.__file__).parent / "bench"]
DOCUMENT = re.compile(r"〔20\d\d〕\d+号")
FIRST = policy.first_year()
TIER_AMOUNTS = {
    yuan for year in policy.contribution_years() for yuan in (policy.contribution_tiers(year) or {}).values()
}
NUMBERS = {FIRST, policy.LAST_YEAR, 4000, 200000, 730} | TIER_AMOUNTS
FRACTIONS = {0.2}
COMPARED = {9, 90, 730}  # the September rule and the newborn window, as conditions
GROUP_NAMES = {g.label for g in policy.Group if g is not policy.Group.newborn} | {
    "低保等困难人员",
    "在押人员",
    "普通居民",
    "在校大学生",
}  # labels and the names they replaced
WORDS = re.compile(
    rf"(?<!\d){FIRST}年(?:以前|以来|及以后|之前|起)|早于{FIRST}|(?<![\d.])20\s*%|(?<!\d)[36]个月"
    r"|(?<!\d)(?:90|730)天|(?<!\d)4,?000元|20(?:万|0,?000)元"
    + "".join(rf"|(?<!\d){yuan}元" for yuan in sorted(TIER_AMOUNTS))
    + "|"
    + "|".join(sorted(GROUP_NAMES))
)
# (file, literal): numbers that equal a policy value and mean something else
ALLOWED = {
    ("bot/conversation/reading.py", 0.2),  # LIKELY_TASK, a matching score
    ("intents/match.py", 0.2),  # FOREIGN and the weights of negative words, matching scores
    ("bot/http/settings.py", 4000),  # limit_concurrency, open connections
    ("bot/http/app.py", 400),  # the HTTP status Bad Request, not the first tier's contribution
    ("bot/http/guard.py", 400),
    ("bot/telegram/webhook.py", 400),
}


def literals(folders: list[Path]):
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if any(path.is_relative_to(s) for s in SKIPPED):
                continue
            tree = ast.parse(path.read_text("utf-8"))
            skip, conditions = docstrings(tree), compared(tree)
            where = (path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).as_posix()
            for node in ast.walk(tree):
                if not isinstance(node, ast.Constant) or id(node) in skip:
                    continue
                value = node.value
                if isinstance(value, str):
                    text = DOCUMENT.sub("", value)
                    if WORDS.search(text):
                        yield f"{where}:{node.lineno}", value
                elif (where, value) in ALLOWED:
                    continue
                elif type(value) is int and (value in NUMBERS or (value in COMPARED and id(node) in conditions)):
                    yield f"{where}:{node.lineno}", value
                elif type(value) is float and value in FRACTIONS:
                    yield f"{where}:{node.lineno}", value


def test_bot_and_intents_write_no_policy_value_as_a_literal():
    assert list(literals(CODE)) == []


def test_the_check_finds_a_policy_value_typed_again(tmp_path):
    (tmp_path / "typed.py").write_text(
        '"""2025年以前 in a docstring is fine."""\n'
        "FIRST = 2025\n"
        "def paid_for(y, m):\n"
        "    return y + 1 if m >= 9 else y  # from September: 9\n"
        'NAME = "在押人员"\n'
        "RATE = 0.2\n"
        'TEXT = "不少于6个月"\n'
        "TIER = 775\n"
        'SAID = "一档400元"\n',
        "utf-8",
    )
    found = [value for _, value in literals([tmp_path])]
    assert sorted(map(str, found)) == sorted(map(str, [FIRST, 9, "在押人员", 0.2, "不少于6个月", 775, "一档400元"]))
