"""Benchmark POST /api/v1/calculate against trivial endpoints on the same server.

Starts gunicorn (one sync worker, DEBUG off, database connections kept as in production, its own SQLite file)
on 127.0.0.1 the way bench/run.py does and sends a bounded number of requests with a bearer token, each case's
requests alternating with the trivial view's (GET /healthz). Reports median and p95 server time as gunicorn measures it, read from its access log, and the SQL
queries of each request (measured in-process through the same code path).

    .venv/bin/python bench/api.py                 # or: --requests 300
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import itertools
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Row, django_setup, exchange, gunicorn, measure, prepare_database, print_results, requests_arg, sqlite_env,
)

BENCH_DB = ROOT / "var" / "bench-api.sqlite3"
ACCESS_LOG = ROOT / "var" / "bench-api-access.log"
TRIVIAL = "/healthz"
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

    def send(self, method: str, path: str, body: str | bytes | None = None) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        exchange(self.conn, method, path, body, headers)


def main() -> None:
    requests = requests_arg(__doc__.splitlines()[0])
    prepare_database(ENV, BENCH_DB)
    django_setup(ENV)
    key = create_key()
    cases: list[tuple[str, str, str, dict[str, Any] | None]] = [
        ("trivial API call (GET /api/v1/nutrients?limit=1)", "GET", "/api/v1/nutrients?limit=1", None),
        *[(f"POST /api/v1/calculate, {n} line{'s' if n > 1 else ''}", "POST", "/api/v1/calculate", calculate_body(n))
          for n in (1, 50)],
    ]
    rows: list[Row] = []
    ACCESS_LOG.unlink(missing_ok=True)
    with gunicorn(PORT, ENV, access_log=ACCESS_LOG):
        session = Session(PORT, key)
        log = ACCESS_LOG.open()
        for name, method, path, body in cases:
            bodies = itertools.repeat(None if body is None else json.dumps(body))
            timing, floor = measure(session.send, log, method, path, bodies, requests, TRIVIAL)
            rows.append((name, timing, floor, count_queries(key, method, path, body)))
    print(f"{requests} timed requests per case, each alternating with one of the trivial view (GET {TRIVIAL}, no "
          f"session, {count_queries(key, 'GET', TRIVIAL, None)} queries); server time as gunicorn measures it; "
          f"one gunicorn sync worker, SQLite, DEBUG off, DATABASE_CONN_MAX_AGE={ENV['DATABASE_CONN_MAX_AGE']}\n")
    print_results(rows)


if __name__ == "__main__":
    main()
