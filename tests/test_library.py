"""The seeded library: fractions match stoichiometry, specified values stand beside theory."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from compounds import selectors
from compounds.models import Compound, CompoundNutrient, Nutrient, ReferenceValue
from compounds.seed import library_load
from formulator.engine import Basis
from tests.factories import CompoundFactory, CompoundNutrientFactory

pytestmark = pytest.mark.django_db

# shared/reference/compounds.md: slug, MW g/mol, Mg % by theory (IUPAC standard atomic weights).
COMPOUNDS_MD = [
    ("magnesium-oxide", "40.30", "60.30"),
    ("magnesium-hydroxide", "58.32", "41.68"),
    ("magnesium-carbonate", "84.31", "28.83"),
    ("trimagnesium-dicitrate", "451.11", "16.16"),
    ("trimagnesium-dicitrate-nonahydrate", "613.25", "11.89"),
    ("magnesium-hydrogen-citrate", "214.41", "11.34"),
    ("magnesium-bisglycinate", "172.42", "14.10"),
    ("magnesium-l-threonate", "294.50", "8.25"),
    ("magnesium-taurate", "272.57", "8.92"),
    ("magnesium-malate", "156.38", "15.54"),
    ("magnesium-malate-trihydrate", "210.42", "11.55"),
    ("magnesium-chloride-hexahydrate", "203.30", "11.96"),
    ("magnesium-lactate-dihydrate", "238.48", "10.19"),
    ("magnesium-sulfate-heptahydrate", "246.47", "9.86"),
    ("magnesium-l-aspartate", "288.50", "8.42"),
    ("magnesium-gluconate", "414.60", "5.86"),
    ("magnesium-orotate", "334.48", "7.27"),
    ("magnesium-glycerophosphate", "194.36", "12.51"),
    ("magnesium-pidolate", "280.52", "8.66"),
]


@pytest.mark.parametrize(("slug", "molecular_weight", "percent"), COMPOUNDS_MD)
def test_every_magnesium_form_matches_stoichiometry_to_a_hundredth_of_a_point(slug, molecular_weight, percent):
    compound = selectors.compound_list().get(slug=slug)
    (row,) = [r for r in selectors.compound_fraction_rows(compound) if r.nutrient.slug == "magnesium"]

    assert abs(row.theoretical * 100 - Decimal(percent)) <= Decimal("0.01")
    assert abs(selectors.compound_molecular_weight(compound) - Decimal(molecular_weight)) <= Decimal("0.02")


def test_magtein_threonate_uses_the_specified_7_2_percent_beside_8_25_theory():
    compound = selectors.compound_list().get(slug="magnesium-l-threonate")
    (row,) = selectors.compound_fraction_rows(compound)

    assert row.basis is Basis.SPECIFIED
    assert row.used == Decimal("0.072")
    assert round(row.theoretical * 100, 2) == Decimal("8.25")
    assert row.deviation_is_notable
    assert "Magtein" in row.specified_source


def test_glycine_from_bisglycinate_counts_two_glycines_per_formula_unit():
    compound = selectors.compound_list().get(slug="magnesium-bisglycinate")
    rows = {r.nutrient.slug: r for r in selectors.compound_fraction_rows(compound)}

    assert round(rows["glycine"].theoretical, 4) == Decimal("0.8707")


def test_botanicals_declare_their_contribution_with_a_source():
    compound = selectors.compound_list().get(slug="ashwagandha-root-extract")
    (row,) = selectors.compound_fraction_rows(compound)

    assert row.basis is Basis.DECLARED
    assert row.theoretical is None
    assert row.specified_source


def test_the_library_has_the_seeded_forms_and_ingredients():
    slugs = set(Compound.objects.values_list("slug", flat=True))

    assert {slug for slug, _, _ in COMPOUNDS_MD} <= slugs
    assert {"glycine", "l-theanine", "ashwagandha-root-extract", "5-htp", "melatonin", "magnolia-bark-extract",
            "pyridoxine-hydrochloride"} <= slugs
    assert {"magnesium", "glycine", "vitamin-b6"} <= set(Nutrient.objects.values_list("slug", flat=True))


def test_every_reference_value_has_a_source():
    assert ReferenceValue.objects.count() > 40
    assert not ReferenceValue.objects.filter(source_citation="").exists()
    assert ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="EU", population="adult").amount_mg == 250
    assert ReferenceValue.objects.get(nutrient__slug="magnesium", kind="DV", market="US", population="adult").amount_mg == 420
    assert ReferenceValue.objects.get(nutrient__slug="magnesium", kind="NRV", market="EU", population="adult").amount_mg == 375


def test_efsas_adequate_intakes_link_to_their_opinion():
    links = set(ReferenceValue.objects.filter(kind="AI", market="EU").values_list("source_url", flat=True))

    assert links == {"https://doi.org/10.2903/j.efsa.2015.4186"}


def test_loading_the_seed_again_changes_nothing():
    before = (Compound.objects.count(), ReferenceValue.objects.count(), CompoundNutrient.objects.count())

    call_command("load_seed", "--no-demo-user", verbosity=0)
    library_load()

    assert (Compound.objects.count(), ReferenceValue.objects.count(), CompoundNutrient.objects.count()) == before


def test_a_compound_with_a_bad_formula_fails_validation_on_the_formula_field():
    compound = CompoundFactory.build(formula="MgQ2")

    with pytest.raises(ValidationError) as caught:
        compound.full_clean()

    assert "formula" in caught.value.message_dict
    assert "not a molecular formula" in caught.value.message_dict["formula"][0]


def test_a_nutrient_the_formula_does_not_contain_is_refused():
    link = CompoundNutrientFactory.build(compound=CompoundFactory(formula="C2H5NO2"))

    with pytest.raises(ValidationError) as caught:
        link.full_clean()

    assert "has no element Mg" in caught.value.message_dict["nutrient"][0]


def test_an_ingredient_without_formula_needs_a_specified_fraction():
    link = CompoundNutrientFactory.build(compound=CompoundFactory(formula=""))

    with pytest.raises(ValidationError) as caught:
        link.full_clean()

    assert caught.value.message_dict["specified_fraction"] == [
        "An ingredient without a formula needs its specified fraction and the source of it."
    ]


@pytest.mark.parametrize("query", ["MgCl2·6H2O", "MgCl2.6H2O", "MgCl2 6H2O", "MgCl2(H2O)6", "MgCl2*6H2O"])
def test_search_finds_a_hydrate_by_any_spelling_of_its_formula(query):
    assert list(selectors.compound_list(query).values_list("slug", flat=True)) == ["magnesium-chloride-hexahydrate"]


def test_search_by_a_whole_formula_finds_that_compound_and_by_a_part_finds_the_formulas_it_is_in():
    assert list(selectors.compound_list("MgO").values_list("slug", flat=True)) == ["magnesium-oxide"]
    assert "magnesium-chloride-hexahydrate" in selectors.compound_list("MgCl").values_list("slug", flat=True)


def test_search_finds_threonate_by_a_fragment_of_its_name_or_synonym():
    assert list(selectors.compound_list("threo").values_list("slug", flat=True)) == ["magnesium-l-threonate"]
    assert "magnesium-l-threonate" in selectors.compound_list("Magtein").values_list("slug", flat=True)


@pytest.mark.parametrize(("query", "slug"), [
    ("Mg Oxide", "magnesium-oxide"), ("Mg L-Threonate", "magnesium-l-threonate"), ("Mg Glycinate", "magnesium-bisglycinate"),
    ("Magtein®", "magnesium-l-threonate"), ("magnesium-l-threonate", "magnesium-l-threonate"),
    ("l threonate", "magnesium-l-threonate"), ("ThreoTech", "magnesium-l-threonate"), ("5 htp", "5-htp"),
    ("magnesium bisglycinate chelate", "magnesium-bisglycinate"),
    ("magnesium sulphate heptahydrate", "magnesium-sulfate-heptahydrate"),
    ("5htp", "5-htp"), ("5HTP", "5-htp"), ("l-theanine", "l-theanine"), ("ltheanine", "l-theanine"),
    ("magnesiumoxide", "magnesium-oxide"),
])
def test_search_finds_a_compound_by_the_words_the_seeds_and_labels_use(query, slug):
    """"Mg Oxide" and "Magtein®" (seed 004's spellings), a slug, a supplier, and words from a name and a synonym
    together found nothing."""
    assert slug in selectors.compound_list(query).values_list("slug", flat=True)


def test_every_upper_limit_links_its_source():
    unlinked = ReferenceValue.objects.filter(kind__in=["UL", "MAX"], source_url="").exclude(market__in=["AU-NZ", "DE", "CA"])

    assert list(unlinked.values_list("nutrient__slug", "market", "population")) == []


def test_reference_values_list_populations_from_the_youngest():
    from compounds.models import Population
    from compounds.selectors import POPULATIONS_BY_AGE, reference_value_list

    assert set(POPULATIONS_BY_AGE) == set(Population.values)
    us_mg_uls = [v.population for v in reference_value_list().filter(nutrient__slug="magnesium", market="US", kind="UL")]
    assert us_mg_uls == ["infant", "child-1-3", "child-4-8", "child-9-13", "teen-14-18", "adult", "pregnancy", "lactation"]


def test_the_seed_records_each_compounds_planning_density_and_price_in_its_history():
    """Set by an update(), they were in no history record: a curator's first save of magnesium hydroxide was recorded
    as "Tapped bulk density: None → 0.550", which the seed had set."""
    from compounds.seed import PHYSICAL

    for slug in PHYSICAL:
        compound = Compound.objects.get(slug=slug)
        latest = compound.history.latest("history_date")
        assert compound.bulk_density_g_per_ml is not None and compound.cost_per_kg is not None, slug
        assert (latest.bulk_density_g_per_ml, latest.cost_per_kg) == (compound.bulk_density_g_per_ml, compound.cost_per_kg), slug


def test_canada_takes_the_iom_infant_adequate_intake_as_the_us_does():
    """Its RDAs are the IOM's, as regulatory.md says, but a Canadian infant design had no intake reference."""
    from compounds.models import ReferenceValue

    values = {row.market: (row.amount_mg, row.qualifier, row.source_citation)
              for row in ReferenceValue.objects.filter(nutrient__slug="magnesium", kind="AI", population="infant")}

    assert values["CA"] == values["US"] and values["CA"][0] == 75 and values["CA"][1] == "7-12 months; 30 mg at 0-6"


def test_a_curators_edit_of_a_seeded_row_stands_when_the_seed_is_loaded_again(django_user_model):
    """A second `make run` put the seed's values back over what a curator had saved in the admin or imported (an EU
    limit's notes, a study's outcomes), without a word."""
    from evidence.models import Study

    curator = django_user_model.objects.get(username="curator")
    eu = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="EU", population="adult", per="day")
    eu.notes, eu._history_user = "Checked by the curator.", curator  # as the admin's save records its user
    eu.save()
    liu = Study.objects.get(key="liu-2016")
    liu.curator_notes, liu._history_user = "Checked against the paper.", curator
    liu.save()
    liu.outcomes.filter(outcome="anxiety").update(direction="no-effect")

    call_command("load_seed", "--no-demo-user", verbosity=0)

    assert ReferenceValue.objects.get(pk=eu.pk).notes == "Checked by the curator."
    assert Study.objects.get(key="liu-2016").curator_notes == "Checked against the paper."
    assert liu.outcomes.get(outcome="anxiety").direction == "no-effect"


def test_loading_the_seed_again_writes_no_history_and_mends_what_no_one_edited():
    """Each load saved every study again (84 history records a run); a seed correction must still reach a row that
    only the seed ever wrote."""
    from evidence.models import Study

    def records():
        return sum(model.history.count() for model in (Compound, ReferenceValue, CompoundNutrient, Study))

    before = records()
    Study.objects.filter(key="liu-2016").update(curator_notes="An older seed's notes.")  # as a database made before

    call_command("load_seed", "--no-demo-user", verbosity=0)

    assert Study.objects.get(key="liu-2016").curator_notes.startswith("Authors, journal, n, DOI and PMID found by search.")
    assert records() == before + 1  # Liu's mended notes


def test_a_seeded_row_saved_unchanged_still_takes_the_seeds_corrections(django_user_model):
    """The admin's Save with nothing changed records a version with its user: the row was then kept from every later
    correction of the seed as if a curator had edited it."""
    curator = django_user_model.objects.get(username="curator")
    eu = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="EU", population="adult", per="day")
    eu._history_user = curator
    eu.save()
    ReferenceValue.objects.filter(pk=eu.pk).update(notes="An older seed's notes.")  # a database made before a correction

    call_command("load_seed", "--no-demo-user", verbosity=0)

    assert ReferenceValue.objects.get(pk=eu.pk).notes == eu.notes


def test_a_seeded_row_a_curator_deleted_or_renamed_is_not_made_again(django_user_model):
    """Loading the seed again made a deleted limit again, and a renamed interaction stood twice on every design."""
    from evidence.models import Interaction

    curator = django_user_model.objects.get(username="curator")
    eu = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="EU", population="adult", per="day")
    eu._history_user = curator
    eu.delete()
    bisphosphonates = Interaction.objects.get(agent="Bisphosphonates")
    bisphosphonates.agent, bisphosphonates._history_user = "Bisphosphonates (alendronate, risedronate)", curator
    bisphosphonates.save()

    call_command("load_seed", "--no-demo-user", verbosity=0)

    assert not ReferenceValue.objects.filter(nutrient__slug="magnesium", kind="UL", market="EU", population="adult",
                                             per="day").exists()
    assert list(Interaction.objects.filter(agent__startswith="Bisphosphonates").values_list("agent", flat=True)) == [
        "Bisphosphonates (alendronate, risedronate)"]


def test_a_kept_studys_search_text_follows_its_compounds_names_as_the_seed_mends_them(django_user_model):
    """A study a curator had edited was passed over whole, its search text too: a compound's synonym the seed mended
    never reached it."""
    from evidence.models import Study
    from evidence.services import study_refresh_search

    liu = Study.objects.get(key="liu-2016")
    liu.curator_notes, liu._history_user = "Checked against the paper.", django_user_model.objects.get(username="curator")
    liu.save()
    Compound.objects.filter(slug="magnesium-l-threonate").update(synonyms="Zorbitolix")  # an older seed's
    study_refresh_search(liu)

    call_command("load_seed", "--no-demo-user", verbosity=0)

    document = Study.objects.get(key="liu-2016").search_document
    assert "Magtein, MgT" in document and "Zorbitolix" not in document
