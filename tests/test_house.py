"""The one-way import rule of the house (docs/HOUSE.md), read from the source with ast.

- rules imports nothing of ours;
- intents imports neither faq nor bot;
- faq does not import bot;
- a face (bot/cli, bot/telegram, bot/http) imports its own folder, the service layer (bot.service)
  and the face-neutral modules of SHARED only: no other face, not the conversation, the answers,
  rules, intents or faq. The command line starts the other faces through their entry modules
  (LAUNCHERS); `yibao bench` and `yibao eval` reach bot/bench (BENCH_COMMANDS), which is no face
  and may import anything;
- the service layer and the shared modules import no face.

Every import counts, also one inside a function and importlib.import_module("...").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rules", "intents", "faq", "bot")
FACES = ("bot.cli", "bot.telegram", "bot.http")

FORBIDDEN = {  # importer prefix -> the prefixes it must not import
    "rules": ("intents", "faq", "bot"),
    "intents": ("faq", "bot"),
    "faq": ("bot",),
}

SERVICE = "bot.service"
SHARED = (  # what every face receives or shares, and knows nothing of any face
    "bot.models",  # Reply, Option, Source
    "bot.errors",  # InputError: one line and exit code 2
    "bot.buttons",  # the option-value format the faces tick and confirm
    "bot.workers",  # binding one socket and supervising worker processes
)

LAUNCHERS = {  # `yibao serve` and `yibao telegram` start a face: its entry modules only
    "bot.cli.serve": ("bot.http.server",),
    "bot.cli.telegram": ("bot.telegram.face", "bot.telegram.config", "bot.telegram.webhook"),
}

BENCH_COMMANDS = {  # `yibao bench` and `yibao eval` run the measuring instruments of bot/bench
    "bot.cli.bench": ("bot.bench",),
    "bot.cli.eval": ("bot.bench",),
    "bot.cli.eval_blind": ("bot.bench",),
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


def allowed_to_face(module: str, face: str, target: str) -> bool:
    """A face's import: its own folder, the service layer, a shared module, or its named exception."""
    allowed = (face, SERVICE, *SHARED, *LAUNCHERS.get(module, ()), *BENCH_COMMANDS.get(module, ()))
    return any(within(target, prefix) for prefix in allowed)


def breaches() -> list[tuple[str, str]]:
    found = []
    modules = sources()
    for module, path in modules.items():
        face = face_of(module)
        for target in sorted(imports(module, path, set(modules))):
            top = module.split(".")[0]
            if any(within(target, banned) for banned in FORBIDDEN.get(top, ())):
                found.append((module, target))
            elif face and not allowed_to_face(module, face, target):
                found.append((module, target))
            elif face_of(target) and any(within(module, m) for m in (SERVICE, *SHARED)):
                found.append((module, target))
    return found


def test_the_packages_are_where_the_rule_expects_them():
    modules = sources()
    assert {
        "rules",
        "intents",
        "faq",
        "bot",
        "bot.cli",
        "bot.telegram",
        "bot.http",
        "bot.bench",
        SERVICE,
        *SHARED,
    } <= set(modules)


def test_imports_run_one_way():
    assert breaches() == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("rules.cap", "from bot.models import Reply\n", [("rules.cap", "bot.models")]),
        ("intents.slots", "def f():\n    import faq\n", [("intents.slots", "faq")]),
        ("faq.search", "from bot import errors\n", [("faq.search", "bot.errors")]),
        ("bot.telegram.face", "from ..http import app\n", [("bot.telegram.face", "bot.http.app")]),
        (
            "bot.http.app",
            "import importlib\nimportlib.import_module('bot.telegram.render')\n",
            [("bot.http.app", "bot.telegram.render")],
        ),
        ("bot.bench.dialogue", "from bot.telegram import render\nfrom bot.cli import ask\n", []),
        ("bot.cli.serve", "from bot.http.server import run\n", []),
        ("intents.slots", "from rules import policy\n", []),
        # a face reaches the conversation, the packages and bench only through bot.service
        (
            "bot.telegram.face",
            "from bot.conversation.store import open_store\n",
            [("bot.telegram.face", "bot.conversation.store")],
        ),
        ("bot.http.app", "def documents():\n    from faq import load\n", [("bot.http.app", "faq")]),
        (
            "bot.cli.calc",
            "from rules.models import COVERAGE_ZH\nfrom intents.text import load_yaml\n",
            [("bot.cli.calc", "intents.text"), ("bot.cli.calc", "rules.models")],
        ),
        ("bot.http.models", "from bot.answers import render\n", [("bot.http.models", "bot.answers")]),
        ("bot.cli.ask", "from bot.bench import load\n", [("bot.cli.ask", "bot.bench")]),
        ("bot.cli.chat", "import bot\n", [("bot.cli.chat", "bot")]),
        (
            "bot.cli.chat",
            "from bot import buttons, service\nfrom bot.models import Reply\n"
            "from bot.errors import InputError\nfrom bot.cli._args import add_today\n",
            [],
        ),
        (
            "bot.http.server",
            "from bot.service import open_store\nfrom bot.workers import bind\nfrom .app import create_app\n",
            [],
        ),
        ("bot.cli.eval", "from bot.bench.evaluation import report\n", []),
        ("bot.cli.telegram", "from bot.telegram.render import chunks\n", [("bot.cli.telegram", "bot.telegram.render")]),
        # the service layer and the shared modules know no face
        ("bot.service", "from bot.http.models import AskResponse\n", [("bot.service", "bot.http.models")]),
        ("bot.models", "from bot.telegram import render\n", [("bot.models", "bot.telegram.render")]),
    ],
)
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
    for name in (
        "bot/models.py",
        "bot/errors.py",
        "bot/service.py",
        "bot/buttons.py",
        "bot/workers.py",
        "bot/http/app.py",
        "bot/telegram/render.py",
    ):
        (root / name).write_text("")
    path.write_text(source)
    monkeypatch.setitem(globals(), "ROOT", root)
    assert breaches() == expected
