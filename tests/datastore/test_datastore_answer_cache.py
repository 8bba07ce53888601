"""Repeated datastore_search questions are answered from the encoded answer, never past a
permission change or a newer version."""

import json

import pytest
from datastore_helpers import ROWS, make_table, make_version
from django.conf import settings

import hiraku.api.actions.datastore as datastore_actions


@pytest.fixture
def computed(monkeypatch) -> list:
    """One entry per answer actually computed."""
    calls = []
    original = datastore_actions.search_result

    def counting(**kwargs):
        calls.append(kwargs["data"])
        return original(**kwargs)

    monkeypatch.setattr(datastore_actions, "search_result", counting)
    return calls


def _search(client, rid, **params):
    query = {"resource_id": rid, "filters": json.dumps({"種別": "公園"}), **params}
    return client.get("/api/3/action/datastore_search", query)


def test_repeated_question_is_answered_once(client, served, computed):
    rid = str(served.resource.pk)
    first, again = _search(client, rid), _search(client, rid)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert first.json()["result"]["total"] == 2
    assert len(computed) == 1
    other = _search(client, rid, sort="番号 desc")
    assert len(computed) == 2
    assert [r["番号"] for r in other.json()["result"]["records"]] == [6, 2]


def test_access_is_checked_on_every_request(client, served, computed):
    rid = str(served.resource.pk)
    assert _search(client, rid).status_code == 200
    dataset = served.resource.dataset
    dataset.private = True
    dataset.save()
    assert _search(client, rid).status_code == 404


def test_a_newer_version_is_never_answered_from_the_old(client, served, computed):
    rid = str(served.resource.pk)
    assert _search(client, rid).json()["result"]["total"] == 2
    version, job = make_version(served.resource)
    parks = [row for row in ROWS if row[2] == "公園"]
    make_table(served.resource, rows=[*parks, *parks, *parks], job=job)
    assert _search(client, rid).json()["result"]["total"] == 6
    assert len(computed) == 2


def test_budget_zero_turns_it_off(client, served, computed, monkeypatch):
    monkeypatch.setitem(settings.HIRAKU, "DATASTORE_RESULT_CACHE_BYTES", 0)
    rid = str(served.resource.pk)
    assert _search(client, rid).content == _search(client, rid).content
    assert len(computed) == 2
