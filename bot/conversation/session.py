"""One turn of a conversation as every face runs it: load, respond, save, then reply.

The state is written before the replies are handed back, so a process killed after a turn
has already kept what the person said; "忘记我" deletes the stored record instead.
"""
from __future__ import annotations

import datetime as dt

from bot.conversation.dialogue import respond
from bot.models import Reply
from bot.conversation.store import Store


def turn(store: Store, key: str, message: str, today: dt.date) -> list[Reply]:
    replies, state = respond(store.load(key), message, today)
    if state.forget:
        store.forget(key)
    else:
        store.save(key, state)
    return replies
