"""Many threads released at once (races on the store and the workshop)."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_threads(target: Callable[[int], object], n: int) -> list[BaseException]:
    """Run ``target(0) … target(n − 1)`` on ``n`` threads that start together behind a barrier;
    returns the exceptions they raised (an empty list when none did)."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def work(i: int) -> None:
        try:
            barrier.wait()
            target(i)
        except BaseException as e:  # collected for the caller to assert on
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
