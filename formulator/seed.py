"""The seed products and stack from shared/seeds/, loaded idempotently.

Where a seed document states an elemental target (Luna: 150 mg magnesium; MoodFlow: 240 mg a day)
the compound mass is solved by the engine from the formula, not typed.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from compounds.models import Compound
from compounds.selectors import compound_contributions
from formulator import engine
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, Team
from formulator.models import Product, ProductLine, Stack, StackItem

DEMO_TEAM = ("NTRPX Labs", "ntrpx-labs")
DEMO_PASSWORD = "magnesium-demo-2026"
# One account per role in the demo team, all with DEMO_PASSWORD (the README lists them).
DEMO_ACCOUNTS = [
    ("demo", Role.ADMIN),
    ("viewer", Role.VIEWER),
    ("formulator", Role.FORMULATOR),
    ("curator", Role.CURATOR),
]


def _solve(compound_slug: str, target_mg: str, nutrient: str = "magnesium") -> Decimal:
    """Compound mass (mg, rounded up to 0.1 mg) that delivers a target, from the library's fraction."""
    compound = Compound.objects.prefetch_related("contributions__nutrient").get(slug=compound_slug)
    fraction = next(c.fraction for c in compound_contributions(compound) if c.nutrient == nutrient)
    mass = engine.compound_mass_for_target(Decimal(target_mg), fraction, nutrient)
    return mass.quantize(Decimal("0.1"), rounding=ROUND_CEILING)


def products() -> list[dict[str, Any]]:
    return [
        {
            "slug": "recover",
            "other_ingredients": "Hypromellose (vegetable capsule)",
            "name": "Recover",
            "brand": "NTRPX",
            "dosage_form": "capsule",
            "capsule_size": "00",
            "serving_size": 2,
            "servings_per_day": Decimal(1),
            "servings_per_container": 30,
            "timing": "evening",
            "markets": ["US", "EU"],
            "claims": "sleep, cognition, anxiety",
            "notes": "Seed 004 (NeuroMag monograph): 2,000 mg Magtein-grade magnesium L-threonate in two size 00 "
            "capsules, 144 mg magnesium. The monograph states 7.2% Mg with MW 294.5, which by formula gives 8.25%: "
            "the 7.2% is the Magtein specification, and it is what this product uses. The 2024 sleep RCT "
            "(Hausenblas) used 1,000 mg; the monograph doubles it.",
            "lines": [("magnesium-l-threonate", Decimal(2000), "mg")],
        },
        {
            "slug": "luna",
            "other_ingredients": "",  # the seeds do not say what else the drink holds
            "name": "Luna",
            "brand": "NTRPX",
            "dosage_form": "drink",
            "capsule_size": "",
            "serving_size": 1,
            "servings_per_day": Decimal(1),
            "servings_per_container": 14,
            "timing": "evening",
            "markets": ["US", "EU"],
            "claims": "sleep, muscle relaxation",
            "notes": "Seed 004: magnesium citrate for peripheral effects plus glycine. The seed gives "
            "“100-150 mg Mg”; this design takes 150 mg from anhydrous trimagnesium dicitrate (mass solved from the "
            "formula). Glycine 3 g follows the dose studied by Yamadera 2007.",
            "lines": [("trimagnesium-dicitrate", _solve("trimagnesium-dicitrate", "150"), "mg"), ("glycine", Decimal(3), "g")],
        },
        {
            "slug": "moodflow",
            "other_ingredients": "Hypromellose (vegetable capsule), microcrystalline cellulose",
            "name": "MoodFlow",
            "brand": "Keyora",
            "dosage_form": "capsule",
            "capsule_size": "00",
            "serving_size": 2,
            "servings_per_day": Decimal(2),
            "servings_per_container": 30,
            "timing": "evening",
            "markets": ["US", "EU"],
            "claims": "anxiety, mood, sleep",
            "notes": "Seed 000: 240 mg elemental magnesium a day from magnesium glycinate. The seed gives no serving "
            "size; this design gives it as 120 mg a serving, two servings a day. The seed says the UL is 350 mg/day "
            "for “EFSA & NIH”: EFSA's UL is 250 mg/day, so 240 mg is near the EU limit, not “well below” it. "
            "L-theanine and vitamin B6 are the pairings the seed names; their amounts are this design's.",
            "lines": [
                ("magnesium-bisglycinate", _solve("magnesium-bisglycinate", "120"), "mg"),
                ("l-theanine", Decimal(100), "mg"),
                ("pyridoxine-hydrochloride", Decimal(6), "mg"),
            ],
        },
        {
            "slug": "magtech-complex",
            "other_ingredients": "Hypromellose (vegetable capsule)",
            "name": "MagTech Magnesium Complex",
            "brand": "Natural Stacks",
            "dosage_form": "capsule",
            "capsule_size": "00",
            "serving_size": 3,
            "servings_per_day": Decimal(1),
            "servings_per_container": 30,
            "timing": "evening",
            "markets": ["US"],
            "claims": "cognition, sleep",
            "notes": "Seed 003 names three forms (L-threonate, taurate, glycinate) and no amounts: these amounts are "
            "a design assumption. The seed calls the product “100% chelated”: magnesium L-threonate and taurate are "
            "organic salts in this library, not amino-acid chelates.",
            "lines": [
                ("magnesium-l-threonate", Decimal(1000), "mg"),
                ("magnesium-taurate", Decimal(250), "mg"),
                ("magnesium-bisglycinate", Decimal(350), "mg"),
            ],
        },
        {
            "slug": "boost",
            "other_ingredients": "Hypromellose (vegetable capsule)",
            "name": "Boost",
            "brand": "NTRPX",
            "dosage_form": "capsule",
            "capsule_size": "0",
            "serving_size": 1,
            "servings_per_day": Decimal(1),
            "servings_per_container": 30,
            "timing": "morning",
            "markets": ["US", "EU"],
            "claims": "focus",
            "notes": "Seed 004 says Boost carries no magnesium and gives no composition: a placeholder design.",
            "lines": [("l-theanine", Decimal(200), "mg")],
        },
        {
            "slug": "sustain",
            "other_ingredients": "Hypromellose (vegetable capsule)",
            "name": "Sustain",
            "brand": "NTRPX",
            "dosage_form": "capsule",
            "capsule_size": "0",
            "serving_size": 1,
            "servings_per_day": Decimal(1),
            "servings_per_container": 30,
            "timing": "afternoon",
            "markets": ["US", "EU"],
            "claims": "stress",
            "notes": "Seed 004 says Sustain carries no magnesium and gives no composition: a placeholder design.",
            "lines": [("ashwagandha-root-extract", Decimal(300), "mg")],
        },
    ]


STACKS: list[dict[str, Any]] = [
    {
        "slug": "ntrpx-daily",
        "name": "NTRPX Daily",
        "markets": ["US", "EU"],
        "notes": "Seed 004: Recover and Luna in the evening, Boost in the morning, Sustain in the afternoon. The "
        "seed says the total (“~250-300mg”) “remains well within safe limits”: it is over the EU UL of 250 mg.",
        "items": [("recover", "evening"), ("luna", "evening"), ("boost", "morning"), ("sustain", "afternoon")],
    }
]


@transaction.atomic
def products_load() -> dict[str, int]:
    """Create or update the seed products and stacks; lines are replaced to match the seed."""
    compounds = {c.slug: c for c in Compound.objects.all()}
    team, _ = Team.objects.get_or_create(slug=DEMO_TEAM[1], defaults={"name": DEMO_TEAM[0]})
    loaded = {}
    for data in products():
        data = dict(data)
        lines = data.pop("lines")
        product, created = Product.objects.get_or_create(slug=data.pop("slug"), defaults={**data, "team": team})
        if not created:
            continue  # a seed never overwrites what people have since changed
        bulk_create_with_history(
            [ProductLine(product=product, compound=compounds[slug], amount=amount, unit=unit, position=index)
             for index, (slug, amount, unit) in enumerate(lines)],
            ProductLine,
        )
    seeded = Product.objects.filter(slug__in=[d["slug"] for d in products()])
    seeded.filter(team__isnull=True).update(team=team)  # databases made before teams existed
    loaded = {p.slug: p for p in seeded}
    for data in STACKS:
        data = dict(data)
        items = data.pop("items")
        stack, created = Stack.objects.get_or_create(slug=data.pop("slug"), defaults={**data, "team": team})
        if not created:
            Stack.objects.filter(pk=stack.pk, team__isnull=True).update(team=team)
            continue
        bulk_create_with_history(
            [StackItem(stack=stack, product=loaded[slug], timing=timing, position=index)
             for index, (slug, timing) in enumerate(items)],
            StackItem,
        )
    return {"products": len(loaded), "stacks": len(STACKS)}


def demo_users_ensure() -> None:
    """Create the demo team's accounts, one per role, as the README states (or reset their passwords)."""
    from accounts.services import membership_set

    team, _ = Team.objects.get_or_create(slug=DEMO_TEAM[1], defaults={"name": DEMO_TEAM[0]})
    user_model = get_user_model()
    for username, role in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
        user.set_password(DEMO_PASSWORD)
        user.save()
        membership_set(user, team, role)
