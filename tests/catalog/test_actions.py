"""The catalog services in hiraku.catalog.actions: every write, its checks and its side effects."""

import hashlib

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from hiraku.catalog import actions, selectors
from hiraku.catalog.errors import Conflict, NotAuthorized, NotFound, TooLarge, ValidationFailed
from hiraku.catalog.models import ActivityEvent, Dataset, Resource, ResourceVersion
from hiraku.catalog.signals import dataset_changed, resource_version_added


def make_upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


CSV = "名称,緯度,経度\r\n鶴ヶ城,37.4877,139.9297\r\n".encode()


def _new_dataset(actor, **extra):
    data = {"name": "shelters", "title": "避難所一覧", "owner_org": "joho", **extra}
    return actions.dataset_create(actor=actor, data=data)


# --- create ------------------------------------------------------------------------------------


def test_create_sets_defaults_tags_groups_and_records_activity(catalog):
    dataset = _new_dataset(
        catalog.joho_editor, tags=["避難所", {"name": "防災"}, "避難所"], groups=["bosai"]
    )
    dataset.refresh_from_db()
    assert dataset.license_id == "cc-by-4.0"
    assert dataset.state == "active" and dataset.revision == 1
    assert dataset.creator == catalog.joho_editor
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["避難所", "防災"]
    assert list(dataset.categories.values_list("name", flat=True)) == ["bosai"]
    event = ActivityEvent.objects.filter(object_id=str(dataset.pk)).get()
    assert (event.verb, event.actor) == ("create", catalog.joho_editor)


def test_create_refuses_a_duplicate_name_bilingually(catalog):
    with pytest.raises(ValidationFailed) as caught:
        _new_dataset(catalog.joho_editor, name="public-aed")
    assert " / " in caught.value.message and "public-aed" in caught.value.message
    assert "name" in caught.value.errors


def test_create_refuses_an_unknown_organization(catalog):
    with pytest.raises(ValidationFailed) as caught:
        _new_dataset(catalog.sysadmin, owner_org="no-such-org")
    assert "owner_org" in caught.value.errors


def test_create_refuses_unknown_categories_and_leaves_nothing(catalog):
    before = Dataset.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _new_dataset(catalog.joho_editor, groups=["bosai", "nope"])
    assert "nope" in caught.value.errors["groups"][0]
    assert Dataset.objects.count() == before  # the transaction rolled back


def test_create_collects_every_field_error_at_once(catalog):
    with pytest.raises(ValidationFailed) as caught:
        actions.dataset_create(
            actor=catalog.sysadmin,
            data={"name": "Bad Name", "owner_org": "joho", "spatial": "072029", "colour": "x"},
        )
    assert {"name", "title", "spatial", "colour"} <= set(caught.value.errors)


def test_only_editors_of_the_organization_may_create(catalog):
    for user in (catalog.joho_member, catalog.kankyo_editor, catalog.outsider, catalog.anonymous):
        with pytest.raises(NotAuthorized):
            _new_dataset(user)
    assert _new_dataset(catalog.soumu_admin)  # 総務部 admin inherits rights in its 課


# --- update and patch ------------------------------------------------------------------------


def test_update_clears_omitted_fields_and_patch_keeps_them(catalog):
    dataset = _new_dataset(catalog.joho_editor, notes="説明", tags=["a1"], groups=["bosai"])
    actions.dataset_update(
        actor=catalog.joho_editor, dataset=dataset, data={"title_en": "Shelters"}, partial=True
    )
    dataset.refresh_from_db()
    assert (dataset.notes, dataset.title_en) == ("説明", "Shelters")
    assert dataset.tags.count() == 1 and dataset.categories.count() == 1

    actions.dataset_update(
        actor=catalog.joho_editor,
        dataset=dataset,
        data={"name": "shelters", "title": "避難所", "owner_org": "joho"},
        partial=False,
    )
    dataset.refresh_from_db()
    assert (dataset.notes, dataset.title_en, dataset.title) == ("", "", "避難所")
    assert dataset.tags.count() == 0 and dataset.categories.count() == 0
    assert dataset.revision == 3


def test_patch_from_a_stale_object_keeps_other_fields(catalog):
    dataset = _new_dataset(catalog.joho_editor)
    stale = Dataset.objects.get(pk=dataset.pk)
    actions.dataset_update(
        actor=catalog.joho_editor, dataset=dataset, data={"notes": "新しい説明"}, partial=True
    )
    actions.dataset_update(
        actor=catalog.joho_editor, dataset=stale, data={"title_en": "Shelters"}, partial=True
    )
    dataset.refresh_from_db()
    assert (dataset.notes, dataset.title_en) == ("新しい説明", "Shelters")


def test_an_edit_based_on_an_old_revision_is_a_conflict(catalog):
    dataset = _new_dataset(catalog.joho_editor)
    actions.dataset_update(
        actor=catalog.joho_editor, dataset=dataset, data={"notes": "A", "revision": 1}, partial=True
    )
    with pytest.raises(Conflict) as caught:
        actions.dataset_update(
            actor=catalog.joho_admin,
            dataset=dataset,
            data={"notes": "B", "revision": 1},
            partial=True,
        )
    assert "revision" in caught.value.errors
    dataset.refresh_from_db()
    assert (dataset.notes, dataset.revision) == ("A", 2)
    with pytest.raises(ValidationFailed):
        actions.dataset_update(
            actor=catalog.joho_admin, dataset=dataset, data={"revision": "x"}, partial=True
        )


def test_rename_onto_a_taken_name_is_refused(catalog):
    dataset = _new_dataset(catalog.joho_editor)
    with pytest.raises(ValidationFailed) as caught:
        actions.dataset_update(
            actor=catalog.joho_editor, dataset=dataset, data={"name": "public-aed"}, partial=True
        )
    assert "name" in caught.value.errors
    dataset.refresh_from_db()
    assert dataset.name == "shelters" and dataset.revision == 1


def test_moving_to_an_organization_needs_rights_there(catalog):
    dataset = _new_dataset(catalog.joho_editor)
    with pytest.raises(NotAuthorized):
        actions.dataset_update(
            actor=catalog.joho_editor, dataset=dataset, data={"owner_org": "kankyo"}, partial=True
        )
    actions.dataset_update(
        actor=catalog.sysadmin, dataset=dataset, data={"owner_org": "kankyo"}, partial=True
    )
    dataset.refresh_from_db()
    assert dataset.organization == catalog.kankyo


def test_outsiders_and_members_cannot_edit(catalog):
    for user in (catalog.joho_member, catalog.kankyo_editor, catalog.student, catalog.anonymous):
        with pytest.raises(NotAuthorized):
            actions.dataset_update(
                actor=user, dataset=catalog.aed, data={"notes": "x"}, partial=True
            )


def test_patch_with_resources_keeps_listed_and_removes_the_rest(catalog):
    dataset = _new_dataset(
        catalog.joho_editor,
        resources=[
            {"name": "a.csv", "url": "https://example.jp/a.csv"},
            {"name": "b.csv", "url": "https://example.jp/b.csv"},
        ],
    )
    keep = dataset.resources.get(name="b.csv")
    actions.dataset_update(
        actor=catalog.joho_editor,
        dataset=dataset,
        data={"resources": [{"id": str(keep.pk), "description": "残す"}]},
        partial=True,
    )
    active = list(Resource.objects.filter(dataset=dataset, state="active"))
    assert [(r.name, r.description, r.position) for r in active] == [("b.csv", "残す", 0)]


# --- delete and share ----------------------------------------------------------------------


def test_delete_hides_the_dataset_and_keeps_its_name_taken(catalog):
    dataset = _new_dataset(catalog.joho_editor)
    actions.dataset_delete(actor=catalog.joho_editor, dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.state == "deleted"
    with pytest.raises(NotFound):
        selectors.dataset_get("shelters", user=catalog.joho_editor)
    assert selectors.dataset_get("shelters", user=catalog.sysadmin).state == "deleted"
    with pytest.raises(ValidationFailed):
        _new_dataset(catalog.joho_editor)
    with pytest.raises(NotAuthorized):
        actions.dataset_delete(actor=catalog.kankyo_editor, dataset=catalog.aed)


def test_sharing_a_private_dataset_with_a_named_user(catalog):
    dataset = _new_dataset(catalog.joho_editor, private=True)
    with pytest.raises(NotFound):
        selectors.dataset_get("shelters", user=catalog.outsider)
    actions.dataset_share(actor=catalog.joho_admin, dataset=dataset, user=catalog.outsider)
    assert selectors.dataset_get("shelters", user=catalog.outsider) == dataset
    actions.dataset_share(
        actor=catalog.joho_admin, dataset=dataset, user=catalog.outsider, share=False
    )
    with pytest.raises(NotFound):
        selectors.dataset_get("shelters", user=catalog.outsider)
    with pytest.raises(NotAuthorized):
        actions.dataset_share(actor=catalog.outsider, dataset=dataset, user=catalog.student)


# --- resources and versions ------------------------------------------------------------------


def test_uploads_become_numbered_immutable_versions(catalog):
    dataset = _new_dataset(catalog.joho_editor)
    resource = actions.resource_create(
        actor=catalog.joho_editor,
        dataset=dataset,
        data={"name": "shelters.csv"},
        upload=make_upload("shelters.csv", CSV),
    )
    first = resource.current_version
    assert (first.number, first.size, first.format) == (1, len(CSV), "CSV")
    assert first.sha256 == hashlib.sha256(CSV).hexdigest()
    assert resource.url_type == "upload" and resource.format == "CSV"

    newer = CSV + "白虎隊記念館,37.4935,139.9546\r\n".encode()
    actions.resource_update(
        actor=catalog.joho_editor,
        resource=resource,
        data={"description": "2026年度版", "note": "2026年度"},
        upload=make_upload("shelters.csv", newer),
    )
    resource.refresh_from_db()
    numbers = list(resource.versions.order_by("number").values_list("number", "note"))
    assert numbers == [(1, ""), (2, "2026年度")]
    assert resource.current_version.number == 2 and resource.description == "2026年度版"
    with first.file.open("rb") as handle:
        assert handle.read() == CSV  # the first upload is still there, unchanged
    first.note = "changed"
    with pytest.raises(RuntimeError):
        first.save()


def test_too_large_or_empty_uploads_leave_nothing_behind(catalog, settings):
    settings.HIRAKU = {**settings.HIRAKU, "MAX_UPLOAD_SIZE": 10}
    dataset = _new_dataset(catalog.joho_editor)
    with pytest.raises(TooLarge) as caught:
        actions.resource_create(
            actor=catalog.joho_editor,
            dataset=dataset,
            data={"name": "big.csv"},
            upload=make_upload("big.csv", CSV),
        )
    assert "upload" in caught.value.errors and " / " in caught.value.message
    with pytest.raises(ValidationFailed):
        actions.resource_create(
            actor=catalog.joho_editor,
            dataset=dataset,
            data={"name": "empty.csv"},
            upload=make_upload("empty.csv", b""),
        )
    assert not Resource.objects.filter(dataset=dataset).exists()
    assert not ResourceVersion.objects.filter(resource__dataset=dataset).exists()


def test_resource_names_are_unique_per_dataset_and_urls_are_checked(catalog):
    dataset = _new_dataset(catalog.joho_editor)
    data = {"name": "link", "url": "https://example.jp/a.csv"}
    actions.resource_create(actor=catalog.joho_editor, dataset=dataset, data=data)
    with pytest.raises(ValidationFailed) as caught:
        actions.resource_create(actor=catalog.joho_editor, dataset=dataset, data=data)
    assert "name" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        actions.resource_create(
            actor=catalog.joho_editor, dataset=dataset, data={"name": "x", "url": "not a url"}
        )
    assert "url" in caught.value.errors
    with pytest.raises(ValidationFailed):
        actions.resource_create(actor=catalog.joho_editor, dataset=dataset, data={"name": "y"})


def test_resource_delete_frees_the_name_and_bumps_the_revision(catalog):
    dataset = _new_dataset(catalog.joho_editor)
    data = {"name": "link", "url": "https://example.jp/a.csv"}
    resource = actions.resource_create(actor=catalog.joho_editor, dataset=dataset, data=data)
    actions.resource_delete(actor=catalog.joho_editor, resource=resource)
    with pytest.raises(NotFound):
        selectors.resource_get(str(resource.pk), user=catalog.sysadmin)
    actions.resource_create(actor=catalog.joho_editor, dataset=dataset, data=data)
    dataset.refresh_from_db()
    assert dataset.revision == 4
    with pytest.raises(NotAuthorized):
        actions.resource_delete(actor=catalog.joho_member, resource=resource)


def test_signals_are_sent_only_after_commit(catalog, django_capture_on_commit_callbacks):
    seen = []

    def on_version(sender, version, **kw):
        seen.append(("version", version.number))

    def on_dataset(sender, dataset_id, **kw):
        seen.append(("dataset", dataset_id))

    resource_version_added.connect(on_version)
    dataset_changed.connect(on_dataset)
    try:
        dataset = _new_dataset(catalog.joho_editor)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            actions.resource_create(
                actor=catalog.joho_editor,
                dataset=dataset,
                data={},
                upload=make_upload("s.csv", CSV),
            )
        assert ("version", 1) not in seen and callbacks
        for callback in callbacks:
            callback()
        assert ("version", 1) in seen and ("dataset", dataset.pk) in seen
    finally:
        resource_version_added.disconnect(on_version)
        dataset_changed.disconnect(on_dataset)


# --- organizations and categories ------------------------------------------------------------


def test_organizations_nest_and_names_are_unique(catalog):
    org = actions.organization_create(
        actor=catalog.sysadmin, data={"name": "kikaku", "title": "企画課", "parent": "soumu"}
    )
    assert org.parent == catalog.soumu
    with pytest.raises(ValidationFailed):
        actions.organization_create(actor=catalog.sysadmin, data={"name": "kikaku"})
    with pytest.raises(ValidationFailed) as caught:
        actions.organization_create(
            actor=catalog.sysadmin, data={"name": "orphan", "parent": "nowhere"}
        )
    assert caught.value.errors


def test_members_are_managed_by_organization_admins_only(catalog):
    newcomer = User.objects.create_user("newcomer")
    with pytest.raises(NotAuthorized):
        actions.organization_member_create(
            actor=catalog.joho_editor, organization=catalog.joho, user=newcomer, capacity="editor"
        )
    with pytest.raises(ValidationFailed):
        actions.organization_member_create(
            actor=catalog.joho_admin, organization=catalog.joho, user=newcomer, capacity="boss"
        )
    actions.organization_member_create(
        actor=catalog.joho_admin, organization=catalog.joho, user=newcomer, capacity="editor"
    )
    assert _new_dataset(newcomer)
    actions.organization_member_delete(
        actor=catalog.joho_admin, organization=catalog.joho, user=newcomer
    )
    with pytest.raises(NotAuthorized):
        _new_dataset(newcomer, name="another")


def test_categories_are_for_site_admins(catalog):
    with pytest.raises(NotAuthorized):
        actions.category_create(actor=catalog.joho_admin, data={"name": "kanko", "title": "観光"})
    category = actions.category_create(
        actor=catalog.sysadmin, data={"name": "kanko", "title": "観光"}
    )
    assert category.title == "観光"
    with pytest.raises(ValidationFailed):
        actions.category_create(actor=catalog.sysadmin, data={"name": "kanko"})
