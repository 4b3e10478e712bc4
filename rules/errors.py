"""The one error the engine raises, and a helper that turns any input error into one line."""

from __future__ import annotations


class RulesError(ValueError):
    """A history the rules cannot evaluate, or a year no parameter covers.

    The message is one plain sentence (Chinese first) that a face can show as it is.
    Being a ValueError, it becomes a pydantic ValidationError when raised inside a validator.
    """


def error_message(exc: Exception) -> str:
    """One clear line for a RulesError or a pydantic ValidationError about a History."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        lines = []
        for err in errors():
            original = (err.get("ctx") or {}).get("error")
            if isinstance(original, Exception):
                lines.append(str(original))
                continue
            where = ".".join(str(p) for p in err.get("loc", ()))
            msg = err.get("msg", "")
            lines.append(f"{where}: {msg}" if where else msg)
        return "；".join(lines) or str(exc)
    return " ".join(str(exc).split())
