"""The one-way import rule of the house (docs/HOUSE.md), read from the source with ast.

- rules imports nothing of ours;
- intents imports neither faq nor bot;
- faq does not import bot;
- a face (bot/cli, bot/telegram, bot/http) imports no other face. bot/bench is no face and may
  import anything; the command line starts the other faces through their entry modules.

Every import counts, also one inside a function and importlib.import_module("...").
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rules", "intents", "faq", "bot")
FACES = ("bot.cli", "bot.telegram", "bot.http")

FORBIDDEN = {          # importer prefix -> the prefixes it must not import
    "rules": ("intents", "faq", "bot"),
    "intents": ("faq", "bot"),
    "faq": ("bot",),
}

LAUNCHERS = {          # `yibao serve` and `yibao telegram` start a face: its entry modules only
    "bot.cli.serve": ("bot.http.server",),
    "bot.cli.telegram": ("bot.telegram.face", "bot.telegram.config", "bot.telegram.webhook"),
}



def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> dict[str, Path]:
    return {module_of(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ours that `module` imports, resolved to their full dotted names."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
                arg = arg.values[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value.rstrip("."))
    return {m for m in found if m.split(".")[0] in PACKAGES}


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def face_of(module: str) -> str | None:
    return next((f for f in FACES if within(module, f)), None)


def breaches() -> list[tuple[str, str]]:
    found = []
    modules = sources()
    for module, path in modules.items():
        for target in sorted(imports(module, path, set(modules))):
            top = module.split(".")[0]
            if any(within(target, banned) for banned in FORBIDDEN.get(top, ())):
                found.append((module, target))
            face, other = face_of(module), face_of(target)
            if face and other and other != face and not any(
                    within(target, entry) for entry in LAUNCHERS.get(module, ())):
                found.append((module, target))
    return found


def test_the_packages_are_where_the_rule_expects_them():
    modules = sources()
    assert {"rules", "intents", "faq", "bot", "bot.cli", "bot.telegram", "bot.http", "bot.bench"} <= set(modules)


def test_imports_run_one_way():
    assert breaches() == []


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("rules.cap", "from bot.models import Reply\n", [("rules.cap", "bot.models")]),
    ("intents.slots", "def f():\n    import faq\n", [("intents.slots", "faq")]),
    ("faq.search", "from bot import errors\n", [("faq.search", "bot.errors")]),
    ("bot.telegram.face", "from ..http import app\n", [("bot.telegram.face", "bot.http.app")]),
    ("bot.http.app", "import importlib\nimportlib.import_module('bot.telegram.render')\n",
     [("bot.http.app", "bot.telegram.render")]),
    ("bot.bench.dialogue", "from bot.telegram import render\nfrom bot.cli import ask\n", []),
    ("bot.cli.serve", "from bot.http.server import run\n", []),
    ("intents.slots", "from rules import policy\n", []),
])
def test_a_wrong_import_is_caught(tmp_path, monkeypatch, module, source, expected):
    """The checker itself: a module written to a copy of the tree breaks the rule or keeps it."""
    root = tmp_path / "tree"
    path = root / Path(*module.split(".")).with_suffix(".py")
    for pkg in PACKAGES:
        (root / pkg).mkdir(parents=True, exist_ok=True)
        (root / pkg / "__init__.py").write_text("")
    for face in (*FACES, "bot.bench"):
        (root / Path(*face.split("."))).mkdir(parents=True, exist_ok=True)
        (root / Path(*face.split(".")) / "__init__.py").write_text("")
    for name in ("bot/models.py", "bot/errors.py", "bot/http/app.py", "bot/telegram/render.py"):
        (root / name).write_text("")
    path.write_text(source)
    monkeypatch.setitem(globals(), "ROOT", root)
    assert breaches() == expected
