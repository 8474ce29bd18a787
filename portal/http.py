"""Types for views: who `request.user` is.

- `RequestUser`: what `request.user` is on any request, a `User` once signed in, otherwise `AnonymousUser`.
- `AuthenticatedHttpRequest`: the request a `@login_required` view (or a staff page) gets. Annotating the view's
  `request` with it says `request.user` is a `User`, so services that need one are called without casts. It is an
  annotation only: Django still passes its own HttpRequest.
"""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from portal.models import User

RequestUser: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    user: User
