"""Celery tasks for training: each takes ids and calls one service."""

from celery import shared_task

from training import services


@shared_task(ignore_result=True)
def announce_resource(resource_id: int) -> bool:
    return services.resource_followers_notify(resource_id=resource_id)


@shared_task(ignore_result=True)
def announce_published_resources() -> int:
    """Beat: resources that went live by a date that has now come, or without a save, are announced too."""
    return services.resources_announce_due()


@shared_task
def flush_resource_views() -> int:
    """Every minute (Celery beat): add the resource views counted in the cache to the database."""
    return services.resource_views_flush()
