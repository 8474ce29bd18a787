"""The trauma champions network: champions and their areas, the action learning programme (cohorts, sessions,
attendance, notes, shared resources), confidential one-to-one support, local improvement plans, training delivered
locally, and the messages the Improvement Service sends to champions.

The confidential one-to-one support log (SupportLog, AgreedAction) is read by IS admins only, every read is written to
SupportLogAccess, and nothing from it goes into an export, a notification's context or an email.
"""

from champions.models.local import ImprovementPlan, PlanRating, Progress, TrainingDelivery, TrainingType
from champions.models.messages import Message, MessageRecipient
from champions.models.people import Champion, ChampionQuerySet, ChampionStatus, OrganisationType, new_calendar_token
from champions.models.programme import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortMembership,
    NoteAudience,
    Session,
    SessionNote,
    SessionQuerySet,
    SharedResource,
)
from champions.models.support import (
    AccessAction,
    ActionOwner,
    AgreedAction,
    SupportLog,
    SupportLogAccess,
    SupportLogQuerySet,
)

__all__ = [
    "AccessAction",
    "ActionOwner",
    "AgreedAction",
    "Attendance",
    "AttendanceStatus",
    "Champion",
    "ChampionQuerySet",
    "ChampionStatus",
    "Cohort",
    "CohortMembership",
    "ImprovementPlan",
    "Message",
    "MessageRecipient",
    "NoteAudience",
    "OrganisationType",
    "PlanRating",
    "Progress",
    "Session",
    "SessionNote",
    "SessionQuerySet",
    "SharedResource",
    "SupportLog",
    "SupportLogAccess",
    "SupportLogQuerySet",
    "TrainingDelivery",
    "TrainingType",
    "new_calendar_token",
]
