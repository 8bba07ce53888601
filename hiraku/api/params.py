"""Typed reading of action parameters. Query strings and form posts send every value as a
string, JSON sends real types; both are accepted, anything else is a clear 409 error naming
the parameter. Unknown parameters of read actions are ignored, as CKAN ignores them.
"""

import json
from typing import Any

from hiraku.catalog.errors import ValidationFailed, bilingual

from .errors import missing

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def _invalid(name: str, ja: str, en: str) -> ValidationFailed:
    msg = bilingual(ja, en)
    return ValidationFailed(
        bilingual(f"パラメータ {name} が不正です", f"Invalid parameter {name}"), {name: [msg]}
    )


def required(data: dict, *names: str) -> str:
    """The first of `names` given (CKAN accepts e.g. id or name_or_id), as a string."""
    for name in names:
        value = data.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value not in (None, ""):
            raise _invalid(name, "文字列を指定してください", "Must be a string")
    raise missing(names[0])


def text(data: dict, name: str, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _invalid(name, "文字列を指定してください", "Must be a string")
    return value.strip()


def integer(
    data: dict, name: str, default: int | None, *, minimum: int = 0, maximum: int | None = None
) -> int | None:
    """An integer >= minimum; values above `maximum` are capped, as CKAN caps rows."""
    value = data.get(name)
    if value is None or value == "":
        return default
    try:
        if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
            raise ValueError
        number = int(value)
    except (TypeError, ValueError):
        raise _invalid(name, "整数を指定してください", "Must be an integer") from None
    if number < minimum:
        raise _invalid(name, f"{minimum} 以上にしてください", f"Must be at least {minimum}")
    if maximum is not None:
        number = min(number, maximum)
    return number


def boolean(data: dict, name: str, default: bool = False) -> bool:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _invalid(name, "true か false を指定してください", "Must be true or false")


def string_list(data: dict, name: str) -> list[str]:
    """A list of strings, given as a JSON list, a JSON-encoded list, or a single string.

    facet.field=["tags","organization"]  ->  ["tags", "organization"]
    """
    value: Any = data.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError:
                raise _invalid(
                    name,
                    'JSON のリスト (例: ["tags"]) を指定してください',
                    'Must be a JSON list such as ["tags"]',
                ) from None
        else:
            value = [stripped]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _invalid(name, "文字列のリストを指定してください", "Must be a list of strings")
    return value
