"""The evidence search form; its messages are shared with the API's study filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from compounds.models import Compound
from evidence.models import Design, Outcome
from formulator.forms import ErrorDescribedForm, PointIntegerField

ERROR_YEAR = "Enter a year between 1900 and 2100."
ERROR_YEAR_RANGE = "The first year must not be after the last."
ERROR_UNKNOWN_CHOICE = "There is no {what} “%(value)s” to search by: choose one from the list."
YEAR_MIN = 1900
YEAR_MAX = 2100


def year_field(label: str) -> forms.IntegerField:
    # A text input: the browser's validation of number inputs would silently cancel the live search.
    return PointIntegerField(
        label=label, required=False, min_value=YEAR_MIN, max_value=YEAR_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        error_messages={"invalid": ERROR_YEAR, "min_value": ERROR_YEAR, "max_value": ERROR_YEAR, "range": ERROR_YEAR_RANGE},
    )


class StudySearchForm(ErrorDescribedForm, forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    # A made-up address (?compound=nonexistent) said Django's "Select a valid choice. … is not one of the available
    # choices.", which names no field.
    compound = forms.ChoiceField(required=False, error_messages={"invalid_choice": ERROR_UNKNOWN_CHOICE.format(what="compound")})
    outcome = forms.ChoiceField(required=False, choices=[("", "Any outcome"), *Outcome.choices],
                                error_messages={"invalid_choice": ERROR_UNKNOWN_CHOICE.format(what="outcome")})
    design = forms.ChoiceField(required=False, choices=[("", "Any design"), *Design.choices],
                               error_messages={"invalid_choice": ERROR_UNKNOWN_CHOICE.format(what="study design")})
    year_from = year_field("From year")
    year_to = year_field("To year")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compound"].choices = [("", "Any compound"), *Compound.objects.values_list("slug", "name")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None and first > last:
            # On the last year, where the range becomes reversed; the API reports it on the same field.
            self.add_error("year_to", ValidationError(self.fields["year_to"].error_messages["range"], code="range"))
        return data

    def criteria(self) -> list[str]:
        """Name what a valid search asks for, as its count says it: two searches finding as many entries read alike."""
        data = self.cleaned_data
        said = [f"“{data['q'].strip()}”"] if data.get("q", "").strip() else []
        said += [dict(self.fields[name].choices)[data[name]] for name in ("compound", "outcome", "design") if data.get(name)]
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None:
            said.append(str(first) if first == last else f"{first} to {last}")
        elif first is not None or last is not None:
            said.append(f"{first} or later" if first is not None else f"up to {last}")
        return said
