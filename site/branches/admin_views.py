"""Regions, branches and officer roles in the Wagtail admin (administrators only).

Appointing and removing officers goes through branches.services, so every
role change lands in the audit log (LOG-01). People are found by email
address rather than picked from a list of every account.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_POST
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from branches import services
from branches.models import Branch, BranchOfficer, Region, RegionOfficer


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "site"
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    add_to_admin_menu = False


class BranchViewSet(ModelViewSet):
    model = Branch
    icon = "group"
    form_fields = ["name", "slug", "region", "employer"]
    list_display = ["name", "region", "employer"]
    list_filter = ["region"]
    search_fields = ["name", "employer"]
    add_to_admin_menu = False


class AppointForm(forms.Form):
    email = forms.EmailField(label="Email address of the person to appoint")
    branch = forms.ModelChoiceField(
        queryset=Branch.objects.order_by("name"), required=False, label="Branch officer of"
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"), required=False, label="Or region officer of"
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("branch")) == bool(cleaned.get("region")):
            raise forms.ValidationError("Choose either a branch or a region.")
        email = cleaned.get("email")
        if email:
            user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                self.add_error("email", "No active account has this email address.")
            cleaned["user"] = user
        return cleaned


def _admins_only(request):
    # Giving someone sight of members' records is an administrator's decision.
    if not request.user.is_superuser:
        raise PermissionDenied


def officer_list(request):
    _admins_only(request)
    form = AppointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["branch"]:
            services.branch_officer_appoint(
                branch=data["branch"], user=data["user"], by=request.user
            )
            where = data["branch"].name
        else:
            services.region_officer_appoint(
                region=data["region"], user=data["user"], by=request.user
            )
            where = f"{data['region'].name} region"
        messages.success(request, f"{data['user']} is now an officer of {where}.")
        return redirect("branch_officers:list")
    title = "Officers"
    return TemplateResponse(
        request,
        "branches/admin/officers.html",
        {
            "header_title": title,
            "page_title": title,
            "header_icon": "user",
            "form": form,
            "branch_officers": BranchOfficer.objects.select_related("user", "branch").order_by(
                "branch__name", "user__email"
            ),
            "region_officers": RegionOfficer.objects.select_related("user", "region").order_by(
                "region__name", "user__email"
            ),
        },
    )


@require_POST
def officer_remove(request, kind, pk):
    _admins_only(request)
    model = BranchOfficer if kind == "branch" else RegionOfficer
    role = get_object_or_404(model, pk=pk)
    services.officer_remove(role=role, by=request.user)
    messages.success(request, f"Removed: {role}.")
    return redirect("branch_officers:list")


class OfficerViewSet(ViewSet):
    name = "branch_officers"
    url_prefix = "officers"
    icon = "user"
    menu_label = "Officers"

    def get_urlpatterns(self):
        return [
            path("", officer_list, name="list"),
            path("<str:kind>/<int:pk>/remove/", officer_remove, name="remove"),
        ]


class BranchesGroup(ViewSetGroup):
    menu_label = "Branches"
    menu_icon = "group"
    menu_order = 250
    items = (
        BranchViewSet("branches_admin", url_prefix="branches"),
        RegionViewSet("regions_admin", url_prefix="regions"),
        OfficerViewSet(),
    )
