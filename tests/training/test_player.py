"""The module player's shape: GET pages write nothing, one Learner interface for both kinds of learner, player_get
in a fixed number of queries, grading in the service, and the progress row locked while a step is recorded."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.training.learning_helpers import answers, complete_module, make_external, make_module, step_url, steps_of
from training.learning import selectors, services
from training.learning.learners import DatabaseLearner, SessionLearner
from training.models import Certificate, CheckAttempt, ModuleProgress, Pathway, PathwayItem, Reflection

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def writes(queries) -> list[str]:
    return [query["sql"] for query in queries if WRITE.match(query["sql"])]


def assert_gets_write_nothing(client: Client, urls: list[str]) -> None:
    """Every URL answers GET and HEAD without an INSERT, UPDATE or DELETE, in any table (the session's included:
    sessions are kept in the database). Prints the statements if any."""
    for url in urls:
        for method in (client.get, client.head):
            with CaptureQueriesContext(connection) as captured:
                response = method(url)
            assert response.status_code in (200, 302, 404), (method.__name__, url, response.status_code)
            assert writes(captured.captured_queries) == [], (method.__name__, url)


def player_urls(module, *, certificate: Certificate | None = None) -> list[str]:
    slug = module.resource.slug
    urls = [
        reverse("training:module-start", args=[slug]),
        reverse("training:module-start", args=[slug]) + "?continue=1",
        reverse("training:module-break", args=[slug]),
        reverse("training:module-complete", args=[slug]),
        reverse("training:my-learning"),
        reverse("training:pathway-list"),
        reverse("training:certificate-check"),
    ]
    for step in steps_of(module):
        urls.append(step_url(module, step))
        urls.append(reverse("training:module-step-result", args=[slug, step.pk]))
    urls.append(reverse("training:module-step", args=[slug, 999999]))  # not this module's: a 404 page
    if certificate is not None:
        urls += [
            reverse("training:certificate-verify", args=[certificate.code]),
            reverse("training:certificate-check") + f"?code={certificate.code.lower()}",
            reverse("training:certificate-name", args=[certificate.code]),
            reverse("training:certificate-download", args=[certificate.code]),
        ]
    return urls


# No writes on GET -----------------------------------------------------------------------------------------------


def test_no_player_page_writes_on_get_for_a_learner_part_way_through(user, member_client):
    module = make_module(content_warning="Mentions harm.")
    steps = steps_of(module)
    member_client.post(reverse("training:module-start", args=[module.resource.slug]), {"continue": "1"})
    member_client.post(step_url(module, steps[0]), {"action": "continue"})
    member_client.post(step_url(module, steps[2]), {"action": "break", "text": "Half"})
    wrong = answers(steps[-1], right=False)
    member_client.post(step_url(module, steps[-1]), wrong)
    before = (ModuleProgress.objects.get().updated_at, CheckAttempt.objects.count(), Reflection.objects.count())
    assert_gets_write_nothing(member_client, player_urls(module))
    assert (ModuleProgress.objects.get().updated_at, CheckAttempt.objects.count(), Reflection.objects.count()) == before
    assert ModuleProgress.objects.get().current_step == steps[-1]  # where the check left it: opening steps did not


def test_no_player_page_writes_on_get_after_completing_with_a_certificate(user, member_client):
    module = make_module()
    complete_module(member_client, module)
    certificate = Certificate.objects.get(user=user)
    services.certificate_rename(certificate=certificate, learner_name="Morag MacLeod")
    assert_gets_write_nothing(member_client, player_urls(module, certificate=certificate))


def test_no_player_page_writes_on_get_without_an_account():
    module = make_module(content_warning="Mentions harm.")
    steps = steps_of(module)
    client = Client()
    assert_gets_write_nothing(client, player_urls(module))  # the warning, before the person has a session
    client.post(reverse("training:module-start", args=[module.resource.slug]), {"continue": "1"})
    client.post(step_url(module, steps[0]), {"action": "continue"})
    client.post(step_url(module, steps[-1]), answers(steps[-1]))
    assert_gets_write_nothing(client, player_urls(module))


def test_a_completed_module_without_a_certificate_is_not_issued_one_by_a_get(user, member_client):
    """A record completed before certificates (or whose certificate went missing): the end page offers a button;
    only its POST issues the certificate."""
    module = make_module(kinds=("reading",))
    ModuleProgress.objects.create(user=user, module=module, completed_at=timezone.now())
    url = reverse("training:module-complete", args=[module.resource.slug])
    page = member_client.get(url).content.decode()
    assert 'name="action" value="certificate"' in page
    assert not Certificate.objects.exists()
    response = member_client.post(url, {"action": "certificate"})
    assert response["Location"] == url
    certificate = Certificate.objects.get(user=user, module=module)
    assert reverse("training:certificate-name", args=[certificate.code]) in member_client.get(url).content.decode()


def test_the_certificate_button_does_nothing_for_a_module_not_finished(user, member_client):
    module = make_module()
    member_client.post(step_url(module, steps_of(module)[0]), {"action": "continue"})
    response = member_client.post(
        reverse("training:module-complete", args=[module.resource.slug]), {"action": "certificate"}
    )
    assert response.status_code == 302
    assert not Certificate.objects.exists()


def test_my_learning_pages_write_nothing_on_get(user, member_client):
    module = make_module(kinds=("reading", "reflection"))
    complete_module(member_client, module)
    Reflection.objects.create(user=user, step=steps_of(module)[1], text="A thought")
    external = make_external(901)
    pathway = Pathway.objects.create(title="P", slug="p", summary="P.", published_at=timezone.now())
    PathwayItem.objects.create(pathway=pathway, resource=module.resource, order=1)
    assert_gets_write_nothing(
        member_client,
        [
            reverse("training:my-learning"),
            reverse("training:my-learning-csv"),
            reverse("training:my-learning-pdf"),
            reverse("training:reflections-delete"),
            reverse("training:reflection-delete", args=[Reflection.objects.get().pk]),
            reverse("training:my-learning-delete"),
            reverse("training:external-completion", args=[external.slug]),
            reverse("training:pathway-detail", args=[pathway.slug]),
        ],
    )


# One interface for both kinds of learner -----------------------------------------------------------------------


def database_learner():
    return DatabaseLearner(user=UserFactory(), session=SessionStore())


def session_learner():
    return SessionLearner(user=AnonymousUser(), session=SessionStore())


@pytest.mark.parametrize("make_learner", [database_learner, session_learner], ids=["database", "session"])
def test_both_learners_keep_the_same_progress_through_one_interface(make_learner):
    module = make_module(kinds=("reading", "reflection", "check"), questions=2, pass_mark=100)
    steps = steps_of(module)
    reading, reflection, check = steps
    learner = make_learner()
    assert learner.progress(module=module, steps=steps).started is False

    learner.start(module=module, steps=steps)
    assert learner.step_done(module=module, steps=steps, step=reading, reflection=None) is False
    learner.take_break(module=module, step=reflection, reflection="Half a thought")
    progress = learner.progress(module=module, steps=steps)
    assert (progress.started, progress.done_step_ids, progress.current_step_id) == (True, {reading.pk}, reflection.pk)
    assert learner.reflection(step=reflection) == "Half a thought"

    assert learner.step_done(module=module, steps=steps, step=reflection, reflection="") is False
    assert learner.reflection(step=reflection) == ""  # an emptied reflection is removed
    questions = selectors.check_questions(step=check)
    wrong = {q.pk: q.options.get(is_correct=False).pk for q in questions}
    right = {q.pk: q.options.get(is_correct=True).pk for q in questions}
    attempt = learner.check_submit(module=module, steps=steps, step=check, questions=questions, answers=wrong)
    assert (attempt.score, attempt.passed) == (0, False)
    assert learner.latest_attempt(step=check) == attempt
    assert learner.progress(module=module, steps=steps).finished is False
    attempt = learner.check_submit(module=module, steps=steps, step=check, questions=questions, answers=right)
    assert (attempt.score, attempt.passed) == (100, True)
    progress = learner.progress(module=module, steps=steps)
    assert progress.finished is True
    assert progress.done_step_ids == {s.pk for s in steps}
    # Only a learning record gets a certificate, issued by the write that completed the module.
    certificate = learner.certificate(module=module)
    assert (certificate is not None) == learner.keeps_record


def test_grading_is_the_services_rule_and_refuses_a_foreign_answer():
    module = make_module(kinds=("check",), questions=4, pass_mark=75)
    check = steps_of(module)[0]
    questions = selectors.check_questions(step=check)
    chosen = {q.pk: q.options.get(is_correct=n != 0).pk for n, q in enumerate(questions)}
    result = services.check_grade(module=module, questions=questions, answers=chosen)
    assert (result.score, result.passed) == (75, True)
    review = services.check_review(questions=questions, answers=result.answers)
    assert [row.right for row in review] == [False, True, True, True]
    assert [item["chosen"] for item in review[0].options] == [False, True]
    chosen[questions[0].pk] = questions[1].options.first().pk  # another question's option
    with pytest.raises(services.ValidationError):
        services.check_grade(module=module, questions=questions, answers=chosen)


# player_get ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make_learner", [database_learner, session_learner], ids=["database", "session"])
def test_player_get_reads_a_step_page_in_a_fixed_number_of_queries(make_learner, django_assert_num_queries):
    """Guards the N+1s: one query per step (step list, done marks), per question or per option of the check."""
    module = make_module(kinds=("reading",) * 12 + ("reflection", "check"), questions=10)
    steps = steps_of(module)
    learner = make_learner()
    for step in steps[:8]:
        learner.step_done(module=module, steps=steps, step=step, reflection=None)
    # From the database: the progress row, the steps done, and later the attempt or the reflection; the session's
    # copy costs nothing more (the session itself is read once per request, before this).
    progress_queries, own = (2, 1) if learner.keeps_record else (0, 0)
    with django_assert_num_queries(3 + progress_queries + 2 + own):  # module, levels, steps; questions, options
        player = selectors.player_get(learner=learner, slug=module.resource.slug, step_id=steps[-1].pk, attempt=True)
        assert [row.done for row in player.rows] == [True] * 8 + [False] * 6
        assert (player.number, player.total, player.next, player.previous) == (14, 14, None, steps[-2])
        assert len(player.questions) == 10
        assert player.attempt is None
    # The module and the learner's progress are cached now (until the module or their learning changes): only what
    # is this step's own is read, a reflection's text.
    with django_assert_num_queries(own):
        player = selectors.player_get(learner=learner, slug=module.resource.slug, step_id=steps[-2].pk)
        assert player.reflection == ""
        assert player.rows[0].url == step_url(module, steps[0])
        assert [row.done for row in player.rows] == [True] * 8 + [False] * 6


@pytest.mark.parametrize("make_learner", [database_learner, session_learner], ids=["database", "session"])
def test_player_get_reads_changes_to_the_cached_module_and_progress(make_learner):
    """The module and the progress are cached: a step done, and a step renamed (as the admin would), show at once."""
    module = make_module(kinds=("reading", "reading", "reading"))
    steps = steps_of(module)
    learner = make_learner()
    player = selectors.player_get(learner=learner, slug=module.resource.slug, step_id=steps[0].pk)
    assert [row.done for row in player.rows] == [False, False, False]
    learner.step_done(module=module, steps=steps, step=steps[0], reflection=None)
    steps[1].title = "Renamed in the admin"
    steps[1].save()
    player = selectors.player_get(learner=learner, slug=module.resource.slug, step_id=steps[0].pk)
    assert [row.done for row in player.rows] == [True, False, False]
    assert player.steps[1].title == "Renamed in the admin"


def test_player_get_says_a_step_of_another_module_is_not_found():
    module, other = make_module(), make_module()
    with pytest.raises(selectors.StepNotFound) as raised:
        selectors.player_get(learner=session_learner(), slug=module.resource.slug, step_id=steps_of(other)[0].pk)
    assert raised.value.module == module


# The lock --------------------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL: set DATABASE_URL to run it")
def test_recording_a_step_locks_the_learners_progress_row():
    """Two tabs finishing steps at once take turns on the progress row, so the second sees the first's completion
    before deciding whether the module is complete."""
    module = make_module(kinds=("reading", "reading"))
    steps = steps_of(module)
    user = UserFactory()
    with CaptureQueriesContext(connection) as captured:
        services.step_complete(user=user, module=module, steps=steps, step=steps[0])
    locking = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locking and all('"training_moduleprogress"' in sql for sql in locking)
