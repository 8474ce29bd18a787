"""Rendering an outbox row into an email, at send time, from its event's stored context."""

from typing import cast

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates
from django.template.loader import render_to_string
from django.urls import reverse

from portal.models import User
from portal.notifications import registry
from portal.notifications.models import Notification, OutboundEmail
from portal.notifications.registry import Kind
from portal.notifications.services.preferences import unsubscribe_token


def build_message(email: OutboundEmail, connection: BaseEmailBackend | None = None) -> EmailMultiAlternatives:
    kind = registry.get(email.kind)
    headers = {"Message-ID": email.message_id, "Auto-Submitted": "auto-generated"}
    # Made once: the header and the footer carry the same link (and the outbox keeps the message as built).
    unsubscribe = unsubscribe_url(email) if kind.can_opt_out else ""
    if email.subject:
        subject, text, html = email.subject, email.body_text, email.body_html
    else:
        subject, text, html = render_email(email, kind, unsubscribe=unsubscribe)
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers=headers,
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def render_email(email: OutboundEmail, kind: Kind, *, unsubscribe: str | None = None) -> tuple[str, str, str]:
    event = email.event
    notification = email.notification
    context: dict[str, object] = {
        **(event.context if event else {}),
        "kind": kind,
        "recipient": email.recipient,
        "site_url": settings.SITE_URL,
        "url": absolute_url(event.url) if event and event.url else "",
        "unsubscribe_url": (unsubscribe_url(email) if unsubscribe is None else unsubscribe) if kind.can_opt_out else "",
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        # How many grouped notifications this email stands for, and the line the portal shows for them.
        "count": notification.count if notification else 1,
        "title": notification.display_title if notification else "",
    }
    if event and "notification_ids" in event.context:
        items = list(Notification.objects.filter(pk__in=event.context["notification_ids"]).select_related("event"))
        context["items"] = items
        context["total"] = sum(item.count for item in items)
    subject = _render_plain(f"{kind.template}_subject.txt", context).strip()
    text = _render_plain(f"{kind.template}.txt", context)
    html = render_to_string(f"{kind.template}.html", context)
    return " ".join(subject.split()), text, html


def render_layout(*, kind: Kind, subject: str, body_text: str, recipient: User | None = None) -> tuple[str, str]:
    """Wrap a body written elsewhere (allauth's account emails) in the portal's own email layout: the same header,
    footer and "why you are getting this" in the text part, and an HTML part with its links made clickable."""
    context = {
        "kind": kind,
        "recipient": recipient,
        "subject": subject,
        "body": body_text.strip(),
        "site_url": settings.SITE_URL,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    return _render_plain("portal/email/wrapped.txt", context), render_to_string("portal/email/wrapped.html", context)


def _render_plain(template_name: str, context: dict[str, object]) -> str:
    """Subjects and text bodies are plain text: "Smith & Jones" must not arrive as "Smith &amp; Jones"."""
    # The "django" alias is the DjangoTemplates backend (settings.TEMPLATES); its engine renders without escaping.
    template = cast(DjangoTemplates, engines["django"]).engine.get_template(template_name)
    return template.render(Context(context, autoescape=False))


def absolute_url(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def unsubscribe_url(email: OutboundEmail) -> str:
    kind = registry.get(email.kind)
    token = unsubscribe_token(kind=kind, user_id=email.recipient_id, email_id=email.pk, email=email.to_email)
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))
