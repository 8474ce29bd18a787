"""The moderation pages are valid HTML as the Nu Html Checker reads them (tests/browser/test_html_valid.py checks
the pages in pages.py; these need a moderator with two-step verification and data, so they are checked here, in one
run of the checker). Without Java the test is skipped, saying how to get it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from community.models import CommunitySettings, Flag
from community.services import flags, posting
from tests.browser.test_html_valid import KNOWN_EXCEPTIONS, check_html, java  # noqa: F401 (java is a fixture)
from tests.community.conftest import category, member, moderator, pending_member, suspended_member, topic

pytestmark = pytest.mark.django_db


def test_moderation_pages_are_valid_html(java, tmp_path):  # noqa: F811
    mod, author = moderator(), member()
    made = topic(author, category(), replies=2)
    reply = posting.post_reply(author=member(), topic=made, body="A reply **with** [a link](https://example.org).")
    flags.flag_create(post=reply, member=member(), reason=Flag.Reason.NEEDS_SUPPORT, note="Worried.")
    posting.post_edit(post=reply, editor=reply.author, body="Changed.", content_note="Grief")
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=1)
    posting.post_reply(author=member(), topic=made, body="Waiting.")
    pending_member()
    suspended_member()
    as_moderator, as_flagger = Client(), Client()
    as_moderator.force_login(mod)
    as_flagger.force_login(member())
    paths = {
        "queue": reverse("community:moderation-queue"),
        "waiting": reverse("community:moderation-waiting"),
        "suspended": reverse("community:moderation-suspended"),
        "log": reverse("community:moderation-log"),
        "settings": reverse("community:moderation-settings"),
        "post": reverse("community:moderation-post", args=[reply.pk]),
        "post-edit": reverse("community:moderation-post-edit", args=[reply.pk]),
        "topic": reverse("community:moderation-topic", args=[made.pk]),
        "split": reverse("community:moderation-split", args=[made.pk]),
        "member": reverse("community:moderation-member", args=[author.community_profile.pk]),
    }
    documents = {}
    for name, path in paths.items():
        response = as_moderator.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        documents[f"moderation-{name}"] = response.content.decode()
    errors = as_moderator.post(paths["post"], {"action": "hide"})
    assert errors.status_code == 400
    documents["moderation-post-errors"] = errors.content.decode()
    flag_form = as_flagger.get(reverse("community:post-flag", args=[reply.pk]))
    assert flag_form.status_code == 200
    documents["flag-form"] = flag_form.content.decode()
    done = as_flagger.post(reverse("community:post-flag", args=[reply.pk]), {"reason": "needs_support"})
    documents["flag-done"] = done.content.decode()

    findings = check_html(documents, tmp_path, java=java)
    problems = [finding for finding in findings if not any(known.matches(finding) for known in KNOWN_EXCEPTIONS)]
    assert not problems, f"The Nu Html Checker found {len(problems)} problems:\n" + "\n".join(map(str, problems))
