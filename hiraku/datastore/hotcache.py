"""Large tables kept in memory as Arrow, with the row positions of recent filters cached.

Why: a sorted, filtered page of a 1,000,000-row Parquet file costs DuckDB a scan that decodes
every matching row of every column (~55 ms on 2 cores, far more on a busy machine). Here:

    WHERE ... (filters)     -> Arrow compares the in-memory columns (equality, IN, IS NULL;
                               ~2 ms per 1,000,000 numbers), or DuckDB scans the filtered
                               columns (q, _id); the positions [17, 40, 95, ...] are kept
                               (LRU, bounded by bytes)
    total                   -> len(positions): no count query at all
    ORDER BY ... LIMIT/OFFSET -> Arrow sorts just those positions by the sort columns; the
                               sorted positions are kept too, so the next page of the same
                               filter and sort is a slice
    rows                    -> Arrow take() of 100 positions from the in-memory table

Limits (settings.HIRAKU, see docs/datastore.md): DATASTORE_HOT_MIN_ROWS,
DATASTORE_HOT_TABLES_BYTES, DATASTORE_HOT_POSITIONS_BYTES.

Tables load in a background thread on first use; until then (and for small tables or tables
over the budget) queries read the Parquet file directly, so nobody waits for the cache.
"""

import bisect
import datetime as dt
import logging
import threading
from collections import OrderedDict
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hiraku.conf import setting

logger = logging.getLogger("hiraku.datastore")

# Sorting more matching rows than this is not cached (a 1,000,000-row sort would pin 8 MB per
# order); such pages use a top-k selection each time instead.
SORTED_CACHE_MAX_ROWS = 250_000


def min_rows() -> int:
    """Smaller tables are fast enough straight from Parquet."""
    return int(setting("DATASTORE_HOT_MIN_ROWS"))


_tables: OrderedDict[str, pa.Table] = OrderedDict()
_positions: OrderedDict[tuple, pa.Array] = OrderedDict()
_sorted: OrderedDict[tuple, pa.Array] = OrderedDict()  # (filter key, order) -> sorted positions
_cached_bytes = 0  # nbytes of everything in _positions and _sorted
# (file, column) -> positions of its non-null values in value order: a column "index", built in
# the background for a column that is filtered by equality; counted in the tables' budget.
_indexes: dict[tuple[str, str], pa.Array] = {}
_indexing: set[tuple[str, str]] = set()
_loading: set[str] = set()
_lock = threading.Lock()


def get(path: str) -> pa.Table | None:
    with _lock:
        table = _tables.get(path)
        if table is not None:
            _tables.move_to_end(path)
        return table


def _load(path: str) -> None:
    try:
        # One chunk per column: take() on a chunked array would copy the whole column.
        table = pq.read_table(path).combine_chunks()
        with _lock:
            _tables[path] = table
            budget = int(setting("DATASTORE_HOT_TABLES_BYTES"))
            while _table_bytes() > budget and len(_tables) > 1:
                dropped = _tables.popitem(last=False)[0]
                for key in [k for k in _indexes if k[0] == dropped]:
                    del _indexes[key]
    except Exception:  # a cache miss only costs speed; the Parquet path still answers
        logger.exception("hot cache: could not load %s", path)
    finally:
        with _lock:
            _loading.discard(path)


def _table_bytes() -> int:
    return sum(t.nbytes for t in _tables.values()) + sum(a.nbytes for a in _indexes.values())


def warm(path: str, row_count: int, *, wait: bool = False) -> None:
    """Start loading a large table in the background (once)."""
    if row_count < min_rows() or int(setting("DATASTORE_HOT_TABLES_BYTES")) <= 0:
        return
    with _lock:
        if path in _tables or path in _loading:
            return
        _loading.add(path)
    if wait:
        _load(path)
    else:
        threading.Thread(target=_load, args=(path,), daemon=True, name="hiraku-hotcache").start()


def positions(key: tuple, compute) -> pa.Array:
    """Row positions (ascending) matching a WHERE clause, cached by (file, clause, values)."""
    with _lock:
        found = _positions.get(key)
        if found is not None:
            _positions.move_to_end(key)
            return found
    found = compute().cast(pa.int64())
    with _lock:
        _remember(_positions, key, found)
    return found


def _remember(store: OrderedDict, key: tuple, array: pa.Array) -> None:
    """Keep an array (caller holds _lock). Filter positions and sorted orders share one byte
    budget; the oldest sorted orders go first, then the oldest positions."""
    global _cached_bytes
    old = store.pop(key, None)
    if old is not None:
        _cached_bytes -= old.nbytes
    store[key] = array
    _cached_bytes += array.nbytes
    budget = int(setting("DATASTORE_HOT_POSITIONS_BYTES"))
    while _cached_bytes > budget and (len(_positions) > 1 or len(_sorted) > 1):
        victim = _sorted if len(_sorted) > 1 else _positions
        _cached_bytes -= victim.popitem(last=False)[1].nbytes


def _arrow_value_type_ok(kind: pa.DataType, values: list[Any]) -> bool:
    """Types where Arrow's equality is exactly DuckDB's `col = ?` with the bound value."""
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_date32(kind):
        return True
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return True
    if pa.types.is_float64(kind):  # float32 would round the value first: not DuckDB's answer
        return True
    if pa.types.is_timestamp(kind) and kind.tz is None and kind.unit in ("us", "ns"):
        return all(not isinstance(v, dt.datetime) or v.tzinfo is None for v in values)
    return False


def _indexable(kind: pa.DataType) -> bool:
    """Types whose Arrow sort order is Python's order of their values (no NaN, no nanoseconds)."""
    if pa.types.is_integer(kind) or pa.types.is_date32(kind):
        return True
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return True  # UTF-8 byte order is code point order
    return pa.types.is_timestamp(kind) and kind.tz is None and kind.unit == "us"


def _build_index(path: str, table: pa.Table, name: str) -> None:
    try:
        chunked = table.column(name)
        column = chunked.chunk(0) if chunked.num_chunks == 1 else chunked.combine_chunks()
        order = pc.array_sort_indices(column, null_placement="at_end")  # stable: ties in file order
        order = order.slice(0, len(column) - column.null_count).cast(pa.int64())
        with _lock:
            if _tables.get(path) is table:
                _indexes[(path, name)] = order
    except Exception:  # speed only: the filter still answers by comparing every row
        logger.exception("hot cache: could not index %s in %s", name, path)
    finally:
        with _lock:
            _indexing.discard((path, name))


def _index_positions(path: str, table: pa.Table, name: str, values: list) -> pa.Array | None:
    """Positions where column `name` equals one of values, by binary search in the column's
    sort order (about 40 value reads instead of 1,000,000 comparisons); None until the order
    is built (in the background, on the first filter by this column)."""
    column = table.column(name)
    if column.num_chunks != 1 or not _indexable(column.type):
        return None
    with _lock:
        order = _indexes.get((path, name))
        start = order is None and (path, name) not in _indexing
        if start:
            _indexing.add((path, name))
    if start:
        threading.Thread(
            target=_build_index, args=(path, table, name), daemon=True, name="hiraku-index"
        ).start()
    if order is None:
        return None
    chunk = column.chunk(0)

    def value_at(i: int):
        return chunk[order[i].as_py()].as_py()

    ranks = range(len(order))
    parts = []
    for value in dict.fromkeys(values):
        low = bisect.bisect_left(ranks, value, key=value_at)
        high = bisect.bisect_right(ranks, value, lo=low, key=value_at)
        parts.append(order.slice(low, high - low))
    found = pa.concat_arrays(parts) if parts else pa.array([], pa.int64())
    if len(parts) > 1:
        found = found.take(pc.array_sort_indices(found))
    return found


def arrow_positions(
    table: pa.Table, conditions: list[tuple[str, list | None]], *, path: str | None = None
) -> pa.Array | None:
    """Positions matching every (column, values) condition (values None = IS NULL), or None
    when a condition is not one Arrow answers exactly like DuckDB (the caller then asks DuckDB).
    One equality condition on an indexable column is answered from its sort order.
    """
    if path is not None and len(conditions) == 1 and conditions[0][1] is not None:
        name, values = conditions[0]
        if _arrow_value_type_ok(table.column(name).type, values):
            found = _index_positions(path, table, name, values)
            if found is not None:
                return found
    mask = None
    for name, values in conditions:
        column = table.column(name)
        if values is None:
            matched = pc.is_null(column)
        else:
            if not _arrow_value_type_ok(column.type, values):
                return None
            try:
                wanted = pa.array(values, type=column.type)
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError):
                return None
            if len(values) == 1:
                matched = pc.equal(column, wanted[0])
            else:
                matched = pc.is_in(column, value_set=wanted)
            matched = pc.fill_null(matched, False)
        mask = matched if mask is None else pc.and_(mask, matched)
    if mask is None:
        return None
    return pc.indices_nonzero(mask).cast(pa.int64())


def page(
    table: pa.Table,
    rows: pa.Array | None,
    order: list[tuple[str, str]],
    offset: int,
    limit: int,
    *,
    key: tuple | None = None,
) -> list[int]:
    """Positions of one page: rows (None = all) sorted by order [(column, "ascending"), ...].

    Ties keep file order (the row position is the last sort key), as the Parquet path does.
    With a key (the filter's cache key), the whole sorted order of up to
    SORTED_CACHE_MAX_ROWS rows is kept, so later pages of the same filter and sort are slices.
    """
    if rows is None:
        if not order:
            return list(range(offset, min(offset + limit, table.num_rows)))
        rows = pa.array(range(table.num_rows), type=pa.int64())
    if not order:
        return rows[offset : offset + limit].to_pylist()
    if key is None or len(rows) > SORTED_CACHE_MAX_ROWS:
        return _sorted_page(table, rows, order, offset, limit)
    sorted_key = (key, tuple(order))
    with _lock:
        found = _sorted.get(sorted_key)
        if found is not None:
            _sorted.move_to_end(sorted_key)
    if found is None:
        found = pa.array(_sorted_page(table, rows, order, 0, len(rows)), type=pa.int64())
        with _lock:
            _remember(_sorted, sorted_key, found)
    return found[offset : offset + limit].to_pylist()


def _sorted_page(
    table: pa.Table, rows: pa.Array, order: list[tuple[str, str]], offset: int, limit: int
) -> list[int]:
    positions = rows
    keys = {
        f"k{i}": positions if name == "file_row_number" else table.column(name).take(positions)
        for i, (name, _) in enumerate(order)
    }
    keys["position"] = positions
    sub = pa.table(keys)
    sort_keys = [(f"k{i}", direction, "at_end") for i, (_, direction) in enumerate(order)]
    sort_keys.append(("position", "ascending", "at_end"))
    wanted = offset + limit
    if wanted < len(rows) // 4:
        idx = pc.select_k_unstable(sub, k=wanted, sort_keys=sort_keys)
        idx = pc.take(idx, pc.sort_indices(sub.take(idx), sort_keys=sort_keys))
    else:
        idx = pc.sort_indices(sub, sort_keys=sort_keys)
    return sub["position"].take(idx[offset:wanted]).to_pylist()


def clear() -> None:
    global _cached_bytes
    with _lock:
        _cached_bytes = 0
        _tables.clear()
        _positions.clear()
        _sorted.clear()
        _indexes.clear()
