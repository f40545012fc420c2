"""What curators import and save in the admin: a row that would break the figures is refused at its field."""

from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError

from compounds import models
from compounds.models import Compound, CompoundNutrient, ReferenceValue
from compounds.resources import CompoundResource, ReferenceValueResource

pytestmark = pytest.mark.django_db


def imported(resource, dataset: tablib.Dataset):
    return resource.import_data(dataset, dry_run=False, raise_errors=False)


def row_errors(result) -> list[str]:
    """The messages of the rows an import refused: a field's, or the row's as a whole (an unknown key)."""
    return [message for row in result.invalid_rows for messages in row.error_dict.values() for message in messages] + [
        str(error.error) for _, errors in result.row_errors() for error in errors]


def test_an_import_cannot_give_a_magnesium_compound_a_formula_without_magnesium(client):
    """Imported as NaCl, magnesium chloride made every compound page and the API answer 500."""
    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-chloride-hexahydrate"))
    dataset.dict = [{**dataset.dict[0], "formula": "NaCl"}]

    result = imported(CompoundResource(), dataset)

    assert row_errors(result) == [models.ERROR_FORMULA_DROPS.format(
        problem="The formula “NaCl” has no element Mg.", nutrient="magnesium")]
    assert Compound.objects.get(slug="magnesium-chloride-hexahydrate").formula == "MgCl2·6H2O"
    assert client.get("/compounds/").status_code == 200


def test_reference_values_keep_food_and_formula_only_through_an_export_and_import():
    infants = ReferenceValue.objects.filter(nutrient__slug="magnesium", kind="UL", market="US", population="infant")
    dataset = ReferenceValueResource().export(infants)
    infants.delete()

    result = imported(ReferenceValueResource(), dataset)

    assert not result.has_errors() and not result.has_validation_errors()
    value = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="US", population="infant")
    assert value.food_only and value.amount_mg is None


def test_an_xlsx_export_of_reference_values_imports_back_unchanged():
    """Empty notes came back from XLSX as None: "NOT NULL constraint failed" on every such row."""
    exported = ReferenceValueResource().export()
    dataset = tablib.Dataset().load(exported.export("xlsx"), format="xlsx")

    result = imported(ReferenceValueResource(), dataset)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == result.totals["new"] == 0


@pytest.mark.parametrize(("amount", "food_only", "message"), [
    (Decimal(0), False, models.ERROR_REFERENCE_ZERO), (Decimal(250), True, models.ERROR_FOOD_ONLY_AMOUNT)])
def test_a_reference_value_of_0_or_food_only_with_an_amount_is_refused(amount, food_only, message):
    """An EU UL of 0 read as "no limit" beside 294 mg a day."""
    value = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="EU", population="adult")
    value.amount_mg, value.food_only = amount, food_only

    with pytest.raises(ValidationError) as caught:
        value.full_clean()

    assert caught.value.message_dict == {"amount_mg": [message]}


@pytest.mark.parametrize(("fraction", "source", "errors"), [
    (Decimal(0), "Magtein specification", {"specified_fraction": [models.ERROR_SPECIFIED_ZERO.format(nutrient="magnesium")]}),
    (Decimal("0.09"), "", {"specified_source": [models.ERROR_SPECIFIED_SOURCE]}),
    (Decimal("7.2"), "Magtein specification", {"specified_fraction": [models.ERROR_SPECIFIED_SHARE]}),
])
def test_a_specified_fraction_is_a_sourced_share_above_0(fraction, source, errors):
    """A fraction of 0 made Recover read 0 mg of magnesium, ok; 7.2 (a percentage) said only "at most 1"."""
    link = CompoundNutrient.objects.get(compound__slug="magnesium-l-threonate", nutrient__slug="magnesium")
    link.specified_fraction, link.specified_source = fraction, source

    with pytest.raises(ValidationError) as caught:
        link.full_clean()

    assert {field: messages for field, messages in caught.value.message_dict.items() if field in errors} == errors


@pytest.mark.parametrize(("column", "value", "message"), [
    ("amount_mg", "abc", "“abc” is not a number: write it in digits with a point for decimals, such as 0.72 (no comma)."),
    ("amount_mg", "1,5", "“1,5” is not a number: write it in digits with a point for decimals, such as 0.72 (no comma)."),
    ("nutrient", "unobtainium", None),
])
def test_an_imported_cell_that_cannot_be_read_says_what_is_wrong_in_words(column, value, message):
    """import-export said "[<class 'decimal.ConversionSyntax'>]" and "Nutrient matching query does not exist."."""
    from compounds import resources

    dataset = ReferenceValueResource().export(ReferenceValue.objects.filter(kind="NRV", nutrient__slug="magnesium")[:1])
    dataset.dict = [{**dataset.dict[0], column: value}]

    result = imported(ReferenceValueResource(), dataset)

    slugs = ", ".join(sorted(models.Nutrient.objects.values_list("slug", flat=True)))
    expected = message or resources.ERROR_IMPORT_NUTRIENT.format(value=value, slugs=slugs)
    assert row_errors(result) == [expected]
