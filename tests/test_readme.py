"""The README's examples run as written, and CI runs the README's own test command."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = [
    line.strip()[2:]
    for line in README.splitlines()
    if line.strip().startswith("$ yibao") or line.strip().startswith("$ printf")
]
YIBAO = " ".join(shlex.quote(part) for part in (sys.executable, "-m", "bot"))


def test_the_readme_has_examples_of_every_command_a_person_starts_with():
    assert {re.search(r"yibao (--version|\w+)", line).group(1) for line in EXAMPLES} >= {
        "--version",
        "ask",
        "faq",
        "calc",
        "chat",
    }


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_readme_example_runs_and_answers(example, tmp_path):
    command = re.sub(r"(?<![\w-])yibao(?= )", YIBAO, example)
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path), YIBAO_STORE="")
    p = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() and "Traceback" not in p.stderr


def test_the_two_commands_make_their_own_virtual_environment_and_ci_runs_the_second():
    blocks = re.findall(r"^    (python3 .+)$", README, flags=re.M)
    start, tests = blocks[:2]
    assert start.startswith("python3 -m venv .venv && .venv/bin/pip install . && ")
    assert tests == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'" in ci
    assert ".venv/bin/python -m pytest" in ci
