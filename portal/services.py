from django.db import transaction

from portal.models import User


def user_delete(*, user: User) -> None:
    """Delete a person's account and everything tied only to them.

    Rule: what a person wrote for others (community posts, added by the community app) is kept but no longer names
    them; their profile, email addresses, sign-in methods and private records go with the account.
    """
    with transaction.atomic():
        user.delete()
