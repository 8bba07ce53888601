"""Helpers for ingest tests: upload bytes as a new resource version, then ingest it."""

from pathlib import Path

import pytest

from tests.conftest import make_upload


@pytest.fixture
def upload(catalog):
    """upload(name, content, resource=None) -> ResourceVersion (no job run yet)."""
    from hiraku.catalog import actions

    def _upload(name: str, content: bytes | Path, resource=None):
        data = content.read_bytes() if isinstance(content, Path) else content
        file = make_upload(name, data, "application/octet-stream")
        if resource is None:
            resource = actions.resource_create(
                actor=catalog.sysadmin, dataset=catalog.parks, data={"name": name}, upload=file
            )
        else:
            actions.resource_update(actor=catalog.sysadmin, resource=resource, data={}, upload=file)
        resource.refresh_from_db()
        return resource.current_version

    return _upload


@pytest.fixture
def ingest(upload):
    """ingest(name, content, resource=None, options=None) -> IngestJob, run synchronously."""
    from hiraku.ingest.pipeline import ingest_version

    def _ingest(name: str, content: bytes | Path, resource=None, options=None):
        version = upload(name, content, resource)
        return ingest_version(version.id, options=options)

    return _ingest
