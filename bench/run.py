"""Benchmark the workbench recalculation against a trivial view on the same server.

Starts gunicorn (one sync worker, DEBUG off, database connections kept as in production, its own SQLite file)
on 127.0.0.1 and sends a bounded number of requests over one connection, each case's requests alternating with
the trivial view's, so that the floor is measured under the same machine noise as the case. Recalculation requests
replay typing as the browser sends it: each changes one line's amount to a value not sent before, so what the server
memoises by value never serves a whole request, and posts back what each line's cell shows. Reports the
median and p95 server time per request, as gunicorn measures it (from reading the request to writing the
response), and each request's SQL query count in the steady state, measured in-process with the same code.

    make bench                       # or: .venv/bin/python bench/run.py --requests 200
"""

from __future__ import annotations

import functools
import http.client
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Row, django_setup, exchange, gunicorn, measure, prepare_database, print_results, requests_arg, server_times,
    sqlite_env,
)

BENCH_DB = ROOT / "var" / "bench.sqlite3"
ACCESS_LOG = ROOT / "var" / "bench-access.log"
TRIVIAL = "/healthz"
PORT = 8799
ENV = sqlite_env(BENCH_DB)


def lines_form(n: int) -> dict[str, str | list[str]]:
    """A workbench POST with n ingredient lines, as the browser sends it while the user types."""
    data: dict[str, str | list[str]] = {
        "name": "Bench", "brand": "", "dosage_form": "capsule", "capsule_size": "00", "serving_size": "2",
        "servings_per_day": "1", "servings_per_container": "30", "timing": "evening", "markets": ["US", "EU"],
        "population": "adult", "claims": "", "notes": "", "version": "",
        "lines-TOTAL_FORMS": str(n), "lines-INITIAL_FORMS": "0",
    }
    compounds = ["magnesium-l-threonate", "magnesium-bisglycinate", "glycine", "pyridoxine-hydrochloride", "l-theanine"]
    for i in range(n):
        data.update({f"lines-{i}-compound": compounds[i % len(compounds)], f"lines-{i}-amount": str(5 + i),
                     f"lines-{i}-unit": "mg", f"lines-{i}-overage_percent": "5", f"lines-{i}-target_mg": ""})
    return data


SHOWN = re.compile(rb'name="(lines-\d+-shown)" value="(\w+)"')


def keystrokes(n: int, session: Session) -> Iterator[str]:
    """Endless workbench POST bodies for n lines, each with one line's amount changed to a value not sent before.

    JSON, as the editor's htmx requests send the form (the json-enc extension: a list for a repeated name), with
    what each line's cell shows after the last answer, as the page posts it back.
    """
    form = lines_form(n)
    for k in itertools.count():
        form[f"lines-{k % n}-amount"] = str(100 + k)
        yield json.dumps(form)
        form.update((name.decode(), shown.decode()) for name, shown in SHOWN.findall(session.last_post_answer))


STACK_PRODUCTS = [("recover", "evening"), ("luna", "evening"), ("boost", "morning"), ("sustain", "afternoon")]


def stack_form() -> dict[str, str | list[str]]:
    """A stack editor POST with the ntrpx-daily stack's four products."""
    data: dict[str, str | list[str]] = {"name": "Bench stack", "markets": ["US", "EU"], "population": "adult", "notes": "",
                                        "version": "", "items-TOTAL_FORMS": str(len(STACK_PRODUCTS)), "items-INITIAL_FORMS": "0"}
    for i, (product, timing) in enumerate(STACK_PRODUCTS):
        data.update({f"items-{i}-product": product, f"items-{i}-servings_per_day": "1", f"items-{i}-timing": timing})
    return data


def stack_keystrokes() -> Iterator[str]:
    """Endless stack editor POST bodies, each with one product's servings per day changed, as the browser sends them."""
    form = stack_form()
    for k in itertools.count():
        # Whole servings: a capsule product's day is whole capsules, and a fraction of one would be refused.
        form[f"items-{k % len(STACK_PRODUCTS)}-servings_per_day"] = str(1 + k % 10)
        yield json.dumps(form)


def create_comparison_data() -> str:
    """Six stacks of ten products with twenty lines each; return the compare query string."""
    from decimal import Decimal

    from compounds.models import Compound
    from formulator import services

    from accounts.models import Team

    team = Team.objects.get(slug="ntrpx-labs")
    compounds = list(Compound.objects.order_by("slug"))
    stacks = []
    for s in range(6):
        items = []
        for p in range(10):
            lines = [services.LineData(compounds[(s + p + i) % len(compounds)], Decimal(10 + i), "mg", Decimal(5))
                     for i in range(20)]
            fields = {"name": f"Bench product {s}-{p}", "dosage_form": "capsule", "capsule_size": "00", "serving_size": 2,
                      "servings_per_day": Decimal(1), "servings_per_container": 30, "timing": "morning",
                      "markets": ["US", "EU"], "population": "adult", "brand": "", "claims": "", "notes": ""}
            product = services.product_save(product=None, fields=fields, lines=lines, expected_version=None, team=team)
            items.append(services.ItemData(product, Decimal(1), "morning"))
        stack = services.stack_save(stack=None, fields={"name": f"Bench stack {s}", "markets": ["US", "EU"],
                                                        "population": "adult", "notes": ""}, items=items, expected_version=None,
                                        team=team)
        stacks.append(stack.slug)
    return "stacks=" + ",".join(stacks)


def team_products() -> int:
    """How many products the stack editor's team has: what the editor offers for each item."""
    from formulator.models import Product

    return Product.objects.filter(team__slug="ntrpx-labs").count()


def signed_in_cookie() -> str:
    """A session for the demo team's formulator, as if signed in, for the server to accept."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="formulator"))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def count_queries(path: str, data: dict[str, str | list[str]] | None) -> int:
    """Run one request in-process and count its SQL queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    if not getattr(count_queries, "ready", False):
        setup_test_environment()
        count_queries.ready = True  # type: ignore[attr-defined]
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="formulator"))
    send = (lambda: client.post(path, json.dumps(data), "application/json", HTTP_HX_REQUEST="true")) if data is not None else (
        lambda: client.get(path, HTTP_HX_REQUEST="true"))
    send()  # the steady state: library reads are cached by the process after the first request
    with CaptureQueriesContext(connection) as queries:
        response = send()
    assert response.status_code == 200, response.status_code
    return len(queries)


class Session:
    """An HTTP connection with the CSRF cookie and header a browser would send."""

    def __init__(self, port: int, session_cookie: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.conn.request("GET", "/products/new", headers={"Cookie": session_cookie})
        response = self.conn.getresponse()
        body = response.read().decode()
        csrf = response.getheader("Set-Cookie", "").split(";")[0]
        self.cookie = f"{session_cookie}; {csrf}"
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', body).group(1)  # type: ignore[union-attr]
        self.last_post_answer = b""

    def send(self, method: str, path: str, body: str | bytes | None = None) -> None:
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.token, "HX-Request": "true"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        answer = exchange(self.conn, method, path, body, headers)
        if method == "POST":
            self.last_post_answer = answer


def main() -> None:
    requests = requests_arg(__doc__.splitlines()[0])
    prepare_database(ENV, BENCH_DB)
    django_setup(ENV)
    compare_query = create_comparison_data()
    cookie = signed_in_cookie()
    # Each case: its name, method, path, request bodies (from the session, for the cells the page shows), the form
    # its queries are counted with, and its number of timed requests.
    Case = tuple[str, str, str, Callable[[Session], Iterator[str | None]], "dict[str, str | list[str]] | None", int]
    cases: list[Case] = [
        *((f"recalculate, {n} line{'s' if n > 1 else ''} (HTMX POST)", "POST", "/products/new",
           functools.partial(keystrokes, n), lines_form(n), requests) for n in (1, 10, 50)),
        (f"recalculate a stack of {len(STACK_PRODUCTS)} products, of {team_products()} in the team (HTMX POST)", "POST", "/stacks/new",
         lambda session: stack_keystrokes(), stack_form(), requests),
        ("spec sheet PDF, 20-line product (GET)", "GET", "/products/bench-product-0-0/spec.pdf",
         lambda session: itertools.repeat(None), None, max(20, requests // 10)),
        ("compare 6 stacks × 10 products × 20 lines (GET)", "GET", f"/compare/?{compare_query}",
         lambda session: itertools.repeat(None), None, max(20, requests // 5)),
    ]
    rows: list[Row] = []
    ACCESS_LOG.unlink(missing_ok=True)
    with gunicorn(PORT, ENV, access_log=ACCESS_LOG):
        session = Session(PORT, cookie)
        log = ACCESS_LOG.open()
        server_times(log, 1)  # the session's first page
        for name, method, path, bodies, form, count in cases:
            timing, floor = measure(session.send, log, method, path, bodies(session), count, TRIVIAL)
            rows.append((name, timing, floor, count_queries(path, form)))
    print(f"{requests} timed requests per workbench case, each alternating with one of the trivial view "
          f"(GET {TRIVIAL}, {count_queries(TRIVIAL, None)} queries); server time as gunicorn measures it; "
          f"one gunicorn sync worker, SQLite, DEBUG off, DATABASE_CONN_MAX_AGE={ENV['DATABASE_CONN_MAX_AGE']}\n")
    print_results(rows)


if __name__ == "__main__":
    main()
