"""Link keys stay out of sight: the admin's notification events and outbox, and the logs."""

import logging

import pytest
from django.urls import reverse

from pledges import services as pledge_services
from pledges import tokens
from portal.notifications.models import Event, OutboundEmail
from portal.redaction import HIDDEN, RedactSecretsFilter, redact
from tests.pledges.conftest import sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pledge_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_notification_events_in_the_admin_never_show_a_pledge_link_key(admin_client):
    pledge = sign()
    pledge_services.pledge_send_manage_links(email=pledge.contact_email)
    events = list(Event.objects.filter(url__contains=":"))
    # The rows do hold the links (the emails are written from them when sent), with working keys in them.
    link_keys = [event.url.rstrip("/").rsplit("/", 1)[1] for event in events]
    assert len(link_keys) == 2
    assert tokens.read_token(link_keys[0], salt=tokens.CONFIRM_SALT, max_age=60).pledge_id == pledge.pk

    changelist = admin_client.get(reverse("admin:portal_event_changelist"))
    html = changelist.content.decode()
    assert changelist.status_code == 200
    assert "Notification events" in html
    assert "/pledge/confirm/" in html and HIDDEN in html
    for event, key in zip(events, link_keys, strict=True):
        assert key not in html
        change = admin_client.get(reverse("admin:portal_event_change", args=[event.pk]))
        assert change.status_code == 200
        assert key not in change.content.decode() and HIDDEN in change.content.decode()


def test_a_waiting_account_email_shows_in_the_admin_without_its_one_time_link(admin_client):
    link = "https://portal.example/accounts/password/reset/key/3-c9z1ab-0123456789abcdef0123/"
    row = OutboundEmail.objects.create(
        kind="account.security",
        to_email="a@example.org",
        subject="Reset",
        body_text=f"Follow {link}",
        body_html=f'<a href="{link}">Reset</a>',
    )
    html = admin_client.get(reverse("admin:portal_outboundemail_change", args=[row.pk])).content.decode()
    assert "3-c9z1ab-0123456789abcdef0123" not in html
    assert "/accounts/password/reset/key/" in html


def test_redaction_hides_signed_values_and_reset_keys_and_nothing_else():
    confirm = "/accounts/confirm-email/MQ:1tXkVb:3oJ1Hn2x0y4ZK0oNqk8WcHcEHdyk0dYkq8p9L1x2_aB/"
    assert redact(confirm) == f"/accounts/confirm-email/{HIDDEN}/"
    plain = "Email 12 failed (attempt 2), retrying in 30s: SMTPServerDisconnected: at 10:15 https://example.org/a/b"
    assert redact(plain) == plain


def test_log_records_lose_their_link_keys():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/pledge/manage/eyJwIjox:1tX:abcdefghijklmnopqrstuvwxyz012/",),
        None,
    )
    assert RedactSecretsFilter().filter(record)
    assert record.getMessage() == f"Not Found: /pledge/manage/{HIDDEN}/"
