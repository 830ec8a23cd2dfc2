"""Browser fixtures: the session app served on a free port, and a headless Debian Chromium."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import factories

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(app):
    """The app on http://127.0.0.1:<free port>, in a thread; each request gets its own context."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from Debian (Playwright cannot download its own browser here)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page; collects console errors and page errors."""
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []

    def on_console(message) -> None:
        url = message.location.get("url", "")
        if message.type == "error":
            page.console_errors.append(f"{message.text} {url}".strip())

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def sign_in(page, live_server: str, email: str, password: str = factories.PASSWORD) -> None:
    """Log in through the real form and wait for the start page of the user's role."""
    page.goto(f"{live_server}/login")
    page.get_by_label("Surel").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: url.startswith(live_server) and "/login" not in url)
