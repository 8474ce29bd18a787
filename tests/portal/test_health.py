import pytest
from django.db.utils import OperationalError

from portal import health


def test_healthz_says_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "outbox"}
    assert body["down"] == []


@pytest.mark.django_db
def test_readyz_answers_503_naming_the_database_when_it_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert "database" in body["down"]
    assert body["checks"]["database"].startswith("down")


@pytest.mark.django_db
def test_readyz_names_the_broker_when_it_cannot_be_reached(client, settings, monkeypatch):
    from portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "broker" in response.json()["down"]


@pytest.mark.django_db
def test_readyz_shows_the_detail_only_to_the_internal_network_and_is_admins(client, settings):
    from django.contrib.auth.models import Group

    from portal.permissions import StaffGroup
    from tests.factories import StaffFactory

    public = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/readyz", **public).json() == {"status": "ok"}  # the status alone, whoever asks
    assert "checks" in client.get("/readyz", REMOTE_ADDR="10.1.2.3").json()  # the load balancer's network
    editor = StaffFactory()
    editor.groups.add(Group.objects.get(name=StaffGroup.CONTENT_EDITORS))
    client.force_login(editor)
    assert "checks" not in client.get("/readyz", **public).json()
    admin = StaffFactory()
    admin.groups.add(Group.objects.get(name=StaffGroup.IS_ADMINS))
    client.force_login(admin)
    assert "outbox" in client.get("/readyz", **public).json()["checks"]
    settings.TRUSTED_PROXY_COUNT = 1  # behind a proxy, the client's own address decides
    client.logout()
    assert client.get("/readyz", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9").json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_the_backlogs_size_and_age_against_their_limits(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from portal.notifications.models import OutboundEmail

    settings.OUTBOX_MAX_BACKLOG, settings.OUTBOX_MAX_AGE_SECONDS = 3, 300
    now = timezone.now()
    OutboundEmail.objects.bulk_create(
        [OutboundEmail(kind="portal.announcement", to_email=f"p{i}@example.org", due_at=now) for i in range(3)]
    )
    body = client.get("/readyz").json()
    assert body["checks"]["outbox"].startswith("ok (3 due emails waiting")
    OutboundEmail.objects.create(kind="portal.announcement", to_email="p4@example.org", due_at=now)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["down"] == ["outbox"]
    assert "3+ due emails waiting" in response.json()["checks"]["outbox"]
    OutboundEmail.objects.filter(to_email="p4@example.org").delete()
    OutboundEmail.objects.filter(to_email="p0@example.org").update(due_at=now - timedelta(minutes=6))
    response = client.get("/readyz")
    assert response.status_code == 503 and "the oldest for 36" in response.json()["checks"]["outbox"]
