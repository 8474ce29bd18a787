"""Fixtures for the browser tests: the system Chromium driven by Playwright, pages on the live server, and axe-core.

Every page of the portal is scanned with axe-core in a real browser (see pages.py for the list), and each main
journey has one test that clicks through it as a person would. Tests here are marked `browser`; when no Chromium is
found they are skipped with a reason that says how to run them, never silently.
"""

import os

# Playwright's sync API runs an event loop in the test thread, so Django's ORM would refuse to run there. Only the
# browser tests need this, which is why it is set here and not in settings (it would break `check --deploy`).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = (
    f"No Chromium at {CHROMIUM_PATH}. To run the browser tests, install Chromium (for example "
    "`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium executable."
)
# The accessibility standard the portal meets: WCAG 2.2 AA, which includes every A and AA rule of 2.0 and 2.1.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium_available() -> bool:
    return os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip every browser test, saying why and how to enable them, when there is no Chromium to drive."""
    if chromium_available():
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def playwright_instance():
    if not chromium_available():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    yield playwright
    playwright.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """The system Chromium, started once for the whole run. Playwright never downloads a browser here."""
    chromium = playwright_instance.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@dataclass
class PageProblems:
    """What went wrong while pages loaded: console errors (including CSP refusals and script exceptions) and
    requests that failed or answered 400 or above, such as a stylesheet or script that is not found."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("console", lambda message: self._console(message))
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught error: {error}"))
        page.on("response", lambda response: self._response(response))
        page.on("requestfailed", lambda request: self._request_failed(request))

    def _request_failed(self, request) -> None:
        # ERR_ABORTED: the browser gave up on the request because the page moved on (a form submitted, a link
        # followed) before it finished, as with the favicon on fast pages. Nothing failed; a real error status is
        # still caught by _response.
        if "ERR_ABORTED" in str(request.failure):
            return
        self.failed_requests.append(f"{request.method} {request.url} failed: {request.failure}")

    def _console(self, message) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            self.console_errors.append(f"{message.text} ({location})")

    def _response(self, response) -> None:
        if response.status >= 400:
            request = response.request
            self.failed_requests.append(f"{response.status} {request.method} {request.url} ({request.resource_type})")

    def clear(self) -> None:
        self.console_errors.clear()
        self.failed_requests.clear()

    def assert_none(self, *, expected_document_status: int | None = None) -> None:
        """Fail if anything went wrong, except the page's own error status when that is the point (a 404 page)."""
        failed = list(self.failed_requests)
        console = list(self.console_errors)
        if expected_document_status is not None:
            prefix = f"{expected_document_status} GET "
            documents = [line for line in failed if line.startswith(prefix) and line.endswith(" (document)")]
            urls = {line.removeprefix(prefix).removesuffix(" (document)") for line in documents}
            failed = [line for line in failed if line not in documents]
            # Chromium also logs the document's own error status to the console, naming the document's URL.
            console = [
                line
                for line in console
                if not (
                    f"status of {expected_document_status}" in line and any(line.endswith(f"({url})") for url in urls)
                )
            ]
        problems = [f"failed request: {line}" for line in failed] + [f"console error: {line}" for line in console]
        assert not problems, "The page had problems loading:\n" + "\n".join(problems)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def open_page(browser, live_server, page_problems, django_db_serialized_rollback) -> Iterator[Callable]:
    """Open a fresh page in a context of its own: `open_page()` signed out, `open_page(user=someone)` signed in as
    them; other keywords go to `browser.new_context` (for example `java_script_enabled=False`). Relative URLs are
    resolved against the live server, and everything that goes wrong while loading is collected in `page_problems`.

    Tests that choose between signed in and signed out at run time use this rather than `request.getfixturevalue`:
    the live server, its transactional database and its ALLOWED_HOSTS are only set up for fixtures a test names.
    The database is emptied after each test; serialized rollback puts back the reference data from the migrations
    (practice levels, areas, groups, the site name) for the next one.
    """
    contexts = []

    def open_(*, user=None, **context_options):
        # bypass_csp lets axe-core be injected: the portal's CSP allows only its own scripts, as it should.
        context = browser.new_context(base_url=live_server.url, bypass_csp=True, **context_options)
        contexts.append(context)
        # A page that never shows what a test waits for should fail in seconds, not half a minute.
        context.set_default_timeout(10_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
        new_page = context.new_page()
        page_problems.watch(new_page)
        return new_page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A fresh browser page for one test, signed out."""
    return open_page()


@pytest.fixture
def signed_in_user(live_server, django_db_serialized_rollback):
    """An ordinary member with a verified email address (password: tests.factories.DEFAULT_PASSWORD)."""
    return UserFactory()


@pytest.fixture
def signed_in_page(open_page, signed_in_user):
    """A fresh browser page already signed in as `signed_in_user`, through a real session cookie."""
    return open_page(user=signed_in_user)


def format_violations(violations: list[dict]) -> str:
    """One readable paragraph per failed axe rule: what it is, how to fix it, and which elements break it."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    return "\n".join(lines)


class Axe:
    """Runs axe-core against the page as it is now, for the WCAG 2.2 AA rules."""

    def __init__(self, script: Path) -> None:
        if not script.is_file():
            raise FileNotFoundError(f"axe-core is missing at {script}: run `npm ci` in {REPO_ROOT}.")
        self.script = script

    def run(self, page) -> list[dict]:
        # From the top of the page, instantly: "Leave this site" is sticky, so whatever a test scrolled half under it
        # (a link in the header, a breadcrumb) is partly covered at that moment, and axe's target-size rule reads a
        # covered link as a 3px target. That is where the page was scrolled to, not how the page is built; the
        # quick-exit tests check separately that the bar covers nothing a person moves to.
        page.evaluate("() => window.scrollTo({top: 0, left: 0, behavior: 'instant'})")
        page.add_script_tag(path=str(self.script))
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        return results["violations"]

    __call__ = run

    def assert_no_violations(self, page) -> None:
        violations = self.run(page)
        if violations:
            # Asked again once, half a second later: a transition still running (a smooth scroll, the quick exit's
            # hint appearing) can leave a link half covered for a moment, and target-size reads that as a small
            # target. A problem in the page itself is still there the second time and fails as before.
            page.wait_for_timeout(500)
            violations = self.run(page)
        assert not violations, f"axe found accessibility problems on {page.url}:\n{format_violations(violations)}"


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe(AXE_SCRIPT)


@pytest.fixture
def route_external(live_server) -> Callable:
    """Answer every request that leaves the portal with a small local page: this machine has no internet, and the
    tests only need to know the browser went there. Returns a function that installs the route on a context or page
    and the list of external URLs requested."""

    def install(target) -> list[str]:
        requested: list[str] = []

        def handle(route) -> None:
            url = route.request.url
            if url.startswith(live_server.url):
                route.continue_()
                return
            requested.append(url)
            route.fulfill(
                status=200,
                content_type="text/html",
                body="<!doctype html><html lang='en'><title>A neutral site</title><h1>A neutral site</h1></html>",
            )

        target.route("**/*", handle)
        return requested

    return install
