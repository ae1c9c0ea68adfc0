import base64
import secrets

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new random key for CERTIFICATE_SIGNING_KEY (it is not stored anywhere)."

    def handle(self, *args, **options):
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
        self.stdout.write(key)
