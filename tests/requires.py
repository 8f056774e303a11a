"""What a test needs from the machine: skipped where it is missing, failed where CI runs.

``.ci/run`` installs every tool the suite uses and sets ``CI=true``; a test that skipped there
would hide a broken install behind a green run. On a developer's machine a missing tool skips the
test, with the reason.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil

import pytest


def in_ci() -> bool:
    """True where CI runs the suite (``CI`` set to anything but empty, ``0`` or ``false``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def require(present: bool, what: str) -> None:
    """Go on if ``present``; else skip the test (``needs what``), or fail it under CI."""
    if present:
        return
    if in_ci():
        pytest.fail(f"needs {what}, which CI installs: missing here")
    pytest.skip(f"needs {what}")


def require_program(name: str, package: str) -> None:
    """A program on ``PATH``, from the Debian ``package``."""
    what = name if name == package else f"{name} ({package})"
    require(shutil.which(name) is not None, what)


def require_library(name: str, package: str) -> None:
    """A shared library (``pulse`` for libpulse.so), from the Debian ``package``."""
    require(ctypes.util.find_library(name) is not None, f"lib{name} ({package})")
