"""Evidence in a real browser: the workbench's dose badge and the product page's studies and claims.

Recover has one line, magnesium L-threonate 2000 mg once a day. The library's studies of it used
1,000 mg a day (Hausenblas et al. 2024) and 1,500–2,000 mg a day (Liu et al. 2016), so the studied
range is 1,000–2,000 mg a day: 2,000 mg is within it, above Hausenblas and within Liu.
"""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

RECOVER_EDIT = "/products/recover/edit"
AMOUNT = "input[name='lines-0-amount']"
LIU_TITLE = ("Efficacy and safety of MMFS-01, a synapse density enhancer, for treating cognitive impairment in older "
             "adults: a randomized, double-blind, placebo-controlled trial")


@pytest.fixture
def page(new_context) -> Page:
    """A page signed in as the demo team's formulator (every page of the app needs a signed-in user)."""
    return new_context(user="formulator").new_page()


@pytest.mark.parametrize(("amount", "dose", "magnesium"), [
    ("500", "below", "36 mg"),
    ("1500", "within", "108 mg"),
    ("5000", "above", "360 mg"),
])
def test_the_dose_badge_follows_the_amount_without_a_reload(page: Page, amount: str, dose: str, magnesium: str):
    page.goto(RECOVER_EDIT)
    badge = page.locator("#line-calc-0 .dose")
    expect(badge).to_have_attribute("data-dose", "within")
    expect(badge).to_have_text("dose within")
    page.evaluate("window.__sameDocument = 'still here'")

    page.fill(AMOUNT, amount)

    expect(page.locator("#mg-serving")).to_have_text(magnesium)
    expect(page.locator(f"#line-calc-0 .dose[data-dose='{dose}']")).to_have_count(1)
    expect(badge).to_have_count(1)
    expect(badge).to_have_text(f"dose {dose}")
    expect(badge).to_have_class(re.compile(rf"\bdose-{dose}\b"))
    expect(page.locator("#line-calc-0")).to_contain_text("studied 1,000 mg–2,000 mg/day")
    assert page.evaluate("window.__sameDocument") == "still here", "the page reloaded instead of updating in place"


def test_the_dose_badge_changes_as_the_amount_is_retyped(page: Page):
    """One line edited three times in a row: the badge is never left showing an earlier amount's verdict."""
    page.goto(RECOVER_EDIT)
    badge = page.locator("#line-calc-0 .dose")
    expect(badge).to_have_attribute("data-dose", "within")

    for amount, dose in (("500", "below"), ("1500", "within"), ("5000", "above")):
        page.fill(AMOUNT, amount)
        expect(page.locator(f"#line-calc-0 .dose[data-dose='{dose}']")).to_have_text(f"dose {dose}")
        expect(badge).to_have_count(1)


def test_the_product_page_shows_the_dose_against_each_study(page: Page):
    page.goto("/products/recover/")
    row = page.locator("#dose-alignment tbody tr", has_text="Magnesium L-threonate")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(1)).to_contain_text("1,000 mg–2,000 mg compound")
    expect(cells.nth(2).locator(".dose")).to_have_text("within")
    expect(cells.nth(2)).to_contain_text("2,000 mg/day")

    studies = cells.nth(3).locator("div")
    expect(studies).to_have_count(2)
    hausenblas = studies.filter(has=page.get_by_role("link", name="Hausenblas et al. 2024"))
    liu = studies.filter(has=page.get_by_role("link", name="Liu et al. 2016"))
    expect(hausenblas).to_contain_text("1,000 mg")
    expect(hausenblas.locator(".dose")).to_have_text("above")
    expect(liu).to_contain_text("1,500 mg–2,000 mg")
    expect(liu.locator(".dose")).to_have_text("within")


def test_a_claims_supporting_entry_links_to_its_study(page: Page):
    page.goto("/products/recover/")
    anxiety = page.locator("#claims tr[data-claim='anxiety']")
    expect(anxiety).to_contain_text("Magnesium L-threonate: grade C (1 human study; no result either way.)")
    links = page.locator("#claims a")
    expect(links).not_to_have_count(0)
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(re.fullmatch(r"/evidence/[\w-]+/", href) for href in hrefs), hrefs
    entry = anxiety.get_by_role("link", name="Liu et al. 2016")
    expect(entry).to_have_attribute("href", "/evidence/liu-2016/")

    entry.click()

    expect(page).to_have_url(re.compile(r"/evidence/liu-2016/$"))
    expect(page.locator("h1")).to_contain_text("Liu et al. 2016")
    expect(page.locator("main p strong").first).to_have_text(LIU_TITLE)
    expect(page).to_have_title(re.compile(r"^Liu et al\. 2016 "))
