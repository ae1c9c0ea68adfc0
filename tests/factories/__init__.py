import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from accounts.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up rep whose email address is verified.

    `UserFactory(groups=["Educators"])` puts the user in groups by name;
    `UserFactory(verified=False)` leaves the email address unverified.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("first_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, verified=extracted is not False, primary=True
            )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def with_mfa(user):
    """Give `user` an authenticator app, as staff, educators and officers must
    have (AUTH-04). Returns the TOTP secret, for signing in through the form."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
