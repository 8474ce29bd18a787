"""The outbox in one process (tasks eager, locmem mail). Fault tests with a real worker are in test_outbox_worker.py."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.notifications import registry, services
from portal.notifications.kinds import ACCOUNT_SECURITY
from portal.notifications.models import EmailSuppression, Notification, OutboundEmail, Preference
from portal.notifications.registry import Delivery, Kind
from portal.permissions import StaffGroup
from tests.factories import UserFactory

TEST_KIND = registry.register(
    Kind(
        name="tests.reply",
        label="Replies in tests",
        description="Someone replied to something you wrote.",
        template="portal/email/announcement",
    )
)
HELD_KIND = registry.register(
    Kind(
        name="tests.held",
        label="Held replies in tests",
        description="Held back in case you see it in the portal first.",
        template="portal/email/announcement",
        email_delay_seconds=600,
    )
)
CONTEXT = {"headline": "A reply to your post", "message": "Someone replied to <your> post."}


def notify(recipients, kind=TEST_KIND, **kwargs):
    return services.notify(
        recipients=recipients, kind=kind, title="A reply to your post", context=CONTEXT, url="/community/", **kwargs
    )


@pytest.mark.django_db(transaction=True)
def test_rolled_back_action_sends_nothing():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([user])
        raise RuntimeError("the caller's action failed")
    assert OutboundEmail.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_committed_action_sends_exactly_once_with_headers():
    user = UserFactory()
    with transaction.atomic():
        notify([user])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "A reply to your post"
    assert "Someone replied to <your> post." in message.body
    html = message.alternatives[0][0]
    assert "Someone replied to &lt;your&gt; post." in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "you chose to hear about" in message.body
    row = OutboundEmail.objects.get()
    assert row.status == OutboundEmail.Status.SENT and row.sent_at and row.message_id
    assert message.extra_headers["Message-ID"] == row.message_id
    # Running the task again (a duplicate broker message) sends nothing more.
    assert services.outbound_email_send(email_id=row.pk) == "not-claimed"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_notify_writes_rows_in_bulk_whatever_the_number_of_recipients(django_assert_max_num_queries):
    """Guards against per-recipient queries in the caller's request."""
    users = UserFactory.create_batch(30)
    with django_assert_max_num_queries(8):
        notify(users)
    assert Notification.objects.count() == 30
    assert OutboundEmail.objects.count() == 30


@pytest.mark.django_db
def test_preferences_decide_delivery():
    in_app, digest, off, default = UserFactory.create_batch(4)
    for user, delivery in ((in_app, Delivery.IN_APP), (digest, Delivery.DIGEST), (off, Delivery.OFF)):
        services.preference_set(user_id=user.pk, kind=TEST_KIND, delivery=delivery)
    notify([in_app, digest, off, default])
    assert set(Notification.objects.values_list("recipient", flat=True)) == {in_app.pk, digest.pk, default.pk}
    assert Notification.objects.get(recipient=digest).digest_pending
    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [default.pk]


@pytest.mark.django_db
def test_account_security_cannot_be_turned_off():
    with pytest.raises(ValueError):
        services.preference_set(user_id=UserFactory().pk, kind=ACCOUNT_SECURITY, delivery=Delivery.OFF)


@pytest.mark.django_db(transaction=True)
def test_address_without_account_gets_email_and_can_unsubscribe(client):
    notify(["Contact@Example.org"])
    assert mail.outbox[0].to == ["contact@example.org"]
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("127.0.0.1:8000", 1)[-1]
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailSuppression.objects.filter(email="contact@example.org", kind=TEST_KIND.name).exists()
    notify(["contact@example.org"])
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_unsubscribe_works_without_sign_in_and_get_changes_nothing(client):
    user = UserFactory()
    token = services.unsubscribe_token(kind=TEST_KIND, user_id=user.pk)
    url = reverse("notifications:unsubscribe", args=[token])
    response = client.get(url)
    assert response.status_code == 200
    assert "Stop emails about replies in tests?" in response.content.decode()
    assert not Preference.objects.exists()
    response = client.post(url)  # no CSRF token, no session: as a mail client sends it
    assert response.status_code == 200
    assert Preference.objects.get(user=user, kind=TEST_KIND.name).delivery == Delivery.IN_APP


@pytest.mark.django_db
def test_tampered_unsubscribe_link_is_refused_and_changes_nothing(client):
    user = UserFactory()
    token = services.unsubscribe_token(kind=TEST_KIND, user_id=user.pk)
    data = signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
    forged = signing.dumps({**data, "u": user.pk + 1}, salt="not-the-portals-salt")
    for bad in (token[:-3] + "abc", forged):
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not Preference.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_address_unsubscribe_link_hides_the_address_and_every_attempt_carries_the_same_one(settings):
    settings.EMAIL_BACKEND = "tests.portal.email_backends.RefusingBackend"
    notify(["contact@example.org"])
    row = OutboundEmail.objects.get()
    first_bytes = bytes(row.raw_message)
    link = re.search(rb"/notifications/unsubscribe/([^/]+)/", first_bytes.replace(b"=\r\n", b"")).group(1).decode()
    payload = signing.TimestampSigner(salt=services.UNSUBSCRIBE_SALT).unsign_object(link)
    assert "@" not in str(payload) and "contact" not in str(payload)  # a keyed digest and the row, not the address
    assert set(payload) == {"k", "m", "e"}

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(due_at=timezone.now())
    assert services.outbound_email_send(email_id=row.pk) == "sent"
    assert link in mail.outbox[0].extra_headers["List-Unsubscribe"]  # the link made at the first attempt
    assert mail.outbox[0].message().as_bytes(linesep="\r\n") == first_bytes
    assert services.unsubscribe_read(token=link)[2] == "contact@example.org"


@pytest.mark.django_db
def test_an_unsubscribe_link_expires_after_its_time(client, settings, monkeypatch):
    user = UserFactory()
    token = services.unsubscribe_token(kind=TEST_KIND, user_id=user.pk)
    legacy = signing.dumps({"k": TEST_KIND.name, "u": None, "e": "old@example.org"}, salt=services.UNSUBSCRIBE_SALT)
    assert services.unsubscribe_read(token=legacy)[2] == "old@example.org"  # links already sent work for a while
    later = signing.time.time() + settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS * 86400 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    for old in (token, legacy):
        with pytest.raises(services.UnsubscribeLinkExpired):
            services.unsubscribe_read(token=old)
    response = client.post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "older than that" in response.content.decode()
    assert not Preference.objects.exists()


@pytest.mark.django_db
def test_an_address_link_does_not_work_for_another_email_row():
    first = OutboundEmail.objects.create(kind=TEST_KIND.name, to_email="one@example.org")
    other = OutboundEmail.objects.create(kind=TEST_KIND.name, to_email="two@example.org")
    forged = signing.TimestampSigner(salt=services.UNSUBSCRIBE_SALT).sign_object(
        {"k": TEST_KIND.name, "m": other.pk, "e": services.address_digest(first.to_email)}, compress=True
    )
    with pytest.raises(signing.BadSignature):
        services.unsubscribe_read(token=forged)


@pytest.mark.django_db
def test_security_kind_has_no_unsubscribe_token():
    token = services.unsubscribe_token(kind=ACCOUNT_SECURITY, user_id=1)
    with pytest.raises(signing.BadSignature):
        services.unsubscribe_read(token=token)


@pytest.mark.django_db(transaction=True)
def test_email_about_something_already_seen_in_the_portal_is_skipped():
    user = UserFactory()
    notify([user], kind=HELD_KIND)
    row = OutboundEmail.objects.get()
    assert row.due_at > timezone.now() and mail.outbox == []
    services.notifications_mark_read(user=user)
    OutboundEmail.objects.update(due_at=timezone.now())
    assert services.outbound_email_send(email_id=row.pk) == "skipped"
    assert mail.outbox == []
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SKIPPED


@pytest.mark.django_db(transaction=True)
def test_held_email_is_sent_by_the_sweeper_when_not_seen():
    user = UserFactory()
    notify([user], kind=HELD_KIND)
    assert services.outbox_sweep() == 0
    OutboundEmail.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    assert services.outbox_sweep() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_refusing_mail_server_retries_with_backoff_then_fails_and_staff_can_retry(settings, admin_client):
    settings.EMAIL_BACKEND = "tests.portal.email_backends.RefusingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    user = UserFactory()
    notify([user])
    row = OutboundEmail.objects.get()
    assert row.status == OutboundEmail.Status.PENDING and row.attempts == 1
    assert "SMTPServerDisconnected" in row.last_error
    first_delay = (row.due_at - timezone.now()).total_seconds()
    assert settings.OUTBOX_RETRY_BASE_SECONDS * 0.5 - 1 <= first_delay <= settings.OUTBOX_RETRY_BASE_SECONDS
    for _ in range(2):
        OutboundEmail.objects.update(due_at=timezone.now())
        services.outbound_email_send(email_id=row.pk)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED and row.attempts == 3
    assert mail.outbox == []

    # Staff see it in the admin and retry once the server accepts mail again.
    response = admin_client.get(reverse("admin:portal_outboundemail_changelist") + "?status__exact=failed")
    assert user.email in response.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin_client.post(
        reverse("admin:portal_outboundemail_changelist"), {"action": "retry", "_selected_action": [row.pk]}
    )
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    delays = [services.retry_delay(n) for n in range(1, 12)]
    assert 15 <= delays[0] <= 30
    assert 120 <= delays[3] <= 240
    assert all(1800 <= d <= 3600 for d in delays[8:])
    assert len({round(services.retry_delay(3), 6) for _ in range(20)}) > 1


@pytest.mark.django_db(transaction=True)
def test_daily_digest_sends_one_email_per_person_and_nothing_for_an_empty_day():
    user = UserFactory()
    services.preference_set(user_id=user.pk, kind=TEST_KIND, delivery=Delivery.DIGEST)
    assert services.digests_send() == 0
    for n in range(3):
        services.notify(recipients=[user], kind=TEST_KIND, title=f"Reply number {n}", context=CONTEXT)
    assert mail.outbox == []
    assert services.digests_send() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert all(f"Reply number {n}" in body for n in range(3))
    assert mail.outbox[0].subject == "Your daily summary: 3 new things in the portal"
    assert services.digests_send() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_account_emails_go_through_the_outbox(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "a long enough password", "password2": "a long enough password"},
    )
    assert response.status_code == 302
    row = OutboundEmail.objects.get(to_email="new@example.org")
    assert row.kind == ACCOUNT_SECURITY.name and row.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    # The one-time link went to the person; the outbox does not keep a working copy.
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert "/accounts/confirm-email/" not in row.body_text + row.body_html
    assert row.body_text == services.SENT_BODY_CLEARED


@pytest.mark.django_db(transaction=True)
def test_account_emails_have_text_and_html_parts_in_the_portals_layout(client):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "a long enough password", "password2": "a long enough password"},
    )
    client.post(reverse("account_reset_password"), {"email": "new@example.org"})
    confirm, reset = mail.outbox
    assert "Confirm your email address" in confirm.subject and "Reset your password" in reset.subject
    for message, path in ((confirm, "/accounts/confirm-email/"), (reset, "/accounts/password/reset/key/")):
        link = re.search(rf"https?://\S+{path}\S+/", message.body).group(0)
        # The text part: allauth's words, then the portal's footer saying why it cannot be turned off.
        assert "cannot be turned off" in message.body
        assert "Trauma-informed workforce portal, run by the Improvement Service" in message.body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert "Trauma-informed workforce portal</p>" in html  # the header every portal email has
        assert f'<a href="{link}"' in html
        assert "cannot be turned off" in html


@pytest.mark.django_db
def test_notification_list_marks_read_and_counts_unread(client, django_assert_max_num_queries):
    """Guards against a query per notification on the list and against the header counting twice."""
    user = UserFactory()
    for n in range(12):
        services.notify(recipients=[user], kind=TEST_KIND, title=f"Note {n}", context=CONTEXT, url="/training/")
    client.force_login(user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert "Note 11" in html and '12<span class="visually-hidden"> unread' in html
    note = Notification.objects.filter(recipient=user).first()
    response = client.get(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/training/"
    note.refresh_from_db()
    assert note.read_at is not None
    client.post(reverse("notifications:mark-all-read"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def _header_count(client) -> str:
    html = client.get(reverse("portal:account")).content.decode()
    found = re.search(r'(\d+)<span class="visually-hidden"> unread', html)
    return found.group(1) if found else "none"


@pytest.mark.django_db
def test_the_header_count_is_cached_and_follows_every_change(client, django_assert_num_queries):
    """The unread count is read from the cache on every page after the first, and is right after a notification
    is written (notify, or one saved on its own as the admin does), opened, marked read or seen."""
    from portal.notifications.selectors import unread_count

    user = UserFactory()
    client.force_login(user)
    assert _header_count(client) == "none"
    services.notify(recipients=[user], kind=TEST_KIND, title="One", context=CONTEXT, url="/training/")
    services.notify(recipients=[user], kind=TEST_KIND, title="Two", context=CONTEXT, url="/training/")
    assert _header_count(client) == "2"
    with django_assert_num_queries(0):
        assert unread_count(user=user) == 2
    note = Notification.objects.filter(recipient=user).first()
    client.get(reverse("notifications:open", args=[note.pk]))
    assert _header_count(client) == "1"
    note.read_at = None
    note.save(update_fields=["read_at"])
    assert _header_count(client) == "2"
    client.post(reverse("notifications:mark-all-read"))
    assert _header_count(client) == "none"


@pytest.mark.django_db
def test_someone_elses_notification_is_not_found(client):
    owner, other = UserFactory.create_batch(2)
    services.notify(recipients=[owner], kind=TEST_KIND, title="Private", context=CONTEXT)
    client.force_login(other)
    note = Notification.objects.get()
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:mark-read", args=[note.pk])).status_code == 404


@pytest.mark.django_db
def test_notification_getter_finds_only_the_recipients_own():
    from django.http import Http404

    from portal.notifications.permissions import notification_get_for_user
    from tests.factories import StaffFactory

    owner = UserFactory()
    services.notify(recipients=[owner], kind=TEST_KIND, title="Private", context=CONTEXT)
    note = Notification.objects.get()
    assert notification_get_for_user(pk=note.pk, user=owner) == note
    for user in (UserFactory(), StaffFactory(is_superuser=True)):
        with pytest.raises(Http404):
            notification_get_for_user(pk=note.pk, user=user)
    with pytest.raises(Http404):
        notification_get_for_user(pk=note.pk + 1, user=owner)


@pytest.mark.django_db
def test_preferences_page_saves_choices(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("notifications:preferences"))
    assert "Replies in tests" in response.content.decode()
    assert "Account and security" not in response.content.decode()
    data = {k.name: Delivery.DIGEST.value for k in registry.controllable_kinds()}
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert Preference.objects.get(user=user, kind=TEST_KIND.name).delivery == Delivery.DIGEST
    response = client.post(reverse("notifications:preferences"), {**data, TEST_KIND.name: "sometimes"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Preference.objects.get(user=user, kind=TEST_KIND.name).delivery == Delivery.DIGEST


@pytest.mark.django_db
def test_readyz_turns_unhealthy_when_the_outbox_backs_up(client, settings):
    settings.OUTBOX_MAX_AGE_SECONDS = 60
    OutboundEmail.objects.create(kind=TEST_KIND.name, to_email="a@example.org", due_at=timezone.now())
    assert client.get("/readyz").status_code == 200
    OutboundEmail.objects.update(due_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["outbox"]


@pytest.mark.django_db
def test_backlog_command_prints_counts(capsys):
    from django.core.management import call_command

    OutboundEmail.objects.create(kind=TEST_KIND.name, to_email="a@example.org")
    call_command("outbox_backlog")
    out = capsys.readouterr().out
    assert "Waiting to send" in out and "1" in out and "Oldest due email" in out


STAFF_KIND = registry.register(
    Kind(
        name="tests.staff_only",
        label="Staff-only things in tests",
        description="Only IS admins choose about this.",
        template="portal/email/announcement",
        groups=(StaffGroup.IS_ADMINS,),
    )
)
ADDRESS_KIND = registry.register(
    Kind(
        name="tests.address_only",
        label="Address-only things in tests",
        description="Sent to people without an account.",
        template="portal/email/announcement",
        for_addresses=True,
    )
)


@pytest.mark.django_db
def test_preferences_offer_each_person_only_the_kinds_meant_for_them(client):
    learner = UserFactory()
    admin = UserFactory(groups=["IS admins"], is_staff=True)
    client.force_login(learner)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "Replies in tests" in html
    assert "Staff-only things in tests" not in html
    assert "Address-only things in tests" not in html
    client.force_login(admin)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "Staff-only things in tests" in html
    assert "Address-only things in tests" not in html


@pytest.mark.django_db(transaction=True)
def test_subject_and_text_are_plain_text_and_html_is_escaped():
    user = UserFactory()
    services.notify(
        recipients=[user],
        kind=TEST_KIND,
        title="x",
        context={"headline": "Smith & Jones's <Trust> signed", "message": "Tom & Jerry's <b>news</b>"},
    )
    message = mail.outbox[0]
    assert message.subject == "Smith & Jones's <Trust> signed"
    assert "Tom & Jerry's <b>news</b>" in message.body
    assert "Tom &amp; Jerry&#x27;s &lt;b&gt;news&lt;/b&gt;" in message.alternatives[0][0]


def test_a_mail_timeout_that_could_outlast_the_outbox_lease_is_refused(settings):
    from portal.checks import outbox_timeouts_fit_the_lease

    assert outbox_timeouts_fit_the_lease(None) == []  # the defaults: 10s steps, a 60s lease
    for timeout in (None, 0, 20):
        settings.EMAIL_TIMEOUT = timeout
        assert [error.id for error in outbox_timeouts_fit_the_lease(None)] == ["portal.E002"]
