"""Molecular formulas: normalise the spellings people type, then weigh them with molmass.

Plain Python, no Django: the engine, the models and the API all parse formulas through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from molmass import ELEMENTS, Formula, FormulaError

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
# Adduct separators seen in the wild: middle dot, bullet, the Japanese middle dots (full and half width), period,
# asterisk, and a plain space.
# molmass reads "MgCl2 6H2O" as Cl26 and the middle dot not at all, hence this normalisation.
_ADDUCT_SEPARATOR = re.compile(r"\s*[·•∙⋅・･*.]\s*|\s+")
# A fractional count after a separator, "MgHPO4·1.5H2O" or "MgCl2.0.5H2O", is one number: split at its point, it
# would read as 15 waters. Its point is kept apart (as "_") while the formula is split at separators. A point with no
# separator before it is one: "MgCl2.6H2O" is the hexahydrate.
_DECIMAL_COUNT = re.compile(r"(?<=[·•∙⋅・･*.\s])(\d+)\.(\d+)(?=\s*[A-Za-z(\[])")
_COUNT = re.compile(r"\d+(?:_\d+)?")
_WATER = re.compile(r"[(\[]?H2O[)\]]?\d*")
_WATER_WITH_ZERO = re.compile(r"(?:^|[(\[])H20(?:$|[)\]])")
_LEADING_COUNT = re.compile(rf"^({_COUNT.pattern})(.+)$")
_ALLOWED = re.compile(r"^[A-Za-z0-9()\[\]]+$")
_ISOTOPE = re.compile(r"\[\d")
_SYMBOL = re.compile(r"[A-Z][a-z]*")
_EMPTY_BRACKETS = re.compile(r"\(\)|\[\]")
# Technetium, promethium and every element from polonium on have no stable isotope: no supplement holds one, and one
# in a formula is an abbreviation read as an element ("OAc", acetate, weighed as oxygen and actinium).
_RADIOACTIVE = frozenset({43, 61}) | frozenset(range(84, 119))
_ELEMENT_NUMBERS = {element.symbol: element.number for element in ELEMENTS}
# A count such as 0.5 is weighed as molmass weighs whole ones, on the formula taken this many times at most.
MAX_COUNT_SCALE = 1000

ERROR_EMPTY = "Enter a molecular formula."
ERROR_CHARACTERS = "A formula may hold only element symbols, counts, brackets and a hydrate separator."
ERROR_UNPARSEABLE = "“{formula}” is not a molecular formula: {reason}."
ERROR_NO_ELEMENT = "The formula “{formula}” has no element {symbol}."
ERROR_CANNOT_RELEASE = ("The formula “{formula}” cannot release {units}{nutrient} ({nutrient_formula}): it holds {has} {symbol} "
                        "a formula unit, and that needs {needs}.")
ERROR_EMPTY_GROUP = "A hydrate separator (·, a point or *) needs a group on each side, as in MgCl2·6H2O."
ERROR_COUNT_ALONE = "A count needs the group it counts after it, as in MgCl2·6H2O."
ERROR_COUNT_FIRST = "Write the compound first and what is counted after it, as in MgCl2·6H2O."
ERROR_ISOTOPE = ("Write elements without isotope numbers (Mg, not [24Mg]; H, not D): the library weighs natural "
                 "elements.")
# A zero typed for the letter O: "MgS04·7H2O" was weighed as MgS4·7H2O, 8.72% magnesium for 9.86%, and "MgC03" as MgC3,
# 40.28% for 28.83%. No count starts with 0, and no bracketed group does ("Mg(0H)2"); a formula that does is counted
# (ERROR_FORMULA_COUNTED), and a hydrate's count may ("MgCl2·0.5H2O").
ERROR_ZERO_FOR_O = ("“{formula}” has a 0 (zero) where a count or a group begins: write oxygen with the letter O, as in "
                    "{suggested}.")
_ZERO_FOR_O = re.compile(r"(?<=[A-Za-z)\]([])0")
ERROR_WATER_ZERO = "“H20” reads as 20 hydrogen atoms: write water with the letter O, H2O, as in MgCl2·6H2O."
ERROR_FORMULA_COUNTED = ("Write the formula without a count before it (MgO, not 2MgO): a count goes before a hydrate's "
                         "water, as in MgCl2·6H2O.")
ERROR_DECIMAL_SUBSCRIPT = ("A point between two digits separates a hydrate's water (MgCl2.6H2O): a count with a decimal "
                           "point (Mg1.5PO4) is not read. Write whole counts (Mg3(PO4)2), and any other counted group "
                           "after ·, as in CaCl2·2NH3.")
ERROR_DECIMAL_COMMA = "Write a count's decimals with a point, as in MgHPO4·1.5H2O, not a comma."
ERROR_COUNT_ZERO = "A group counted 0 times is not in the formula: leave it out."
ERROR_COUNT_PRECISION = "A count may have at most three decimals, as in MgHPO4·1.5H2O."
# molmass reads its own abbreviations (Gly, Asp, Cit, Me, Ph ...) as the groups it has in mind: "Mg(Gly)2" weighed as
# glycine residues, not glycinate, read 17.56% magnesium where the bisglycinate has 14.10%.
ERROR_NOT_ELEMENT = ("“{symbol}” is not an element symbol: write every group in element symbols, as in Mg(C2H4NO2)2 "
                     "for the bisglycinate (an abbreviation such as Gly or OAc is not read).")
ERROR_RADIOACTIVE = ("“{symbol}” is {name}, a radioactive element no supplement holds: write every group in element "
                     "symbols, as in Mg(C2H3O2)2 for the acetate (an abbreviation such as OAc is not read).")
# "mgcl2·6h2o" said "unexpected character 'm'", and "MGCL2" "unknown symbol 'L'": neither said what to do.
ERROR_CAPITALS = ("Write each element symbol with a capital letter, and its second letter small: Mg, Cl, as in "
                  "MgCl2·6H2O.")
ERROR_EMPTY_BRACKETS = "A bracket holds nothing: leave it out, or write what it holds, as in Mg(OH)2."
# "(MgCl2·6H2O)2" split at its dot into "(MgCl2" and "6H2O)2" was weighed as (MgCl2(H2O))6: six of each, 21.5%
# magnesium where the hexahydrate has 11.96%.
ERROR_SEPARATOR_IN_BRACKETS = ("A hydrate separator (·, a point or *) inside brackets is not read: write the water after "
                               "the compound, as in MgCl2·6H2O, or as a counted group, as in MgCl2(H2O)6.")
# Heavier than any ingredient a supplement is made of (cyanocobalamin weighs 1,355 g/mol): a slip in a count, such as
# Mg1000000000000000000000 for Mg, would otherwise weigh the compound as almost all magnesium.
MAX_MOLECULAR_WEIGHT = Decimal(10_000)
ERROR_TOO_HEAVY = ("“{formula}” weighs over 10,000 g/mol, more than any supplement ingredient: check the counts in "
                   "it.")


# The reasons ERROR_UNPARSEABLE gives for brackets, in words: molmass said "missing closing parenthesis ')]}>'".
REASON_UNCLOSED = "a bracket is opened and not closed"
REASON_UNOPENED = "a bracket is closed that was not opened"
REASON_MISMATCHED = "a bracket opened with “{opened}” is closed with “{closed}”"
_CLOSING = {"(": ")", "[": "]"}


def _bracket_reason(text: str) -> str | None:
    """What is wrong with a formula's brackets, in words; None when they pair up."""
    opened: list[str] = []
    for char in text:
        if char in _CLOSING:
            opened.append(char)
        elif char in _CLOSING.values():
            if not opened:
                return REASON_UNOPENED
            if _CLOSING[opened[-1]] != char:
                return REASON_MISMATCHED.format(opened=opened[-1], closed=char)
            opened.pop()
    return REASON_UNCLOSED if opened else None


class FormulaParseError(ValueError):
    """A formula that could not be read; the message is fit to show next to the field."""


@dataclass(frozen=True)
class ParsedFormula:
    """A formula as typed, its normalised spelling, molecular weight and atom counts."""

    text: str
    normalised: str
    hill: str
    molecular_weight: Decimal  # g/mol
    atoms: dict[str, Decimal]  # per formula unit: MgHPO4·1.5H2O holds 3 H2O for every 2 Mg, so 1.5 O from water
    element_masses: dict[str, Decimal]  # g/mol contributed by each element

    def element_fraction(self, symbol: str) -> Decimal:
        """Return the mass fraction of one element, e.g. Mg in MgO is about 0.603."""
        if symbol not in self.element_masses:
            raise FormulaParseError(ERROR_NO_ELEMENT.format(formula=self.text, symbol=symbol))
        return self.element_masses[symbol] / self.molecular_weight


def normalise_formula(text: str) -> str:
    """Rewrite hydrates and adducts as bracketed groups: "MgCl2·6H2O" becomes "MgCl2(H2O)6", "MgHPO4·1.5H2O"
    "MgHPO4(H2O)1.5"."""
    return _written(_groups(text))


def salt_of(text: str) -> str | None:
    """The formula without its water of hydration, naming the salt whatever its hydrate: "Mg3(C6H5O7)2·9H2O" and
    "Mg3(C6H5O7)2" are both "Mg3(C6H5O7)2"; None for a formula that is not one."""
    try:
        groups = _groups(text)
    except FormulaParseError:
        return None
    return _written([group for index, group in enumerate(groups) if index == 0 or group[0] != "H2O"])


def _written(groups: list[tuple[str, Decimal]]) -> str:
    return "".join(group if index == 0 and count == 1 else f"({group})" if count == 1 else f"({group}){count.normalize():f}"
                   for index, (group, count) in enumerate(groups))


def _enclosed(text: str) -> bool:
    """Whether the whole text is one bracketed group, as "(MgCl2·6H2O)" is and "(MgCl2)·(H2O)6" is not."""
    if text[:1] not in _CLOSING or text[-1:] != _CLOSING[text[0]]:
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += char in _CLOSING
        depth -= char in _CLOSING.values()
        if depth == 0:
            return index == len(text) - 1
    return False


def hydrate_in_brackets(text: str) -> str | None:
    """The hydrate within brackets that enclose a whole formula ("(MgCl2·6H2O)" holds "MgCl2·6H2O"); None otherwise.

    Read as that hydrate since the parser took such brackets off; a formula saved before was weighed as (MgCl2(H2O))6."""
    cleaned = text.strip().translate(_SUBSCRIPTS)
    if not _enclosed(cleaned):
        return None
    within = cleaned[1:-1].strip()
    return within if _ADDUCT_SEPARATOR.search(within) else None


def _groups(text: str) -> list[tuple[str, Decimal]]:
    """The groups of a formula as typed and how many of each it holds: "MgCl2·6H2O" is MgCl2 once and H2O six times."""
    cleaned = text.strip().translate(_SUBSCRIPTS)
    # A formula in brackets as a sentence writes it, "(MgCl2·6H2O)", is the formula: split at its dot, it was weighed
    # as (MgCl2(H2O))6, six times the salt.
    while _enclosed(cleaned) and cleaned[1:-1].strip():
        cleaned = cleaned[1:-1].strip()
    if not cleaned:
        raise FormulaParseError(ERROR_EMPTY)
    if re.search(r"\d,\d", cleaned):  # "MgHPO4·1,5H2O" was told only which characters a formula may hold
        raise FormulaParseError(ERROR_DECIMAL_COMMA)
    pieces = re.split(f"({_ADDUCT_SEPARATOR.pattern})", _DECIMAL_COUNT.sub(r"\1_\2", cleaned))
    parts, separators = pieces[0::2], pieces[1::2]
    if not any(parts):  # only separators, e.g. "·"
        raise FormulaParseError(ERROR_EMPTY)
    if not all(parts):  # "MgCl2··6H2O", "MgCl2·6H2O·": a slip, which read as a hydrate would hide what was meant
        raise FormulaParseError(ERROR_EMPTY_GROUP)
    # A count spaced from its group ("MgCl2·6 H2O") is one part: the space splits it as it splits "MgCl2 6H2O". Only
    # a space: across a point, "MgCl2·6.5.5H2O" was read as 65.5 waters and "MgCl2·1.5·2H2O" as 152.
    joined: list[str] = [parts[0]]
    # The groups after a point between two digits: MgCl2.6H2O's water, or a decimal count, Mg1.5PO4 (Mg·5PO4).
    after_digit_point: set[int] = set()
    for separator, part in zip(separators, parts[1:], strict=True):
        if _COUNT.fullmatch(joined[-1]):
            if separator.strip():
                raise FormulaParseError(ERROR_COUNT_ALONE)
            joined[-1] += part
        else:
            if separator.strip() == "." and joined[-1][-1:].isdigit() and part[:1].isdigit():
                after_digit_point.add(len(joined))
            joined.append(part)
    if _COUNT.fullmatch(joined[-1]) and len(joined) > 1:
        raise FormulaParseError(ERROR_COUNT_ALONE)
    if len(joined) > 1 and any(_bracket_reason(part) for part in joined) and not _bracket_reason(cleaned):
        raise FormulaParseError(ERROR_SEPARATOR_IN_BRACKETS)
    groups = []
    for part in joined:
        match = _LEADING_COUNT.match(part) if len(joined) > 1 else None
        groups.append((match.group(2), Decimal(match.group(1).replace("_", "."))) if match else (part, Decimal(1)))
    # "4MgCO3·Mg(OH)2·5H2O", the pharmacopoeias' basic carbonate, counts its first group too; water is not the compound
    # ("6H2O·MgCl2"), and a hydrate's salt is what comes before its water (salt_of).
    # "H2O·MgCl2" and "(H2O)6·MgCl2" too: the salt was taken to be the water.
    if len(groups) > 1 and _WATER.fullmatch(groups[0][0]):
        raise FormulaParseError(ERROR_COUNT_FIRST)
    # Water typed with a zero ("MgCl2·6H20", "MgCl2(H20)6") was weighed as six groups of 20 hydrogens: 11.24% magnesium,
    # not 11.96%. Only as a group of its own: C10H20O2 has twenty hydrogens.
    if any(_WATER_WITH_ZERO.search(group) for group, _ in groups):
        raise FormulaParseError(ERROR_WATER_ZERO)
    # "Mg1.5PO4" was weighed as Mg·5PO4, Mg(PO4)5: the point read as a hydrate's.
    if any(not _WATER.fullmatch(groups[index][0]) for index in after_digit_point):
        raise FormulaParseError(ERROR_DECIMAL_SUBSCRIPT)
    if any(_ZERO_FOR_O.search(group) for group, _ in groups):
        raise FormulaParseError(ERROR_ZERO_FOR_O.format(formula=text.strip(), suggested=_zero_as_o(text.strip())))
    # molmass read "2MgO" as an isotope, "unknown isotope '2Mg'".
    if len(joined) == 1 and joined[0][:1].isdigit():
        raise FormulaParseError(ERROR_FORMULA_COUNTED)
    return groups


def _zero_as_o(text: str) -> str:
    """The formula with each zero that begins a count or a bracketed group read as the letter O: "MgS04·7H2O" is
    "MgSO4·7H2O"."""
    return _ZERO_FOR_O.sub("O", text)


def _scale(counts: list[Decimal]) -> int:
    """The fewest times the formula must be taken for every count to be whole: 2 for MgHPO4·1.5H2O."""
    for scale in range(1, MAX_COUNT_SCALE + 1):
        if all((count * scale) % 1 == 0 for count in counts):
            return scale
    raise FormulaParseError(ERROR_COUNT_PRECISION)


def parse_formula(text: str) -> ParsedFormula:
    """Parse a formula in any common hydrate spelling; raise FormulaParseError if it is not one."""
    letters = [c for c in text if c.isalpha()]
    if letters and letters[0].islower():  # no formula starts with a small letter
        raise FormulaParseError(ERROR_CAPITALS)
    try:
        return _parsed(text)
    except FormulaParseError:
        # All in capitals, with a two-letter symbol among them ("MGCL2"): what was meant is plain, not the error.
        if text.upper() == text and any(symbol.upper() in text for symbol in _ELEMENT_NUMBERS if len(symbol) == 2):
            raise FormulaParseError(ERROR_CAPITALS) from None
        raise


def _parsed(text: str) -> ParsedFormula:
    if reason := _bracket_reason(text):
        raise FormulaParseError(ERROR_UNPARSEABLE.format(formula=text.strip(), reason=reason))
    groups = _groups(text)
    if any(count == 0 for _, count in groups):
        raise FormulaParseError(ERROR_COUNT_ZERO)
    # molmass counts in whole numbers: MgHPO4·1.5H2O is weighed as (MgHPO4)2(H2O)3, then halved.
    scale = _scale([count for _, count in groups])
    weighed = "".join(group if count * scale == 1 else f"({group}){int(count * scale)}" for group, count in groups)
    if not _ALLOWED.match(weighed):
        raise FormulaParseError(ERROR_CHARACTERS)
    if _ISOTOPE.search(weighed):  # molmass weighs [24Mg] as an element of its own, so no magnesium would be found
        raise FormulaParseError(ERROR_ISOTOPE)
    if _EMPTY_BRACKETS.search(weighed):  # "Mg()" was weighed as Mg, pure magnesium
        raise FormulaParseError(ERROR_EMPTY_BRACKETS)
    try:
        formula = Formula(weighed)
        composition = formula.composition()
        mass = formula.mass
    except FormulaError as exc:
        reason = str(exc).splitlines()[0]
        raise FormulaParseError(ERROR_UNPARSEABLE.format(formula=text.strip(), reason=reason)) from exc
    if not mass:
        raise FormulaParseError(ERROR_UNPARSEABLE.format(formula=text.strip(), reason="it has no atoms"))
    # Read by molmass, so every symbol is one it knows: an element, an isotope or an abbreviation of its own.
    for symbol in _SYMBOL.findall(weighed):
        if symbol == "D":  # molmass weighs D as 2H, deuterium (T it does not read)
            raise FormulaParseError(ERROR_ISOTOPE)
        if symbol not in _ELEMENT_NUMBERS:
            raise FormulaParseError(ERROR_NOT_ELEMENT.format(symbol=symbol))
        if _ELEMENT_NUMBERS[symbol] in _RADIOACTIVE:
            raise FormulaParseError(ERROR_RADIOACTIVE.format(symbol=symbol, name=ELEMENTS[symbol].name.lower()))
    elements = composition.asdict()
    if Decimal(repr(mass)) / scale > MAX_MOLECULAR_WEIGHT:
        raise FormulaParseError(ERROR_TOO_HEAVY.format(formula=text.strip()))
    atoms: dict[str, Decimal] = {}
    masses: dict[str, Decimal] = {}
    for symbol, item in elements.items():
        count, element_mass = item[0], item[1]
        atoms[symbol] = Decimal(int(count)) / scale
        masses[symbol] = Decimal(repr(element_mass)) / scale
    return ParsedFormula(
        text=text.strip(),
        normalised=_written(groups),
        hill=formula.formula,  # of the formula as weighed: spellings of one formula share it
        molecular_weight=Decimal(repr(mass)) / scale,
        atoms=atoms,
        element_masses=masses,
    )


def element_symbol(formula: ParsedFormula) -> str | None:
    """The symbol of a formula that is one atom ("Mg"); None for a molecule."""
    if len(formula.atoms) == 1 and sum(formula.atoms.values()) == 1:
        return next(iter(formula.atoms))
    return None


@lru_cache(maxsize=1024)
def formula_is_element(text: str) -> bool:
    """Tell whether a formula is a single atom such as "Mg".

    Once per formula: a keystroke asks it of the line's nutrient (Nutrient.is_element), and parsing costs ~55 µs."""
    return element_symbol(parse_formula(text)) is not None


def release_check(compound: ParsedFormula, carried: ParsedFormula, units: int, nutrient: str) -> None:
    """Raise FormulaParseError unless `units` of a molecular nutrient fit in a compound's formula unit.

    Its atoms other than hydrogen must all be there: magnesium bisglycinate, Mg(C2H4NO2)2, releases two glycine
    (C2H5NO2), which take their last hydrogen from water; magnesium oxide releases none, though its fraction, a ratio
    of weights, would read 372% of glycine.
    """
    for symbol, count in carried.atoms.items():
        needs, has = count * units, compound.atoms.get(symbol, Decimal(0))
        if symbol != "H" and has < needs:
            raise FormulaParseError(ERROR_CANNOT_RELEASE.format(
                formula=compound.text, units=f"{units} " if units != 1 else "", nutrient=nutrient,
                nutrient_formula=carried.text, has=f"{has.normalize():f}", symbol=symbol, needs=f"{needs.normalize():f}"))
