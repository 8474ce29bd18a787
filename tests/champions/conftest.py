import pytest

from tests.champions.helpers import make_champion, make_cohort, make_is_admin, make_session
from tests.factories import UserFactory


@pytest.fixture
def is_admin(db):
    return make_is_admin()


@pytest.fixture
def network(db, is_admin):
    """Two cohorts: `mine` holds the signed-in champion (`me`, covering Fife), `theirs` another champion (Angus)."""
    me_user, other_user = UserFactory(), UserFactory()
    me = make_champion(by=is_admin, areas=("fife",), user=me_user, name="Morag Me")
    other = make_champion(by=is_admin, areas=("angus",), user=other_user, name="Oliver Other")
    mine, theirs = make_cohort(members=[me], name="Mine"), make_cohort(members=[other], name="Theirs")
    return {
        "admin": is_admin,
        "me": me,
        "me_user": me_user,
        "other": other,
        "other_user": other_user,
        "mine": mine,
        "theirs": theirs,
        "my_session": make_session(cohort=mine),
        "their_session": make_session(cohort=theirs),
    }
