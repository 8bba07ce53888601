"""The search index: one SearchDocument per dataset, holding pre-tokenised text.

The full-text structures on top of it are engine specific and created by migration 0002:
an FTS5 table kept in step by triggers on SQLite, a weighted tsvector column with a GIN index
on PostgreSQL (see hiraku/search/backends/).
"""

from django.db import models

from hiraku.catalog.models import Dataset


class SearchDocument(models.Model):
    dataset = models.OneToOneField(
        Dataset, on_delete=models.CASCADE, related_name="search_document"
    )
    # Dataset.revision when this row was written; a mismatch means the row is stale.
    revision = models.PositiveIntegerField(default=0)
    # Space-separated tokens (see hiraku.search.tokenizer.index_tokens), by weight:
    title_tokens = models.TextField(blank=True)  # title, title_en
    keyword_tokens = models.TextField(blank=True)  # tags, categories, organization, URL name
    body_tokens = models.TextField(blank=True)  # notes, resource names and descriptions
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        # MAX(updated) is part of the cache generation (hiraku.search.cache), read per search.
        indexes = [models.Index(fields=["updated"], name="search_doc_updated_idx")]

    def __str__(self) -> str:
        return f"search document for {self.dataset_id}"
