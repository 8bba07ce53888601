"""Who may see and change what: the permission module against every role."""

import pytest

from hiraku.catalog import permissions
from hiraku.catalog.models import Dataset

READERS = {
    # dataset -> users who may read it (besides sysadmin)
    "public-aed": "all",
    "public-parks": "all",
    "private-survey": {"joho_admin", "joho_editor", "joho_member", "soumu_admin", "student"},
    "draft-plan": {"joho_admin", "joho_editor", "joho_member", "soumu_admin"},
}
EDITORS = {
    "public-aed": {"joho_admin", "joho_editor", "soumu_admin"},
    "private-survey": {"joho_admin", "joho_editor", "soumu_admin"},
    "draft-plan": {"joho_admin", "joho_editor", "soumu_admin"},
    "public-parks": {"kankyo_editor"},
}
ROLES = [
    "anonymous",
    "outsider",
    "student",
    "joho_admin",
    "joho_editor",
    "joho_member",
    "soumu_admin",
    "kankyo_editor",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES + ["sysadmin"])
@pytest.mark.parametrize("name", sorted(READERS))
def test_read_and_edit_matrix(catalog, role, name):
    user = getattr(catalog, role)
    dataset = Dataset.objects.get(name=name)
    readers = READERS[name]
    may_read = role == "sysadmin" or readers == "all" or role in readers
    may_edit = role == "sysadmin" or role in EDITORS[name]
    assert permissions.can_read_dataset(user, dataset) is may_read
    assert permissions.can_edit_dataset(user, dataset) is may_edit


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES + ["sysadmin"])
def test_listing_never_leaks(catalog, role):
    user = getattr(catalog, role)
    listed = set(
        permissions.readable_datasets(user, include_private=True, include_drafts=True).values_list(
            "name", flat=True
        )
    )
    for name, readers in READERS.items():
        expected = role == "sysadmin" or readers == "all" or role in readers
        assert (name in listed) is expected, (role, name)


@pytest.mark.django_db
def test_public_only_listing_excludes_private_even_for_admin(catalog):
    listed = set(
        permissions.readable_datasets(catalog.sysadmin, include_private=False).values_list(
            "name", flat=True
        )
    )
    assert listed == {"public-aed", "public-parks"}


@pytest.mark.django_db
def test_deleted_dataset_invisible_to_members(catalog):
    from hiraku.catalog import actions

    actions.dataset_delete(actor=catalog.joho_editor, dataset=catalog.aed)
    assert not permissions.can_read_dataset(
        catalog.joho_editor, Dataset.objects.get(name="public-aed")
    )
    assert "public-aed" not in set(
        permissions.readable_datasets(catalog.joho_admin, include_private=True).values_list(
            "name", flat=True
        )
    )
