from django.core.management.base import BaseCommand
from django.db.models import Count

from portal.notifications.models import OutboundEmail
from portal.notifications.services import outbox_oldest_due_age


class Command(BaseCommand):
    help = "Show the email outbox: how many emails are in each state and how long the oldest due one has waited."

    def handle(self, *args, **options):
        counts = dict(OutboundEmail.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status, label in OutboundEmail.Status.choices:
            self.stdout.write(f"{label:<16} {counts.get(status, 0):>8}")
        age = outbox_oldest_due_age()
        self.stdout.write("Oldest due email: " + ("none waiting" if age is None else f"waited {int(age)} seconds"))
        failed = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).order_by("-created_at")[:5]
        for email in failed:
            self.stdout.write(f"  failed: #{email.pk} {email.kind} to {email.to_email}: {email.last_error[:100]}")
