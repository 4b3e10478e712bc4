"""One turn of a conversation as every face runs it: read, respond, commit, then reply.

The state is committed before the replies are handed back, so a process killed after a turn
has already kept what the person said; "忘记我" deletes the stored record instead. The commit
carries the version read (the store's fencing token): when another process took a turn on the
same conversation in between, the turn is run again on the newer state, so no turn is lost or
applied twice. A failing store raises StoreError; the face says STORE_DOWN and acknowledges
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from bot.conversation import inbound
from bot.conversation.dialogue import respond
from bot.conversation.state import State
from bot.conversation.store import Conflict, Receipt, Store, StoreError
from bot.models import Reply

STORE_DOWN = "抱歉，刚才没能保存这次对话，这句话没有记下。请稍后再试，也可以拨打医保服务热线 12393。"
ATTEMPTS = 200  # commits tried before giving up (each conflict means another process made progress)


def turn(
    store: Store,
    key: str,
    message: str,
    today: dt.date,
    receipt: Callable[[list[Reply], State | None], Receipt] | None = None,
) -> list[Reply]:
    """The replies to `message`, after the conversation's new state is committed.

    `receipt(replies, new_state)` names the update answered and what is to be sent: it is
    committed in the same transaction (bot.telegram uses it for its inbox).
    """
    bad = inbound.problem(message)
    if bad is not None:
        return [bad]
    for attempt in range(ATTEMPTS):
        snapshot = store.read(key)
        replies, state = respond(snapshot.state, message, today)
        kept = None if state.forget else state
        try:
            store.commit(key, kept, snapshot.version, receipt(replies, kept) if receipt else None)
            return replies
        except Conflict:
            time.sleep(random.uniform(0, 0.002 * min(attempt + 1, 10)))
    raise StoreError("会话存储一直被其他进程改写，这句话没有记下")


def apology() -> list[Reply]:
    """What a face says when the store failed during a turn."""
    return [Reply(text=STORE_DOWN, intent="store_down")]
