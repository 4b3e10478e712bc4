"""One lock per conversation, shared by the faces (threads for HTTP, the event loop for Telegram)."""

import asyncio
import gc
import threading

from bot.conversation.locks import KeyLocks


def test_one_conversation_gets_one_lock_and_another_its_own():
    locks = KeyLocks(threading.Lock)
    first = locks("http:a")
    assert locks("http:a") is first
    assert locks("http:b") is not first


def test_a_lock_nobody_holds_is_not_kept():
    locks = KeyLocks(threading.Lock)
    marker = id(locks("tg:1"))
    gc.collect()
    assert len(locks._locks) == 0, marker


def test_two_turns_of_one_chat_on_the_event_loop_run_one_after_the_other():
    locks = KeyLocks(asyncio.Lock)
    order: list[str] = []

    async def turn(name: str) -> None:
        async with locks("tg:7"):
            order.append(f"{name} start")
            await asyncio.sleep(0.01)
            order.append(f"{name} end")

    async def both() -> None:
        await asyncio.gather(turn("a"), turn("b"))

    asyncio.run(both())
    assert order == ["a start", "a end", "b start", "b end"]
