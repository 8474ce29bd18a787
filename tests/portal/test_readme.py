"""The README promises only what works: its demo accounts are the ones seed_demo makes, each with the same words."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import get_resolver

from portal.demo import DEMO_USERS

README = (Path(settings.BASE_DIR) / "README.md").read_text()


def test_the_readme_demo_accounts_are_the_seeded_ones_with_the_same_words():
    rows = re.findall(r"^\| `([^`]+@example\.org)` \| (.+?) \|$", README, re.MULTILINE)

    assert rows == [(email, purpose) for email, _, _, _, _, purpose in DEMO_USERS]


def test_no_demo_account_is_promised_a_forum_before_there_is_one():
    """The community app has only its landing page. When the forum arrives, this test and the words change."""
    community = get_resolver().namespace_dict["community"][1]
    assert [pattern.name for pattern in community.url_patterns] == ["landing"]
    for email, *_, purpose in DEMO_USERS:
        promise = re.search(r"\bpost\b|\bposts\b|\bin the community\b|^moderate\b", purpose)
        assert promise is None, f"{email}: {purpose!r}"
