"""Celery tasks for the community: each calls one service."""

from celery import shared_task

from community.services.digests import weekly_digests_send


@shared_task(ignore_result=True)
def send_weekly_digests() -> int:
    """Beat, weekly: the opt-in digest of active topics (community.services.digests)."""
    return weekly_digests_send()
