"""Writes for the training catalogue: views counted, feedback, following a level, publishing a resource."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.models import PracticeLevel, User
from portal.notifications.models import Preference
from portal.notifications.registry import Delivery
from portal.notifications.services import notify, preference_set
from training.models import LevelInterest, Resource, ResourceFeedback
from training.templatetags.catalogue_tags import duration

NEW_RESOURCE_KIND = "training.new_resource"
FEEDBACK_COMMENT_MAX = 1000


def resource_view_count(*, resource: Resource) -> None:
    """Count one view. An F() update, so two people opening the page at once are both counted."""
    Resource.objects.filter(pk=resource.pk).update(view_count=F("view_count") + 1)


def resource_feedback_create(*, resource: Resource, useful: bool, comment: str = "") -> ResourceFeedback:
    """Record a 'Was this useful?' answer. No account needed; the comment is optional and never shown publicly.

    Raises ValidationError for a comment over 1000 characters, and nothing is saved.
    """
    comment = comment.strip()
    if len(comment) > FEEDBACK_COMMENT_MAX:
        raise ValidationError(f"Your comment must be {FEEDBACK_COMMENT_MAX} characters or fewer.")
    return ResourceFeedback.objects.create(resource=resource, useful=useful, comment=comment)


def level_interest_set(*, user: AbstractBaseUser, level: PracticeLevel, wanted: bool) -> None:
    """Follow or stop following new resources at a level.

    Following also switches the 'New training resources' notification on (by email) when the person had it off, so
    ticking the box does what it says; their other choices on the preferences page are left alone.
    """
    with transaction.atomic():
        if not wanted:
            LevelInterest.objects.filter(user=user, level=level).delete()
            return
        LevelInterest.objects.get_or_create(user=user, level=level)
        current = Preference.objects.filter(user=user, kind=NEW_RESOURCE_KIND).values_list("delivery", flat=True)
        if not current or current[0] == Delivery.OFF:
            preference_set(user_id=user.pk, kind=NEW_RESOURCE_KIND, delivery=Delivery.IMMEDIATE)


def resource_publish(*, resource: Resource, notify_followers: bool = True) -> bool:
    """Publish a draft resource now and tell the people who follow any of its levels.

    Rule: only a resource that has never been published is announced; republishing or a resource already live
    changes nothing. Side effects: sets published_at; one notification event (kind training.new_resource) for the
    followers, delivered after commit the way each of them chose. Returns True when the resource was published.
    """
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        if locked.published_at is not None:
            return False
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at", "updated_at"])
        resource.published_at = locked.published_at
        levels = list(locked.levels.all())
        if notify_followers and levels:
            followers = User.objects.filter(is_active=True, level_interests__level__in=levels).distinct()
            notify(
                recipients=followers,
                kind=NEW_RESOURCE_KIND,
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
