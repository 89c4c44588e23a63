"""Each organisation's share of the rankings: at most N a minute, so one portal cannot
starve the rest (429 with Retry-After beyond; ``Settings.rankings_per_minute_per_owner``,
a carerun default). Counted in this process, over a sliding minute."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque

from geodata.errors import RateLimited

WINDOW_S = 60.0


class PerOwnerRate:
    """At most ``per_minute`` calls per owner in any 60 seconds."""

    def __init__(self, per_minute: int, clock=time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def admit(self, owner: str, what: str = "rankings") -> None:
        """Count one call of ``owner``, or raise ``RateLimited`` saying when to retry."""
        now = self._clock()
        with self._lock:
            calls = self._calls[owner]
            while calls and now - calls[0] >= WINDOW_S:
                calls.popleft()
            if len(calls) >= self.per_minute:
                wait = max(1, math.ceil(WINDOW_S - (now - calls[0])))
                raise RateLimited(
                    f"{what}: {self.per_minute} a minute is your organisation's share; "
                    f"retry in {wait} s",
                    loc=("header", "X-API-Key"),
                    retry_after_s=wait,
                )
            calls.append(now)
