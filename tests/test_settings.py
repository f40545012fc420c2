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
