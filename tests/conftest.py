import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed library and the demo accounts once per session; each test's changes roll back."""
    with django_db_blocker.unblock():
        call_command("load_seed", verbosity=0)


@pytest.fixture
def client(client, django_user_model):
    """A client signed in as the demo team's admin (role admin, not a superuser)."""
    client.force_login(django_user_model.objects.get(username="demo"))
    return client


@pytest.fixture
def anonymous_client():
    from django.test import Client

    return Client()


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator-su", "curator@example.com", "a-long-test-password")
    client.force_login(user)
    return client


@pytest.fixture
def cdn_csrf_token(monkeypatch):
    """Pin the pages' CSRF token to one containing "CdN", and return it.

    The token is random text and once contained "CdN", so a test looking for CDN links must look at the
    markup without it.
    """
    token = "xCdNx" * 12
    monkeypatch.setattr("django.template.context_processors.get_token", lambda request: token)
    return token


@pytest.fixture
def vitamin_d(db):
    """Vitamin D as a curator adds it: declared in mcg, with the CFR's DV and UL and Annex XIII's NRV; and its compound."""
    from decimal import Decimal

    from compounds.models import Compound
    from tests.factories import CompoundFactory, CompoundNutrientFactory, NutrientFactory, ReferenceValueFactory

    nutrient = NutrientFactory(slug="vitamin-d", name="Vitamin D", formula="C27H44O", label_order=40, label_unit="mcg")
    for kind, market, amount in (("DV", "US", "0.020"), ("UL", "US", "0.1"), ("NRV", "EU", "0.005"), ("UL", "EU", "0.1")):
        ReferenceValueFactory(nutrient=nutrient, kind=kind, market=market, amount_mg=Decimal(amount),
                              source_citation="21 CFR 101.9(c)(8)(iv); Reg. (EU) 1169/2011 Annex XIII")
    compound = CompoundFactory(name="Cholecalciferol", slug="cholecalciferol", formula="C27H44O",
                               form_class=Compound.FormClass.OTHER)
    CompoundNutrientFactory(compound=compound, nutrient=nutrient)
    return compound
