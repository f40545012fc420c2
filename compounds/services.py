"""Write the library."""

from __future__ import annotations

from compounds.models import Compound, CompoundNutrient, Nutrient
from compounds.selectors import parsed_formula


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
