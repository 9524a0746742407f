"""Fetching many URLs at once, politely: `jobs` at a time, at most `per_host` to one host.

Threads, because a fetch waits on the network (every wait bounded by its deadline, fetch.py).
Work is handed out in the order given, skipping over items whose host name already has
`per_host` fetches under way, so one slow site holds at most `per_host` threads while the
others go on. A name is not a host, though: `localhost`, `127.1` and `2130706433` are one
machine, and redirects from two sites may lead to a third. So the limit itself is kept by
`HostSlots`, on the address each exchange actually connects to (fetch.py holds a slot around
every exchange, redirects included); the hand-out by name only keeps threads from queueing there.
"""
from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from typing import Callable, Iterator, Optional, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_JOBS = 8
PER_HOST = 2


def run_all(items: Sequence[T], work: Callable[[T], R], host_of: Callable[[T], str], *,
            jobs: int = DEFAULT_JOBS, per_host: int = PER_HOST) -> list[R]:
    """`work(item)` for every item, in threads; the results in the order of `items`.

    An exception from `work` stops the handing out of new items and is raised once the items
    under way have finished.
    """
    results: list[Optional[R]] = [None] * len(items)
    pending = list(range(len(items)))
    hosts = [host_of(item) for item in items]
    busy: Counter[str] = Counter()
    condition = threading.Condition()
    failures: list[BaseException] = []

    def take() -> Optional[int]:
        with condition:
            while pending and not failures:
                for position, index in enumerate(pending):
                    if busy[hosts[index]] < per_host:
                        del pending[position]
                        busy[hosts[index]] += 1
                        return index
                condition.wait()
            return None

    def done(index: int) -> None:
        with condition:
            busy[hosts[index]] -= 1
            condition.notify_all()

    def worker() -> None:
        while (index := take()) is not None:
            try:
                results[index] = work(items[index])
            except BaseException as error:  # noqa: BLE001 - re-raised in the calling thread
                with condition:
                    failures.append(error)
            finally:
                done(index)

    threads = [threading.Thread(target=worker, name=f"fetch-{n}", daemon=True)
               for n in range(max(1, min(jobs, len(items))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.2)  # wakes now and then, so Ctrl-C reaches the calling thread
    if failures:
        raise failures[0]
    return results  # type: ignore[return-value]


class HostSlots:
    """At most `per_host` exchanges under way with one address at a time, across threads."""

    def __init__(self, per_host: int = PER_HOST) -> None:
        self.per_host = per_host
        self.busy: Counter[str] = Counter()
        self.condition = threading.Condition()

    @contextlib.contextmanager
    def __call__(self, address: str) -> Iterator[float]:
        """Hold a slot of `address` for the `with` block; yields the seconds spent waiting for it."""
        start = time.monotonic()
        with self.condition:
            while self.busy[address] >= self.per_host:
                self.condition.wait()
            self.busy[address] += 1
        try:
            yield time.monotonic() - start
        finally:
            with self.condition:
                self.busy[address] -= 1
                self.condition.notify_all()
