from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "knowhow-demo-password"  # noqa: S105 - printed for local demos only

DEMO_USERS = [
    # (email, display name, role, groups, superuser)
    ("rep@example.org", "Sam (demo rep)", "Rep", [], False),
    ("educator@example.org", "Eda (demo educator)", "Educator", ["Educators"], False),
    ("reviewer@example.org", "Rui (demo reviewer)", "Reviewer", ["Reviewers"], False),
    ("admin@example.org", "Ada (demo administrator)", "Administrator", [], True),
]


class Command(BaseCommand):
    help = "Create the demo accounts (a rep, an educator, a reviewer, an administrator)."

    def handle(self, *args, **options):
        if settings.KNOWHOW_PRODUCTION:
            raise CommandError("seed_demo refuses to run with production settings.")
        with transaction.atomic():
            for email, name, role, group_names, superuser in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    email=email,
                    defaults={
                        "display_name": name,
                        "is_superuser": superuser,
                        "is_staff": superuser,
                    },
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                user.groups.add(*Group.objects.filter(name__in=group_names))
                EmailAddress.objects.update_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
                self.stdout.write(f"  {role:<14} {email:<24} {'created' if created else 'exists'}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts ready. Password for each: {DEMO_PASSWORD}")
        )
        self.stdout.write(
            "The educator, reviewer and administrator are asked to set up two-factor "
            "authentication (an authenticator app) the first time they sign in."
        )
