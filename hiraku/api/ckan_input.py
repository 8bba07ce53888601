"""CKAN's resource dicts carry custom fields at the top level ({"name": ..., "encoding_note":
...}); Hiraku keeps them in Resource.extras. Folding them in here lets a client send back
what package_show or resource_show gave it.

    {"name": "aed.csv", "url": "...", "layer": "1"}  ->  {"name": "aed.csv", "url": "...",
                                                          "extras": {"layer": "1"}}
"""

from typing import Any

from hiraku.catalog.schema import RESOURCE_FIELDS, RESOURCE_READ_ONLY

# Keys our resource dict shows that are neither fields nor extras (CKAN's own read-only ones).
_SHOWN_ONLY = {"cache_last_updated", "package_id"}


def resource_input(data: dict) -> dict:
    if not isinstance(data, dict):
        return data
    known = set(RESOURCE_FIELDS) | RESOURCE_READ_ONLY | _SHOWN_ONLY
    extras: dict[str, Any] = (
        dict(data.get("extras") or {}) if isinstance(data.get("extras"), dict) else {}
    )
    result = {}
    for key, value in data.items():
        if key in known or key.startswith("_"):
            result[key] = value
        elif isinstance(value, (str, int, float, bool)) or value is None:
            extras[key] = "" if value is None else str(value)
        else:
            result[key] = value  # nested values stay, so the schema names them as unknown
    if extras:
        result["extras"] = extras
    result.pop("cache_last_updated", None)
    return result


def package_input(data: dict) -> dict:
    if isinstance(data.get("resources"), list):
        return {**data, "resources": [resource_input(r) for r in data["resources"]]}
    return data
