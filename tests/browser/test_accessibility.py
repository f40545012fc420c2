"""What a keyboard or a screen reader meets on the pages other than the editors: the way past the menu, the
messages of the live searches and comparisons, and a comparison's refusal."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TARGET_ERROR = "Enter a target from 0.001 mg to 100,000 mg, e.g. 200."
YEAR_ERROR = "Enter a year between 1900 and 2100."


@pytest.fixture
def page(new_context) -> Page:
    return new_context(user="formulator").new_page()


def tag(page: Page, selector: str) -> None:
    """Mark the element now at selector, to tell later whether it is still the same element or one put in its place
    (a property, not an attribute: the page compares what an answer brings with the element's attributes)."""
    page.locator(selector).evaluate("el => { el.__tagged = true; }")


def still_tagged(page: Page, selector: str) -> bool:
    return page.locator(selector).evaluate("el => el.__tagged === true")


@pytest.mark.parametrize("path", ["/products/recover/edit", "/evidence/", "/compounds/"])
def test_the_first_tab_offers_a_way_past_the_menu_to_the_pages_content(page: Page, path):
    """It took 10 Tabs to reach a product's name, past the menu, on every page."""
    page.goto(path)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main#content")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "the next Tab left the page's content"


def test_a_target_at_fault_is_marked_invalid_and_its_message_not_put_in_again_at_each_key(page: Page):
    """Each key of "12x45" put the same alert in again, which a screen reader read out each time, and the field was never
    marked invalid nor pointed at its message."""
    page.goto("/compounds/compare/?compounds=magnesium-oxide")
    target = page.get_by_label("Target magnesium (mg)")
    error = page.locator("#err-target")
    expect(target).to_have_attribute("aria-describedby", "err-target")

    target.fill("12x")
    expect(error).to_have_text(TARGET_ERROR)
    expect(target).to_have_attribute("aria-invalid", "true")
    tag(page, "#err-target")
    target.press_sequentially("45", delay=400)
    page.wait_for_timeout(600)

    expect(error).to_have_text(TARGET_ERROR)
    assert still_tagged(page, "#err-target"), "the same message was put in again"
    target.fill("150")
    expect(error).to_have_text("")
    expect(target).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#compound-table td.mass")).to_have_text("248.8 mg")  # as Solve writes it: rounded up


def test_the_evidence_search_says_its_count_in_a_status_that_stays_and_marks_a_wrong_year(page: Page):
    """The count was swapped in with the results, a new element a screen reader does not read out; every year error
    was put in again at each key."""
    page.goto("/evidence/")
    count = page.locator("#evidence-count")
    expect(count).to_have_attribute("role", "status")
    tag(page, "#evidence-count")

    page.get_by_label("Search").fill("Oura")

    expect(count).to_have_text("2 entries: “Oura”.")
    assert still_tagged(page, "#evidence-count"), "the count's status was replaced, not its words"
    year = page.get_by_label("From year")
    year.press_sequentially("19x", delay=400)
    expect(page.locator("#err-year_from")).to_have_text(YEAR_ERROR)
    expect(year).to_have_attribute("aria-invalid", "true")
    tag(page, "#err-year_from")
    year.press_sequentially("9", delay=400)
    page.wait_for_timeout(600)
    expect(page.locator("#err-year_from")).to_have_text(YEAR_ERROR)
    assert still_tagged(page, "#err-year_from"), "the same message was put in again"
    expect(count).to_have_text("Correct the search fields marked above to see entries.")
    assert still_tagged(page, "#evidence-count")


def test_a_refused_comparison_takes_the_focus_to_its_message(page: Page):
    """"Choose at least 2 designs to compare." stood below the form, unread: an alert on the page as it loads is not."""
    page.goto("/compare/?products=recover")

    expect(page.locator("#compare-error")).to_be_focused()
    expect(page.locator("#compare-error")).to_have_text("Choose at least 2 designs to compare.")
