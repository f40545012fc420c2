"""Benchmark POST /api/v1/calculate against trivial endpoints on the same server.

Starts gunicorn (one sync worker, DEBUG off, its own SQLite file) on 127.0.0.1 the way bench/run.py does,
sends a bounded number of requests one after another with a bearer token, and reports
median and p95 client-observed time, sequential throughput, and the SQL queries of each request
(measured in-process through the same code path).

    .venv/bin/python bench/api.py                 # or: --requests 300
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import django_setup, gunicorn, prepare_database, sqlite_env, summary  # noqa: E402

BENCH_DB = ROOT / "var" / "bench-api.sqlite3"
PORT = 8798
ENV = sqlite_env(BENCH_DB)
COMPOUNDS = ["magnesium-l-threonate", "magnesium-bisglycinate", "glycine", "pyridoxine-hydrochloride", "l-theanine"]
FORMULAS = ["MgCl2·6H2O", "MgO", "MgSO4.7H2O"]


def calculate_body(n: int) -> dict[str, Any]:
    """n lines: mostly library compounds, every fourth a bare formula (hydrates in several spellings)."""
    lines: list[dict[str, Any]] = []
    for i in range(n):
        if i % 4 == 3:
            lines.append({"formula": FORMULAS[i % len(FORMULAS)], "amount": 20 + i, "unit": "mg", "overage_percent": 5})
        else:
            lines.append({"compound": COMPOUNDS[i % len(COMPOUNDS)], "amount": 5 + i, "unit": "mg", "overage_percent": 5})
    return {"lines": lines, "servings_per_day": 2, "markets": ["US", "EU"], "population": "adult"}




def create_key() -> str:
    """A token for a user with no team and no permissions: calculating needs none."""
    from django.contrib.auth import get_user_model

    from api.services import token_create

    user = get_user_model().objects.create_user("bench", password=os.urandom(16).hex())
    return token_create(user=user, name="benchmark")[1]


def count_queries(key: str, method: str, path: str, body: dict[str, Any] | None) -> int:
    """Run one request in-process and count its SQL queries in the steady state (the token is checked on each)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    if not getattr(count_queries, "ready", False):
        setup_test_environment()
        count_queries.ready = True  # type: ignore[attr-defined]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def send() -> Any:
        if method == "POST":
            return client.post(path, json.dumps(body), content_type="application/json")
        return client.get(path)

    send()  # library reads are cached by the process after the first request
    with CaptureQueriesContext(connection) as queries:
        response = send()
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return len(queries)


class Session:
    """An HTTP connection sending the bearer token (gunicorn's sync worker closes it after each response)."""

    def __init__(self, port: int, key: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.key = key

    def time(self, method: str, path: str, body: bytes | None = None, token: bool = True) -> float:
        headers = {"Authorization": f"Bearer {self.key}"} if token else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status}")
        return elapsed * 1000


def measure(session: Session, method: str, path: str, body: bytes | None, requests: int,
            token: bool = True) -> tuple[float, float, float]:
    """Median and p95 milliseconds, and requests per second one after another."""
    for _ in range(max(5, requests // 10)):
        session.time(method, path, body, token)
    samples = [session.time(method, path, body, token) for _ in range(requests)]
    return (*summary(samples), 1000 * len(samples) / sum(samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per case (bounded: 20 to 2000)")
    args = parser.parse_args()
    requests = max(20, min(args.requests, 2000))
    prepare_database(ENV, BENCH_DB)
    django_setup(ENV)
    key = create_key()
    rows = []
    with gunicorn(PORT, ENV):
        session = Session(PORT, key)
        floor = measure(session, "GET", "/healthz", None, requests, token=False)
        rows.append(("trivial view (GET /healthz, no auth)", floor, 0))
        rows.append(("trivial API call (GET /api/v1/nutrients?limit=1, token)",
                     measure(session, "GET", "/api/v1/nutrients?limit=1", None, requests),
                     count_queries(key, "GET", "/api/v1/nutrients?limit=1", None)))
        for n in (1, 50):
            body = calculate_body(n)
            timing = measure(session, "POST", "/api/v1/calculate", json.dumps(body).encode(), requests)
            rows.append((f"POST /api/v1/calculate, {n} line{'s' if n > 1 else ''}", timing,
                         count_queries(key, "POST", "/api/v1/calculate", body)))
    floor_p95 = rows[0][1][1]
    print(f"{requests} timed requests per case, one after another, one gunicorn sync worker, SQLite, DEBUG off\n")
    print("| case | median ms | p95 ms | p95 / trivial p95 | requests/s (sequential) | SQL queries |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (median, p95, rate), queries in rows:
        print(f"| {name} | {median:.2f} | {p95:.2f} | {p95 / floor_p95:.1f}x | {rate:.0f} | {queries} |")


if __name__ == "__main__":
    main()
