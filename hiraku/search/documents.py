"""Writing the search index: one SearchDocument per dataset, refreshed when the dataset changes.

document_update is called by the dataset_changed receiver; documents_rebuild by `hiraku
reindex`; documents_refresh_stale before every search, so that a recent change whose signal
was lost (a process killed right after commit, rows written with the ORM, a test transaction
that never commits) is picked up anyway. It looks only at the most recently modified
datasets, which keeps it an index walk of RECENT_WINDOW rows, whatever the catalogue size.
"""

import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from hiraku.catalog.models import Dataset, DatasetState

from .models import SearchDocument
from .tokenizer import index_tokens

log = logging.getLogger(__name__)
# Before each search, the RECENT_WINDOW most recently modified datasets are checked and up
# to STALE_BATCH stale ones re-indexed inline; `hiraku reindex` does bulk work.
RECENT_WINDOW = 100
STALE_BATCH = 200


def _dataset_texts(dataset: Dataset) -> dict[str, str]:
    if dataset.state == DatasetState.DELETED:
        return {"title_tokens": "", "keyword_tokens": "", "body_tokens": ""}
    org = dataset.organization
    keywords = [t.name for t in dataset.tags.all()]
    for category in dataset.categories.all():
        keywords += [category.title, category.title_en]
    keywords += [org.title, org.title_en, dataset.name.replace("-", " ").replace("_", " ")]
    body = [dataset.notes, dataset.notes_en]
    for resource in dataset.resources.all():
        if resource.state == "active":
            body += [resource.name, resource.description]
    return {
        "title_tokens": index_tokens(dataset.title, dataset.title_en),
        "keyword_tokens": index_tokens(*keywords),
        "body_tokens": index_tokens(*body),
    }


def _load(ids: Iterable) -> list[Dataset]:
    return list(
        Dataset.objects.filter(pk__in=list(ids))
        .select_related("organization")
        .prefetch_related("tags", "categories", "resources")
    )


_TOKEN_FIELDS = ["revision", "title_tokens", "keyword_tokens", "body_tokens", "updated"]


def _write(datasets: list[Dataset]) -> None:
    """Insert or update the documents in one statement (the FTS triggers follow each row)."""
    now = timezone.now()
    documents = [
        SearchDocument(
            dataset_id=dataset.pk, revision=dataset.revision, updated=now, **_dataset_texts(dataset)
        )
        for dataset in datasets
    ]
    with transaction.atomic():
        SearchDocument.objects.bulk_create(
            documents,
            batch_size=200,
            update_conflicts=True,
            unique_fields=["dataset"],
            update_fields=_TOKEN_FIELDS,
        )


def document_update(*, dataset_id) -> None:
    """Re-index one dataset (its row disappears with it if the dataset itself is gone)."""
    _write(_load([dataset_id]))


def documents_stale_ids(*, recent: int | None = None, limit: int | None = None) -> list:
    """Datasets without a document or with one older than their revision; only among the
    `recent` most recently modified when given (two small indexed queries)."""
    if recent:
        # Raw SQL: this runs before every search, and the ORM's compile time would dominate.
        sql = (
            f"SELECT d.id FROM (SELECT id, revision FROM {Dataset._meta.db_table}"
            "  ORDER BY modified DESC LIMIT %s) d"
            f" LEFT JOIN {SearchDocument._meta.db_table} s ON s.dataset_id = d.id"
            " WHERE s.id IS NULL OR s.revision <> d.revision"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [recent])
            stale = [Dataset._meta.pk.to_python(row[0]) for row in cursor.fetchall()]
        return stale[:limit] if limit else stale
    stale = Dataset.objects.filter(
        Q(search_document__isnull=True) | ~Q(search_document__revision=F("revision"))
    ).values_list("pk", flat=True)
    return list(stale[:limit] if limit else stale)


def documents_refresh_stale() -> int:
    ids = documents_stale_ids(recent=RECENT_WINDOW, limit=STALE_BATCH)
    if ids:
        log.info("search: refreshing %d stale documents", len(ids))
        _write(_load(ids))
    return len(ids)


def documents_rebuild(*, batch_size: int = 500, progress=None) -> int:
    """Re-index every dataset, in batches of one transaction each; returns how many."""
    ids = list(Dataset.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        _write(_load(ids[start : start + batch_size]))
        if progress:
            progress(min(start + batch_size, len(ids)), len(ids))
    return len(ids)
