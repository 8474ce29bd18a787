from celery import shared_task

from training import services


@shared_task
def flush_resource_views() -> int:
    """Every minute (Celery beat): add the resource views counted in the cache to the database."""
    return services.resource_views_flush()
