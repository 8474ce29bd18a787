"""The README promises only what works: its demo accounts are the ones seed_demo makes, each with the same words."""

import re
from pathlib import Path

from django.conf import settings

from portal.demo import DEMO_USERS

README = (Path(settings.BASE_DIR) / "README.md").read_text()


def test_the_readme_demo_accounts_are_the_seeded_ones_with_the_same_words():
    rows = re.findall(r"^\| `([^`]+@example\.org)` \| (.+?) \|$", README, re.MULTILINE)

    assert rows == [(email, purpose) for email, _, _, _, _, purpose in DEMO_USERS]


def test_demo_accounts_that_are_promised_the_forum_can_post_in_it(db):
    """A demo account whose words promise posting in the community has joined it when seed_demo has run."""
    import io

    from community import permissions
    from community.demo import seed as seed_community
    from portal.demo import seed as seed_people

    seed_people(stdout=io.StringIO(), show_passwords=True)
    seed_community(stdout=io.StringIO(), show_passwords=True)
    for email, *_, purpose in DEMO_USERS:
        if re.search(r"\bpost\b|\bin the community\b", purpose):
            from portal.models import User

            assert permissions.is_member(User.objects.get(email=email)), f"{email}: {purpose!r}"
