"""Queue-facing services: create a job for a new version, re-run one with staff overrides.

job_enqueue(version=v)                         -> IngestJob(state="queued"), task sent
ingest_rerun(version=v, options={"encoding": "cp932", "types": {"a.csv": {"コード": "string"}}})
"""

import codecs

from django.db import transaction
from django.utils import timezone

from hiraku.catalog.errors import ValidationFailed, bilingual
from hiraku.catalog.models import ResourceVersion

from .infer import OVERRIDE_TYPES
from .models import IngestJob, JobState


def clean_options(options: dict | None) -> dict:
    """Keep only the overrides staff may set, checked:
    {"encoding": str, "types": {t: {c: type}}, "allow_ragged": True}."""
    options = options or {}
    cleaned: dict = {}
    encoding = (options.get("encoding") or "").strip()
    if encoding:
        try:
            cleaned["encoding"] = codecs.lookup(encoding).name
        except LookupError:
            raise ValidationFailed(
                bilingual(f"不明な文字コードです: {encoding}", f"Unknown encoding: {encoding}"),
                {"encoding": [bilingual("不明な文字コード", "Unknown encoding")]},
            ) from None
    types = options.get("types") or {}
    if not isinstance(types, dict):
        raise ValidationFailed(
            bilingual("型の指定が不正です", "Invalid type overrides"),
            {
                "types": [
                    bilingual(
                        "{表: {列: 型}} の形式で指定してください", "Use {table: {column: type}}"
                    )
                ]
            },
        )
    cleaned_types: dict[str, dict[str, str]] = {}
    for table, columns in types.items():
        if not isinstance(columns, dict):
            continue
        for column, kind in columns.items():
            if kind in ("", None):
                continue
            if kind not in OVERRIDE_TYPES:
                allowed = ", ".join(sorted(OVERRIDE_TYPES))
                raise ValidationFailed(
                    bilingual(f"不明な型です: {kind}", f"Unknown type: {kind}"),
                    {"types": [bilingual(f"使える型: {allowed}", f"Allowed types: {allowed}")]},
                )
            cleaned_types.setdefault(str(table), {})[str(column)] = kind
    if cleaned_types:
        cleaned["types"] = cleaned_types
    if _truthy(options.get("allow_ragged")):
        cleaned["allow_ragged"] = True
    return cleaned


def _truthy(value) -> bool:
    # JSON true, or a form field "1" / "true" / "on" (an HTML checkbox)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return value is True or value == 1


def job_enqueue(*, version: ResourceVersion, options: dict | None = None) -> IngestJob:
    """A QUEUED job for the version, sent to the Huey queue once the row is committed."""
    from .tasks import ingest_job_task

    job = IngestJob.objects.create(version=version, options=options or {})
    transaction.on_commit(lambda: ingest_job_task(str(job.pk)))
    return job


def ingest_rerun(*, version: ResourceVersion, options: dict | None = None) -> IngestJob:
    """Ingest the same version again with overrides; the previous tables serve until it is DONE."""
    cleaned = clean_options(options)
    return job_enqueue(version=version, options=cleaned)


def jobs_recover_interrupted() -> int:
    """Mark RUNNING jobs as FAILED: called when a worker starts, i.e. after a crash or kill."""
    return IngestJob.objects.filter(state__in=[JobState.RUNNING]).update(
        state=JobState.FAILED,
        finished=timezone.now(),
        message=bilingual(
            "取り込み中に処理が中断されました。もう一度実行してください",
            "Ingestion was interrupted (worker stopped); run it again",
        ),
    )
