"""Dataset write actions: package_create, package_update, package_patch, package_delete and
the collaborator actions, which map onto Dataset.shared_with (read access to a private
dataset for a named user, e.g. a university class)."""

from django.contrib.auth.models import User

from hiraku.catalog import actions, permissions, selectors
from hiraku.catalog.errors import NotAuthorized, NotFound, ValidationFailed, bilingual

from .. import params
from ..ckan_input import package_input
from ..dictize import iso, package_dicts
from ..registry import ActionContext, action

# Parameters CKAN clients send to write actions that are not dataset fields.
_CALL_OPTIONS = (
    "return_id_only",
    "return_package_dict",
    "use_default_schema",
    "include_plugin_data",
)


def _fields(data: dict) -> dict:
    return package_input({k: v for k, v in data.items() if k not in _CALL_OPTIONS})


def _show(ctx: ActionContext, dataset) -> dict:
    fresh = selectors.dataset_get(str(dataset.pk), user=ctx.user)
    return package_dicts([fresh], user=ctx.user, request=ctx.request)[0]


@action("package_create", write=True)
def package_create(ctx: ActionContext, data: dict) -> dict | str:
    """Create a dataset. Needs an editor or admin of owner_org.

    :param name: URL name: 2-100 characters of a-z, 0-9, - and _
    :type name: string
    :param title: title (Japanese)
    :type title: string
    :param owner_org: the organization's id or name
    :type owner_org: string
    :param notes: description (Markdown)
    :type notes: string
    :param license_id: a licence id from license_list (default cc-by-4.0)
    :type license_id: string
    :param private: only members (and collaborators) may see it
    :type private: bool
    :param state: "active" (default) or "draft"
    :type state: string
    :param tags: list of {"name": ...} or names
    :type tags: list
    :param groups: list of {"name": ...} (categories)
    :type groups: list
    :param extras: list of {"key": ..., "value": ...}
    :type extras: list
    :param resources: list of resource dicts with url (files are added with resource_create)
    :type resources: list
    :rtype: dictionary (the new dataset, as package_show returns it)
    """
    dataset = actions.dataset_create(actor=ctx.user, data=_fields(data))
    if params.boolean(data, "return_id_only"):
        return str(dataset.pk)
    return _show(ctx, dataset)


def _update(ctx: ActionContext, data: dict, *, partial: bool) -> dict:
    ref = params.required(data, "id", "name")
    dataset = selectors.dataset_get(ref, user=ctx.user, for_edit=True)
    updated = actions.dataset_update(
        actor=ctx.user, dataset=dataset, data=_fields(data), partial=partial
    )
    return _show(ctx, updated)


@action("package_update", write=True)
def package_update(ctx: ActionContext, data: dict) -> dict:
    """Replace a dataset's metadata: fields you leave out are cleared (resources are kept when
    "resources" is left out). Send back the `revision` you read to be told (409) when someone
    else changed the dataset meanwhile.

    :param id: the dataset's id or name
    :type id: string
    :param revision: the revision your edit is based on (optional, recommended)
    :type revision: int
    :rtype: dictionary (the updated dataset)
    """
    return _update(ctx, data, partial=False)


@action("package_patch", write=True)
def package_patch(ctx: ActionContext, data: dict) -> dict:
    """Change only the fields given; everything else stays.

    :param id: the dataset's id or name
    :type id: string
    :param revision: the revision your edit is based on (optional)
    :type revision: int
    :rtype: dictionary (the updated dataset)
    """
    return _update(ctx, data, partial=True)


@action("package_delete", write=True)
def package_delete(ctx: ActionContext, data: dict) -> None:
    """Delete a dataset (it disappears from every listing; a site admin can still see it).

    :param id: the dataset's id or name
    :type id: string
    """
    ref = params.required(data, "id", "name")
    dataset = selectors.dataset_get(ref, user=ctx.user, for_edit=True)
    actions.dataset_delete(actor=ctx.user, dataset=dataset)
    return None


def user_by_ref(ref: str) -> User:
    """A user by username or numeric id."""
    user = User.objects.filter(username=ref, is_active=True).first()
    if user is None and ref.isdigit():
        user = User.objects.filter(pk=int(ref), is_active=True).first()
    if user is None:
        raise NotFound(bilingual(f"ユーザーが見つかりません: {ref}", f"User not found: {ref}"))
    return user


def _collaborator(dataset, user: User) -> dict:
    return {
        "package_id": str(dataset.pk),
        "user_id": str(user.pk),
        "username": user.username,
        "capacity": "member",
        "modified": iso(dataset.modified),
    }


def _shareable(ctx: ActionContext, data: dict):
    dataset = selectors.dataset_get(params.required(data, "id"), user=ctx.user)
    if not permissions.can_share_dataset(ctx.user, dataset):
        raise NotAuthorized(
            bilingual("共有設定の権限がありません", "Not authorized to manage collaborators")
        )
    return dataset


@action("package_collaborator_list")
def package_collaborator_list(ctx: ActionContext, data: dict) -> list:
    """Users a private dataset is shared with (read access). Organization admins only.

    :param id: the dataset's id or name
    :type id: string
    :rtype: list of dictionaries
    """
    dataset = _shareable(ctx, data)
    return [_collaborator(dataset, u) for u in dataset.shared_with.order_by("username")]


@action("package_collaborator_create", write=True)
def package_collaborator_create(ctx: ActionContext, data: dict) -> dict:
    """Share a dataset with a user, who may then read it while it is private.

    :param id: the dataset's id or name
    :type id: string
    :param user_id: the user's name or id
    :type user_id: string
    :param capacity: "member" (read access; the only capacity Hiraku offers)
    :type capacity: string
    :rtype: dictionary
    """
    dataset = _shareable(ctx, data)
    user = user_by_ref(params.required(data, "user_id", "username"))
    capacity = params.text(data, "capacity", "member") or "member"
    if capacity != "member":
        msg = bilingual(
            "共有できる権限は member (閲覧) だけです。編集にはメンバー登録を使ってください",
            "Only capacity 'member' (read access) is offered; add editors as organization members",
        )
        raise ValidationFailed(msg, {"capacity": [msg]})
    actions.dataset_share(actor=ctx.user, dataset=dataset, user=user, share=True)
    return _collaborator(dataset, user)


@action("package_collaborator_delete", write=True)
def package_collaborator_delete(ctx: ActionContext, data: dict) -> None:
    """Stop sharing a dataset with a user.

    :param id: the dataset's id or name
    :type id: string
    :param user_id: the user's name or id
    :type user_id: string
    """
    dataset = _shareable(ctx, data)
    user = user_by_ref(params.required(data, "user_id", "username"))
    actions.dataset_share(actor=ctx.user, dataset=dataset, user=user, share=False)
    return None
