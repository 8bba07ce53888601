"""Every role against every endpoint: what each may read and write, and that private and
draft datasets never show up, in results, counts or facets, for anyone who may not read them."""

import pytest

from hiraku.catalog.models import Dataset, Organization

ROLES = [
    "anonymous",
    "outsider",
    "student",
    "joho_member",
    "joho_editor",
    "joho_admin",
    "soumu_admin",
    "kankyo_editor",
    "sysadmin",
]
READERS = {
    "public-aed": set(ROLES),
    "public-parks": set(ROLES),
    "private-survey": {
        "joho_admin",
        "joho_editor",
        "joho_member",
        "soumu_admin",
        "student",
        "sysadmin",
    },
    "draft-plan": {"joho_admin", "joho_editor", "joho_member", "soumu_admin", "sysadmin"},
}
JOHO_EDITORS = {"joho_admin", "joho_editor", "soumu_admin", "sysadmin"}
JOHO_ADMINS = {"joho_admin", "soumu_admin", "sysadmin"}
PUBLIC = {"public-aed", "public-parks"}


def readable(role: str) -> set[str]:
    return {name for name, readers in READERS.items() if role in readers}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(READERS))
def test_package_show(api_as, role, name):
    status, body = api_as(role).get("package_show", id=name)
    if role in READERS[name]:
        assert status == 200 and body["result"]["name"] == name
    else:
        assert status == 404
        assert body["error"]["__type"] == "Not Found Error"
        assert name not in str(body)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_package_search_results_counts_and_facets(api_as, role):
    api = api_as(role)
    status, body = api.get(
        "package_search",
        include_private="true",
        include_drafts="true",
        rows="100",
        **{"facet.field": '["tags","organization","groups"]'},
    )
    assert status == 200
    result = body["result"]
    names = {d["name"] for d in result["results"]}
    assert names == readable(role)
    assert result["count"] == len(names)
    tag_counts = result["facets"]["tags"]
    # 調査 is only on the private survey: its facet must not exist for those who cannot read it.
    assert ("調査" in tag_counts) == ("private-survey" in names)
    joho_count = result["facets"]["organization"].get("joho", 0)
    assert joho_count == len(names - {"public-parks"})
    items = result["search_facets"]["organization"]["items"]
    assert sum(i["count"] for i in items) == len(names)

    # Without include_private / include_drafts everyone gets the public datasets only.
    status, body = api.get("package_search", rows="100", **{"facet.field": '["tags"]'})
    assert {d["name"] for d in body["result"]["results"]} == PUBLIC
    assert "調査" not in body["result"]["facets"]["tags"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_listings_are_public_only(api_as, role):
    api = api_as(role)
    assert set(api.get("package_list")[1]["result"]) == PUBLIC
    status, body = api.post("current_package_list_with_resources", {"limit": 50})
    assert status == 200 and {d["name"] for d in body["result"]} == PUBLIC


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_organization_and_group_counts(api_as, role):
    api = api_as(role)
    visible = readable(role) - {"draft-plan"}  # drafts are not counted, as in CKAN
    status, body = api.get("organization_show", id="joho", include_datasets="true")
    assert status == 200
    assert body["result"]["package_count"] == len(visible - {"public-parks"})
    assert {d["name"] for d in body["result"]["packages"]} == visible - {"public-parks"}
    orgs = {o["name"]: o for o in api.get("organization_list", all_fields="true")[1]["result"]}
    assert orgs["joho"]["package_count"] == len(visible - {"public-parks"})
    assert orgs["kankyo"]["package_count"] == 1
    groups = {g["name"]: g for g in api.get("group_list", all_fields="true")[1]["result"]}
    assert groups["bosai"]["package_count"] == 1
    assert api.get("group_show", id="bosai")[1]["result"]["package_count"] == 1
    tags = api.get("tag_list")[1]["result"]
    assert ("調査" in tags) == ("private-survey" in visible)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_resource_show(api_as, catalog, role):
    from hiraku.catalog import actions

    res = actions.resource_create(
        actor=catalog.sysadmin,
        dataset=catalog.survey,
        data={"name": "survey.csv", "url": "https://example.jp/survey.csv"},
    )
    status, body = api_as(role).get("resource_show", id=str(res.pk))
    if role in READERS["private-survey"]:
        assert status == 200 and body["result"]["package_id"] == str(catalog.survey.pk)
    else:
        assert status == 404 and "survey" not in str(body)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_collaborator_list(api_as, role):
    status, body = api_as(role).get("package_collaborator_list", id="private-survey")
    if role in JOHO_ADMINS:
        assert status == 200
        assert [c["username"] for c in body["result"]] == ["student"]
    elif role in READERS["private-survey"]:
        assert status == 403 and body["error"]["__type"] == "Authorization Error"
    else:
        assert status == 404


def _expect_write(
    role: str, status: int, body: dict, allowed: bool, *, visible: bool = True
) -> None:
    """Allowed: 200. Signed in without the right: 403, or 404 when they may not even see it.
    Anonymous callers are stopped with 403 before anything is looked up."""
    if allowed:
        assert status == 200, body
        assert body["success"] is True
    else:
        assert status == (403 if visible or role == "anonymous" else 404), body
        assert body["success"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_package_create(api_as, role):
    status, body = api_as(role).post(
        "package_create",
        {"name": f"new-{role.replace('_', '-')}", "title": "新規", "owner_org": "joho"},
    )
    _expect_write(role, status, body, role in JOHO_EDITORS)
    assert Dataset.objects.filter(name=f"new-{role.replace('_', '-')}").exists() == (
        role in JOHO_EDITORS
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["public-aed", "private-survey", "draft-plan"])
def test_package_patch(api_as, role, name):
    status, body = api_as(role).post("package_patch", {"id": name, "title": "変更後"})
    _expect_write(role, status, body, role in JOHO_EDITORS, visible=role in READERS[name])
    assert (Dataset.objects.get(name=name).title == "変更後") == (role in JOHO_EDITORS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_package_delete(api_as, role):
    status, body = api_as(role).post("package_delete", {"id": "draft-plan"})
    _expect_write(role, status, body, role in JOHO_EDITORS, visible=role in READERS["draft-plan"])
    assert (Dataset.objects.get(name="draft-plan").state == "deleted") == (role in JOHO_EDITORS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_resource_create_update_delete(api_as, catalog, role):
    api = api_as(role)
    status, body = api.post(
        "resource_create",
        {"package_id": "public-aed", "name": "extra.csv", "url": "https://example.jp/extra.csv"},
    )
    _expect_write(role, status, body, role in JOHO_EDITORS)
    existing = catalog.aed.resources.get(name="aed.csv")
    status, body = api.post("resource_patch", {"id": str(existing.pk), "description": "説明"})
    _expect_write(role, status, body, role in JOHO_EDITORS)
    status, body = api.post("resource_delete", {"id": str(existing.pk)})
    _expect_write(role, status, body, role in JOHO_EDITORS)
    existing.refresh_from_db()
    assert (existing.state == "deleted") == (role in JOHO_EDITORS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_collaborator_create_delete(api_as, catalog, role):
    api = api_as(role)
    status, body = api.post(
        "package_collaborator_create",
        {"id": "private-survey", "user_id": "outsider", "capacity": "member"},
    )
    _expect_write(
        role, status, body, role in JOHO_ADMINS, visible=role in READERS["private-survey"]
    )
    assert catalog.survey.shared_with.filter(username="outsider").exists() == (role in JOHO_ADMINS)
    status, body = api.post(
        "package_collaborator_delete", {"id": "private-survey", "user_id": "student"}
    )
    _expect_write(
        role, status, body, role in JOHO_ADMINS, visible=role in READERS["private-survey"]
    )
    assert catalog.survey.shared_with.filter(username="student").exists() == (
        role not in JOHO_ADMINS
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_organization_create(api_as, role):
    status, body = api_as(role).post(
        "organization_create", {"name": "kenko", "title": "健康福祉部", "parent": "soumu"}
    )
    _expect_write(role, status, body, role == "sysadmin")
    assert Organization.objects.filter(name="kenko").exists() == (role == "sysadmin")
    if role == "sysadmin":
        assert body["result"]["parent"] == "soumu" and body["result"]["is_organization"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_organization_member_create(api_as, catalog, role):
    status, body = api_as(role).post(
        "organization_member_create", {"id": "joho", "username": "outsider", "role": "editor"}
    )
    _expect_write(role, status, body, role in JOHO_ADMINS)
    assert catalog.joho.memberships.filter(user=catalog.outsider).exists() == (role in JOHO_ADMINS)
