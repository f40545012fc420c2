"""Molecular formulas: normalise the spellings people type, then weigh them with molmass.

Plain Python, no Django: the engine, the models and the API all parse formulas through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from molmass import Formula, FormulaError

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
# Adduct separators seen in the wild: middle dot, bullet, period, asterisk, and a plain space.
# molmass reads "MgCl2 6H2O" as Cl26 and the middle dot not at all, hence this normalisation.
_ADDUCT_SEPARATOR = re.compile(r"\s*[·•∙⋅*.]\s*|\s+")
_LEADING_COUNT = re.compile(r"^(\d+)(.+)$")
_ALLOWED = re.compile(r"^[A-Za-z0-9()\[\]]+$")

ERROR_EMPTY = "Enter a molecular formula."
ERROR_CHARACTERS = "A formula may hold only element symbols, counts, brackets and a hydrate separator."
ERROR_UNPARSEABLE = "“{formula}” is not a molecular formula: {reason}."
ERROR_NO_ELEMENT = "The formula “{formula}” has no element {symbol}."
ERROR_EMPTY_GROUP = "A hydrate separator (·, a point or *) needs a group on each side, as in MgCl2·6H2O."
ERROR_COUNT_ALONE = "A count needs the group it counts after it, as in MgCl2·6H2O."


class FormulaParseError(ValueError):
    """A formula that could not be read; the message is fit to show next to the field."""


@dataclass(frozen=True)
class ParsedFormula:
    """A formula as typed, its normalised spelling, molecular weight and atom counts."""

    text: str
    normalised: str
    hill: str
    molecular_weight: Decimal  # g/mol
    atoms: dict[str, int]
    element_masses: dict[str, Decimal]  # g/mol contributed by each element

    def element_fraction(self, symbol: str) -> Decimal:
        """Return the mass fraction of one element, e.g. Mg in MgO is about 0.603."""
        if symbol not in self.element_masses:
            raise FormulaParseError(ERROR_NO_ELEMENT.format(formula=self.text, symbol=symbol))
        return self.element_masses[symbol] / self.molecular_weight


def normalise_formula(text: str) -> str:
    """Rewrite hydrates and adducts as bracketed groups: "MgCl2·6H2O" becomes "MgCl2(H2O)6"."""
    cleaned = text.strip().translate(_SUBSCRIPTS)
    if not cleaned:
        raise FormulaParseError(ERROR_EMPTY)
    parts = _ADDUCT_SEPARATOR.split(cleaned)
    if not any(parts):  # only separators, e.g. "·"
        raise FormulaParseError(ERROR_EMPTY)
    if not all(parts):  # "MgCl2··6H2O", "MgCl2·6H2O·": a slip, which read as a hydrate would hide what was meant
        raise FormulaParseError(ERROR_EMPTY_GROUP)
    # A count spaced from its group ("MgCl2·6 H2O") is one part: the space splits it as it splits "MgCl2 6H2O".
    joined: list[str] = []
    for part in parts:
        if joined and joined[-1].isdigit():
            joined[-1] += part
        else:
            joined.append(part)
    if joined[-1].isdigit() and len(joined) > 1:
        raise FormulaParseError(ERROR_COUNT_ALONE)
    if len(joined) == 1:
        return joined[0]
    groups = [joined[0]]
    for part in joined[1:]:
        match = _LEADING_COUNT.match(part)
        groups.append(f"({match.group(2)}){match.group(1)}" if match else f"({part})")
    return "".join(groups)


def parse_formula(text: str) -> ParsedFormula:
    """Parse a formula in any common hydrate spelling; raise FormulaParseError if it is not one."""
    normalised = normalise_formula(text)
    if not _ALLOWED.match(normalised):
        raise FormulaParseError(ERROR_CHARACTERS)
    try:
        formula = Formula(normalised)
        composition = formula.composition()
        mass = formula.mass
    except FormulaError as exc:
        reason = str(exc).splitlines()[0]
        raise FormulaParseError(ERROR_UNPARSEABLE.format(formula=text.strip(), reason=reason)) from exc
    if not mass:
        raise FormulaParseError(ERROR_UNPARSEABLE.format(formula=text.strip(), reason="it has no atoms"))
    atoms: dict[str, int] = {}
    masses: dict[str, Decimal] = {}
    for symbol, item in composition.asdict().items():
        count, element_mass = item[0], item[1]
        atoms[symbol] = int(count)
        masses[symbol] = Decimal(repr(element_mass))
    return ParsedFormula(
        text=text.strip(),
        normalised=normalised,
        hill=formula.formula,
        molecular_weight=Decimal(repr(mass)),
        atoms=atoms,
        element_masses=masses,
    )


def formula_is_element(text: str) -> bool:
    """Tell whether a formula is a single atom such as "Mg"."""
    parsed = parse_formula(text)
    return sum(parsed.atoms.values()) == 1
