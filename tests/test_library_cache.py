"""The process-level library cache: every kind of library write changes the revision token, and the
cache serves only what matches the committed token."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from compounds import revision
from compounds.models import CapsuleSize, Compound, CompoundNutrient, Nutrient, ReferenceValue
from evidence.models import GradeOverride, Interaction, Study, StudyOutcome
from formulator.reports import Library
from tests.factories import CompoundFactory, NutrientFactory, ReferenceValueFactory


def token() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {revision.REVISION_TABLE} WHERE id = 1")
        return cursor.fetchone()[0]


def write_changes_token(write) -> bool:
    before = token()
    write()
    return token() != before


@pytest.mark.django_db
def test_every_library_table_carries_the_revision_trigger():
    tables = revision.library_tables()

    assert {"compounds_compound", "compounds_referencevalue", "evidence_study_compounds", "evidence_interaction"} <= set(tables)
    assert not [t for t in tables if "historical" in t]
    assert revision.installed_triggers() == set(tables)


@pytest.mark.django_db
@pytest.mark.parametrize("write", [
    pytest.param(lambda: ReferenceValue.objects.filter(market="EU").update(amount_mg=Decimal(251)), id="queryset update"),
    pytest.param(lambda: Compound.objects.filter(slug="magnesium-oxide").delete(), id="delete with cascade"),
    pytest.param(lambda: CompoundFactory(), id="save"),
    pytest.param(lambda: Nutrient.objects.bulk_create([Nutrient(slug="boron", name="Boron")]), id="bulk create"),
    pytest.param(lambda: CapsuleSize.objects.filter(code="00").update(volume_ml=Decimal("0.95")), id="capsule size"),
    pytest.param(lambda: CompoundNutrient.objects.filter(compound__slug="magnesium-l-threonate")
                 .update(specified_fraction=Decimal("0.08")), id="supplier fraction"),
    pytest.param(lambda: Study.objects.first().compounds.clear(), id="many-to-many"),
    pytest.param(lambda: StudyOutcome.objects.filter(pk=StudyOutcome.objects.first().pk).update(direction="null"), id="outcome"),
    pytest.param(lambda: GradeOverride.objects.create(compound=Compound.objects.get(slug="magnesium-oxide"), outcome="sleep-quality",
                                                      grade="D", reason="Test"), id="grade override"),
    pytest.param(lambda: Interaction.objects.update(severity="minor"), id="interaction"),
])
def test_every_kind_of_library_write_changes_the_token(write):
    assert write_changes_token(write)


@pytest.mark.django_db
def test_a_write_outside_the_library_leaves_the_token_alone():
    from formulator.models import Product

    assert not write_changes_token(lambda: Product.objects.update(notes="changed"))


@pytest.mark.django_db
def test_nothing_is_cached_inside_a_transaction():
    # pytest-django runs this test inside a transaction, as a request inside transaction.atomic() would be.
    first = Library.load()
    with CaptureQueriesContext(connection) as queries:
        second = Library.load()

    assert revision.current_token() is None
    assert second is not first and len(queries) > 1


@pytest.mark.django_db(transaction=True)
def test_the_cache_serves_the_committed_library_and_reloads_after_a_write():
    # A transactional test may start with the seed or from an empty database: it uses a nutrient of its own.
    revision.library_cache.clear()
    nutrient = NutrientFactory(slug="cachium", name="Cachium", formula="")
    ReferenceValueFactory(nutrient=nutrient, amount_mg=Decimal(350))
    values = ReferenceValue.objects.filter(nutrient=nutrient)

    def amounts(library: Library) -> list[Decimal]:
        return [r.amount_mg for r in library.references if r.nutrient == "cachium"]

    first = Library.load()
    with CaptureQueriesContext(connection) as queries:
        again = Library.load()
    values.update(amount_mg=Decimal(400))
    after_write = Library.load()
    with transaction.atomic():
        values.update(amount_mg=Decimal(500))
        inside = Library.load()  # its own uncommitted write, read fresh and not kept
        transaction.set_rollback(True)
    after_rollback = Library.load()

    assert again is first and len(queries) == 1  # the token only
    assert amounts(first) == [Decimal(350)]
    assert amounts(after_write) == [Decimal(400)]
    assert amounts(inside) == [Decimal(500)]
    assert after_rollback is after_write


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_curators_writing_the_same_rows_in_opposite_order_wait_for_each_other_rather_than_deadlock():
    import threading
    import time

    first, second = CompoundFactory(), CompoundFactory()
    outcomes: dict[str, str] = {}
    started = threading.Event()

    def lock_waiters() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            return cursor.fetchone()[0]

    def curator(name: str, rows: tuple, between=lambda: None) -> None:
        """Change two compounds in one transaction, as an admin save with inlines does."""
        from django.db import connection as own

        try:
            with transaction.atomic():
                Compound.objects.filter(pk=rows[0].pk).update(synonyms=f"by {name}")
                between()
                Compound.objects.filter(pk=rows[1].pk).update(synonyms=f"by {name}")
            outcomes[name] = "saved"
        except Exception as exc:  # a deadlock is an OperationalError; record whatever it is
            outcomes[name] = type(exc).__name__
        finally:
            own.close()

    def wait_for_the_other() -> None:
        started.set()
        deadline = time.monotonic() + 10
        while not lock_waiters() and time.monotonic() < deadline:  # the other curator is now blocked on a lock
            time.sleep(0.01)

    one = threading.Thread(target=curator, args=("one", (first, second), wait_for_the_other))
    two = threading.Thread(target=curator, args=("two", (second, first)))
    one.start()
    started.wait(10)
    two.start()
    one.join(30)
    two.join(30)

    assert outcomes == {"one": "saved", "two": "saved"}
    assert set(Compound.objects.filter(pk__in=[first.pk, second.pk]).values_list("synonyms", flat=True)) == {"by two"}
