"""Fixtures for the browser tests: Debian's Chromium, the live server, the seed library and a signed-in user.

Playwright's sync API keeps an event loop running in the test thread, and Django refuses database
calls from a thread with a running loop unless told it is safe; the test thread only loads the seed
and opens sessions while the live server (another thread) serves the pages.
"""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings as django_settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url, "viewport": VIEWPORT}


@pytest.fixture(scope="session", autouse=True)
def _expect_timeout():
    """Wait up to 10 s for what an assertion expects: a passing assertion returns as soon as it holds, and a CI machine
    running both test databases' suites may stall a debounced request for seconds."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)


@pytest.fixture(autouse=True)
def _seed(transactional_db, live_server, settings):
    """Transactional tests flush the database after each test, so load the seed again before each.

    The seed includes the demo team's accounts (editing needs a signed-in formulator); a fast hasher
    keeps their four passwords from costing two seconds a test.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_seed", verbosity=0)


def session_cookie(username: str, base_url: str) -> dict:
    """A session cookie for a seed account, as if it had signed in."""
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    name = django_settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": base_url}


@pytest.fixture
def screenshot_dir(tmp_path):
    """The README's screenshots are refreshed only on request (UPDATE_SCREENSHOTS=1 make test), so that an
    ordinary test run leaves the working tree as it was."""
    if os.environ.get("UPDATE_SCREENSHOTS") != "1":
        return tmp_path
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def new_context(new_context, live_server):
    """pytest-playwright's context factory, signed in (as the demo team's formulator unless user= says
    otherwise; user=None for a visitor), with actions that give up after 10 s rather than 30 s."""

    def make(user: str | None = "formulator", **kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(10_000)
        if user:
            context.add_cookies([session_cookie(user, live_server.url)])
        return context

    return make
