"""Reuse library reads across requests, and never serve a stale one.

Every insert, update or delete on a library table (the compounds and evidence apps, not their history)
fires a database trigger that gives ``LibraryRevision.token`` a new random value in the same transaction.
A process reads the token with one query and keeps what it loaded while the token is unchanged. Triggers
rather than signals, because queryset updates, bulk writes and raw SQL send no signals. Reads inside a
transaction are never cached: what they see may be rolled back, or be this transaction's own
uncommitted writes.

The triggers are (re)installed after every ``migrate`` and ``flush``: SQLite's schema editor rebuilds a
table to alter it, which drops its triggers. On a database other than SQLite or PostgreSQL there are no
triggers and no token row, so nothing is cached.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

T = TypeVar("T")

LIBRARY_APPS = ("compounds", "evidence")
REVISION_TABLE = "compounds_libraryrevision"
TRIGGER_NAME = "library_revision"
SUPPORTED_VENDORS = ("sqlite", "postgresql")

_SQLITE_TRIGGER = (
    'CREATE TRIGGER IF NOT EXISTS "{table}_{name}_{event_lower}" AFTER {event} ON "{table}" '
    f"BEGIN UPDATE {REVISION_TABLE} SET token = lower(hex(randomblob(16))); END"
)
_PG_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {TRIGGER_NAME}_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN UPDATE {REVISION_TABLE} SET token = replace(gen_random_uuid()::text, '-', ''); RETURN NULL; END $$"
)
# BEFORE the statement: a writer takes the token row's lock before any library row's, so two library writers
# queue on the token instead of each holding a row the other needs (a deadlock PostgreSQL would end by aborting one).
_PG_TRIGGER = (
    'CREATE OR REPLACE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_NAME}_bump()"
)


def library_tables() -> list[str]:
    """Every table whose rows a library read depends on (auto-created many-to-many tables included)."""
    tables = set()
    for label in LIBRARY_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.db_table == REVISION_TABLE or meta.proxy or not meta.managed or meta.model_name.startswith("historical"):
                continue
            tables.add(meta.db_table)
    return sorted(tables)


def revision_install(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Install the triggers and the token row, idempotently (connected to post_migrate)."""
    from compounds.models import LibraryRevision

    connection = connections[using]
    if connection.vendor not in SUPPORTED_VENDORS:
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for table in [t for t in library_tables() if t in existing]:
            if connection.vendor == "postgresql":
                cursor.execute(_PG_TRIGGER.format(name=TRIGGER_NAME, table=table))
            else:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(_SQLITE_TRIGGER.format(table=table, name=TRIGGER_NAME, event=event,
                                                          event_lower=event.lower()))
    LibraryRevision.objects.using(using).get_or_create(id=1, defaults={"token": uuid.uuid4().hex})


def installed_triggers(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    """The library tables that carry the revision trigger (every write event of them, on SQLite)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                           [TRIGGER_NAME])
            return {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tbl_name, count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s GROUP BY tbl_name",
                       [f"%_{TRIGGER_NAME}_%"])
        return {table for table, count in cursor.fetchall() if count == 3}


def current_token(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The library's committed revision, or None when a read must not be cached."""
    connection = connections[using]
    if connection.in_atomic_block or connection.vendor not in SUPPORTED_VENDORS:
        return None
    revision = revision_seen(using)
    return f"{connection.settings_dict['NAME']}:{revision}" if revision else None


def revision_seen(using: str = DEFAULT_DB_ALIAS) -> str:
    """The library's revision as this connection sees it, in a transaction too (its own writes counted); "" where it
    is not kept."""
    connection = connections[using]
    if connection.vendor not in SUPPORTED_VENDORS:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {REVISION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0]) if row else ""


_MISSING = object()


class Memo:
    """A bounded, thread-safe memo: each value computed once per key, the least recently used dropped first."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[..., T], *args: Any) -> T:
        """Return the value kept for key, or compute(*args) and keep it; callers must treat it as read-only."""
        # The lookup takes no lock: a dict lookup stays right while another thread writes, even when comparing keys
        # runs Python code. Reordering does, and the key may have been dropped meanwhile.
        value = self._entries.get(key, _MISSING)
        if value is not _MISSING:
            # No lock: move_to_end is one step under the GIL, and a key dropped meanwhile is simply not moved. A
            # keystroke looks up every line here, so a lock taken for each would be most of a lookup's cost.
            try:
                self._entries.move_to_end(key)
            except KeyError:
                pass
            return value  # type: ignore[no-any-return]
        value = compute(*args)  # outside the lock: two threads may compute the same value, and both get it
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


class LibraryCache:
    """What this process loaded from the library, kept while the revision token is unchanged."""

    def __init__(self, maxsize: int = 128) -> None:
        self.maxsize = maxsize
        self._token: str | None = None
        self._memo = Memo(maxsize)
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """Return the cached value for key, or load it; callers must treat it as read-only."""
        token = current_token()
        if token is None:
            return load()
        with self._lock:
            if token != self._token:
                # A new memo for each token: a load that finishes late lands in the old one, which nothing reads.
                self._memo = Memo(self.maxsize)
                self._token = token
            memo = self._memo
        return memo.get(key, load)

    def clear(self) -> None:
        with self._lock:
            self._memo = Memo(self.maxsize)
            self._token = None


library_cache = LibraryCache()
