"""Demo people for development: one of each kind of user. Idempotent."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal.models import CouncilArea, Role, Sector, User
from portal.permissions import StaffGroup

CE, IS, MOD = StaffGroup.CONTENT_EDITORS, StaffGroup.IS_ADMINS, StaffGroup.MODERATORS

# What each can try says only what works today: the README's table of demo accounts repeats it word for word.
LEARNER = (
    "a member of the workforce: find training, learn in the e-learning modules, keep My learning and certificates, "
    "post in the community"
)
MODERATOR = (
    "a moderator: post in the community, and after setting up two-step verification read every group's discussions "
    "and moderate (flagged posts, a post waiting for approval, the audit log)"
)
ADMIN = (
    "an Improvement Service admin (a superuser in development): review pledges, run the trauma champions network, "
    "run the admin site"
)
CHAMPION = (
    "a trauma champion: your cohort and its sessions (with calendar files), what is shared with you, your area's "
    "plans and training records, at /champions/my/"
)
EDITOR = "a content editor: publish training content in the admin site, preview drafts, see the editors' figures"
DEMO_USERS = [
    # email, password, display name, staff, groups, what they can try
    ("learner@example.org", "demo-learner-password", "Alex Learner", False, [], LEARNER),
    ("moderator@example.org", "demo-moderator-password", "Morgan Moderator", True, [MOD], MODERATOR),
    ("admin@example.org", "demo-admin-password", "Isla Admin", True, [IS], ADMIN),
    ("editor@example.org", "demo-editor-password", "Eilidh Editor", True, [CE], EDITOR),
    ("champion@example.org", "demo-champion-password", "Calum Champion", False, [], CHAMPION),
]


def seed(*, stdout, show_passwords: bool) -> None:
    area = CouncilArea.objects.filter(slug="fife").first()
    practitioner = Role.objects.filter(slug="practitioner").first()
    public = Sector.objects.filter(slug="public-sector").first()
    rows = []
    for email, password, name, is_staff, groups, purpose in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "display_name": name,
                "is_staff": is_staff,
                # A known password on a public server would hand the admin to anyone who read this file.
                "is_superuser": IS in groups and show_passwords,
                "organisation": "Improvement Service" if is_staff else "Fife Council",
                "council_area": area,
                "role": practitioner,
                "sector": public,
            },
        )
        if show_passwords:
            user.set_password(password)
        else:
            user.set_unusable_password()  # outside development: set one with "Forgot your password?"
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
        user.groups.set(Group.objects.filter(name__in=groups))
        rows.append((email, password, purpose))

    stdout.write("Demo people (sign in at /accounts/login/):")
    for email, password, purpose in rows:
        shown = password if show_passwords else "(no password: use 'Forgot your password?')"
        stdout.write(f"  {email:<24} {shown:<26} {purpose}")
    stdout.write(
        "  Staff set up two-step verification (an authenticator app) the first time they open a staff tool, "
        "or at /accounts/2fa/."
    )
