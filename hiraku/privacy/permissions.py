"""Who may decide on flagged versions and who may see findings.

Approvers: site admins and members of the Django group "privacy-approvers" (created by
migration 0002). Findings (masked) are visible to approvers and to the dataset's editors, who
need them to fix a file; never to the public.
"""

from hiraku.catalog import permissions as catalog_permissions
from hiraku.catalog.models import ResourceVersion

APPROVER_GROUP = "privacy-approvers"


def can_approve(user) -> bool:
    if catalog_permissions.is_site_admin(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.groups.filter(name=APPROVER_GROUP).exists()


def can_view_scan(user, version: ResourceVersion) -> bool:
    return can_approve(user) or catalog_permissions.can_edit_dataset(user, version.resource.dataset)


def can_anonymise(user, dataset) -> bool:
    """Deriving an anonymised resource is an edit of the dataset."""
    return catalog_permissions.can_edit_dataset(user, dataset)
