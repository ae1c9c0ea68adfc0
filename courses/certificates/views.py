"""Certificate pages: the holder's own list and PDF, and public verification."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST, require_safe

from courses.certificates import signing
from courses.certificates.models import Certificate
from courses.certificates.selectors import certificates_held
from courses.certificates.services import certificate_set_show_name

CODE = re.compile(r"^[0-9a-f]{32}$")


def _verify_url(request, certificate):
    return request.build_absolute_uri(reverse("certificate_verify", args=[certificate.code]))


@require_safe
def my_certificates(request):
    rows = [
        {"certificate": c, "verify_url": _verify_url(request, c)}
        for c in certificates_held(user=request.user)
    ]
    return render(request, "certificates/mine.html", {"rows": rows})


@require_POST
def certificate_show_name(request, code):
    certificate = Certificate.objects.filter(code=code, user=request.user).first()
    if certificate is None:
        raise Http404
    show = request.POST.get("show_name") == "yes"
    certificate_set_show_name(certificate=certificate, user=request.user, show=show)
    messages.success(
        request,
        "The public page now shows your name."
        if show
        else "The public page no longer shows your name.",
    )
    return redirect("my_certificates")


@require_safe
def certificate_pdf(request, code):
    # Imported here, not at the top: the PDF code reads 1.8 MB of fonts when
    # it is imported (about 250 ms), which only the first PDF should pay for,
    # not every process that loads the URLs.
    from courses.certificates.pdf import CertificateData
    from courses.certificates.pdf import certificate_pdf as render_pdf

    certificate = Certificate.objects.filter(code=code).first()
    # Only the holder and administrators; anyone else gets the same 404 as
    # for a code that does not exist.
    if certificate is None or not (
        certificate.user_id == request.user.pk or request.user.is_superuser
    ):
        raise Http404
    pdf = render_pdf(
        CertificateData(
            holder_name=certificate.holder_name,
            course_title=certificate.course_title,
            level=certificate.course_level,
            hours=f"{certificate.hours:g}",
            issued_on=certificate.issued_at.date(),
            expires_on=certificate.expires_on,
            code=certificate.code,
            verify_url=_verify_url(request, certificate),
        )
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="knowhow-certificate-{code[:8]}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def verify_rate_limited(request, *, scope="certificate-verify"):
    """CERT-03: a fixed window per client address, in the shared cache, for
    the public pages that check a code (`scope` keeps their counts apart)."""
    count, _, period = settings.CERTIFICATE_VERIFY_RATE.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600}.get(period, 60)
    key = f"{scope}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=seconds)
        used = 1
    return used > int(count)


@login_not_required
@require_safe
def certificate_verify(request, code):
    if verify_rate_limited(request):
        response = render(request, "certificates/too_many.html", status=429)
        response["Retry-After"] = "60"
        return response
    certificate = Certificate.objects.filter(code=code).first() if CODE.match(code) else None
    # A row that no longer matches its signature proves nothing.
    verified = certificate is not None and signing.verify(certificate)
    state = certificate.public_status if verified else "unknown"
    # An erased holder's certificate no longer carries the name its signature
    # was made over; the page says it was withdrawn, and nothing more (issue #16).
    if certificate is not None and certificate.is_withdrawn:
        state = "withdrawn"
    response = render(
        request,
        "certificates/verify.html",
        {
            "state": state,
            "certificate": certificate if state in {"valid", "expired"} else None,
            "code": code if CODE.match(code) else "",
            "keys_url": reverse("certificate_keys"),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, no_store=True)
    return response


@login_not_required
@require_safe
def certificate_keys(request):
    return JsonResponse(signing.published_keys())
