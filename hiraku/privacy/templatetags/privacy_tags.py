"""{% load privacy_tags %}{% privacy_status version %} on the resource page: for editors and
approvers the scan state with links to review and anonymise; for everyone who may download it,
a link to the map when the resource is a mesh table."""

from django import template

from hiraku.catalog.permissions import can_download_version

from ..models import PrivacyScan
from ..permissions import can_approve, can_view_scan

register = template.Library()


@register.inclusion_tag("privacy/_status.html", takes_context=True)
def privacy_status(context, version) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if version is None or user is None:
        return {"show": False}
    staff = can_view_scan(user, version)
    is_mesh = "mesh_counts" in str(version.resource.extras.get("processing_record", ""))
    map_link = is_mesh and can_download_version(user, version)
    return {
        "show": staff or map_link,
        "staff": staff,
        "map_link": map_link,
        "version": version,
        "scan": PrivacyScan.objects.filter(version=version).first() if staff else None,
        "is_approver": staff and can_approve(user),
    }
