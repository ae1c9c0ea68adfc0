"""Write (or check) courses/catalogue_digests.json from the git history of the course files."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses import catalogue_digests as digests
from courses.catalogue_format import CatalogueError


class Command(BaseCommand):
    help = (
        "Fingerprint every released version of courses/catalogue/*.yaml (each commit on the "
        "first-parent line of --ref that changed them) into courses/catalogue_digests.json, "
        "so the loader can update sites loaded before it kept its own records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ref", default="HEAD", help="The branch or commit to read.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Do not write: fail if the committed file differs from a fresh build of "
            "the releases it lists.",
        )
        parser.add_argument("--output", default=str(digests.HISTORY_FILE))

    def handle(self, *args, ref, check, output, **options):
        import json

        repo = Path(settings.BASE_DIR)
        output = Path(output)
        try:
            if check:
                listed = json.loads(output.read_text(encoding="utf-8"))["releases"]
                commits = [(release["commit"], release["date"]) for release in listed]
            else:
                commits = digests.release_commits(repo, ref)
            content = digests.history_build(repo, commits)
        except subprocess.CalledProcessError as exc:
            raise CommandError(f"git failed: {exc.stderr.strip()}") from exc
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        text = digests.history_text(content)
        if check:
            if output.read_text(encoding="utf-8") != text:
                raise CommandError(f"{output} is out of date: run manage.py catalogue_digests")
            self.stdout.write(self.style.SUCCESS(f"{output} matches its {len(commits)} releases."))
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {output}: {len(content['digests'])} items from {len(commits)} releases "
                f"({', '.join(commit[:7] for commit, _ in commits)})."
            )
        )
