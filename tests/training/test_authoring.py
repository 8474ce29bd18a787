"""Authoring: the admin for Content editors, publishing with notifications to people who follow a level, following
a level, and the editors' figures page with its CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Preference
from portal.notifications.registry import Delivery
from tests.factories import StaffFactory, UserFactory
from tests.training.catalogue_helpers import level, make_resource
from training import services
from training.models import LevelInterest, Module, ModuleProgress, Resource, ResourceFeedback
from training.notifications import NEW_RESOURCE

pytestmark = pytest.mark.django_db


# --- Admin --------------------------------------------------------------------------------------------------------


def test_content_editors_can_manage_the_training_models():
    codenames = set(Group.objects.get(name="Content editors").permissions.values_list("codename", flat=True))
    for model in ("resource", "module", "step", "question", "option", "pathway", "casestudy", "learningevent"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}"} <= codenames
    assert "view_resourcefeedback" in codenames
    assert "change_resourcefeedback" not in codenames


@pytest.fixture
def editor_client(client):
    editor = UserFactory(is_staff=True, groups=["Content editors"])
    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    "model", ["resource", "module", "step", "question", "pathway", "casestudy", "learningevent", "resourcefeedback"]
)
def test_editor_reaches_each_admin_page(editor_client, model):
    assert editor_client.get(reverse(f"admin:training_{model}_changelist")).status_code == 200
    if model != "resourcefeedback":
        assert editor_client.get(reverse(f"admin:training_{model}_add")).status_code == 200


def test_resource_admin_has_a_preview_link(editor_client):
    draft = make_resource(published=False)
    response = editor_client.get(reverse("admin:training_resource_change", args=[draft.pk]))
    assert f"{draft.get_absolute_url()}?preview=1&amp;continue=1".encode() in response.content
    assert editor_client.get(draft.get_absolute_url() + "?preview=1").status_code == 200


def test_module_admin_orders_steps_inline(admin_client):
    resource = make_resource(published=False)
    response = admin_client.post(
        reverse("admin:training_module_add"),
        {
            "resource": resource.pk,
            "introduction": "",
            "pass_mark": 80,
            "steps-TOTAL_FORMS": 2,
            "steps-INITIAL_FORMS": 0,
            "steps-0-order": 2,
            "steps-0-title": "Second",
            "steps-0-kind": "reading",
            "steps-0-required": "on",
            "steps-1-order": 1,
            "steps-1-title": "First",
            "steps-1-kind": "reading",
            "steps-1-required": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    module = Module.objects.get(resource=resource)
    assert [step.title for step in module.steps.all()] == ["First", "Second"]


# --- Publishing and following a level -----------------------------------------------------------------------------


def test_new_resource_kind_is_opt_in():
    kind = NEW_RESOURCE
    assert kind.default == Delivery.OFF
    assert kind.can_opt_out


def test_following_a_level_switches_the_notification_on(client, user):
    client.force_login(user)
    url = reverse("training:level-interest", args=["trauma-skilled"])
    response = client.post(url, {"wanted": "on"})
    assert response.status_code == 302
    assert LevelInterest.objects.filter(user=user, level__slug="trauma-skilled").exists()
    assert Preference.objects.get(user=user, kind=NEW_RESOURCE.name).delivery == Delivery.IMMEDIATE

    client.post(url, {})
    assert not LevelInterest.objects.filter(user=user).exists()


def test_following_keeps_a_chosen_daily_summary(user):
    Preference.objects.create(user=user, kind=NEW_RESOURCE.name, delivery=Delivery.DIGEST)
    services.level_interest_set(user=user, level=level("trauma-skilled"), wanted=True)
    assert Preference.objects.get(user=user, kind=NEW_RESOURCE.name).delivery == Delivery.DIGEST


def test_following_needs_an_account(client):
    response = client.post(reverse("training:level-interest", args=["trauma-skilled"]), {"wanted": "on"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not LevelInterest.objects.exists()


def test_publish_action_notifies_followers_of_its_levels(admin_client, mailoutbox, django_capture_on_commit_callbacks):
    follower = UserFactory(email="follower@example.org")
    services.level_interest_set(user=follower, level=level("trauma-skilled"), wanted=True)
    other_level = UserFactory(email="other@example.org")
    services.level_interest_set(user=other_level, level=level("trauma-specialist"), wanted=True)
    turned_off = UserFactory(email="off@example.org")
    services.level_interest_set(user=turned_off, level=level("trauma-skilled"), wanted=True)
    Preference.objects.filter(user=turned_off).update(delivery=Delivery.OFF)
    draft = make_resource(title="New skilled module", levels=("trauma-skilled",), published=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:training_resource_changelist"),
            {"action": "publish_and_notify", "_selected_action": [draft.pk]},
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert [message.to for message in mailoutbox] == [["follower@example.org"]]
    message = mailoutbox[0]
    assert "New skilled module" in message.subject
    assert draft.get_absolute_url() in message.body


def test_publishing_twice_sends_nothing_more(mailoutbox, django_capture_on_commit_callbacks):
    follower = UserFactory()
    services.level_interest_set(user=follower, level=level("trauma-informed"), wanted=True)
    draft = make_resource(published=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resource_publish(resource=draft) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resource_publish(resource=draft) is False
    assert len(mailoutbox) == 1


def test_nobody_hears_without_following(mailoutbox, django_capture_on_commit_callbacks):
    UserFactory()
    draft = make_resource(published=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_publish(resource=draft)
    assert mailoutbox == []


def _admin_form(resource: Resource | None = None, **changes) -> dict:
    """What the resource admin form posts, for a new resource or one already saved."""
    data = {
        "title": "Skilled practice in housing",
        "slug": "skilled-practice-in-housing",
        "summary": "A short summary.",
        "description": "About it.",
        "levels": [level("trauma-skilled").pk],
        "format": "elearning",
        "duration_minutes": 30,
        "provider": "NHS Education for Scotland",
        "cost": "Free",
        "published_at_0": "",
        "published_at_1": "",
    }
    if resource is not None:
        data.update(
            title=resource.title,
            slug=resource.slug,
            summary=resource.summary,
            description=resource.description,
            levels=list(resource.levels.values_list("pk", flat=True)),
        )
    data.update(changes)
    return data


def _now_in_the_form() -> dict:
    now = timezone.localtime()
    return {"published_at_0": now.strftime("%Y-%m-%d"), "published_at_1": now.strftime("%H:%M:%S")}


@pytest.fixture
def skilled_follower():
    follower = UserFactory(email="follower@example.org")
    services.level_interest_set(user=follower, level=level("trauma-skilled"), wanted=True)
    return follower


def test_setting_published_at_in_the_admin_form_tells_followers_once(
    admin_client, skilled_follower, mailoutbox, django_capture_on_commit_callbacks
):
    draft = make_resource(title="Draft skilled module", levels=("trauma-skilled",), published=False)
    url = reverse("admin:training_resource_change", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, _admin_form(draft, **_now_in_the_form()))
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.followers_notified_at is not None
    assert [message.to for message in mailoutbox] == [["follower@example.org"]]

    # Saving again, or unpublishing and publishing again, tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, _admin_form(draft, **_now_in_the_form()))
        admin_client.post(url, _admin_form(draft))
        admin_client.post(url, _admin_form(draft, **_now_in_the_form()))
    assert len(mailoutbox) == 1


def test_a_new_resource_added_published_tells_the_followers_of_the_levels_chosen_in_the_same_form(
    admin_client, skilled_follower, mailoutbox, django_capture_on_commit_callbacks
):
    """The admin saves levels after the resource: the followers are found after commit, not at the first save."""
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:training_resource_add"), _admin_form(**_now_in_the_form()))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [message.to for message in mailoutbox] == [["follower@example.org"]]
    assert "Skilled practice in housing" in mailoutbox[0].subject


def test_publishing_from_the_shell_tells_followers_once(
    skilled_follower, mailoutbox, django_capture_on_commit_callbacks
):
    draft = make_resource(levels=("trauma-skilled",), published=False)
    with django_capture_on_commit_callbacks(execute=True):
        draft.published_at = timezone.now()
        draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        draft.save()
    assert len(mailoutbox) == 1


def test_a_resource_published_for_later_is_announced_by_the_beat_task_when_it_goes_live(
    skilled_follower, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        scheduled = make_resource(levels=("trauma-skilled",), published_at=timezone.now() + timedelta(days=1))
        assert services.resources_announce_due() == 0
    assert mailoutbox == []

    Resource.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resources_announce_due() == 1
        assert services.resources_announce_due() == 0
    assert [message.to for message in mailoutbox] == [["follower@example.org"]]


def test_resources_live_before_the_guard_existed_are_not_announced_again(skilled_follower, mailoutbox):
    """The migration marks them announced; a sweep after deploying must not send news from the past."""
    from importlib import import_module

    from django.apps import apps

    live = make_resource(levels=("trauma-skilled",))
    import_module("training.migrations.0005_resource_followers_notified").mark_live_resources_as_announced(apps, None)
    assert services.resources_announce_due() == 0
    live.refresh_from_db()
    assert live.followers_notified_at == live.published_at


# --- Editors' figures ---------------------------------------------------------------------------------------------


def _figures_data() -> Resource:
    resource = make_resource(title="The essentials")
    Resource.objects.filter(pk=resource.pk).update(view_count=40)
    module = Module.objects.create(resource=resource)
    learners = [UserFactory() for _ in range(4)]
    # Two of four completed; confidence +2 and +1 for the two who answered.
    ModuleProgress.objects.create(
        user=learners[0], module=module, completed_at=resource.published_at, confidence_before=2, confidence_after=4
    )
    ModuleProgress.objects.create(
        user=learners[1], module=module, completed_at=resource.published_at, confidence_before=3, confidence_after=4
    )
    ModuleProgress.objects.create(user=learners[2], module=module)
    ModuleProgress.objects.create(user=learners[3], module=module)
    for useful in (True, True, True, False):
        ResourceFeedback.objects.create(resource=resource, useful=useful)
    make_resource(title="Nothing yet")
    return resource


def with_second_factor(user):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    return user


def editor():
    return with_second_factor(UserFactory(groups=["Content editors"], is_staff=True))


def _who(kind: str):
    return {
        "editor": editor,
        "superuser": lambda: with_second_factor(UserFactory(is_superuser=True, is_staff=True)),
        "editor without two-step verification": lambda: UserFactory(groups=["Content editors"], is_staff=True),
        "member": lambda: UserFactory(),
        "staff not an editor": lambda: StaffFactory(groups=["Moderators"]),
        "signed out": lambda: None,
    }[kind]()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("editor", 200),
        ("superuser", 200),
        ("editor without two-step verification", "/accounts/2fa/"),
        ("member", 404),
        ("staff not an editor", 404),
        ("signed out", "/accounts/login/?next="),
    ],
)
def test_figures_page_permission(client, who, expected):
    _figures_data()
    person = _who(who)
    if person is not None:
        client.force_login(person)
    for url in (reverse("training:resource-figures"), reverse("training:resource-figures-csv")):
        response = client.get(url)
        if isinstance(expected, int):
            assert response.status_code == expected
        else:
            assert response.status_code == 302 and response["Location"].startswith(expected)


def test_figures_are_right(client):
    _figures_data()
    client.force_login(editor())
    response = client.get(reverse("training:resource-figures"))
    rows = {row["resource"].title: row for row in response.context["rows"]}
    essentials = rows["The essentials"]
    assert (essentials["views"], essentials["starts"], essentials["completions"]) == (40, 4, 2)
    assert essentials["completion_rate"] == 50
    assert (essentials["useful_share"], essentials["feedback_total"]) == (75, 4)
    assert essentials["confidence_change"] == 1.5
    nothing = rows["Nothing yet"]
    assert (nothing["starts"], nothing["completion_rate"], nothing["useful_share"]) == (0, None, None)
    assert nothing["confidence_change"] is None

    export = client.get(reverse("training:resource-figures-csv"))
    assert export["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert table[0][:3] == ["Resource", "Published", "Views"]
    essentials_row = next(row for row in table if row[0] == "The essentials")
    assert essentials_row[2:] == ["40", "4", "2", "50", "4", "75", "1.5"]


def test_figures_export_makes_a_formula_title_inert(client):
    make_resource(title='=HYPERLINK("http://x")')
    client.force_login(editor())
    export = client.get(reverse("training:resource-figures-csv"))
    table = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert [row[0] for row in table if "HYPERLINK" in row[0]] == ['\'=HYPERLINK("http://x")']


def test_figures_query_count(client, django_assert_max_num_queries):
    """Guards against a query per resource for starts, completions, feedback and confidence (all subqueries)."""
    _figures_data()
    for _ in range(10):
        make_resource()
    client.force_login(editor())
    with django_assert_max_num_queries(6):
        response = client.get(reverse("training:resource-figures"))
    assert len(response.context["rows"]) == 12
