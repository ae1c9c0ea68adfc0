"""A minimal Wagtail project around the wagtail-lms package, for bench/peer only.

It runs in its own virtualenv (.venv-peer), never in Knowhow's, and is copied
into a temporary directory for each run. Nothing of wagtail-lms is copied
here: it is installed from PyPI (bench/peer/requirements.txt).
"""
