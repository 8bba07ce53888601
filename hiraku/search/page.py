"""One result page's datasets, with their organization, tags, groups and resources, in four
queries and without Django's prefetch machinery.

prefetch_related builds a filtered queryset per relation and walks every instance through
descriptors; for a 10-row page that bookkeeping cost more than the SQL (~70% of a cached
text search's time). Here the related rows are read with plain values queries and put into
each dataset's prefetch cache, so `dataset.tags.all()` and friends answer from memory
exactly as after prefetch_related:

    ids [b, a] -> datasets [b, a] (permission filter re-applied), each with
    _prefetched_objects_cache = {"tags": [...], "categories": [...], "resources": [...]}
"""

from collections import defaultdict

from django.db.models import Model, QuerySet

from hiraku.catalog.models import Category, Dataset, Resource, Tag

_CATEGORY_FIELDS = [field.attname for field in Category._meta.concrete_fields]
_RESOURCE_FIELDS = [field.attname for field in Resource._meta.concrete_fields]


def _cached_queryset(model: type[Model], items: list) -> QuerySet:
    """A queryset that is already evaluated, as prefetch_related leaves one."""
    queryset = model._default_manager.all()
    queryset._result_cache = items
    queryset._prefetch_done = True
    return queryset


def _tags_by_dataset(ids: list) -> dict:
    # Ordered like Tag.Meta.ordering, as the related manager would be.
    links = Dataset.tags.through.objects.filter(dataset_id__in=ids).order_by("tag__name")
    found: dict = defaultdict(list)
    for dataset_id, tag_id, name in links.values_list("dataset_id", "tag_id", "tag__name"):
        found[dataset_id].append(Tag.from_db("default", ["id", "name"], (tag_id, name)))
    return found


def _categories_by_dataset(ids: list) -> dict:
    links = Dataset.categories.through.objects.filter(dataset_id__in=ids)
    links = links.order_by("category__position", "category__name")
    columns = [f"category__{name}" for name in _CATEGORY_FIELDS]
    found: dict = defaultdict(list)
    for dataset_id, *values in links.values_list("dataset_id", *columns):
        found[dataset_id].append(Category.from_db("default", _CATEGORY_FIELDS, values))
    return found


def _resources_by_dataset(ids: list) -> dict:
    found: dict = defaultdict(list)
    rows = Resource.objects.filter(dataset_id__in=ids).order_by("position", "created")
    for values in rows.values_list(*_RESOURCE_FIELDS):
        resource = Resource.from_db("default", _RESOURCE_FIELDS, values)
        found[resource.dataset_id].append(resource)
    return found


def page_datasets(readable: QuerySet[Dataset], ids: list) -> list[Dataset]:
    """The datasets of ids that readable still contains, in the order of ids."""
    if not ids:
        return []
    found = {str(d.pk): d for d in readable.filter(pk__in=ids).select_related("organization")}
    datasets = [found[str(pk)] for pk in ids if str(pk) in found]
    pks = [d.pk for d in datasets]
    tags, categories = _tags_by_dataset(pks), _categories_by_dataset(pks)
    resources = _resources_by_dataset(pks)
    for dataset in datasets:
        for resource in resources.get(dataset.pk, []):
            Resource.dataset.field.set_cached_value(resource, dataset)
        dataset._prefetched_objects_cache = {
            "tags": _cached_queryset(Tag, tags.get(dataset.pk, [])),
            "categories": _cached_queryset(Category, categories.get(dataset.pk, [])),
            "resources": _cached_queryset(Resource, resources.get(dataset.pk, [])),
        }
    return datasets
