"""Who may preview drafts: one rule, and it needs two-step verification."""

import pytest

from tests.factories import UserFactory, with_second_factor
from training.permissions import can_preview


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_user", "allowed"),
    [
        (lambda: with_second_factor(UserFactory(is_staff=True, groups=["Content editors"])), True),
        (lambda: with_second_factor(UserFactory(is_staff=True, is_superuser=True)), True),
        (lambda: UserFactory(is_staff=True, groups=["Content editors"]), False),  # no two-step verification yet
        (lambda: with_second_factor(UserFactory(is_staff=True, groups=["IS admins"])), False),
        (lambda: UserFactory(), False),
    ],
    ids=["editor", "superuser", "editor without 2FA", "IS admin", "learner"],
)
def test_editors_with_two_step_verification_preview(make_user, allowed):
    user = make_user()
    assert can_preview(user) is allowed


@pytest.mark.django_db
def test_memberships_are_read_once_per_user_object(django_assert_num_queries):
    user = with_second_factor(UserFactory(is_staff=True, groups=["Content editors"]))
    with django_assert_num_queries(2):  # the groups, then the second factor
        for _ in range(5):
            assert can_preview(user)


@pytest.mark.django_db
def test_resource_getter_finds_a_draft_only_for_an_editor_asking_for_a_preview():
    from django.http import Http404

    from tests.training.catalogue_helpers import make_resource
    from training.permissions import resource_get_for_user

    published, draft = make_resource(), make_resource(published=False)
    editor = with_second_factor(UserFactory(is_staff=True, groups=["Content editors"]))
    editor_without_2fa = UserFactory(is_staff=True, groups=["Content editors"])
    learner = UserFactory()

    assert resource_get_for_user(slug=draft.slug, user=editor, preview=True) == draft
    for user in (editor, learner, editor_without_2fa):
        assert resource_get_for_user(slug=published.slug, user=user) == published
    for user, preview in [(editor, False), (editor_without_2fa, True), (learner, True)]:
        with pytest.raises(Http404):
            resource_get_for_user(slug=draft.slug, user=user, preview=preview)
    with pytest.raises(Http404):
        resource_get_for_user(slug="no-such-resource", user=editor, preview=True)


@pytest.mark.django_db
def test_module_getter_shows_a_draft_module_to_editors_only():
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from tests.training.learning_helpers import make_module
    from training.permissions import module_get_for_user

    draft = make_module(published=False)
    editor = with_second_factor(UserFactory(is_staff=True, groups=["Content editors"]))

    assert module_get_for_user(slug=draft.resource.slug, user=editor) == draft
    for user in (UserFactory(), UserFactory(is_staff=True, groups=["Content editors"]), AnonymousUser()):
        with pytest.raises(Http404):
            module_get_for_user(slug=draft.resource.slug, user=user)


@pytest.mark.django_db
def test_certificate_and_reflection_getters_find_only_the_learners_own():
    from django.http import Http404

    from tests.training.learning_helpers import make_module, steps_of
    from training.learning import services as learning_services
    from training.models import Reflection
    from training.permissions import certificate_get_for_user, reflection_get_for_user

    learner, other = UserFactory(), UserFactory()
    module = make_module(kinds=("reflection",))
    steps = steps_of(module)
    progress = learning_services.step_complete(
        user=learner, module=module, steps=steps, step=steps[0], reflection="What I noticed."
    )
    certificate = learning_services.certificate_issue(progress=progress)
    reflection = Reflection.objects.get(user=learner)

    assert certificate_get_for_user(code=certificate.code.lower(), user=learner) == certificate
    assert reflection_get_for_user(reflection_id=reflection.pk, user=learner) == reflection
    with pytest.raises(Http404):
        certificate_get_for_user(code=certificate.code, user=other)
    with pytest.raises(Http404):
        reflection_get_for_user(reflection_id=reflection.pk, user=other)
