from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.catalogue import CATALOGUE_DIR, CatalogueError, LoadReport, catalogue_load


class Command(BaseCommand):
    help = (
        "Load the starter courses from courses/catalogue/*.yaml: create the missing ones and "
        "bring the others up to date, leaving alone (and listing) whatever an editor changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(CATALOGUE_DIR))

    def handle(self, *args, directory, verbosity, **options):
        try:
            report = catalogue_load(directory=Path(directory))
        except CatalogueError as exc:
            raise CommandError(f"{exc}\nNothing was written.") from exc
        for line in report_lines(report, every_item=verbosity > 1):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(summary(report)))
        if report.edited:
            many = len(report.edited) != 1
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.edited)} item{'s' if many else ''} left alone because "
                    f"someone edited {'them' if many else 'it'}: compare "
                    f"{'each' if many else 'it'} with its course file and merge the file's "
                    "changes by hand."
                )
            )


def _by_course(items):
    courses = {}
    for item in items:
        courses.setdefault(item.course, []).append(item)
    return sorted(courses.items())


def _url(item):
    if not item.url:
        return ""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + item.url


def report_lines(report: LoadReport, *, every_item=False):
    """The report as lines: one per course, then each item an educator must look at."""
    for slug in report.created:
        yield f"  created    {slug}"
    for label, items in (("updated", report.updated), ("added", report.added)):
        for slug, course_items in _by_course(items):
            yield f"  {label:<10} {slug}: {LoadReport.counts(course_items)}"
            if every_item:
                for item in course_items:
                    yield f"               {item.kind_name} “{item.title}” {_url(item)}"
    for slug in report.unchanged:
        yield f"  unchanged  {slug}"
    if report.edited:
        yield "Left alone because they were edited since the loader wrote them:"
        for item in report.edited:
            yield f"  {item.course}: {item.kind_name} “{item.title}”"
            yield f"      {_url(item)} ({item.reason})"
    if report.not_in_files:
        yield "In the site but no longer in the course files (left as they are):"
        for item in report.not_in_files:
            yield f"  {item.course}: {item.kind_name} “{item.title}”"
            yield f"      {_url(item)}"


def summary(report: LoadReport) -> str:
    return (
        f"Catalogue: {len(report.created)} courses created with {report.quizzes} quizzes; "
        f"{len(report.updated)} items updated, {len(report.added)} added, "
        f"{len(report.edited)} left alone, {report.unchanged_items} unchanged"
        + (
            f", {report.edited_quietly} edited on the site with nothing new for them in the files."
            if report.edited_quietly
            else "."
        )
    )
