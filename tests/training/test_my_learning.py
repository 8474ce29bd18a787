"""My learning: the record, exports for a CPD portfolio, saved resources, and deleting reflections or everything."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.training.learning_helpers import complete_module, make_external, make_module, step_url, steps_of
from training.models import (
    Certificate,
    CheckAttempt,
    ExternalCompletion,
    ModuleProgress,
    Reflection,
    SavedResource,
    StepCompletion,
)

pytestmark = pytest.mark.django_db

MY_LEARNING = reverse("training:my-learning")


@pytest.fixture
def record(user, member_client):
    """Someone with a completed module, one in progress, a reflection, a saved resource and learning from elsewhere."""
    done = make_module(title="Finished module", kinds=("reflection", "check"))
    steps = steps_of(done)
    member_client.post(step_url(done, steps[0]), {"action": "continue", "text": "What I noticed"})
    complete_module(member_client, done)
    half = make_module(title="Half-done module", kinds=("reading", "reading", "reading"))
    member_client.post(step_url(half, steps_of(half)[0]), {"action": "continue"})
    elsewhere = make_external(1, title="Skilled practice on Turas")
    ExternalCompletion.objects.create(user=user, resource=elsewhere, completed_on=timezone.localdate())
    SavedResource.objects.create(user=user, resource=make_external(2, title="Saved for later one"))
    return {"done": done, "half": half}


def test_my_learning_needs_sign_in(client):
    response = client.get(MY_LEARNING)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_my_learning_shows_progress_completions_certificates_saved_and_reflections(member_client, record):
    page = member_client.get(MY_LEARNING).content.decode()
    half = record["half"]
    assert "Half-done module" in page
    assert f'href="{step_url(half, steps_of(half)[1])}"' in page  # resume where they left off
    assert "Finished module" in page
    assert "Skilled practice on Turas" in page
    assert Certificate.objects.get().code in page
    assert "Saved for later one" in page
    assert "What I noticed" in page
    assert timezone.localdate().strftime("%-d %B %Y") in page


def test_an_empty_record_explains_what_will_appear(member_client):
    page = member_client.get(MY_LEARNING).content.decode()
    assert "Nothing in progress" in page
    assert "You have not written any reflections" in page


def test_the_csv_export_lists_modules_and_learning_from_elsewhere(member_client, record):
    response = member_client.get(reverse("training:my-learning-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Learning", "Where", "Status"]
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["Finished module"][2] == "Completed"
    assert by_title["Finished module"][5] == Certificate.objects.get().code
    assert by_title["Half-done module"][2] == "In progress"
    assert by_title["Skilled practice on Turas"][1] == "Turas Learn"
    assert "What I noticed" not in response.content.decode()  # reflections stay private, even from exports


def test_a_title_that_looks_like_a_formula_is_made_safe_in_the_csv(user, member_client):
    resource = make_external(9, title='=HYPERLINK("http://x")')
    ExternalCompletion.objects.create(user=user, resource=resource, completed_on=timezone.localdate())
    rows = list(csv.reader(io.StringIO(member_client.get(reverse("training:my-learning-csv")).content.decode())))
    assert rows[1][0].startswith("'=")


def test_the_pdf_export_is_a_pdf(member_client, record):
    response = member_client.get(reverse("training:my-learning-pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_saving_and_removing_a_resource(user, member_client):
    resource = make_external(1)
    url = reverse("training:resource-save", args=[resource.slug])
    member_client.post(url, {"action": "save"})
    member_client.post(url, {"action": "save"})  # twice is still once
    assert SavedResource.objects.filter(user=user, resource=resource).count() == 1
    member_client.post(url, {"action": "remove"})
    assert not SavedResource.objects.exists()
    assert member_client.get(url).status_code == 405


def test_the_completion_date_hint_describes_the_date_picker_it_sits_under(member_client):
    """The field is type=date: the browser draws the date in its own format, so a hint about typing "27 3 2025"
    described a box that is not there."""
    resource = make_external(3, title="On Turas")
    page = member_client.get(reverse("training:external-completion", args=[resource.slug])).content.decode()
    assert 'type="date"' in page
    hint = re.search(r'<p class="ds_hint-text" id="[^"]*">(.*?)</p>', page, re.S).group(1)
    assert "calendar" in hint
    assert not re.search(r"\d", hint), hint  # no typed format to copy


def test_deleting_one_reflection_asks_first_and_leaves_other_peoples_alone(user, member_client, record):
    reflection = Reflection.objects.get(user=user)
    url = reverse("training:reflection-delete", args=[reflection.pk])
    page = member_client.get(url).content.decode()
    assert "What I noticed" in page
    assert Reflection.objects.exists()  # looking at the page deletes nothing

    other = Client()
    other.force_login(UserFactory())
    assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404
    assert Reflection.objects.filter(pk=reflection.pk).exists()

    assert member_client.post(url).status_code == 302
    assert not Reflection.objects.filter(pk=reflection.pk).exists()
    assert StepCompletion.objects.filter(progress__user=user).exists()  # the step stays done


def test_deleting_all_reflections_needs_the_box_ticked(user, member_client, record):
    url = reverse("training:reflections-delete")
    response = member_client.post(url, {})
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert Reflection.objects.filter(user=user).exists()
    member_client.post(url, {"confirm": "on"})
    assert not Reflection.objects.filter(user=user).exists()
    assert Certificate.objects.filter(user=user).exists()


def test_deleting_the_whole_learning_record_keeps_the_account_and_other_peoples_records(user, member_client, record):
    other_person = UserFactory()
    other = Client()
    other.force_login(other_person)
    complete_module(other, record["done"])

    url = reverse("training:my-learning-delete")
    page = member_client.get(url).content.decode()
    assert "What is deleted" in page and "What stays" in page
    response = member_client.post(url, {})
    assert response.status_code == 200
    assert ModuleProgress.objects.filter(user=user).exists()

    code = Certificate.objects.get(user=user).code
    member_client.post(reverse("training:certificate-name", args=[code]), {"learner_name": "Morag MacLeod"})
    assert Client().get(reverse("training:certificate-verify", args=[code])).status_code == 200
    member_client.post(url, {"confirm": "on"})
    for model in (ModuleProgress, Reflection, Certificate, ExternalCompletion, SavedResource):
        assert not model.objects.filter(user=user).exists(), model
    assert not CheckAttempt.objects.filter(progress__user=user).exists()
    assert ModuleProgress.objects.filter(user=other_person).exists()
    assert Certificate.objects.filter(user=other_person).exists()
    user.refresh_from_db()  # the account is still there
    assert Client().get(reverse("training:certificate-verify", args=[code])).status_code == 404


def test_my_learning_needs_the_same_few_queries_however_long_the_record(
    user, member_client, django_assert_max_num_queries
):
    """Guards the N+1s in My learning: a query per module for its resource or current step, per certificate, per
    saved resource or per reflection for its step and module."""
    for n in range(6):
        module = make_module(kinds=("reflection", "reading"))
        first = steps_of(module)[0]
        member_client.post(step_url(module, first), {"action": "continue", "text": f"Thought {n}"})
        if n % 2:
            complete_module(member_client, module)
        SavedResource.objects.create(user=user, resource=make_external(100 + n))
        ExternalCompletion.objects.create(user=user, resource=make_external(200 + n), completed_on=timezone.localdate())
    with django_assert_max_num_queries(10):
        response = member_client.get(MY_LEARNING)
    page = response.content.decode()
    assert page.count("Continue where you left off") == 3
    assert page.count("Thought ") == 6
    with django_assert_max_num_queries(10):
        member_client.get(reverse("training:my-learning-csv"))


def test_the_resource_page_includes_cost_one_query_each_at_most(user, member_client, django_assert_max_num_queries):
    """The two e-learning includes on the resource page: one query for a module's progress, and none for saved or
    completed-elsewhere once the person's marks are cached (three queries the first time), never one per anything."""
    from django.template import Context, Template
    from django.test import RequestFactory

    module = make_module()
    external = make_external(1)
    request = RequestFactory().get("/")
    request.user = user
    template = Template(
        '{% include "training/includes/module_start.html" %}{% include "training/includes/resource_actions.html" %}'
    )
    from training.learning.selectors import learning_marks
    from training.models import Resource

    with django_assert_max_num_queries(3):
        learning_marks(user=user)
    for resource in (module.resource, external):
        fetched = Resource.objects.select_related("module").get(pk=resource.pk)
        with django_assert_max_num_queries(1 if resource == module.resource else 0):
            html = template.render(Context({"resource": fetched, "request": request, "user": user}))
        assert ("Start module" in html) == (resource == module.resource)
        assert "Save for later" in html
    member_client.post(reverse("training:module-start", args=[module.resource.slug]))
    fetched = Resource.objects.select_related("module").get(pk=module.resource.pk)
    html = template.render(Context({"resource": fetched, "request": request, "user": user}))
    assert "Continue where you left off" in html
