"""What the benchmarks share: a throwaway database, Django in-process, and gunicorn on loopback."""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import statistics
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent


def summary(samples: list[float]) -> tuple[float, float]:
    """Median and p95 of timings (the sample at the 95% rank, never past the last)."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def sqlite_env(database: Path) -> dict[str, str]:
    """Environment for a benchmark server: production-like (DEBUG off, connections kept) on its own SQLite file."""
    # formulator.settings, not settings_production: that one redirects to HTTPS and wants real secrets. The
    # connection lifetime is production's (settings_production.py); DATABASE_CONN_MAX_AGE=0 measures without it.
    return {"DATABASE_CONN_MAX_AGE": "60", **os.environ, "DJANGO_SETTINGS_MODULE": "formulator.settings",
            "DJANGO_DEBUG": "0", "DATABASE_URL": f"sqlite:///{database}"}


def prepare_database(env: dict[str, str], database: Path) -> None:
    """Start from an empty file: migrate, seed (with the demo accounts), collect static files."""
    database.parent.mkdir(exist_ok=True)
    database.unlink(missing_ok=True)
    for command in (["migrate", "--noinput", "-v0"], ["load_seed"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def django_setup(env: dict[str, str]) -> None:
    """Set Django up in this process against the benchmark's database, to create data and count queries."""
    os.environ.update({k: v for k, v in env.items() if k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_DEBUG")})
    import django

    django.setup()


# Method, path and the time gunicorn took to handle the request, from reading it to writing the response (µs).
SERVER_TIME_FORMAT = "%(m)s %(U)s %(D)s"


def server_times(log: TextIO, count: int, timeout: float = 5) -> list[tuple[str, float]]:
    """The next `count` requests of an access log in SERVER_TIME_FORMAT, as (path, milliseconds)."""
    entries: list[tuple[str, float]] = []
    pending = ""
    deadline = time.monotonic() + timeout
    while len(entries) < count:
        pending += log.readline()
        if not pending.endswith("\n"):  # gunicorn logs a request just after answering it
            if time.monotonic() > deadline:
                raise RuntimeError(f"the access log holds {len(entries)} of {count} requests")
            time.sleep(0.01)
            continue
        _, path, microseconds = pending.split()
        pending = ""
        entries.append((path, int(microseconds) / 1000))
    return entries


Timing = tuple[float, float]  # median, p95 in ms
Row = tuple[str, Timing, Timing, int]  # case, its timing, the trivial view's timing, SQL queries


def requests_arg(description: str) -> int:
    """The --requests option of a benchmark: timed requests per case, bounded to 20 to 2000."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per case (bounded: 20 to 2000)")
    return max(20, min(parser.parse_args().requests, 2000))


def exchange(conn: http.client.HTTPConnection, method: str, path: str, body: str | bytes | None,
             headers: dict[str, str]) -> bytes:
    """Send one request and read the whole answer; anything but 200 stops the benchmark."""
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    answer = response.read()
    if response.status != 200:
        raise RuntimeError(f"{method} {path}: {response.status}")
    return answer


def print_results(rows: list[Row]) -> None:
    """The results as the README's Markdown table; ratios to two decimals, so 2.04x never reads as 2.0x."""
    # The target is the p95 ratio; the median ratio beside it shows how much of that is the machine's noise, which
    # lengthens both tails.
    print("| case | median ms | p95 ms | trivial view median ms | trivial view p95 ms | median / trivial median "
          "| p95 / trivial p95 | SQL queries |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, (median, p95), (floor_median, floor_p95), queries in rows:
        print(f"| {name} | {median:.2f} | {p95:.2f} | {floor_median:.2f} | {floor_p95:.2f} | {median / floor_median:.2f}x "
              f"| {p95 / floor_p95:.2f}x | {queries} |")
Send = Callable[[str, str, "str | bytes | None"], None]


def measure(send: Send, log: TextIO, method: str, path: str, bodies: Iterator[str | bytes | None], requests: int,
            trivial: str) -> tuple[Timing, Timing]:
    """Send a case and the trivial view alternately, so both meet the same machine noise; their server times."""
    warm_up = max(5, requests // 10)
    for count in (warm_up, requests):
        for _ in range(count):
            send(method, path, next(bodies))
            send("GET", trivial, None)
        entries = server_times(log, 2 * count)
    if any(entry[0] != trivial for entry in entries[1::2]):
        raise RuntimeError("the access log is out of step with the requests sent")
    return summary([ms for _, ms in entries[0::2]]), summary([ms for _, ms in entries[1::2]])


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


@contextmanager
def gunicorn(port: int, env: dict[str, str], access_log: Path | None = None) -> Iterator[None]:
    """One sync worker on 127.0.0.1, stopped however the benchmark ends; each request's server time in access_log."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "formulator.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--access-logfile", str(access_log or "/dev/null"), "--access-logformat", SERVER_TIME_FORMAT,
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        wait_for_port(port)
        yield
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
