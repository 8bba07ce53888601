"""Events other apps react to without the catalog knowing them (ingest, search).

All are sent after the database transaction commits, so a listener never sees a write that
was rolled back.
"""

from django.dispatch import Signal

# sender=Dataset, dataset_id=UUID. Search re-indexes on it.
dataset_changed = Signal()
# sender=ResourceVersion, version=ResourceVersion. Ingestion and the privacy scan start on it.
resource_version_added = Signal()
