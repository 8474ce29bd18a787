"""The module player: steps, saved progress, resuming on another device, knowledge checks, completion rules,
content warnings and learning without an account."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.training.learning_helpers import answers, complete_module, make_module, step_url, steps_of
from training.learning.sessions import SESSION_KEY
from training.models import Certificate, CheckAttempt, ModuleProgress, Option, Reflection, StepCompletion

pytestmark = pytest.mark.django_db


def start_url(module) -> str:
    return reverse("training:module-start", args=[module.resource.slug])


def progress_of(user, module) -> ModuleProgress:
    return ModuleProgress.objects.get(user=user, module=module)


# Moving through a module ----------------------------------------------------------------------------------------


def test_a_step_shows_where_the_learner_is_and_how_to_move_on(member_client):
    module = make_module()
    steps = steps_of(module)
    response = member_client.get(step_url(module, steps[2]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Step 3 of 5" in html
    assert '<progress class="portal-module-progress__bar" max="5" value="0"' in html
    assert f'href="{step_url(module, steps[1])}"' in html  # previous
    assert 'aria-current="step"' in html  # the step list marks this one
    assert 'name="action" value="break"' in html  # Take a break
    assert "Continue to step 4" in html


def test_starting_then_continuing_saves_each_step_and_the_place(user, member_client):
    module = make_module()
    steps = steps_of(module)
    response = member_client.post(start_url(module))
    assert response.status_code == 302
    assert response["Location"] == step_url(module, steps[0])
    assert progress_of(user, module).current_step == steps[0]

    response = member_client.post(step_url(module, steps[0]), {"action": "continue"})
    assert response["Location"] == step_url(module, steps[1])
    progress = progress_of(user, module)
    assert progress.current_step == steps[1]
    assert set(progress.completions.values_list("step_id", flat=True)) == {steps[0].pk}


def test_opening_a_step_only_reads_the_place_moves_when_the_learner_acts(user, member_client):
    """A GET writes nothing (a link preview or a prefetch must not move anyone's place); Continue, Take a break and
    a go at the check do."""
    module = make_module()
    steps = steps_of(module)
    member_client.post(start_url(module))
    member_client.get(step_url(module, steps[3]))
    assert progress_of(user, module).current_step == steps[0]
    member_client.post(step_url(module, steps[3]), {"action": "break"})
    assert progress_of(user, module).current_step == steps[3]


def test_resume_on_another_device_goes_back_to_the_same_step(user, member_client):
    module = make_module()
    steps = steps_of(module)
    member_client.post(start_url(module))
    member_client.post(step_url(module, steps[0]), {"action": "continue"})
    member_client.post(step_url(module, steps[1]), {"action": "continue"})
    response = member_client.post(step_url(module, steps[2]), {"action": "break", "text": "Half a thought"})
    assert response["Location"] == reverse("training:module-break", args=[module.resource.slug])

    phone = Client()  # a second device: a new session for the same person
    phone.force_login(user)
    page = phone.get(start_url(module)).content.decode()
    assert "Continue where you left off" in page
    assert f'href="{step_url(module, steps[2])}"' in page
    step_page = phone.get(step_url(module, steps[2])).content.decode()
    assert "Half a thought" in step_page  # the reflection written before the break came too
    assert "(2 of 5 done)" in step_page


def test_take_a_break_does_not_mark_the_step_done(user, member_client):
    module = make_module()
    steps = steps_of(module)
    member_client.post(step_url(module, steps[0]), {"action": "break"})
    progress = progress_of(user, module)
    assert progress.current_step == steps[0]
    assert not progress.completions.exists()
    page = member_client.get(reverse("training:module-break", args=[module.resource.slug])).content.decode()
    assert "Your place is saved" in page
    assert "step 1 of 5" in page


def test_a_video_step_without_a_video_shows_the_transcript_and_says_the_video_is_coming(member_client):
    module = make_module()
    video = steps_of(module)[1]
    page = member_client.get(step_url(module, video)).content.decode()
    assert "The video for this step is coming soon" in page
    assert "What the video says." in page


# Reflections are private ----------------------------------------------------------------------------------------


def test_a_reflection_is_saved_for_the_learner_and_nobody_else_sees_it(user, member_client):
    module = make_module()
    reflection_step = steps_of(module)[2]
    member_client.post(step_url(module, reflection_step), {"action": "continue", "text": "My private thought"})
    assert Reflection.objects.get(user=user, step=reflection_step).text == "My private thought"

    someone_else = Client()
    someone_else.force_login(UserFactory())
    assert "My private thought" not in someone_else.get(step_url(module, reflection_step)).content.decode()
    assert "My private thought" not in someone_else.get(reverse("training:my-learning")).content.decode()


def test_writing_a_reflection_is_optional(user, member_client):
    module = make_module()
    reflection_step = steps_of(module)[2]
    response = member_client.post(step_url(module, reflection_step), {"action": "continue", "text": ""})
    assert response.status_code == 302
    assert StepCompletion.objects.filter(progress__user=user, step=reflection_step).exists()
    assert not Reflection.objects.filter(user=user).exists()


def test_an_overlong_reflection_is_refused_with_a_clear_message_and_nothing_saved(user, member_client):
    module = make_module()
    reflection_step = steps_of(module)[2]
    response = member_client.post(step_url(module, reflection_step), {"action": "continue", "text": "x" * 5001})
    assert response.status_code == 400
    assert "keep it to 5,000 characters or fewer" in response.content.decode()
    assert not Reflection.objects.exists()
    assert not StepCompletion.objects.exists()
    response = member_client.post(step_url(module, reflection_step), {"action": "break", "text": "x" * 5001})
    assert response.status_code == 400
    assert "keep it to 5,000 characters or fewer" in response.content.decode()
    assert not Reflection.objects.exists()


# Knowledge checks -----------------------------------------------------------------------------------------------


def test_a_failed_check_shows_feedback_on_every_option_and_is_not_done(user, member_client):
    module = make_module(kinds=("reading", "check"), questions=2, pass_mark=100)
    check = steps_of(module)[1]
    data = answers(check)
    first_question = check.questions.first()
    data[f"question_{first_question.pk}"] = str(first_question.options.get(is_correct=False).pk)
    response = member_client.post(step_url(module, check), data)
    assert response["Location"] == reverse("training:module-step-result", args=[module.resource.slug, check.pk])

    attempt = CheckAttempt.objects.get(progress__user=user)
    assert (attempt.score, attempt.passed) == (50, False)
    assert not StepCompletion.objects.filter(step=check).exists()
    page = member_client.get(response["Location"]).content.decode()
    assert "Not quite yet: 1 of 2 (50%)" in page
    for option in Option.objects.filter(question__step=check):
        assert option.feedback in page
    assert "Try the check again" in page
    # ... or take a break, as on every step: the place is kept at the check
    assert f'<form method="post" action="{step_url(module, check)}"' in page
    assert 'name="action" value="break">Take a break</button>' in page
    response = member_client.post(step_url(module, check), {"action": "break"})
    assert response["Location"] == reverse("training:module-break", args=[module.resource.slug])
    assert progress_of(user, module).current_step == check
    assert CheckAttempt.objects.count() == 1  # the break is not another go at the check


def test_passing_the_check_after_every_step_completes_the_module_and_issues_a_certificate(user, member_client):
    module = make_module()
    complete_module(member_client, module)
    progress = progress_of(user, module)
    assert progress.completed_at is not None
    assert progress.check_passed
    certificate = Certificate.objects.get(user=user, module=module)
    assert certificate.learner_name == ""  # the learner writes the name to print (test_certificates.py)
    assert certificate.level_name == "Trauma Informed"
    page = member_client.get(reverse("training:module-complete", args=[module.resource.slug])).content.decode()
    assert "You have completed the module" in page
    assert reverse("training:certificate-name", args=[certificate.code]) in page


def test_an_answer_from_another_question_is_refused_and_nothing_is_recorded(user, member_client):
    module = make_module(kinds=("check",), questions=2)
    check = steps_of(module)[0]
    first, second = list(check.questions.all())
    data = answers(check)
    data[f"question_{first.pk}"] = str(second.options.get(is_correct=True).pk)  # belongs to question 2
    response = member_client.post(step_url(module, check), data)
    assert response.status_code == 400
    assert "Choose one of the answers shown for question 1" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not CheckAttempt.objects.exists()
    assert not StepCompletion.objects.exists()


@pytest.mark.parametrize("bad", ["999999", "not-a-number", ""])
def test_a_made_up_or_missing_answer_is_refused(member_client, bad):
    module = make_module(kinds=("check",), questions=1)
    check = steps_of(module)[0]
    question = check.questions.get()
    response = member_client.post(step_url(module, check), {"action": "continue", f"question_{question.pk}": bad})
    assert response.status_code == 400
    assert "question 1" in response.content.decode()
    assert not CheckAttempt.objects.exists()


def test_a_step_of_another_module_is_not_found_and_changes_nothing(user, member_client):
    module = make_module()
    other = make_module()
    member_client.post(start_url(module))
    foreign = steps_of(other)[0]
    for response in (
        member_client.get(step_url(module, foreign)),
        member_client.post(step_url(module, foreign), {"action": "continue"}),
        member_client.get(reverse("training:module-step-result", args=[module.resource.slug, foreign.pk])),
    ):
        assert response.status_code == 404
        assert "That step is not part of" in response.content.decode()
    assert not StepCompletion.objects.exists()
    assert not ModuleProgress.objects.filter(module=other).exists()
    assert progress_of(user, module).current_step == steps_of(module)[0]


def test_a_draft_module_is_not_found(member_client):
    module = make_module(published=False)
    assert member_client.get(start_url(module)).status_code == 404
    assert member_client.get(step_url(module, steps_of(module)[0])).status_code == 404


# Completion rules -----------------------------------------------------------------------------------------------


def test_every_step_but_the_check_is_not_complete(user, member_client):
    module = make_module()
    for step in steps_of(module)[:-1]:
        member_client.post(step_url(module, step), {"action": "continue"})
    assert progress_of(user, module).completed_at is None
    page = member_client.get(reverse("training:module-complete", args=[module.resource.slug])).content.decode()
    assert "Nearly there" in page
    assert steps_of(module)[-1].title in page
    assert not Certificate.objects.exists()


def test_passing_the_check_with_a_required_step_skipped_is_not_complete(user, member_client):
    module = make_module()
    steps = steps_of(module)
    member_client.post(step_url(module, steps[-1]), answers(steps[-1]))
    progress = progress_of(user, module)
    assert progress.check_passed
    assert progress.completed_at is None


def test_an_optional_step_can_be_skipped(user, member_client):
    module = make_module(kinds=("reading", "reading", "check"))
    optional = steps_of(module)[1]
    optional.required = False
    optional.save()
    steps = steps_of(module)
    member_client.post(step_url(module, steps[0]), {"action": "continue"})
    member_client.post(step_url(module, steps[2]), answers(steps[2]))
    assert progress_of(user, module).completed_at is not None


def test_a_check_cannot_be_marked_done_without_answers(user, member_client):
    module = make_module(kinds=("check",))
    check = steps_of(module)[0]
    response = member_client.post(step_url(module, check), {"action": "continue"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not StepCompletion.objects.exists()


def test_confidence_before_and_after_is_saved_after_completing(user, member_client):
    module = make_module(kinds=("reading",))
    complete_module(member_client, module)
    url = reverse("training:module-complete", args=[module.resource.slug])
    response = member_client.post(url, {"confidence_before": "2", "confidence_after": "4", "comment": "Clearer now"})
    assert response.status_code == 302
    progress = progress_of(user, module)
    assert (progress.confidence_before, progress.confidence_after, progress.confidence_comment) == (2, 4, "Clearer now")


def test_confidence_questions_are_all_optional_and_what_is_given_is_kept(user, member_client):
    """The page says every question is optional: a comment alone, or one rating alone, is stored as it is."""
    module = make_module(kinds=("reading",))
    complete_module(member_client, module)
    url = reverse("training:module-complete", args=[module.resource.slug])
    page = member_client.get(url).content.decode()
    assert "Every question is optional" in page
    assert "maxlength" not in page
    response = member_client.post(url, {"comment": "Only a comment"})
    assert response.status_code == 302
    progress = progress_of(user, module)
    assert (progress.confidence_before, progress.confidence_after, progress.confidence_comment) == (
        None,
        None,
        "Only a comment",
    )
    assert "Thank you for answering" in member_client.get(url).content.decode()
    assert member_client.post(url, {"confidence_after": "4"}).status_code == 302
    progress = progress_of(user, module)
    assert (progress.confidence_before, progress.confidence_after, progress.confidence_comment) == (None, 4, "")


def test_confidence_out_of_range_is_refused(user, member_client):
    module = make_module(kinds=("reading",))
    complete_module(member_client, module)
    url = reverse("training:module-complete", args=[module.resource.slug])
    response = member_client.post(url, {"confidence_before": "9", "confidence_after": "4"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert progress_of(user, module).confidence_before is None


# Content warnings -----------------------------------------------------------------------------------------------


def test_a_module_with_a_content_warning_shows_it_first_with_three_choices(member_client):
    module = make_module(content_warning="Mentions of abuse.")
    page = member_client.get(start_url(module)).content.decode()
    assert "Mentions of abuse." in page
    assert "Continue to the module" in page
    assert "Come back later" in page
    assert reverse("portal:support") in page
    # A step cannot be reached around the warning ...
    second = steps_of(module)[1]
    response = member_client.get(step_url(module, second))
    assert response.status_code == 302
    assert response["Location"] == f"{start_url(module)}?step={second.pk}"
    # ... and choosing to continue there (a form: it is remembered) takes the person on to the step they were going to.
    page = member_client.get(response["Location"]).content.decode()
    assert '<input type="hidden" name="continue" value="1">' in page
    assert f'<input type="hidden" name="step" value="{second.pk}">' in page
    assert member_client.get(f"{start_url(module)}?step=999999").status_code == 200  # a made-up step: no harm
    # Coming from the resource page (which showed the same warning) shows the module's front page, and remembers
    # nothing until the person presses one of its buttons.
    assert "What the module covers" in member_client.get(start_url(module) + "?continue=1").content.decode()
    assert member_client.get(step_url(module, steps_of(module)[0])).status_code == 302
    response = member_client.post(start_url(module), {"continue": "1", "step": str(second.pk)})
    assert response["Location"] == step_url(module, second)
    assert member_client.get(step_url(module, steps_of(module)[0])).status_code == 200
    assert not ModuleProgress.objects.exists()  # passing the warning is not starting the module
    # Without an account, the front page's Start button passes the warning and opens step 1.
    anonymous = Client()
    page = anonymous.get(start_url(module) + "?continue=1").content.decode()
    assert 'name="action" value="start"' in page
    response = anonymous.post(start_url(module), {"continue": "1", "action": "start", "step": steps_of(module)[0].pk})
    assert response["Location"] == step_url(module, steps_of(module)[0])
    assert anonymous.get(response["Location"]).status_code == 200


# Without an account ---------------------------------------------------------------------------------------------


def test_someone_without_an_account_can_read_every_step_and_is_asked_to_sign_in_to_save(client):
    module = make_module()
    for step in steps_of(module):
        page = client.get(step_url(module, step)).content.decode()
        assert step.body in page
        assert "You are not signed in" in page
    client.post(step_url(module, steps_of(module)[0]), {"action": "continue"})
    assert not ModuleProgress.objects.exists()
    response = client.post(step_url(module, steps_of(module)[1]), {"action": "break"})
    page = client.get(response["Location"]).content.decode()
    assert "Save your progress" in page
    assert reverse("account_login") in page


def test_what_someone_did_before_signing_in_is_kept(client):
    person = UserFactory()
    module = make_module()
    steps = steps_of(module)
    client.post(step_url(module, steps[0]), {"action": "continue"})
    client.post(step_url(module, steps[1]), {"action": "continue"})
    client.post(step_url(module, steps[2]), {"action": "continue", "text": "Written before signing in"})
    assert set(client.session[SESSION_KEY][str(module.pk)]["done"]) == {s.pk for s in steps[:3]}

    response = client.post(reverse("account_login"), {"login": person.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302

    progress = progress_of(person, module)
    assert set(progress.completions.values_list("step_id", flat=True)) == {s.pk for s in steps[:3]}
    assert progress.current_step == steps[3]
    assert Reflection.objects.get(user=person).text == "Written before signing in"
    assert SESSION_KEY not in client.session
    # And it shows: the module offers to carry on from step 4.
    assert f'href="{step_url(module, steps[3])}"' in client.get(start_url(module)).content.decode()


def test_a_module_finished_before_signing_in_gets_its_certificate_on_sign_in(client):
    person = UserFactory()
    module = make_module()
    complete_module(client, module)
    page = client.get(reverse("training:module-complete", args=[module.resource.slug])).content.decode()
    assert "You have done every step" in page
    client.post(reverse("account_login"), {"login": person.email, "password": DEFAULT_PASSWORD})
    assert progress_of(person, module).completed_at is not None
    assert Certificate.objects.filter(user=person, module=module).exists()


def test_session_progress_is_merged_by_every_way_of_signing_in(client):
    """The receiver listens to Django's own user_logged_in, which login() sends whatever the route (here the test
    client's force_login, which goes round allauth entirely): no later GET has to catch up."""
    person = UserFactory()
    module = make_module()
    steps = steps_of(module)
    client.post(step_url(module, steps[0]), {"action": "continue"})
    client.force_login(person)
    assert progress_of(person, module).completions.count() == 1
    assert SESSION_KEY not in client.session


def test_session_progress_left_over_is_not_merged_by_a_get(client):
    """Should work kept in the session ever miss the sign-in (the receiver disconnected here), a GET still writes
    nothing: the player shows the learner's record."""
    from django.contrib.auth.signals import user_logged_in

    from training.receivers import merge_progress_on_sign_in

    person = UserFactory()
    module = make_module()
    client.post(step_url(module, steps_of(module)[0]), {"action": "continue"})
    assert user_logged_in.disconnect(dispatch_uid="training-merge-session-progress")
    try:
        client.force_login(person)
    finally:
        user_logged_in.connect(merge_progress_on_sign_in, dispatch_uid="training-merge-session-progress")
    for url in (start_url(module), reverse("training:my-learning")):
        assert client.get(url).status_code == 200
    assert not ModuleProgress.objects.exists()


# Rate limit without an account ----------------------------------------------------------------------------------


def test_posts_without_an_account_are_limited_per_address_and_nothing_more_is_kept():
    module = make_module(kinds=("reading", "reflection"))
    reading, reflection = steps_of(module)
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [client.post(step_url(module, reading), {"action": "continue"}).status_code for _ in range(59)]
    statuses.append(client.post(start_url(module), {"continue": "1"}).status_code)  # the player counts as one
    assert statuses == [302] * 60
    response = client.post(step_url(module, reflection), {"action": "continue", "text": "x" * 5000})
    assert response.status_code == 429
    assert "Please wait a moment before trying again" in response.content.decode()
    assert client.session[SESSION_KEY][str(module.pk)]["reflections"] == {}
    assert client.post(start_url(module), {}).status_code == 429
    # Reading is never limited, and someone at another address is not held up.
    assert client.get(step_url(module, reflection)).status_code == 200
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert other.post(step_url(module, reflection), {"action": "continue", "text": "Mine"}).status_code == 302


def test_signed_in_learners_are_not_held_up_by_the_anonymous_limit(user, member_client):
    module = make_module(kinds=("reading",))
    reading = steps_of(module)[0]
    statuses = {member_client.post(step_url(module, reading), {"action": "continue"}).status_code for _ in range(65)}
    assert statuses == {302}


# Query counts ---------------------------------------------------------------------------------------------------


def test_a_step_page_needs_the_same_few_queries_however_long_the_module(
    user, member_client, django_assert_max_num_queries
):
    """Guards the N+1s on a step: one query per step in the step list, per question or per option in the check."""
    module = make_module(kinds=("reading",) * 15 + ("check",), questions=12)
    steps = steps_of(module)
    member_client.post(start_url(module))
    for step in steps[:10]:
        member_client.post(step_url(module, step), {"action": "continue"})
    with django_assert_max_num_queries(11):
        response = member_client.get(step_url(module, steps[-1]))
    assert response.status_code == 200
    assert "Step 16 of 16" in response.content.decode()
    with django_assert_max_num_queries(11):
        member_client.get(start_url(module))
