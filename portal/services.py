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


# A private community group kept in step with a list of people another app owns (the champions network: one group per
# cohort), so neither app imports the other. `key` is stable and names the group for good ("champions-cohort:12").
# private_group_sync keyword arguments: key, name, description, user_ids (everyone who should be a member: the group
# ends with exactly these). Sent inside the sender's transaction. The community's receiver is
# community.receivers.private_group_sync.
private_group_sync = Signal()
# Asked for the addresses of the groups with these keys. Keyword argument: keys. A receiver returns {key: path} for
# the groups it has (community.receivers.private_group_paths).
private_group_paths_wanted = Signal()


def private_group_paths(*, keys: list[str]) -> dict[str, str]:
    """The page of each private group named by `keys` that exists (one query, whatever the number of keys)."""
    found: dict[str, str] = {}
    if keys:
        for _receiver, paths in private_group_paths_wanted.send(sender=None, keys=keys):
            if isinstance(paths, dict):
                found.update(paths)
    return found
