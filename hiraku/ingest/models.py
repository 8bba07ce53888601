"""Ingestion state per resource version, and the tables it produced.

A version's tables become visible (datastore, preview, dictionary) only when its job is DONE;
until then the resource keeps serving the newest earlier version whose job is DONE.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from hiraku.catalog.models import Resource, ResourceVersion


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    NOT_TABULAR = "not_tabular", _("Kept as a file (not tabular)")


class IngestJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        ResourceVersion, on_delete=models.CASCADE, related_name="ingest_jobs"
    )
    state = models.CharField(max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.FloatField(default=0.0, help_text="0.0 to 1.0")
    message = models.TextField(
        blank=True, help_text="Bilingual reason on failure; a summary on success."
    )
    detected_format = models.CharField(max_length=20, blank=True)
    detected_encoding = models.CharField(max_length=40, blank=True)
    # Staff overrides: {"encoding": "cp932", "types": {"table": {"column": "string"}}, ...}
    options = models.JSONField(default=dict, blank=True)
    report = models.JSONField(
        default=dict, blank=True, help_text="Warnings, renamed headers, notes."
    )
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["version", "state"])]

    def __str__(self) -> str:
        return f"{self.version} {self.state}"


class DataTable(models.Model):
    """One table of a version: a CSV, or one sheet of a workbook, or one CSV inside a ZIP."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(IngestJob, on_delete=models.CASCADE, related_name="tables")
    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="tables")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(
        max_length=300, help_text="Sheet or member name; the file name for a CSV."
    )
    position = models.PositiveIntegerField(default=0)
    parquet_path = models.CharField(
        max_length=500, help_text="Relative to HIRAKU['DATASTORE_DIR']."
    )
    row_count = models.BigIntegerField(default=0)
    # Frictionless Table Schema: {"fields": [{"name", "type", "format"?, "title"?, "description"?,
    # "hiraku:source_type"?, ...}], "missingValues": [...]}
    table_schema = models.JSONField(default=dict)
    # {"column": {"nulls": n, "distinct": n, "min": v, "max": v, "top": [[value, count], ...]}}
    stats = models.JSONField(default=dict)
    notes = models.JSONField(
        default=list, blank=True, help_text="注・※・出典 lines found around the table."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.resource_id}:{self.name}"
