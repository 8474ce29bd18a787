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
