"""The one-to-one support log stays where it is: only the modules below may name it, so an export, a notification,
an email template or a task cannot pick it up by accident. A new module that needs it must be added here on purpose,
with the reason, and must not put it in an export, a notification's context or an email."""

import re
from pathlib import Path

from django.conf import settings

CONFIDENTIAL = re.compile(r"SupportLog|AgreedAction|support_log|services\.support\b|\bimport support\b|manage_support")
ALLOWED = {
    "champions/apps.py": "registers the access-log page as a staff tool (the permission only)",
    "champions/demo.py": "demo records for development",
    "champions/forms/support.py": "the IS admins' forms for the log",
    "champions/models/__init__.py": "exports the models",
    "champions/models/support.py": "the models",
    "champions/permissions.py": "the getter that answers 'not found' to all but IS admins with two-step verification",
    "champions/selectors/__init__.py": "exports the selectors",
    "champions/selectors/support.py": "the reads",
    "champions/services/support.py": "the writes and the access log",
    "champions/views/manage_people.py": "the link to the log, for those who may read it",
    "champions/views/manage_support.py": "the IS admins' pages, which record every read",
    "champions/urls.py": "routes to those pages",
    # The IS admins' network tools (branch champions-ops), each for IS admins with two-step verification only:
    "champions/exports.py": "the separate, deliberate export of the log (SUPPORT_LOG), never among EXPORTS",
    "champions/views/exports.py": "that export's page: 'not found' to others, and written in the access log",
    "champions/selectors/dashboard.py": "overdue follow-ups on the dashboard: dates, names and counts, no content",
    "champions/views/dashboard.py": "asks can_read_support_logs before showing the overdue follow-ups",
    "champions/services/reminders.py": "tells a record's owner a follow-up is due, with an empty context",
}


def test_only_the_confidential_modules_name_the_support_log():
    root = Path(settings.BASE_DIR)
    naming = {
        str(path.relative_to(root))
        for app in ("champions", "portal", "training", "pledges", "community")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and CONFIDENTIAL.search(path.read_text(encoding="utf-8"))
    }
    assert naming <= set(ALLOWED), f"new modules name the confidential log: {sorted(naming - set(ALLOWED))}"


def test_no_email_or_notification_template_names_the_support_log():
    # The network's emails and the shared layouts they render in (the forum's emails speak of its own "topics").
    root = Path(settings.BASE_DIR) / "templates"
    emails = [
        path for path in root.rglob("*") if path.is_file() and "email" in path.parts and "community" not in path.parts
    ]
    assert emails, "no email templates found: the test would pass without looking"
    naming = [str(path) for path in emails if re.search(r"support_log|topics|agreed", path.read_text(encoding="utf-8"))]
    assert naming == []
