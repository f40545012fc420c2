"""Curators work in the Django admin: every model is there, and bad input is named next to its field."""

import html
import re
from decimal import Decimal

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


@pytest.mark.parametrize("name", ["magnesium oxide", "Magnesium  oxide", "MAGNESIUM OXIDE"])
def test_a_compound_named_as_another_but_for_case_or_spacing_is_refused(admin_client_logged_in, name):
    """"magnesium oxide" and "Magnesium  oxide" were saved beside "Magnesium oxide", and listed alike."""
    from compounds.models import ERROR_COMPOUND_NAMED

    page = admin_client_logged_in.post("/admin/compounds/compound/add/", _compound_form(
        name=name, slug="qa-oxide", formula="MgO")).content.decode()

    assert html.escape(ERROR_COMPOUND_NAMED.format(name="Magnesium oxide")) in page
    assert not Compound.objects.filter(slug="qa-oxide").exists()


def test_a_formula_that_does_not_parse_is_named_next_to_the_field_and_nothing_is_saved(admin_client_logged_in):
    response = admin_client_logged_in.post("/admin/compounds/compound/add/", _compound_form())

    assert response.status_code == 200
    assert "“MgQ2” is not a molecular formula" in response.content.decode()
    assert not Compound.objects.filter(slug="bad-salt").exists()


def test_a_compound_linked_to_a_nutrient_by_its_new_formula_says_so(admin_client_logged_in):
    """An extract given a formula ("MgO") became a magnesium source on every page, unannounced."""
    from compounds.admin import MESSAGE_LINKED_BY_FORMULA

    form = _compound_form(name="Ashwagandha QA", slug="ashwagandha-qa", formula="MgO", form_class="other")
    said = MESSAGE_LINKED_BY_FORMULA.format(name="Ashwagandha QA", nutrients="magnesium", formula="MgO", them="it")

    response = admin_client_logged_in.post("/admin/compounds/compound/add/", form, follow=True)
    assert said in [str(m) for m in response.context["messages"]]

    compound = Compound.objects.get(slug="ashwagandha-qa")
    link = compound.contributions.get()
    again = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/", {
        **form, "notes": "Seen", "contributions-TOTAL_FORMS": "1", "contributions-INITIAL_FORMS": "1",
        "contributions-0-id": str(link.pk), "contributions-0-compound": str(compound.pk),
        "contributions-0-nutrient": str(link.nutrient_id)}, follow=True)
    assert again.status_code == 200 and Compound.objects.get(pk=compound.pk).notes == "Seen"
    assert said not in [str(m) for m in again.context["messages"]]  # linked already: nothing new to say


def test_reverting_a_compound_to_a_formula_its_suppliers_fraction_cannot_stand_beside_is_refused(admin_client_logged_in):
    """Mg(OH)2 changed to MgO, given a supplier's 55% magnesium, then reverted to Mg(OH)2 from its history: saved, and
    every design read 55% of a compound whose formula holds 41.68%."""
    from compounds.resources import ERROR_IMPORT_FORMULA_LINK

    compound = Compound.objects.get(slug="magnesium-hydroxide")
    seeded = compound.history.earliest()
    Compound.objects.filter(pk=compound.pk).update(formula="MgO")
    compound.contributions.filter(nutrient__slug="magnesium").update(specified_fraction=Decimal("0.55"),
                                                                      specified_source="QA CoA")
    form = {"name": compound.name, "slug": compound.slug, "formula": "Mg(OH)2", "form_class": compound.form_class,
            "label_source_name": compound.label_source_name}

    response = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/history/{seeded.history_id}/", form)

    assert response.status_code == 200
    assert ERROR_IMPORT_FORMULA_LINK.format(nutrient="magnesium", problem="").split(":")[0] in html.unescape(
        response.content.decode())
    assert Compound.objects.get(pk=compound.pk).formula == "MgO"


def _new_compound_with_link(nutrient_slug: str, formula: str, units: str = ""):
    from compounds.models import Nutrient

    return _compound_form(**{"name": "QA salt", "slug": "qa-salt", "formula": formula,
                             "contributions-TOTAL_FORMS": "1",
                             "contributions-0-nutrient": str(Nutrient.objects.get(slug=nutrient_slug).pk),
                             "contributions-0-units_per_formula": units})


@pytest.mark.parametrize(("nutrient", "formula", "message"), [
    ("magnesium", "NaCl", "The formula “NaCl” has no element Mg."),
    ("vitamin-b6", "MgO", "The formula “MgO” cannot release vitamin B6"),
    ("glycine", "NaCl", "The formula “NaCl” cannot release glycine"),
])
def test_a_new_compound_cannot_be_linked_to_a_nutrient_its_formula_cannot_give(admin_client_logged_in, client, nutrient,
                                                                               formula, message):
    """Saved unchecked, as the compound had no id yet: NaCl "giving" magnesium made the library, the product lists and
    the API answer 500; MgO gave 420% vitamin B6."""
    response = admin_client_logged_in.post("/admin/compounds/compound/add/", _new_compound_with_link(nutrient, formula))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Compound.objects.filter(slug="qa-salt").exists()
    assert client.get("/compounds/").status_code == 200


@pytest.mark.parametrize(("nutrient", "units", "field_message"), [
    ("magnesium", "3", "The formula gives the count of magnesium atoms: leave units per formula empty"),
    ("magnesium", "0", "The formula gives the count of magnesium atoms: leave units per formula empty"),
    ("glycine", "0", "Ensure this value is greater than or equal to 1."),
])
def test_a_count_of_units_that_would_be_ignored_is_refused(admin_client_logged_in, nutrient, units, field_message):
    """Magnesium ×3 and ×0 in MgO saved and both read 60.30%; 0 glycine read as 1."""
    formula = "Mg(C2H4NO2)2" if nutrient == "glycine" else "MgO"
    response = admin_client_logged_in.post("/admin/compounds/compound/add/",
                                           _new_compound_with_link(nutrient, formula, units))

    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not Compound.objects.filter(slug="qa-salt").exists()


def test_a_new_compound_linked_to_what_its_formula_gives_is_saved(admin_client_logged_in):
    response = admin_client_logged_in.post("/admin/compounds/compound/add/",
                                           _new_compound_with_link("glycine", "Mg(C2H4NO2)2", "2"))

    assert response.status_code == 302
    compound = Compound.objects.get(slug="qa-salt")
    assert sorted(compound.contributions.values_list("nutrient__slug", flat=True)) == ["glycine", "magnesium"]


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


def test_an_exclusion_by_law_names_the_populations_it_excludes(admin_client_logged_in):
    """With none ticked, the product page said "excluded by law in EU" and approval was not blocked."""
    from compounds.models import Nutrient
    from evidence.models import ERROR_EXCLUDED_WITHOUT_POPULATIONS, Interaction

    response = admin_client_logged_in.post("/admin/evidence/interaction/add/", {
        "kind": "population", "nutrient": Nutrient.objects.get(slug="magnesium").pk, "agent": "Everyone",
        "effect": "Not authorised", "severity": "high", "management": "Do not sell", "source": "Test",
        "excluded_in": ["EU"],
    })

    assert response.status_code == 200
    assert ERROR_EXCLUDED_WITHOUT_POPULATIONS in response.content.decode()
    assert not Interaction.objects.filter(agent="Everyone").exists()


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


def _edit_1_form(product):
    return {"name": "Changed in the admin", "slug": product.slug, "team": str(product.team.pk), "status": "approved",
            "dosage_form": product.dosage_form, "serving_size": "1", "servings_per_day": "1",
            "servings_per_container": "30", "timing": "morning", "markets": '["US"]', "population": "adult"}


def test_a_design_is_read_only_in_the_admin_its_editor_changes_it(admin_client_logged_in):
    """An admin changed an approved product's lines and it stayed approved, at the same edit: the review bypassed."""
    Product.objects.filter(slug="recover").update(status="approved")
    recover = Product.objects.get(slug="recover")

    change = admin_client_logged_in.post(f"/admin/formulator/product/{recover.pk}/change/", _edit_1_form(recover))
    add = admin_client_logged_in.post("/admin/formulator/product/add/", _edit_1_form(recover))
    stack_add = admin_client_logged_in.get("/admin/formulator/stack/add/")
    page = admin_client_logged_in.get(f"/admin/formulator/product/{recover.pk}/change/").content.decode()

    assert (change.status_code, add.status_code, stack_add.status_code) == (403, 403, 403)
    assert Product.objects.get(slug="recover").name == "Recover" and 'name="lines-0-amount"' not in page


def test_a_compounds_history_shows_when_its_specified_fraction_changed(admin_client_logged_in):
    """The fraction every figure of a threonate product rests on changed (7.2% to 8.25%) and the compound's history
    page showed nothing: the links are edited on the compound's page, but their history was not shown there."""
    import re

    from compounds.models import Compound, CompoundNutrient

    threonate = Compound.objects.get(slug="magnesium-l-threonate")
    link = CompoundNutrient.objects.get(compound=threonate, nutrient__slug="magnesium")
    link.specified_fraction, link.specified_source = Decimal("0.0825"), "Supplier CoA 2026-11"
    link.save()

    page = admin_client_logged_in.get(f"/admin/compounds/compound/{threonate.pk}/history/").content.decode()
    section = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index('id="link-history"'):]))

    assert re.search(r"Magnesium 8\.25% Supplier CoA 2026-11 — .* Changed", section)
    assert re.search(r"Magnesium 7\.20% Magtein specification", section)


def test_a_studys_history_shows_when_a_finding_changed(admin_client_logged_in):
    """Hausenblas 2024's sleep finding changed from benefit to no effect, and L-threonate's grade with it; the study's
    history said "none to this record's fields"."""
    from evidence.models import Study

    study = Study.objects.get(key="hausenblas-2024")
    finding = study.outcomes.get(outcome="sleep-quality")
    finding.direction = "no-effect"
    finding.save()

    page = admin_client_logged_in.get(f"/admin/evidence/study/{study.pk}/history/").content.decode()
    section = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index('id="outcome-history"'):]))

    assert re.search(r"Sleep quality No effect .* Changed", section)
    assert re.search(r"Sleep quality Benefit .* Created", section)


def test_a_past_version_cannot_be_posted_back_through_the_admin_history(admin_client_logged_in):
    recover = Product.objects.get(slug="recover")
    record = recover.history.first()

    response = admin_client_logged_in.post(f"/admin/formulator/product/{recover.pk}/history/{record.history_id}/",
                                           _edit_1_form(recover))

    assert response.status_code == 403 and Product.objects.get(slug="recover").name == "Recover"


def test_an_approved_product_cannot_be_deleted_in_the_admin_a_draft_can(admin_client_logged_in):
    from tests.factories import ProductFactory

    Product.objects.filter(slug="recover").update(status="approved")
    recover, draft = Product.objects.get(slug="recover"), ProductFactory()

    refused = admin_client_logged_in.post(f"/admin/formulator/product/{recover.pk}/delete/", {"post": "yes"})
    admin_client_logged_in.post(f"/admin/formulator/product/{draft.pk}/delete/", {"post": "yes"})

    assert refused.status_code == 403 and Product.objects.filter(slug="recover").exists()
    assert not Product.objects.filter(pk=draft.pk).exists()


def test_removing_an_element_the_formula_holds_is_refused_not_undone_unseen(admin_client_logged_in):
    """"Changed successfully", and the save linked magnesium again from the formula."""
    from compounds.admin import ERROR_ELEMENT_IN_FORMULA
    from compounds.models import CompoundNutrient

    chloride = Compound.objects.get(slug="magnesium-chloride-hexahydrate")
    link = CompoundNutrient.objects.get(compound=chloride, nutrient__slug="magnesium")
    data = {
        "name": chloride.name, "slug": chloride.slug, "formula": chloride.formula, "form_class": chloride.form_class,
        "synonyms": chloride.synonyms, "label_source_name": chloride.label_source_name,
        "contributions-TOTAL_FORMS": "1", "contributions-INITIAL_FORMS": "1",
        "contributions-0-id": str(link.pk), "contributions-0-compound": str(chloride.pk),
        "contributions-0-nutrient": str(link.nutrient.pk), "contributions-0-units_per_formula": "",
        "contributions-0-DELETE": "on",
    }

    response = admin_client_logged_in.post(f"/admin/compounds/compound/{chloride.pk}/change/", data)

    assert response.status_code == 200
    assert ERROR_ELEMENT_IN_FORMULA.format(nutrient="Magnesium", formula="MgCl2·6H2O") in response.content.decode()


def test_removing_a_molecular_nutrients_link_says_what_designs_lose(admin_client_logged_in):
    """Glycine taken off bisglycinate: "changed successfully", and MoodFlow's 1,483 mg of glycine gone unannounced."""
    from compounds.admin import MESSAGE_UNLINKED
    from compounds.models import CompoundNutrient

    bisglycinate = Compound.objects.get(slug="magnesium-bisglycinate")
    links = list(CompoundNutrient.objects.filter(compound=bisglycinate).order_by("pk"))
    data = {"name": bisglycinate.name, "slug": bisglycinate.slug, "formula": bisglycinate.formula,
            "form_class": bisglycinate.form_class, "synonyms": bisglycinate.synonyms,
            "label_source_name": bisglycinate.label_source_name,
            "contributions-TOTAL_FORMS": str(len(links)), "contributions-INITIAL_FORMS": str(len(links))}
    for i, link in enumerate(links):
        data.update({f"contributions-{i}-id": str(link.pk), f"contributions-{i}-compound": str(bisglycinate.pk),
                     f"contributions-{i}-nutrient": str(link.nutrient_id),
                     f"contributions-{i}-units_per_formula": str(link.units_per_formula or ""),
                     f"contributions-{i}-specified_fraction": str(link.specified_fraction or ""),
                     f"contributions-{i}-specified_source": link.specified_source})
        if link.nutrient.slug == "glycine":
            data[f"contributions-{i}-DELETE"] = "on"

    response = admin_client_logged_in.post(f"/admin/compounds/compound/{bisglycinate.pk}/change/", data, follow=True)

    assert not bisglycinate.contributions.filter(nutrient__slug="glycine").exists()
    assert MESSAGE_UNLINKED.format(name=bisglycinate.name, nutrients="glycine", them="it") in [
        str(m) for m in response.context["messages"]]


def test_a_nutrients_formula_cannot_be_changed_once_it_exists(admin_client_logged_in):
    """Magnesium as MgO recalculated every magnesium fraction as MgO's; cleared, every product page answered 500."""
    from compounds.models import Nutrient

    magnesium = Nutrient.objects.get(slug="magnesium")
    response = admin_client_logged_in.post(f"/admin/compounds/nutrient/{magnesium.pk}/change/", {
        "name": "Magnesium", "slug": "magnesium", "formula": "", "label_order": str(magnesium.label_order),
        "label_unit": "mg"})

    assert response.status_code == 302
    assert Nutrient.objects.get(pk=magnesium.pk).formula == "Mg"
    assert admin_client_logged_in.get("/products/recover/").status_code == 200


def test_a_role_changed_in_the_admin_changes_what_the_user_may_do(admin_client_logged_in, django_user_model):
    """A curator made a viewer could still edit compounds; a viewer made a formulator was refused by the API."""
    from accounts.models import Membership

    curator, viewer = (django_user_model.objects.get(username=name) for name in ("curator", "viewer"))
    for user, role in ((curator, "viewer"), (viewer, "formulator")):
        membership = Membership.objects.get(user=user)
        response = admin_client_logged_in.post(f"/admin/accounts/membership/{membership.pk}/change/",
                                               {"user": user.pk, "team": membership.team.pk, "role": role})
        assert response.status_code == 302

    curator, viewer = (django_user_model.objects.get(username=name) for name in ("curator", "viewer"))
    assert not curator.has_perm("compounds.change_compound") and not curator.is_staff
    assert viewer.has_perm("formulator.change_product") and not viewer.is_staff


def test_a_membership_deleted_in_the_admin_takes_its_roles_permissions(admin_client_logged_in, django_user_model):
    from accounts.models import Membership

    curator = django_user_model.objects.get(username="curator")
    membership = Membership.objects.get(user=curator)

    admin_client_logged_in.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})

    curator = django_user_model.objects.get(username="curator")
    assert not Membership.objects.filter(user=curator).exists()
    assert not curator.has_perm("compounds.change_compound") and not curator.is_staff


def test_a_formula_heavier_than_any_ingredient_is_refused_at_the_field(admin_client_logged_in):
    from compounds.chemistry import ERROR_TOO_HEAVY

    formula = "C4H8Mg1000000000000000000000N2O4"
    response = admin_client_logged_in.post("/admin/compounds/compound/add/", _compound_form(formula=formula))

    assert response.status_code == 200
    assert ERROR_TOO_HEAVY.format(formula=formula) in html.unescape(response.content.decode())
    assert not Compound.objects.filter(slug="bad-salt").exists()


def _reference_form(**overrides):
    from compounds.models import Nutrient

    # An AI of a market the seed gives none (AU-NZ), so that saving one adds a value.
    data = {"nutrient": str(Nutrient.objects.get(slug="magnesium").pk), "kind": "AI", "market": "AU-NZ",
            "population": "child-9-13", "sex": "any", "qualifier": "", "amount_mg": "250", "per": "day",
            "covers": "total", "source_citation": "EFSA 2015", "source_url": "", "effective_date": "", "notes": "",
            "label_significance": ""}
    data.update(overrides)
    return data


def test_an_amount_typed_wrong_is_said_once_not_also_as_missing(admin_client_logged_in):
    """"abc" as an Adequate Intake's amount said "Enter a number. A Adequate Intake is an amount to meet: give its
    amount.", asking for what was given, with the article wrong."""
    from compounds.models import ERROR_INTAKE_AMOUNT, ReferenceValue

    typed = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(amount_mg="abc"))
    empty = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(amount_mg=""))

    assert "Enter a number." in typed.content.decode()
    assert "amount to meet" not in typed.content.decode()
    assert html.escape(ERROR_INTAKE_AMOUNT.format(kind="Adequate Intake")) in empty.content.decode()
    assert ERROR_INTAKE_AMOUNT.format(kind="Adequate Intake") == "The Adequate Intake is an amount to meet: give its amount."
    assert not ReferenceValue.objects.filter(population="child-9-13", kind="AI", market="AU-NZ", sex="any").exists()


@pytest.mark.parametrize(("amount", "shown", "high"), [("350000", "350,000", True), ("0.35", "0.35", False)])
def test_a_reference_value_far_outside_its_nutrients_others_is_saved_with_a_warning_to_check_its_unit(
        admin_client_logged_in, amount, shown, high):
    """An intake of 350,000 mg of magnesium (350 g) was taken without a word."""
    from compounds.selectors import LEAD_SAVED, MESSAGE_REFERENCE_HIGH, MESSAGE_REFERENCE_LOW

    page = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(amount_mg=amount), follow=True)

    message = (MESSAGE_REFERENCE_HIGH if high else MESSAGE_REFERENCE_LOW).format(
        lead=LEAD_SAVED, market="AU-NZ", kind="AI", population="children 9-13 years", amount=shown, sort="intake reference",
        nutrient="magnesium", low="75", high="420")
    assert html.escape(message) in page.content.decode()


@pytest.mark.parametrize("kind", ["AI", "RDA"])
def test_an_intake_reference_covering_supplemental_intake_only_is_refused(admin_client_logged_in, kind):
    """An RDA of 320 mg "supplemental intake only" was saved, and listed so on the reference values page."""
    from compounds.models import ERROR_INTAKE_SUPPLEMENTAL, ReferenceValue

    page = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(kind=kind, covers="supplemental"))

    assert html.escape(ERROR_INTAKE_SUPPLEMENTAL.format(kind=ReferenceValue.Kind(kind).label)) in page.content.decode()
    assert not ReferenceValue.objects.filter(market="AU-NZ", kind=kind, population="child-9-13").exists()


def test_a_reference_value_for_one_sex_is_named_with_it():
    """A women's RDA was named as the adults' in the admin's messages: "AU-NZ RDA Magnesium (Adults): 320 mg"."""
    from compounds.models import ReferenceValue

    value = ReferenceValue.objects.filter(nutrient__slug="magnesium", kind="RDA", market="US", population="adult",
                                          sex="female").first()

    assert str(value).startswith("US RDA Magnesium (Adults, female): ")


def test_a_slip_saved_despite_its_warning_does_not_widen_the_range_later_values_are_checked_against():
    """A UL of 350,000 mg saved, a maximum of 0.035 mg was checked against "65 to 350,000 mg"."""
    from compounds.models import ReferenceValue
    from compounds.selectors import LEAD_SAVED, MESSAGE_REFERENCE_LOW, reference_value_outlier

    magnesium = ReferenceValue.objects.filter(nutrient__slug="magnesium").first().nutrient
    ReferenceValue.objects.create(nutrient=magnesium, kind="UL", market="AU-NZ", population="infant", sex="female",
                                  amount_mg=Decimal(350000), covers="supplemental", source_citation="QA slip")
    low = ReferenceValue(nutrient=magnesium, kind="MAX", market="DE", population="child-4-8", amount_mg=Decimal("0.035"),
                         covers="supplemental", source_citation="QA slip")

    assert reference_value_outlier(low) == MESSAGE_REFERENCE_LOW.format(
        lead=LEAD_SAVED, market="DE", kind="MAX", population="children 4-8 years", amount="0.035", sort="limit",
        nutrient="magnesium", low="65", high="500")


def test_a_reference_value_within_its_nutrients_others_is_saved_without_a_warning(admin_client_logged_in):
    page = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(), follow=True)

    assert "Saved, but check the amount" not in page.content.decode() and "was added successfully" in page.content.decode()


def test_a_negative_daily_value_is_refused_without_advice_on_the_label_unit(admin_client_logged_in):
    """-420 mg as magnesium's DV was told to set magnesium's label unit to mcg."""
    page = admin_client_logged_in.post("/admin/compounds/referencevalue/add/",
                                       _reference_form(kind="DV", market="US", population="adult", amount_mg="-420"))

    assert "Ensure this value is greater than or equal to 0" in page.content.decode()
    assert "Set its label unit to mcg" not in page.content.decode()


def test_a_history_writes_no_none_and_says_when_a_save_changed_none_of_the_records_fields(admin_client_logged_in):
    """Every record read "None" for its change reason, and the seed's for its user; a save that changed only a nutrient
    link left its row's Changes empty."""
    import re

    threonate = Compound.objects.get(slug="magnesium-l-threonate")
    threonate.save()
    threonate.save()  # as the admin saves a compound whose links alone were edited: a record of no change

    page = admin_client_logged_in.get(f"/admin/compounds/compound/{threonate.pk}/history/").content.decode()
    table = page[page.index('id="change-history"'):page.index("</table>", page.index('id="change-history"'))]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", table, re.S)]

    assert "None" not in cells
    assert "none to this record's fields" in cells


def test_a_reference_value_not_yet_in_force_is_refused(admin_client_logged_in):
    """An AI dated 2999-01-01 was saved and used in today's calculations at once."""
    import datetime

    from compounds.models import ERROR_EFFECTIVE_LATER, ReferenceValue

    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    later = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(effective_date="2999-01-01"))
    soon = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(effective_date=tomorrow.isoformat()))

    assert html.escape(ERROR_EFFECTIVE_LATER.format(date="2999-01-01")) in later.content.decode()
    assert html.escape(ERROR_EFFECTIVE_LATER.format(date=tomorrow.isoformat())) in soon.content.decode()
    assert not ReferenceValue.objects.filter(population="child-9-13", kind="AI", market="AU-NZ").exists()
    saved = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(effective_date="2015-10-01"))
    assert saved.status_code == 302 and ReferenceValue.objects.filter(population="child-9-13", kind="AI", market="AU-NZ").exists()


@pytest.mark.parametrize("typed", ["01/02/2020", "1/2/2020", "01/02/20"])
def test_a_date_typed_day_and_month_in_either_order_is_refused_not_read_as_january(admin_client_logged_in, typed):
    """"01/02/2020" was saved as 2 January 2020, a European curator's 1 February, as the import refuses it."""
    from compounds.admin import ERROR_DATE_TYPED
    from compounds.models import ReferenceValue

    response = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(effective_date=typed))

    assert response.status_code == 200 and ERROR_DATE_TYPED in response.content.decode()
    assert not ReferenceValue.objects.filter(population="child-9-13", kind="AI", market="AU-NZ").exists()


def test_a_reference_value_dated_before_any_was_set_is_refused(admin_client_logged_in):
    """0001-01-01 was saved."""
    from compounds.models import ERROR_EFFECTIVE_EARLY, ReferenceValue

    response = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(effective_date="0001-01-01"))

    assert html.escape(ERROR_EFFECTIVE_EARLY.format(date="0001-01-01")) in response.content.decode()
    assert not ReferenceValue.objects.filter(population="child-9-13", kind="AI", market="AU-NZ").exists()


def _interaction(**overrides):
    from compounds.models import Nutrient

    return {"kind": "drug", "nutrient": Nutrient.objects.get(slug="magnesium").pk, "agent": "Warfarin",
            "effect": "Bleeding", "severity": "moderate", "management": "Monitor", "source": "Test", **overrides}


def test_a_population_caution_names_its_populations(admin_client_logged_in):
    """With none ticked it was shown on every design, Luna's for adults too."""
    from evidence.models import ERROR_CAUTION_WITHOUT_POPULATIONS, Interaction

    response = admin_client_logged_in.post("/admin/evidence/interaction/add/", _interaction(kind="population"))

    assert response.status_code == 200
    assert html.escape(ERROR_CAUTION_WITHOUT_POPULATIONS) in response.content.decode()
    assert not Interaction.objects.filter(agent="Warfarin").exists()


@pytest.mark.parametrize("fields", [{"agent": "bisphosphonates "}, {"agent": "Loop and  thiazide diuretics"},
                                    {"agent": "Bisphosphonates", "nutrient": "", "compound": "oxide"}],
                         ids=["cased-otherwise", "spaced-otherwise", "for-a-form-of-the-nutrient"])
def test_an_interaction_recorded_already_is_refused_not_listed_twice(admin_client_logged_in, fields):
    """A second "Bisphosphonates" for magnesium was saved, and Luna listed it twice; so was one for magnesium oxide,
    and one with its words spaced otherwise."""
    from evidence.models import ERROR_INTERACTION_RECORDED, Interaction

    if fields.get("compound"):
        fields = {**fields, "compound": Compound.objects.get(slug="magnesium-oxide").pk}
    seeded = Interaction.objects.filter(kind="drug").count()
    response = admin_client_logged_in.post("/admin/evidence/interaction/add/", _interaction(**fields))
    other_kind = admin_client_logged_in.post("/admin/evidence/interaction/add/",
                                             _interaction(agent="Bisphosphonates", kind="condition"))

    assert response.status_code == 200 and html.escape(ERROR_INTERACTION_RECORDED) in response.content.decode()
    assert Interaction.objects.filter(kind="drug").count() == seeded
    assert other_kind.status_code == 302  # another kind of record is another record


def _study(**overrides):
    return {"key": "qa-study", "authors": "Qa A", "year": "2020", "title": "QA", "design": "rct",
            "verification": "as-cited", "compounds": [Compound.objects.get(slug="magnesium-oxide").pk],
            "outcomes-TOTAL_FORMS": "0", "outcomes-INITIAL_FORMS": "0", **overrides}


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"dose_compound_mg_min": "500", "dose_elemental_mg_min": "600"}, "dose_elemental_mg_min", "ERROR_ELEMENTAL_ABOVE_COMPOUND"),
    ({"dose_compound_mg_max": "500", "dose_elemental_mg_max": "600"}, "dose_elemental_mg_max", "ERROR_ELEMENTAL_ABOVE_COMPOUND"),
    ({"dose_compound_mg_min": "0", "dose_compound_mg_max": "0"}, "dose_compound_mg_max", "ERROR_DOSE_NONE"),
    ({"dose_elemental_mg_min": "0"}, "dose_elemental_mg_min", "ERROR_DOSE_NONE"),
    ({"dose_elemental_mg_min": "0", "dose_elemental_mg_max": "300"}, "dose_elemental_mg_min", "ERROR_DOSE_NONE"),
    ({"dose_compound_mg_min": "500", "dose_elemental_mg_max": "600"}, "dose_elemental_mg_max", "ERROR_ELEMENTAL_ABOVE_COMPOUND"),
    ({"pmid": "٢٨٤٤٥"}, "pmid", "ERROR_PMID"),
    ({"pmid": "00000"}, "pmid", "ERROR_PMID"),
    ({"verification": "disputed", "curator_notes": "  "}, "curator_notes", "ERROR_DISPUTED_WITHOUT_NOTE"),
    ({"seed_misquotes": "on", "seed_file": "000"}, "seed_claim", "ERROR_MISQUOTE_WITHOUT_CLAIM"),
    ({"doi": "not a doi"}, "doi", "ERROR_DOI"),
    ({"doi": "https://doi.org/10.3390/nu9050429"}, "doi", "ERROR_DOI"),
    ({"pmid": "abc"}, "pmid", "ERROR_PMID"),
    ({"outcomes-TOTAL_FORMS": "2", "outcomes-0-outcome": "sleep-quality", "outcomes-0-direction": "benefit",
      "outcomes-1-outcome": "sleep-quality", "outcomes-1-direction": "no-effect"}, "outcomes-1-outcome", "ERROR_OUTCOME_TWICE"),
    ({"n": "0"}, "n", "ERROR_N_NONE"),  # it counted as one of the two randomised trials an A asks for
], ids=["elemental-above-compound-from", "elemental-above-compound-to", "zero-to-zero", "zero", "zero-from",
        "elemental-to-above-the-one-compound-dose", "pmid-other-digits", "pmid-zeros", "disputed-unexplained",
        "misquoted-unquoted", "doi-words", "doi-address", "pmid-letters", "outcome-twice", "no-participants"])
def test_a_study_that_cannot_be_right_is_refused_at_its_field(admin_client_logged_in, fields, field, message):
    """600 mg elemental of 500 mg of MgO, a dose of 0-0 mg, a disputed entry with no reason, a misquote flag with no
    quote, a DOI "not a doi" and one outcome given as both benefit and no effect were saved."""
    from evidence import models
    from evidence.models import Study

    response = admin_client_logged_in.post("/admin/evidence/study/add/", _study(**fields))
    page = response.content.decode()

    assert response.status_code == 200 and not Study.objects.filter(key="qa-study").exists()
    errors = re.search(rf'class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert errors and html.escape(getattr(models, message)) in errors.group(1)


@pytest.mark.parametrize(("compound", "fields", "field", "message"), [
    # 2 g of threonate typed as 2 mg: 0.14 mg of magnesium, and the studied span on Recover read "144 mcg–144 mg".
    ("magnesium-l-threonate", {"dose_compound_mg_min": "2"}, "dose_compound_mg_min",
     "2 mg a day of the compound gives 144 mcg–165 mcg of magnesium, below any dose a study gives (3 mg to 10,000 mg a day"),
    ("trimagnesium-dicitrate", {"dose_elemental_mg_min": "0.3"}, "dose_elemental_mg_min",
     "300 mcg of magnesium a day is below any dose a study gives"),
    ("trimagnesium-dicitrate", {"dose_elemental_mg_max": "300000"}, "dose_elemental_mg_max",
     "300,000 mg of magnesium a day is above any dose a study gives"),
])
def test_a_studied_dose_no_study_gives_is_refused_as_a_mistyped_unit(admin_client_logged_in, compound, fields, field,
                                                                      message):
    from evidence.models import Study

    response = admin_client_logged_in.post("/admin/evidence/study/add/", _study(
        compounds=[Compound.objects.get(slug=compound).pk], **fields))
    errors = re.search(rf'class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)

    assert errors and message in html.unescape(errors.group(1))
    assert "check the unit" in html.unescape(errors.group(1))
    assert not Study.objects.filter(key="qa-study").exists()


def test_a_study_without_compounds_takes_no_elemental_dose(admin_client_logged_in):
    """1,000 mg of no compound "holding 50 mg elemental" was saved, where naming glycine refused it."""
    from evidence.models import ERROR_ELEMENTAL_WITHOUT_COMPOUND, Study

    page = admin_client_logged_in.post("/admin/evidence/study/add/", _study(
        compounds=[], dose_compound_mg_min="1000", dose_elemental_mg_min="50")).content.decode()

    assert html.escape(ERROR_ELEMENTAL_WITHOUT_COMPOUND) in page
    assert not Study.objects.filter(key="qa-study").exists()


def test_a_compound_dose_of_0_is_said_once_not_as_an_elemental_dose_above_it(admin_client_logged_in):
    """With a compound dose "from 0", 150 mg elemental was also said to be "more than the compound dose"."""
    from evidence import models

    page = admin_client_logged_in.post("/admin/evidence/study/add/", _study(
        dose_compound_mg_min="0", dose_compound_mg_max="500", dose_elemental_mg_min="150")).content.decode()

    assert html.escape(models.ERROR_DOSE_NONE) in page
    assert html.escape(models.ERROR_ELEMENTAL_ABOVE_COMPOUND) not in page


def test_a_study_with_its_elemental_dose_inside_its_compound_dose_is_saved(admin_client_logged_in):
    """A DOI whose registrant has a subdivision (the DOI Handbook's 10.1000.10) was refused; "other" holds measures of
    every kind, each its own row."""
    from evidence.models import Study

    response = admin_client_logged_in.post("/admin/evidence/study/add/", _study(
        dose_compound_mg_min="414", dose_compound_mg_max="828", dose_elemental_mg_min="250", dose_elemental_mg_max="500",
        doi="10.1000.10/123456", pmid="12345678", seed_misquotes="on", seed_claim="250 mg with B6",
        **{"outcomes-TOTAL_FORMS": "2", "outcomes-0-outcome": "other", "outcomes-0-direction": "benefit",
           "outcomes-1-outcome": "other", "outcomes-1-direction": "no-effect"}))

    assert response.status_code == 302 and Study.objects.filter(key="qa-study").exists()


@pytest.mark.parametrize(("compounds", "fields", "field", "message"), [
    (["magnesium-oxide"], {"dose_compound_mg_min": "828", "dose_elemental_mg_min": "255"}, "dose_elemental_mg_min",
     "828 mg of magnesium oxide holds 499.3 mg magnesium, not 255 mg: check the compound (which hydrate was studied), "
     "the figures and their units."),
    (["magnesium-oxide", "magnesium-l-threonate"], {"dose_compound_mg_min": "1000", "dose_compound_mg_max": "2000",
                                                    "dose_elemental_mg_max": "1500"}, "dose_elemental_mg_max",
     "2,000 mg of magnesium L-threonate or magnesium oxide holds 144 mg–1,206.1 mg magnesium, not 1,500 mg: check the "
     "compound (which hydrate was studied), the figures and their units."),
    (["glycine"], {"dose_elemental_mg_min": "3000"}, "dose_elemental_mg_min",
     "None of the study's compounds is a form of an element (magnesium): give its dose as the compound dose."),
], ids=["oxide-holds-more", "above-every-compound", "glycine-has-no-element"])
def test_an_elemental_dose_its_compounds_cannot_hold_is_refused_at_its_field(admin_client_logged_in, compounds, fields,
                                                                            field, message):
    """255 mg "elemental" of 828 mg of MgO (which holds 499.3 mg) was saved, and a glycine study took an elemental dose."""
    from evidence.models import Study

    pks = list(Compound.objects.filter(slug__in=compounds).values_list("pk", flat=True))
    response = admin_client_logged_in.post("/admin/evidence/study/add/", _study(compounds=pks, **fields))
    page = response.content.decode()

    assert response.status_code == 200 and not Study.objects.filter(key="qa-study").exists()
    errors = re.search(rf'class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert errors and errors.group(1).count("<li>") == 1 and html.escape(message) in errors.group(1)


@pytest.mark.parametrize("fields", [
    {"dose_compound_mg_min": "1500", "dose_compound_mg_max": "2000", "dose_elemental_mg_min": "108",
     "dose_elemental_mg_max": "144"},  # Liu 2016: Magtein's 7.2%, not the formula's 8.25%
    {"dose_compound_mg_min": "1500", "dose_elemental_mg_min": "124"},  # the formula's
])
def test_an_elemental_dose_by_either_fraction_of_its_compound_is_saved(admin_client_logged_in, fields):
    from evidence.models import Study

    threonate = Compound.objects.get(slug="magnesium-l-threonate").pk
    response = admin_client_logged_in.post("/admin/evidence/study/add/", _study(compounds=[threonate], **fields))

    assert response.status_code == 302 and Study.objects.filter(key="qa-study").exists()


def test_an_override_left_blank_is_said_once(admin_client_logged_in):
    response = admin_client_logged_in.post("/admin/evidence/gradeoverride/add/", {
        "compound": Compound.objects.get(slug="magnesium-oxide").pk, "outcome": "sleep-quality", "grade": "B",
        "reason": "   "})
    page = response.content.decode()

    assert "This field is required." in page and "An override needs its reason." not in page


def test_an_override_is_the_curators_who_saves_it_not_whoever_is_chosen(admin_client_logged_in, django_user_model):
    """The form listed every user as the curator: an override was saved in the name of the read-only viewer."""
    from evidence.models import GradeOverride

    viewer = django_user_model.objects.get(username="viewer")
    admin_client_logged_in.post("/admin/evidence/gradeoverride/add/", {
        "compound": Compound.objects.get(slug="magnesium-oxide").pk, "outcome": "migraine", "grade": "A",
        "reason": "QA test override", "curator": viewer.pk})

    override = GradeOverride.objects.get(reason="QA test override")
    assert override.curator.username == "curator-su"


@pytest.mark.parametrize(("typed", "message"), [("0,072", "ERROR_DECIMAL_COMMA"), ("7e-2", None)])
def test_a_specified_fraction_is_written_as_the_workbench_reads_numbers(admin_client_logged_in, typed, message):
    """ "0,072" said a bare "Enter a number." (an import says what a comma does), and "7e-2" was taken, which an
    import refuses."""
    from formulator import forms

    data = _new_compound_with_link("magnesium", "MgO")
    data.update({"contributions-0-specified_fraction": typed, "contributions-0-specified_source": "Supplier CoA"})
    page = admin_client_logged_in.post("/admin/compounds/compound/add/", data).content.decode()

    assert not Compound.objects.filter(slug="qa-salt").exists()
    assert html.escape(getattr(forms, message) if message else "Enter a number.") in page
    # Given, but not as a number: not also told its source cites nothing.
    from compounds.models import ERROR_SOURCE_WITHOUT_FRACTION
    assert html.escape(ERROR_SOURCE_WITHOUT_FRACTION) not in page


def test_a_capsule_size_keeps_its_place_among_the_sizes_and_its_history(admin_client_logged_in):
    """Size 00 at 2.5 mL, more than 000's 1.37 mL, was saved and lifted Recover's approval blocker, recorded only as
    "Changed Fill volume (mL).", without from what."""
    from compounds.models import ERROR_CAPSULE_ORDER, CapsuleSize

    size = CapsuleSize.objects.get(code="00")
    post = {"code": "00", "source": size.source, "position": str(size.position)}

    refused = admin_client_logged_in.post(f"/admin/compounds/capsulesize/{size.pk}/change/", {**post, "volume_ml": "2.5"})
    admin_client_logged_in.post(f"/admin/compounds/capsulesize/{size.pk}/change/", {**post, "volume_ml": "0.9"})

    assert html.escape(ERROR_CAPSULE_ORDER.format(larger="size 000, 1.37 mL", smaller="size 0E, 0.78 mL")) in refused.content.decode()
    assert [r.volume_ml for r in size.history.order_by("history_date")][-1] == Decimal("0.9")
    assert CapsuleSize.objects.get(code="00").volume_ml == Decimal("0.9")


def _compound_change(compound: Compound, **changes: str) -> dict[str, str]:
    """The admin's change form of a compound as it stands, its nutrient links as inline rows, with changes."""
    from compounds.models import CompoundNutrient

    links = list(CompoundNutrient.objects.filter(compound=compound))
    data = {"name": compound.name, "slug": compound.slug, "formula": compound.formula, "form_class": compound.form_class,
            "synonyms": compound.synonyms, "label_source_name": compound.label_source_name,
            "contributions-TOTAL_FORMS": str(len(links)), "contributions-INITIAL_FORMS": str(len(links))}
    for i, link in enumerate(links):
        data.update({f"contributions-{i}-id": str(link.pk), f"contributions-{i}-compound": str(compound.pk),
                     f"contributions-{i}-nutrient": str(link.nutrient_id),
                     f"contributions-{i}-units_per_formula": "" if link.units_per_formula is None else str(link.units_per_formula),
                     f"contributions-{i}-specified_fraction": "" if link.specified_fraction is None else str(link.specified_fraction),
                     f"contributions-{i}-specified_source": link.specified_source,
                     f"contributions-{i}-specified_url": link.specified_url})
    return {**data, **changes}


@pytest.mark.parametrize(("slug", "formula", "messages"), [
    ("glycine", "MgO", ["The formula “MgO” cannot release glycine (C2H5NO2): it holds 0 C a formula unit, and that needs 2. "
                        "Fix the formula, or remove this link if the compound does not give glycine."]),
    ("magnesium-bisglycinate", "C4H8N2O4", [
        "The formula “C4H8N2O4” has no element Mg. Fix the formula, or remove this link if the compound does not give "
        "magnesium.",
        "One formula unit of C4H8N2O4 weighs less than the 2 glycine it would release: check the formula and the count."]),
    ("magnesium-bisglycinate", "MgX", ["“MgX” is not a molecular formula: unknown symbol 'X'."]),
])
def test_a_formula_that_drops_a_nutrient_is_said_once_at_its_link(admin_client_logged_in, slug, formula, messages):
    """Said twice, at the formula and again at the link, the first time asking to "add the other compound"; the
    glycine link of a bisglycinate without magnesium was told to "check the count" of 2; a formula that cannot be read
    was said at the formula and again at each link, three times."""
    compound = Compound.objects.get(slug=slug)

    response = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                           _compound_change(compound, formula=formula))

    errors = [html.unescape(re.sub(r"<[^>]+>", "", e)) for e in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>',
                                                                           response.content.decode(), re.S)]
    assert errors == messages
    compound.refresh_from_db()
    assert compound.formula != formula


@pytest.mark.parametrize(("formula", "refused"), [("Mg", True), ("Mg1", True), ("Zn", False), ("C2H5NO2", False)])
def test_a_second_nutrient_cannot_be_an_element_another_one_is(admin_client_logged_in, formula, refused):
    """A second nutrient "Mg" was saved, and each magnesium compound saved since gave it too: Recover read 165 mg of
    "elemental magnesium" beside its 144 mg of magnesium, against no limit."""
    from compounds.models import ERROR_ELEMENT_TAKEN, Nutrient

    response = admin_client_logged_in.post("/admin/compounds/nutrient/add/", {
        "name": "Elemental QA", "slug": "elemental-qa", "formula": formula, "label_order": "1000", "label_unit": "mg"})

    assert (html.escape(ERROR_ELEMENT_TAKEN.format(symbol="Mg", other="Magnesium")) in response.content.decode()) == refused
    assert Nutrient.objects.filter(slug="elemental-qa").exists() != refused


@pytest.mark.parametrize("formula", ["C", "H", "O", "N", "O1"])
def test_a_nutrient_cannot_be_an_element_nearly_every_compound_holds(admin_client_logged_in, formula):
    """"Vitamin C" given the formula C was linked at once to 23 compounds, and Recover read "Vitamin C 653 mg"."""
    from compounds.models import ERROR_ELEMENT_ORGANIC, Nutrient

    response = admin_client_logged_in.post("/admin/compounds/nutrient/add/", {
        "name": "Vitamin QA", "slug": "vitamin-qa", "formula": formula, "label_order": "1000", "label_unit": "mg"})

    assert html.escape(ERROR_ELEMENT_ORGANIC.format(symbol=formula[0])) in response.content.decode()
    assert not Nutrient.objects.filter(slug="vitamin-qa").exists()


def test_a_new_element_nutrient_is_given_by_every_compound_whose_formula_holds_it(admin_client_logged_in, client):
    """Chloride added was given by magnesium chloride once that was saved again, never by pyridoxine hydrochloride."""
    from compounds.admin import MESSAGE_NUTRIENT_LINKED
    from compounds.models import CompoundNutrient

    response = admin_client_logged_in.post("/admin/compounds/nutrient/add/", {
        "name": "Chloride", "slug": "chloride", "formula": "Cl", "label_order": "1000", "label_unit": "mg"}, follow=True)

    giving = set(CompoundNutrient.objects.filter(nutrient__slug="chloride").values_list("compound__slug", flat=True))
    assert giving == {"magnesium-chloride-hexahydrate", "pyridoxine-hydrochloride"}
    assert html.escape(MESSAGE_NUTRIENT_LINKED.format(
        nutrient="Chloride", count=2, s="s", symbol="Cl", names="Magnesium chloride hexahydrate and Pyridoxine hydrochloride",
        them="them")) in response.content.decode()
    assert "Chloride" in client.get("/products/moodflow/").content.decode()  # its B6 is pyridoxine hydrochloride


@pytest.mark.parametrize(("field", "value", "what"), [("doi", "10.1016/J.SLEEPX.2024.100121", "DOI"),
                                                      ("pmid", "39252819", "PMID")])
def test_a_study_entered_again_under_another_key_is_refused(admin_client_logged_in, field, value, what):
    """Hausenblas 2024 entered again as "qa-study" counted its trial twice: grades went up (MgO for migraine B to A)."""
    from evidence.models import ERROR_STUDY_RECORDED, Study

    page = admin_client_logged_in.post("/admin/evidence/study/add/", _study(**{field: value})).content.decode()

    errors = re.search(rf'class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    assert errors and html.escape(ERROR_STUDY_RECORDED.format(key="hausenblas-2024", what=what)) in errors.group(1)
    assert not Study.objects.filter(key="qa-study").exists()


def test_the_compound_lists_grade_filter_names_compounds_of_no_grade_and_finds_them(admin_client_logged_in):
    """Most compounds have no grade: its filter link had no text ("link", to a screen reader; nothing, to the eye)."""
    from compounds.admin import NO_GRADE

    page = admin_client_logged_in.get("/admin/compounds/compound/").content.decode()
    link = re.search(r'<a href="(\?grade=)">([^<]*)</a>', page)
    ungraded = admin_client_logged_in.get("/admin/compounds/compound/" + link.group(1))

    assert link.group(2) == NO_GRADE
    assert set(ungraded.context["cl"].result_list) == set(Compound.objects.filter(grade=""))


def test_a_capsule_size_products_use_is_neither_deleted_nor_renamed(admin_client_logged_in):
    """Deleting or renaming size 00 left Recover with no fill check, and so no blocker for its 4 capsules needed."""
    from compounds.admin import MESSAGE_CAPSULE_PRODUCTS
    from compounds.models import ERROR_CAPSULE_CODE_IN_USE, CapsuleSize

    size = CapsuleSize.objects.get(code="00")
    used = Product.objects.filter(capsule_size="00").count()
    page = admin_client_logged_in.post(f"/admin/compounds/capsulesize/{size.pk}/delete/", {"post": "yes"}).content.decode()

    assert CapsuleSize.objects.filter(code="00").exists()
    assert html.escape(MESSAGE_CAPSULE_PRODUCTS.format(count=used, s="s" if used != 1 else "", code="00")) in page
    post = {"code": "00x", "volume_ml": str(size.volume_ml), "source": size.source, "position": size.position}
    page = admin_client_logged_in.post(f"/admin/compounds/capsulesize/{size.pk}/change/", post).content.decode()
    assert html.escape(ERROR_CAPSULE_CODE_IN_USE.format(count=used, s="s" if used != 1 else "", code="00")) in page
    assert CapsuleSize.objects.get(pk=size.pk).code == "00"
    unused = CapsuleSize.objects.exclude(code__in=Product.objects.values("capsule_size")).first()
    admin_client_logged_in.post(f"/admin/compounds/capsulesize/{unused.pk}/delete/", {"post": "yes"})
    assert not CapsuleSize.objects.filter(pk=unused.pk).exists()


def test_a_formula_its_studies_doses_cannot_stand_beside_is_saved_with_the_studies_named(admin_client_logged_in):
    """MgO changed to MgCO3 saved without a word, and abbasi-2012's 500 mg of magnesium from 828 mg (MgCO3 holds
    238.7 mg) could no longer be saved unchanged. Not refused: the study may be what is wrong."""
    from compounds.admin import MESSAGE_STUDIES_DISAGREE

    compound = Compound.objects.get(slug="magnesium-oxide")
    response = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                           _compound_change(compound, formula="MgCO3"), follow=True)

    assert Compound.objects.get(pk=compound.pk).formula == "MgCO3"
    assert MESSAGE_STUDIES_DISAGREE.format(count=1, studies="study", give="gives", name="Magnesium oxide", formula="MgCO3",
                                           keys="abbasi-2012") in [str(m) for m in response.context["messages"]]
    again = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                        _compound_change(compound, formula="MgO"), follow=True)
    assert not [m for m in again.context["messages"] if "elemental dose" in str(m)]


def test_a_molecular_nutrients_count_cleared_is_refused_not_read_as_one(admin_client_logged_in):
    """Bisglycinate's 2 glycine cleared saved as "changed successfully", read as 1: MoodFlow's glycine halved."""
    from compounds.models import ERROR_UNITS_REQUIRED, CompoundNutrient

    compound = Compound.objects.get(slug="magnesium-bisglycinate")
    data = _compound_change(compound)
    index = next(i for i in range(int(data["contributions-TOTAL_FORMS"]))
                 if data[f"contributions-{i}-units_per_formula"] == "2")
    page = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                       {**data, f"contributions-{index}-units_per_formula": ""}).content.decode()

    assert html.escape(ERROR_UNITS_REQUIRED.format(nutrient="glycine")) in page
    assert CompoundNutrient.objects.get(compound=compound, nutrient__slug="glycine").units_per_formula == 2


def test_a_nutrient_in_use_is_kept_for_its_uses_not_blamed_on_the_curators_permissions(django_user_model):
    """Deleting magnesium told the curator "your account doesn't have permission to delete … compound nutrient"."""
    from django.test import Client

    from compounds.admin import MESSAGE_NUTRIENT_SOURCES, MESSAGE_NUTRIENT_VALUES
    from compounds.models import CompoundNutrient, Nutrient, ReferenceValue

    curator = Client()
    curator.force_login(django_user_model.objects.get(username="curator"))
    magnesium = Nutrient.objects.get(slug="magnesium")
    page = curator.post(f"/admin/compounds/nutrient/{magnesium.pk}/delete/", {"post": "yes"}).content.decode()

    # Those its formula linked go with it; those with a supplier's fraction keep it (Recover's threonate among them).
    sources = CompoundNutrient.objects.filter(nutrient=magnesium, specified_fraction__isnull=False).count()
    values = ReferenceValue.objects.filter(nutrient=magnesium).count()
    assert html.escape(MESSAGE_NUTRIENT_SOURCES.format(count=sources, s="" if sources == 1 else "s")) in page
    assert html.escape(MESSAGE_NUTRIENT_VALUES.format(count=values, s="s")) in page
    assert "permission" not in page
    assert Nutrient.objects.filter(pk=magnesium.pk).exists()


def _curator_adds_chloride(django_user_model):
    """Sign the curator in and add chloride (Cl) as a nutrient, as by mistake; return the curator's client."""
    from django.test import Client

    curator = Client()
    curator.force_login(django_user_model.objects.get(username="curator"))
    curator.post("/admin/compounds/nutrient/add/", {
        "name": "Chloride", "slug": "chloride", "formula": "Cl", "label_order": "1000", "label_unit": "mg"})
    return curator


def test_an_element_nutrient_added_by_mistake_is_deleted_with_the_links_its_formula_made(django_user_model, client):
    """Chloride added by mistake was linked to magnesium chloride and pyridoxine hydrochloride, and those links, which
    cannot be removed on their own, kept it for ever: "Cannot delete nutrient"."""
    from compounds.admin import MESSAGE_NUTRIENT_LINKS_GO
    from compounds.models import CompoundNutrient, Nutrient

    curator = _curator_adds_chloride(django_user_model)
    chloride = Nutrient.objects.get(slug="chloride")
    linked = CompoundNutrient.objects.filter(nutrient=chloride).count()
    assert linked >= 2

    confirm = curator.get(f"/admin/compounds/nutrient/{chloride.pk}/delete/").content.decode()
    assert "Cannot delete" not in confirm
    assert html.escape(MESSAGE_NUTRIENT_LINKS_GO.format(count=linked, s="s")) in confirm
    curator.post(f"/admin/compounds/nutrient/{chloride.pk}/delete/", {"post": "yes"})

    assert not Nutrient.objects.filter(slug="chloride").exists()
    assert not CompoundNutrient.objects.filter(nutrient_id=chloride.pk).exists()
    assert "Chloride" not in client.get("/products/moodflow/").content.decode()


def test_an_element_nutrient_a_supplier_fraction_was_given_for_is_kept_for_it(django_user_model):
    from compounds.admin import MESSAGE_NUTRIENT_SOURCES
    from compounds.models import CompoundNutrient, Nutrient

    curator = _curator_adds_chloride(django_user_model)
    CompoundNutrient.objects.filter(nutrient__slug="chloride", compound__slug="magnesium-chloride-hexahydrate").update(
        specified_fraction="0.34", specified_source="Supplier CoA")

    page = curator.post(f"/admin/compounds/nutrient/{Nutrient.objects.get(slug='chloride').pk}/delete/",
                        {"post": "yes"}).content.decode()

    assert html.escape(MESSAGE_NUTRIENT_SOURCES.format(count=1, s="")) in page
    assert Nutrient.objects.filter(slug="chloride").exists()
    assert CompoundNutrient.objects.filter(nutrient__slug="chloride").count() >= 2


def test_an_element_nutrient_added_by_mistake_is_deleted_by_the_lists_action_too(django_user_model):
    from compounds.models import CompoundNutrient, Nutrient

    curator = _curator_adds_chloride(django_user_model)
    chloride = Nutrient.objects.get(slug="chloride")

    curator.post("/admin/compounds/nutrient/", {"action": "delete_selected", "_selected_action": [chloride.pk], "post": "yes"})

    assert not Nutrient.objects.filter(slug="chloride").exists()
    assert not CompoundNutrient.objects.filter(nutrient_id=chloride.pk).exists()


def test_an_element_nutrient_with_a_curated_caution_is_kept_for_it(django_user_model):
    """Deleting chloride took its interactions with it, an exclusion by law that approval reads among them."""
    from compounds.admin import MESSAGE_NUTRIENT_INTERACTIONS
    from compounds.models import Nutrient
    from evidence.models import Interaction

    curator = _curator_adds_chloride(django_user_model)
    chloride = Nutrient.objects.get(slug="chloride")
    Interaction.objects.create(nutrient=chloride, kind="population", agent="pregnancy", effect="QA", severity="moderate",
                               management="QA", source="QA", populations=["pregnancy"], excluded_in=["EU"])

    page = curator.post(f"/admin/compounds/nutrient/{chloride.pk}/delete/", {"post": "yes"}).content.decode()

    assert html.escape(MESSAGE_NUTRIENT_INTERACTIONS.format(count=1, s="")) in page
    assert Nutrient.objects.filter(slug="chloride").exists() and Interaction.objects.filter(nutrient=chloride).exists()


@pytest.mark.parametrize("action", [True, False])
def test_a_molecular_nutrients_links_keep_it(admin_client_logged_in, action):
    from compounds.models import Nutrient

    glycine = Nutrient.objects.get(slug="glycine")
    if action:
        admin_client_logged_in.post("/admin/compounds/nutrient/", {"action": "delete_selected", "_selected_action": [glycine.pk],
                                                                   "post": "yes"})
    else:
        admin_client_logged_in.post(f"/admin/compounds/nutrient/{glycine.pk}/delete/", {"post": "yes"})
    assert Nutrient.objects.filter(slug="glycine").exists()


def test_a_nutrients_past_version_opens_to_revert(admin_client_logged_in):
    """Every version of every nutrient was a 500: the revert page asked its form for the slug, read-only there."""
    from compounds.models import Nutrient

    nutrient = Nutrient.objects.get(slug="vitamin-b6")
    record = nutrient.history.earliest()

    response = admin_client_logged_in.get(f"/admin/compounds/nutrient/{nutrient.pk}/history/{record.history_id}/")

    assert response.status_code == 200 and "Revert" in response.content.decode()


def test_a_read_only_history_page_takes_no_post(admin_client_logged_in):
    """A nutrient link's history page shows no save button, but a post to it moved Magtein's link to ashwagandha."""
    from compounds.models import CompoundNutrient

    link = CompoundNutrient.objects.get(compound__slug="magnesium-l-threonate", nutrient__slug="magnesium")
    record = link.history.earliest()
    ashwagandha = Compound.objects.get(slug="ashwagandha-root-extract")

    response = admin_client_logged_in.post(f"/admin/compounds/compoundnutrient/{link.pk}/history/{record.history_id}/",
                                           {"compound": ashwagandha.pk, "nutrient": link.nutrient_id,
                                            "specified_fraction": "0.072", "specified_source": "crafted"})

    assert response.status_code == 403
    assert CompoundNutrient.objects.get(pk=link.pk).compound.slug == "magnesium-l-threonate"


def test_a_nutrient_link_taken_off_its_compound_is_not_recovered_from_its_own_history(admin_client_logged_in):
    """A link removed on its compound's page came back from its own history's address without that page's checks: an
    extract's 30% withanolides, beside the 90% honokiol it was given since, made 120% of itself, which the page refuses."""
    from compounds.models import ERROR_DECLARED_OVER_WHOLE, Nutrient
    from tests.factories import CompoundFactory, CompoundNutrientFactory

    extract = CompoundFactory(name="Magnolia QA", formula="", form_class=Compound.FormClass.OTHER)
    kept, gone = (CompoundNutrientFactory(compound=extract, nutrient=Nutrient.objects.get(slug=slug), specified_source="QA CoA",
                                          specified_fraction=Decimal(fraction))
                  for slug, fraction in (("honokiol-magnolol", "0.6"), ("withanolides", "0.3")))
    change = f"/admin/compounds/compound/{extract.pk}/change/"
    data = _compound_change(extract)
    index = next(i for i in range(2) if data[f"contributions-{i}-id"] == str(gone.pk))
    admin_client_logged_in.post(change, {**data, f"contributions-{index}-DELETE": "on"})
    kept.specified_fraction = Decimal("0.9")
    kept.save()
    deleted = gone.history.get(history_type="-")
    row = {"nutrient": str(gone.nutrient_id), "specified_fraction": "0.3", "specified_source": "QA CoA"}

    again = admin_client_logged_in.post(change, {**_compound_change(extract), "contributions-TOTAL_FORMS": "2", **{
        f"contributions-1-{name}": value for name, value in {**row, "compound": str(extract.pk)}.items()}})
    recovered = admin_client_logged_in.post(f"/admin/compounds/compoundnutrient/{gone.pk}/history/{deleted.history_id}/",
                                            {**row, "compound": str(extract.pk)})

    assert html.escape(ERROR_DECLARED_OVER_WHOLE.format(total="120.00%")) in again.content.decode()
    assert recovered.status_code == 403
    assert list(extract.contributions.values_list("nutrient__slug", flat=True)) == ["honokiol-magnolol"]


def test_reverting_a_compound_links_its_formulas_elements_and_names_the_links_it_leaves(admin_client_logged_in):
    """A revert saved the compound's fields alone: MgO put back on an extract gave no magnesium until its next save, and
    a supplier's fraction changed since stayed, unsaid."""
    from compounds.admin import MESSAGE_LINKED_BY_FORMULA, MESSAGE_LINKS_NOT_REVERTED
    from compounds.services import compound_links_ensure

    extract = Compound.objects.get(slug="ashwagandha-root-extract")
    extract.formula = "MgO"
    extract.save()
    compound_links_ensure(extract)
    link = extract.contributions.get(nutrient__slug="magnesium")
    link.specified_fraction, link.specified_source = Decimal("0.5"), "QA CoA"
    link.save()
    extract.notes = "With the supplier's fraction"
    extract.save()
    version = extract.history.latest()
    link.specified_fraction, link.specified_source = Decimal("0.4"), "QA CoA 2"
    link.save()
    extract.formula = ""
    extract.save()
    link.delete()
    form = {"name": extract.name, "slug": extract.slug, "formula": "MgO", "form_class": extract.form_class,
            "label_source_name": extract.label_source_name, "bulk_density_g_per_ml": extract.bulk_density_g_per_ml or "",
            "cost_per_kg": extract.cost_per_kg or ""}

    response = admin_client_logged_in.post(f"/admin/compounds/compound/{extract.pk}/history/{version.history_id}/", form,
                                           follow=True)
    said = [str(m) for m in response.context["messages"]]

    assert Compound.objects.get(pk=extract.pk).formula == "MgO"
    assert extract.contributions.filter(nutrient__slug="magnesium").exists()
    assert MESSAGE_LINKED_BY_FORMULA.format(name=extract.name, formula="MgO", nutrients="magnesium", them="it") in said
    assert MESSAGE_LINKS_NOT_REVERTED.format(
        name=extract.name, changes="magnesium: none: the formula's now, specified 50.00% (QA CoA) in that version") in said


def test_a_compound_studies_give_doses_of_is_not_deleted(admin_client_logged_in):
    """Deleting magnesium oxide left Abbasi 2012 and eight more with doses of no compound: refused, the studies named."""
    from compounds.admin import MESSAGE_COMPOUND_STUDIES
    from compounds.models import CompoundNutrient
    from formulator.models import ProductLine

    oxide = Compound.objects.get(slug="magnesium-oxide")
    ProductLine.objects.filter(compound=oxide).delete()  # no product's line keeps it
    keys = sorted(oxide.studies.values_list("key", flat=True))

    page = admin_client_logged_in.post(f"/admin/compounds/compound/{oxide.pk}/delete/", {"post": "yes"}).content.decode()

    assert Compound.objects.filter(pk=oxide.pk).exists() and "abbasi-2012" in keys
    assert html.escape(MESSAGE_COMPOUND_STUDIES.format(count=len(keys), s="ies", keys=", ".join(keys))) in page
    unused = Compound.objects.create(name="QA unused salt", slug="qa-unused-salt", formula="MgO")
    CompoundNutrient.objects.filter(compound=unused).delete()
    admin_client_logged_in.post(f"/admin/compounds/compound/{unused.pk}/delete/", {"post": "yes"})
    assert not Compound.objects.filter(pk=unused.pk).exists()


def test_reverting_a_study_says_its_findings_stay_and_refreshes_its_search(admin_client_logged_in):
    """A revert put back a study's doses but left its finding changed since, unsaid: threonate's cognition graded E."""
    from evidence.admin import MESSAGE_OUTCOMES_NOT_REVERTED
    from evidence.models import Study, StudyOutcome
    from evidence.selectors import study_search

    admin_client_logged_in.post("/admin/evidence/study/add/", _study(title="Original title"))
    study = Study.objects.get(key="qa-study")
    finding = StudyOutcome.objects.create(study=study, outcome="cognition", direction="benefit")
    study.title = "Original title again"
    study.save()
    version = study.history.latest()
    finding.direction = "no-effect"
    finding.save()
    study.title = "Later title"
    study.save()

    response = admin_client_logged_in.post(f"/admin/evidence/study/{study.pk}/history/{version.history_id}/",
                                           _study(title="Original title again"), follow=True)

    assert Study.objects.get(pk=study.pk).title == "Original title again"
    assert MESSAGE_OUTCOMES_NOT_REVERTED.format(now="Cognition: No effect", then="Cognition: Benefit") in [
        str(m) for m in response.context["messages"]]
    assert list(study_search("original title again").values_list("key", flat=True)) == ["qa-study"]


@pytest.mark.parametrize(("url", "fields", "slug", "name"), [
    ("/admin/compounds/compound/add/", _compound_form(name="QA Case", formula="MgO"), "Magnesium-Oxide", "Magnesium oxide"),
    ("/admin/compounds/nutrient/add/", {"name": "QA Case", "formula": "", "label_order": "1000", "label_unit": "mg"},
     "Glycine", "Glycine"),
])
def test_a_slug_another_entry_has_in_another_case_is_refused(admin_client_logged_in, url, fields, slug, name):
    """/compounds/Magnesium-Oxide/ and /compounds/magnesium-oxide/ were two compounds, and an imported study's
    "Magnesium-Oxide" was linked to the wrong one."""
    from compounds.models import ERROR_SLUG_IN_CASE

    page = admin_client_logged_in.post(url, {**fields, "slug": slug}).content.decode()

    assert html.escape(ERROR_SLUG_IN_CASE.format(slug=slug.lower(), name=name)) in page


@pytest.mark.parametrize(("fractions", "refused"), [(("0.8", "0.9"), True), (("0.05", "0.99"), True), (("0.05", "0.95"), False)])
def test_an_ingredient_without_a_formula_cannot_give_more_than_its_own_mass(admin_client_logged_in, fractions, refused):
    """80% withanolides and 90% honokiol were saved, and the page explained the 170% as a chelate's free amino acids."""
    from compounds.models import ERROR_DECLARED_OVER_WHOLE, Nutrient

    form = _compound_form(name="QA extract", slug="qa-extract", formula="", form_class="other",
                          **{"contributions-TOTAL_FORMS": "2"})
    for i, (slug, fraction) in enumerate(zip(["withanolides", "magnesium"], fractions, strict=True)):
        form.update({f"contributions-{i}-nutrient": str(Nutrient.objects.get(slug=slug).pk),
                     f"contributions-{i}-specified_fraction": fraction, f"contributions-{i}-specified_source": "QA CoA"})

    page = admin_client_logged_in.post("/admin/compounds/compound/add/", form).content.decode()

    total = sum(Decimal(f) for f in fractions)
    assert (html.escape(ERROR_DECLARED_OVER_WHOLE.format(total=f"{total * 100:.2f}%")) in page) == refused
    assert Compound.objects.filter(slug="qa-extract").exists() != refused


def test_a_nutrient_whose_slug_another_had_in_another_case_before_the_check_is_still_edited(admin_client_logged_in):
    """Its slug read-only, the refusal had no field to go to: every edit of either nutrient was a 500."""
    from compounds.models import Nutrient

    twin = Nutrient.objects.create(name="Glycine twin", slug="Glycine", formula="", label_order=1000)
    response = admin_client_logged_in.post(f"/admin/compounds/nutrient/{twin.pk}/change/", {
        "name": "Glycine twin, renamed", "label_order": "1000", "label_unit": "mg"})

    assert response.status_code == 302
    assert Nutrient.objects.get(pk=twin.pk).name == "Glycine twin, renamed"


def test_a_synonym_saved_for_a_compound_finds_its_studies_in_the_evidence_search(admin_client_logged_in):
    """The evidence search holds each study's compounds' names and synonyms, written when the study was saved: a synonym
    added in the compound's form found none of its studies."""
    from compounds.models import CompoundNutrient
    from evidence.selectors import study_search

    threonate = Compound.objects.get(slug="magnesium-l-threonate")
    link = CompoundNutrient.objects.get(compound=threonate, nutrient__slug="magnesium")
    data = {
        "name": threonate.name, "slug": threonate.slug, "formula": threonate.formula, "form_class": threonate.form_class,
        "synonyms": f"{threonate.synonyms}, Zorbitolix", "label_source_name": threonate.label_source_name,
        "contributions-TOTAL_FORMS": "1", "contributions-INITIAL_FORMS": "1",
        "contributions-0-id": str(link.pk), "contributions-0-compound": str(threonate.pk),
        "contributions-0-nutrient": str(link.nutrient.pk), "contributions-0-units_per_formula": "",
        "contributions-0-specified_fraction": "0.072", "contributions-0-specified_source": link.specified_source,
    }

    response = admin_client_logged_in.post(f"/admin/compounds/compound/{threonate.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:300]
    assert "liu-2016" in set(study_search("Zorbitolix").values_list("key", flat=True))


def test_the_admin_names_the_product_and_the_interactions_populations_in_words(admin_client_logged_in):
    """The admin read "Django administration", and its list of interactions ["pregnancy", "lactation"]."""
    index = admin_client_logged_in.get("/admin/").content.decode()
    listed = admin_client_logged_in.get("/admin/evidence/interaction/").content.decode()

    assert "Mg Formulator administration" in index and "Django administration" not in index
    assert "Pregnancy, Lactation" in listed and "[&quot;pregnancy&quot;" not in listed and '["pregnancy"' not in listed


def test_a_nutrient_saved_beside_one_whose_stored_formula_no_longer_parses_is_checked_without_a_500(admin_client_logged_in):
    """A formula saved before a rule refused it ("C", "Mg(OAc)2") made every element nutrient's save a 500."""
    from compounds.models import Nutrient

    Nutrient.objects.create(name="Old QA", slug="old-qa", formula="Mg(OAc)2", label_order=999)

    response = admin_client_logged_in.post("/admin/compounds/nutrient/add/", {
        "name": "Zinc QA", "slug": "zinc-qa", "formula": "Zn", "label_order": "1000", "label_unit": "mg"})

    assert response.status_code == 302 and Nutrient.objects.filter(slug="zinc-qa").exists()


@pytest.mark.parametrize(("per", "amount", "shown", "other", "dose"), [
    ("dose", "1250", "1,250", "250", True),  # Germany's 125 mg a dose, one zero too many
    ("day", "100", "100", "125", False),  # Germany's 250 mg a day, typed under its 125 mg a dose
])
def test_a_limit_a_dose_above_the_markets_limit_a_day_is_saved_with_a_warning(per, amount, shown, other, dose):
    """1,250 mg a dose beside Germany's 250 mg a day is within ten times the other limits, and was taken unsaid."""
    from compounds.models import ReferenceValue
    from compounds.selectors import LEAD_SAVED, MESSAGE_DAY_BELOW_DOSE, MESSAGE_DOSE_ABOVE_DAY, reference_value_outlier

    value = ReferenceValue.objects.get(nutrient__slug="magnesium", market="DE", population="adult", per=per)
    assert reference_value_outlier(value) is None
    value.amount_mg = Decimal(amount)

    assert reference_value_outlier(value) == (MESSAGE_DOSE_ABOVE_DAY if dose else MESSAGE_DAY_BELOW_DOSE).format(
        lead=LEAD_SAVED, market="DE", kind="MAX", population="adults", amount=shown, other=other)


@pytest.mark.parametrize(("grade", "warned"), [("A", True), ("E", False)])
def test_an_override_raising_a_grade_above_its_studies_is_saved_with_a_warning(admin_client_logged_in, grade, warned):
    """An A for magnesium oxide and migraine, which its one trial grades B, was saved without a word."""
    from evidence.models import GradeOverride
    from evidence.selectors import MESSAGE_OVERRIDE_RAISED

    response = admin_client_logged_in.post("/admin/evidence/gradeoverride/add/", {
        "compound": Compound.objects.get(slug="magnesium-oxide").pk, "outcome": "migraine", "grade": grade,
        "reason": "QA test override"}, follow=True)
    said = [str(m) for m in response.context["messages"]]

    override = GradeOverride.objects.get(reason="QA test override")
    prefix = MESSAGE_OVERRIDE_RAISED.split("{computed}")[0].format(compound="Magnesium oxide")
    assert any(m.startswith(prefix) and m.endswith(f"this override makes it {grade} on every claim of it.") for m in said) == warned
    assert override.grade == grade


def test_a_limit_a_dose_in_mcg_typed_as_mg_is_told_both_its_day_and_its_unit():
    from compounds.models import ReferenceValue
    from compounds.selectors import LEAD_SAVED, MESSAGE_DOSE_ABOVE_DAY, MESSAGE_REFERENCE_HIGH, reference_value_outlier

    value = ReferenceValue.objects.get(nutrient__slug="magnesium", market="DE", population="adult", per="dose")
    value.amount_mg = Decimal("125000")
    said = reference_value_outlier(value)

    assert said.startswith(MESSAGE_DOSE_ABOVE_DAY.format(lead=LEAD_SAVED, market="DE", kind="MAX", population="adults",
                                                         amount="125,000", other="250"))
    assert MESSAGE_REFERENCE_HIGH.split("{amount}")[1].split("{nutrient}")[0].format(sort="limit") in said


@pytest.mark.parametrize(("specified", "warned"), [("0.0072", True), ("0.041", True), ("0.0413", False), ("0.072", False)])
def test_a_specified_fraction_under_half_the_formulas_is_saved_with_a_warning(admin_client_logged_in, specified, warned):
    """Magtein's 7.2% typed 0.0072 was saved without a word: a tenth of the magnesium on every product using it."""
    from compounds.models import CompoundNutrient
    from compounds.selectors import LEAD_SAVED, MESSAGE_SPECIFIED_FAR_BELOW

    compound = Compound.objects.get(slug="magnesium-l-threonate")
    data = _compound_change(compound)
    index = next(i for i in range(int(data["contributions-TOTAL_FORMS"])) if data[f"contributions-{i}-specified_fraction"])

    response = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                           {**data, f"contributions-{index}-specified_fraction": specified}, follow=True)

    assert CompoundNutrient.objects.get(compound=compound, nutrient__slug="magnesium").specified_fraction == Decimal(specified)
    message = MESSAGE_SPECIFIED_FAR_BELOW.format(
        lead=LEAD_SAVED, compound="Magnesium L-threonate", specified=f"{Decimal(specified) * 100:.2f}%",
        nutrient="magnesium", theoretical="8.25%", formula=compound.formula)
    assert (message in [str(m) for m in response.context["messages"]]) is warned


@pytest.mark.parametrize("path", [
    "compounds/compound/abc/history/", "compounds/compound/abc/history/1/", "compounds/referencevalue/abc/history/",
    "compounds/nutrient/abc/history/", "compounds/compoundnutrient/abc/history/", "compounds/capsulesize/abc/history/",
    "evidence/study/abc/history/", "compounds/compound/{compound}/history/abc/", "formulator/product/{product}/history/abc/",
    "formulator/stack/abc/history/1/",
])
def test_a_history_address_with_an_id_that_is_not_one_is_404_not_500(admin_client_logged_in, path):
    from formulator.models import Product

    path = path.format(compound=Compound.objects.get(slug="magnesium-oxide").pk, product=Product.objects.get(slug="recover").pk)

    assert admin_client_logged_in.get(f"/admin/{path}").status_code == 404


@pytest.mark.parametrize(("amount", "message"), [("4.2e1", "Enter a number."), ("0,35", "A comma may be a decimal or a thousand")])
def test_a_reference_values_amount_is_read_as_every_number_of_the_library_is(admin_client_logged_in, amount, message):
    """"4.2e1" was saved as 42 mg, where the compound's page and the import refuse it; "0,35" said a bare "Enter a number."."""
    from compounds.models import ReferenceValue

    page = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(amount_mg=amount)).content.decode()

    assert message in page
    assert not ReferenceValue.objects.filter(population="child-9-13", kind="AI", market="AU-NZ").exists()


@pytest.mark.parametrize(("amount", "shown", "high"), [("3500", "3,500", True), ("35", "35", False)])
def test_a_limit_ten_times_the_other_markets_for_the_same_people_is_saved_with_a_warning(
        admin_client_logged_in, amount, shown, high):
    """The US adults' UL of 350 mg typed 3,500 was saved without a word: within ten times magnesium's limits (65-500 mg)."""
    from compounds.models import ReferenceValue
    from compounds.selectors import LEAD_SAVED, MESSAGE_MARKETS_HIGH, MESSAGE_MARKETS_LOW

    value = ReferenceValue.objects.get(nutrient__slug="magnesium", market="US", kind="UL", population="adult")
    form = _reference_form(kind="UL", market="US", population="adult", covers="supplemental", amount_mg=amount,
                           source_citation=value.source_citation, effective_date=str(value.effective_date or ""))
    page = admin_client_logged_in.post(f"/admin/compounds/referencevalue/{value.pk}/change/", form, follow=True)

    assert ReferenceValue.objects.get(pk=value.pk).amount_mg == Decimal(amount)
    message = (MESSAGE_MARKETS_HIGH if high else MESSAGE_MARKETS_LOW).format(
        lead=LEAD_SAVED, market="US", kind="UL", population="adults", amount=shown, sorts="limits", middle="350",
        others="DE MAX 250 mg, EU UL 250 mg, AU-NZ UL 350 mg, CA UL 350 mg, CA MAX 500 mg")
    assert message in [str(m) for m in page.context["messages"]]


def test_a_formula_changed_says_what_the_compound_now_gives(admin_client_logged_in):
    """MgO changed to MgCO3: "changed successfully", and every design with it lost half its magnesium unsaid."""
    from compounds.selectors import MESSAGE_FRACTIONS_CHANGED

    compound = Compound.objects.get(slug="magnesium-oxide")
    response = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                           _compound_change(compound, formula="MgCO3"), follow=True)

    assert MESSAGE_FRACTIONS_CHANGED.format(compound="Magnesium oxide", gives="now gives", new="MgCO3", old="MgO",
                                            changes="magnesium 28.83% (was 60.30%)") in [
        str(m) for m in response.context["messages"]]
    compound.refresh_from_db()
    unchanged = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                            _compound_change(compound, notes="Seen"), follow=True)
    assert not [m for m in unchanged.context["messages"] if "by its formula" in str(m)]


@pytest.mark.parametrize(("formula", "said"), [
    ("MgCI2", "MESSAGE_FORMULA_CI"), ("MgC12", "MESSAGE_FORMULA_BARE_CARBON"), ("MgCl2.6H2O", "MESSAGE_SAME_FORMULA"),
])
def test_a_formula_that_parses_as_no_supplements_or_as_anothers_is_saved_with_a_warning(admin_client_logged_in, formula, said):
    """"MgCI2" (carbon and iodine: 8.38% magnesium), "MgC12" and a second magnesium chloride hexahydrate were saved with
    only "now gives magnesium"."""
    from compounds import selectors

    response = admin_client_logged_in.post("/admin/compounds/compound/add/", _compound_form(
        name="QA chloride", slug="qa-chloride", formula=formula), follow=True)

    assert Compound.objects.filter(slug="qa-chloride").exists()
    message = getattr(selectors, said).format(lead=selectors.LEAD_SAVED, compound="QA chloride", formula=formula,
                                              others="Magnesium chloride hexahydrate")
    assert message in [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(("formula", "count", "element", "suggested"), [
    ("C4H8MgN204", "204", "N", "C4H8MgN2O4"),  # the bisglycinate weighed 2,937.78 g/mol: 0.83% magnesium for 14.10%
    ("Mg3(C6H507)2", "507", "H", "Mg3(C6H5O7)2"),  # the citrate: 5.89% for 16.16%
])
def test_a_zero_inside_a_count_is_saved_with_a_warning_naming_the_formula_with_an_o(admin_client_logged_in, formula, count,
                                                                                      element, suggested):
    from compounds.selectors import LEAD_SAVED, MESSAGE_FORMULA_ZERO_INSIDE

    response = admin_client_logged_in.post("/admin/compounds/compound/add/", _compound_form(
        name="QA salt", slug="qa-salt", formula=formula), follow=True)

    assert MESSAGE_FORMULA_ZERO_INSIDE.format(lead=LEAD_SAVED, compound="QA salt", formula=formula, count=count,
                                              element=element, suggested=suggested) in [
        str(m) for m in response.context["messages"]]


def test_a_plain_formula_of_its_own_is_saved_without_doubts(admin_client_logged_in):
    response = admin_client_logged_in.post("/admin/compounds/compound/add/", _compound_form(
        name="QA lactate", slug="qa-lactate", formula="C6H10MgO6"), follow=True)

    assert not [m for m in response.context["messages"] if "Saved, but check" in str(m)]


@pytest.mark.parametrize(("amount", "warned"), [("20", True), ("0.02", False)])
def test_a_first_value_of_a_nutrient_labelled_in_mcg_typed_as_mcg_in_the_mg_field_is_saved_with_a_warning(
        admin_client_logged_in, amount, warned):
    """Vitamin D's US DV of 20 mcg typed 20 was saved as 20,000 mcg without a word: it was the nutrient's first value."""
    from compounds.models import Nutrient
    from compounds.selectors import LEAD_SAVED, MESSAGE_MCG_AS_MG

    vitamin_d = Nutrient.objects.create(name="Vitamin D", slug="vitamin-d", formula="C27H44O", label_unit="mcg",
                                        label_order=50)
    page = admin_client_logged_in.post("/admin/compounds/referencevalue/add/", _reference_form(
        nutrient=str(vitamin_d.pk), kind="DV", market="US", population="adult", amount_mg=amount), follow=True)

    message = MESSAGE_MCG_AS_MG.format(lead=LEAD_SAVED, market="US", kind="DV", population="adults", amount="20",
                                       mcg="20,000", nutrient="vitamin D")
    assert vitamin_d.reference_values.filter(market="US", kind="DV").exists()
    assert (message in [str(m) for m in page.context["messages"]]) is warned


def test_a_specified_fraction_typed_as_a_percentage_with_its_sign_says_what_a_fraction_is(admin_client_logged_in):
    """"12%" said a bare "Enter a number.", where "12" says a fraction is a share of 1."""
    from compounds.models import ERROR_SPECIFIED_SHARE, CompoundNutrient

    compound = Compound.objects.get(slug="magnesium-l-threonate")
    data = _compound_change(compound)
    index = next(i for i in range(int(data["contributions-TOTAL_FORMS"])) if data[f"contributions-{i}-specified_fraction"])

    page = admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                       {**data, f"contributions-{index}-specified_fraction": "7.2%"}).content.decode()

    assert html.escape(ERROR_SPECIFIED_SHARE) in page
    assert CompoundNutrient.objects.get(compound=compound, nutrient__slug="magnesium").specified_fraction == Decimal("0.072")


def test_a_save_that_changes_only_a_nutrient_link_records_no_empty_edit_of_the_compound(admin_client_logged_in):
    """Each save of a supplier's fraction added a compound edit its history listed as "none to this record's fields"."""
    from django.forms.models import model_to_dict

    from compounds.models import CompoundNutrient

    compound = Compound.objects.get(slug="magnesium-l-threonate")
    link = CompoundNutrient.objects.get(compound=compound, nutrient__slug="magnesium")
    edits, link_edits = compound.history.count(), link.history.count()
    own = {name: "" if value is None else value for name, value in model_to_dict(compound).items()}  # every field as is
    data = {**own, **_compound_change(compound)}
    index = next(i for i in range(int(data["contributions-TOTAL_FORMS"])) if data[f"contributions-{i}-specified_fraction"])

    admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                {**data, f"contributions-{index}-specified_fraction": "0.07"})

    assert link.history.count() > link_edits
    assert compound.history.count() == edits
    admin_client_logged_in.post(f"/admin/compounds/compound/{compound.pk}/change/",
                                {**own, **_compound_change(compound), "notes": "Checked against the 2026 CoA"})
    assert compound.history.count() == edits + 1  # an edit of its own fields is recorded


def _compound_fields(compound: Compound) -> dict[str, str]:
    """A compound's form as its history's revert page fills it in."""
    return {"name": compound.name, "slug": compound.slug, "formula": compound.formula, "form_class": compound.form_class,
            "label_source_name": compound.label_source_name}


def test_a_deleted_compound_recovered_from_its_history_says_it_was_recovered(admin_client_logged_in):
    """Recovered, the compound was said to have been "changed successfully", as if it had been there all along."""
    from compounds.admin import MESSAGE_RECOVERED
    from tests.factories import CompoundFactory

    compound = CompoundFactory(name="Magnesium citrate QA", slug="magnesium-citrate-qa", formula="Mg3(C6H5O7)2",
                               form_class=Compound.FormClass.ORGANIC_SALT)
    created = compound.history.get(history_type="+")
    pk, form = compound.pk, _compound_fields(compound)
    compound.delete()

    page = admin_client_logged_in.post(f"/admin/compounds/compound/{pk}/history/{created.history_id}/", form, follow=True)

    said = [str(m) for m in page.context["messages"]]
    assert said[0] == MESSAGE_RECOVERED.format(name="compound", obj="Magnesium citrate QA")
    assert html.escape(said[0]) in page.content.decode()
    assert not any("changed successfully" in message for message in said)
    assert Compound.objects.filter(pk=pk, slug="magnesium-citrate-qa").exists()


def _compound_deleted_by_a_curator(client) -> Compound:
    """A compound made and then deleted on its admin page, so its deletion is recorded with the curator's name."""
    from tests.factories import CompoundFactory

    compound = CompoundFactory(name="Magnesium citrate QA", slug="magnesium-citrate-qa", formula="Mg3(C6H5O7)2",
                               form_class=Compound.FormClass.ORGANIC_SALT)
    client.post(f"/admin/compounds/compound/{compound.pk}/delete/", {"post": "yes"})
    assert not Compound.objects.filter(pk=compound.pk).exists()
    return compound


def test_a_deleted_compound_is_listed_from_the_compound_list_and_recovered_from_it(admin_client_logged_in):
    """A deleted record could be recovered only by a curator who knew its history page's address: nothing listed it."""
    from django.utils import formats, timezone

    from compounds.admin import TITLE_DELETED

    compound = _compound_deleted_by_a_curator(admin_client_logged_in)
    deleted = compound.history.get(history_type="-")
    title = TITLE_DELETED.format(name="compounds")

    changelist = admin_client_logged_in.get("/admin/compounds/compound/").content.decode()
    assert f'<a href="/admin/compounds/compound/deleted/">{title}</a>' in changelist
    page = admin_client_logged_in.get("/admin/compounds/compound/deleted/").content.decode()
    recover = f"/admin/compounds/compound/{compound.pk}/history/{deleted.history_id}/"
    row = re.search(r"<tr>\s*<td[^>]*>\s*Magnesium citrate QA.*?</tr>", page, re.S)
    assert f"<h1>{title}</h1>" in page and row, page
    cells = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group())))
    assert "curator-su" in cells and formats.localize(timezone.template_localtime(deleted.history_date)) in cells
    assert f'<a href="{recover}">Recover</a>' in row.group()
    assert "Magnesium oxide" not in page  # a record there now is not listed

    recovered = admin_client_logged_in.post(recover, _compound_fields(compound), follow=True)

    assert recovered.status_code == 200 and Compound.objects.filter(pk=compound.pk).exists()
    again = admin_client_logged_in.get("/admin/compounds/compound/deleted/").content.decode()
    assert "Magnesium citrate QA" not in again and recover not in again


def test_every_admin_with_history_lists_its_deleted_records_for_whoever_may_add_and_change_them(admin_client_logged_in):
    from django.contrib import admin

    from compounds.admin import TITLE_DELETED, HistoryIdsCheckedAdmin

    listed = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, HistoryIdsCheckedAdmin):
            continue
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/"
        link = f'<a href="{url}deleted/">{TITLE_DELETED.format(name=opts.verbose_name_plural)}</a>'
        request = admin_client_logged_in.get(url).wsgi_request
        may = model_admin.has_add_permission(request) and model_admin.has_change_permission(request)
        assert (link in admin_client_logged_in.get(url).content.decode()) == may, url
        assert admin_client_logged_in.get(f"{url}deleted/").status_code == (200 if may else 403), url
        listed += [opts.model_name] if may else []
    # The library's and the evidence's. Products and stacks change in their editors, not in the admin; a nutrient link
    # is added on its compound's page, beside its formula.
    assert sorted(listed) == ["capsulesize", "compound", "gradeoverride", "interaction", "nutrient", "referencevalue",
                              "study"]


def test_a_grade_override_deleted_with_its_compound_is_listed_by_its_id(admin_client_logged_in):
    """Its name reads its compound, deleted with it: the list of deleted overrides is not a 500 for it."""
    from evidence.models import GradeOverride
    from tests.factories import CompoundFactory

    compound = CompoundFactory()
    override = GradeOverride.objects.create(compound=compound, outcome="sleep-quality", grade="B", reason="QA")
    compound.delete()

    page = admin_client_logged_in.get("/admin/evidence/gradeoverride/deleted/")

    assert page.status_code == 200 and f"<td>Grade override {override.pk}</td>" in page.content.decode()


def test_the_deleted_records_and_a_history_are_listed_page_by_page(admin_client_logged_in, monkeypatch):
    from django.contrib import admin

    from tests.factories import CompoundFactory

    monkeypatch.setattr(admin.site._registry[Compound], "history_list_per_page", 1)
    for compound in CompoundFactory.create_batch(2):
        compound.delete()
    oxide = Compound.objects.get(slug="magnesium-oxide")
    oxide.notes = "QA: a second version"
    oxide.save()

    for url in ("/admin/compounds/compound/deleted/", f"/admin/compounds/compound/{oxide.pk}/history/"):
        page = admin_client_logged_in.get(url, {"p": "2"}).content.decode()
        assert '<span class="this-page">2</span>' in page and '<a href="?p=1"' in page, url


def test_a_staff_viewer_sees_no_deleted_records(admin_client_logged_in, django_user_model):
    from django.contrib.auth.models import Permission
    from django.test import Client

    from compounds.admin import TITLE_DELETED

    _compound_deleted_by_a_curator(admin_client_logged_in)
    viewer = django_user_model.objects.create_user("qa-staff-viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_compound"))
    client = Client()
    client.force_login(viewer)

    changelist = client.get("/admin/compounds/compound/")

    assert changelist.status_code == 200
    assert TITLE_DELETED.format(name="compounds") not in changelist.content.decode()
    assert client.get("/admin/compounds/compound/deleted/").status_code == 403


def test_a_deleted_records_revert_page_is_titled_recover_and_a_past_versions_revert(admin_client_logged_in):
    """The page that brings a deleted compound back read "Revert Magnesium citrate QA", as if it were still there."""
    from compounds.admin import TITLE_RECOVER

    compound = _compound_deleted_by_a_curator(admin_client_logged_in)
    deleted = compound.history.get(history_type="-")
    oxide = Compound.objects.get(slug="magnesium-oxide")

    recover = admin_client_logged_in.get(f"/admin/compounds/compound/{compound.pk}/history/{deleted.history_id}/")
    revert = admin_client_logged_in.get(f"/admin/compounds/compound/{oxide.pk}/history/{oxide.history.earliest().history_id}/")

    title = TITLE_RECOVER.format(obj="Magnesium citrate QA")
    assert f"<h1>{title}</h1>" in recover.content.decode() and f"<title>{title} |" in recover.content.decode()
    assert "<h1>Revert Magnesium oxide</h1>" in revert.content.decode()


def _breadcrumbs(page: str) -> str:
    """A page's breadcrumbs as a curator reads them, spaces as one."""
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", crumbs))).strip()


def test_a_deleted_records_page_says_recover_in_its_breadcrumbs_button_and_instruction(admin_client_logged_in):
    """Titled "Recover Magnesium citrate QA", the page still read "Revert compound" in its breadcrumbs, "Revert" on its
    button and "Press the 'Revert' button below to revert to this version of the object."; a past version's keeps them."""
    from compounds.admin import HELP_RECOVER, RECOVER

    compound = _compound_deleted_by_a_curator(admin_client_logged_in)
    deleted = compound.history.get(history_type="-")
    oxide = Compound.objects.get(slug="magnesium-oxide")

    recover = admin_client_logged_in.get(f"/admin/compounds/compound/{compound.pk}/history/{deleted.history_id}/")
    revert = admin_client_logged_in.get(f"/admin/compounds/compound/{oxide.pk}/history/{oxide.history.earliest().history_id}/")

    recover, revert = recover.content.decode(), revert.content.decode()
    assert _breadcrumbs(recover).endswith(f"History › {RECOVER} compound")
    assert f'<input type="submit" value="{RECOVER}"' in recover and 'value="Revert"' not in recover
    assert f"<p>{html.escape(HELP_RECOVER.format(name='compound'))}</p>" in recover and "Press the 'Revert'" not in recover
    assert _breadcrumbs(revert).endswith("History › Revert compound")
    assert '<input type="submit" value="Revert"' in revert and "Press the 'Revert' button below" in revert


def test_reverting_a_record_to_a_past_version_says_reverted_and_to_which(admin_client_logged_in):
    """Every library admin with a history (here a reference value's) said "was changed successfully" of a revert."""
    from django.utils import formats, timezone

    from compounds.admin import MESSAGE_REVERTED
    from compounds.models import ReferenceValue

    value = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="US", population="adult")
    seeded = value.history.earliest()
    value.source_citation = "QA: changed since"
    value.save()
    form = {field: getattr(seeded, field) for field in ("kind", "market", "population", "sex", "per", "covers",
                                                        "source_citation", "qualifier", "notes", "source_url")}
    form.update(nutrient=str(seeded.nutrient_id), amount_mg=str(seeded.amount_mg or ""), food_only="on" if seeded.food_only else "",
                label_significance=str(seeded.label_significance or ""), effective_date=str(seeded.effective_date or ""))

    page = admin_client_logged_in.post(f"/admin/compounds/referencevalue/{value.pk}/history/{seeded.history_id}/", form,
                                       follow=True)

    date = formats.localize(timezone.template_localtime(seeded.history_date))
    said = MESSAGE_REVERTED.format(name="reference value", obj=ReferenceValue.objects.get(pk=value.pk), date=date)
    assert [str(m) for m in page.context["messages"]] == [said]
    assert html.escape(said) in page.content.decode()
    history = admin_client_logged_in.get(f"/admin/compounds/referencevalue/{value.pk}/history/").content.decode()
    assert date in history  # the version named as its history lists it
    assert ReferenceValue.objects.get(pk=value.pk).source_citation == seeded.source_citation


def _compounds_listed(client, search: str) -> list[str]:
    """The names the compound list shows for a search, as a curator reads them."""
    page = client.get("/admin/compounds/compound/", {"q": search}).content.decode()
    return sorted(html.unescape(name) for name in re.findall(r'class="field-name"><a [^>]*>([^<]+)</a>', page))


@pytest.mark.parametrize("search", ["MgCl2·6H2O", "MgCl2.6H2O", "MgCl2*6H2O", "MgCl2 · 6H2O", "MgCl2 . 6H2O", "MgCl2•6H2O",
                                    "MgCl2(H2O)6", " MgCl2.6H2O "])
def test_the_compound_search_finds_a_hydrate_written_in_any_of_its_spellings(admin_client_logged_in, search):
    """"MgCl2.6H2O" found nothing: the hexahydrate is stored as "MgCl2·6H2O", which the formula parser reads alike."""
    assert _compounds_listed(admin_client_logged_in, search) == ["Magnesium chloride hexahydrate"]


@pytest.mark.parametrize(("search", "found"), [
    ("chloride hexahydrate", ["Magnesium chloride hexahydrate"]),
    ("magnesium-oxide", ["Magnesium oxide"]),
    ("Magnesium", None),  # a name, though it reads like symbols: every magnesium compound, as before
])
def test_the_compound_search_by_name_or_slug_finds_as_before(admin_client_logged_in, search, found):
    listed = _compounds_listed(admin_client_logged_in, search)

    expected = sorted(Compound.objects.filter(name__icontains=search).values_list("name", flat=True)) if found is None else found
    assert listed == expected


def _history_changes(client, url: str) -> list[str]:
    """The Changes cell of each version a record's history lists, newest first, as a curator reads it (spaces as one)."""
    page = client.get(url).content.decode()
    table = page[page.index('id="change-history"'):page.index("</table>", page.index('id="change-history"'))]
    rows = re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>"):], re.S)
    return [re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", re.findall(r"<td>(.*?)</td>", row, re.S)[-1]))).strip()
            for row in rows]


def test_a_history_writes_an_empty_value_as_the_page_does_and_amounts_without_padding(admin_client_logged_in):
    """A reference value's amount set read "None → 3000.0000"; its qualifier, from none, " → 31 years and older"."""
    from compounds.admin import HISTORY_EMPTY
    from compounds.models import ReferenceValue

    value = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="US", population="infant")
    assert value.amount_mg is None and value.qualifier == ""
    value.amount_mg, value.qualifier = Decimal("3000.0000"), "QA infants"
    value.save()
    value.amount_mg, value.qualifier = Decimal("350.5000"), ""
    value.save()

    changes = _history_changes(admin_client_logged_in, f"/admin/compounds/referencevalue/{value.pk}/history/")

    assert changes[:2] == [f"Amount (mg): 3000 → 350.5 Qualifier: QA infants → {HISTORY_EMPTY}",
                           f"Amount (mg): {HISTORY_EMPTY} → 3000 Qualifier: {HISTORY_EMPTY} → QA infants"]


def test_a_history_names_a_choice_and_a_yes_or_no_as_the_form_does(admin_client_logged_in):
    """A reference value's history read "total → supplemental" and "False → True", the stored codes, where its form
    reads "Total intake" and a ticked box."""
    from compounds.admin import HISTORY_NO, HISTORY_YES
    from compounds.models import ReferenceValue

    value = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="US", population="adult")
    assert value.covers == ReferenceValue.Covers.SUPPLEMENTAL and not value.food_only
    value.covers, value.food_only = ReferenceValue.Covers.TOTAL, True
    value.save()

    changes = _history_changes(admin_client_logged_in, f"/admin/compounds/referencevalue/{value.pk}/history/")

    assert "Supplemental intake only → Total intake" in changes[0]
    assert f"{HISTORY_NO} → {HISTORY_YES}" in changes[0]
