import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _ratelimit_clock_held_still(monkeypatch):
    """django-ratelimit counts in fixed windows aligned to the clock. A test that makes N requests and expects the
    next to be limited fails now and then when the requests straddle the end of a window; holding the clock that
    django-ratelimit reads still (and only that one) makes every such test mean what it says."""
    import time
    from types import SimpleNamespace

    import django_ratelimit.core

    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages, counts and version numbers (portal/cache.py), and what each
    process remembers of sessions and pages, would otherwise outlive the rows that the test's rollback removes (on
    SQLite the next test's rows even get the same ids)."""
    from django.core.cache import cache

    from portal.cache import clear_local
    from portal.middleware import forget_sessions

    cache.clear()
    clear_local()
    forget_sessions()


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


_SERIALIZED_CONTENTS: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the snapshot of the migrations' data that serialized rollback restores (see the fixture below)."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            _SERIALIZED_CONTENTS[alias] = contents
    return django_db_setup


@pytest.fixture
def _serialized_contents_on_this_connection():
    """Django keeps the snapshot on the connection object, and connection objects live in context variables.
    Playwright's sync API runs tests in another context, where the connection is a new object without the
    snapshot: a browser test would then neither restore the reference data nor leave it for the next test.
    Putting the snapshot on whichever connection this test sees keeps every test on the same footing."""
    from django.db import connections

    for alias, contents in _SERIALIZED_CONTENTS.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture
def _django_db_helper(_serialized_contents_on_this_connection, _django_db_helper):
    """pytest-django's database set-up, with the snapshot in place first (see the fixture above)."""
    return _django_db_helper
