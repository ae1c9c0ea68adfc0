"""Email members a reminder before a recommended course is due. Run daily (cron).

Idempotent: each member gets one reminder per recommendation, recorded in
RecommendationReminder, so running it twice on a day sends nothing new.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from branches.models import Membership, Recommendation, RecommendationReminder
from courses.models import Enrolment


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
        today = timezone.localdate()
        due = Recommendation.objects.filter(
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=days),
            course__live=True,
        ).select_related("branch", "course")
        sent = 0
        for recommendation in due:
            sent += self._remind(recommendation, base_url.rstrip("/"))
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")

    def _remind(self, recommendation, base_url):
        # Current members only: someone who left the branch hears nothing more from it.
        members = Membership.objects.filter(branch=recommendation.branch).values("user_id")
        people = get_user_model().objects.filter(pk__in=members, is_active=True)
        if not recommendation.for_everyone:
            people = people.filter(pk__in=recommendation.recipients.values("pk"))
        people = people.exclude(
            pk__in=Enrolment.objects.filter(
                course=recommendation.course, completed_at__isnull=False
            ).values("user_id")
        ).exclude(pk__in=recommendation.reminders.values("user_id"))
        course_url = base_url + recommendation.course.get_url()
        sent = 0
        for user in people.iterator():
            try:
                with transaction.atomic():
                    RecommendationReminder.objects.create(recommendation=recommendation, user=user)
            except IntegrityError:
                continue  # another run got there first
            body = render_to_string(
                "branches/email/reminder.txt",
                {"user": user, "recommendation": recommendation, "course_url": course_url},
            )
            send_mail(
                f"Reminder: {recommendation.course.title}",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            sent += 1
        return sent
