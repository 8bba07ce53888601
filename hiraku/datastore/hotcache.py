"""Large tables kept in memory as Arrow, with the row positions of recent filters cached.

Why: a sorted, filtered page of a 1,000,000-row Parquet file costs DuckDB a scan that decodes
every matching row of every column (~55 ms on 2 cores, far more on a busy machine). Here:

    WHERE ... (filters, q)  -> DuckDB scans only the filtered columns once, keeps the
                               positions [17, 40, 95, ...] (LRU, bounded by bytes)
    total                   -> len(positions): no count query at all
    ORDER BY ... LIMIT/OFFSET -> Arrow sorts just those positions by the sort columns
    rows                    -> Arrow take() of 100 positions from the in-memory table

Tables load in a background thread on first use; until then (and for small tables or tables
over the budget) queries read the Parquet file directly, so nobody waits for the cache.
"""

import logging
import threading
from collections import OrderedDict

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

logger = logging.getLogger("hiraku.datastore")

MIN_ROWS = 50_000  # smaller tables are fast enough straight from Parquet
TABLE_BUDGET_BYTES = 2 * 1024**3
POSITIONS_BUDGET_BYTES = 256 * 1024**2

_tables: OrderedDict[str, pa.Table] = OrderedDict()
_positions: OrderedDict[tuple, pa.Array] = OrderedDict()
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
            while sum(t.nbytes for t in _tables.values()) > TABLE_BUDGET_BYTES and len(_tables) > 1:
                _tables.popitem(last=False)
    except Exception:  # a cache miss only costs speed; the Parquet path still answers
        logger.exception("hot cache: could not load %s", path)
    finally:
        with _lock:
            _loading.discard(path)


def warm(path: str, row_count: int, *, wait: bool = False) -> None:
    """Start loading a large table in the background (once)."""
    if row_count < MIN_ROWS:
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
        _positions[key] = found
        while (
            sum(a.nbytes for a in _positions.values()) > POSITIONS_BUDGET_BYTES
            and len(_positions) > 1
        ):
            _positions.popitem(last=False)
    return found


def page(
    table: pa.Table, rows: pa.Array | None, order: list[tuple[str, str]], offset: int, limit: int
) -> list[int]:
    """Positions of one page: rows (None = all) sorted by order [(column, "ascending"), ...].

    Ties keep file order (the row position is the last sort key), as the Parquet path does.
    """
    if rows is None:
        if not order:
            return list(range(offset, min(offset + limit, table.num_rows)))
        rows = pa.array(range(table.num_rows), type=pa.int64())
    if not order:
        return rows[offset : offset + limit].to_pylist()
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
    with _lock:
        _tables.clear()
        _positions.clear()
