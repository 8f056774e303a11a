"""Helpers shared by the audio tests (a unique module name: the test folders are not packages)."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(test: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``test`` until it is true or ``timeout`` passes; return its last value."""
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            return test()
        time.sleep(0.005)
    return True


def find_in_order(haystack: bytes, needles: list[bytes]) -> int:
    """How many of ``needles`` appear in ``haystack`` one after another, in order."""
    position = 0
    for found, needle in enumerate(needles):
        at = haystack.find(needle, position)
        if at < 0:
            return found
        position = at + len(needle)
    return len(needles)
