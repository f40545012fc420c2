"""The workbench's per-keystroke checks decide exactly as the forms a save runs: LineFormSet and ProductForm."""

from decimal import Decimal

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from django.http import QueryDict

from formulator import forms
from formulator.models import Product

CHOICES = (("magnesium-citrate", "Magnesium citrate"), ("glycine", "Glycine"))
SLUGS = {slug for slug, _ in CHOICES}

numbers = st.sampled_from(["", " ", "0", "5", "2000", "1.5", "-3", "abc", "1e3", "NaN", "Infinity", "12345678901234",
                           "0.00001", "100", "100.01", "1,5", " 42 "])
rows = st.fixed_dictionaries({
    "compound": st.sampled_from(["", "magnesium-citrate", "glycine", "unobtainium"]),
    "amount": numbers,
    "unit": st.sampled_from(["mg", "g", "mcg", "", "kg"]),
    "overage_percent": numbers,
    "blend": st.sampled_from(["", "  Calm blend ", "x" * 101]),
    "target_mg": numbers,
})


def formset_decision(line_rows):
    data = {"lines-TOTAL_FORMS": str(len(line_rows)), "lines-INITIAL_FORMS": "0"}
    for i, row in enumerate(line_rows):
        data.update({f"lines-{i}-{name}": value for name, value in row.items()})
    formset = forms.LineFormSet(data, prefix="lines", form_kwargs={"compound_choices": CHOICES})
    valid = formset.is_valid()
    return valid, [f.cleaned_data for f in formset.forms] if valid else None, forms.formset_errors(formset), list(formset.non_form_errors())


@settings(max_examples=300, deadline=None)
@given(st.lists(rows, max_size=4))
def test_lines_clean_decides_as_the_formset_does(line_rows):
    checked = forms.lines_clean(line_rows, SLUGS)

    valid, cleaned, errors, non_form = formset_decision(line_rows)

    assert checked.valid == valid
    assert checked.errors == errors
    assert checked.non_form_errors == non_form
    if valid:
        assert checked.lines == cleaned


def test_a_line_left_blank_is_named_not_skipped():
    blank = {"compound": "", "amount": "", "unit": "mg", "overage_percent": "", "blend": "", "target_mg": ""}

    checked = forms.lines_clean([blank], SLUGS)
    valid, _, errors, _ = formset_decision([blank])

    assert not valid and not checked.valid
    assert checked.errors["lines-0-compound"] == [forms.ERROR_CHOOSE_COMPOUND]
    assert errors["lines-0-amount"] == [forms.ERROR_AMOUNT_REQUIRED]


def test_lines_clean_gives_the_values_the_engine_needs():
    row = {"compound": "glycine", "amount": "500", "unit": "mg", "overage_percent": "", "blend": " Calm ", "target_mg": ""}

    checked = forms.lines_clean([row], SLUGS)

    assert checked.lines == [{"compound": "glycine", "amount": Decimal("500"), "unit": "mg",
                              "overage_percent": Decimal(0), "blend": "Calm", "target_mg": ""}]


def test_a_row_checked_again_gives_its_own_values_and_messages():
    good = {"compound": "glycine", "amount": "500", "unit": "mg", "overage_percent": "5", "blend": "", "target_mg": ""}
    bad = dict(good, amount="abc")
    first = forms.lines_clean([good, bad], SLUGS)
    first.lines[0]["amount"] = Decimal(1)  # callers own what they get back
    first.errors["lines-1-amount"].append("changed")

    again = forms.lines_clean([bad, good], SLUGS)

    assert again.lines[1]["amount"] == Decimal(500)
    assert again.errors == {"lines-0-amount": [forms.ERROR_NOT_A_NUMBER]}


product_fields = st.fixed_dictionaries({
    "name": st.sampled_from(["", "Recover", "x" * 151]),
    "brand": st.sampled_from(["", "NTRPX"]),
    "dosage_form": st.sampled_from(["capsule", "powder", "drink", "", "pill"]),
    "capsule_size": st.sampled_from(["", "00", "0", "7"]),
    "serving_size": st.sampled_from(["", "1", "2", "0", "51", "two", "1.5"]),
    "servings_per_day": numbers,
    "servings_per_container": st.sampled_from(["", "30", "-1", "abc"]),
    "timing": st.sampled_from(["morning", "evening", "", "noon"]),
    "markets": st.lists(st.sampled_from(["US", "EU", "CA", "XX"]), max_size=3),
    "population": st.sampled_from(["adult", "pregnancy", "", "aliens"]),
    "claims": st.sampled_from(["", "sleep, cognition"]),
    "other_ingredients": st.sampled_from(["", "Hypromellose capsule"]),
    "notes": st.sampled_from(["", "draft"]),
})


def posted(fields):
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


@settings(max_examples=300, deadline=None)
@given(product_fields)
def test_product_fields_clean_decides_as_the_product_form_does(fields):
    saved = Product(pk=7, name="Recover", slug="recover", markets=["US"], version=3)
    checked = forms.product_fields_clean(posted(fields))

    form = forms.ProductForm(posted(fields), instance=saved)

    assert (checked.values is not None) == form.is_valid()
    assert checked.errors == {name: list(messages) for name, messages in form.errors.items()}
    if form.is_valid():
        assert checked.values == form.cleaned_data


def test_product_fields_checked_again_give_their_own_values():
    fields = {"name": "Recover", "dosage_form": "capsule", "capsule_size": "00", "serving_size": "2",
              "servings_per_day": "1", "servings_per_container": "30", "timing": "evening", "markets": ["US", "EU"],
              "population": "adult"}
    first = forms.product_fields_clean(posted(fields))
    first.values["markets"].append("CA")  # callers own what they get back

    assert forms.product_fields_clean(posted(fields)).values["markets"] == ["US", "EU"]


def offline_library():
    """The two compounds of CHOICES, unsaved: enough for the checks, which need no figures."""
    from compounds.models import Compound
    from formulator.reports import Library

    return Library(references=(), nutrients={}, capsule_volumes={},
                   compounds={slug: Compound(slug=slug, name=name) for slug, name in CHOICES})


@settings(max_examples=300, deadline=None)
@given(st.lists(rows, max_size=4))
def test_the_workbench_checks_typed_lines_as_lines_clean_does(line_rows):
    from formulator.reports import typed_lines
    from formulator.services import LineData

    library = offline_library()
    typed = typed_lines(line_rows, None, library, None)
    checked = forms.lines_clean(line_rows, SLUGS)

    assert {f"lines-{i}-{name}": list(messages) for i, t in enumerate(typed) for name, messages in t.errors.items()} == checked.errors
    for t, values in zip(typed, checked.lines, strict=True):
        expected = None if t.errors else LineData(library.compounds[values["compound"]], values["amount"], values["unit"],
                                                 values["overage_percent"], values["blend"])
        assert (t.line, t.report) == (expected, None)  # no figures without valid servings per day


def test_no_message_writes_a_number_as_the_fields_refuse_it():
    """A message that says "10,000" invites typing a comma, which every number field refuses (ERROR_DECIMAL_COMMA)."""
    import re

    messages = {name: value for name, value in vars(forms).items() if name.startswith("ERROR_") and isinstance(value, str)}

    assert [name for name, text in messages.items() if re.search(r"\d,\d", text)] == []


@pytest.mark.parametrize(("typed", "saved"), [("\u202eevil\u202e", "evil"), ("Calm\u200b", "Calm"), ("Calm  blend", "Calm blend")])
def test_a_blend_name_keeps_no_invisible_or_direction_characters(typed, saved):
    """"\u202eevil\u202e" printed reversed on the label panel and the sheets; "Calm" with a zero-width space was a
    second blend beside "Calm"."""
    from formulator.forms import line_clean

    values, errors = line_clean({"compound": "glycine", "amount": "100", "unit": "mg", "overage_percent": "",
                                 "blend": typed, "target_mg": ""}, {"glycine"}, None)

    assert (values["blend"], errors) == (saved, {})
