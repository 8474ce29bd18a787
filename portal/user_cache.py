"""The signed-in person's user row, read from the cache instead of the database on every request.

Django's AuthenticationMiddleware asks the database for the user on every signed-in request. Here the row is cached
under the person's own version, `user.<id>`, which `user_changed` bumps on every save and delete of the user and
every change to their groups or permissions (receivers connected by `connect()`, from PortalConfig.ready()). What is
cached: the columns, except the password hash, and the session hashes Django derives from it (keyed with
SECRET_KEY, whose fingerprint is part of the key); nothing a request attached to the object (its staff groups, its
second factor). The session is checked against those hashes exactly as django.contrib.auth.get_user does, so:

- a password change (allauth, the admin, `set_password` and `save`) signs every other session out at once;
- deactivating an account (the admin, `save`) turns its next request away at once: the backend's `get_user`
  answers None for an inactive account, and that answer is what is cached;
- a change of groups shows at once (they are bumped for, and in any case read from the database by
  portal.permissions, never from the cached row).

The trade-off: a change made without `save()` (`User.objects.filter(...).update(...)`, SQL by hand) sends no signal,
so it shows only when the cached row expires (USER_TIMEOUT, 5 minutes) or something else bumps it. Nothing in the
portal changes users that way; anything that must (a bulk deactivation) calls `user_changed` for each person. The
row sits in Redis beside the session (which already lets whoever reads Redis act as the person): the password hash
does not, so code that needs it (checking a password) reads it from the database, a deferred field.
"""

import functools
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.models import AnonymousUser
from django.db import router
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from portal.cache import bump, cached, digest, personal, value_key, version_key
from portal.models import User

USER_CACHE = "user"
# A change made without a signal (see above) shows within this time.
USER_TIMEOUT = 5 * 60


@functools.cache
def _keys_fingerprint() -> str:
    # The session hashes are keyed with SECRET_KEY (and its fallbacks): a new key must not meet hashes made with
    # the old one.
    keys = [str(key) for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]
    return digest("\n".join(keys))


def _row_key(backend_path: str) -> str:
    return f"row:{backend_path}:{_keys_fingerprint()}"


def prefetch_keys(user_id: int) -> list[str]:
    """The keys reading the user needs, for the request's first round trip (portal.cache.prefetch)."""
    namespace = personal(USER_CACHE, user_id)
    rows = [value_key(namespace, _row_key(path)) for path in settings.AUTHENTICATION_BACKENDS]
    return [version_key(namespace), *rows]


# Not the password hash: the session hashes made from it (below) are all a request needs. Code that does need the
# password (checking it before a change) reads it from the database: it is a deferred field of the cached user.
_COLUMNS = [field.attname for field in User._meta.concrete_fields if field.attname != "password"]


def _load(backend_path: str, user_id: Any) -> tuple[User, str, list[str]] | None:
    backend = load_backend(backend_path)

    def build() -> tuple[dict[str, Any], str, list[str]] | None:
        user = backend.get_user(user_id)  # None for a missing or inactive account
        if user is None:
            return None
        row = {name: getattr(user, name) for name in _COLUMNS}
        return row, user.get_session_auth_hash(), list(user.get_session_auth_fallback_hash())

    found = cached(personal(USER_CACHE, user_id), _row_key(backend_path), build, timeout=USER_TIMEOUT, local=False)
    if found is None:
        return None
    row, session_hash, fallback_hashes = found
    user = User.from_db(router.db_for_read(User), list(row), list(row.values()))
    return user, session_hash, fallback_hashes


def get_user(request: HttpRequest) -> Any:
    """django.contrib.auth.get_user, with the row from the cache: the same session checks, the same answers."""
    try:
        user_id = User._meta.pk.to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    found = _load(backend_path, user_id)
    if found is None:
        return AnonymousUser()
    user, current, fallbacks = found
    session_hash = request.session.get(HASH_SESSION_KEY)
    if session_hash and constant_time_compare(session_hash, current):
        return user
    if session_hash and any(constant_time_compare(session_hash, old) for old in fallbacks):
        # Signed with a SECRET_KEY_FALLBACKS key: Django moves the session to the current key.
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = current
        return user
    request.session.flush()
    return AnonymousUser()


def lazy_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


def user_changed(*, user_id: int) -> None:
    """The cached row of this person is stale: read it from the database on their next request."""
    bump(personal(USER_CACHE, user_id))


def _on_user_saved(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    if instance.pk is not None:
        user_changed(user_id=instance.pk)


def _on_groups_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    if not reverse:  # user.groups.add(...), .remove(...), .clear()
        if action in ("post_add", "post_remove", "post_clear"):
            user_changed(user_id=instance.pk)
    elif action in ("post_add", "post_remove"):  # group.user_set.add(...): pk_set holds the people
        for user_id in pk_set or ():
            user_changed(user_id=user_id)
    elif action == "pre_clear":  # group.user_set.clear(): its members, read before they go
        for user_id in instance.user_set.values_list("pk", flat=True):
            user_changed(user_id=user_id)


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_on_user_saved, sender=User, dispatch_uid="portal-user-cache-saved")
    post_delete.connect(_on_user_saved, sender=User, dispatch_uid="portal-user-cache-deleted")
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(_on_groups_changed, sender=through, dispatch_uid=f"portal-user-cache-{through.__name__}")
