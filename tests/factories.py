"""factory_boy factories shared by every app's tests."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from portal.models import User

DEFAULT_PASSWORD = "a long test password 42"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified email address who can sign in with DEFAULT_PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """`UserFactory(verified=False)` makes someone who has not yet confirmed their address."""
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=extracted is not False)

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(*[Group.objects.get(name=name) for name in extracted])


def with_second_factor(user: User) -> User:
    """`user`, with an authenticator app set up: what every staff power needs."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
    return user


class StaffFactory(UserFactory):
    """A staff member who has set up two-step verification, as every staff power needs.
    `StaffFactory(second_factor=False)` makes one who has not yet."""

    is_staff = True

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            with_second_factor(obj)
