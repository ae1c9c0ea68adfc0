"""The benchmark's own app in the wagtail-lms project: the floor view and the seed command."""
