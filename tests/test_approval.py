"""Approval: refused, with the reasons in words, while a product is over a limit or does not fit its capsules."""

import re
from html import unescape
from decimal import Decimal

import pytest
from django.test import Client

from compounds.models import Compound
from formulator import services, views
from formulator.models import Product
from tests.factories import ProductFactory, ProductLineFactory

pytestmark = pytest.mark.django_db

RECOVER_FILL = services.BLOCKER_FILL.format(capsules="2 size 00 capsules", needed=4)


@pytest.fixture
def admin(django_user_model) -> Client:
    """The demo team's admin, who approves."""
    client = Client()
    client.force_login(django_user_model.objects.get(username="demo"))
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_product_that_does_not_fit_its_capsules_is_not_approved_and_the_page_says_why(admin):
    Product.objects.filter(slug="recover").update(status="in-review")

    page = text(admin.post("/products/recover/status", {"status": "approved", "version": "1"}, follow=True))

    assert Product.objects.get(slug="recover").status == "in-review"
    assert services.ERROR_APPROVAL_BLOCKED.format(name="Recover", blockers=RECOVER_FILL) in page
    assert RECOVER_FILL == "The serving does not fit in 2 size 00 capsules: it needs 4 at no more than 95% fill."


def test_a_product_over_a_limit_is_not_approved(admin):
    product = ProductFactory(status="in-review", dosage_form="drink", capsule_size="", servings_per_day=Decimal(1))
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-oxide"), amount=Decimal(1000))

    with pytest.raises(services.ApprovalRefused) as refused:
        services.product_set_status(product, "approved")

    assert [b for b in refused.value.blockers if "over the EU limit of 250 mg for supplemental magnesium" in b]
    assert Product.objects.get(pk=product.pk).status == "in-review"


@pytest.mark.parametrize(("population", "approved"), [("adult", True), ("teen-14-18", False)])
def test_in_canada_an_adult_product_within_the_monographs_maximum_is_approved_above_the_ul(admin, population, approved):
    # 663.4 mg of magnesium oxide is 400 mg of magnesium: over the IOM UL of 350 mg, within the 500 mg Health Canada's
    # monograph allows adult products. For teenagers the UL is the limit: no maximum of Canada's own is recorded.
    product = ProductFactory(status="in-review", dosage_form="drink", capsule_size="", servings_per_day=Decimal(1),
                             markets=["CA"], population=population)
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-oxide"), amount=Decimal("663.4"))

    try:
        services.product_set_status(product, "approved")
    except services.ApprovalRefused as refused:
        assert not approved and [b for b in refused.blockers if "over the CA" in b]
    else:
        assert approved and Product.objects.get(pk=product.pk).status == "approved"


def test_the_approve_button_is_disabled_beside_what_stands_in_the_way(admin):
    Product.objects.filter(slug="recover").update(status="in-review")

    html = admin.get("/products/recover/").content.decode()

    assert re.search(r'value="approved" class="primary" disabled aria-describedby="approval-blockers">Approve', html)
    assert f'<div class="approval-blockers" id="approval-blockers"><p>Approval needs these fixed first:</p>\n  <ul><li>{RECOVER_FILL}</li>' in html


def test_a_product_within_its_limits_that_fits_is_approved_from_an_enabled_button(admin):
    Product.objects.filter(slug="magtech-complex").update(status="in-review")

    html = admin.get("/products/magtech-complex/").content.decode()
    admin.post("/products/magtech-complex/status", {"status": "approved", "version": "1"})

    assert 'value="approved" class="primary">Approve' in html and "approval-blockers" not in html
    assert Product.objects.get(slug="magtech-complex").status == "approved"


def test_approving_is_of_the_edit_the_reviewer_saw_not_one_saved_since(admin, client):
    from tests.test_workbench import recover_post

    Product.objects.filter(slug="magtech-complex").update(status="in-review")
    seen = admin.get("/products/magtech-complex/").content.decode()
    assert '<input type="hidden" name="version" value="1">' in seen
    client.post("/products/magtech-complex/edit", recover_post(_action="save", name="MagTech Complex", version="1"))  # edit 2

    page = text(admin.post("/products/magtech-complex/status", {"status": "approved", "version": "1"}, follow=True))

    assert views.MESSAGE_STATUS_STALE.format(name="MagTech Complex", mine=1, theirs=2) in page
    assert Product.objects.get(slug="magtech-complex").status == "draft"  # the change took it out of review
    # What changed, as the history page lists it: the reviewer sees what they did not review.
    assert " What changed since edit 1: Name MagTech Magnesium Complex → MagTech Complex;" in page
    assert "Magnesium L-threonate 1,000 mg → 2,000 mg" in page


def test_a_serving_of_one_capsule_is_one_capsule_in_the_blocker(admin):
    product = ProductFactory(name="One cap", status="in-review", capsule_size="00", serving_size=1)
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-bisglycinate"), amount=Decimal(1500))

    html = admin.get(f"/products/{product.slug}/").content.decode()

    assert "The serving does not fit in 1 size 00 capsule: it needs" in html


def _threonate_powder(markets):
    product = ProductFactory(name=f"Calm {'-'.join(markets)}", status="in-review", dosage_form="powder", capsule_size="",
                             population="pregnancy", markets=markets)
    ProductLineFactory(product=product, compound=Compound.objects.get(slug="magnesium-l-threonate"), amount=Decimal(1000))
    return product


def test_an_ingredient_the_law_of_a_market_excludes_for_the_population_blocks_approval_there(admin):
    product = _threonate_powder(["US", "EU"])  # Reg. (EU) 2024/2694: L-threonate is not for pregnancy in the EU

    html = admin.get(f"/products/{product.slug}/").content.decode()
    with pytest.raises(services.ApprovalRefused) as refused:
        services.product_set_status(product, "approved")

    blocker = services.BLOCKER_EXCLUDED.format(
        compound="Magnesium L-threonate", markets="EU",
        management="Not for pregnant or lactating women in the EU (Reg. (EU) 2024/2694); elsewhere consult a provider")
    assert refused.value.blockers == [blocker]
    assert f"<li>{blocker}</li>" in html and 'disabled aria-describedby="approval-blockers"' in html
    assert "Excluded by law in EU: a product for these populations sold there cannot be approved." in html


def test_the_same_product_for_a_market_without_that_law_is_approved_with_its_caution(admin):
    product = _threonate_powder(["US"])

    services.product_set_status(product, "approved")

    assert Product.objects.get(pk=product.pk).status == "approved"


def test_a_save_after_the_product_was_approved_meanwhile_keeps_what_was_typed_and_says_why(django_user_model):
    from tests.test_workbench import recover_post

    formulator = Client()
    formulator.force_login(django_user_model.objects.get(username="formulator"))
    Product.objects.filter(slug="recover").update(status="approved")  # by a reviewer, while the formulator typed

    response = formulator.post("/products/recover/edit", recover_post(_action="save", **{"lines-0-amount": "1500"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert views.MESSAGE_APPROVED_MEANWHILE.format(name="Recover", next=2) in unescape(text(response))
    assert re.search(r'name="lines-0-amount" value="1500"', html) and "data-unsaved" in html
    saved = Product.objects.get(slug="recover")
    assert (saved.status, saved.version, saved.lines.get().amount) == ("approved", 1, Decimal(2000))


def test_opening_an_approved_products_editor_still_leads_to_its_page(django_user_model):
    formulator = Client()
    formulator.force_login(django_user_model.objects.get(username="formulator"))
    Product.objects.filter(slug="recover").update(status="approved")

    assert formulator.get("/products/recover/edit")["Location"] == "/products/recover/"


def test_a_status_change_is_said_in_words(admin):
    page = text(admin.post("/products/recover/status", {"status": "in-review", "version": "1"}, follow=True))
    assert views.MESSAGE_STATUS_SET.format(name="Recover", change="submitted for review") in page

    page = text(admin.post("/products/recover/status", {"status": "draft", "version": "2"}, follow=True))
    assert views.MESSAGE_STATUS_SET.format(name="Recover", change="returned to draft") in page


@pytest.mark.parametrize("status", ["bogus", ""])
def test_an_unknown_status_is_a_bad_request_not_a_refused_role(admin, status):
    response = admin.post("/products/recover/status", {"status": status, "version": "1"})
    assert response.status_code == 400
    assert views.ERROR_UNKNOWN_STATUS in unescape(text(response))
    assert 'href="/products/recover/"' in response.content.decode()
    assert Product.objects.get(slug="recover").status == "draft"


def test_a_product_in_capsules_of_a_size_no_longer_in_the_library_is_not_approved(admin):
    """Deleting size 00 took Recover's fill check, and with it the blocker for its 4 capsules needed: it was approved."""
    from compounds.models import CapsuleSize

    CapsuleSize.objects.filter(code="00").delete()
    Product.objects.filter(slug="recover").update(status="in-review")

    page = text(admin.post("/products/recover/status", {"status": "approved", "version": "1"}, follow=True))

    assert Product.objects.get(slug="recover").status == "in-review"
    assert services.ERROR_APPROVAL_BLOCKED.format(name="Recover", blockers=services.BLOCKER_NO_CAPSULE_SIZE.format(size="00")) in page


def test_an_approved_product_the_library_changed_under_says_it_would_not_be_approved_now(admin):
    """A lowered limit left MagTech "Approved" beside "Limits: over" on its page, in the list and on its sheet."""
    from compounds.models import ReferenceValue

    Product.objects.filter(slug="magtech-complex").update(status="in-review")
    admin.post("/products/magtech-complex/status", {"status": "approved", "version": "1"})
    before = admin.get("/products/magtech-complex/").content.decode()
    ReferenceValue.objects.filter(nutrient__slug="magnesium", kind="UL", market="US", population="adult").update(amount_mg=10)

    page = unescape(text(admin.get("/products/magtech-complex/")))
    listed = unescape(text(admin.get("/products/")))
    sheet = unescape(text(admin.get("/products/magtech-complex/spec/")))
    data = admin.get("/products/magtech-complex/spec.json").json()

    assert Product.objects.get(slug="magtech-complex").status == "approved"
    assert "approval-blockers" not in before
    assert f"{services.MESSAGE_APPROVED_NO_LONGER} " in page and "over the US limit of 10 mg for supplemental magnesium" in page
    assert "Start revision 2 to correct it." in page
    assert "Approved not approvable now: 1 reason" in listed
    assert f"{services.MESSAGE_APPROVED_NO_LONGER} " in sheet
    assert len(data["product"]["approved_no_longer"]) == 1 and "US limit of 10 mg" in data["product"]["approved_no_longer"][0]
