"""Branch pages for members (joining, privacy) and officers (dashboard,
members, exports, invitations, recommendations, notices) and region totals.

Officer views start from selectors.branch_for_officer, which is a 404 for
anyone who is not an officer of that branch on this request (AC-02, AC-03).
"""

import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe
from wagtail.log_actions import log

from branches import applications, exports, selectors, services
from branches.consent import current_wording
from branches.forms import (
    ApplyForm,
    ConsentForm,
    DecisionForm,
    InviteForm,
    JoinForm,
    NoticeForm,
    RecommendForm,
)
from branches.models import Branch, Membership, Notice
from courses.models import CoursePage
from courses.runs import selectors as run_selectors
from courses.runs.services import ApplicationRefused
from courses.selectors import learner_dashboard


def _posted(request):
    """The form data on POST (even when empty, so it shows errors), else None."""
    return request.POST if request.method == "POST" else None


def _private(response):
    # Officer pages show members' records: never kept by a browser or proxy.
    patch_cache_control(response, private=True, no_store=True)
    return response


# Members -------------------------------------------------------------------


@require_safe
def member_dashboard(request):
    """The learner dashboard, with notices and recommendations from branches."""
    context = learner_dashboard(user=request.user)
    context.update(selectors.member_dashboard_items(user=request.user))
    context["branches_led"] = selectors.branches_led_by(user=request.user)
    context["regions_led"] = selectors.regions_led_by(user=request.user)
    context["run_applications"] = run_selectors.applications_of(user=request.user)
    return render(request, "branches/member_dashboard.html", context)


def join(request, code):
    # Codes are URL-safe base64; anything else (a NUL would crash PostgreSQL) is no code.
    valid = re.fullmatch(r"[A-Za-z0-9_-]{1,32}", code) is not None
    branch = (
        Branch.objects.filter(invite_code=code).select_related("region").first() if valid else None
    )
    if branch is None:
        raise Http404
    if Membership.objects.filter(user=request.user, branch=branch).exists():
        messages.info(request, f"You are already a member of {branch.name}.")
        return redirect("branches:privacy")
    # Not `request.POST or None`: joining without ticking the box posts no field at all.
    form = JoinForm(request.POST if request.method == "POST" else None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_join(
                user=request.user,
                branch=branch,
                shares_progress=form.cleaned_data["share_progress"],
            )
        except services.AlreadyMember:
            messages.info(request, f"You are already a member of {branch.name}.")
            return redirect("branches:privacy")
        shared = form.cleaned_data["share_progress"]
        messages.success(
            request,
            f"You have joined {branch.name}. "
            + (
                "Its officers can now see your progress."
                if shared
                else "Its officers cannot see your progress."
            ),
        )
        return redirect("branches:privacy")
    return render(request, "branches/join.html", {"branch": branch, "form": form})


def privacy(request):
    """What each of the member's branches can see, and the choice to change it."""
    memberships = selectors.memberships_of(user=request.user)
    forms_by_id = {}
    for membership in memberships:
        data = None
        if request.method == "POST" and request.POST.get("membership") == str(membership.pk):
            data = request.POST
        initial = {"share_progress": "yes" if membership.is_sharing else "no"}
        forms_by_id[membership.pk] = ConsentForm(
            data, initial=initial, prefix_id=f"branch-{membership.pk}"
        )
    if request.method == "POST":
        membership = next(
            (m for m in memberships if str(m.pk) == request.POST.get("membership")), None
        )
        if membership is None:
            raise Http404
        form = forms_by_id[membership.pk]
        if form.is_valid():
            shares = form.cleaned_data["share_progress"]
            services.consent_set(membership=membership, shares_progress=shares)
            messages.success(
                request,
                f"{membership.branch.name} officers can now see your progress."
                if shares
                else f"{membership.branch.name} officers can no longer see your progress.",
            )
            return redirect("branches:privacy")
    rows = [
        {
            "membership": m,
            "form": forms_by_id[m.pk],
            "record": selectors.member_record(membership=m) if m.is_sharing else None,
        }
        for m in memberships
    ]
    failed = next((row["form"] for row in rows if row["form"].errors), None)
    return render(
        request,
        "branches/privacy.html",
        {"rows": rows, "wording": current_wording(), "failed_form": failed},
    )


def leave(request, slug):
    membership = get_object_or_404(
        Membership.objects.select_related("branch", "user"), user=request.user, branch__slug=slug
    )
    if request.method == "POST":
        name = membership.branch.name
        services.membership_leave(membership=membership)
        messages.success(request, f"You have left {name}. Its officers can no longer see you.")
        return redirect("branches:privacy")
    return render(request, "branches/leave.html", {"membership": membership})


# Officers ------------------------------------------------------------------


@require_safe
def dashboard(request, slug):
    context = selectors.branch_dashboard(slug=slug, user=request.user, params=request.GET)
    filters = context["filters"]
    context["query"] = urlencode(filters.as_query())
    context["status_choices"] = selectors.MemberStatus.CHOICES
    context["sort_choices"] = [(key, label) for key, (label, _) in selectors.SORTS.items()]
    context["levels"] = CoursePage._meta.get_field("level").choices
    return _private(render(request, "branches/dashboard.html", context))


@require_safe
def member(request, slug, membership_id):
    record = selectors.member_detail(slug=slug, user=request.user, membership_id=membership_id)
    branch = record["branch"]
    log(
        instance=record["membership"],
        action="knowhow.branch.member_view",
        user=request.user,
        data={"branch": branch.slug},
    )
    record["crumbs"] = [(f"{branch.name} members", reverse("branches:dashboard", args=[slug]))]
    return _private(render(request, "branches/member.html", record))


@require_safe
def export(request, slug, kind):
    branch, filters, rows = selectors.member_export(
        slug=slug, user=request.user, params=request.GET
    )
    write = exports.members_csv if kind == "csv" else exports.members_xlsx
    return write(branch=branch, rows=rows, by=request.user, filters=filters)


def invite(request, slug):
    branch = selectors.branch_for_officer(slug=slug, user=request.user)
    join_url = request.build_absolute_uri(reverse("branches:join", args=[branch.invite_code]))
    form = InviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        sent = services.invitations_send(
            branch=branch, emails=form.cleaned_data["emails"], join_url=join_url, by=request.user
        )
        messages.success(request, f"Sent {sent} invitation{'s' if sent != 1 else ''}.")
        return redirect("branches:invite", slug=branch.slug)
    return _private(
        render(
            request, "branches/invite.html", {"branch": branch, "join_url": join_url, "form": form}
        )
    )


@require_POST
def invite_regenerate(request, slug):
    branch = selectors.branch_for_officer(slug=slug, user=request.user)
    services.invite_code_regenerate(branch=branch, by=request.user)
    messages.success(request, "There is a new invitation link. The old one no longer works.")
    return redirect("branches:invite", slug=branch.slug)


def recommend(request, slug):
    branch = selectors.branch_for_officer(slug=slug, user=request.user)
    members = (
        get_user_model()
        .objects.filter(pk__in=selectors.sharing_members(branch=branch).values("user_id"))
        .order_by("display_name", "pk")
    )
    courses = CoursePage.objects.live().order_by("title")
    form = RecommendForm(_posted(request), courses=courses, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.recommendation_create(
            branch=branch,
            course=data["course"],
            due_on=data["due_on"],
            recipients=data["members"],
            for_everyone=data["audience"] == "everyone",
            by=request.user,
        )
        messages.success(request, f"Recommended “{data['course'].title}”.")
        return redirect("branches:recommend", slug=branch.slug)
    recent = branch.recommendations.select_related("course").annotate(
        recipient_count=Count("recipients")
    )[:20]
    return _private(
        render(
            request, "branches/recommend.html", {"branch": branch, "form": form, "recent": recent}
        )
    )


def notices(request, slug):
    branch = selectors.branch_for_officer(slug=slug, user=request.user)
    form = NoticeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.notice_create(
            branch=branch,
            body=form.cleaned_data["body"],
            show_until=form.cleaned_data["show_until"],
            by=request.user,
        )
        messages.success(request, "Your notice is on members' dashboards.")
        return redirect("branches:notices", slug=branch.slug)
    return _private(
        render(
            request,
            "branches/notices.html",
            {"branch": branch, "form": form, "notices": branch.notices.all()[:20]},
        )
    )


@require_POST
def notice_delete(request, slug, notice_id):
    branch = selectors.branch_for_officer(slug=slug, user=request.user)
    notice = get_object_or_404(Notice, pk=notice_id, branch=branch)
    services.notice_delete(notice=notice)
    messages.success(request, "The notice has been removed.")
    return redirect("branches:notices", slug=branch.slug)


@require_safe
def region(request, slug):
    region = selectors.region_for_officer(slug=slug, user=request.user)
    figures = selectors.region_summary(region=region, user=request.user)
    return _private(
        render(
            request,
            "branches/region.html",
            {"region": region, "figures": figures, "small_number": selectors.SMALL_NUMBER},
        )
    )


# Course run applications (issue #17) -----------------------------------------


def run_apply(request, run_id):
    """A rep applies for a place on a run, through one of their branches."""
    context = run_selectors.run_page(run_id=run_id, user=request.user)
    run = context["run"]
    if not context["may_apply"]:
        return redirect("runs:run", run_id=run.pk)
    branches = Branch.objects.filter(memberships__user=request.user).order_by("name")
    if not branches.exists():
        return render(request, "branches/run_apply_no_branch.html", {"run": run})
    form = ApplyForm(_posted(request), branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            applications.application_apply(
                user=request.user,
                run=run,
                branch=form.cleaned_data["branch"],
                note=form.cleaned_data["note"],
            )
        except ApplicationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                f"You have applied. {form.cleaned_data['branch'].name}'s officers will decide.",
            )
            return redirect("runs:run", run_id=run.pk)
    return render(request, "branches/run_apply.html", {**context, "form": form})


@require_safe
def run_places_export(request, slug):
    branch = selectors.branch_for_officer(slug=slug, user=request.user)
    return exports.run_places_csv(
        branch=branch, rows=selectors.branch_run_places(branch=branch), by=request.user
    )


def application(request, slug, application_id):
    """An officer reads an application made through their branch and decides."""
    branch, item = selectors.application_for_officer(
        slug=slug, application_id=application_id, user=request.user
    )
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                applications.application_approve(application=item, by=request.user)
                messages.success(request, "Approved. The tutor will confirm the place.")
            else:
                applications.application_decline(
                    application=item, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "Declined. The member has been told why.")
        except ApplicationRefused as refusal:
            messages.error(request, str(refusal))
        return redirect("branches:dashboard", slug=branch.slug)
    crumbs = [(f"{branch.name} members", reverse("branches:dashboard", args=[slug]))]
    return _private(
        render(
            request,
            "branches/application.html",
            {"branch": branch, "application": item, "form": form, "crumbs": crumbs},
        )
    )
