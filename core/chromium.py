"""Debian's Chromium as the browser tests and `make screenshots` launch it (no browser download).

Plain Python, no Django: scripts/screenshots.py imports it before any settings exist.
"""

import os

# Quiet and offline: no sandbox (containers), no GPU, no background calls home.
ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic")  # fmt: skip


def launch(playwright):
    """A headless Chromium from $CHROMIUM (default /usr/bin/chromium)."""
    return playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=list(ARGS))
