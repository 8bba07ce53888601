"""Count and facet counts over an already permission-filtered, fq-filtered, text-matched set.

Everything is one SQL statement: the matching dataset ids are computed once into a
materialised CTE, then one grouped arm per facet reads them (UNION ALL), plus the total.
Computing the filters once matters: an fq on res_format scans the resources, and repeating
that for the count and each of five facets made a filtered search seven times as slow.

    WITH matched(id, organization_id, license_id) AS MATERIALIZED (SELECT ... WHERE ...)
    SELECT '', '', '', COUNT(*) FROM matched
    UNION ALL SELECT 'tags', t.name, t.name, COUNT(*) FROM catalog_dataset_tags ... GROUP BY t.name
    ...
    -> rows like ('tags', '防災', '防災', 12)

Link tables are grouped directly, so no facet multiplies rows through a join; only res_format
needs DISTINCT (a dataset with two CSV resources counts once).
"""

from django.db import connection
from django.db.models import QuerySet

from hiraku.catalog.licenses import license_get
from hiraku.catalog.models import Category, Dataset, Organization, Resource, Tag

from .query import FacetItem


def _arms() -> dict[str, str]:
    tags = Dataset.tags.through._meta.db_table
    groups = Dataset.categories.through._meta.db_table
    in_matched = "IN (SELECT id FROM matched)"
    return {
        # The CTE carries organization_id and license_id, so these two never go back to the
        # dataset table.
        "organization": (
            "SELECT 'organization', o.name, o.title, COUNT(*) FROM matched m"
            f" JOIN {Organization._meta.db_table} o ON o.id = m.organization_id"
            " GROUP BY o.name, o.title"
        ),
        "license_id": (
            "SELECT 'license_id', m.license_id, m.license_id, COUNT(*) FROM matched m"
            " GROUP BY m.license_id"
        ),
        "tags": (
            f"SELECT 'tags', t.name, t.name, COUNT(*) FROM {tags} dt"
            f" JOIN {Tag._meta.db_table} t ON t.id = dt.tag_id"
            f" WHERE dt.dataset_id {in_matched} GROUP BY t.name"
        ),
        "groups": (
            f"SELECT 'groups', c.name, c.title, COUNT(*) FROM {groups} dc"
            f" JOIN {Category._meta.db_table} c ON c.id = dc.category_id"
            f" WHERE dc.dataset_id {in_matched} GROUP BY c.name, c.title"
        ),
        "res_format": (
            "SELECT 'res_format', UPPER(r.format), UPPER(r.format), COUNT(DISTINCT r.dataset_id)"
            f" FROM {Resource._meta.db_table} r"
            f" WHERE r.state = 'active' AND r.format <> '' AND r.dataset_id {in_matched}"
            " GROUP BY UPPER(r.format)"
        ),
    }


def count_and_facets(
    matched: QuerySet[Dataset], fields: tuple[str, ...], limit: int
) -> tuple[int, dict[str, list[FacetItem]]]:
    """(number of matched datasets, {facet field: items, most frequent first}).

    limit < 0 means every value (CKAN's facet.limit=-1).
    """
    columns = matched.order_by().values("pk", "organization_id", "license_id")
    matched_sql, params = columns.query.sql_with_params()
    arms = _arms()
    wanted = [name for name in dict.fromkeys(fields) if name in arms]
    parts = ["SELECT '', '', '', COUNT(*) FROM matched", *(arms[name] for name in wanted)]
    sql = (
        f"WITH matched(id, organization_id, license_id) AS MATERIALIZED ({matched_sql}) "
        + " UNION ALL ".join(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    total = 0
    grouped: dict[str, list[tuple[str, str, int]]] = {name: [] for name in wanted}
    for facet, value, label, n in rows:
        if facet == "":
            total = n
        elif value:
            grouped[facet].append((value, label or value, n))
    facets = {}
    for name, items in grouped.items():
        items.sort(key=lambda item: (-item[2], item[0]))
        if limit >= 0:
            items = items[:limit]
        if name == "license_id":
            items = [(v, license_get(v).title if license_get(v) else v, n) for v, _, n in items]
        facets[name] = [FacetItem(name=v, display_name=label, count=n) for v, label, n in items]
    return total, facets
