from django.core.management.base import BaseCommand

from courses.certificates.signing import new_signing_key


class Command(BaseCommand):
    help = "Print a new random key for CERTIFICATE_SIGNING_KEY (it is not stored anywhere)."

    def handle(self, *args, **options):
        self.stdout.write(new_signing_key())
