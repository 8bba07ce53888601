"""Keeps the search index in step with the catalog (connected in SearchConfig.ready)."""

import logging

from .documents import document_update

log = logging.getLogger(__name__)


def on_dataset_changed(sender, dataset_id, **kwargs) -> None:
    """Re-index the dataset; sent after commit, so the row read here is the committed one.

    A failure must not turn the user's successful write into an error: it is logged, and the
    stale document is refreshed by the next text search (documents_refresh_stale).
    """
    try:
        document_update(dataset_id=dataset_id)
    except Exception:
        log.exception("search: could not re-index dataset %s", dataset_id)
