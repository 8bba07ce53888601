"""Resource actions: resource_show, resource_create, resource_update, resource_patch,
resource_delete. A file comes as the multipart field `upload`; each new upload becomes a new
immutable version, and the older ones stay downloadable."""

from hiraku.catalog import actions, selectors

from .. import params
from ..ckan_input import resource_input
from ..dictize import resource_dict
from ..registry import ActionContext, action


def _show(ctx: ActionContext, resource) -> dict:
    fresh = selectors.resource_get(str(resource.pk), user=ctx.user)
    return resource_dict(fresh, user=ctx.user, request=ctx.request)


def _upload(ctx: ActionContext):
    return ctx.files.get("upload")


def _fields(data: dict) -> dict:
    # "upload" may arrive as an empty form field next to (or instead of) the file.
    return resource_input({k: v for k, v in data.items() if k not in ("upload", "clear_upload")})


@action("resource_show")
def resource_show(ctx: ActionContext, data: dict) -> dict:
    """One resource with its download URL and the versions you may download.

    :param id: the resource's id
    :type id: string
    :rtype: dictionary
    """
    return _show(ctx, selectors.resource_get(params.required(data, "id"), user=ctx.user))


@action("resource_create", write=True)
def resource_create(ctx: ActionContext, data: dict) -> dict:
    """Add a resource to a dataset: upload a file (multipart field `upload`) or give a url.

    :param package_id: the dataset's id or name
    :type package_id: string
    :param upload: the file (multipart/form-data)
    :type upload: file
    :param url: a link, when no file is uploaded
    :type url: string
    :param name: name (default: the file name)
    :type name: string
    :param description: description
    :type description: string
    :param format: e.g. CSV (default: from the file name)
    :type format: string
    :rtype: dictionary (the new resource)
    """
    dataset = selectors.dataset_get(
        params.required(data, "package_id"), user=ctx.user, for_edit=True
    )
    resource = actions.resource_create(
        actor=ctx.user, dataset=dataset, data=_fields(data), upload=_upload(ctx)
    )
    return _show(ctx, resource)


def _update(ctx: ActionContext, data: dict, *, partial: bool) -> dict:
    resource = selectors.resource_get(params.required(data, "id"), user=ctx.user, for_edit=True)
    fields = _fields(data)
    if not partial:
        # CKAN's update replaces the resource: a description left out is cleared.
        fields.setdefault("description", "")
    updated = actions.resource_update(
        actor=ctx.user, resource=resource, data=fields, upload=_upload(ctx), partial=partial
    )
    return _show(ctx, updated)


@action("resource_update", write=True)
def resource_update(ctx: ActionContext, data: dict) -> dict:
    """Update a resource; a new file in `upload` becomes a new version. A description left
    out is cleared (use resource_patch to change single fields).

    :param id: the resource's id
    :type id: string
    :param upload: a new file (multipart/form-data)
    :type upload: file
    :param note: what changed in this version, e.g. 2026年度 (optional)
    :type note: string
    :rtype: dictionary (the updated resource)
    """
    return _update(ctx, data, partial=False)


@action("resource_patch", write=True)
def resource_patch(ctx: ActionContext, data: dict) -> dict:
    """Change only the given fields of a resource (and add a version if `upload` is sent).

    :param id: the resource's id
    :type id: string
    :param upload: a new file (multipart/form-data)
    :type upload: file
    :rtype: dictionary (the updated resource)
    """
    return _update(ctx, data, partial=True)


@action("resource_delete", write=True)
def resource_delete(ctx: ActionContext, data: dict) -> None:
    """Delete a resource.

    :param id: the resource's id
    :type id: string
    """
    resource = selectors.resource_get(params.required(data, "id"), user=ctx.user, for_edit=True)
    actions.resource_delete(actor=ctx.user, resource=resource)
    return None
