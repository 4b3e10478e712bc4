"""../shared (the policy sources and the development sets), found beside this checkout."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared(*parts: str) -> Path:
    """A file or folder under ../shared; a clear failure, never a skip, when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"the tests need the shared folder beside this checkout: {path} is missing "
            f"(clone the project so that ../shared sits next to {REPO.name}/)"
        )
    return path
