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
