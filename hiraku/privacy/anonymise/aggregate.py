"""Aggregation steps: points → mesh squares with counts, and small-cell suppression.

mesh_counts(t, rec, lat="緯度", lon="経度", size_m=250, group_by=["年齢3区分"])
  -> columns ["mesh_code", "年齢3区分", "count"]
suppress_small_cells(t, rec, row_key="mesh_code", column_key="年齢3区分", value="count",
                     threshold=3, marker="x")
  -> one row per mesh_code, one column per age band plus "合計"; counts 1..threshold-1
     become "x", and a second cell is hidden in any row or column that would otherwise
     give a hidden cell away through its total.
"""

from collections import Counter, defaultdict

from ..detectors import normalize
from .mesh import to_meshcode
from .record import AnonymiseError, ProcessingRecord, Table

TOTAL = "合計"


def mesh_counts(
    table: Table,
    record: ProcessingRecord,
    *,
    lat: str,
    lon: str,
    size_m: int = 250,
    group_by: list[str] | None = None,
) -> Table:
    group_by = group_by or []
    i_lat, i_lon = table.index(lat), table.index(lon)
    group_idx = [table.index(c) for c in group_by]
    counts: Counter = Counter()
    dropped = 0
    for row in table.rows:
        try:
            code = to_meshcode(
                float(normalize(str(row[i_lat]))), float(normalize(str(row[i_lon]))), size_m
            )
        except (TypeError, ValueError):
            dropped += 1
            continue
        counts[(code, *(row[i] for i in group_idx))] += 1
    rows = [[*key, n] for key, n in sorted(counts.items())]
    record.add(
        "mesh_counts",
        {"lat": lat, "lon": lon, "size_m": size_m, "group_by": group_by, "standard": "JIS X 0410"},
        rows_in=len(table.rows),
        rows_out=len(rows),
        suppressed=dropped,
        note="rows without valid coordinates dropped" if dropped else "",
    )
    return Table(["mesh_code", *group_by, "count"], rows)


def _secondary(grid: dict, hidden: set, rows: list, cols: list) -> set:
    """Hide more cells until no row or column has exactly one hidden cell (its total would
    reveal it). Prefer a cell whose crossing line also needs a second hidden cell (one cell
    fixes two lines), then the smallest value; repeat until stable."""

    def hidden_in_row(r):
        return sum((r, c) in hidden for c in cols)

    def hidden_in_col(c):
        return sum((r, c) in hidden for r in rows)

    changed = True
    while changed:
        changed = False
        lines = [("row", r, [(r, c) for c in cols]) for r in rows]
        lines += [("col", c, [(r, c) for r in rows]) for c in cols]
        for kind, _, line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            visible = [cell for cell in line if cell not in hidden]
            if not visible:
                continue

            def cost(cell, kind=kind):
                crossing = hidden_in_col(cell[1]) if kind == "row" else hidden_in_row(cell[0])
                return (0 if crossing == 1 else 1, grid.get(cell, 0), str(cell))

            hidden.add(min(visible, key=cost))
            changed = True
    return hidden


def suppress_small_cells(
    table: Table,
    record: ProcessingRecord,
    *,
    row_key: str,
    column_key: str,
    value: str = "count",
    threshold: int = 3,
    marker: str = "x",
) -> Table:
    if threshold < 2:
        raise AnonymiseError("threshold は2以上です", "threshold must be at least 2")
    i_row, i_col, i_val = table.index(row_key), table.index(column_key), table.index(value)
    grid: dict = defaultdict(int)
    for row in table.rows:
        grid[(row[i_row], row[i_col])] += int(row[i_val] or 0)
    rows = sorted({r for r, _ in grid})
    cols = sorted({c for _, c in grid})
    primary = {cell for cell, n in grid.items() if 0 < n < threshold}
    hidden = _secondary(grid, set(primary), rows, cols)
    # A one-column table cannot hide a cell behind its row total: hide the total instead.
    hide_row_total = (
        {r for r in rows if any((r, c) in hidden for c in cols)} if len(cols) == 1 else set()
    )
    out_rows = []
    for r in rows:
        cells = [marker if (r, c) in hidden else grid.get((r, c), 0) for c in cols]
        total = sum(grid.get((r, c), 0) for c in cols)
        out_rows.append([r, *cells, marker if r in hide_row_total else total])
    record.add(
        "suppress_small_cells",
        {"row_key": row_key, "column_key": column_key, "threshold": threshold, "marker": marker},
        rows_in=len(table.rows),
        rows_out=len(out_rows),
        suppressed=len(hidden),
        note=f"primary {len(primary)}, secondary {len(hidden) - len(primary)}",
    )
    return Table([row_key, *[str(c) for c in cols], TOTAL], out_rows)
