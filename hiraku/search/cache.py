"""A result cache for public-only searches, invalidated by any change to the search index.

Most traffic (anonymous visitors, API clients without include_private) asks the same few
questions: the home page, the unfiltered list, a popular word. Their answer depends only on
the public catalogue, so it is cached (count, the page's dataset ids, facets) under a key
that includes the index generation: the number of SearchDocument rows and the newest
`updated` among them. Every catalogue write re-indexes its dataset (dataset_changed), which
moves the generation, so a cached answer is never served after a change. Searches that may
include private or draft datasets are per-user and never cached.

The cached page ids are re-read through the permission filter, so even a write that bypassed
the actions (no signal) cannot make a now-private dataset appear in a page.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.cache import caches
from django.db import connection

from .models import SearchDocument
from .query import FacetItem

TIMEOUT_SECONDS = 600
Answer = tuple[int, list, dict[str, list[FacetItem]]]


def index_generation() -> str:
    # Two scalar subqueries: each alone is answered from an index (a combined aggregate
    # would scan all documents).
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX(updated) FROM {table})")
        count, last = cursor.fetchone()
    return f"{count}:{last}"


def _key(parts: dict) -> str:
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"hiraku:search:{digest}"


def _dump(answer: Answer) -> tuple:
    count, ids, facets = answer
    flat = {
        name: [(i.name, i.display_name, i.count) for i in items] for name, items in facets.items()
    }
    return count, [str(pk) for pk in ids], flat


def _load(value: tuple) -> Answer:
    count, ids, flat = value
    facets = {name: [FacetItem(*item) for item in items] for name, items in flat.items()}
    return count, ids, facets


def cached_answer(
    parts: dict, compute: Callable[[], Answer], *, generation: str | None = None
) -> Answer:
    """compute() once per (parts, index generation); parts must describe the whole query."""
    cache = caches["default"]
    key = _key({**parts, "generation": generation or index_generation()})
    value = cache.get(key)
    if value is None:
        value = _dump(compute())
        cache.set(key, value, TIMEOUT_SECONDS)
    return _load(value)
