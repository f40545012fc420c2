"""What curators import and save in the admin: a row that would break the figures is refused at its field."""

import io
import json
import re
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from django.utils.html import escape
import openpyxl
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from compounds import models, spreadsheets
from compounds.models import Compound, CompoundNutrient, ReferenceValue
from compounds.resources import (
    ERROR_FORMULA_DROPS,
    ERROR_IMPORT_CODES,
    ERROR_IMPORT_COLUMNS,
    ERROR_IMPORT_COMPOUND,
    ERROR_IMPORT_DUPLICATE,
    ERROR_IMPORT_SOURCE_REQUIRED,
    CompoundNutrientResource,
    CompoundResource,
    ReferenceValueResource,
)
from evidence.models import ERROR_COMPOUND_OR_NUTRIENT, ERROR_INTERACTION_RECORDED, Direction, Interaction, Outcome, Study, StudyOutcome
from evidence.resources import InteractionResource, StudyResource
from formulator import labels

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

    assert row_errors(result) == [ERROR_FORMULA_DROPS.format(
        problem="The formula “NaCl” has no element Mg.", nutrient="magnesium")]
    assert Compound.objects.get(slug="magnesium-chloride-hexahydrate").formula == "MgCl2·6H2O"
    assert client.get("/compounds/").status_code == 200


def test_an_imported_compounds_text_is_trimmed_as_the_admin_trims_it():
    """" MgO " was stored with its spaces and shown so, where the admin's form stores "MgO"."""
    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-oxide"))
    dataset.dict = [{**dataset.dict[0], "slug": " magnesium-oxide", "formula": " MgO ", "grade": "Heavy\n"}]

    result = imported(CompoundResource(), dataset)

    assert row_errors(result) == []
    assert Compound.objects.filter(slug="magnesium-oxide").values_list("formula", "grade").get() == ("MgO", "Heavy")
    assert result.totals["new"] == 0


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


@pytest.mark.parametrize(("fraction", "accepted"), [
    (Decimal("0.5"), False),  # Recover read 1,000 mg of magnesium from 2,000 mg of L-threonate
    (Decimal("0.09"), False),
    (Decimal("0.083"), True),  # EFSA's specification reaches 8.3%, the formula's 8.25% rounded up
    (Decimal("0.072"), True),  # Magtein's
])
def test_a_specified_fraction_above_what_the_formula_holds_is_refused(fraction, accepted):
    link = CompoundNutrient.objects.get(compound__slug="magnesium-l-threonate", nutrient__slug="magnesium")
    link.specified_fraction, link.specified_source = fraction, "Supplier CoA"

    if accepted:
        link.full_clean()
        return
    with pytest.raises(ValidationError) as caught:
        link.full_clean()

    assert caught.value.message_dict == {"specified_fraction": [models.ERROR_SPECIFIED_ABOVE_THEORY.format(
        specified=f"{fraction * 100:.2f}%", nutrient="magnesium", theoretical="8.25%")]}


@pytest.mark.parametrize("fraction", [Decimal("0.0025"), Decimal("0.005")])
def test_a_diluted_material_far_under_its_formulas_fraction_is_taken_as_specified(fraction):
    """Vitamin D3 100 CWS assays about 0.25% of its formula's cholecalciferol, a selenomethionine trituration 0.5%: a
    supplier's figure, however far under the formula's, is the material's."""
    link = CompoundNutrient.objects.get(compound__slug="magnesium-l-threonate", nutrient__slug="magnesium")
    link.specified_fraction, link.specified_source = fraction, "Supplier CoA"

    link.full_clean()


def test_a_fraction_not_none_never_reads_as_none():
    assert labels.fraction_percent(Decimal("0.00001")) == "<0.01%"
    assert labels.fraction_percent(Decimal("0")) == "0.00%"
    assert labels.fraction_percent(Decimal("0.0825")) == "8.25%"


@pytest.mark.parametrize(("column", "value", "message"), [
    ("amount_mg", "abc", "“abc” is not a number: write it in digits with a point for decimals, such as 0.72 (no comma)."),
    ("amount_mg", "1,5", "“1,5” is not a number: write it in digits with a point for decimals, such as 0.72 (no comma)."),
    ("nutrient", "unobtainium", None),
    ("effective_date", "26/07/2016", "“26/07/2016” is not a date as the file writes dates: write it as year-month-day, such as "
                                     "2016-07-26."),
    # Read as 2 January by the site's formats, where a European writes 1 February so.
    ("effective_date", "01/02/2020", "“01/02/2020” is not a date as the file writes dates: write it as year-month-day, such as "
                                     "2016-07-26."),
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


def _admin_import(client, url: str, dataset: tablib.Dataset):
    upload = SimpleUploadedFile("rows.csv", dataset.export("csv").encode(), content_type="text/csv")
    return client.post(url, {"import_file": upload, "format": "0", "resource": "0"})


@pytest.mark.parametrize(("name", "content", "format_index", "message"), [
    # An unquoted comma in a note: "'InvalidDimensions' encountered while trying to read file", naming no line.
    ("rows.csv", "slug,name,notes\nqa-oxide,QA oxide,Bought from ACME, lot 42\n", "0",
     spreadsheets.ERROR_ROW_WIDTH.format(line=2, columns=3)),
    ("rows.json", "[[1, 2], [3, 4]]", "3", spreadsheets.ERROR_JSON_ROWS),  # a 500
    ("rows.json", "{not json", "3", spreadsheets.ERROR_JSON_ROWS),
    ("rows.json", '{"slug": "magnesium-oxide"}', "3", spreadsheets.ERROR_JSON_ROWS),
])
def test_a_file_that_is_not_rows_as_an_export_writes_them_says_what_to_do(admin_client_logged_in, name, content,
                                                                          format_index, message):
    upload = SimpleUploadedFile(name, content.encode(), content_type="application/octet-stream")
    response = admin_client_logged_in.post("/admin/compounds/compound/import/",
                                           {"import_file": upload, "format": format_index, "resource": "0"})

    assert response.status_code == 200
    assert escape(message) in response.content.decode()


def test_an_imported_limit_far_outside_its_nutrients_others_is_said_in_the_preview(admin_client_logged_in):
    """A UL of 350,000 mg of magnesium (mcg typed as mg) was previewed and imported without a word."""
    from compounds.selectors import LEAD_PREVIEW, LEAD_SAVED, MESSAGE_REFERENCE_HIGH

    row = {"nutrient": "magnesium", "kind": "UL", "market": "AU-NZ", "population": "adult", "sex": "any", "per": "day",
           "qualifier": "", "amount_mg": "350000", "label_significance": "", "covers": "supplemental", "food_only": "0",
           "source_citation": "QA slip", "source_url": "", "effective_date": "", "notes": ""}
    url = "/admin/compounds/referencevalue/import/"
    preview = _admin_import(admin_client_logged_in, url, tablib.Dataset([*row.values()], headers=[*row]))
    values = {"market": "AU-NZ", "kind": "UL", "population": "adults", "amount": "350,000", "sort": "limit",
              "nutrient": "magnesium", "low": "65", "high": "500"}

    # Nothing is saved by a preview: "Saved, but check" read as if it were.
    assert escape(MESSAGE_REFERENCE_HIGH.format(lead=LEAD_PREVIEW, **values)) in preview.content.decode()
    assert ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="AU-NZ", population="adult").amount_mg == 350
    done = admin_client_logged_in.post(url.replace("/import/", "/process_import/"),
                                       {**preview.context["confirm_form"].initial}, follow=True)
    assert MESSAGE_REFERENCE_HIGH.format(lead=LEAD_SAVED, **values) in [str(m) for m in done.context["messages"]]


def test_a_file_without_a_key_column_says_which_column_in_words_without_a_traceback(admin_client_logged_in):
    """Without "kind", the page showed import-export's message and a Python traceback under it."""
    dataset = ReferenceValueResource().export(ReferenceValue.objects.filter(nutrient__slug="magnesium", market="EU"))
    del dataset["kind"]

    html = _admin_import(admin_client_logged_in, "/admin/compounds/referencevalue/import/", dataset).content.decode()

    assert ERROR_IMPORT_COLUMNS.format(missing="“kind”", what="reference value",
                                       keys="nutrient, kind, market, population, sex and per") in html
    assert "Traceback" not in html and "import_id_fields" not in html


def test_a_confirmed_import_a_row_of_which_no_longer_holds_imports_nothing(admin_client_logged_in):
    """Two new infant limits previewed as new; meanwhile a curator added the EU's for boys, beside which one "for any
    sex" cannot stand. Confirmed, the file wrote the other row and the page said "Import finished: 1 new"."""
    from compounds.admin import MESSAGE_IMPORT_LIBRARY_CHANGED

    row = {"nutrient": "magnesium", "kind": "UL", "population": "infant", "sex": "any", "per": "day", "qualifier": "",
           "amount_mg": "", "label_significance": "", "covers": "supplemental", "food_only": "1",
           "source_citation": "QA race", "source_url": "", "effective_date": "", "notes": ""}
    ReferenceValue.objects.filter(nutrient__slug="magnesium", kind="UL", population="infant", market__in=["AU-NZ", "EU"]).delete()
    dataset = tablib.Dataset(*[[*row.values(), market] for market in ("AU-NZ", "EU")], headers=[*row, "market"])
    preview = _admin_import(admin_client_logged_in, "/admin/compounds/referencevalue/import/", dataset)
    assert preview.context["confirm_form"] is not None
    ReferenceValue.objects.create(nutrient=ReferenceValue.objects.filter(nutrient__slug="magnesium").first().nutrient,
                                  kind="UL", market="EU", population="infant", sex="male", amount_mg=Decimal(100),
                                  source_citation="Another curator")

    done = admin_client_logged_in.post("/admin/compounds/referencevalue/process_import/",
                                       {**preview.context["confirm_form"].initial}, follow=True)

    assert MESSAGE_IMPORT_LIBRARY_CHANGED in [str(m) for m in done.context["messages"]]
    assert not ReferenceValue.objects.filter(source_citation="QA race").exists()


def test_a_confirmed_import_after_another_curators_change_imports_nothing(admin_client_logged_in):
    """A file changing magnesium oxide's price previewed threonate's row as skipped; meanwhile a curator changed
    threonate's price. Confirmed, the file wrote threonate's old price back: "2 updated", the change undone unsaid."""
    from compounds.admin import MESSAGE_IMPORT_LIBRARY_CHANGED

    dataset = CompoundResource().export(Compound.objects.filter(slug__in=["magnesium-oxide", "magnesium-l-threonate"]))
    dataset.dict = [{**row, "cost_per_kg": "7.50"} if row["slug"] == "magnesium-oxide" else row for row in dataset.dict]
    preview = _admin_import(admin_client_logged_in, "/admin/compounds/compound/import/", dataset)
    threonate = Compound.objects.get(slug="magnesium-l-threonate")
    threonate.cost_per_kg = Decimal("170.00")
    threonate.save()

    done = admin_client_logged_in.post("/admin/compounds/compound/process_import/",
                                       {**preview.context["confirm_form"].initial}, follow=True)

    assert MESSAGE_IMPORT_LIBRARY_CHANGED in [str(m) for m in done.context["messages"]]
    assert Compound.objects.get(slug="magnesium-l-threonate").cost_per_kg == Decimal("170.00")
    assert Compound.objects.get(slug="magnesium-oxide").cost_per_kg != Decimal("7.50")


def test_a_confirmed_import_with_the_library_as_previewed_imports(admin_client_logged_in):
    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-oxide"))
    dataset.dict = [{**dataset.dict[0], "cost_per_kg": "7.50"}]
    preview = _admin_import(admin_client_logged_in, "/admin/compounds/compound/import/", dataset)

    admin_client_logged_in.post("/admin/compounds/compound/process_import/", {**preview.context["confirm_form"].initial})

    assert Compound.objects.get(slug="magnesium-oxide").cost_per_kg == Decimal("7.50")


@pytest.mark.parametrize("resource, objects, url", [
    (CompoundResource, Compound.objects.filter(slug="magnesium-oxide"), "/admin/compounds/compound/import/"),
    (StudyResource, Study.objects.order_by("key")[:1], "/admin/evidence/study/import/"),
])
def test_a_file_that_gives_a_row_twice_is_refused_at_the_second(admin_client_logged_in, resource, objects, url):
    """Both rows previewed as "Update" and the later one won unseen."""
    dataset = resource().export(objects)
    first = dataset.dict[0]
    notes = "notes" if "notes" in first else "curator_notes"
    dataset.dict = [{**first, notes: "first"}, {**first, notes: "second"}]

    response = _admin_import(admin_client_logged_in, url, dataset)
    html = response.content.decode()
    instance = objects.first()

    assert "Some rows failed to validate" in html
    key = instance.slug if resource is CompoundResource else instance.key
    assert ERROR_IMPORT_DUPLICATE.format(row=2, first=1, what=instance._meta.verbose_name, key=key) in html
    assert response.context.get("confirm_form") is None


def test_reference_values_differing_in_one_key_column_are_not_duplicates():
    values = ReferenceValue.objects.filter(nutrient__slug="magnesium", kind="UL", market="US")
    dataset = ReferenceValueResource().export(values)

    result = imported(ReferenceValueResource(), dataset)

    assert values.count() > 1 and not result.has_errors() and not result.has_validation_errors()


def _eu_magnesium_limits() -> tablib.Dataset:
    return ReferenceValueResource().export(ReferenceValue.objects.filter(nutrient__slug="magnesium", market="EU"))


def _upload(client, url: str, content: bytes, file_format: int):
    upload = SimpleUploadedFile("rows.xlsx" if file_format == 1 else "rows.csv", content)
    return client.post(url, {"import_file": upload, "format": str(file_format), "resource": "0"})


@pytest.mark.parametrize("formula_cells", [1, 7])
def test_an_xlsx_cell_holding_a_formula_without_its_result_is_refused_in_words(admin_client_logged_in, formula_cells):
    """openpyxl reads a formula's saved result; a file without one (written by a program, not a spreadsheet) imported
    the cell as empty: the limit's amount, silently."""
    dataset = _eu_magnesium_limits()
    sheet = (book := Workbook()).active
    sheet.append(dataset.headers)
    for row in dataset:
        sheet.append(list(row))
    column = get_column_letter(dataset.headers.index("amount_mg") + 1)
    cells = [f"{column}{row}" for row in range(2, 2 + formula_cells)]
    for cell in cells:
        sheet[cell] = "=200+50"
    content = io.BytesIO()
    book.save(content)

    response = _upload(admin_client_logged_in, "/admin/compounds/referencevalue/import/", content.getvalue(), 1)

    named = ("Cell " + cells[0] if formula_cells == 1 else f"Cells {', '.join(cells[:5])} and {formula_cells - 5} more")
    holds = "holds" if formula_cells == 1 else "each hold"
    assert escape(spreadsheets.ERROR_FORMULA_WITHOUT_RESULT.format(cells=named, holds=holds)) in response.content.decode()
    assert response.context.get("confirm_form") is None


def test_a_csv_file_not_in_utf8_says_how_to_save_it(admin_client_logged_in):
    """A spreadsheet's "CSV" in Windows-1252 got "'UnicodeDecodeError' encountered while trying to read file"."""
    dataset = _eu_magnesium_limits()
    dataset.dict = [{**row, "notes": "Scientific Committee on Food, réf. 2001"} for row in dataset.dict]
    content = dataset.export("csv").encode("cp1252")

    html = _upload(admin_client_logged_in, "/admin/compounds/referencevalue/import/", content, 0).content.decode()

    assert escape(spreadsheets.ERROR_NOT_UTF8.format(position=content.index("é".encode("cp1252")))) in html
    assert "UnicodeDecodeError" not in html


def test_a_csv_file_imported_as_xlsx_says_to_choose_its_format(admin_client_logged_in):
    """It said "'BadZipFile' encountered while trying to read file"."""
    content = _eu_magnesium_limits().export("csv").encode()

    html = _upload(admin_client_logged_in, "/admin/compounds/referencevalue/import/", content, 1).content.decode()

    assert escape(spreadsheets.ERROR_NOT_XLSX) in html and "BadZipFile" not in html


def test_a_csv_file_with_semicolons_between_columns_says_so(admin_client_logged_in):
    """Read as one column named "nutrient;kind;…", it was refused for lacking the column "nutrient"."""
    content = _eu_magnesium_limits().export("csv", delimiter=";").encode()

    html = _upload(admin_client_logged_in, "/admin/compounds/referencevalue/import/", content, 0).content.decode()

    assert escape(spreadsheets.ERROR_SEMICOLONS) in html
    assert "Some rows failed" not in html


def _admin_export(client, url: str, resource: str, fields: list[str], file_format: int) -> bytes:
    data = {"format": str(file_format), "resource": "0", **{f"{resource}_{name}": "on" for name in fields}}
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    return response.content


@pytest.mark.parametrize("file_format, read", [
    (0, lambda content: tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")),
    (1, lambda content: tablib.Dataset().load(content, format="xlsx")),
])
def test_an_admin_export_opens_formula_like_text_as_text_and_imports_back_as_it_was(admin_client_logged_in, file_format, read):
    """A note "=HYPERLINK(…)" was written as it is: a spreadsheet opening the export would run it."""
    text = '=HYPERLINK("http://example.com/x","magnesium")'
    # A quoted seed claim, already starting with an apostrophe before "+", lost it on the way back.
    Compound.objects.filter(slug="magnesium-oxide").update(notes=text, supplier="-Acme", grade="'+20% absorption'")
    fields = CompoundResource.Meta.fields
    content = _admin_export(admin_client_logged_in, "/admin/compounds/compound/export/", "compoundresource", fields, file_format)
    exported = read(content)
    row = next(row for row in exported.dict if row["slug"] == "magnesium-oxide")
    Compound.objects.filter(slug="magnesium-oxide").update(notes="changed", supplier="", grade="")

    assert (row["notes"], row["supplier"], row["grade"]) == ("'" + text, "'-Acme", "''+20% absorption'")
    upload = SimpleUploadedFile("rows" + (".csv" if file_format == 0 else ".xlsx"), content)
    preview = admin_client_logged_in.post("/admin/compounds/compound/import/",
                                          {"import_file": upload, "format": str(file_format), "resource": "0"})
    admin_client_logged_in.post("/admin/compounds/compound/process_import/", {**preview.context["confirm_form"].initial})
    compound = Compound.objects.get(slug="magnesium-oxide")
    assert (compound.notes, compound.supplier, compound.grade) == (text, "-Acme", "'+20% absorption'")


def test_an_admin_xlsx_export_holds_numbers_and_yes_no_as_such(admin_client_logged_in):
    """Every amount was a text cell: a spreadsheet neither sums nor sorts them as numbers."""
    content = _admin_export(admin_client_logged_in, "/admin/compounds/referencevalue/export/", "referencevalueresource",
                            ReferenceValueResource.Meta.fields, 1)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[:3] == ("magnesium", "UL", "EU")), strict=True))

    assert row["amount_mg"] == 250 and not isinstance(row["amount_mg"], str)
    assert row["food_only"] is False


@pytest.mark.parametrize("resource, url", [
    (ReferenceValueResource, "/admin/compounds/referencevalue/"),
    (CompoundResource, "/admin/compounds/compound/"),
    (StudyResource, "/admin/evidence/study/"),
    (InteractionResource, "/admin/evidence/interaction/"),
])
def test_an_admin_xlsx_export_imports_back_with_every_row_unchanged(admin_client_logged_in, resource, url):
    """Dates came back as a date and time, so every dated limit previewed as an update (and would be saved as one)."""
    content = _admin_export(admin_client_logged_in, url + "export/", resource.__name__.lower(), resource.Meta.fields, 1)

    result = _upload(admin_client_logged_in, url + "import/", content, 1).context["result"]

    assert result.totals["skip"] == resource.Meta.model.objects.count() > 0
    assert result.totals["update"] == 0


@pytest.mark.parametrize("file_format", [0, 2])  # CSV, TSV
def test_an_admin_text_export_opens_in_a_spreadsheet_as_utf8_and_imports_back_unchanged(admin_client_logged_in, file_format):
    """Without a byte-order mark Excel reads a CSV in the machine's code page: "—" opened as "â€”", "µg" as "Âµg"."""
    Compound.objects.filter(slug="magnesium-oxide").update(notes="60.3% magnesium — 5 µg of lead at most")
    content = _admin_export(admin_client_logged_in, "/admin/compounds/compound/export/", "compoundresource",
                            CompoundResource.Meta.fields, file_format)

    assert content.startswith(spreadsheets.BYTE_ORDER_MARK.encode())
    assert "60.3% magnesium — 5 µg of lead at most" in content.decode("utf-8-sig")
    result = _upload(admin_client_logged_in, "/admin/compounds/compound/import/", content, file_format).context["result"]
    assert result.totals["skip"] == Compound.objects.count() > 0
    assert result.totals["update"] == 0


@pytest.mark.parametrize(("formula", "symbol", "has", "needs"), [
    ("MgO", "C", "0", "4"),  # glycine read as 372% of the compound: MoodFlow gave 6,342 mg of it a day
    ("MgCl2·6H2O", "C", "0", "4"),  # 73.8% glycine from a compound without nitrogen
    ("MgC2H4NO2", "C", "2", "4"),  # one glycinate, recorded to release two glycine
])
def test_a_compound_cannot_be_given_a_formula_that_cannot_release_its_molecular_nutrient(formula, symbol, has, needs):
    from compounds.chemistry import ERROR_CANNOT_RELEASE

    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-bisglycinate"))
    dataset.dict = [{**dataset.dict[0], "formula": formula}]

    result = imported(CompoundResource(), dataset)

    problem = ERROR_CANNOT_RELEASE.format(formula=formula, units="2 ", nutrient="glycine", nutrient_formula="C2H5NO2",
                                          has=has, symbol=symbol, needs=needs)
    assert row_errors(result) == [ERROR_FORMULA_DROPS.format(problem=problem, nutrient="glycine")]
    assert Compound.objects.get(slug="magnesium-bisglycinate").formula == "C4H8MgN2O4"  # as seeded


@pytest.mark.parametrize("kind", ["DV", "NRV"])
def test_a_daily_value_or_nrv_is_for_both_sexes(kind):
    """A women's US DV of 300 mg beside the adults' listed Recover at 34% and 48% of "the" DV, its panel at 34%."""
    value = ReferenceValue.objects.filter(nutrient__slug="magnesium", kind=kind, population="adult").first()
    value.pk, value.sex = None, "female"

    with pytest.raises(ValidationError) as caught:
        value.full_clean()

    label = ReferenceValue.Kind(kind).label
    assert caught.value.message_dict == {"sex": [models.ERROR_LABEL_REFERENCE_SEX.format(kind=label)]}


@pytest.mark.parametrize(("kind", "market", "expected"), [("NRV", "US", "DV"), ("DV", "EU", "NRV"), ("DV", "DE", "NRV")])
def test_a_label_reference_is_the_one_its_markets_labels_use(kind, market, expected):
    """An NRV for the US was saved, and comparisons read "US %NRV a day", a percentage no US label carries."""
    value = ReferenceValue.objects.filter(nutrient__slug="magnesium", kind=kind, population="adult").first()
    value.pk, value.market = None, market

    with pytest.raises(ValidationError) as caught:
        value.full_clean()

    assert caught.value.message_dict == {"kind": [models.ERROR_LABEL_REFERENCE_MARKET.format(
        article="An" if market == "EU" else "A", market=market, expected=ReferenceValue.Kind(expected).label, kind=ReferenceValue.Kind(kind).label)]}


def test_every_seed_reference_value_passes_the_curators_checks():
    for value in ReferenceValue.objects.select_related("nutrient"):
        value.full_clean()


def test_no_seed_reference_value_is_far_outside_its_nutrients_others():
    from compounds.selectors import reference_value_outlier

    assert [reference_value_outlier(value) for value in ReferenceValue.objects.select_related("nutrient")
            if reference_value_outlier(value)] == []


def test_a_figure_for_one_sex_never_stands_beside_one_for_any_sex():
    """A men's UL beside the adults' left men two US limits, each judged, neither said to replace the other."""
    any_sex = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="US", population="adult")
    men = ReferenceValue(nutrient=any_sex.nutrient, kind="UL", market="US", population="adult", sex="male",
                         amount_mg=Decimal(400), source_citation="A source")
    with pytest.raises(ValidationError) as caught:
        men.full_clean()
    assert caught.value.message_dict == {"sex": [models.ERROR_SEX_BESIDE_ANY.format(
        market="US", kind="Tolerable Upper Intake Level", population="Adults")]}

    by_sex = ReferenceValue.objects.filter(nutrient__slug="magnesium", kind="AI", market="EU", population="adult")
    assert sorted(by_sex.values_list("sex", flat=True)) == ["female", "male"]
    both = by_sex.first()
    both.pk, both.sex = None, "any"
    with pytest.raises(ValidationError) as caught:
        both.full_clean()
    assert caught.value.message_dict == {"sex": [models.ERROR_ANY_BESIDE_SEX.format(
        market="EU", kind="Adequate Intake", population="Adults", sexes="female, male")]}

    women = by_sex.get(sex="female")
    women.amount_mg = Decimal(310)
    women.full_clean()  # beside the men's: the pair an intake that differs by sex is


@pytest.mark.parametrize(("amount", "food_only", "per", "errors"), [
    (None, True, "day", {"food_only": [models.ERROR_FOOD_ONLY_KIND.format(kind="Daily Value")]}),
    (None, False, "day", {"amount_mg": [models.ERROR_INTAKE_AMOUNT.format(kind="Daily Value")]}),
    # A second US Daily Value, per dose: magnesium read 200% of it beside its 48%.
    (Decimal(100), False, "dose", {"per": [models.ERROR_INTAKE_PER_DOSE.format(kind="Daily Value")]}),
])
def test_a_daily_value_is_an_amount_a_day_never_food_only_nor_empty(amount, food_only, per, errors):
    """Either of the first two took magnesium off the Supplement Facts panel, leaving the threonate "†, Daily Value not
    established"."""
    value = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="DV", market="US", population="adult")
    value.amount_mg, value.food_only, value.per = amount, food_only, per

    with pytest.raises(ValidationError) as caught:
        value.full_clean()

    assert caught.value.message_dict == errors


@pytest.mark.parametrize(("kind", "refused"), [("UL", True), ("MAX", False)])
def test_only_a_national_maximum_is_per_dose_not_an_upper_limit(kind, refused):
    """A US UL saved per dose was a "350 mg/dose" safety row beside the day's 350 mg."""
    value = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="US", population="adult")
    value.pk, value.kind, value.per = None, kind, "dose"

    errors = {}
    try:
        value.full_clean()
    except ValidationError as caught:
        errors = caught.message_dict

    assert (errors.get("per") == [models.ERROR_INTAKE_PER_DOSE.format(kind="Tolerable Upper Intake Level")]) == refused


@pytest.mark.parametrize(("unit", "errors"), [
    ("mg", {"amount_mg": [models.ERROR_LABEL_UNIT_MG.format(amount="0.02", nutrient="vitamin B6")]}),
    ("mcg", None),
])
def test_a_daily_value_under_0_1_mg_asks_for_its_nutrient_in_mcg(unit, errors):
    """Vitamin D's 20 mcg entered as 0.02 mg, its label unit left at mg: the panel rounded 25 mcg to "0.03 mg"."""
    value = ReferenceValue.objects.get(nutrient__slug="vitamin-b6", kind="DV", market="US", population="adult")
    value.nutrient.label_unit, value.amount_mg, value.label_significance = unit, Decimal("0.020"), None

    if errors is None:
        value.full_clean()
        return
    with pytest.raises(ValidationError) as caught:
        value.full_clean()

    assert caught.value.message_dict == errors


@pytest.mark.parametrize(("amount", "step", "refused"), [("0.12", "1", True), ("0.12", "0.001", False),
                                                        ("2", "0.1", False), ("1.7", "1", True)])
def test_a_level_of_significance_coarser_than_its_value_is_written_is_refused(amount, step, refused):
    """Vitamin K's 120 mcg at a step of 1 mg printed 45 mcg as "50 mcg" on the panel, and the DV as "0 mcg"."""
    value = ReferenceValue.objects.get(nutrient__slug="vitamin-b6", kind="DV", market="US", population="adult")
    value.nutrient.label_unit = "mcg"
    value.amount_mg, value.label_significance = Decimal(amount), Decimal(step)

    if not refused:
        value.full_clean()
        return
    with pytest.raises(ValidationError) as caught:
        value.full_clean()

    assert caught.value.message_dict == {"label_significance": [
        models.ERROR_SIGNIFICANCE_COARSER.format(step=step, amount=amount)]}


def test_a_nutrient_with_a_dv_under_0_1_mg_cannot_be_put_back_in_mg(vitamin_d):
    """Vitamin D set back to mg after its DV of 0.02 mg was saved printed 25 mcg as "0.10 mg" beside 500%."""
    nutrient = CompoundNutrient.objects.get(compound=vitamin_d).nutrient
    nutrient.label_unit = "mg"

    with pytest.raises(ValidationError) as caught:
        nutrient.full_clean()

    assert caught.value.message_dict == {"label_unit": [
        models.ERROR_LABEL_UNIT_SMALL_VALUE.format(market="EU", kind="NRV", amount="0.005")]}


@pytest.mark.parametrize(("value", "saved"), [("yes", True), ("TRUE", True), ("1", True), ("no", False), ("0", False),
                                              ("", False)])
def test_food_only_reads_yes_and_no_in_the_words_people_write(value, saved):
    row = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="EU", population="adult")
    dataset = ReferenceValueResource().export(ReferenceValue.objects.filter(pk=row.pk))
    dataset.dict = [{**dataset.dict[0], "food_only": value, "amount_mg": "" if saved else "250"}]

    result = imported(ReferenceValueResource(), dataset)

    assert row_errors(result) == []
    assert ReferenceValue.objects.get(pk=row.pk).food_only is saved


def test_a_food_only_cell_that_is_neither_yes_nor_no_is_refused():
    """"yes" and "x" read as no: the EU limit, its amount cleared, came back as no limit, and Recover read "ok"."""
    from compounds.resources import ERROR_IMPORT_YES_NO

    row = ReferenceValue.objects.get(nutrient__slug="magnesium", kind="UL", market="EU", population="adult")
    dataset = ReferenceValueResource().export(ReferenceValue.objects.filter(pk=row.pk))
    dataset.dict = [{**dataset.dict[0], "food_only": "x", "amount_mg": ""}]

    result = imported(ReferenceValueResource(), dataset)

    assert row_errors(result) == [ERROR_IMPORT_YES_NO.format(value="x")]
    assert ReferenceValue.objects.get(pk=row.pk).amount_mg == 250


@pytest.mark.parametrize(("compounds", "unknown"), [
    ("magnesium-l-threonate, magnesium-oxide", "magnesium-l-threonate, magnesium-oxide"),
    ("magnesium-l-threonate|no-such-compound", "no-such-compound"),
])
def test_a_study_naming_a_compound_the_library_lacks_is_refused_not_stripped_of_it(compounds, unknown):
    """Commas for "|" imported as "Update" and left Liu 2016 without compounds: Recover's grades changed."""
    from compounds.resources import ERROR_IMPORT_UNKNOWN

    dataset = StudyResource().export(Study.objects.filter(key="liu-2016"))
    dataset.dict = [{**dataset.dict[0], "compounds": compounds}]

    result = imported(StudyResource(), dataset)

    assert len(row_errors(result)) == 1 and row_errors(result)[0].startswith(
        ERROR_IMPORT_UNKNOWN.format(what="compound", value=unknown, separator="|", example="").rsplit(" as in", 1)[0])
    assert list(Study.objects.get(key="liu-2016").compounds.values_list("slug", flat=True)) == ["magnesium-l-threonate"]


def test_a_study_naming_only_compounds_the_library_lacks_is_given_an_example_of_slugs_it_has():
    """The example was "magnesium-oxide|magnesium-citrate", and the library has no magnesium-citrate."""
    dataset = StudyResource().export(Study.objects.filter(key="liu-2016"))
    # Not a slip of a slug the library has ("magnesium-oxyde" is asked if it meant magnesium-oxide), nor taken for one.
    dataset.dict = [{**dataset.dict[0], "compounds": "magnesium-citrate"}]

    (error,) = row_errors(imported(StudyResource(), dataset))

    example = error.rsplit(" as in ", 1)[1].rstrip(".").split("|")
    assert len(example) == 2 and Compound.objects.filter(slug__in=example).count() == 2, example


@pytest.mark.parametrize(("column", "value", "message"), [
    ("dose_compound_mg_min", "1,800", "“1,800” is not a number: write it in digits with a point for decimals, such as 0.72 (no comma)."),
    # A spreadsheet's TRUE, or a JSON list: "[<class 'decimal.ConversionSyntax'>]".
    ("dose_compound_mg_min", True, "“True” is not a number: write it in digits with a point for decimals, such as 0.72 (no comma)."),
    ("dose_compound_mg_min", [350], "“[350]” is not a number: write it in digits with a point for decimals, such as 0.72 (no comma)."),
    ("year", "sixteen", "“sixteen” is not a whole number: write it in digits, such as 2016 (no comma or point)."),
    ("n", "-5", "“-5” is below zero: a count or a year is 0 or more, written in digits, such as 24 or 2016."),  # "not a whole number"
])
def test_a_study_cell_that_cannot_be_read_says_so_in_words(column, value, message):
    """"[<class 'decimal.ConversionSyntax'>]"."""
    dataset = StudyResource().export(Study.objects.filter(key="liu-2016"))
    dataset.dict = [{**dataset.dict[0], column: value}]

    assert row_errors(imported(StudyResource(), dataset)) == [message]


@pytest.mark.parametrize(("cell", "flagged"), [("yes", True), ("Yes", True), ("1", True), ("no", False)])
def test_a_studys_misquote_flag_reads_yes_and_no_as_every_yes_no_column_does(cell, flagged):
    """"yes" cleared Hausenblas 2024's flag (import-export's own widget reads only 1 and true), and "x" was taken."""
    dataset = StudyResource().export(Study.objects.filter(key="hausenblas-2024"))
    dataset.dict = [{**dataset.dict[0], "seed_misquotes": cell}]

    assert row_errors(imported(StudyResource(), dataset)) == []
    assert Study.objects.get(key="hausenblas-2024").seed_misquotes is flagged


def test_a_yes_no_cell_that_is_neither_is_refused_in_every_file():
    from compounds.resources import ERROR_IMPORT_YES_NO

    dataset = StudyResource().export(Study.objects.filter(key="kennedy-2016"))
    dataset.dict = [{**dataset.dict[0], "seed_misquotes": "x"}]

    assert row_errors(imported(StudyResource(), dataset)) == [ERROR_IMPORT_YES_NO.format(value="x")]


def test_suppliers_specified_fractions_export_and_import_back_with_their_compounds():
    """The compound export left out the specified fractions (Magtein's 7.2%) that every threonate figure rests on."""
    links = CompoundNutrient.objects.filter(compound__slug="magnesium-l-threonate")
    dataset = CompoundNutrientResource().export(links)
    assert dataset.dict[0]["compound"] == "magnesium-l-threonate" and Decimal(dataset.dict[0]["specified_fraction"]) == Decimal("0.072")

    row = dataset.dict[0]
    dataset.dict = [{**row, "compound": "magnesium-unobtainium"}]
    assert row_errors(imported(CompoundNutrientResource(), dataset)) == [
        ERROR_IMPORT_COMPOUND.format(value="magnesium-unobtainium")]

    dataset.dict = [{**row, "specified_fraction": "0.0825", "specified_source": "Supplier CoA 2026-11"}]
    result = imported(CompoundNutrientResource(), dataset)

    assert not result.has_errors() and not result.has_validation_errors()
    link = links.get(nutrient__slug="magnesium")
    assert (link.specified_fraction, link.specified_source) == (Decimal("0.0825"), "Supplier CoA 2026-11")


def test_a_nutrient_without_a_formula_cannot_be_linked_without_its_specified_fraction(client):
    """Withanolides linked to magnesium oxide with no fraction was imported, and every compound page answered 500."""
    dataset = tablib.Dataset(["magnesium-oxide", "withanolides", "", "", "", ""],
                             headers=["compound", "nutrient", "units_per_formula", "specified_fraction", "specified_source",
                                      "specified_url"])

    result = imported(CompoundNutrientResource(), dataset)

    assert row_errors(result) == [models.ERROR_NUTRIENT_WITHOUT_FORMULA.format(nutrient="Withanolides")]
    assert not CompoundNutrient.objects.filter(compound__slug="magnesium-oxide", nutrient__slug="withanolides").exists()
    assert client.get("/compounds/").status_code == 200


def test_a_specified_fraction_a_compound_cannot_have_is_refused_on_import():
    dataset = CompoundNutrientResource().export(CompoundNutrient.objects.filter(compound__slug="magnesium-oxide"))
    dataset.dict = [{**dataset.dict[0], "specified_fraction": "1.5"}]

    result = imported(CompoundNutrientResource(), dataset)

    assert row_errors(result) and CompoundNutrient.objects.get(compound__slug="magnesium-oxide").specified_fraction is None


def test_the_nutrient_links_list_is_for_import_and_export_not_for_adding_or_deleting(admin_client_logged_in):
    page = admin_client_logged_in.get("/admin/compounds/compoundnutrient/").content.decode()

    assert "magnesium L-threonate" in page.lower() or "Magnesium L-threonate" in page
    assert "/admin/compounds/compoundnutrient/import/" in page and "/admin/compounds/compoundnutrient/add/" not in page


def test_an_xlsx_export_of_the_nutrient_links_imports_back_unchanged():
    exported = CompoundNutrientResource().export()
    dataset = tablib.Dataset().load(exported.export("xlsx"), format="xlsx")

    result = imported(CompoundNutrientResource(), dataset)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == result.totals["new"] == 0


def test_a_reference_value_is_named_in_its_nutrients_unit(vitamin_d):
    """The admin said "US DV Vitamin D (Adults): 0.02 mg" where every page says 20 mcg."""
    value = ReferenceValue.objects.get(nutrient__slug="vitamin-d", kind="DV", market="US")

    assert str(value) == "US DV Vitamin D (Adults): 20 mcg"


def test_a_source_left_without_its_specified_fraction_is_refused():
    """Clearing the fraction and leaving "Old CoA lot 123" showed the CoA on the compound's page as the source of nothing."""
    link = CompoundNutrient.objects.get(compound__slug="magnesium-l-threonate", nutrient__slug="magnesium")
    link.specified_fraction, link.specified_source = None, "Old CoA lot 123"

    with pytest.raises(ValidationError) as caught:
        link.full_clean()

    assert caught.value.message_dict == {"specified_source": [models.ERROR_SOURCE_WITHOUT_FRACTION]}
    link.specified_source, link.specified_url = "", ""
    link.full_clean()  # the formula's fraction, with no source: as every compound without a supplier's figure


@pytest.mark.parametrize(("changes", "message"), [
    ({"dose_elemental_mg_min": "255", "dose_elemental_mg_max": "255"},
     "828 mg of magnesium oxide holds 499.3 mg magnesium, not 255 mg: check the compound (which hydrate was studied), "
     "the figures and their units."),
    ({"compounds": "glycine"},
     "None of the study's compounds is a form of an element (magnesium): give its dose as the compound dose."),
    ({"dose_compound_mg_min": "0.828", "dose_compound_mg_max": "0.828", "dose_elemental_mg_min": "",
      "dose_elemental_mg_max": ""},
     "828 mcg a day of the compound gives 499 mcg of magnesium, below any dose a study gives (3 mg to 10,000 mg a day, "
     "from its reference values): check the unit (g or mcg typed as mg?)."),
], ids=["elemental-not-the-compound's", "no-element", "a-unit-mistyped"])
def test_an_imported_study_whose_elemental_dose_its_compounds_cannot_hold_is_refused(changes, message):
    """The admin's form refuses it; an import saved it."""
    dataset = StudyResource().export(Study.objects.filter(key="abbasi-2012"))
    dataset.dict = [{**dataset.dict[0], **changes}]

    result = imported(StudyResource(), dataset)

    assert message in row_errors(result)
    study = Study.objects.get(key="abbasi-2012")
    assert (study.dose_elemental_mg_min, list(study.compounds.values_list("slug", flat=True))) == (
        Decimal(500), ["magnesium-oxide"])


def test_an_import_cannot_give_a_compound_a_formula_holding_less_than_its_supplier_specifies():
    """The trihydrate's formula made Magtein's specified 7.2% more magnesium than the compound held (6.97%): the
    admin refuses it at the link, and an import saved it; Recover went on at 7.2%."""
    from compounds.resources import ERROR_IMPORT_FORMULA_LINK

    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-l-threonate"))
    dataset.dict = [{**dataset.dict[0], "formula": "C8H14MgO10·3H2O"}]

    result = imported(CompoundResource(), dataset)

    assert row_errors(result) == [ERROR_IMPORT_FORMULA_LINK.format(
        nutrient="magnesium", problem=models.ERROR_SPECIFIED_ABOVE_THEORY.format(
            specified="7.20%", nutrient="magnesium", theoretical="6.97%"))]
    assert Compound.objects.get(slug="magnesium-l-threonate").formula == "C8H14MgO10"


@pytest.mark.parametrize(("resource", "rows", "column", "message"), [
    (ReferenceValueResource, lambda: ReferenceValue.objects.filter(kind="UL", market="US", nutrient__slug="magnesium")[:1],
     "source_citation", ERROR_IMPORT_SOURCE_REQUIRED),
    (CompoundResource, lambda: Compound.objects.filter(slug="magnesium-oxide"), "name", "This field cannot be blank."),
    (StudyResource, lambda: Study.objects.filter(key="abbasi-2012"), "title", "This field cannot be blank."),
], ids=["reference-value-source", "compound-name", "study-title"])
def test_an_imported_cell_of_spaces_is_empty_where_text_is_required(resource, rows, column, message):
    """A reference value whose source was "   " was imported and published with none; the admin's form refuses it."""
    dataset = resource().export(rows())
    before = dataset.dict[0][column]
    dataset.dict = [{**dataset.dict[0], column: "   "}]

    result = imported(resource(), dataset)

    assert row_errors(result) == [message]
    assert getattr(rows()[0], column) == before


def test_a_study_file_carries_its_outcomes_and_an_import_restores_them():
    """Exported without its outcomes, Walker 2003 deleted and imported back read "Outcomes: None recorded"."""
    dataset = StudyResource().export(Study.objects.all())
    before = sorted(Study.objects.get(key="walker-2003").outcomes.values_list("outcome", "direction"))
    Study.objects.get(key="walker-2003").delete()

    result = imported(StudyResource(), dataset)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 1 and result.totals["skip"] == len(dataset) - 1
    assert sorted(Study.objects.get(key="walker-2003").outcomes.values_list("outcome", "direction")) == before
    assert before == [("absorption", "mixed"), ("serum-magnesium", "mixed")]


def test_an_outcome_changed_in_a_study_file_is_imported_and_regrades():
    """Only the study's own columns were compared: a file that changed a finding imported as "skipped"."""
    dataset = StudyResource().export(Study.objects.filter(key="hausenblas-2024"))
    outcomes = json.loads(dataset.dict[0]["outcomes"])
    for outcome in outcomes:
        if outcome["outcome"] == "sleep-quality":
            outcome["direction"] = "no-effect"
    dataset.dict = [{**dataset.dict[0], "outcomes": json.dumps(outcomes)}]

    result = imported(StudyResource(), dataset)

    assert result.totals["update"] == 1
    study = Study.objects.get(key="hausenblas-2024")
    assert study.outcomes.get(outcome="sleep-quality").direction == "no-effect"
    assert StudyOutcome.history.filter(study_id=study.pk, history_type="+").exists()


@pytest.mark.parametrize(("cell", "twice"), [('[{"outcome": "sleepiness", "direction": "benefit"}]', False),
                                             ("sleep-quality: benefit", False),
                                             ('[{"outcome": "sleep-quality"}, {"outcome": "sleep-quality"}]', True)],
                         ids=["unknown-outcome", "not-json", "outcome-twice"])
def test_a_study_files_outcomes_that_cannot_be_read_are_refused_in_words(cell, twice):
    from evidence.models import ERROR_OUTCOME_TWICE
    from evidence.resources import ERROR_IMPORT_OUTCOMES

    dataset = StudyResource().export(Study.objects.filter(key="hausenblas-2024"))
    before = sorted(Study.objects.get(key="hausenblas-2024").outcomes.values_list("outcome", "direction"))
    dataset.dict = [{**dataset.dict[0], "outcomes": cell}]

    result = imported(StudyResource(), dataset)

    assert row_errors(result) == [ERROR_OUTCOME_TWICE if twice else ERROR_IMPORT_OUTCOMES.format(
        outcomes=", ".join(Outcome.values), directions=", ".join(Direction.values))]
    assert sorted(Study.objects.get(key="hausenblas-2024").outcomes.values_list("outcome", "direction")) == before


def test_an_imported_choice_that_is_none_of_its_fields_says_which_it_takes():
    """ "Value 'adults' is not a valid choice." left the curator to guess the population codes."""
    from compounds.resources import ERROR_IMPORT_CHOICE

    dataset = ReferenceValueResource().export(ReferenceValue.objects.filter(kind="UL", market="US", nutrient__slug="magnesium",
                                                                            population="adult"))
    dataset.dict = [{**dataset.dict[0], "population": "adults"}]

    result = imported(ReferenceValueResource(), dataset)

    codes = [code for code, _ in ReferenceValue._meta.get_field("population").flatchoices]
    assert row_errors(result) == [ERROR_IMPORT_CHOICE.format(value="adults", choices=", ".join(codes[:-1]) + f" or {codes[-1]}")]


def test_an_imported_kind_that_is_none_is_said_alone_not_judged_by_the_rules_of_intake_references():
    """A UL written "ul" covering supplemental intake also read "The ul is an intake from food and supplements
    together: only an upper limit or a maximum can cover supplemental intake only"."""
    from compounds.resources import ERROR_IMPORT_CHOICE

    dataset = ReferenceValueResource().export(ReferenceValue.objects.filter(kind="UL", market="US", nutrient__slug="magnesium",
                                                                            population="adult"))
    dataset.dict = [{**dataset.dict[0], "kind": "ul", "covers": "supplemental"}]

    errors = row_errors(imported(ReferenceValueResource(), dataset))

    codes = [code for code, _ in ReferenceValue._meta.get_field("kind").flatchoices]
    assert errors == [ERROR_IMPORT_CHOICE.format(value="ul", choices=", ".join(codes[:-1]) + f" or {codes[-1]}")]


def _interaction_file(**changes: str) -> tablib.Dataset:
    """A curator's file of one new population caution, written by hand (no export to start from)."""
    row = {"kind": "population", "compound": "magnesium-oxide", "nutrient": "", "agent": "Children under 4",
           "effect": "Laxative at doses a child's tolerance does not allow", "severity": "moderate",
           "management": "Not for children under 4", "source": "Seed 004", "populations": "child-1-3|infant",
           "excluded_in": "", **changes}
    return tablib.Dataset(list(row.values()), headers=list(row))


def test_interactions_import_from_a_file_with_their_populations_and_markets():
    """Interactions had no import or export: a curator typed each caution of a monograph into the admin's form."""
    result = imported(InteractionResource(), _interaction_file(excluded_in="CA|EU|EU"))

    assert not result.has_errors() and not result.has_validation_errors()
    caution = Interaction.objects.get(agent="Children under 4")
    # Each once, in the order of the choices, as the admin's checkboxes save them: a file's order is no change.
    assert (caution.compound.slug, caution.nutrient, caution.populations, caution.excluded_in) == (
        "magnesium-oxide", None, ["infant", "child-1-3"], ["EU", "CA"])
    exported = InteractionResource().export(Interaction.objects.filter(pk=caution.pk)).dict[0]
    assert (exported["compound"], exported["nutrient"], exported["populations"], exported["excluded_in"]) == (
        "magnesium-oxide", "", "infant|child-1-3", "EU|CA")


def test_two_rows_of_an_interaction_file_that_differ_only_in_case_are_one_record_given_twice():
    """The second was told to change "that record", which was the first row of the same file, not yet imported."""
    dataset = _interaction_file()
    dataset.append([*dataset[0][:3], " children  UNDER 4", *dataset[0][4:]])

    result = imported(InteractionResource(), dataset)

    assert row_errors(result) == [ERROR_IMPORT_DUPLICATE.format(
        row=2, first=1, what="interaction", key="population / Magnesium oxide / children under 4")]


def test_an_interaction_file_updates_the_record_its_kind_ingredient_and_agent_name():
    heart_block = Interaction.objects.get(agent="Heart block")
    dataset = InteractionResource().export(Interaction.objects.filter(pk=heart_block.pk))
    dataset.dict = [{**dataset.dict[0], "management": "Avoid"}]

    result = imported(InteractionResource(), dataset)

    assert result.totals["update"] == 1 and result.totals["new"] == 0
    heart_block.refresh_from_db()
    assert heart_block.management == "Avoid"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"populations": "pregnancy, lactation"}, "populations", ERROR_IMPORT_CODES.format(
        value="pregnancy, lactation", separator="|",
        choices="adult, infant, child-1-3, child-4-8, child-9-13, teen-14-18, pregnancy or lactation")),
    ({"excluded_in": "EU|UK"}, "excluded_in", ERROR_IMPORT_CODES.format(value="UK", separator="|", choices="US, EU, CA, AU-NZ or DE")),
    ({"compound": "", "nutrient": ""}, "compound", ERROR_COMPOUND_OR_NUTRIENT),
    ({"nutrient": "magnesium"}, "compound", ERROR_COMPOUND_OR_NUTRIENT),
    ({"kind": "drug", "compound": "trimagnesium-dicitrate", "agent": "bisphosphonates ", "populations": ""}, "agent",
     ERROR_INTERACTION_RECORDED),
])
def test_an_interaction_row_that_cannot_stand_is_refused_at_its_field(changes, field, message):
    result = imported(InteractionResource(), _interaction_file(**changes))

    assert [(name, messages) for row in result.invalid_rows for name, messages in row.error_dict.items()] == [(field, [message])]
    assert not Interaction.objects.filter(effect__startswith="Laxative at doses").exists()


def test_an_import_cannot_take_the_formula_a_compound_gives_its_nutrient_by():
    from compounds.resources import ERROR_FORMULA_NEEDED

    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-oxide"))
    dataset.dict = [{**dataset.dict[0], "formula": ""}]

    result = imported(CompoundResource(), dataset)

    assert row_errors(result) == [ERROR_FORMULA_NEEDED.format(nutrient="magnesium")]
    assert Compound.objects.get(slug="magnesium-oxide").formula == "MgO"


def test_an_imported_study_whose_key_another_has_in_another_case_is_refused():
    """"Hausenblas-2024", its DOI and PMID left blank, was imported as new beside "hausenblas-2024"."""
    from evidence.models import ERROR_KEY_RECORDED, KEY_IN_ANOTHER_CASE

    dataset = StudyResource().export(Study.objects.filter(key="hausenblas-2024"))
    dataset.dict = [{**dataset.dict[0], "key": "Hausenblas-2024", "doi": "", "pmid": "", "title": "Another title"}]

    assert row_errors(imported(StudyResource(), dataset)) == [ERROR_KEY_RECORDED.format(key="hausenblas-2024", case=KEY_IN_ANOTHER_CASE)]
    assert Study.objects.filter(key__iexact="hausenblas-2024").count() == 1


def test_an_imported_study_of_a_title_and_year_recorded_already_is_refused():
    """abbasi-2012 copied under a new key (it has no DOI or PMID) was imported, and its trial, counted twice, raised
    magnesium oxide for insomnia from C to B."""
    from evidence.models import ERROR_STUDY_RECORDED

    dataset = StudyResource().export(Study.objects.filter(key="abbasi-2012"))
    dataset.dict = [{**dataset.dict[0], "key": "abbasi-2012-entry2", "title": dataset.dict[0]["title"].upper()}]

    assert row_errors(imported(StudyResource(), dataset)) == [
        ERROR_STUDY_RECORDED.format(key="abbasi-2012", what="title and year")]
    assert not Study.objects.filter(key="abbasi-2012-entry2").exists()


@pytest.mark.parametrize(("key", "changes", "what"), [
    ("abbasi-2012", {"title": "The effect of magnesium supplementation on primary insomnia in elderly: A double-blind "
                              "placebo-controlled clinical trial."}, "title and year"),  # with a closing full stop
    ("abbasi-2012", {"title": "The effect of magnesium supplementation on primary insomnia in elderly: A double-blind "
                              "placebo-controlled clinical trial ."}, "title and year"),  # and a space before it
    ("boyle-2017", {"doi": "", "pmid": "", "title": "The effects of magnesium supplementation on subjective anxiety and "
                                                    "stress – a systematic review"}, "title and year"),  # the seed's en dash
    ("boyle-2017", {"doi": "10.3390/nu9050429.", "pmid": ""}, "DOI"),  # pasted with a sentence's full stop
    ("boyle-2017", {"doi": "10.3390/nu9050429\u200b", "pmid": ""}, "DOI"),  # with a zero-width space
], ids=["title-full-stop", "title-spaced-full-stop", "title-en-dash", "doi-full-stop", "doi-invisible"])
def test_a_study_entered_again_as_a_seed_or_a_sentence_writes_it_is_refused(key, changes, what):
    """Abbasi 2012 entered again with a full stop after its title raised magnesium oxide for insomnia from C to B."""
    from evidence.models import ERROR_STUDY_RECORDED

    dataset = StudyResource().export(Study.objects.filter(key=key))
    dataset.dict = [{**dataset.dict[0], "key": f"{key}-again", **changes}]

    assert row_errors(imported(StudyResource(), dataset)) == [ERROR_STUDY_RECORDED.format(key=key, what=what)]
    assert not Study.objects.filter(key=f"{key}-again").exists()


def test_a_study_from_a_year_to_come_is_refused():
    from django.utils import timezone

    from evidence.models import ERROR_YEAR_FUTURE

    dataset = StudyResource().export(Study.objects.filter(key="abbasi-2012"))
    dataset.dict = [{**dataset.dict[0], "key": "tester-2031", "title": "A trial to come", "year": "2031"}]

    assert row_errors(imported(StudyResource(), dataset)) == [ERROR_YEAR_FUTURE.format(year=timezone.now().year)]


def test_an_imported_study_that_another_key_records_already_is_refused():
    """The export's trials imported again under keys ending "-dup" were saved, and raised the grades they counted in."""
    from evidence.models import ERROR_STUDY_RECORDED

    dataset = StudyResource().export(Study.objects.filter(key="hausenblas-2024"))
    dataset.dict = [{**dataset.dict[0], "key": "hausenblas-2024-dup"}]

    result = imported(StudyResource(), dataset)

    assert row_errors(result) == [ERROR_STUDY_RECORDED.format(key="hausenblas-2024", what="DOI"),
                                  ERROR_STUDY_RECORDED.format(key="hausenblas-2024", what="PMID")]
    assert not Study.objects.filter(key="hausenblas-2024-dup").exists()


def test_an_imported_formula_that_cannot_be_read_is_said_once():
    """Said by the compound and again by each of its links, a curator read the same message three times."""
    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-bisglycinate"))
    dataset.dict = [{**dataset.dict[0], "formula": "MgX"}]

    result = imported(CompoundResource(), dataset)

    assert row_errors(result) == ["“MgX” is not a molecular formula: unknown symbol 'X'."]


def test_a_column_the_import_does_not_read_is_refused_by_name_and_nothing_is_imported(admin_client_logged_in):
    """"cost per kg" (spaces for underscores) was left out without a word: the rest of the row imported, "Import
    finished", and the curator believed the new price saved."""
    from compounds.resources import ERROR_IMPORT_EXTRA_COLUMNS

    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-oxide"))
    before = Compound.objects.get(slug="magnesium-oxide")
    dataset.dict = [{**dataset.dict[0], "name": "Renamed oxide", "cost_per_kg": "99"}]
    dataset.headers = ["cost per kg" if header == "cost_per_kg" else header for header in dataset.headers]

    html = _admin_import(admin_client_logged_in, "/admin/compounds/compound/import/", dataset).content.decode()

    known = ", ".join(CompoundResource().export().headers)
    assert escape(ERROR_IMPORT_EXTRA_COLUMNS.format(columns="“cost per kg”", what="compound", known=known)) in html
    assert "has no attribute" not in html  # each row went on to say the resource had no '_rows_by_key'
    after = Compound.objects.get(slug="magnesium-oxide")
    assert (after.name, after.cost_per_kg) == (before.name, before.cost_per_kg)


def test_an_unnamed_column_is_refused_only_when_it_holds_values():
    """A spreadsheet's empty columns have no header and say nothing; one holding values would be left out unseen."""
    from compounds.resources import ERROR_IMPORT_EXTRA_COLUMNS, ERROR_IMPORT_UNNAMED_COLUMN

    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-oxide"))
    empty = tablib.Dataset(*[[*row, ""] for row in dataset], headers=[*dataset.headers, ""])
    assert not imported(CompoundResource(), empty).has_errors()

    filled = tablib.Dataset(*[[*row, "42"] for row in dataset], headers=[*dataset.headers, ""])
    result = imported(CompoundResource(), filled)

    assert [str(error.error) for error in result.base_errors] == [ERROR_IMPORT_EXTRA_COLUMNS.format(
        columns=ERROR_IMPORT_UNNAMED_COLUMN.format(number=len(dataset.headers) + 1), what="compound",
        known=", ".join(dataset.headers))]
    assert not result.row_errors()


def test_an_import_giving_a_compound_an_element_by_its_formula_says_so(admin_client_logged_in):
    """An extract imported with the formula MgO became a magnesium source on every page, unsaid in the preview and after."""
    from compounds.admin import MESSAGE_LINKED_BY_FORMULA

    extract = Compound.objects.get(slug="ashwagandha-root-extract")
    dataset = CompoundResource().export(Compound.objects.filter(pk=extract.pk))
    dataset.dict = [{**dataset.dict[0], "formula": "MgO"}]
    said = MESSAGE_LINKED_BY_FORMULA.format(name=extract.name, formula="MgO", nutrients="magnesium", them="it")

    preview = _admin_import(admin_client_logged_in, "/admin/compounds/compound/import/", dataset)
    assert said in [str(m) for m in preview.context["messages"]]
    assert not extract.contributions.filter(nutrient__slug="magnesium").exists()  # a preview writes nothing
    done = admin_client_logged_in.post("/admin/compounds/compound/process_import/",
                                       {**preview.context["confirm_form"].initial}, follow=True)

    assert said in [str(m) for m in done.context["messages"]]
    assert extract.contributions.filter(nutrient__slug="magnesium").exists()


def test_a_workbook_whose_first_sheet_is_empty_says_so(admin_client_logged_in):
    """It said "'StopIteration' encountered while trying to read file"."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Empty"
    book.create_sheet("Limits").append(["nutrient", "kind"])
    content = BytesIO()
    book.save(content)

    html = _upload(admin_client_logged_in, "/admin/compounds/referencevalue/import/", content.getvalue(), 1).content.decode()

    assert escape(spreadsheets.ERROR_EMPTY_SHEET) in html and "StopIteration" not in html


@pytest.mark.parametrize(("export_as", "format_index", "named"), [("csv", 2, "CSV"), ("tsv", 0, "TSV")])
def test_a_file_imported_as_the_other_text_format_says_which_it_is(admin_client_logged_in, export_as, format_index, named):
    """A CSV imported as TSV said "The file has no 'slug' column", though it has one."""
    content = _eu_magnesium_limits().export(export_as).encode()

    html = _upload(admin_client_logged_in, "/admin/compounds/referencevalue/import/", content, format_index).content.decode()

    assert escape(spreadsheets.ERROR_OTHER_FORMAT.format(format=named)) in html and "has no" not in html


@pytest.mark.parametrize("query", ["nutrient__id__exact=abc", "contributions__nutrient__id__exact=abc"])
@pytest.mark.parametrize("model", ["compounds/compound", "compounds/referencevalue", "compounds/compoundnutrient"])
def test_an_export_filtered_as_the_list_refuses_goes_back_to_the_list_unfiltered(admin_client_logged_in, model, query):
    """It was a 500 (IncorrectLookupParameters), where the list page goes back to itself saying so."""
    response = admin_client_logged_in.get(f"/admin/{model}/export/?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/{model}/?e=1"


def test_an_import_cannot_make_an_ingredient_without_a_formula_give_more_than_its_own_mass():
    """Ashwagandha's 5% withanolides with 99% magnesium beside them would be 104% of the extract."""
    from compounds.models import ERROR_DECLARED_OVER_WHOLE

    dataset = tablib.Dataset(headers=["compound", "nutrient", "units_per_formula", "specified_fraction",
                                      "specified_source", "specified_url"])
    dataset.append(["ashwagandha-root-extract", "magnesium", "", "0.99", "QA CoA", ""])

    result = imported(CompoundNutrientResource(), dataset)

    assert row_errors(result) == [ERROR_DECLARED_OVER_WHOLE.format(total="104.00%")]
    assert not CompoundNutrient.objects.filter(compound__slug="ashwagandha-root-extract", nutrient__slug="magnesium").exists()


@pytest.mark.parametrize(("url", "dataset", "name", "formula", "key"), [
    ("/admin/compounds/compound/import/",
     lambda: _with(CompoundResource().export(Compound.objects.filter(slug="magnesium-oxide")), formula="Mg(OH)2"),
     "Magnesium oxide", "Mg(OH)2", "abbasi-2012"),
    ("/admin/compounds/compoundnutrient/import/",
     lambda: _with(CompoundNutrientResource().export(CompoundNutrient.objects.filter(
         compound__slug="magnesium-l-threonate", nutrient__slug="magnesium")), specified_fraction="0.0841"),
     "Magnesium L-threonate", "C8H14MgO10", "liu-2016"),
])
def test_an_import_changing_what_a_compound_holds_names_the_studies_it_no_longer_holds_as_the_admin_does(
        admin_client_logged_in, url, dataset, name, formula, key):
    """The file said only "Import finished: 1 updated", where the same change in the admin names them: the studies'
    export then did not import back."""
    from compounds.admin import MESSAGE_STUDIES_DISAGREE

    message = MESSAGE_STUDIES_DISAGREE.format(count=1, studies="study", give="gives", name=name, formula=formula, keys=key)

    preview = _admin_import(admin_client_logged_in, url, dataset())
    done = admin_client_logged_in.post(url.replace("/import/", "/process_import/"),
                                       {**preview.context["confirm_form"].initial}, follow=True)

    assert message in [str(m) for m in preview.context["messages"]]
    assert message in [str(m) for m in done.context["messages"]]


def test_the_preview_of_a_file_refused_for_an_error_says_nothing_of_what_its_valid_rows_would_change(admin_client_logged_in):
    """A file with an error cannot be confirmed, and its preview still named the studies its valid row would leave
    disagreeing with their compound."""
    from compounds.admin import MESSAGE_STUDIES_DISAGREE

    dataset = CompoundResource().export(Compound.objects.filter(slug__in=["magnesium-oxide", "magnesium-citrate-qa"]))
    dataset = _with(dataset, formula="Mg(OH)2")
    dataset.append(["qa-broken" if header == "slug" else "QA broken" if header == "name" else "Mg(" if header == "formula"
                    else "" for header in dataset.headers])

    preview = _admin_import(admin_client_logged_in, "/admin/compounds/compound/import/", dataset)

    result = preview.context["result"]
    assert result.has_errors() or result.has_validation_errors()  # refused: there is nothing to confirm
    said = MESSAGE_STUDIES_DISAGREE.format(count=1, studies="study", give="gives", name="Magnesium oxide",
                                           formula="Mg(OH)2", keys="abbasi-2012")
    assert said not in [str(m) for m in preview.context["messages"]]


def _with(dataset: tablib.Dataset, **values) -> tablib.Dataset:
    dataset.dict = [{**row, **values} for row in dataset.dict]
    return dataset


def test_an_import_clearing_a_formula_cannot_leave_fractions_over_the_whole():
    """Bisglycinate's 14% magnesium and 87% glycine, each fine beside its formula, were left as 101% of an ingredient
    without one."""
    from compounds.models import ERROR_DECLARED_OVER_WHOLE

    compound = Compound.objects.get(slug="magnesium-bisglycinate")
    CompoundNutrient.objects.filter(compound=compound, nutrient__slug="magnesium").update(
        specified_fraction=Decimal("0.14"), specified_source="QA")
    CompoundNutrient.objects.filter(compound=compound, nutrient__slug="glycine").update(
        specified_fraction=Decimal("0.87"), specified_source="QA")
    dataset = _with(CompoundResource().export(Compound.objects.filter(pk=compound.pk)), formula="")

    result = imported(CompoundResource(), dataset)

    assert row_errors(result) == [ERROR_DECLARED_OVER_WHOLE.format(total="101.00%")]
    assert Compound.objects.get(pk=compound.pk).formula


def test_a_synonym_imported_for_a_compound_finds_its_studies_in_the_evidence_search(admin_client_logged_in):
    """The workbench found "Zorbitolix" at once; the evidence search, whose text holds each study's compounds' names and
    synonyms, found none of L-threonate's studies until each study was saved again."""
    from evidence.selectors import study_search

    dataset = CompoundResource().export(Compound.objects.filter(slug="magnesium-l-threonate"))
    dataset.dict = [{**dataset.dict[0], "synonyms": dataset.dict[0]["synonyms"] + ", Zorbitolix"}]
    preview = _admin_import(admin_client_logged_in, "/admin/compounds/compound/import/", dataset)

    admin_client_logged_in.post("/admin/compounds/compound/process_import/", {**preview.context["confirm_form"].initial})

    assert "liu-2016" in set(study_search("Zorbitolix").values_list("key", flat=True))


def test_an_imported_study_of_no_participants_is_refused_at_its_n():
    """n = 0 was imported, and the trial counted toward an A."""
    from evidence.models import ERROR_N_NONE

    dataset = StudyResource().export(Study.objects.filter(key="liu-2016"))
    dataset.dict = [{**dataset.dict[0], "n": "0"}]

    assert row_errors(imported(StudyResource(), dataset)) == [ERROR_N_NONE]
    assert Study.objects.get(key="liu-2016").n == 44


def test_a_file_of_more_rows_than_an_import_takes_is_refused_before_any_row_is_read(admin_client_logged_in, monkeypatch):
    """20,000 rows kept a preview running for minutes, holding the database: another user's sign-in failed with a 500."""
    from compounds import resources

    monkeypatch.setattr(ReferenceValueResource, "import_max_rows", 3)
    dataset = ReferenceValueResource().export(ReferenceValue.objects.filter(nutrient__slug="magnesium")[:4])
    dataset.dict = [{**row, "notes": "QA too many"} for row in dataset.dict]

    html = _admin_import(admin_client_logged_in, "/admin/compounds/referencevalue/import/", dataset).content.decode()

    assert resources.ERROR_IMPORT_TOO_MANY_ROWS.format(rows="4", limit=3) in html
    assert "Traceback" not in html and not ReferenceValue.objects.filter(notes="QA too many").exists()


def test_a_study_file_is_capped_lower_than_the_rest_as_each_study_costs_more_to_read():
    from compounds.resources import IMPORT_MAX_ROWS

    assert StudyResource.import_max_rows < IMPORT_MAX_ROWS == CompoundResource.import_max_rows == ReferenceValueResource.import_max_rows


def test_an_import_giving_many_compounds_nutrients_by_their_formulas_says_so_once(admin_client_logged_in):
    """200 new magnesium compounds were 200 messages on the preview, and 200 more once imported."""
    from compounds.admin import LINKED_SAID_ONE_BY_ONE, MESSAGE_FORMULA_DOUBTS_MANY, MESSAGE_LINKED_BY_FORMULA_MANY
    from compounds.selectors import LEAD_PREVIEW

    template = CompoundResource().export(Compound.objects.filter(slug="magnesium-oxide")).dict[0]
    count = LINKED_SAID_ONE_BY_ONE + 1
    dataset = tablib.Dataset(headers=list(template))
    for i in range(count):
        dataset.append([*{**template, "slug": f"qa-oxide-{i}", "name": f"QA oxide {i}", "synonyms": ""}.values()])

    preview = _admin_import(admin_client_logged_in, "/admin/compounds/compound/import/", dataset)

    said = [str(m) for m in preview.context["messages"]]
    assert said == [
        MESSAGE_LINKED_BY_FORMULA_MANY.format(count=str(count), compounds="; ".join(
            f"QA oxide {i} (magnesium)" for i in range(count))),
        # Each has magnesium oxide's formula: said once too.
        MESSAGE_FORMULA_DOUBTS_MANY.format(lead=LEAD_PREVIEW, count=str(count), compounds="; ".join(
            f"QA oxide {i}" for i in range(count))),
    ]


def test_an_imported_specified_fraction_under_half_the_formulas_is_said_in_the_preview(admin_client_logged_in):
    """A supplier's file with Magtein at 0.0072 (7.2% divided by 100 twice) was previewed and imported without a word."""
    from compounds.models import CompoundNutrient
    from compounds.selectors import LEAD_PREVIEW, LEAD_SAVED, MESSAGE_SPECIFIED_FAR_BELOW

    row = {"compound": "magnesium-l-threonate", "nutrient": "magnesium", "units_per_formula": "",
           "specified_fraction": "0.0072", "specified_source": "Supplier CoA", "specified_url": ""}
    url = "/admin/compounds/compoundnutrient/import/"
    preview = _admin_import(admin_client_logged_in, url, tablib.Dataset([*row.values()], headers=[*row]))
    values = {"compound": "Magnesium L-threonate", "specified": "0.72%", "nutrient": "magnesium", "theoretical": "8.25%",
              "formula": "C8H14MgO10"}

    assert escape(MESSAGE_SPECIFIED_FAR_BELOW.format(lead=LEAD_PREVIEW, **values)) in preview.content.decode()
    link = CompoundNutrient.objects.get(compound__slug="magnesium-l-threonate", nutrient__slug="magnesium")
    assert link.specified_fraction == Decimal("0.072")
    done = admin_client_logged_in.post(url.replace("/import/", "/process_import/"),
                                       {**preview.context["confirm_form"].initial}, follow=True)
    assert MESSAGE_SPECIFIED_FAR_BELOW.format(lead=LEAD_SAVED, **values) in [str(m) for m in done.context["messages"]]


def test_an_imported_limit_ten_times_the_other_markets_for_the_same_people_is_said_in_the_preview(admin_client_logged_in):
    """The EU children 1-3's UL (not set) imported as 3,000 mg, where the US gives them 65 mg, was taken without a word."""
    from compounds.selectors import LEAD_PREVIEW, MESSAGE_MARKETS_HIGH

    row = {"nutrient": "magnesium", "kind": "UL", "market": "EU", "population": "child-1-3", "sex": "any", "per": "day",
           "qualifier": "", "amount_mg": "3000", "label_significance": "", "covers": "supplemental", "food_only": "0",
           "source_citation": "QA slip", "source_url": "", "effective_date": "", "notes": ""}
    preview = _admin_import(admin_client_logged_in, "/admin/compounds/referencevalue/import/",
                            tablib.Dataset([*row.values()], headers=[*row]))

    assert "Saved, but check" not in preview.content.decode()
    assert escape(MESSAGE_MARKETS_HIGH.split(":")[0].format(lead=LEAD_PREVIEW, market="EU", kind="UL",
                                                            population="children 1-3 years")) in preview.content.decode()
    assert "3,000 mg is ten times or more the middle of the other markets&#x27; limits for them, 65 mg" in preview.content.decode()


def test_a_previewed_change_shows_the_old_and_the_new_value_whole(admin_client_logged_in):
    """The US adults' UL imported as 3,500 mg previewed as "350", a struck-out ".000" and a "0": zeros tidied, it read."""
    value = ReferenceValue.objects.get(nutrient__slug="magnesium", market="US", kind="UL", population="adult")
    exported = ReferenceValueResource().export(ReferenceValue.objects.filter(pk=value.pk))
    row = dict(zip(exported.headers, exported[0]), amount_mg="3500")
    dataset = tablib.Dataset([*row.values()], headers=[*row])

    preview = _admin_import(admin_client_logged_in, "/admin/compounds/referencevalue/import/", dataset)
    cells = [str(cell) for cell in preview.context["result"].rows[0].diff]

    assert "<del>350</del> → <ins>3500</ins>" in cells
    assert "magnesium" in cells and "UL" in cells  # what does not change is written as it is


def test_an_imported_formula_says_in_the_preview_what_the_compound_would_give(admin_client_logged_in):
    """L-threonate imported as its dihydrate previewed as a text diff alone: 8.25% magnesium became 7.35% unsaid."""
    from compounds.resources import CompoundResource
    from compounds.selectors import MESSAGE_FRACTIONS_CHANGED

    exported = CompoundResource().export(Compound.objects.filter(slug="magnesium-l-threonate"))
    row = dict(zip(exported.headers, exported[0]), formula="C8H14MgO10·2H2O")
    url = "/admin/compounds/compound/import/"
    preview = _admin_import(admin_client_logged_in, url, tablib.Dataset([*row.values()], headers=[*row]))

    said = {"compound": "Magnesium L-threonate", "new": "C8H14MgO10·2H2O", "old": "C8H14MgO10",
            "changes": "magnesium 7.35% (was 8.25%)"}  # 24.305 / (294.50 + 2 × 18.015)
    assert escape(MESSAGE_FRACTIONS_CHANGED.format(gives="would give", **said)) in preview.content.decode()
    done = admin_client_logged_in.post(url.replace("/import/", "/process_import/"),
                                       {**preview.context["confirm_form"].initial}, follow=True)
    assert MESSAGE_FRACTIONS_CHANGED.format(gives="now gives", **said) in [str(m) for m in done.context["messages"]]


def test_an_imported_formula_that_parses_as_no_supplements_is_said_in_the_preview(admin_client_logged_in):
    from compounds.resources import CompoundResource
    from compounds.selectors import LEAD_PREVIEW, MESSAGE_FORMULA_CI

    exported = CompoundResource().export(Compound.objects.filter(slug="magnesium-oxide"))
    row = dict(zip(exported.headers, exported[0]), slug="qa-chloride", name="QA chloride", formula="MgCI2")
    preview = _admin_import(admin_client_logged_in, "/admin/compounds/compound/import/",
                            tablib.Dataset([*row.values()], headers=[*row]))

    assert escape(MESSAGE_FORMULA_CI.format(lead=LEAD_PREVIEW, compound="QA chloride", formula="MgCI2")) in preview.content.decode()


def test_a_study_year_past_the_fields_bound_is_refused_once():
    """3012 was refused twice in one breath: "less than or equal to 2100" and "cannot be after this one (2026)"."""
    dataset = StudyResource().export(Study.objects.filter(key="abbasi-2012"))
    dataset.dict = [{**dataset.dict[0], "key": "tester-3012", "title": "A trial to come", "year": "3012"}]

    assert row_errors(imported(StudyResource(), dataset)) == ["Ensure this value is less than or equal to 2100."]


def _invalid_rows_said(html: str) -> dict[str, list[str]]:
    """The preview's refused rows as a curator reads them: each row's number and the text of its errors cell."""
    table = html[html.index('class="import-preview"'):]
    rows = re.findall(r"<tr>\s*<td>\s*(\d+)\s*</td>\s*<td class=\"errors\">(.*?)</td>", table, re.S)
    return {number: [re.sub(r"\s+", " ", text).strip() for text in re.split(r"<[^>]+>", cell) if text.strip()]
            for number, cell in rows}


@pytest.mark.parametrize(("url", "rows", "column", "message"), [
    ("/admin/compounds/referencevalue/import/",
     ReferenceValue.objects.filter(kind="NRV", nutrient__slug="magnesium"), "nutrient", "ERROR_IMPORT_NUTRIENT_REQUIRED"),
    ("/admin/compounds/compoundnutrient/import/",
     CompoundNutrient.objects.filter(compound__slug="magnesium-oxide"), "nutrient", "ERROR_IMPORT_NUTRIENT_REQUIRED"),
    ("/admin/compounds/compoundnutrient/import/",
     CompoundNutrient.objects.filter(compound__slug="magnesium-oxide"), "compound", "ERROR_IMPORT_COMPOUND_REQUIRED"),
])
@pytest.mark.parametrize("cell", ["", "  "])
def test_an_empty_library_entry_cell_says_which_column_and_what_it_takes_next_to_its_row(admin_client_logged_in, url, rows,
                                                                                      column, message, cell):
    """A reference value's empty nutrient cell was previewed as "This field cannot be null.", naming nothing the curator
    typed."""
    from compounds import resources

    resource = {"referencevalue": ReferenceValueResource, "compoundnutrient": CompoundNutrientResource}[url.split("/")[3]]
    dataset = resource().export(rows.all()[:1])
    dataset.dict = [{**dataset.dict[0], column: cell}]

    html = _admin_import(admin_client_logged_in, url, dataset).content.decode()

    assert _invalid_rows_said(html) == {"1": ["1", column, escape(getattr(resources, message))]}


@pytest.mark.parametrize(("column", "expected"), [
    ("market", lambda r: r.ERROR_IMPORT_CHOICE_REQUIRED.format(column="Market", choices="US, EU, CA, AU-NZ or DE")),
    ("kind", lambda r: r.ERROR_IMPORT_CHOICE_REQUIRED.format(column="Kind", choices="DV, NRV, RDA, AI, UL or MAX")),
    ("source_citation", lambda r: r.ERROR_IMPORT_SOURCE_REQUIRED),
])
def test_an_empty_reference_value_cell_says_what_the_column_takes_beside_its_row(admin_client_logged_in, column, expected):
    """An empty market, kind or source said "This field cannot be blank.": neither the codes a column takes nor that a
    value is published with its source."""
    from compounds import resources

    dataset = ReferenceValueResource().export(ReferenceValue.objects.filter(kind="NRV", nutrient__slug="magnesium")[:1])
    dataset.dict = [{**dataset.dict[0], column: ""}]

    html = _admin_import(admin_client_logged_in, "/admin/compounds/referencevalue/import/", dataset).content.decode()

    assert _invalid_rows_said(html) == {"1": ["1", column, escape(expected(resources))]}


@pytest.mark.parametrize(("url", "rows", "column", "typed", "close"), [
    ("/admin/compounds/referencevalue/import/", ReferenceValue.objects.filter(kind="NRV", nutrient__slug="magnesium"),
     "nutrient", "magnesum", "magnesium"),
    ("/admin/compounds/compoundnutrient/import/", CompoundNutrient.objects.filter(compound__slug="magnesium-oxide"),
     "compound", "magnesium-oxyde", "magnesium-oxide"),
    ("/admin/compounds/compoundnutrient/import/", CompoundNutrient.objects.filter(compound__slug="magnesium-oxide"),
     "nutrient", "unobtainium", None),
    ("/admin/evidence/interaction/import/", Interaction.objects.filter(nutrient__slug="magnesium"), "nutrient", "magnesum",
     "magnesium"),
    ("/admin/evidence/interaction/import/", Interaction.objects.filter(compound__isnull=False), "compound",
     "magnesium-bisglycinat", "magnesium-bisglycinate"),
    ("/admin/evidence/study/import/", Study.objects.filter(key="liu-2016"), "compounds", "magnesium-l-threonat",
     "magnesium-l-threonate"),
])
def test_an_unknown_library_entry_is_said_next_to_its_row_with_the_slug_it_is_closest_to(admin_client_logged_in, url, rows,
                                                                                      column, typed, close):
    """A reference value for "magnesum" was a line of the errors above the preview, which then showed none of the file's
    rows, and it named every nutrient but the one meant."""
    from compounds import models as library
    from compounds.resources import ERROR_IMPORT_CLOSE, ERROR_IMPORT_NUTRIENT

    resource = {"referencevalue": ReferenceValueResource, "compoundnutrient": CompoundNutrientResource,
                "interaction": InteractionResource, "study": StudyResource}[url.split("/")[3]]
    dataset = resource().export(rows.all()[:1])
    dataset.dict = [{**dataset.dict[0], column: typed}]

    html = _admin_import(admin_client_logged_in, url, dataset).content.decode()

    what = "compound" if column.startswith("compound") else "nutrient"
    slugs = ", ".join(library.Nutrient.objects.order_by("slug").values_list("slug", flat=True))
    message = ERROR_IMPORT_CLOSE.format(what=what, value=typed, close=close) if close else ERROR_IMPORT_NUTRIENT.format(
        value=typed, slugs=slugs)
    assert _invalid_rows_said(html) == {"1": ["1", column, escape(message)]}


def test_a_compound_files_preview_reads_the_library_once_not_once_a_row(admin_client_logged_in):
    """Each row's formula was compared with every compound read again, the file's earlier rows too: 500 new compounds
    read 136,750 and the preview grew with the square of its rows. The compounds of the same formula are said as before."""
    from django.db.models.signals import post_init

    from compounds.selectors import LEAD_PREVIEW, MESSAGE_SAME_FORMULA

    exported = CompoundResource().export(Compound.objects.filter(slug="magnesium-oxide"))
    oxide = dict(zip(exported.headers, exported[0]))

    def preview(salts: int) -> tuple[int, str]:
        rows = [{**oxide, "slug": f"qa-salt-{i}", "name": f"QA salt {i}", "formula": f"Mg(C{i + 2}H{2 * i + 3}O2)2"}
                for i in range(salts)]
        rows += [{**oxide, "slug": f"qa-oxide-{n}", "name": f"QA oxide {n}"} for n in "AB"]
        read = []
        counted = lambda **kwargs: read.append(kwargs["instance"])  # noqa: E731
        post_init.connect(counted, sender=Compound)
        try:
            html = _admin_import(admin_client_logged_in, "/admin/compounds/compound/import/",
                                 tablib.Dataset(*[[*row.values()] for row in rows], headers=[*oxide])).content.decode()
        finally:
            post_init.disconnect(counted, sender=Compound)
        return len(read), html

    (ten, html), (twenty, _), (thirty, _) = preview(10), preview(20), preview(30)

    assert thirty - twenty == twenty - ten  # as many compounds read for each row, whatever the file's length
    for name, others in (("QA oxide A", "Magnesium oxide"), ("QA oxide B", "Magnesium oxide and QA oxide A")):
        assert escape(MESSAGE_SAME_FORMULA.format(lead=LEAD_PREVIEW, compound=name, others=others, formula="MgO")) in html
