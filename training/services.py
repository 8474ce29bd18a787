"""Writes for the training catalogue: views counted, feedback, following a level, publishing a resource, and
keeping the catalogue's search vectors and cached pages current."""

from collections.abc import Iterable
from functools import partial

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from portal.cache import bump
from portal.http import RequestUser
from portal.models import PracticeLevel, User
from portal.notifications.registry import Delivery
from portal.notifications.selectors import preference_get
from portal.notifications.services import notify, preference_set
from training.models import LevelInterest, Resource, ResourceFeedback
from training.notifications import NEW_RESOURCE
from training.search import update_resource_vectors
from training.selectors import CATALOGUE_CACHE
from training.templatetags.catalogue_tags import duration

FEEDBACK_COMMENT_MAX = 1000


def catalogue_changed(*, resource_ids: Iterable[int] | None = None, text_changed: bool = True) -> None:
    """The one updater after any change to catalogue data. training/receivers.py calls it on every save of a
    resource or of its levels, audiences and service areas, so the admin, the demo and the services all keep it.

    Rewrites the search vectors of `resource_ids` (every resource when None) if their text may have changed, and
    makes every cached catalogue page, facet count and index stale.
    """
    if text_changed:
        queryset = Resource.objects.all() if resource_ids is None else Resource.objects.filter(pk__in=resource_ids)
        update_resource_vectors(queryset)
    bump(CATALOGUE_CACHE)


# --- Views counted --------------------------------------------------------------------------------------------------


def _view_key(resource_id: int) -> str:
    return f"training:views:{resource_id}"


def resource_view_count(*, resource: Resource) -> None:
    """Count one view in the cache (an atomic increment), not the database: a page read by thousands must not write
    a row each time. resource_views_flush() adds the counts to Resource.view_count every minute (Celery beat)."""
    key = _view_key(resource.pk)
    count = getattr(cache, "count", None)
    if count is not None:  # Redis (portal.redis_cache): one INCR, which starts the counter too
        count(key)
        return
    try:
        cache.incr(key)
    except ValueError:  # the first view since the last flush
        if not cache.add(key, 1, timeout=None):
            cache.incr(key)


def resource_views_flush() -> int:
    """Move the views counted in the cache into Resource.view_count. Returns how many views were added.

    Each counter is decremented by what was added rather than deleted, so views counted during the flush wait for
    the next one instead of being lost. One UPDATE for all resources, whatever the number of views.
    """
    ids = list(Resource.objects.values_list("pk", flat=True))
    counted = {key: n for key, n in cache.get_many([_view_key(pk) for pk in ids]).items() if n}
    if not counted:
        return 0
    by_id = {pk: counted[_view_key(pk)] for pk in ids if _view_key(pk) in counted}
    Resource.objects.filter(pk__in=by_id).update(
        view_count=F("view_count")
        + Case(*[When(pk=pk, then=Value(n)) for pk, n in by_id.items()], default=Value(0), output_field=IntegerField())
    )
    for pk, n in by_id.items():
        cache.decr(_view_key(pk), n)
    return sum(by_id.values())


def resource_feedback_create(*, resource: Resource, useful: bool, comment: str = "") -> ResourceFeedback:
    """Record a 'Was this useful?' answer. No account needed; the comment is optional and never shown publicly.

    Raises ValidationError for a comment over 1000 characters, and nothing is saved.
    """
    comment = comment.strip()
    if len(comment) > FEEDBACK_COMMENT_MAX:
        raise ValidationError(f"Your comment must be {FEEDBACK_COMMENT_MAX} characters or fewer.")
    return ResourceFeedback.objects.create(resource=resource, useful=useful, comment=comment)


def level_interest_set(*, user: RequestUser, level: PracticeLevel, wanted: bool) -> None:
    """Follow or stop following new resources at a level.

    Following also switches the 'New training resources' notification on (by email) when the person had it off, so
    ticking the box does what it says; their other choices on the preferences page are left alone. Raises TypeError
    for someone not signed in (the view is for signed-in people only), as the lookups by an AnonymousUser did.
    """
    if not user.is_authenticated:
        raise TypeError("Only a signed-in person can follow a level.")
    with transaction.atomic():
        if not wanted:
            LevelInterest.objects.filter(user=user, level=level).delete()
            return
        LevelInterest.objects.get_or_create(user=user, level=level)
        if preference_get(user_id=user.pk, kind=NEW_RESOURCE) == Delivery.OFF:
            preference_set(user_id=user.pk, kind=NEW_RESOURCE, delivery=Delivery.IMMEDIATE)


def resource_publish(*, resource: Resource, notify_followers: bool = True) -> bool:
    """Publish a draft resource now (the admin's list action).

    Rule: only a resource that has never been published changes; one already live is left alone. Side effects: sets
    published_at; its followers are then told after commit by resource_followers_notify, exactly as when it is
    published any other way (see resource_saved). With notify_followers=False it is marked as announced instead, so
    nobody is told. Returns True when the resource was published.
    """
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        if locked.published_at is not None:
            return False
        locked.published_at = timezone.now()
        fields = ["published_at", "updated_at"]
        if not notify_followers:
            locked.followers_notified_at = locked.published_at
            fields.append("followers_notified_at")
        locked.save(update_fields=fields)
        resource.published_at = locked.published_at
        return True


def resource_saved(*, resource: Resource) -> None:
    """Every save of a resource comes here (training/receivers.py), whichever way it was made: the admin form, the
    list action, a service, the shell. When the resource is live and its followers were never told, telling them is
    queued for after commit, once its levels are saved too (the admin form saves them after the resource).

    The state decides, not the path, and resource_followers_notify's guard makes it exactly once. A resource
    published with a future date, or by a bulk update() that saves no model, is caught by the beat task instead.
    """
    due = resource.published_at is not None and resource.published_at <= timezone.now()
    if due and resource.followers_notified_at is None:
        from training import tasks  # tasks import this module

        # robust: the broker being down must not undo the editor's save; the beat task tells them later.
        transaction.on_commit(partial(tasks.announce_resource.delay, resource.pk), robust=True)


def resource_followers_notify(*, resource_id: int) -> bool:
    """Tell the people who follow any of a live resource's levels that it is there, once.

    Rule: a resource is announced once in its life, when it is live and has levels; the row lock and
    followers_notified_at make a second call (a duplicate task, the beat task racing a save) do nothing. Side effects:
    sets followers_notified_at; one notification event (kind training.new_resource) for the followers, delivered after
    commit the way each of them chose. Returns True when followers were told now.
    """
    with transaction.atomic():
        locked = Resource.objects.select_for_update().filter(pk=resource_id).first()
        now = timezone.now()
        if locked is None or locked.followers_notified_at is not None:
            return False
        if locked.published_at is None or locked.published_at > now:
            return False
        levels = list(locked.levels.all())
        if not levels:
            return False  # nobody can follow it yet: a save that gives it levels announces it
        locked.followers_notified_at = now
        locked.save(update_fields=["followers_notified_at"])
        followers = User.objects.filter(is_active=True, level_interests__level__in=levels).distinct()
        notify(
            recipients=followers,
            kind=NEW_RESOURCE,
            title=f"New training: {locked.title}",
            context={
                "resource_title": locked.title,
                "resource_summary": locked.summary,
                "level_names": ", ".join(level.name for level in levels),
                "duration": duration(locked.duration_minutes),
            },
            subject_object=locked,
            url=locked.get_absolute_url(),
        )
        return True


def resources_announce_due() -> int:
    """The beat task's sweep: announce every live resource whose followers were never told. Returns how many."""
    due = Resource.objects.published().filter(followers_notified_at__isnull=True).values_list("pk", flat=True)
    return sum(resource_followers_notify(resource_id=pk) for pk in list(due))
