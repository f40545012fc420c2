from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from compounds import selectors
from compounds.models import CapsuleSize, Compound
from evidence.selectors import EvidenceIndex
from formulator import engine, labels, presenters, services
from formulator.forms import ErrorDescribedForm, PointDecimalField, unknown_choice

# 0.0000001 mg is above 0 mg, and "above 0 mg" did not say what was wrong with it.
ERROR_TARGET = "Enter a target from 0.001 mg to 100,000 mg, e.g. 200."
ERROR_TARGET_DECIMALS = "Enter the target to at most 3 decimals, e.g. 200.5."
DEFAULT_TARGET = Decimal(200)
STALE_TABLE = "Out of date: fix the target. The table below is for the last valid one."
NONE_PICKED = "Tick at least one form to compare."
# What the status says the table shows: the forms, as a tick changes them, not the target typed, which each pause in
# typing it would have read out again.
COMPARING = "Comparing {forms}."
COMPARING_ALL = "Comparing all {count} magnesium forms."
# A form whose formula, saved before, the library refuses now, with no supplier's fraction to stand in, gives no magnesium
# to compare by: ticked, it had no row and no word of why.
MISSING_FORMULA_REFUSED = ("{compound} has no row: its formula {formula} is refused by the library now: {reason} It has no "
                           "supplier's specified fraction either, so no magnesium is worked out from it until a curator "
                           "corrects the formula in the library.")


@require_safe
def compound_list(request: HttpRequest) -> HttpResponse:
    """List the library with each compound's molecular weight and nutrient fractions."""
    query = request.GET.get("q", "").strip()[:100]
    compounds = [
        {
            "compound": compound,
            "molecular_weight": selectors.compound_molecular_weight(compound),
            "fractions": selectors.compound_fraction_rows(compound),
            # A formula saved before the library refused it showed a dash for its weight and no word of why.
            "checks": selectors.compound_formula_checks(compound),
        }
        for compound in selectors.compound_list(query)
    ]
    return render(request, "compounds/compound_list.html", {"compounds": compounds, "query": query,
                                                            "FORMULA_NEEDS_CHECK": selectors.FORMULA_NEEDS_CHECK})


@require_safe
def compound_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        compound = selectors.compound_list().get(slug=slug)
    except Compound.DoesNotExist:
        raise Http404("No compound with that name.") from None
    fractions = selectors.compound_fraction_rows(compound)
    # What the library records of it, and of the nutrients it delivers, for every population: a product page lists
    # them, and the compound's own page said nothing of heart block, or of L-threonate's exclusion in the EU.
    evidence = EvidenceIndex.load([compound.slug])
    interactions = evidence.interactions_for([compound.slug], [f.nutrient.slug for f in fractions])
    context = {
        # Counted: a link to "Studies of magnesium carbonate" led to an empty list.
        "study_count": len(evidence.studies_by_compound.get(compound.slug, ())),
        "interactions": presenters.exclusion_notes(presenters.interaction_rows(interactions, population=""), None),
        "compound": compound,
        "molecular_weight": selectors.compound_molecular_weight(compound),
        "normalised_formula": selectors.formula_normalised(compound.formula) or "" if compound.formula else "",
        "fractions": fractions,
        "fractions_over_whole": selectors.fractions_over_whole(fractions),
        # What the admin said once on saving ("MgC12" read as twelve carbons), kept in sight of whoever reads its figures.
        # And what the library reads otherwise now than when it was saved ("MgS04·7H2O", refused since).
        "doubts": [*selectors.compound_formula_checks(compound, selectors.LEAD_PREVIEW),
                   *selectors.compound_formula_doubts(compound, selectors.LEAD_PREVIEW),
                   *selectors.compound_specified_far_below(compound, selectors.LEAD_PREVIEW)],
    }
    return render(request, "compounds/compound_detail.html", context)


@require_safe
def reference_list(request: HttpRequest) -> HttpResponse:
    return render(request, "compounds/reference_list.html", {"values": selectors.reference_value_list()})


class CompoundCompareForm(ErrorDescribedForm, forms.Form):
    """The target and capsule size of the compound comparison."""

    # A text input: the browser's own validation of a number input would cancel the live request silently.
    target = PointDecimalField(
        label="Target magnesium (mg)", min_value=Decimal("0.001"), max_value=Decimal(100_000), decimal_places=3,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": ERROR_TARGET, "invalid": ERROR_TARGET, "min_value": ERROR_TARGET,
                        "max_value": ERROR_TARGET, "max_decimal_places": ERROR_TARGET_DECIMALS, "max_digits": ERROR_TARGET},
    )
    capsule = forms.ChoiceField(label="Capsule size")

    def __init__(self, *args: Any, capsule_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capsule"].choices = capsule_choices
        self.fields["capsule"].error_messages.update(unknown_choice("capsule size", capsule_choices))


@dataclass(frozen=True)
class CompoundRow:
    compound: Compound
    fraction: selectors.FractionRow
    mass_mg: Decimal
    fill: engine.CapsuleFill
    cost: engine.Cost
    grades: list[tuple[str, Any]]


def _compound_rows(compounds: list[Compound], target: Decimal, capsule_ml: Decimal) -> list[CompoundRow]:
    from evidence.models import Outcome
    from evidence.selectors import EvidenceIndex

    evidence = EvidenceIndex.load()
    rows = []
    for compound in compounds:
        fraction = next((f for f in selectors.compound_fraction_rows(compound) if f.nutrient.slug == "magnesium"), None)
        if fraction is None:
            continue
        # As Solve writes it in a line (1,418.9 mg of bisglycinate for 200 mg, not 1,418.8 mg, which gives 199.997 mg).
        mass = services.solved_mass(engine.compound_mass_for_target(target, fraction.used, "magnesium"))
        physical = [engine.PhysicalLine(compound.name, mass, compound.bulk_density_g_per_ml, compound.cost_per_kg)]
        outcomes = sorted({o.outcome for s in evidence.studies_by_compound.get(compound.slug, []) for o in s.outcomes.all()})
        grades = [(Outcome(o).label, evidence.grade(compound.slug, [o])) for o in outcomes]
        rows.append(CompoundRow(compound, fraction, mass, engine.capsule_fill(physical, capsule_ml, 1),
                                engine.cost(physical, Decimal(1), target), grades))
    return rows


def _comparing_said(chosen: list[Compound], magnesium_compounds: list[Compound]) -> str:
    """What the comparison's status says its table shows: the forms ticked, all of them, or none."""
    if not chosen:
        return NONE_PICKED
    if len(chosen) == len(magnesium_compounds) > 1:
        return COMPARING_ALL.format(count=len(chosen))
    return COMPARING.format(forms=labels.listed([labels.lower_first(c.name) for c in chosen]))


@vary_on_headers("HX-Request")
@require_safe
def compound_compare(request: HttpRequest) -> HttpResponse:
    """Compare magnesium forms: fractions, the mass that gives a target, capsules and cost per 100 mg."""
    capsules = list(CapsuleSize.objects.all())
    volumes = {c.code: c.volume_ml for c in capsules}
    library = list(selectors.compound_list())
    magnesium_compounds = [c for c in library if any(l.nutrient.slug == "magnesium" for l in c.contributions.all())]
    wanted = [s.strip() for value in request.GET.getlist("compounds") for s in value.split(",") if s.strip()]
    # No form named is every form on a first visit (a bare address), and none when the page's own form sends it.
    picked = "picked" in request.GET
    chosen = [c for c in magnesium_compounds if c.slug in wanted] if wanted or picked else magnesium_compounds
    # Glycine, in the library, was called unknown: it is known, and holds no magnesium.
    without_magnesium = [c.name for c in library if c.slug in wanted and c not in magnesium_compounds]
    unknown = [s for s in wanted if s not in {c.slug for c in library}]
    data = {"target": request.GET.get("target", "200"), "capsule": request.GET.get("capsule", "00")}
    form = CompoundCompareForm(data, capsule_choices=[(c.code, str(c)) for c in capsules])
    form.is_valid()
    # Each field stands for itself: a capsule size no menu offers (a hand-made address) said the target was wrong.
    valid = "target" not in form.errors
    target = form.cleaned_data.get("target", DEFAULT_TARGET)
    capsule = form.cleaned_data.get("capsule", "00")
    rows = _compound_rows(chosen, target, volumes[capsule])
    compared = {row.compound.slug for row in rows}
    missing = [MISSING_FORMULA_REFUSED.format(compound=c.name, formula=c.formula, reason=reason) for c in chosen
               if c.slug not in compared and (reason := selectors.formula_refused(c.formula))]
    context = {
        "STALE_TABLE": STALE_TABLE, "NONE_PICKED": NONE_PICKED,
        "form": form, "valid": valid, "target": target, "capsule": capsule, "all_compounds": magnesium_compounds,
        "chosen_slugs": {c.slug for c in chosen}, "unknown": unknown, "without_magnesium": without_magnesium,
        "nav": "compounds",
        "rows": rows,
        "missing": missing,
        # With htmx the table on the page stays, marked out of date, while the target is invalid; with no form ticked
        # there is none to keep, and the page says so.
        "stale": bool(request.htmx) and not valid and bool(rows),
        "comparing": _comparing_said(chosen, magnesium_compounds),
    }
    if request.htmx:
        response = render(request, "compounds/compound_compare.html#table", context)
        if context["stale"]:
            response["HX-Reswap"] = "none"
        return response
    return render(request, "compounds/compound_compare.html", context)
