"""Each citizen's messages, one at a time and in order, in the background.

Twilio wants a quick answer to its webhook (it gives up after 15 s), and a Rasa
turn with custom actions can take longer; so the webhook is acknowledged as
soon as the message is recorded, and the turn runs afterwards. Messages of one
citizen go through one queue and run strictly in arrival order (a reply to
"1" must not overtake the menu it answers); different citizens run concurrently.

An item is put in its queue *before* the first `await` of the webhook handler,
so the order is the order in which the webhooks arrived, whatever the database
does; its `claim` future says whether it is the first delivery of that
MessageSid (a redelivery is skipped when its turn comes).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Deque, Dict, Set

logger = logging.getLogger(__name__)


@dataclass
class InboundItem:
    message_sid: str
    conversation_id: str
    phone: str
    params: Dict[str, Any]
    claim: "asyncio.Future[bool]"  # True: first delivery, run it; False: skip


class OrderedTurns:
    """One FIFO queue and at most one worker task per conversation."""

    def __init__(self, handler: Callable[[InboundItem], Awaitable[None]]):
        self._handler = handler
        self._queues: Dict[str, Deque[InboundItem]] = {}
        self._workers: Dict[str, asyncio.Task] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    def submit(self, item: InboundItem) -> None:
        """Queues `item` behind its conversation's earlier messages (never awaits)."""
        key = item.conversation_id
        self._queues.setdefault(key, deque()).append(item)
        if key not in self._workers:
            self._idle.clear()
            self._workers[key] = asyncio.get_running_loop().create_task(self._work(key))

    async def _work(self, key: str) -> None:
        queue = self._queues[key]
        try:
            while queue:
                item = queue.popleft()
                try:
                    first = await item.claim
                except Exception:  # not recorded: the webhook answered 500 (Twilio may send it again)
                    first = False
                try:
                    if first:
                        await self._handler(item)
                except asyncio.CancelledError:
                    raise
                except Exception:  # one bad message must not stop the citizen's next ones
                    logger.exception("whatsapp: turn for %s failed", item.message_sid)
        finally:
            # No await between the last `while queue` check and here: nothing can slip in.
            del self._workers[key]
            if not queue:
                self._queues.pop(key, None)
            if not self._workers:
                self._idle.set()

    @property
    def pending(self) -> int:
        return sum(len(q) for q in self._queues.values()) + len(self._workers)

    def conversations(self) -> Set[str]:
        return set(self._workers)

    async def drain(self, timeout: float) -> bool:
        """Waits until every queued turn ran; False if `timeout` passed first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False
