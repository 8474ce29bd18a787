"""Every page the browser tests scan with axe-core (and test_html_valid.py validates): one list that each new page
of the portal joins.

Add an entry when you add a page. `url` is a URL name (reversed without arguments) or a path starting with "/".
Pages that need an object (a module, a forum thread, a pledge) use a path to an object made by a data migration or
add a fixture-backed entry of their own in their app's browser test.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class PortalPage:
    label: str  # short, unique: the test id, e.g. "home"
    url: str  # URL name ("portal:home") or path ("/no-such-page/")
    sign_in: bool = False  # True: only a signed-in person can see it, so it is scanned signed in only
    signed_out_only: bool = False  # True: signed-in people are sent elsewhere (sign in, create an account)
    status: int = 200  # the status the page itself answers with (404 for the "not found" page)

    def path(self) -> str:
        return self.url if self.url.startswith("/") else reverse(self.url)


PAGES: list[PortalPage] = [
    # The site shell and information pages
    PortalPage("home", "portal:home"),
    PortalPage("about", "portal:about"),
    PortalPage("support", "portal:support"),
    PortalPage("accessibility", "portal:accessibility"),
    PortalPage("privacy", "portal:privacy"),
    PortalPage("cookies", "portal:cookies"),
    PortalPage("contact", "portal:contact"),
    PortalPage("not-found", "/this-page-does-not-exist/", status=404),
    # The four parts of the portal
    PortalPage("training", "training:landing"),
    PortalPage("community", "community:landing"),
    PortalPage("pledge", "pledges:landing"),
    PortalPage("champions", "champions:landing"),
    # The community (pages about a category, topic, post, member or group need data: they are scanned with it in
    # tests/browser/test_journey_community.py, and their HTML checked in tests/community/test_html.py)
    PortalPage("community-guidelines", "community:guidelines"),
    PortalPage("community-groups", "community:group-list"),
    PortalPage("community-search", "community:search"),
    PortalPage("community-search-results", "/community/search/?q=trauma+letters&since=2020-01-01"),
    PortalPage("community-search-error", "/community/search/?q=trauma&since=2026-02-01&until=2026-01-01"),
    PortalPage("community-join", "community:join", sign_in=True),
    PortalPage("community-members-not-joined", "community:member-list", sign_in=True, status=403),
    # Community moderation: the flag form needs a post, and the moderators' pages a moderator with two-step
    # verification: all are scanned with axe in tests/browser/test_journey_moderation.py, and their HTML checked in
    # tests/community/test_moderation_html.py
    # The champions network's public finder (a champion's space and the IS admins' pages need a champion, a cohort and
    # a staff member with two-step verification: they are scanned in tests/browser/test_journey_champions.py)
    PortalPage("champions-find-area", "/champions/find/?area=fife"),
    PortalPage("champions-find-board", "/champions/find/?board=nhs-fife"),
    PortalPage("champions-find-unknown", "/champions/find/?hscp=no-such-partnership"),
    # The IS admins' network tools (dashboard, training totals, imports with their preview, downloads, emails to
    # champions) need an IS admin with two-step verification and data: axe scans them in
    # tests/browser/test_journey_champions_ops.py and the Nu checker in tests/browser/test_champions_ops_html.py.
    # The leadership pledge (the organisation page, management pages and review queue need a pledge and are scanned
    # in tests/browser/test_journey_pledge.py)
    PortalPage("pledge-sign", "pledges:pledge-sign"),
    PortalPage("pledge-register", "pledges:register-list"),
    PortalPage("pledge-register-filtered", "/pledge/register/?area=fife&sort=name"),
    PortalPage("pledge-summary", "pledges:summary"),
    PortalPage("pledge-open-data", "pledges:open-data"),
    PortalPage("pledge-manage-request", "pledges:manage-request"),
    # The training catalogue (pages about one resource, case study, event or practice level, and the finder's answer,
    # are scanned with their own data in tests/browser/test_journey_catalogue.py)
    PortalPage("training-resources", "training:resource-list"),
    PortalPage(
        "training-resources-filtered",
        "/training/resources/?q=trauma&level=trauma-informed&time=short&format=video&sort=shortest&level=unknown",
    ),
    PortalPage("training-level-finder", "training:level-finder"),
    PortalPage("training-level-finder-errors", "/training/which-level/?submitted=1"),
    PortalPage("training-case-studies", "training:case-study-list"),
    PortalPage("training-events", "training:event-list"),
    PortalPage("training-events-past", "training:event-past"),
    # Accounts (allauth)
    PortalPage("sign-in", "account_login", signed_out_only=True),
    PortalPage("create-account", "account_signup", signed_out_only=True),
    PortalPage("password-reset", "account_reset_password"),
    PortalPage("password-reset-sent", "account_reset_password_done"),
    PortalPage("account", "portal:account", sign_in=True),
    PortalPage("account-delete", "portal:account-delete", sign_in=True),
    PortalPage("account-email", "account_email", sign_in=True),
    PortalPage("change-password", "account_change_password", sign_in=True),
    PortalPage("two-step-verification", "mfa_index", sign_in=True),
    # Adding a passkey and its confirmation pages need a recent password or a passkey: see test_passkeys.py
    PortalPage("passkeys", "mfa_list_webauthn", sign_in=True),
    PortalPage("confirm-it-is-you", "account_reauthenticate", sign_in=True),
    # The staff area (/staff/) and the pledge review queue need a staff member with two-step verification: both are
    # scanned in tests/browser/test_journey_small_screens.py
    # Notifications
    PortalPage("notifications", "notifications:list", sign_in=True),
    PortalPage("notification-preferences", "notifications:preferences", sign_in=True),
    PortalPage("unsubscribe-link-broken", "/notifications/unsubscribe/not-a-real-link/", status=400),
    # E-learning, certificates, pathways and My learning (pages about one module, step or certificate are scanned
    # with their own data in tests/browser/test_journey_module.py)
    PortalPage("pathways", "training:pathway-list"),
    PortalPage("certificate-check", "training:certificate-check"),
    PortalPage("certificate-not-found", "/training/certificates/NOSUCHCODE22/", status=404),
    PortalPage("my-learning", "training:my-learning", sign_in=True),
    PortalPage("my-learning-delete", "training:my-learning-delete", sign_in=True),
    PortalPage("reflections-delete", "training:reflections-delete", sign_in=True),
]


def scan_cases() -> list[tuple[PortalPage, bool]]:
    """(page, signed in?) pairs: public pages both signed out and signed in, sign-in pages signed in."""
    cases = []
    for entry in PAGES:
        if not entry.sign_in:
            cases.append((entry, False))
        if not entry.signed_out_only:
            cases.append((entry, True))
    return cases
