"""Debian's Chromium, shared by the browser tests and the bench scripts.

`launch_chromium` starts the system's Chromium headless with the flags this machine needs;
Playwright is only the driver and never downloads a browser. Servers: tests/servers.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Debian's Chromium (`make test` installs it when missing)."""
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        raise RuntimeError("Debian's chromium is not installed: `make test` installs it, or `apt-get install chromium`")
    return found


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Chromium; Playwright gives each launch a fresh, empty profile (user-data-dir)."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
