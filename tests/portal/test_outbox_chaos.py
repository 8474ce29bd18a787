"""The chaos run of benchmarks/outbox_chaos.py at a small size, with timings in seconds: real workers SIGKILLed,
Redis stopped, the mail server refusing, hanging up and stalling, two workers at once. Nothing may be lost or marked
failed, and a duplicate may only come from the post-DATA window, byte for byte the same."""

import importlib.util

from django.db import connection

from tests.support.outbox import FAULT_TEST_MARKS
from tests.support.services import ROOT

pytestmark = FAULT_TEST_MARKS


def load_chaos():
    spec = importlib.util.spec_from_file_location("outbox_chaos", ROOT / "benchmarks" / "outbox_chaos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_outbox_under_chaos_loses_nothing_fails_nothing_and_drains(redis_server, settings, tmp_path):
    chaos = load_chaos()
    settings.OUTBOX_BATCH_SIZE = 25  # the driver's own sweeps, as the workers' (FAST_ENV)
    plan = chaos.Plan(
        emails=300, kills=2, outage=2, refuse=2, stall=2, post_data_stalls=2, kill_gap=(1.0, 2.0),
        sweep_every=1.0, email_timeout=1.0, drain_timeout=60, rcpt_delay=0.005,
        worker_env=dict(chaos.FAST_ENV), log_dir=tmp_path,
    )  # fmt: skip
    report = chaos.run_chaos(plan, database=connection.settings_dict, redis=redis_server)
    summary = "\n".join(report.timeline + report.lines())
    print(summary)  # shown with -s, or when the test fails
    assert report.expected == 300, summary
    assert report.lost == 0 and report.unsent == 0, summary
    assert report.failed == 0, summary
    assert report.duplicates == report.duplicates_identical, summary  # every copy byte for byte the first
    assert report.duplicates_unexplained == 0, summary  # only from the post-DATA window
    assert report.duplicates_from_kills <= sum(report.accepted_before_kill), summary
    assert report.duplicates_from_post_data_stalls <= plan.post_data_stalls, summary
    assert report.drain_seconds < 30, summary
