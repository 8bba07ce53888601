"""Index maintenance: the dataset_changed receiver, stale refresh and `hiraku reindex`."""

import pytest
from django.core.management import call_command

from hiraku.catalog import actions
from hiraku.catalog.models import Dataset
from hiraku.search.documents import documents_stale_ids
from hiraku.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_create_update_delete_reindex_on_commit(
    catalog, search, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dataset = actions.dataset_create(
            actor=catalog.sysadmin,
            data={"name": "bus", "title": "バス停留所一覧", "owner_org": "kankyo"},
        )
    document = SearchDocument.objects.get(dataset=dataset)
    assert "停留" in document.title_tokens and document.revision == dataset.revision
    assert search(catalog.anonymous, "バス停") == ["bus"]

    with django_capture_on_commit_callbacks(execute=True):
        actions.dataset_update(
            actor=catalog.sysadmin,
            dataset=dataset,
            data={"title": "コミュニティバス時刻表", "tags": ["交通"]},
            partial=True,
        )
    assert not documents_stale_ids()
    assert search(catalog.anonymous, "バス停") == []
    assert search(catalog.anonymous, "時刻表 交通") == ["bus"]

    with django_capture_on_commit_callbacks(execute=True):
        actions.resource_create(
            actor=catalog.sysadmin,
            dataset=dataset,
            data={"name": "路線図", "url": "https://example.jp/r.pdf", "format": "PDF"},
        )
    assert not documents_stale_ids()
    assert search(catalog.anonymous, "路線図") == ["bus"]

    with django_capture_on_commit_callbacks(execute=True):
        actions.dataset_delete(actor=catalog.sysadmin, dataset=dataset)
    assert SearchDocument.objects.get(dataset=dataset).title_tokens == ""
    assert search(catalog.sysadmin, "時刻表", include_drafts=True) == []


def test_receiver_failure_does_not_break_the_write(catalog, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("dictionary missing")

    monkeypatch.setattr("hiraku.search.receivers.document_update", broken)
    from hiraku.catalog.models import Dataset as DatasetModel
    from hiraku.catalog.signals import dataset_changed

    dataset_changed.send(sender=DatasetModel, dataset_id=catalog.aed.pk)
    assert "could not re-index" in caplog.text


def test_stale_documents_are_refreshed_by_the_next_text_search(catalog, search):
    # The catalog fixture runs inside a test transaction, so on_commit never fired.
    assert len(documents_stale_ids()) == 4
    assert search(catalog.anonymous, "AED") == ["public-aed"]
    assert documents_stale_ids() == []
    # A write that bypasses the actions (no signal) is still picked up.
    Dataset.objects.filter(pk=catalog.parks.pk).update(title="都市公園と緑地", revision=9)
    assert search(catalog.anonymous, "緑地") == ["public-parks"]


def test_hard_delete_removes_the_document_and_its_fulltext_row(catalog, search):
    call_command("reindex", verbosity=0)
    catalog.parks.delete()
    assert not SearchDocument.objects.filter(dataset_id=catalog.parks.pk).exists()
    assert search(catalog.anonymous, "公園") == []


def test_reindex_command_rebuilds_everything(catalog, capsys):
    SearchDocument.objects.all().delete()
    call_command("reindex")
    assert SearchDocument.objects.count() == Dataset.objects.count() == 4
    assert "Search index rebuilt: 4 datasets" in capsys.readouterr().out


def test_cached_public_answer_follows_every_change(
    catalog, search, django_capture_on_commit_callbacks
):
    assert search(catalog.anonymous, "公園") == ["public-parks"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.dataset_update(
            actor=catalog.sysadmin, dataset=catalog.parks, data={"private": True}, partial=True
        )
    assert search(catalog.anonymous, "公園") == []
    assert search(catalog.kankyo_editor, "公園", include_private=True) == ["public-parks"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.dataset_update(
            actor=catalog.sysadmin, dataset=catalog.parks, data={"private": False}, partial=True
        )
    assert search(catalog.anonymous, "公園") == ["public-parks"]


def test_cached_page_is_rechecked_against_permissions(catalog, search):
    assert search(catalog.anonymous, "") == ["public-parks", "public-aed"]
    # A write that bypasses the actions and is not among the recently modified datasets
    # keeps the cache generation; the page must still drop the now-private dataset.
    Dataset.objects.filter(pk=catalog.parks.pk).update(private=True)
    assert search(catalog.anonymous, "") == ["public-aed"]
