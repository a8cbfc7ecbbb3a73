"""How the browser tests and the screenshot script start Debian's Chromium: headless, no
sandbox (root), and none of the background requests a closed network refuses."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
