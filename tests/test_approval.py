"""Approval: refused, with the reasons in words, while a product is over a limit or does not fit its capsules."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from compounds.models import Compound
from formulator import services
from formulator.models import Product
from tests.factories import ProductFactory, ProductLineFactory

pytestmark = pytest.mark.django_db

RECOVER_FILL = services.BLOCKER_FILL.format(count=2, size="00", needed=4)


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

    page = text(admin.post("/products/recover/status", {"status": "approved"}, follow=True))

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


def test_the_approve_button_is_disabled_beside_what_stands_in_the_way(admin):
    Product.objects.filter(slug="recover").update(status="in-review")

    html = admin.get("/products/recover/").content.decode()

    assert re.search(r'value="approved" class="primary" disabled aria-describedby="approval-blockers">Approve', html)
    assert f'<div class="approval-blockers" id="approval-blockers"><p>Approval needs these fixed first:</p>\n  <ul><li>{RECOVER_FILL}</li>' in html


def test_a_product_within_its_limits_that_fits_is_approved_from_an_enabled_button(admin):
    Product.objects.filter(slug="magtech-complex").update(status="in-review")

    html = admin.get("/products/magtech-complex/").content.decode()
    admin.post("/products/magtech-complex/status", {"status": "approved"})

    assert 'value="approved" class="primary">Approve' in html and "approval-blockers" not in html
    assert Product.objects.get(slug="magtech-complex").status == "approved"
