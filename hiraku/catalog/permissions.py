"""The one place that decides who may see or change what.

Roles: site admin (is_superuser), organization admin / editor / member (Membership.capacity,
inherited by child sections from their department), named collaborators on a private dataset
(Dataset.shared_with), anyone signed in, anonymous. Every page, API action, search result,
count and facet asks this module; nothing else checks roles.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from .models import Capacity, Dataset, DatasetState, Membership, Organization

AnyUser = User | AnonymousUser
_RANK = {Capacity.MEMBER: 1, Capacity.EDITOR: 2, Capacity.ADMIN: 3}


def is_site_admin(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _memberships(user: AnyUser) -> dict:
    """{organization_id: capacity}, cached on the user object for the request."""
    if not (user and user.is_authenticated and user.is_active):
        return {}
    cached = getattr(user, "_hiraku_memberships", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user=user).values_list("organization_id", "capacity")
        )
        user._hiraku_memberships = cached
    return cached


def forget_cached_memberships(user: AnyUser) -> None:
    if hasattr(user, "_hiraku_memberships"):
        del user._hiraku_memberships


def capacity_in(user: AnyUser, organization: Organization) -> str | None:
    """The highest capacity the user holds in the organization or any department above it."""
    held = _memberships(user)
    if not held:
        return None
    best = None
    for org in [organization, *organization.ancestors()]:
        cap = held.get(org.pk)
        if cap and (best is None or _RANK[cap] > _RANK[best]):
            best = cap
    return best


def organization_ids_with(user: AnyUser, minimum: str) -> set:
    """Ids of organizations where the user holds at least `minimum`, including child sections."""
    held = {org_id for org_id, cap in _memberships(user).items() if _RANK[cap] >= _RANK[minimum]}
    if not held:
        return set()
    result, frontier = set(held), set(held)
    while frontier:
        children = set(
            Organization.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - result
        result |= frontier
    return result


def can_read_dataset(user: AnyUser, dataset: Dataset) -> bool:
    if dataset.state == DatasetState.ACTIVE and not dataset.private:
        return True
    if is_site_admin(user):
        return True
    if not (user and user.is_authenticated):
        return False
    if dataset.state == DatasetState.DELETED:
        return False
    if capacity_in(user, dataset.organization) is not None:
        return True
    if dataset.state == DatasetState.ACTIVE and dataset.shared_with.filter(pk=user.pk).exists():
        return True
    return False


def can_edit_dataset(user: AnyUser, dataset: Dataset) -> bool:
    if is_site_admin(user):
        return True
    cap = capacity_in(user, dataset.organization)
    return cap in (Capacity.ADMIN, Capacity.EDITOR)


def can_create_dataset_in(user: AnyUser, organization: Organization) -> bool:
    if is_site_admin(user):
        return True
    return capacity_in(user, organization) in (Capacity.ADMIN, Capacity.EDITOR)


def can_manage_organization(user: AnyUser, organization: Organization) -> bool:
    """Add or remove members, edit the organization itself."""
    return is_site_admin(user) or capacity_in(user, organization) == Capacity.ADMIN


def can_create_organization(user: AnyUser) -> bool:
    return is_site_admin(user)


def can_share_dataset(user: AnyUser, dataset: Dataset) -> bool:
    return is_site_admin(user) or capacity_in(user, dataset.organization) == Capacity.ADMIN


def organizations_for_publishing(user: AnyUser) -> QuerySet[Organization]:
    if is_site_admin(user):
        return Organization.objects.filter(state="active")
    return Organization.objects.filter(
        id__in=organization_ids_with(user, Capacity.EDITOR), state="active"
    )


def readable_datasets(
    user: AnyUser,
    queryset: QuerySet[Dataset] | None = None,
    *,
    include_private: bool = True,
    include_drafts: bool = False,
) -> QuerySet[Dataset]:
    """Datasets the user may see. Deleted ones never appear; private and drafts only on request.

    Every listing, search, count and facet starts from this queryset, so a private dataset
    cannot leak through any of them.
    """
    qs = Dataset.objects.all() if queryset is None else queryset
    states = [DatasetState.ACTIVE] + ([DatasetState.DRAFT] if include_drafts else [])
    qs = qs.filter(state__in=states)
    public = Q(state=DatasetState.ACTIVE, private=False)
    if not include_private and not include_drafts:
        return qs.filter(public)
    if is_site_admin(user):
        return qs if include_private else qs.filter(private=False)
    if not (user and user.is_authenticated):
        return qs.filter(public)
    member_orgs = organization_ids_with(user, Capacity.MEMBER)
    allowed = public
    if include_private:
        allowed |= Q(state=DatasetState.ACTIVE, private=True, organization_id__in=member_orgs)
        shared = Dataset.shared_with.through.objects.filter(user_id=user.pk).values("dataset_id")
        allowed |= Q(state=DatasetState.ACTIVE, private=True, pk__in=shared)
    if include_drafts:
        allowed |= Q(state=DatasetState.DRAFT, organization_id__in=member_orgs)
        allowed |= Q(state=DatasetState.DRAFT, creator=user)
    return qs.filter(allowed)


def can_download_version(user: AnyUser, version) -> bool:
    """Editors always may (they must review it); others only once every release gate agrees."""
    from .gates import version_released

    dataset = version.resource.dataset
    if not can_read_dataset(user, dataset):
        return False
    return can_edit_dataset(user, dataset) or version_released(version)
