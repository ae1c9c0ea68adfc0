from django.core.management.base import BaseCommand, CommandError

from courses.catalogue import CATALOGUE_DIR, CatalogueError, catalogue_load


class Command(BaseCommand):
    help = "Load the starter courses from courses/catalogue/*.yaml (creates only what is missing)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(CATALOGUE_DIR))

    def handle(self, *args, directory, **options):
        from pathlib import Path

        try:
            report = catalogue_load(directory=Path(directory))
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        for slug in report.created:
            self.stdout.write(f"  created   {slug}")
        for slug in report.unchanged:
            self.stdout.write(f"  unchanged {slug}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue: {len(report.created)} courses created with {report.quizzes} "
                f"quizzes, {len(report.unchanged)} already there."
            )
        )
