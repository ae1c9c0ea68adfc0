"""Certificates in the admin: issued certificates per course, and revoking one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from wagtail.admin.viewsets.base import ViewSet

from courses.certificates.models import Certificate, CertificateStatus
from courses.certificates.services import certificate_revoke
from courses.models import CoursePage


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is this certificate being revoked?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Recorded in the audit log with your name and the time.",
    )


def _admins_only(request):
    # Revoking changes what a third party is told about a person: superusers only.
    if not request.user.is_superuser:
        raise PermissionDenied


def certificate_list(request):
    _admins_only(request)
    certificates = Certificate.objects.select_related("course").order_by("-issued_at")
    course_id = request.GET.get("course", "")
    # ASCII digits, and few enough for a database integer: int() refuses "²".
    if course_id.isascii() and course_id.isdigit() and len(course_id) <= 18:
        certificates = certificates.filter(course_id=int(course_id))
    status = request.GET.get("status", "")
    if status in CertificateStatus.values:
        certificates = certificates.filter(status=status)
    page = Paginator(certificates, 50).get_page(request.GET.get("page"))
    title = "Certificates"
    return TemplateResponse(
        request,
        "certificates/admin/list.html",
        {
            "header_title": title,
            "page_title": title,
            "header_icon": "doc-full",
            "page_obj": page,
            "courses": CoursePage.objects.order_by("title").only("id", "title"),
            "course_id": course_id,
            "status": status,
            "statuses": CertificateStatus.choices,
        },
    )


def certificate_revoke_view(request, pk):
    _admins_only(request)
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        certificate_revoke(
            certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Revoked the certificate for {certificate.course_title}.")
        return redirect("certificates_admin:list")
    title = f"Revoke certificate {certificate.code[:8]}…"
    return TemplateResponse(
        request,
        "certificates/admin/revoke.html",
        {
            "header_title": title,
            "page_title": title,
            "header_icon": "doc-full",
            "certificate": certificate,
            "form": form,
        },
    )


class CertificateAdminViewSet(ViewSet):
    name = "certificates_admin"
    url_prefix = "certificates"
    icon = "doc-full"
    menu_label = "Certificates"
    menu_order = 260
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return [
            path("", certificate_list, name="list"),
            path("<int:pk>/revoke/", certificate_revoke_view, name="revoke"),
        ]
