"""Seed the evidence library: the studies the seed documents cite, and the monograph's interactions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from compounds.models import Compound, Market, Nutrient, Population
from compounds.seed import KEPT, seed_row
from evidence.models import Interaction, Study, StudyOutcome
from evidence.services import studies_refresh_search

MONOGRAPH = "Seed 004 (NeuroMag monograph), drug interaction and contraindication tables"

# (kind, agent, effect, severity, management); attached to the nutrient magnesium, so every form carries them.
MAGNESIUM_INTERACTIONS: list[tuple[str, str, str, str, str]] = [
    ("drug", "Bisphosphonates", "Magnesium reduces their absorption", "moderate", "Separate doses by 2 hours or more"),
    ("drug", "Quinolone and tetracycline antibiotics", "Chelation reduces antibiotic absorption", "moderate",
     "Take the antibiotic at least 2 hours before, or 4 to 6 hours after, magnesium"),
    ("drug", "Loop and thiazide diuretics", "Increase magnesium excretion", "low", "Monitor magnesium status"),
    ("drug", "Potassium-sparing diuretics (amiloride, spironolactone)", "Reduce magnesium excretion: magnesium may build up",
     "low", "Monitor magnesium status"),
    ("drug", "Proton pump inhibitors, long-term",
     "Taken for over a year, can cause low magnesium that supplements alone do not always correct", "moderate",
     "Have serum magnesium checked before and periodically during long-term use"),
    ("drug", "Muscle relaxants", "Additive muscle relaxation", "low", "Usually no action; monitor"),
    ("drug", "CNS depressants", "Additive sedation", "low", "Monitor; usually fine"),
    ("condition", "Severe renal impairment", "Reduced magnesium excretion: risk of accumulation", "high",
     "Avoid, or only under a nephrologist's supervision"),
    ("condition", "Myasthenia gravis", "Magnesium may worsen muscle weakness", "high", "Avoid"),
    ("condition", "Heart block", "Magnesium may exacerbate conduction block", "high", "Only after a cardiologist's advice"),
    ("condition", "Hypermagnesemia", "Additive magnesium load", "high", "Avoid"),
]
# Where the monograph's advice falls short: its "separate by 2+ hours" lets the antibiotic follow magnesium by 2 hours,
# where the NIH asks for 4 to 6.
NIH_ODS_MEDICATIONS = ("NIH ODS, Magnesium fact sheet for health professionals, Interactions with medications "
                       "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/")
# The monograph lists diuretics that raise magnesium excretion only, and no acid-reducing drug: the NIH's others are added.
INTERACTION_SOURCES = {"Quinolone and tetracycline antibiotics": f"{NIH_ODS_MEDICATIONS}; not seed 004's “separate by 2+ hours”",
                       "Potassium-sparing diuretics (amiloride, spironolactone)": NIH_ODS_MEDICATIONS,
                       "Proton pump inhibitors, long-term": NIH_ODS_MEDICATIONS}
# The same, for the populations each applies to: the workbench flags them when a design is for one of those. The
# EU novel food authorisation of L-threonate (Reg. (EU) 2024/2694) is for adults other than pregnant or lactating
# women: a product for those populations sold in the EU cannot be approved.
THREONATE_POPULATIONS: list[tuple[str, str, str, str, str, list[str], list[str]]] = [
    ("population", "Pregnancy and lactation", "Insufficient data (monograph); excluded by the EU novel food authorisation",
     "moderate", "Not for pregnant or lactating women in the EU (Reg. (EU) 2024/2694); elsewhere consult a provider",
     [Population.PREGNANCY, Population.LACTATION], [Market.EU]),
    ("population", "Children", "Not studied; the EU authorisation is for adults only", "moderate",
     "Adult formulation only (Reg. (EU) 2024/2694)",
     [Population.INFANT, Population.CHILD_1_3, Population.CHILD_4_8, Population.CHILD_9_13, Population.TEEN_14_18],
     [Market.EU]),
]


def _decimal(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@transaction.atomic
def interactions_load() -> int:
    magnesium = Nutrient.objects.get(slug="magnesium")
    count = 0
    for kind, agent, effect, severity, management in MAGNESIUM_INTERACTIONS:
        seed_row(Interaction, {"kind": kind, "effect": effect, "severity": severity, "management": management,
                               "source": INTERACTION_SOURCES.get(agent, MONOGRAPH)},
                 recreate=False, nutrient=magnesium, compound=None, agent=agent)
        count += 1
    threonate = Compound.objects.filter(slug="magnesium-l-threonate").first()
    if threonate:
        for kind, agent, effect, severity, management, populations, excluded_in in THREONATE_POPULATIONS:
            seed_row(Interaction, {"kind": kind, "effect": effect, "severity": severity, "management": management,
                                   "source": "Seed 004 special populations table; Reg. (EU) 2024/2694",
                                   "populations": [str(p) for p in populations],
                                   "excluded_in": [str(m) for m in excluded_in]},
                     recreate=False, compound=threonate, nutrient=None, agent=agent)
            count += 1
    return count


@transaction.atomic
def studies_load(studies: list[dict[str, Any]] | None = None) -> int:
    """Create or update the seed studies with their compounds and outcomes; idempotent by key."""
    if studies is None:
        from evidence.seed_studies import STUDIES

        studies = STUDIES
    compounds = {c.slug: c for c in Compound.objects.all()}
    for data in studies:
        fields = {
            "authors": data["authors"], "year": data["year"], "title": data["title"][:500], "journal": data["journal"],
            "doi": data["doi"], "pmid": data["pmid"], "design": data["design"], "population": data["population"][:300],
            "n": data["n"], "form_studied": data["form_studied"][:200], "duration": data["duration"][:100],
            "dose_compound_mg_min": _decimal(data["dose_compound_mg_min"]),
            "dose_compound_mg_max": _decimal(data["dose_compound_mg_max"]),
            "dose_elemental_mg_min": _decimal(data["dose_elemental_mg_min"]),
            "dose_elemental_mg_max": _decimal(data["dose_elemental_mg_max"]),
            "funding": data["funding"][:300], "verification": data["verification"], "seed_file": data["seed_file"],
            "seed_claim": data["seed_claim"], "seed_misquotes": data.get("seed_misquotes", False),
            "curator_notes": data["curator_notes"],
        }
        study, done = seed_row(Study, fields, recreate=False, key=data["key"])
        if study is None:  # a curator deleted it, or gave it another key
            continue
        # A curator's entry now keeps its compounds and outcomes too; its search text follows the compounds' names.
        if done != KEPT and not StudyOutcome.history.filter(study_id=study.pk, history_user__isnull=False).exists():
            studied = [compounds[slug] for slug in data["compounds"] if slug in compounds]
            if {c.pk for c in study.compounds.all()} != {c.pk for c in studied}:
                study.compounds.set(studied)
            outcomes = [(o["outcome"], o["direction"], o["effect"][:400]) for o in data["outcomes"]]
            if sorted(study.outcomes.values_list("outcome", "direction", "effect")) != sorted(outcomes):
                study.outcomes.all().delete()
                StudyOutcome.objects.bulk_create(
                    StudyOutcome(study=study, outcome=outcome, direction=direction, effect=effect)
                    for outcome, direction, effect in outcomes
                )
    studies_refresh_search(Study.objects.filter(key__in=[d["key"] for d in studies]))
    return len(studies)
