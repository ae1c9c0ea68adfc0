"""Reports → Emails and Reports → Background tasks (superusers only).

Emails waiting or failed, with their error and a "try again"; failed
background tasks and the workers seen alive. Recipient and subject are shown,
never the body. Like every admin page these sit behind the admin's
two-factor requirement (accounts.middleware.RequireMFAMiddleware).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.models import OutgoingEmail, WorkerHeartbeat
from background.services import outgoing_email_retry

UNSENT = [OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING, OutgoingEmail.Status.FAILED]


def _superusers_only(request):
    # Addresses of members and of people invited: administrators only.
    if not request.user.is_superuser:
        raise PermissionDenied


def email_list(request):
    _superusers_only(request)
    status = request.GET.get("status", "")
    emails = OutgoingEmail.objects.defer("payload").order_by("-created_at")
    if status in OutgoingEmail.Status.values:
        emails = emails.filter(status=status)
    else:
        status = ""
        emails = emails.filter(status__in=UNSENT)
    counts = dict(OutgoingEmail.objects.values_list("status").annotate(n=Count("pk")).order_by())
    title = "Emails"
    return TemplateResponse(
        request,
        "background/admin/emails.html",
        {
            "header_title": title,
            "page_title": title,
            "header_icon": "mail",
            "page_obj": Paginator(emails, 50).get_page(request.GET.get("page")),
            "status": status,
            "statuses": [
                (value, label, counts.get(value, 0))
                for value, label in OutgoingEmail.Status.choices
            ],
            "keep_days": settings.EMAIL_KEEP_DAYS,
            "retry_hours": int(settings.EMAIL_RETRY_FOR.total_seconds() // 3600),
        },
    )


@require_POST
def email_retry(request):
    _superusers_only(request)
    if request.POST.get("all") == "failed":
        ids = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).values_list(
            "pk", flat=True
        )
    else:
        ids = [int(v) for v in request.POST.getlist("email") if v.isdigit()]
    count = outgoing_email_retry(email_ids=ids)
    if count:
        messages.success(request, f"Trying {count} email{'s' if count != 1 else ''} again.")
    else:
        messages.warning(request, "Choose at least one failed email to try again.")
    return redirect("background_emails")


def _last_line(traceback: str) -> str:
    # The exception and its message; the frames above it are for developers.
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def task_list(request):
    _superusers_only(request)
    failed = DBTaskResult.objects.failed().order_by("-finished_at")
    counts = dict(
        DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    alive_since = timezone.now() - settings.TASKS_WORKER_TIMEOUT
    page = Paginator(failed, 50).get_page(request.GET.get("page"))
    rows = [(task, _last_line(task.traceback)) for task in page]
    title = "Background tasks"
    return TemplateResponse(
        request,
        "background/admin/tasks.html",
        {
            "header_title": title,
            "page_title": title,
            "header_icon": "cogs",
            "page_obj": page,
            "rows": rows,
            "waiting": counts.get(TaskResultStatus.READY, 0),
            "running": counts.get(TaskResultStatus.RUNNING, 0),
            "workers": WorkerHeartbeat.objects.filter(seen_at__gte=alive_since).order_by(
                "hostname", "started_at"
            ),
            "keep_days": settings.TASKS_KEEP_DAYS,
        },
    )
