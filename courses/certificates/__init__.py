"""Certificates: issued when a course is completed, checked by anyone.

A sub-package of courses that keeps the `courses` app label, so the table
(courses_certificate), the content type, the permissions and the audit log
entries are those the certificates have always had, and no migration moves
them. Here: the model, issue and revoke (services), the holder's current
certificate (selectors), the Ed25519 signature (signing), the PDF (pdf/),
the pages (views, urls), the admin (admin_views, wagtail_hooks), the key
command's logic, the templates and the fonts. docs/certificates.md describes
the public page and the signature format.
"""
