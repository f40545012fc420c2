"""The curators' admin in a real browser, where the Content Security Policy applies."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_select_all_on_the_export_page_clears_and_ticks_every_field(new_context):
    """import-export's toggle is an inline handler, which the policy blocked: it did nothing."""
    page: Page = new_context(user="curator").new_page()
    page.goto("/admin/compounds/compound/export/")
    fields = page.locator(".selectable-field-export-row input[type='checkbox']")
    expect(fields.first).to_be_checked()

    page.locator(".select-toggle").uncheck()

    assert fields.count() > 5
    for index in range(fields.count()):
        expect(fields.nth(index)).not_to_be_checked()
    page.locator(".select-toggle").check()
    for index in range(fields.count()):
        expect(fields.nth(index)).to_be_checked()


def test_a_compounds_nutrient_links_fit_the_page_at_1366_px(new_context):
    """The admin's own field widths made the links' table 1,709 px wide: "Delete?" and the address were out of view."""
    from compounds.models import Compound

    page: Page = new_context(user="curator").new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/admin/compounds/compound/{Compound.objects.get(slug='magnesium-bisglycinate').pk}/change/")
    expect(page.locator("#contributions-group")).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
