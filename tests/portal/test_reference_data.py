import pytest
from django.contrib.auth.models import Group

from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard, PracticeLevel, Principle


@pytest.mark.django_db
def test_scotland_reference_data_is_loaded():
    assert CouncilArea.objects.count() == 32
    assert HealthBoard.objects.count() == 14
    assert HealthAndSocialCarePartnership.objects.count() == 31
    assert list(PracticeLevel.objects.values_list("name", flat=True)) == [
        "Trauma Informed", "Trauma Skilled", "Trauma Enhanced", "Trauma Specialist",
    ]  # fmt: skip
    assert Principle.objects.count() == 5


@pytest.mark.django_db
def test_every_council_area_belongs_to_exactly_one_board_and_one_partnership():
    for area in CouncilArea.objects.prefetch_related("health_boards", "partnerships"):
        assert len(area.health_boards.all()) == 1, area
        assert len(area.partnerships.all()) == 1, area
    assert HealthBoard.objects.get(slug="nhs-highland").council_areas.filter(name="Argyll and Bute").exists()
    shared = HealthAndSocialCarePartnership.objects.get(council_areas__name="Stirling")
    assert set(shared.council_areas.values_list("name", flat=True)) == {"Clackmannanshire", "Stirling"}


@pytest.mark.django_db
def test_staff_groups_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {"IS admins", "Content editors", "Moderators"}


@pytest.mark.django_db
def test_seed_demo_is_idempotent(settings):
    from django.core.management import call_command

    from champions.models import Attendance, Champion, Session, SupportLog
    from portal.demo import DEMO_USERS
    from portal.models import User

    settings.DEBUG = True
    call_command("seed_demo")
    network = [model.objects.count() for model in (Champion, Session, Attendance, SupportLog)]
    call_command("seed_demo")
    assert User.objects.filter(email__endswith="@example.org").count() == len(DEMO_USERS) == 5
    assert [model.objects.count() for model in (Champion, Session, Attendance, SupportLog)] == network
    assert Champion.objects.get(user__email="champion@example.org").cohorts.exists()
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_staff and admin.groups.filter(name="IS admins").exists()
    assert admin.check_password("demo-admin-password")


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_outside_development_leaves_no_known_password(settings):
    from django.core.management import call_command

    from portal.models import User

    settings.DEBUG = False
    call_command("seed_demo", "--allow-production")
    admin = User.objects.get(email="admin@example.org")
    assert not admin.has_usable_password()
    assert not admin.is_superuser
    assert not admin.check_password("demo-admin-password")
