"""The certificates' pages, included at the site's root by config/urls.py.

These paths and names are printed on certificates (the QR code and the link
point at /certificates/verify/<code>/) and published (the key file): never
change them. tests/courses/certificates/test_public_urls.py pins them.
"""

from django.urls import path

from courses.certificates import views

urlpatterns = [
    path("certificates/", views.my_certificates, name="my_certificates"),
    path(
        "certificates/<str:code>/show-name/",
        views.certificate_show_name,
        name="certificate_show_name",
    ),
    path("certificates/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path(
        ".well-known/knowhow-certificates.json",
        views.certificate_keys,
        name="certificate_keys",
    ),
]
