"""What the champions pages keep in the shared cache (portal.cache), and the one call each service makes when it
changes what is kept.

- PUBLIC: "Find your trauma champion" and the network's landing page, whole pages for people not signed in. Built
  from active, listed champions and their public fields and areas.
- NETWORK: the IS admins' dashboard figures that are the same for every IS admin (coverage, upcoming sessions,
  attendance by cohort, training by level). Never anything from the confidential one-to-one log.
"""

from portal.cache import bump

PUBLIC = "champions.public"
NETWORK = "champions.network"


def champions_changed() -> None:
    """A champion record was added or changed (details, areas, status, public fields): both go stale."""
    bump(PUBLIC)
    bump(NETWORK)


def programme_changed() -> None:
    """Cohorts, members, sessions, attendance or training delivered changed: the dashboard's figures go stale."""
    bump(NETWORK)
