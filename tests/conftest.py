import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed library once per test session; each test's changes roll back."""
    with django_db_blocker.unblock():
        call_command("load_seed", "--no-demo-user", verbosity=0)


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("curator", "curator@example.com", "a-long-test-password")
    client.force_login(user)
    return client
