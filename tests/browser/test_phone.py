"""The pages on a phone in a real browser: one column, and nothing wider than the screen."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def page(new_context) -> Page:
    """A page signed in as the demo team's formulator, on a phone's screen."""
    page = new_context(user="formulator").new_page()
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("path", ["/products/recover/edit", "/products/recover/", "/stacks/ntrpx-daily/edit",
                                  "/stacks/ntrpx-daily/"])
def test_a_design_page_fits_a_phone_without_scrolling_sideways(page: Page, path):
    """Lay a product or stack page out no wider than a phone's screen: wide tables scroll inside themselves."""
    page.goto(path)
    expect(page.locator("#safety-table")).to_be_visible()

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")

    assert scroll_width <= inner_width == PHONE["width"]


@pytest.mark.parametrize("path", ["/products/recover/edit", "/stacks/ntrpx-daily/edit"])
def test_the_editor_and_its_figures_are_one_column_on_a_phone(page: Page, path):
    """Put the figures below the editor, each as wide as the screen allows."""
    page.goto(path)
    expect(page.locator("#safety-table")).to_be_visible()

    editor = page.locator(".workbench-input").bounding_box()
    figures = page.locator(".workbench-output").bounding_box()

    assert figures["y"] >= editor["y"] + editor["height"]
    assert editor["x"] == figures["x"] and editor["x"] + editor["width"] <= PHONE["width"]
    assert figures["x"] + figures["width"] <= PHONE["width"]
