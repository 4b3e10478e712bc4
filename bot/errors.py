"""The one error a face turns into a single line on standard error and exit code 2."""


class InputError(ValueError):
    """Input a person or a script gave that yibao cannot take; the message says why, in one line."""
