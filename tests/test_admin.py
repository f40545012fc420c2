"""Curators work in the Django admin: every model is there, and bad input is named next to its field."""

import re

import pytest

from compounds.models import Compound
from formulator.models import Product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["compounds/compound", "compounds/nutrient", "compounds/referencevalue", "formulator/product", "formulator/stack"]
)
def test_every_changelist_loads_with_search(admin_client_logged_in, model):
    response = admin_client_logged_in.get(f"/admin/{model}/", {"q": "magnesium"})

    assert response.status_code == 200


def test_compound_change_page_shows_the_computed_molecular_weight(admin_client_logged_in):
    compound = Compound.objects.get(slug="magnesium-l-threonate")
    response = admin_client_logged_in.get(f"/admin/compounds/compound/{compound.pk}/change/")

    assert "294.50 g/mol" in response.content.decode()
    assert "8.25%" in response.content.decode()


def _compound_form(**overrides):
    data = {
        "name": "Bad salt", "slug": "bad-salt", "formula": "MgQ2", "form_class": "inorganic-salt",
        "contributions-TOTAL_FORMS": "0", "contributions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_formula_that_does_not_parse_is_named_next_to_the_field_and_nothing_is_saved(admin_client_logged_in):
    response = admin_client_logged_in.post("/admin/compounds/compound/add/", _compound_form())

    assert response.status_code == 200
    assert "“MgQ2” is not a molecular formula" in response.content.decode()
    assert not Compound.objects.filter(slug="bad-salt").exists()


def test_an_absurd_amount_on_a_product_line_is_refused_and_the_product_is_not_saved_half_way(admin_client_logged_in):
    oxide = Compound.objects.get(slug="magnesium-oxide")
    data = {
        "name": "Typo", "slug": "typo", "brand": "", "dosage_form": "capsule", "capsule_size": "0", "serving_size": "1",
        "servings_per_day": "1", "servings_per_container": "30", "timing": "morning", "markets": '["US"]',
        "population": "adult", "claims": "", "notes": "",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
        "lines-0-position": "0", "lines-0-compound": str(oxide.pk), "lines-0-amount": "500", "lines-0-unit": "g",
        "lines-0-overage_percent": "0",
    }
    response = admin_client_logged_in.post("/admin/formulator/product/add/", data)

    assert response.status_code == 200
    assert "500 g is more than 100 g a serving: check the amount and the unit." in response.content.decode()
    assert not Product.objects.filter(slug="typo").exists()


def test_a_zero_amount_is_refused(admin_client_logged_in):
    oxide = Compound.objects.get(slug="magnesium-oxide")
    data = {
        "name": "Zero", "slug": "zero", "dosage_form": "capsule", "serving_size": "1", "servings_per_day": "1",
        "servings_per_container": "30", "timing": "morning", "markets": '["US"]', "population": "adult",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
        "lines-0-position": "0", "lines-0-compound": str(oxide.pk), "lines-0-amount": "0", "lines-0-unit": "mg",
        "lines-0-overage_percent": "0",
    }
    response = admin_client_logged_in.post("/admin/formulator/product/add/", data)

    assert "Enter an amount greater than zero." in response.content.decode()
    assert not Product.objects.filter(slug="zero").exists()


def test_a_curator_ticks_the_populations_an_interaction_applies_to(admin_client_logged_in):
    from compounds.models import Nutrient
    from evidence.models import Interaction

    response = admin_client_logged_in.post("/admin/evidence/interaction/add/", {
        "kind": "population", "nutrient": Nutrient.objects.get(slug="magnesium").pk, "agent": "Toddlers",
        "effect": "Not studied", "severity": "moderate", "management": "Adult formulation only", "source": "Test",
        "populations": ["child-1-3", "child-4-8"],
    })

    assert response.status_code == 302
    assert Interaction.objects.get(agent="Toddlers").populations == ["child-1-3", "child-4-8"]


@pytest.mark.parametrize("named", ["both", "neither"])
def test_an_interaction_is_recorded_for_a_compound_or_a_nutrient_not_both(admin_client_logged_in, named):
    """Recorded for both, it was listed for every form of the nutrient yet named by one compound on every sheet."""
    from compounds.models import Nutrient
    from evidence.models import ERROR_COMPOUND_OR_NUTRIENT, Interaction

    fields = {"compound": Compound.objects.get(slug="magnesium-bisglycinate").pk,
              "nutrient": Nutrient.objects.get(slug="magnesium").pk} if named == "both" else {}
    response = admin_client_logged_in.post("/admin/evidence/interaction/add/", {
        "kind": "drug", "agent": "Digoxin", "effect": "More absorbed", "severity": "low", "management": "Monitor",
        "source": "Test", **fields,
    })

    assert response.status_code == 200
    assert ERROR_COMPOUND_OR_NUTRIENT in response.content.decode()
    assert not Interaction.objects.filter(agent="Digoxin").exists()


def _product_form(name, team, compound):
    return {
        "name": name, "slug": "admin-design", "team": str(team.pk), "status": "draft", "brand": "", "dosage_form": "capsule",
        "capsule_size": "0", "serving_size": "1", "servings_per_day": "1", "servings_per_container": "30",
        "timing": "morning", "markets": '["US"]', "population": "adult", "claims": "", "notes": "",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
        "lines-0-position": "0", "lines-0-compound": str(compound.pk), "lines-0-amount": "500", "lines-0-unit": "mg",
        "lines-0-overage_percent": "0",
    }


def test_a_name_that_reads_as_another_of_the_team_is_refused_in_the_admin(admin_client_logged_in):
    from formulator import services

    recover = Product.objects.get(slug="recover")
    data = _product_form("recover\u200b", recover.team, Compound.objects.get(slug="magnesium-oxide"))

    response = admin_client_logged_in.post("/admin/formulator/product/add/", data)

    assert response.status_code == 200
    assert services.ERROR_NAME_TAKEN.format(team=recover.team, what="product", name="Recover") in response.content.decode()
    assert not Product.objects.filter(slug="admin-design").exists()


def test_a_name_saved_in_the_admin_is_cleaned_as_the_editors_clean_it(admin_client_logged_in):
    recover = Product.objects.get(slug="recover")
    data = _product_form("  Night\u200b   Blend ", recover.team, Compound.objects.get(slug="magnesium-oxide"))

    response = admin_client_logged_in.post("/admin/formulator/product/add/", data)

    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert Product.objects.get(slug="admin-design").name == "Night Blend"
