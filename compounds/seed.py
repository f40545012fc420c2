"""The seed library, transcribed from shared/reference/compounds.md and regulatory.md.

Formulas only: molecular weights and fractions are computed. Specified fractions carry their source.
Loading is idempotent (seed_row on natural keys), so `make run` can call it every time: a correction of the seed
reaches a database made before it, and a curator's edit of a seeded row stands.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from compounds.models import CapsuleSize, Compound, CompoundNutrient, Nutrient, ReferenceValue

C = Compound.FormClass

NUTRIENTS: list[dict[str, Any]] = [
    {"slug": "vitamin-b6", "name": "Vitamin B6", "formula": "C8H11NO3", "label_order": 160},
    {"slug": "magnesium", "name": "Magnesium", "formula": "Mg", "label_order": 330},
    {"slug": "glycine", "name": "Glycine", "formula": "C2H5NO2", "label_order": 1000},
    {"slug": "l-theanine", "name": "L-Theanine", "formula": "C7H14N2O3", "label_order": 1010},
    {"slug": "5-htp", "name": "5-HTP", "formula": "C11H12N2O3", "label_order": 1020},
    {"slug": "melatonin", "name": "Melatonin", "formula": "C13H16N2O2", "label_order": 1030},
    {"slug": "withanolides", "name": "Withanolides", "formula": "", "label_order": 1040},
    {"slug": "honokiol-magnolol", "name": "Honokiol and magnolol", "formula": "", "label_order": 1050},
]

COMPOUNDS_MD = "shared/reference/compounds.md"

# (slug, name, formula, class, synonyms, seed documents say)
MAGNESIUM_FORMS: list[tuple[str, str, str, str, str, str]] = [
    ("magnesium-oxide", "Magnesium oxide", "MgO", C.INORGANIC_SALT, "MgO, magnesia", "Seed 004 says 60%."),
    ("magnesium-hydroxide", "Magnesium hydroxide", "Mg(OH)2", C.INORGANIC_SALT, "milk of magnesia", ""),
    ("magnesium-carbonate", "Magnesium carbonate (anhydrous)", "MgCO3", C.INORGANIC_SALT, "magnesite",
     "Commercial basic carbonates differ from anhydrous MgCO3: use the supplier assay."),
    ("trimagnesium-dicitrate", "Trimagnesium dicitrate (anhydrous)", "Mg3(C6H5O7)2", C.ORGANIC_SALT,
     "magnesium citrate, trimagnesium citrate", "Seed 004 says citrate 16%. USP trimagnesium citrate is "
     "14.5-16.4% Mg on a dry basis: specify the grade bought."),
    ("trimagnesium-dicitrate-nonahydrate", "Trimagnesium dicitrate nonahydrate", "Mg3(C6H5O7)2·9H2O",
     C.ORGANIC_SALT, "magnesium citrate nonahydrate", ""),
    ("magnesium-hydrogen-citrate", "Magnesium hydrogen citrate (1:1)", "MgC6H6O7", C.ORGANIC_SALT,
     "magnesium citrate 1:1, dimagnesium citrate", "“Citrate” is ambiguous: say which."),
    ("magnesium-bisglycinate", "Magnesium bisglycinate", "C4H8MgN2O4", C.AMINO_ACID_CHELATE,
     "magnesium glycinate, magnesium diglycinate, glycinate chelate", "Seed 004 says glycinate 14%."),
    ("magnesium-l-threonate", "Magnesium L-threonate", "C8H14MgO10", C.ORGANIC_SALT,
     "Magtein, MgT, threonate, magnesium threonate", ""),
    ("magnesium-taurate", "Magnesium taurate", "C4H12MgN2O6S2", C.ORGANIC_SALT, "taurate, magnesium taurinate",
     "Seed 004 says 9%."),
    ("magnesium-malate", "Magnesium malate (anhydrous)", "C4H4MgO5", C.ORGANIC_SALT, "malate", "Seed 004 says 15%."),
    ("magnesium-malate-trihydrate", "Magnesium malate trihydrate", "C4H4MgO5·3H2O", C.ORGANIC_SALT,
     "malate trihydrate", ""),
    ("magnesium-chloride-hexahydrate", "Magnesium chloride hexahydrate", "MgCl2·6H2O", C.INORGANIC_SALT,
     "magnesium chloride, MgCl2", "Seed 004 says chloride 12%."),
    ("magnesium-lactate-dihydrate", "Magnesium lactate dihydrate", "C6H10MgO6·2H2O", C.ORGANIC_SALT, "lactate", ""),
    ("magnesium-sulfate-heptahydrate", "Magnesium sulfate heptahydrate", "MgSO4·7H2O", C.INORGANIC_SALT,
     "Epsom salt, magnesium sulphate", ""),
    ("magnesium-l-aspartate", "Magnesium L-aspartate (anhydrous)", "C8H12MgN2O8", C.ORGANIC_SALT, "aspartate", ""),
    ("magnesium-gluconate", "Magnesium gluconate (anhydrous)", "C12H22MgO14", C.ORGANIC_SALT, "gluconate", ""),
    ("magnesium-orotate", "Magnesium orotate (anhydrous)", "C10H6MgN4O8", C.ORGANIC_SALT, "orotate", ""),
    ("magnesium-glycerophosphate", "Magnesium glycerophosphate", "C3H7MgO6P", C.ORGANIC_SALT, "glycerophosphate", ""),
    ("magnesium-pidolate", "Magnesium pidolate", "C10H12MgN2O6", C.ORGANIC_SALT, "pidolate, pyroglutamate", ""),
]

THREONATE_NOTES = (
    "Seed 004 (NeuroMag monograph) states MW 294.5 and 7.2% elemental magnesium; 294.5 g/mol by formula "
    "gives 8.25%. The 7.2% is the Magtein specification (label: 2,000 mg gives 144 mg), so calculations use "
    "it. EFSA 2024 uses about 8.3% (3,000 mg gives about 250 mg). EU: novel food, Reg. (EU) 2024/2694, for "
    "adults excluding pregnancy and lactation, up to 250 mg magnesium a day; a permitted form from "
    "26 Nov 2026 (Reg. (EU) 2025/2225). Seed 004's 'novel food application pending' is out of date. Seed 004 names "
    "Mitsubishi Gas Chemical as Magtein's manufacturer; trade press names ThreoTech as its manufacturer and marketer "
    "and AIDP as its distributor (NutraIngredients, 20 Jan 2025), so the seed's attribution is unconfirmed. "
    "Seed 004 rates it 'Tier 2: Supported' (grade B on this library's scale), its validation 'Strong' from 'multiple "
    "RCTs': the library's grades (the evidence grades page) are worked out from the entries it holds, which do not "
    "bear that out."
)

# Non-magnesium ingredients the seed products name: (slug, name, formula, class, synonyms, nutrient, units)
OTHER_INGREDIENTS: list[tuple[str, str, str, str, str, str, int]] = [
    ("glycine", "Glycine", "C2H5NO2", C.OTHER, "aminoacetic acid", "glycine", 1),
    ("l-theanine", "L-Theanine", "C7H14N2O3", C.OTHER, "theanine, Suntheanine", "l-theanine", 1),
    ("5-htp", "5-HTP (5-hydroxytryptophan)", "C11H12N2O3", C.OTHER, "5-hydroxytryptophan, oxitriptan", "5-htp", 1),
    ("melatonin", "Melatonin", "C13H16N2O2", C.OTHER, "", "melatonin", 1),
    ("pyridoxine-hydrochloride", "Pyridoxine hydrochloride", "C8H11NO3·HCl", C.OTHER,
     "pyridoxine HCl, vitamin B6", "vitamin-b6", 1),
]

# Botanicals have no formula: their contributions are declared with a source.
BOTANICALS: list[dict[str, Any]] = [
    {
        "slug": "ashwagandha-root-extract",
        "name": "Ashwagandha root extract",
        "synonyms": "Withania somnifera, KSM-66",
        "nutrient": "withanolides",
        "fraction": Decimal("0.05"),
        "source": "Placeholder: a common standardisation (5% withanolides); replace with the supplier CoA.",
    },
    {
        "slug": "magnolia-bark-extract",
        "name": "Magnolia bark extract",
        "synonyms": "Magnolia officinalis, honokiol",
        "nutrient": "honokiol-magnolol",
        "fraction": Decimal("0.90"),
        "source": "Placeholder: a common standardisation (90% honokiol and magnolol); replace with the supplier CoA.",
    },
]

REGULATORY_MD = "shared/reference/regulatory.md (hard capsule sizes; sources give 0.90-0.95 mL for size 00)"
CAPSULE_SIZES = [("000", "1.37"), ("00", "0.95"), ("0E", "0.78"), ("0", "0.68"), ("1", "0.50"), ("2", "0.37"),
                 ("3", "0.30"), ("4", "0.21")]

# Indicative planning values so capsule fill and cost can be shown on the demo products. They are NOT
# supplier data: every page that uses them shows this source, and curators replace them with quotes.
TYPICAL_DENSITY = "Typical tapped density for planning, not a supplier specification: replace with your supplier's"
INDICATIVE_COST = "Indicative bulk price for planning (USD), not a quote: replace with your supplier's"
PHYSICAL: dict[str, tuple[str, str]] = {
    "magnesium-oxide": ("0.90", "6"),
    "magnesium-hydroxide": ("0.55", "8"),
    "magnesium-carbonate": ("0.45", "8"),
    "trimagnesium-dicitrate": ("0.70", "12"),
    "trimagnesium-dicitrate-nonahydrate": ("0.75", "10"),
    "magnesium-bisglycinate": ("0.60", "25"),
    "magnesium-l-threonate": ("0.60", "160"),
    "magnesium-taurate": ("0.55", "45"),
    "magnesium-malate": ("0.60", "18"),
    "magnesium-chloride-hexahydrate": ("0.80", "6"),
    "glycine": ("0.85", "6"),
    "l-theanine": ("0.45", "70"),
    "pyridoxine-hydrochloride": ("0.60", "35"),
    "ashwagandha-root-extract": ("0.50", "90"),
    "5-htp": ("0.50", "250"),
    "melatonin": ("0.40", "400"),
    "magnesium-l-aspartate": ("0.55", "30"),
    "magnesium-glycerophosphate": ("0.50", "30"),
}

IOM_2006 = "IOM 2006, Dietary Reference Intakes: The Essential Guide, Magnesium, Table 1"
IOM_URL = "https://nap.nationalacademies.org/catalog/11537"
SCF_2001 = "SCF/CS/NUT/UPPLEV/54 Final (2001); EFSA Summary of Tolerable Upper Intake Levels v4 (2018)"
EFSA_UL_URL = "https://www.efsa.europa.eu/sites/default/files/assets/UL_Summary_tables.pdf"
# BfR Opinion No. 034/2017 (12 December 2017), as linked from the BfR's press release 50/2017.
BFR_2017_URL = "https://www.bfr.bund.de/cm/349/bfr-assesses-recommended-maximum-daily-level-for-intake-of-magnesium-via-food-supplements.pdf"
CFR_DV = "21 CFR 101.9(c)(8)(iv), 2016 rule"
CFR_URL = "https://www.ecfr.gov/current/title-21/chapter-I/subchapter-B/part-101/subpart-A/section-101.9"
EU_NRV = "Reg. (EU) 1169/2011 Annex XIII Part A"
EU_NRV_URL = "https://eur-lex.europa.eu/eli/reg/2011/1169/oj"
EFSA_DRV = "EFSA 2015, Scientific Opinion on Dietary Reference Values for magnesium, EFSA Journal 13(7):4186"
EFSA_DRV_URL = "https://doi.org/10.2903/j.efsa.2015.4186"  # the DOI of EFSA Journal 13(7):4186

IOM_B6 = "IOM 1998, Dietary Reference Intakes for B vitamins"
IOM_B6_CANADA = IOM_B6 + " (adopted by Health Canada)"
EFSA_B6 = "EFSA 2023, Scientific opinion on the tolerable upper intake level for vitamin B6, EFSA Journal 21(5):8006"
B6_SOURCE_URLS = {IOM_B6: "https://nap.nationalacademies.org/catalog/6015", IOM_B6_CANADA: "https://nap.nationalacademies.org/catalog/6015",
                  EFSA_B6: "https://doi.org/10.2903/j.efsa.2023.8006"}
_ALL_CHILDREN_AND_ADULTS = ["child-9-13", "teen-14-18", "adult", "pregnancy", "lactation"]


def _ref(nutrient: str, kind: str, market: str, population: str, amount: str | None, source: str, **extra: Any) -> dict[str, Any]:
    return {
        "nutrient": nutrient,
        "kind": kind,
        "market": market,
        "population": population,
        "amount_mg": Decimal(amount) if amount is not None else None,
        # A Daily Value's amounts on a label round to its level of significance, which is in how the CFR writes it
        # ("2.0 mg": tenths): the amount column keeps four places, so "2.0" would come back as 2.
        "label_significance": _written_step(amount) if kind == "DV" and amount is not None else None,
        "source_citation": source,
        **extra,
    }


def _written_step(amount: str) -> Decimal:
    """The step of a number as written: "420" → 1, "2.0" → 0.1."""
    exponent = Decimal(amount).as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(min(exponent, 0))


def reference_values() -> list[dict[str, Any]]:
    """Every reference value from regulatory.md (and vitamin B6), each with its source."""
    sup = {"covers": "supplemental"}
    rows: list[dict[str, Any]] = []
    # Upper limits for supplemental magnesium.
    for market, source, url in (("US", IOM_2006, IOM_URL), ("CA", IOM_2006 + " (adopted by Health Canada)", IOM_URL)):
        rows.append(_ref("magnesium", "UL", market, "infant", None, source, source_url=url, **sup, food_only=True,
                         notes="Not determinable: food and formula only."))
        rows.append(_ref("magnesium", "UL", market, "child-1-3", "65", source, source_url=url, **sup))
        rows.append(_ref("magnesium", "UL", market, "child-4-8", "110", source, source_url=url, **sup))
        for population in _ALL_CHILDREN_AND_ADULTS:
            rows.append(_ref("magnesium", "UL", market, population, "350", source, source_url=url, **sup,
                             qualifier="9 years and older"))
    for population, amount in (("child-1-3", "65"), ("child-4-8", "110")) + tuple((p, "350") for p in _ALL_CHILDREN_AND_ADULTS):
        rows.append(_ref("magnesium", "UL", "AU-NZ", population, amount,
                         "TGA laxative warning thresholds for inorganic Mg salts (matches IOM)", **sup,
                         notes="Primary NRV text not retrieved; values match IOM."))
    rows.append(_ref("magnesium", "UL", "EU", "child-1-3", None, SCF_2001, source_url=EFSA_UL_URL, **sup,
                     notes="None set: insufficient data."))
    for population in ["child-4-8", *_ALL_CHILDREN_AND_ADULTS]:
        rows.append(_ref("magnesium", "UL", "EU", population, "250", SCF_2001, source_url=EFSA_UL_URL, **sup,
                         qualifier="4 years and older",
                         notes="Readily dissociable salts and MgO in supplements, water and added to foods; "
                         "SCF assumed intake spread over two or more occasions a day."))
    # For adults, pregnant and lactating women among them: the rule names no population it spares, and without these
    # a prenatal design for Germany read "no upper limit recorded" and took 240 mg in one dose.
    for population in ("adult", "pregnancy", "lactation"):
        rows.append(_ref("magnesium", "MAX", "DE", population, "250", "BfR 2017, maximum levels for magnesium in food "
                         "supplements", source_url=BFR_2017_URL, **sup,
                         notes="Recommended maximum from supplements, split into at least two doses."))
        # The BfR sets no per-dose figure: the source says so, not only the notes, as the source is what pages show.
        rows.append(_ref("magnesium", "MAX", "DE", population, "125", "Derived from BfR 2017: 250 mg/day in at least "
                         "two doses", per="dose", source_url=BFR_2017_URL, **sup, qualifier="250 mg/day in at least two doses",
                         notes="Derived: the BfR splits its 250 mg/day over at least two doses, so one dose above "
                         "125 mg breaks the rule."))
    rows.append(_ref("magnesium", "MAX", "CA", "adult", "500", "Health Canada NHP monograph: Magnesium", **sup,
                     notes="Higher than the IOM UL (350 mg); children's maxima follow the UL."))
    # Label reference values.
    for population in ["child-4-8", "child-9-13", "teen-14-18", "adult"]:
        rows.append(_ref("magnesium", "DV", "US", population, "420", CFR_DV, source_url=CFR_URL,
                         qualifier="adults and children 4 years and older", effective_date=datetime.date(2016, 7, 26),
                         notes="Was 400 mg before the 2016 rule."))
    rows.append(_ref("magnesium", "DV", "US", "child-1-3", "80", CFR_DV, source_url=CFR_URL, effective_date=datetime.date(2016, 7, 26)))
    rows.append(_ref("magnesium", "DV", "US", "infant", "75", CFR_DV, source_url=CFR_URL, effective_date=datetime.date(2016, 7, 26)))
    for population in ("pregnancy", "lactation"):
        rows.append(_ref("magnesium", "DV", "US", population, "400", CFR_DV, source_url=CFR_URL, effective_date=datetime.date(2016, 7, 26)))
    for population in ["child-4-8", "child-9-13", "teen-14-18", "adult", "pregnancy", "lactation"]:
        rows.append(_ref("magnesium", "NRV", "EU", population, "375", EU_NRV, source_url=EU_NRV_URL,
                         notes="One labelling reference for the general population."))
    # Recommended intakes (total intake, by sex where they differ).
    iom_rda = [
        ("child-1-3", "any", "80", ""), ("child-4-8", "any", "130", ""), ("child-9-13", "any", "240", ""),
        ("teen-14-18", "male", "410", ""), ("teen-14-18", "female", "360", ""),
        ("adult", "male", "420", "31 years and older; 400 mg at 19-30"),
        ("adult", "female", "320", "31 years and older; 310 mg at 19-30"),
        ("pregnancy", "female", "350", "19-30 years; 400 mg at 18 or under, 360 mg at 31-50"),
        ("lactation", "female", "310", "19-30 years; 360 mg at 18 or under, 320 mg at 31-50"),
    ]
    for population, sex, amount, qualifier in iom_rda:
        for market in ("US", "CA"):
            rows.append(_ref("magnesium", "RDA", market, population, amount, IOM_2006, source_url=IOM_URL,
                             sex=sex, qualifier=qualifier))
    # Canada's too, as its RDAs are the IOM's: a Canadian infant design had no intake reference.
    for market in ("US", "CA"):
        rows.append(_ref("magnesium", "AI", market, "infant", "75", IOM_2006, source_url=IOM_URL,
                         qualifier="7-12 months; 30 mg at 0-6"))
    efsa_ai = [
        ("adult", "male", "350"), ("adult", "female", "300"), ("pregnancy", "female", "300"), ("lactation", "female", "300"),
        ("infant", "any", "80"), ("child-1-3", "any", "170"), ("child-4-8", "any", "230"),
        ("teen-14-18", "male", "300"), ("teen-14-18", "female", "250"),
        # EFSA's bands (3 to under 10, 10 to under 18) split this one: most of it is 10-13, and its qualifier says what
        # holds at 9, as the B6 limits below say the rest of a band they span. Without it a 9-13 design had no EU AI.
        ("child-9-13", "male", "300"), ("child-9-13", "female", "250"),
    ]
    for population, sex, amount in efsa_ai:
        qualifier = {"infant": "7-11 months", "child-1-3": "1 to under 3 years", "child-4-8": "3 to under 10 years",
                     "child-9-13": "10-13 years; 230 mg at 9 years", "teen-14-18": "10 to under 18 years"}.get(population, "")
        rows.append(_ref("magnesium", "AI", "EU", population, amount, EFSA_DRV, source_url=EFSA_DRV_URL, sex=sex,
                         qualifier=qualifier))
    # Vitamin B6, so the engine is exercised beyond magnesium.
    rows += [
        _ref("vitamin-b6", "DV", "US", "adult", "1.7", CFR_DV, source_url=CFR_URL, effective_date=datetime.date(2016, 7, 26)),
        _ref("vitamin-b6", "NRV", "EU", "adult", "1.4", EU_NRV, source_url=EU_NRV_URL),
        _ref("vitamin-b6", "UL", "US", "adult", "100", IOM_B6, notes="All sources."),
        _ref("vitamin-b6", "UL", "EU", "adult", "12", EFSA_B6, notes="All sources; replaces the SCF 2000 value of 25 mg."),
    ]
    # The label references of the other populations: without them a prenatal or children's label would say B6 has
    # no Daily Value (a dagger) and no NRV. The CFR sets 2.0 mg for pregnant and lactating women, 0.5 mg at 1-3
    # years, 0.3 mg for infants; the EU's NRV is one labelling reference for all, as magnesium's above.
    rows += [
        _ref("vitamin-b6", "DV", "US", population, amount, CFR_DV, source_url=CFR_URL, effective_date=datetime.date(2016, 7, 26))
        for population, amount in (("infant", "0.3"), ("child-1-3", "0.5"), ("child-4-8", "1.7"), ("child-9-13", "1.7"),
                                   ("teen-14-18", "1.7"), ("pregnancy", "2.0"), ("lactation", "2.0"))
    ]
    rows += [
        _ref("vitamin-b6", "NRV", "EU", population, "1.4", EU_NRV, source_url=EU_NRV_URL,
             notes="One labelling reference for the general population.")
        for population in ("child-4-8", "child-9-13", "teen-14-18", "pregnancy", "lactation")
    ]
    # Children's limits, without which a children's design would read "no limit recorded" for B6. The IOM's bands
    # are the app's; for infants it sets none and says intake should come from food and formula only. EFSA scales its
    # adult 12 mg by body weight to age bands that differ from the app's: each band takes the lowest limit it spans, and
    # its qualifier says at which of the band's ages that limit holds and what holds at the others.
    # Not determinable, so no total-intake figure: what it rules out is any supplemental B6, as for magnesium above.
    rows.append(_ref("vitamin-b6", "UL", "US", "infant", None, IOM_B6, food_only=True, covers="supplemental",
                     notes="Not determinable: food and formula only."))
    rows += [_ref("vitamin-b6", "UL", "US", population, amount, IOM_B6, notes="All sources.")
             for population, amount in (("child-1-3", "30"), ("child-4-8", "40"), ("child-9-13", "60"), ("teen-14-18", "80"))]
    rows += [
        _ref("vitamin-b6", "UL", "EU", population, amount, EFSA_B6, qualifier=qualifier,
             notes="All sources; scaled from the adult UL by body weight.")
        for population, amount, qualifier in (
            ("infant", "2.2", "4-6 months; 2.5 mg at 7-11 months; none set under 4 months"),
            ("child-1-3", "3.2", "1-3 years"),
            ("child-4-8", "4.5", "4-6 years; 6.1 mg at 7-8 years"),
            ("child-9-13", "6.1", "9-10 years; 8.6 mg at 11-13 years"),
            ("teen-14-18", "8.6", "14 years; 10.7 mg at 15-17 years, 12 mg at 18"),
        )
    ]
    # The same sources set these limits for pregnancy and lactation: without them a prenatal design would read
    # "no limit" for B6.
    for population in ("pregnancy", "lactation"):
        rows += [
            _ref("vitamin-b6", "UL", "US", population, "100", IOM_B6,
                 qualifier="19 years and older; 80 mg at 18 or under", notes="All sources."),
            _ref("vitamin-b6", "UL", "EU", population, "12", EFSA_B6, notes="All sources; applies to pregnant and lactating women."),
        ]
    # Canada's are the IOM's, which Health Canada adopts, as for magnesium above: without them a design for Canada
    # read "no upper limit recorded" for B6.
    rows += [{**row, "market": "CA", "source_citation": IOM_B6_CANADA} for row in rows
             if (row["nutrient"], row["kind"], row["market"]) == ("vitamin-b6", "UL", "US")]
    for row in rows:  # the vitamin B6 limits link their sources, as magnesium's do
        if row["source_citation"] in B6_SOURCE_URLS:
            row["source_url"] = B6_SOURCE_URLS[row["source_citation"]]
    return rows


def _physical(slug: str) -> dict[str, Any]:
    """A compound's planning density and price, saved with it: set by an update(), they were in no history record, and
    a curator's first save of the compound was recorded as having set them."""
    if slug not in PHYSICAL:
        return {}
    density, price = PHYSICAL[slug]
    return {"bulk_density_g_per_ml": Decimal(density), "bulk_density_source": TYPICAL_DENSITY,
            "cost_per_kg": Decimal(price), "cost_source": INDICATIVE_COST}


CREATED, UPDATED, UNCHANGED, KEPT = "created", "updated", "unchanged", "kept"


def seed_row(model: type[models.Model], defaults: dict[str, Any], recreate: bool = True, **keys: Any) -> tuple[Any, str]:
    """Create a seed row, or bring one up to date with the seed; return it and what was done.

    A row a person has changed since (edited_by_person) is kept as they left it: a second `make run` put the seed's
    values back over a curator's edit. One a person deleted, or moved to other keys, is not made again where recreate
    is False (a limit or a study: made again, it stood beside the curator's). A row that already says what the seed
    says is not saved again, which would add a history record each time.
    """
    row = model.objects.filter(**keys).first()
    if row is None:
        if not recreate:
            # The rows that once had these keys, deleted or moved to others since: by a person, they stay so.
            history = model.history  # type: ignore[attr-defined]
            once = history.filter(**keys).values_list("id", flat=True)
            if history.filter(id__in=list(once), history_user__isnull=False).exists():
                return None, KEPT
        return model.objects.create(**{**defaults, **keys}), CREATED
    if edited_by_person(row):
        return row, KEPT
    changed = [name for name, value in defaults.items() if getattr(row, name) != value]
    if not changed:
        return row, UNCHANGED
    for name in changed:
        setattr(row, name, defaults[name])
    row.save()
    return row, UPDATED


def edited_by_person(row: models.Model) -> bool:
    """Whether a person (a history record with a user: the admin, an import) has changed the row: made it, or changed
    a field of it. The admin's Save with nothing changed records a version that changes nothing, which is no edit."""
    records = list(row.history.order_by("history_date", "history_id"))  # type: ignore[attr-defined]
    for previous, record in zip([None, *records], records, strict=False):
        if record.history_user_id is None:
            continue
        if previous is None or record.history_type != "~" or record.diff_against(previous).changes:
            return True
    return False


@transaction.atomic
def library_load() -> dict[str, int]:
    """Create or update the seed library; return how many rows of each kind it touched."""
    nutrients = {}
    for data in NUTRIENTS:
        nutrients[data["slug"]], _ = seed_row(Nutrient, data, slug=data["slug"])
    magnesium = nutrients["magnesium"]
    compounds = 0
    for slug, name, formula, form_class, synonyms, seed_says in MAGNESIUM_FORMS:
        notes = f"Source: {COMPOUNDS_MD}. {seed_says}".strip()
        defaults = {"name": name, "formula": formula, "form_class": form_class, "synonyms": synonyms,
                    "label_source_name": name.split(" (")[0].lower().replace("l-", "L-"), "notes": notes}
        if slug == "magnesium-l-threonate":
            defaults.update(grade="Magtein", supplier="ThreoTech (Magtein), distributed by AIDP",
                            label_source_name="magnesium L-threonate", notes=f"{notes} {THREONATE_NOTES}")
        compound, _ = seed_row(Compound, {**defaults, **_physical(slug)}, slug=slug)
        link = {"units_per_formula": None}
        if slug == "magnesium-l-threonate":
            link.update(specified_fraction=Decimal("0.072"),
                        specified_source="Magtein specification: 2,000 mg gives 144 mg magnesium (seed 004)")
        seed_row(CompoundNutrient, link, compound=compound, nutrient=magnesium)
        if slug == "magnesium-bisglycinate":
            seed_row(CompoundNutrient, {"units_per_formula": 2}, compound=compound, nutrient=nutrients["glycine"])
        compounds += 1
    for slug, name, formula, form_class, synonyms, nutrient, units in OTHER_INGREDIENTS:
        compound, _ = seed_row(
            Compound,
            {"name": name, "formula": formula, "form_class": form_class, "synonyms": synonyms,
             "label_source_name": name.split(" (")[0].lower(),
             "notes": "Named by the seed products (seeds 000 and 004).", **_physical(slug)},
            slug=slug,
        )
        seed_row(CompoundNutrient, {"units_per_formula": units}, compound=compound, nutrient=nutrients[nutrient])
        compounds += 1
    for data in BOTANICALS:
        compound, _ = seed_row(
            Compound,
            {"name": data["name"], "formula": "", "form_class": C.OTHER, "synonyms": data["synonyms"],
             "label_source_name": data["name"].lower(), "notes": "Named by the seed products (seed 004).",
             **_physical(data["slug"])},
            slug=data["slug"],
        )
        seed_row(CompoundNutrient, {"specified_fraction": data["fraction"], "specified_source": data["source"]},
                 compound=compound, nutrient=nutrients[data["nutrient"]])
        compounds += 1
    for position, (code, volume) in enumerate(CAPSULE_SIZES):
        seed_row(CapsuleSize, {"volume_ml": Decimal(volume), "source": REGULATORY_MD, "position": position}, code=code)
    references = 0
    for data in reference_values():
        data = dict(data)
        nutrient = nutrients[data.pop("nutrient")]
        keys = {k: data.pop(k) for k in ("kind", "market", "population")}
        keys["sex"] = data.pop("sex", "any")
        keys["per"] = data.pop("per", "day")
        data.setdefault("covers", "total")
        data.setdefault("qualifier", "")
        data.setdefault("notes", "")
        data.setdefault("source_url", "")
        seed_row(ReferenceValue, data, recreate=False, nutrient=nutrient, **keys)
        references += 1
    return {"nutrients": len(nutrients), "compounds": compounds, "reference_values": references}
