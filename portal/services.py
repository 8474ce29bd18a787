from django.db import transaction

from portal.models import User


def user_delete(*, user: User) -> None:
    """Delete a person's account and everything tied only to them.

    Today everything tied to the account goes with it: profile, email addresses, sign-in methods, learning record,
    reflections, certificates and notifications (by cascade). Nothing a person wrote for others exists yet: when the
    community forum lands, its posts are to stay for the thread's sake under "former member" (no name, no profile)
    unless the person asks for them to go, and that rule will be written here, with its test.
    """
    with transaction.atomic():
        user.delete()
