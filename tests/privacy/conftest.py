"""A member with one of every record Knowhow can hold about a person
(issue #16), and a scan of every text column of every table."""

import datetime
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.log_actions import log
from wagtail.models import Comment, CommentReply
from wagtail.users.models import UserProfile

from accounts import services as account_services
from assessments.services import attempt_start, attempt_submit
from background.models import OutgoingEmail
from branches import services as branch_services
from branches.models import BranchOfficer, Membership, RecommendationReminder
from courses.models import Enrolment
from tests.factories import UserFactory, with_mfa
from tests.factories.assessments import make_question, make_quiz
from tests.factories.branches import make_branch, make_member, make_officer
from tests.factories.courses import complete, make_course

NAME = "Zebedee Quartermaine"
EMAIL = "zebedee.quartermaine@example.org"
OLD_EMAIL = "zq.previous@example.net"
TYPED = "xyzzy-typed-answer-5f1c"
NOTICE = "plugh-notice-text-93b0"
COMMENT = "frotz-comment-text-2d7e"
RUN_NOTE = "xyzzy-run-note-77aa"
NEEDLES = [NAME, "Quartermaine", EMAIL, OLD_EMAIL, TYPED, NOTICE, COMMENT, RUN_NOTE]


@dataclass
class Everything:
    member: object
    officer: object
    admin: object
    course: object
    quiz: object
    certificate_code: str
    membership_id: int
    branch_slug: str
    clients: list


@pytest.fixture
def everything(db, django_capture_on_commit_callbacks, superuser):
    """One of every record, made through the services where there is one."""
    with django_capture_on_commit_callbacks(execute=True):
        member = UserFactory(email=EMAIL, display_name=NAME)
        EmailAddress.objects.create(user=member, email=OLD_EMAIL, verified=True, primary=False)
        with_mfa(member)
        UserProfile.get_for_user(member)

        branch = make_branch("Leeds Health")
        officer = make_officer(branch)
        membership = make_member(branch, member, shares=True)
        branch_services.consent_set(membership=membership, shares_progress=False)
        branch_services.consent_set(membership=membership, shares_progress=True)
        # An officer looked at the member's record (the view writes this entry).
        log(
            instance=membership,
            action="knowhow.branch.member_view",
            user=officer,
            data={"branch": branch.slug},
        )

        course = make_course(title="Your data at work", modules=1, lessons=2)
        complete(member, course)  # enrolment, completions, certificate and its email
        recommendation = branch_services.recommendation_create(
            branch=branch,
            course=course,
            due_on=datetime.date(2027, 1, 1),
            recipients=[member],
            by=officer,
            for_everyone=False,
        )
        RecommendationReminder.objects.create(recommendation=recommendation, user=member)

        question = make_question("short_text")
        quiz = make_quiz([question])
        attempt = attempt_start(user=member, quiz=quiz)
        row = attempt.questions.get()
        attempt_submit(
            attempt=attempt, version=attempt.version, responses={row.position: {"text": TYPED}}
        )

        # The member is also an officer of another branch: invitations, a notice.
        other = make_branch("Bradford Council")
        BranchOfficer.objects.create(branch=other, user=member)
        log(
            instance=BranchOfficer.objects.get(user=member),
            action="knowhow.role.appoint",
            user=superuser,
        )
        branch_services.invitations_send(
            branch=other, emails=["friend@example.com"], join_url="http://testserver/x", by=member
        )
        branch_services.notice_create(
            branch=other, body=f"Meeting at noon. {NOTICE}", show_until=None, by=member
        )

        # Educator traces: a page they own and edited, a comment and a reply.
        course.owner = member
        course.save_revision(user=member, log_action=True)
        comment = Comment.objects.create(
            page=course, user=member, text=f"Please check. {COMMENT}", contentpath="title"
        )
        CommentReply.objects.create(comment=comment, user=member, text=f"Done. {COMMENT}")

        # Course runs: the member applied for one (a note in their words), was
        # given a place and attended; and, as an educator, tutors another.
        from branches.applications import application_apply, application_approve
        from courses.runs.services import application_confirm, attendance_record
        from tests.factories.runs import make_run

        taken = make_run(course, sessions=1)
        application = application_apply(
            user=member, run=taken, branch=branch, note=f"Please. {RUN_NOTE}"
        )
        application_approve(application=application, by=officer)
        application_confirm(application=application, by=taken.tutor)
        session = taken.sessions.get()
        session.starts_at = timezone.now() - datetime.timedelta(hours=1)  # it has begun
        session.save(update_fields=["starts_at"])
        attendance_record(session=session, present_ids={application.pk}, by=taken.tutor)
        make_run(course, tutor=member, title="Data rights evening class")

        # An administrator edited the account and exported the member's data.
        log(instance=member, action="wagtail.edit", user=superuser)
        account_services.account_export_audit(user=member, by=superuser, reason="Postal request")

    # An email that could not be delivered keeps its body and error.
    failed = OutgoingEmail.objects.create(
        recipient=EMAIL,
        recipients=[f"{NAME} <{EMAIL}>"],
        subject=f"Hello {NAME}",
        message_id="<failed-1@knowhow.invalid>",
        payload={"body": f"Dear {NAME}"},
        status=OutgoingEmail.Status.FAILED,
        last_error=f"550 {EMAIL}: mailbox unavailable",
        retry_until=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    DBTaskResult.objects.create(
        args_kwargs={"args": [failed.pk], "kwargs": {}},
        task_path="background.tasks.email_deliver",
        backend_name="default",
        run_after=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        exception_class_path="smtplib.SMTPRecipientsRefused",
        traceback=f"SMTPRecipientsRefused: {EMAIL}",
        status="FAILED",
    )

    clients = []
    for _ in range(2):  # signed in on two devices
        device = Client()
        device.force_login(member)
        clients.append(device)
    assert Enrolment.objects.filter(user=member).exists()
    return Everything(
        member=member,
        officer=officer,
        admin=superuser,
        course=course,
        quiz=quiz,
        certificate_code=member.certificates.get().code,
        membership_id=Membership.objects.get(user=member, branch=branch).pk,
        branch_slug=branch.slug,
        clients=clients,
    )


TEXT_TYPES = {
    "CharField",
    "TextField",
    "JSONField",
    "EmailField",
    "GenericIPAddressField",
    "SlugField",
    "URLField",
    "FilePathField",
}


def text_columns():
    """(table, column) for every text-like column of every table, as the
    database itself describes them (raw introspection, not the models)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            try:
                description = connection.introspection.get_table_description(cursor, table)
            except Exception:  # noqa: BLE001, S112 - SQLite's FTS shadow tables
                continue
            for column in description:
                try:
                    kind = connection.introspection.get_field_type(column.type_code, column)
                except KeyError:
                    kind = "TextField"  # unknown types are searched too
                if kind in TEXT_TYPES:
                    yield table, column.name


def find_anywhere(needles):
    """{needle: [table.column, ...]} for each needle found in any text column."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table, column in text_columns():
            for needle in needles:
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} WHERE LOWER(CAST({quote(column)} AS TEXT)) "  # noqa: S608
                    "LIKE %s LIMIT 1",
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone():
                    found.setdefault(needle, []).append(f"{table}.{column}")
    return found
