"""Encoded datastore_search answers, kept per web worker for repeated questions.

Apps and maps ask the same few questions again and again (one district, the newest page).
After the caller's access has been checked, an answer depends only on the served table and
the request parameters, so its encoded JSON is kept under that key, in a byte budget
(DATASTORE_RESULT_CACHE_BYTES, least recently used leave first; 0 turns it off):

    answer = cached_answer(table, data, compute)   # orjson.Fragment: the envelope embeds it

The key holds the DataTable row's id and job, so a re-ingest (new DataTable rows, even at the
same Parquet path) never meets an old answer; nothing has to be invalidated.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

import orjson

from hiraku.conf import setting
from hiraku.ingest.models import DataTable

from .envelope import encode

# A page bigger than this is not kept (one would push out hundreds of small ones).
MAX_ENTRY_BYTES = 1024 * 1024

_answers: OrderedDict[tuple, bytes] = OrderedDict()
_bytes = 0
_lock = threading.Lock()


def _key(table: DataTable, data: dict) -> tuple | None:
    try:
        params = orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        return None  # not a plain JSON request: just compute it
    return (table.pk, table.job_id, table.parquet_path, params)


def _remember(key: tuple, body: bytes, budget: int) -> None:
    global _bytes
    with _lock:
        if key in _answers:
            return
        _answers[key] = body
        _bytes += len(body)
        while _bytes > budget and _answers:
            _bytes -= len(_answers.popitem(last=False)[1])


def cached_answer(table: DataTable, data: dict, compute: Callable[[], dict]) -> orjson.Fragment:
    """compute()'s result as encoded JSON, computed once per (table, parameters)."""
    budget = int(setting("DATASTORE_RESULT_CACHE_BYTES"))
    key = _key(table, data) if budget > 0 else None
    if key is not None:
        with _lock:
            body = _answers.get(key)
            if body is not None:
                _answers.move_to_end(key)
                return orjson.Fragment(body)
    body = encode(compute())
    if key is not None and len(body) <= min(MAX_ENTRY_BYTES, budget):
        _remember(key, body, budget)
    return orjson.Fragment(body)


def clear() -> None:
    global _bytes
    with _lock:
        _answers.clear()
        _bytes = 0
