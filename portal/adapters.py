from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Hook for the portal's account behaviour (email delivery moves to the outbox with the notifications issue)."""
