"""The portal's people and the reference data every app shares."""

from typing import ClassVar, Self, TypeVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


_Item = TypeVar("_Item", bound="ReferenceItem")


class ReferenceQuerySet(models.QuerySet[_Item]):
    def active(self) -> Self:
        return self.filter(is_active=True)


class ReferenceItem(models.Model):
    """A row of editable reference data: a name, a stable slug and an order for lists."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Inactive items stay on old records but are not offered.")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class CouncilArea(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = "council area"


class HealthBoard(ReferenceItem):
    council_areas = models.ManyToManyField(CouncilArea, related_name="health_boards")

    class Meta(ReferenceItem.Meta):
        verbose_name = "NHS board"


class HealthAndSocialCarePartnership(ReferenceItem):
    council_areas = models.ManyToManyField(CouncilArea, related_name="partnerships")

    class Meta(ReferenceItem.Meta):
        verbose_name = "health and social care partnership"


class Sector(ReferenceItem):
    description = models.CharField(max_length=200, blank=True)


class Role(ReferenceItem):
    pass


class ServiceArea(ReferenceItem):
    pass


class PracticeLevel(ReferenceItem):
    """One of the four cumulative levels of the NES Knowledge and Skills Framework."""

    who_for = models.TextField(help_text="Who this level is for, in plain words.")
    description = models.TextField(help_text="What people at this level know and do.")
    workforce_share = models.CharField(max_length=40, help_text="For example: all, most, some, few.")


class Principle(ReferenceItem):
    description = models.TextField()


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Email is the login; every profile field is optional."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="Shown beside what you post in the community. Leave blank to stay anonymous.",
    )
    organisation = models.CharField(max_length=200, blank=True)
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL)
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.SET_NULL)
    council_area = models.ForeignKey(CouncilArea, null=True, blank=True, on_delete=models.SET_NULL)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the admin site.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]


# Notification models live in their own module; importing them here registers them with the portal app.
from portal.notifications.models import (  # noqa: E402
    EmailSuppression,
    Event,
    Notification,
    OutboundEmail,
    Preference,
)

__all__ = [
    "CouncilArea",
    "EmailSuppression",
    "Event",
    "HealthAndSocialCarePartnership",
    "HealthBoard",
    "Notification",
    "OutboundEmail",
    "PracticeLevel",
    "Preference",
    "Principle",
    "Role",
    "Sector",
    "ServiceArea",
    "User",
]
