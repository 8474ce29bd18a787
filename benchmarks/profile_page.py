"""Time and profile one page of benchmarks/pages.py in this process, through the test client, with DEBUG off.

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/N \\
        .venv/bin/python benchmarks/profile_page.py my-learning [--requests 300] [--profile cumtime|tottime]

Signed-in pages are asked as the demo learner, as the benchmark does. Prints milliseconds a request (no server, no
network: what the page itself costs) and, with --profile, the top of a cProfile sorted that way. For a call tree,
install pyinstrument outside the project (`pip install --target /tmp/pyinst pyinstrument`) and run it with
PYTHONPATH=/tmp/pyinst and --pyinstrument.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", help="a page name from benchmarks/pages.py")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=["cumtime", "tottime"], help="print a cProfile of the requests")
    parser.add_argument("--callers", help="with --profile: also print who calls the functions matching this")
    parser.add_argument("--pyinstrument", action="store_true", help="print a pyinstrument call tree")
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijkl"),
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.test import Client

    from benchmarks.pages import LEARNER, PAGES, prepare_learner_session
    from portal.models import User

    page = next((p for p in PAGES if p.name == args.page), None)
    if page is None:
        raise SystemExit(f"No such page; choose from {[p.name for p in PAGES]}")
    path = page.path() if callable(page.path) else page.path
    client = Client()
    if page.signed_in:
        client.force_login(User.objects.get(email=LEARNER))
        session = client.session
        prepare_learner_session(session)
        session.save()
    for _ in range(20):  # warm: templates, caches, connections
        status = client.get(path).status_code
    if status != 200:
        raise SystemExit(f"{path} answered {status}")

    def run() -> None:
        for _ in range(args.requests):
            client.get(path)

    started = time.perf_counter()
    run()
    print(f"{page.name} {path}: {(time.perf_counter() - started) / args.requests * 1000:.2f} ms a request")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(run)
        stats = pstats.Stats(profiler).sort_stats(args.profile)
        stats.print_stats(40)
        if args.callers:
            stats.print_callers(args.callers)
    if args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        run()
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))


if __name__ == "__main__":
    main()
