from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from portal.cache import PERSONAL_TIMEOUT, cached, personal
from portal.models import PracticeLevel, Principle, ReferenceItem, User

# portal/receivers.py bumps it on every save and delete of reference data.
REFERENCE_CACHE = "reference"


def practice_level_list() -> QuerySet[PracticeLevel]:
    return PracticeLevel.objects.active()


def principle_list() -> QuerySet[Principle]:
    return Principle.objects.active()


def reference_choices(model: type[ReferenceItem]) -> list[tuple[int, str]]:
    """The active items of a kind of reference data as (id, name) choices, in their order: from the cache until
    reference data changes (the account form's lists, offered on every visit to the page)."""
    return cached(
        REFERENCE_CACHE,
        f"choices:{model._meta.label_lower}",
        lambda: list(model._default_manager.filter(is_active=True).values_list("pk", "name")),
    )


def profile_form_html(*, user: User, build: Callable[[], SafeString]) -> SafeString:
    """The account page's form of the person's details, as it first shows: cached until their user row changes
    (portal.user_cache bumps `user.<id>` on every save) or the reference data it offers does."""
    from portal.user_cache import USER_CACHE

    namespaces = [REFERENCE_CACHE, personal(USER_CACHE, user.pk)]
    return cached(namespaces, f"profile-form:{user.pk}", build, timeout=PERSONAL_TIMEOUT, local=False)
