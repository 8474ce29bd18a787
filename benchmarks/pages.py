"""Benchmark: the portal's pages against a hello-world Django view, both under gunicorn, measured with wrk.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_perf REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python benchmarks/pages.py [--seconds 10] [--rounds 3] [--pages home,search] [--quick]

Measures the database as it is: fill it first with `manage.py seed_demo` (demo size) and, for scale,
`manage.py seed_scale --resources 2000 --pledges 5000 --forum-posts 1000000`. Results and how they were taken:
docs/performance.md.

For each page, in each round: `wrk -t2 -c16` on the hello-world view, then on the page, for the same time, so both
see the machine in the same state; the ratio is the page's requests a second over hello-world's. Both servers run
`gunicorn --workers 2` (sync workers), with DEBUG off. Reported: medians over the rounds of requests a second, the
ratio, p95 and p99 latency, and the SQL queries one request makes, counted with the test client in this process:
"warm" is the steady state wrk sees, "cold" the first request after every cache version is bumped.

Signed-in pages send the session cookie of the demo learner (learner@example.org), signed in here, or of the demo
account a Page names in `user` (the IS admin, the champion). The IS admin's pages need two-step verification: if the
demo admin has no authenticator, one is added here (in the benchmark database only), as if they had set up an app.
Add a page: append a Page to PAGES (community and champions pages go here too).
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Page:
    name: str
    path: str | Callable[[], str]  # a callable runs after django.setup(), for paths that depend on the data
    signed_in: bool = False
    user: str = "learner@example.org"  # whose session a signed-in page sends


def _module_step() -> str:
    from django.urls import reverse

    from training.models import Step

    step = Step.objects.filter(module__resource__published_at__isnull=False).order_by("module_id", "order").first()
    if step is None:
        raise SystemExit("No published module with steps: run `manage.py seed_demo` first.")
    return reverse("training:module-step", args=[step.module.resource.slug, step.pk])


def _resource() -> str:
    from training.models import Resource

    resource = Resource.objects.published().filter(module__isnull=True).order_by("title").first()
    if resource is None:
        raise SystemExit("No published resource: run `manage.py seed_demo` first.")
    return resource.get_absolute_url()


def _pathway() -> str:
    from django.urls import reverse

    from training.models import Pathway

    pathway = Pathway.objects.published().order_by("title").first()
    if pathway is None:
        raise SystemExit("No published pathway: run `manage.py seed_demo` first.")
    return reverse("training:pathway-detail", args=[pathway.slug])


def _busiest_category() -> str:
    """The public category with the most topics (at scale, the one holding the 2,000-post topics)."""
    from community.models import Category

    category = Category.objects.filter(group__isnull=True).order_by("-topic_count", "pk").first()
    if category is None:
        raise SystemExit("No community category: run `manage.py seed_demo` (and seed_scale --forum-posts) first.")
    return category.get_absolute_url()


def _biggest_topic(*, last_page: bool) -> str:
    """Page 1 or the last page of the public topic with the most posts (2,000+ at scale). An explicit page, so a
    signed-in reader is not sent on to their first unread post."""
    from community.models import Topic
    from community.selectors.topics import page_count

    topic = Topic.objects.filter(category__group__isnull=True, hidden=False).order_by("-post_count", "pk").first()
    if topic is None:
        raise SystemExit("No community topic: run `manage.py seed_demo` (and seed_scale --forum-posts) first.")
    return f"{topic.get_absolute_url()}?page={page_count(topic) if last_page else 1}"


def _forum_pages() -> list[Page]:
    """The community's pages (issue 9), each signed out and signed in (the demo learner is a community member)."""
    pages = []
    for name, path in [
        ("forum", "/community/"),
        ("forum-category", _busiest_category),
        ("forum-topic", lambda: _biggest_topic(last_page=False)),
        ("forum-topic-last", lambda: _biggest_topic(last_page=True)),
        ("forum-search-common", "/community/search/?q=trauma"),
        ("forum-search-rare", "/community/search/?q=kaleidoscope"),
    ]:
        pages += [Page(name, path), Page(f"{name}-in", path, signed_in=True)]
    return pages


PAGES: list[Page] = [
    Page("home", "/"),
    Page("catalogue", "/training/resources/"),
    Page("search", "/training/resources/?q=trauma"),
    Page("register", "/pledge/register/"),
    Page("summary", "/pledge/summary/"),
    Page("open-data-csv", "/pledge/open-data/register.csv"),
    Page("my-learning", "/training/my-learning/", signed_in=True),
    Page("module-step", _module_step, signed_in=True),
    # The rest of what a signed-in learner sees: every page carries the header's unread count.
    Page("home-in", "/", signed_in=True),
    Page("catalogue-in", "/training/resources/", signed_in=True),
    Page("resource-in", _resource, signed_in=True),
    Page("pathway-in", _pathway, signed_in=True),
    Page("notifications", "/notifications/", signed_in=True),
    Page("account", "/account/", signed_in=True),
    *_forum_pages(),
    # The champions network: the public finder, the IS admins' dashboard (two-step verification), a champion's space.
    Page("champions-find", "/champions/find/?area=fife"),
    Page("champions-dashboard", "/champions/manage/dashboard/", signed_in=True, user="admin@example.org"),
    Page("champions-space", "/champions/my/", signed_in=True, user="champion@example.org"),
]

LEARNER = "learner@example.org"
# Every shared namespace of portal/cache.py: "cold" is the first request after all of them are bumped.
COLD_NAMESPACES = (
    "training",
    "modules",
    "pathways",
    "pledges",
    "reference",
    "notifications",
    "community",
    "champions.public",
    "champions.network",
)


def prepare_learner_session(session) -> None:
    """The learner has already chosen to go on past every module's content warning (once a browser session), so
    the step page is measured, not the redirect to the warning."""
    from training.learning.sessions import WARNING_SESSION_KEY
    from training.models import Module

    session[WARNING_SESSION_KEY] = list(Module.objects.values_list("pk", flat=True))


# wrk prints these after a run; `latency` percentiles are in microseconds.
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "errors": %d, "non_2xx": %d, "p50": %d, '
    .. '"p95": %d, "p99": %d}\\n', summary.requests, summary.duration / 1e6, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see its log")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listening on {port} after {timeout} s")


def gunicorn(app: str, port: int, env: dict, log: Path, workers: int) -> subprocess.Popen:
    command = [
        str(PYTHON_BIN / "gunicorn"),
        app,
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--log-level=warning",
        f"--chdir={ROOT}",
    ]
    process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    wait_for_port(port, process)
    return process


def wrk(
    url: str, *, seconds: int, script: Path, cookie: str | None, threads: int, connections: int, gzip: bool
) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout=30s", "-s", str(script), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    if gzip:
        command[1:1] = ["-H", "Accept-Encoding: gzip"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk gave no result:\n{output}")
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def drain(port: int) -> None:
    """Wait until the server has finished what wrk left queued: sync workers go on answering requests wrk no longer
    waits for, which would otherwise be counted against the next run."""
    import urllib.request

    for _ in range(2):  # two workers
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=120).read()


def ensure_second_factor(user) -> None:
    """Staff powers need two-step verification; the demo accounts have none, so give the account an authenticator
    (the benchmark database only: nobody signs in with it, the session is made here)."""
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user).exists():
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "benchmark-only"})


def count_queries(
    pages: list[tuple[Page, str]], clients: dict, learner_id: int | None
) -> dict[str, tuple[int, int, int]]:
    """Queries for one request to each page: (cold, warm, status)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.cache import bump, personal

    counts = {}
    for page, path in pages:
        client = clients[page.user] if page.signed_in else Client()
        for namespace in COLD_NAMESPACES:
            bump(namespace)
        if learner_id is not None:  # the learner's own cached values too (portal.cache.personal)
            bump(personal("learning", learner_id))
            bump(personal("notifications", learner_id))
            bump(personal("user", learner_id))  # the user row (portal/user_cache.py)
        with CaptureQueriesContext(connection) as cold:
            client.get(path)
        with CaptureQueriesContext(connection) as warm:
            response = client.get(path)
        counts[page.name] = (len(cold), len(warm), response.status_code)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; medians are reported (default 3)")
    parser.add_argument("--pages", default="", help=f"comma-separated names (default all): {[p.name for p in PAGES]}")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 seconds, 1 round")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--gzip", action="store_true", help="send Accept-Encoding: gzip, as browsers do (wrk sends none by default)"
    )
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.rounds = 2, 1
    chosen = [page for page in PAGES if not args.pages or page.name in args.pages.split(",")]
    if not chosen:
        raise SystemExit(f"No such page; choose from {[p.name for p in PAGES]}")

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijkl"),
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        print("Note: DATABASE_URL is not PostgreSQL; the figures in docs/performance.md are on PostgreSQL + Redis.")
    os.environ.update(env)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from portal.models import User

    # The manifest that {% static %} reads with DEBUG off, current with the tree (a new file would be missing from it).
    call_command("collectstatic", interactive=False, verbosity=0)
    learner = User.objects.filter(email=LEARNER).first()
    if learner is None and any(page.signed_in for page in chosen):
        raise SystemExit(f"No {LEARNER}: run `manage.py seed_demo` first.")
    resolved = [(page, page.path() if callable(page.path) else page.path) for page in chosen]
    clients: dict[str, Client] = {}
    cookies: dict[str, str] = {}
    for email in sorted({page.user for page in chosen if page.signed_in}):
        account = User.objects.filter(email=email).first()
        if account is None:
            raise SystemExit(f"No {email}: run `manage.py seed_demo` first.")
        if account.is_staff or account.is_superuser:
            ensure_second_factor(account)
        client = Client()
        client.force_login(account)
        session = client.session
        if email == LEARNER:
            prepare_learner_session(session)
        session.save()
        clients[email] = client
        cookies[email] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    queries = count_queries(resolved, clients, learner.pk if learner is not None else None)
    for name, (_cold, _warm, status) in queries.items():
        if status != 200:
            raise SystemExit(f"{name} answered {status}, not 200: check the data and the settings")

    logs = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    script = logs / "report.lua"
    script.write_text(WRK_REPORT)
    hello_port, portal_port = free_port(), free_port()
    servers = [
        gunicorn("benchmarks.hello:application", hello_port, env, logs / "hello.log", args.workers),
        gunicorn("portal.wsgi:application", portal_port, env, logs / "portal.log", args.workers),
    ]
    runs: dict[str, list[tuple[dict, dict]]] = {page.name: [] for page in chosen}
    try:
        run = {
            "seconds": args.seconds,
            "script": script,
            "threads": args.threads,
            "connections": args.connections,
            "gzip": args.gzip,
        }
        for page, path in resolved:  # warm both servers: templates loaded, caches filled, connections open
            cookie = cookies.get(page.user) if page.signed_in else None
            wrk(f"http://127.0.0.1:{portal_port}{path}", **{**run, "seconds": 1}, cookie=cookie)
            drain(portal_port)
        wrk(f"http://127.0.0.1:{hello_port}/", **{**run, "seconds": 1}, cookie=None)
        for round_number in range(1, args.rounds + 1):
            for page, path in resolved:
                hello = wrk(f"http://127.0.0.1:{hello_port}/", **run, cookie=None)
                measured = wrk(
                    f"http://127.0.0.1:{portal_port}{path}",
                    **run,
                    cookie=cookies.get(page.user) if page.signed_in else None,
                )
                drain(portal_port)
                runs[page.name].append((hello, measured))
                print(
                    f"round {round_number} {page.name:<14} {measured['rps']:8.1f} req/s  "
                    f"hello {hello['rps']:8.1f}  ratio {measured['rps'] / hello['rps']:.3f}",
                    flush=True,
                )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    rows = []
    for page, path in resolved:
        pairs = runs[page.name]
        bad = sum(m["errors"] + m["non_2xx"] for _, m in pairs)
        rows.append(
            {
                "page": page.name,
                "path": path,
                "signed_in": page.signed_in,
                "rps": statistics.median(m["rps"] for _, m in pairs),
                "hello_rps": statistics.median(h["rps"] for h, _ in pairs),
                "ratio": statistics.median(m["rps"] / h["rps"] for h, m in pairs),
                "p95_ms": statistics.median(m["p95"] for _, m in pairs) / 1000,
                "p99_ms": statistics.median(m["p99"] for _, m in pairs) / 1000,
                "queries_cold": queries[page.name][0],
                "queries_warm": queries[page.name][1],
                "errors": bad,
            }
        )
    print()
    print("| page | req/s | hello req/s | ratio | p95 ms | p99 ms | queries (warm / cold) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        print(
            f"| {row['page']}{' (signed in)' if row['signed_in'] else ''} | {row['rps']:.0f}{errors} | "
            f"{row['hello_rps']:.0f} | {row['ratio']:.3f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['queries_warm']} / {row['queries_cold']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print(f"\nServer logs: {logs}")


if __name__ == "__main__":
    main()
