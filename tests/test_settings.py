"""Production settings pass Django's deployment checks and keep database connections between requests."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args):
    """Run manage.py with the production settings, as a deployment would."""
    # The browser tests' conftest allows async-unsafe calls for the live server; production must not.
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_CONN_MAX_AGE")},
        "DJANGO_SETTINGS_MODULE": "formulator.settings_production",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-for-the-check-only",
        "DJANGO_ALLOWED_HOSTS": "formulator.example.com",
    }
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_keeps_database_connections_between_requests():
    result = manage("shell", "-v", "0", "-c", "from django.db import connection as c; "
                                   "print(c.settings_dict['CONN_MAX_AGE'], c.settings_dict['CONN_HEALTH_CHECKS'])")

    assert result.stdout.split() == ["60", "True"], result.stderr


def test_gunicorn_collects_garbage_between_requests_not_during_them(monkeypatch):
    import gc
    import importlib.util

    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    collected = []
    monkeypatch.setattr(gc, "collect", collected.append)
    monkeypatch.setattr(gc, "freeze", lambda: collected.append("freeze"))
    threshold = gc.get_threshold()
    worker = type("Worker", (), {})()
    try:
        conf.post_worker_init(worker)
        raised = gc.get_threshold()
        for _ in range(conf.FULL_COLLECTION_EVERY):
            conf.post_request(worker, None, {}, None)
    finally:
        gc.set_threshold(*threshold)

    assert raised[0] >= 10 * threshold[0]  # a collection no longer starts in the middle of a request
    assert collected == ["freeze", *[1] * (conf.FULL_COLLECTION_EVERY - 1), 2]


def test_two_sqlite_saves_that_read_before_they_write_both_land(tmp_path, django_db_blocker):
    """A deferred transaction that read first was refused ("database is locked") the moment a second writer went ahead:
    simultaneous saves through the API answered 500 on SQLite, the database make run sets up."""
    import threading
    import time

    from django.conf import settings
    from django.db import OperationalError, connection, connections, transaction
    from django.db.backends.sqlite3.base import DatabaseWrapper

    alias = "sqlite-race"
    database = {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "race.sqlite3"),
                "OPTIONS": settings.SQLITE_OPTIONS, "CONN_MAX_AGE": 0}
    first_has_read = threading.Event()
    outcomes: list[str] = []

    def save(first: bool) -> None:
        connections[alias] = wrapper = DatabaseWrapper(database, alias)  # this thread's own connection
        try:
            with transaction.atomic(using=alias), wrapper.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM saves")  # as a save reads the version it updates
                if first:
                    first_has_read.set()
                    time.sleep(0.3)
                cursor.execute("INSERT INTO saves VALUES (%s)", [first])
            outcomes.append("saved")
        except OperationalError as exc:
            outcomes.append(str(exc))
        finally:
            wrapper.close()

    with django_db_blocker.unblock():
        setup = DatabaseWrapper(database, alias)
        with setup.cursor() as cursor:
            cursor.execute("CREATE TABLE saves (first bool)")
        setup.close()
        threads = [threading.Thread(target=save, args=(True,)), threading.Thread(target=lambda: (first_has_read.wait(5), save(False)))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert outcomes == ["saved", "saved"]



def test_the_models_have_all_their_migrations(db):
    """A validator's message changed on CompoundNutrient.specified_fraction without one: makemigrations would have
    written it into the next unrelated migration."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        raise AssertionError(f"Missing migrations:\n{out.getvalue()}") from exc
