import pytest

from tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def member_client(client, user):
    """A test client signed in as an ordinary member."""
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client, db):
    """A superuser who has set up two-step verification (staff cannot reach the admin without it)."""
    from allauth.mfa.models import Authenticator

    admin = UserFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    client.force_login(admin)
    return client


def pytest_collection_modifyitems(items):
    """Every transactional test starts with the reference data the migrations load (areas, levels, groups...).

    A transactional test empties the database when it ends; serialized rollback puts the migrations' data back
    before the next one, whatever order the tests run in.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            # Prepended: pytest-django reads the closest (first) django_db marker.
            serialized = pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True})
            item.add_marker(serialized, append=False)
