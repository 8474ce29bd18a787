from django.db import transaction
from django.dispatch import Signal

from portal.models import User

# Sent inside user_delete's transaction, before the account goes, so that each app keeps what it promised about the
# person's data (portal imports no app). Keyword arguments: user, remove_writing. The community's receiver is
# community.receivers.account_deleting.
account_deleting = Signal()


def user_delete(*, user: User, remove_writing: bool = False) -> None:
    """Delete a person's account and everything tied only to them.

    Everything tied to the account goes with it: profile, community profile, email addresses, sign-in methods,
    learning record, reflections, certificates, notifications, reactions and group memberships (by cascade).
    What they wrote for others in the community stays for the thread's sake: each post and topic loses its author
    (on_delete=SET_NULL) and shows "Former member", with no name and no profile. With `remove_writing` the person
    asked for their posts to go too: the community empties each one and leaves "deleted by its author" in its
    place, so replies around it still make sense (community.services.membership.member_leaving).
    """
    with transaction.atomic():
        account_deleting.send(sender=User, user=user, remove_writing=remove_writing)
        user.delete()
