"""What the catalogue loader wrote, so a later load can tell its own text from an educator's.

One row per item and version: the item's kind and key (as in
docs/catalogue-format.md, "Updating a site that is already running") and the
digest of the content the loader left in the database. A later load updates
an item only while its content still has one of the digests the loader wrote
(or one in the committed history of released catalogue files, for databases
made before these records existed); anything else is an educator's edit and is
left alone. Rows are never changed, only added.
"""

from django.db import models
from django.utils import timezone


class CatalogueRecord(models.Model):
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=300)
    digest = models.CharField(max_length=64)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "courses"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "digest"], name="one_catalogue_record_per_version"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.key} {self.digest[:8]}"
