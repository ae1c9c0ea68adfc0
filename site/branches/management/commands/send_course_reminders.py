"""Send course reminders now. The scheduler already runs this daily
(settings.PERIODIC_JOBS["course_reminders"]); this is the manual trigger.

Idempotent: each member gets one reminder per recommendation, so running it
again, or while the scheduled run is going, sends nothing new.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from branches.services import recommendation_reminders_send


class Command(BaseCommand):
    help = "Email members about recommended courses due within the next few days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="Remind this many days ahead (default 7)."
        )
        parser.add_argument(
            "--base-url",
            default=settings.WAGTAILADMIN_BASE_URL,
            help="Start of the links in the emails.",
        )

    def handle(self, *args, days, base_url, **options):
        sent = recommendation_reminders_send(days=days, base_url=base_url)
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
