"""Benchmark the admin's import preview of each importable resource at several file sizes.

Creates a throwaway SQLite database (migrate + load_seed, as bench/run.py does), adds the compounds and nutrients the
generated files refer to, then, in-process, signs in as the demo curator and POSTs CSV files of new rows to each model
admin's import page through django.test.Client: the dry run a curator sees before confirming. Prints the median time
of a preview, its time per row and its SQL queries, per resource and size; sizes above a resource's row limit are left
out (a curator's file is refused there).

    .venv/bin/python bench/imports.py                 # or: --rows 50 200 500 --repeats 5 --resource compounds
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import django_setup, prepare_database, sqlite_env  # noqa: E402

BENCH_DB = ROOT / "var" / "bench-imports.sqlite3"
ENV = sqlite_env(BENCH_DB)
SIZES = (50, 200, 500)
MOST_ROWS = 500  # the largest file a preview takes (compounds.resources.IMPORT_MAX_ROWS)


def compound_rows(n: int) -> list[dict[str, Any]]:
    """n new magnesium salts of fatty acids, each of a formula of its own (no count with a zero, which is said)."""
    formulas = [f"Mg(C{c}H{2 * c - 1}O{o})2" + (f"·{water}H2O" if water else "") for water in range(10) for o in (2, 3, 4)
                for c in range(2, 50) if "0" not in f"{c}{2 * c - 1}"][:n]
    return [{"slug": f"bench-salt-{i}", "name": f"Bench salt {i}", "synonyms": "", "formula": formula,
             "form_class": "organic-salt", "label_source_name": "", "bulk_density_g_per_ml": "0.9",
             "bulk_density_source": "Bench", "cost_per_kg": "6", "cost_source": "Bench", "grade": "", "supplier": "",
             "notes": ""} for i, formula in enumerate(formulas)]


def link_rows(n: int) -> list[dict[str, Any]]:
    """n supplier fractions, each of an extract (no formula) the benchmark adds."""
    return [{"compound": f"bench-extract-{i}", "nutrient": "l-theanine", "units_per_formula": "",
             "specified_fraction": "0.2", "specified_source": "Bench specification", "specified_url": ""}
            for i in range(n)]


def reference_rows(n: int) -> list[dict[str, Any]]:
    """n upper limits, each of a nutrient the benchmark adds."""
    return [{"nutrient": f"bench-nutrient-{i}", "kind": "UL", "market": "US", "population": "adult", "sex": "any",
             "per": "day", "qualifier": "", "amount_mg": "100", "label_significance": "", "covers": "total",
             "food_only": "0", "source_citation": "Bench source", "source_url": "", "effective_date": "", "notes": ""}
            for i in range(n)]


def study_rows(n: int) -> list[dict[str, Any]]:
    """n new trials of magnesium oxide with doses and an outcome."""
    outcomes = '[{"outcome": "sleep-quality", "direction": "benefit", "effect": "Bench"}]'
    return [{"key": f"bench-{i}", "authors": "Bench A", "year": "2020", "title": f"Bench trial {i}", "journal": "Bench",
             "doi": "", "pmid": "", "design": "rct", "population": "Adults", "n": "40", "compounds": "magnesium-oxide",
             "form_studied": "", "dose_compound_mg_min": "500", "dose_compound_mg_max": "",
             "dose_elemental_mg_min": "300", "dose_elemental_mg_max": "", "duration": "8 weeks", "funding": "",
             "verification": "as-cited", "seed_file": "", "seed_claim": "", "seed_misquotes": "0", "curator_notes": "",
             "outcomes": outcomes} for i in range(n)]


def interaction_rows(n: int) -> list[dict[str, Any]]:
    """n drug interactions of magnesium oxide, each with an agent of its own."""
    return [{"kind": "drug", "compound": "magnesium-oxide", "nutrient": "", "agent": f"Bench drug {i}",
             "effect": "Bench effect", "severity": "moderate", "management": "Separate doses", "source": "Bench",
             "populations": "", "excluded_in": ""} for i in range(n)]


def extracts_add(n: int) -> None:
    """The extracts (no formula: nothing links them) a file of supplier fractions names."""
    from compounds.models import Compound

    Compound.objects.bulk_create(Compound(slug=f"bench-extract-{i}", name=f"Bench extract {i}", formula="")
                                 for i in range(n))


def nutrients_add(n: int) -> None:
    """The nutrients (no formula) a file of upper limits names."""
    from compounds.models import Nutrient

    Nutrient.objects.bulk_create(Nutrient(slug=f"bench-nutrient-{i}", name=f"Bench nutrient {i}", formula="",
                                          label_order=100 + i, label_unit="mg") for i in range(n))


def cases() -> list[tuple[str, str, Any, Callable[[int], list[dict[str, Any]]], Callable[[int], None] | None]]:
    """Each resource: its name, its import page, its class (for its row limit), the rows of a file of it, and what the
    library needs added for those rows (added just before, so that the compounds' previews meet the seed's library)."""
    from compounds.resources import CompoundNutrientResource, CompoundResource, ReferenceValueResource
    from evidence.resources import InteractionResource, StudyResource

    return [
        ("compounds", "/admin/compounds/compound/import/", CompoundResource, compound_rows, None),
        ("nutrient links", "/admin/compounds/compoundnutrient/import/", CompoundNutrientResource, link_rows, extracts_add),
        ("reference values", "/admin/compounds/referencevalue/import/", ReferenceValueResource, reference_rows,
         nutrients_add),
        ("studies", "/admin/evidence/study/import/", StudyResource, study_rows, None),
        ("interactions", "/admin/evidence/interaction/import/", InteractionResource, interaction_rows, None),
    ]


def csv_file(rows: list[dict[str, Any]]) -> bytes:
    import tablib

    return tablib.Dataset(*[list(row.values()) for row in rows], headers=list(rows[0])).export("csv").encode()


def preview(client: Any, url: str, content: bytes) -> Any:
    """POST a CSV file to an import page, as the admin's form sends it, and check the preview shows every row new."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("rows.csv", content, content_type="text/csv")
    response = client.post(url, {"import_file": upload, "format": "0", "resource": "0"})
    result = response.context["result"] if response.status_code == 200 and response.context else None
    if result is None or result.has_errors() or result.has_validation_errors():
        raise RuntimeError(f"{url}: the preview refused the file ({response.status_code})")
    return result


def measure(sizes: list[int], repeats: int, only: list[str]) -> list[tuple[str, int, float, int]]:
    """Each resource's previews: (resource, rows, median ms, SQL queries)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the response's context, to check what the preview said
    client = Client()
    client.force_login(get_user_model().objects.get(username="curator"))
    results = []
    for name, url, resource, rows, prepare in cases():
        if only and name not in only:
            continue
        limit = resource.import_max_rows  # a study file's is lower
        if prepare is not None:
            prepare(max(sizes))
        for n in sizes:
            if n > limit:
                continue
            content = csv_file(rows(n))
            queries = []
            # Counted as they run: the connection's log keeps only the last 9,000, fewer than a large file's.
            with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
                result = preview(client, url, content)
            if result.totals["new"] != n:
                raise RuntimeError(f"{name}: {result.totals['new']} of {n} rows previewed as new")
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                preview(client, url, content)
                times.append((time.perf_counter() - start) * 1000)
            results.append((name, n, statistics.median(times), len(queries)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=list(SIZES), help="rows per file (bounded: 1 to 500)")
    parser.add_argument("--repeats", type=int, default=3, help="timed previews per case (bounded: 1 to 20)")
    parser.add_argument("--resource", action="append", default=[], help="only this resource (repeatable), as named "
                        "in the results: compounds, \"nutrient links\", \"reference values\", studies, interactions")
    args = parser.parse_args()
    sizes = sorted({max(1, min(n, MOST_ROWS)) for n in args.rows})
    repeats = max(1, min(args.repeats, 20))
    prepare_database(ENV, BENCH_DB)
    django_setup(ENV)
    print(f"Import previews (dry run) as the curator, in-process, median of {repeats}; SQLite, DEBUG off\n")
    print("| resource | rows | median ms | ms per row | SQL queries | queries per row |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, n, median, queries in measure(sizes, repeats, args.resource):
        print(f"| {name} | {n} | {median:.0f} | {median / n:.2f} | {queries} | {queries / n:.1f} |")


if __name__ == "__main__":
    main()
