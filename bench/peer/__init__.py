"""Knowhow side by side with the wagtail-lms package (issue #18, item 2); see __main__.py.

Everything of the benchmark is here: the course both sides are seeded with
(course.py), Knowhow's seeding (knowhow.py), the peer's virtualenv, database
and server (lms.py) and the peer's minimal project (project/), which runs
only in the peer's own virtualenv.
"""
