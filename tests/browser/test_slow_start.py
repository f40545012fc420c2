"""Live pages whose scripts arrive after the user has started typing, as on a slow connection.

The evidence library's search for "Oura" finds two entries, Hausenblas 2024's among them (magnesium
L-threonate and sleep measured with an Oura ring).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import scripts_held

pytestmark = pytest.mark.browser

LIVE_PAGES = ["/products/recover/edit", "/products/new", "/stacks/ntrpx-daily/edit", "/stacks/new", "/evidence/",
              "/compounds/compare/?compounds=magnesium-oxide&compounds=magnesium-l-threonate"]


def test_a_search_typed_before_the_scripts_have_run_is_sent_once_they_run(page: Page):
    results, count = page.locator("#evidence-results"), page.locator("#evidence-count")
    with scripts_held(page):
        page.goto("/evidence/", wait_until="commit")
        search = page.get_by_label("Search")
        expect(search).to_be_editable()
        expect(count).to_be_visible()
        entries = count.inner_text()
        search.fill("Oura")
        expect(count).to_have_text(entries)  # nothing has run yet

    expect(count).to_have_text("2 entries: “Oura”.")
    expect(results).to_contain_text("Hausenblas")
    expect(search).to_have_value("Oura")


@pytest.mark.parametrize("path", LIVE_PAGES)
def test_a_live_page_served_with_its_own_values_sends_nothing_when_its_scripts_run(page: Page, path):
    sent = []
    page.on("request", lambda request: sent.append(request.url) if request.headers.get("hx-request") else None)
    page.goto(path)  # waits for the load event, after the scripts have run
    page.wait_for_timeout(600)  # longer than every live form's debounce

    assert sent == []
    for flag in page.locator(".unsaved-flag").all():
        expect(flag).to_be_hidden()


def test_an_ingredient_search_typed_before_the_scripts_have_run_suggests_once_they_run(page: Page):
    with scripts_held(page):
        page.goto("/products/new", wait_until="commit")
        search = page.locator("#compound-search")
        expect(search).to_be_editable()
        search.fill("threo")

    suggestion = page.locator("#suggestions button", has_text=re.compile(r"^Magnesium L-threonate"))
    expect(suggestion).to_have_count(1)
    expect(search).to_have_value("threo")
