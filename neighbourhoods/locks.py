"""One lock per key within a process, for work that several threads may start at once.

A fresh process, or a new data version, meets as many requests at once as the process has
threads; when they all miss the same cached value, one should compute it and the others wait
for its result (#19). ``freshness`` keeps values this way, ``network.snapshot`` its decoded
pictures.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Hashable, Iterator
from enum import Enum


class Turn(Enum):
    FIRST = "first"  # the lock was free: this thread does the work
    WAITED = "waited"  # another thread held it: its result may be there now
    TIMED_OUT = "timed out"  # the wait ran out: do the work without the lock


class KeyedLocks(dict[Hashable, threading.Lock]):
    """The locks of the keys being worked on now (a key's lock goes when nobody holds it)."""

    def __init__(self) -> None:
        super().__init__()
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def hold(self, key: Hashable, timeout: float = -1) -> Iterator[Turn]:
        """Hold ``key``'s lock while the block runs; ``timeout`` seconds at most of waiting
        for another thread (-1: as long as it takes), so never a deadlock."""
        with self._guard:
            lock = self.setdefault(key, threading.Lock())
        held = False
        try:
            held = lock.acquire(blocking=False)
            turn = Turn.FIRST
            if not held:
                held = lock.acquire(timeout=timeout)
                turn = Turn.WAITED if held else Turn.TIMED_OUT
            yield turn
        finally:
            if held:
                lock.release()
            with self._guard:
                if self.get(key) is lock and not lock.locked():
                    del self[key]
