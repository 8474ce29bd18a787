"""Walk every journey of the trauma champions network in a real browser, as its people would, and photograph each
page at 1280x800 and at 320x640, for a person to look at. A tool, not a test: it stops at nothing, and writes what
it saw (titles, headings, sideways overflow, where the quick exit is, where focus is) beside the screenshots.

    # a migrated, seeded database and the portal running on it, its console emails written to a log:
    DJANGO_DEBUG=true .venv/bin/python manage.py seed_demo
    DJANGO_DEBUG=true .venv/bin/python manage.py runserver 127.0.0.1:8140 --noreload > /tmp/server.log 2>&1 &
    .venv/bin/python benchmarks/walk_champions.py --base-url http://127.0.0.1:8140 --server-log /tmp/server.log

Screenshots go to --out (default /tmp/shots10) as <nn>-<name>-<width>.png, and the notes to <out>/walk.tsv. The demo
IS admin (admin@example.org) signs in through the real form. Staff pages need two-step verification, so the first
walk sets up an authenticator app through the portal's own pages, reading the setup key as a person who cannot scan
the code would, and keeps the key in <out>/admin-totp-secret so that later walks can sign in with a code. Emails
(the invitation, the new person's confirmation link) are read from the console log of whatever sends them: the
development server without REDIS_URL, or a Celery worker (`celery -A portal worker -Q celery,outbox`) with it. Start
either with PYTHONUNBUFFERED=1: otherwise an email can sit in the process's output buffer, unwritten, for minutes.

Passes: signed out (landing, finder), the IS admin's pages and forms (with and without errors), the invitation and
a new person's sign-up, the demo champion's space, a keyboard-only pass over the key forms, and the same journeys
with JavaScript turned off (screenshots at 1280 only, named "nojs").
"""

import argparse
import base64
import hashlib
import hmac
import quopri
import re
import struct
import sys
import time
import traceback
from contextlib import contextmanager, suppress
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}
ADMIN = ("admin@example.org", "demo-admin-password")
CHAMPION = ("champion@example.org", "demo-champion-password")
NEW_PASSWORD = "a-walk-through-password-2026"  # noqa: S105 (a made-up account on a development database)

# What each photographed page is checked for, in the browser: sideways overflow and what causes it, the quick exit's
# place on the screen, the page's title and heading, and which element has focus.
MEASURE = """() => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    // Only the culprits: an element none of whose children reach past the screen's edge.
    if ([...el.children].some(c => c.getBoundingClientRect().right > width + 1)) continue;
    let clipped = false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = p !== document.body && p !== doc; break; }
    }
    if (!clipped) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
      ' right=' + Math.round(r.right));
  }
  const exit = document.getElementById('quick-exit');
  const er = exit ? exit.getBoundingClientRect() : null;
  const active = document.activeElement;
  return {
    title: document.title,
    h1: (document.querySelector('h1') || {}).innerText || '',
    overflow: doc.scrollWidth - width,
    wide: wide.slice(0, 6),
    exit: er ? [Math.round(er.top), Math.round(er.bottom), Math.round(er.left), Math.round(er.right)] : null,
    focus: active ? active.tagName.toLowerCase() + (active.id ? '#' + active.id : '') +
      (active.className && typeof active.className === 'string' ? '.' + active.className.split(' ')[0] : '') : '',
    errors: document.querySelectorAll('.ds_error-summary').length,
  };
}"""

# The focused element's outline, for the keyboard pass: something must show where focus is.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: 'body', visible: false};
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none' ||
    s.backgroundColor === 'rgb(253, 213, 34)';
  const inView = r.bottom > 0 && r.top < window.innerHeight && r.width > 0 && r.height > 0;
  const exit = document.getElementById('quick-exit');
  let covered = false;
  if (exit && el !== exit && !exit.parentElement.contains(el)) {
    const b = exit.parentElement.getBoundingClientRect();
    covered = r.top < b.bottom && r.bottom <= b.bottom && r.top >= b.top;
  }
  return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.name || el.id || '').slice(0, 40),
          visible: ring && inView && !covered, ring, inView, covered};
}"""


def totp(secret: str, at: float | None = None) -> str:
    """The six digits an authenticator app shows for `secret` (RFC 6238: SHA-1, 30 seconds)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class Walk:
    def __init__(self, *, base_url: str, out: Path, server_log: Path | None) -> None:
        self.base = base_url.rstrip("/")
        self.out = out
        self.server_log = server_log
        self.n = 0
        self.notes: list[str] = []
        self.failures: list[str] = []
        self.stamp = time.strftime("%H%M%S")
        self.narrow = True
        self.suffix = ""

    # Photographs and notes

    def shot(self, page: Page, name: str) -> None:
        """Photograph the page as it is now at both widths (1280 only in the no-JavaScript pass), with notes."""
        self.n += 1
        sizes = [WIDE, NARROW] if self.narrow else [WIDE]
        for size in sizes:
            page.set_viewport_size(size)
            page.wait_for_timeout(120)
            seen = page.evaluate(MEASURE)
            # From the top: a page scrolled to its error summary would show the sticky quick exit part-way down.
            page.evaluate("() => window.scrollTo({top: 0, left: 0, behavior: 'instant'})")
            path = self.out / f"{self.n:02d}-{name}{self.suffix}-{size['width']}.png"
            page.screenshot(path=str(path), full_page=True)
            line = "\t".join(
                [
                    path.name,
                    page.url.removeprefix(self.base),
                    seen["title"],
                    seen["h1"].replace("\n", " "),
                    f"overflow={seen['overflow']}",
                    f"exit={seen['exit']}",
                    f"focus={seen['focus']}",
                    f"error_summaries={seen['errors']}",
                    "wide=" + "; ".join(seen["wide"]),
                ]
            )
            self.notes.append(line)
            print(line, flush=True)
        # The quick exit must stay in view while a long page scrolls: check it at the bottom too, at 320.
        if self.narrow:
            page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
            page.wait_for_timeout(80)
            exit_box = page.evaluate(
                "() => { const r = document.getElementById('quick-exit').getBoundingClientRect();"
                " return [Math.round(r.top), Math.round(r.bottom), window.innerHeight]; }"
            )
            if exit_box[0] < 0 or exit_box[1] > exit_box[2]:
                self.failures.append(f"{name}: quick exit out of view at the bottom at 320: {exit_box}")
            page.evaluate("() => window.scrollTo(0, 0)")
        page.set_viewport_size(WIDE)

    @contextmanager
    def step(self, name: str, page: Page | None = None):
        """One journey's step: a failure is written down, photographed and the walk goes on."""
        try:
            yield
        except Exception as error:  # noqa: BLE001 (a tool: note it and walk on)
            message = f"STEP FAILED {name}{self.suffix}: {type(error).__name__}: {str(error).splitlines()[0][:300]}"
            self.failures.append(message)
            print(message, flush=True)
            traceback.print_exc(limit=3)
            if page is not None:
                with suppress(Exception):
                    page.screenshot(path=str(self.out / f"FAILED-{name}{self.suffix}.png"), full_page=True)

    def go(self, page: Page, path: str) -> None:
        response = page.goto(self.base + path)
        if response is not None and response.status >= 400:
            self.failures.append(f"{path}{self.suffix}: HTTP {response.status}")

    def choose(self, page: Page, label: str) -> None:
        """Tick a design-system radio or checkbox by its label, as a person clicks the label."""
        page.locator("main label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first.click()

    def submit(self, page: Page, name: str | re.Pattern) -> None:
        with page.expect_navigation():
            page.get_by_role("button", name=name).first.click()

    # Emails, from the development server's console

    def log_mark(self) -> int:
        """Where the email log ends now: emails sent after this are read from here on."""
        return self.server_log.stat().st_size if self.server_log and self.server_log.exists() else 0

    def email_link(self, pattern: str, *, since: int = 0) -> str:
        """The newest link matching `pattern` in the emails printed since `since` (see log_mark)."""
        assert self.server_log, "--server-log is needed to read emails"
        for _ in range(240):  # a minute: a busy worker may take a while
            with self.server_log.open("rb") as log:
                log.seek(since)
                text = log.read().decode("utf-8", errors="replace")
            decoded = quopri.decodestring(text.encode()).decode("utf-8", errors="replace")
            found = re.findall(pattern, decoded)
            if found:
                return found[-1]
            time.sleep(0.25)
        raise AssertionError(f"No email link matching {pattern} in {self.server_log}")

    # Signing in

    def sign_in(self, page: Page, email: str, password: str, *, shoot: str | None = None) -> None:
        self.go(page, "/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        self.submit(page, "Sign in")
        if shoot:
            self.shot(page, shoot)

    def sign_in_admin(self, page: Page) -> None:
        """The IS admin signs in with password and code, setting up an authenticator app the first time."""
        secret_file = self.out / "admin-totp-secret"
        self.sign_in(page, *ADMIN)
        if page.get_by_role("heading", name="Enter your security code").count():
            assert secret_file.exists(), "The demo admin has an authenticator already, and its key is not kept here"
            self.shot(page, "admin-security-code")
            self._enter_code(page, secret_file.read_text().strip(), "Continue")
        self.go(page, "/staff/")
        if "/accounts/2fa" in page.url:  # no second factor yet: set one up, as the portal asks
            self.shot(page, "admin-asked-for-2fa")
            self.go(page, "/accounts/2fa/totp/activate/")
            self.shot(page, "admin-set-up-authenticator")
            page.locator("summary", has_text="I cannot scan the code").click()
            secret = page.locator("#authenticator_secret").inner_text().strip()
            secret_file.write_text(secret)
            self._enter_code(page, secret, "Turn on two-step verification")
            self.shot(page, "admin-2fa-on")
            self.go(page, "/staff/")
        self.shot(page, "staff-tools")

    def _enter_code(self, page: Page, secret: str, button: str) -> None:
        # A code is used once: wait for a fresh one if this 30 seconds' code may already have been used.
        remaining = 30 - time.time() % 30
        if remaining < 3:
            time.sleep(remaining + 0.5)
        field = page.locator("input[name=code]")
        field.fill(totp(secret))
        self.submit(page, button)


def new_context(browser, **options):
    """A browser context that gives up on a missing element in seconds, so a wrong step costs little."""
    # A Scottish browser: dates in fields read day/month/year, as the portal's people see them.
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", **options)
    context.set_default_timeout(8000)
    return context


def csv_with_two_bad_rows(stamp: str) -> bytes:
    """Six champions; row 3's email has no @ and row 6's council area is misspelt (the header is row 1)."""
    rows = ["Name,Job title,Email,Organisation,Organisation type,Council areas,NHS board,Date joined"]
    areas = ["Orkney Islands", "Moray", "Inverclyde", "Shetland Islands", "Clackmannanshire"]
    for n in range(1, 6):
        email = f"walk{stamp}-{n}@council.example.org"
        area = areas[n - 1]
        if n == 2:
            email = f"walk{stamp}-2.at.council.example.org"
        if n == 5:
            area = "Clackmanan"
        rows.append(f"Walk Champion {n},Head of Service,{email},{area} Council,Local authority,{area},,01/04/2025")
    return ("\n".join(rows) + "\n").encode()


def public_pass(w: Walk, page: Page) -> None:
    with w.step("landing", page):
        w.go(page, "/champions/")
        w.shot(page, "landing")
    with w.step("find-empty", page):
        w.go(page, "/champions/find/")
        w.shot(page, "find")
    with w.step("find-area", page):
        w.go(page, "/champions/")
        page.get_by_label("Council area").select_option(label="Fife")
        w.submit(page, "Find by council area")
        w.shot(page, "find-area-fife")
    with w.step("find-area-none", page):
        page.get_by_label("Council area").select_option(label="Orkney Islands")
        w.submit(page, "Find by council area")
        w.shot(page, "find-area-no-results")
    with w.step("find-board", page):
        page.get_by_label("NHS board").select_option(label="NHS Lothian")
        w.submit(page, "Find by NHS board")
        w.shot(page, "find-board")
    with w.step("find-hscp", page):
        page.get_by_label("Health and social care partnership").select_option(index=5)
        w.submit(page, "Find by partnership")
        w.shot(page, "find-hscp")
    with w.step("find-nothing-chosen", page):
        w.go(page, "/champions/find/")
        w.submit(page, "Find by council area")
        w.shot(page, "find-nothing-chosen")
    with w.step("find-unknown", page):
        w.go(page, "/champions/find/?area=atlantis")
        w.shot(page, "find-unknown-place")


def admin_pass(w: Walk, page: Page, *, signed_in: bool = False) -> dict:
    found: dict = {}
    with w.step("admin-sign-in", page):
        if signed_in:
            w.go(page, "/staff/")
        else:
            w.sign_in_admin(page)
    with w.step("champion-list", page):
        page.get_by_role("link", name="Trauma champions network").first.click()
        page.wait_for_load_state()
        w.shot(page, "champion-list")
        page.get_by_label("Council area").select_option(label="Fife")
        page.get_by_label("Status").select_option(index=1)
        w.submit(page, "Show champions")
        w.shot(page, "champion-list-filtered")
    with w.step("champion-detail", page):
        w.go(page, "/champions/manage/")
        page.locator("main table a").first.click()
        page.wait_for_load_state()
        found["champion_url"] = page.url.removeprefix(w.base)
        w.shot(page, "champion-record")
    with w.step("champion-edit", page):
        page.get_by_role("link", name="Change the record").click()
        page.wait_for_load_state()
        w.shot(page, "champion-edit")
        page.get_by_label("Email", exact=True).fill("not an address")
        w.submit(page, re.compile("Save"))
        w.shot(page, "champion-edit-errors")
        page.get_by_label("Email", exact=True).fill(f"walk{w.stamp}@edited.example.org")
        page.get_by_label("Job title").fill("Head of Children's Services (walked)")
        w.submit(page, re.compile("Save"))
        w.shot(page, "champion-edited-history")
    with w.step("champion-status", page):
        w.go(page, found["champion_url"])
        w.choose(page, "On leave")
        page.get_by_label("From", exact=True).fill("")
        w.submit(page, "Change status")
        w.shot(page, "champion-status-errors")
        w.choose(page, "On leave")
        page.get_by_label("From", exact=True).fill("2026-11-01")
        page.get_by_label("Expected back (optional, for leave)").fill("2027-02-01")
        page.get_by_label("Note for the history (optional)").fill("Parental leave")
        w.submit(page, "Change status")
        w.shot(page, "champion-status-changed")
        w.choose(page, "Active")
        page.get_by_label("From", exact=True).fill("2027-02-01")
        page.get_by_label("Expected back (optional, for leave)").fill("")
        w.submit(page, "Change status")
    with w.step("champion-create", page):
        w.go(page, "/champions/manage/champions/add/")
        w.shot(page, "champion-add")
        w.submit(page, re.compile("Save|Add"))
        w.shot(page, "champion-add-errors")
        page.get_by_label("Name", exact=True).fill("Rhona Walkthrough")
        page.get_by_label("Job title").fill("Chief Officer")
        page.get_by_label("Email", exact=True).fill(f"rhona.walk{w.stamp}@example.org")
        page.get_by_label("Organisation name").fill("Moray Health and Social Care Partnership")
        page.get_by_label("Organisation type").select_option(label="Health and social care partnership")
        w.choose(page, "Moray")
        w.submit(page, re.compile("Save|Add"))
        found["new_champion_url"] = page.url.removeprefix(w.base)
        w.shot(page, "champion-added")
    with w.step("invite", page):
        found["log_mark"] = w.log_mark()
        w.submit(page, re.compile("Send an invitation|Send a new invitation"))
        w.shot(page, "champion-invited")
    with w.step("support-log", page):
        w.go(page, found["champion_url"])
        page.get_by_role("link", name="One-to-one support (confidential)").click()
        page.wait_for_load_state()
        found["support_url"] = page.url.removeprefix(w.base)
        w.shot(page, "support-log")
        page.get_by_label("Date", exact=True).fill("")
        w.submit(page, "Save the record")
        w.shot(page, "support-log-errors")
        page.get_by_label("Date", exact=True).fill("2026-11-20")
        page.get_by_label("Topics").fill("Bringing the leadership team along; a first look at the roadmap.")
        page.get_by_label("Agreed action 1 (optional)").fill("Share the roadmap with the chief executive.")
        page.get_by_label("Follow up by (optional)").fill("2026-11-25")
        w.submit(page, "Save the record")
        w.shot(page, "support-record")
    with w.step("support-access", page):
        w.go(page, "/champions/manage/support/access/")
        w.shot(page, "support-access-log")
    with w.step("cohorts", page):
        w.go(page, "/champions/manage/cohorts/")
        w.shot(page, "cohorts")
        page.get_by_role("link", name="Add a cohort").click()
        page.wait_for_load_state()
        w.shot(page, "cohort-add")
        w.submit(page, "Save the cohort")
        w.shot(page, "cohort-add-errors")
        page.get_by_label("Name").fill(f"Walk cohort {w.stamp}")
        page.get_by_label("Starts on").fill("2026-12-01")
        w.submit(page, "Save the cohort")
        found["cohort_url"] = page.url.removeprefix(w.base)
        w.shot(page, "cohort-new")
    with w.step("cohort-members", page):
        page.get_by_label("Name or organisation").fill("Walk")
        w.submit(page, "Find champions")
        labels = page.locator("form[action$='/members/'] label.ds_checkbox__label")  # as a person clicks them
        for i in range(min(labels.count(), 3)):
            labels.nth(i).click()
        w.submit(page, "Add to the cohort")
        w.shot(page, "cohort-members-added")
    with w.step("demo-cohort", page):
        w.go(page, "/champions/manage/cohorts/")
        page.get_by_role("link", name=re.compile("Cohort 3")).click()
        page.wait_for_load_state()
        found["demo_cohort_url"] = page.url.removeprefix(w.base)
        w.shot(page, "cohort-demo")
    with w.step("session-create", page):
        w.go(page, found["cohort_url"])
        page.get_by_role("link", name="Add a session").click()
        page.wait_for_load_state()
        w.shot(page, "session-add")
        page.get_by_label("Theme").fill("Reviewing our letters together")
        page.get_by_label("Starts").fill("2026-12-10T10:00")
        page.get_by_label("Ends").fill("2026-12-10T09:00")
        w.submit(page, "Save the session")
        w.shot(page, "session-add-errors")
        page.get_by_label("Ends").fill("2026-12-10T12:00")
        page.get_by_label("Link to join online").fill("https://meet.example.org/walk")
        w.submit(page, "Save the session")
        found["session_url"] = page.url.removeprefix(w.base)
        w.shot(page, "session")
    with w.step("session-edit", page):
        page.get_by_role("link", name="Change the session").click()
        page.wait_for_load_state()
        w.shot(page, "session-edit")
        page.get_by_label("Venue").fill("Elgin Town Hall, Trinity Place, Elgin")
        w.submit(page, "Save the session")
    with w.step("attendance", page):
        w.go(page, found["session_url"])
        w.submit(page, "Save attendance")
        w.shot(page, "attendance-empty-submit")
        radios = page.locator("main form[action$='/attendance/'] input[type=radio]")
        if radios.count():
            radios.first.check(force=True)
        w.submit(page, "Save attendance")
        w.shot(page, "attendance-saved")
    with w.step("session-note", page):
        w.go(page, found["session_url"])
        w.submit(page, "Add the note")
        w.shot(page, "session-note-errors")
        page.locator("main input[name=audience]").first.check(force=True)
        page.get_by_label("Note").fill("We looked at **three letters** and agreed a shorter opening line.")
        w.submit(page, "Add the note")
        w.shot(page, "session-note-added")
    with w.step("share", page):
        w.go(page, found["cohort_url"])
        w.submit(page, "Share with the cohort")
        w.shot(page, "share-errors")
        page.get_by_label("Title").fill("Plain-language letter checklist")
        page.get_by_label("Or a link").fill("https://example.org/letters-checklist")
        w.submit(page, "Share with the cohort")
        w.shot(page, "shared")
    with w.step("session-cancel", page):
        w.go(page, found["session_url"])
        page.locator("summary", has_text="Cancel this session").click()
        w.shot(page, "session-cancel-open")
        w.submit(page, "Cancel the session")
        w.shot(page, "session-cancelled")
    with w.step("plans", page):
        w.go(page, "/champions/manage/plans/")
        w.shot(page, "plans")
        page.locator("main table a").first.click()
        page.wait_for_load_state()
        w.shot(page, "plan")
        w.go(page, "/champions/manage/plans/add/")
        w.submit(page, re.compile("Save"))
        w.shot(page, "plan-add-errors")
    with w.step("training", page):
        w.go(page, "/champions/manage/training/")
        w.shot(page, "training-delivered")
        w.go(page, "/champions/manage/training/add/")
        w.submit(page, re.compile("Save"))
        w.shot(page, "training-add-errors")
        w.go(page, "/champions/manage/training/totals/")
        w.shot(page, "training-totals")
        page.get_by_label("From", exact=True).fill("2030-01-01")
        page.get_by_label("To", exact=True).fill("2020-01-01")
        w.submit(page, "Show totals")
        w.shot(page, "training-totals-filter")
    with w.step("dashboard", page):
        w.go(page, "/champions/manage/dashboard/")
        w.shot(page, "dashboard")
        for summary in page.locator("main summary").all():
            summary.click()
        w.shot(page, "dashboard-tables-open")
    with w.step("import", page):
        w.go(page, "/champions/manage/import/champions/")
        w.shot(page, "import-upload")
        w.submit(page, "Check the file")
        w.shot(page, "import-no-file")
        page.get_by_label("Choose a CSV file").set_input_files(
            files=[{"name": "champions.csv", "mimeType": "text/csv", "buffer": csv_with_two_bad_rows(w.stamp)}]
        )
        w.submit(page, "Check the file")
        w.shot(page, "import-preview-errors")
        page.get_by_role("group", name="Row 3").get_by_label("Email").fill(f"walk{w.stamp}-2@council.example.org")
        page.get_by_role("group", name="Row 6").get_by_label("Council areas").fill("Clackmannanshire")
        w.submit(page, "Check my changes")
        w.shot(page, "import-preview-fixed")
        w.submit(page, re.compile(r"Add \d+ champions"))
        w.shot(page, "import-done")
        w.go(page, "/champions/manage/import/attendance/")
        w.shot(page, "import-attendance-upload")
    with w.step("exports", page):
        w.go(page, "/champions/manage/exports/")
        w.shot(page, "exports")
        w.go(page, "/champions/manage/support/export/")
        w.shot(page, "support-export")
        w.submit(page, "Download the file")
        w.shot(page, "support-export-errors")
    with w.step("emails", page):
        w.go(page, "/champions/manage/emails/")
        w.shot(page, "emails")
        page.get_by_role("link", name="Write an email").click()
        page.wait_for_load_state()
        w.shot(page, "email-compose")
        w.submit(page, "Preview the email")
        w.shot(page, "email-compose-errors")
        page.get_by_label("Send to a cohort").select_option(label=f"Walk cohort {w.stamp}")
        page.get_by_label("Subject").fill("Our first session")
        page.get_by_label("Message").fill("We are glad you are here.\n\n**The first session** is on 10 December.")
        w.submit(page, "Preview the email")
        w.shot(page, "email-preview")
        w.submit(page, re.compile(r"Send to \d+ champion"))
        w.shot(page, "email-sent-record")
    return found


def invitation_pass(w: Walk, browser, found: dict) -> None:
    context = new_context(browser, viewport=WIDE)
    page = context.new_page()
    email = f"rhona.walk{w.stamp}@example.org"
    with w.step("invitation-signup", page):
        link = w.email_link(r"https?://[^\s\"<>]+(/champions/join/[^\s\"<>]+/)", since=found.get("log_mark", 0))
        w.go(page, link)
        w.shot(page, "invitation-signed-out")
        page.locator("main").get_by_role("link", name="Create an account").click()
        page.wait_for_load_state()
        w.shot(page, "invitation-signup")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Create a password").fill(NEW_PASSWORD)
        page.get_by_label("Type your password again").fill(NEW_PASSWORD)
        mark = w.log_mark()
        w.submit(page, "Create account")
        w.shot(page, "invitation-verification-sent")
        confirm = w.email_link(r"https?://[^\s\"<>]+(/accounts/confirm-email/[^\s\"<>]+/)", since=mark)
        w.go(page, confirm)
        w.shot(page, "invitation-confirm-email")
        w.submit(page, "Yes, confirm my email address")
        w.shot(page, "invitation-after-confirm")
        if "/champions/join/" not in page.url:
            w.go(page, link)
        w.shot(page, "invitation-connect")
        w.submit(page, "Connect this account")
        w.shot(page, "invitation-connected-space")
    context.close()


def champion_pass(w: Walk, page: Page, *, signed_in: bool = False) -> None:
    with w.step("champion-sign-in", page):
        if not signed_in:
            w.sign_in(page, *CHAMPION)
        w.go(page, "/champions/my/")
        w.shot(page, "space")
        page.locator("summary", has_text="Keep all your sessions").click()
        w.shot(page, "space-calendar-open")
    with w.step("space-ics", page):
        ics = page.get_by_role("link", name="Add to your calendar (.ics)").first
        with page.expect_download() as download:
            ics.click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert "BEGIN:VCALENDAR" in text, "the .ics file is not a calendar"
        feed = page.locator("main code").first.inner_text()
        response = page.request.get(feed)
        assert response.ok and b"BEGIN:VCALENDAR" in response.body(), f"calendar feed {feed}: {response.status}"
    with w.step("space-session", page):
        w.go(page, "/champions/my/")
        page.locator("main ul.ds_no-bullets a").first.click()
        page.wait_for_load_state()
        w.shot(page, "space-session")
    with w.step("space-group", page):
        w.go(page, "/champions/my/")
        page.get_by_role("link", name=re.compile(r"group in the community")).first.click()
        page.wait_for_load_state()
        w.shot(page, "space-cohort-group")
    with w.step("space-details", page):
        w.go(page, "/champions/my/details/")
        w.shot(page, "space-details")
        page.get_by_label('List me in "Find your trauma champion"').check(force=True)
        page.get_by_label("Public email address (optional)").fill("")
        page.get_by_label("Public phone number (optional)").fill("")
        w.submit(page, re.compile("Save"))
        w.shot(page, "space-details-errors")
    with w.step("space-plans", page):
        w.go(page, "/champions/my/plans/")
        w.shot(page, "space-plans")
        page.get_by_role("link", name="Add a plan").click()
        page.wait_for_load_state()
        w.submit(page, re.compile("Save"))
        w.shot(page, "space-plan-add-errors")
        page.get_by_label("Council area").select_option(index=1)
        page.get_by_label("Title").fill("Walk-through plan")
        page.get_by_label("Or a link to the plan").fill("https://example.org/plan.pdf")
        w.submit(page, re.compile("Save"))
        w.shot(page, "space-plan-added")
        radios = page.locator("main input[name=rating]")
        if radios.count():
            radios.nth(1).check(force=True)
            w.submit(page, re.compile("Save|Rate|Record"))
            w.shot(page, "space-plan-rated")
    with w.step("space-training", page):
        w.go(page, "/champions/my/training/")
        w.shot(page, "space-training")
        page.get_by_role("link", name="Record training").click()
        page.wait_for_load_state()
        w.shot(page, "space-training-add")
        w.submit(page, re.compile("Save"))
        w.shot(page, "space-training-add-errors")
        page.get_by_label("Date", exact=True).fill("2026-11-18")
        for name in ("council_area", "training_type", "practice_level"):
            page.locator(f"main select[name={name}]").select_option(index=1)
        page.locator("main input[name=title]").fill("Opening Doors with the housing team")
        page.locator("main input[name=location]").fill("Hamilton Town House")
        page.get_by_label("How long, in minutes").fill("90")
        page.get_by_label("How many attended").fill("12")
        w.submit(page, re.compile("Save"))
        w.shot(page, "space-training-added")
        w.go(page, "/champions/my/training/")
        edit = page.locator("main table a", has_text="Change").first
        if edit.count():
            edit.click()
            page.wait_for_load_state()
            w.shot(page, "space-training-edit")
            page.get_by_label("How many attended").fill("14")
            w.submit(page, re.compile("Save"))
            w.shot(page, "space-training-updated")


def settled_focus(page: Page) -> dict:
    """Where focus is and whether it shows, once the page has finished scrolling to it (the scroll may be smooth)."""
    seen = page.evaluate(FOCUS_STYLE)
    for _ in range(6):
        if seen.get("visible") or seen.get("tag") == "body":
            break
        page.wait_for_timeout(120)
        seen = page.evaluate(FOCUS_STYLE)
    return seen


def keyboard_pass(w: Walk, page: Page, forms: list[tuple[str, str]]) -> None:
    """Tab through each key form and back: every stop must show where focus is; the submit button is reachable;
    Enter on the button submits and focus lands somewhere sensible (the error summary or the page)."""
    for name, path in forms:
        with w.step(f"keyboard-{name}", page):
            w.go(page, path)
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            stops: list[dict] = []
            reached_submit = False
            for _ in range(160):
                page.keyboard.press("Tab")
                seen = settled_focus(page)
                stops.append(seen)
                if not seen["visible"]:
                    w.failures.append(f"keyboard {name}: focus not visible on {seen}")
                is_submit = page.evaluate(
                    "() => document.activeElement.type === 'submit' && !!document.activeElement.closest('main form')"
                )
                if is_submit and page.evaluate("() => !document.activeElement.closest('main form[role=search]')"):
                    reached_submit = True
                    break
            if not reached_submit:
                w.failures.append(f"keyboard {name}: never reached the form's submit button in 160 Tabs")
                continue
            for _ in range(3):
                page.keyboard.press("Shift+Tab")
                seen = settled_focus(page)
                if not seen["visible"]:
                    w.failures.append(f"keyboard {name}: focus not visible going back on {seen}")
            for _ in range(3):
                page.keyboard.press("Tab")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            page.wait_for_timeout(300)
            after = page.evaluate(FOCUS_STYLE)
            w.notes.append(f"keyboard\t{name}\tstops={len(stops)}\tafter submit focus={after}")
            print(f"keyboard {name}: {len(stops)} stops; after submit {after}", flush=True)
            w.shot(page, f"keyboard-{name}-after-submit")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8140")
    parser.add_argument("--out", default="/tmp/shots10", type=Path)
    parser.add_argument(
        "--server-log",
        type=Path,
        help="where emails are printed: the development server's output, or a Celery worker's when REDIS_URL is set",
    )
    parser.add_argument("--passes", default="public,admin,invitation,champion,keyboard,nojs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    passes = set(args.passes.split(","))
    w = Walk(base_url=args.base_url, out=args.out, server_log=args.server_log)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        public = new_context(browser, viewport=WIDE)
        admin_context = new_context(browser, viewport=WIDE, accept_downloads=True)
        admin = admin_context.new_page()
        found: dict = {}
        if "public" in passes:
            public_pass(w, public.new_page())
        if passes & {"admin", "invitation", "keyboard", "nojs"}:
            found = admin_pass(w, admin) if "admin" in passes else {}
        if "invitation" in passes and found:
            invitation_pass(w, browser, found)
        champion_context = new_context(browser, viewport=WIDE, accept_downloads=True)
        champion = champion_context.new_page()
        if "champion" in passes:
            champion_pass(w, champion)
        key_forms = [
            ("find", "/champions/"),
            ("champion-add", "/champions/manage/champions/add/"),
            ("support-log", found.get("support_url", "/champions/manage/")),
            ("session-add", (found.get("cohort_url") or "/champions/manage/cohorts/1/") + "sessions/add/"),
            ("attendance", found.get("session_url", "/champions/manage/")),
            ("import", "/champions/manage/import/champions/"),
            ("email", "/champions/manage/emails/write/"),
        ]
        if "keyboard" in passes:
            if "admin" not in passes:
                w.sign_in_admin(admin)
            if "champion" not in passes:
                w.sign_in(champion, *CHAMPION)
            w.suffix, w.narrow = "-keys", False
            keyboard_pass(w, admin, [f for f in key_forms if f[0] != "find"])
            keyboard_pass(w, public.new_page(), [key_forms[0]])
            keyboard_pass(
                w, champion, [("details", "/champions/my/details/"), ("training", "/champions/my/training/add/")]
            )
        if "nojs" in passes:
            w.suffix, w.narrow = "-nojs", False
            w.stamp += "n"
            public_pass(w, new_context(browser, viewport=WIDE, java_script_enabled=False).new_page())
            nojs_admin = new_context(
                browser, viewport=WIDE, java_script_enabled=False, storage_state=admin_context.storage_state()
            )
            found_nojs = admin_pass(w, nojs_admin.new_page(), signed_in=True)
            if "invitation" in passes and found_nojs:
                invitation_pass(w, browser, found_nojs)
            nojs_champion = new_context(
                browser,
                viewport=WIDE,
                java_script_enabled=False,
                accept_downloads=True,
                storage_state=champion_context.storage_state(),
            )
            champion_pass(w, nojs_champion.new_page(), signed_in=True)
        browser.close()
    (args.out / "walk.tsv").write_text("\n".join(w.notes) + "\n", encoding="utf-8")
    (args.out / "failures.txt").write_text("\n".join(w.failures) + "\n", encoding="utf-8")
    print(f"\n{w.n} pages photographed into {args.out}; {len(w.failures)} problems noted:")
    for failure in w.failures:
        print(" -", failure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
