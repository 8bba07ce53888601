"""Private, draft and held (unreleased) tables are readable only by those allowed."""

import pytest
from datastore_helpers import call

from hiraku.catalog.errors import NotAuthorized, NotFound


@pytest.mark.parametrize(
    "who, can_read",
    [
        ("anonymous", False),
        ("outsider", False),
        ("kankyo_editor", False),
        ("joho_member", True),
        ("student", True),
        ("sysadmin", True),
        ("soumu_admin", True),
    ],
)
def test_private_dataset_table(served, who, can_read):
    user = getattr(served.catalog, who)
    if can_read:
        assert call("datastore_search", user, resource_id=str(served.private.pk))["total"] == 3
    else:
        with pytest.raises(NotFound):
            call("datastore_search", user, resource_id=str(served.private.pk))
        with pytest.raises(NotFound):
            call("datastore_info", user, id=str(served.private.pk))


@pytest.mark.parametrize(
    "who, can_read",
    [
        ("anonymous", False),
        ("outsider", False),
        ("student", False),
        ("joho_member", True),
        ("joho_editor", True),
    ],
)
def test_draft_dataset_table(served, who, can_read):
    user = getattr(served.catalog, who)
    if can_read:
        assert call("datastore_search", user, resource_id=str(served.draft.pk))["total"] == 2
    else:
        with pytest.raises(NotFound):
            call("datastore_search", user, resource_id=str(served.draft.pk))


def test_held_version_only_for_editors(served, release_gates):
    release_gates.append(lambda version: "審査中 / Under review")
    rid = str(served.resource.pk)
    for who in ("anonymous", "outsider", "joho_member"):
        with pytest.raises(NotAuthorized) as err:
            call("datastore_search", getattr(served.catalog, who), resource_id=rid)
        assert " / " in err.value.message
    assert call("datastore_search", served.catalog.joho_editor, resource_id=rid)["total"] == 130


def test_deleted_resource_is_not_found(served):
    served.resource.state = "deleted"
    served.resource.save()
    with pytest.raises(NotFound):
        call("datastore_search", served.catalog.sysadmin, resource_id=str(served.resource.pk))
