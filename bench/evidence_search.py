"""Benchmark evidence search over 50,000 generated studies, on PostgreSQL (GIN index) and SQLite.

Creates a throwaway database per engine, loads the seed library, bulk-creates generated studies with
outcomes, then times searches in-process: the query alone (first page of 50 and the count), and the whole
HTMX request to /evidence/. Prints median and p95 per case.

    .venv/bin/python bench/evidence_search.py --entries 50000 --searches 200
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import summary  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "formulator_bench_evidence"

WORDS = ("magnesium sleep anxiety depression cognition memory migraine cramps pressure serum brain absorption "
         "tolerance fatigue randomised trial adults elderly students women men placebo controlled crossover "
         "threonate glycinate citrate oxide taurate malate chloride insomnia stress mood quality latency").split()
QUERIES = ["magnesium sleep", "threonate cognition", "glycinate anxiety", "migraine", "placebo adults memory",
           "serum absorption oxide", "insomnia elderly", "stress students", "blood pressure", "citrate cramps"]


def generate(entries: int) -> None:
    from compounds.models import Compound
    from evidence.models import Design, Outcome, Study, StudyOutcome

    rng = random.Random(7)
    compounds = list(Compound.objects.all())
    designs = [d for d, _ in Design.choices]
    outcomes = [o for o, _ in Outcome.choices]
    batch = 5000
    for start in range(0, entries, batch):
        studies = []
        for i in range(start, min(entries, start + batch)):
            title = " ".join(rng.choice(WORDS) for _ in range(10)).capitalize()
            population = f"{rng.randint(10, 900)} {rng.choice(['adults', 'elderly', 'students', 'women', 'men'])}"
            studies.append(Study(
                key=f"gen-{i}", authors=f"Author{i} A, Other B", year=rng.randint(1980, 2025), title=title,
                journal="Generated Journal", design=rng.choice(designs), population=population, n=rng.randint(10, 900),
                search_document=f"Author{i} {title} {population}",
            ))
        created = Study.objects.bulk_create(studies)
        through = Study.compounds.through
        through.objects.bulk_create(through(study_id=s.pk, compound_id=rng.choice(compounds).pk) for s in created)
        StudyOutcome.objects.bulk_create(
            StudyOutcome(study=s, outcome=rng.choice(outcomes), direction="benefit") for s in created
        )
    from evidence.services import studies_refresh_vectors

    studies_refresh_vectors(Study.objects.filter(key__startswith="gen-"))
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # autovacuum would do this on a live database
            cursor.execute("ANALYZE evidence_study")


def measure(searches: int) -> list[tuple[str, float, float]]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from evidence.selectors import study_search

    from django.contrib.auth import get_user_model

    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username="viewer"))
    rng = random.Random(11)
    cases: dict[str, list[float]] = {"query: first 50 + count": [], "HTMX request /evidence/?q=…": [],
                                      "query with compound + outcome filters": []}
    for _ in range(searches):
        q = rng.choice(QUERIES)
        start = time.perf_counter()
        results = study_search(q)
        list(results[:50])
        results.count()
        cases["query: first 50 + count"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        list(study_search(q, compound="magnesium-l-threonate", outcome="sleep-quality")[:50])
        cases["query with compound + outcome filters"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        response = client.get("/evidence/", {"q": q}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        cases["HTMX request /evidence/?q=…"].append((time.perf_counter() - start) * 1000)
    return [(name, *summary(s)) for name, s in cases.items()]


def run_engine(label: str, url: str, entries: int, searches: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "formulator.settings"}
    script = (
        "import sys, json; sys.path.insert(0, %r); import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "call_command('load_seed', verbosity=0);"
        "import bench.evidence_search as b; b.generate(%d); print(json.dumps(b.measure(%d)))"
    ) % (str(ROOT), entries, searches)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    import json

    print(f"\n{label}, {entries:,} generated entries + the seed, {searches} searches\n")
    print("| case | median ms | p95 ms |\n|---|---:|---:|")
    for name, median, p95 in json.loads(out.stdout.strip().splitlines()[-1]):
        print(f"| {name} | {median:.2f} | {p95:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    entries, searches = max(100, min(args.entries, 200_000)), max(10, min(args.searches, 2000))
    subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=True)
    subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {PG_DB}"], check=True)
    try:
        run_engine("PostgreSQL 15 (GIN full-text index)", f"postgresql://postgres@127.0.0.1:5432/{PG_DB}", entries, searches)
    finally:
        subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {PG_DB}"], check=False)
    if not args.skip_sqlite:
        db = ROOT / "var" / "bench-evidence.sqlite3"
        db.parent.mkdir(exist_ok=True)
        db.unlink(missing_ok=True)
        try:
            run_engine("SQLite (LIKE fallback)", f"sqlite:///{db}", entries, searches)
        finally:
            db.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
