"""Write the library."""

from __future__ import annotations

from django.db import transaction

from compounds.chemistry import FormulaParseError
from compounds.models import Compound, CompoundNutrient, Nutrient
from compounds.selectors import nutrient_formula_links, parsed_formula


def compound_links_ensure(compound: Compound) -> list[CompoundNutrient]:
    """Link a compound to every element nutrient its formula contains (Mg → magnesium); return the links made now.

    The fraction itself is never stored: it is computed from the formula whenever it is read, so an edited
    or imported formula is reflected at once.
    """
    if not compound.formula:
        return []
    atoms = parsed_formula(compound.formula).atoms
    links = []
    for nutrient in Nutrient.objects.exclude(formula=""):
        if nutrient.formula in atoms:  # an element nutrient such as "Mg"
            link, created = CompoundNutrient.objects.get_or_create(compound=compound, nutrient=nutrient)
            if created:
                links.append(link)
    return links


def nutrient_links_ensure(nutrient: Nutrient) -> list[Compound]:
    """Link an element nutrient to every compound whose formula holds it; return the compounds linked now.

    As compound_links_ensure does from the compound's side: chloride added to the library was given by magnesium
    chloride once it was saved again, and never by pyridoxine hydrochloride, though both hold Cl.
    """
    if not nutrient.formula or not nutrient.is_element:
        return []
    linked = []
    for compound in Compound.objects.exclude(formula="").order_by("name"):
        try:
            atoms = parsed_formula(compound.formula).atoms
        except FormulaParseError:
            continue  # a formula the library cannot read is named where the compound is used
        if nutrient.formula in atoms and CompoundNutrient.objects.get_or_create(compound=compound, nutrient=nutrient)[1]:
            linked.append(compound)
    return linked


def nutrient_delete(nutrient: Nutrient) -> None:
    """Delete a nutrient with the links its formula made; raise ProtectedError if curated data still holds it.

    Its formula linked an element to every compound holding it, and those links cannot be removed on their own: a
    sodium added by mistake could never be deleted.
    """
    with transaction.atomic():
        nutrient_formula_links(nutrient).delete()
        nutrient.delete()
