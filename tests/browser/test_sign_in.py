"""The sign-in page in a real browser."""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser



def test_the_sign_in_pages_fields_look_alike(new_context):
    """The password field had the browser's own thin box under the username's styled one."""
    page: Page = new_context(user=None).new_page()
    page.goto("/accounts/login/")

    heights = [page.locator(f"#id_{name}").evaluate("el => el.getBoundingClientRect().height") for name in ("username", "password")]

    assert heights[0] == heights[1]
