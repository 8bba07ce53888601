"""Anonymisation operations, the JIS X 0410 mesh and small-cell suppression."""

import json

import pytest

from hiraku.privacy.anonymise import AnonymiseError, ProcessingRecord, Table, parse_ops, run
from hiraku.privacy.anonymise.aggregate import suppress_small_cells
from hiraku.privacy.anonymise.mesh import bounds, to_meshcode
from hiraku.privacy.anonymise.operations import address_at, age_band


def test_mesh_worked_example():
    # japan-standards.md §3: 37.4948N 139.9298E, Aizu-Wakamatsu.
    assert to_meshcode(37.4948, 139.9298, 80_000) == "5639"
    assert to_meshcode(37.4948, 139.9298, 10_000) == "563917"
    assert to_meshcode(37.4948, 139.9298, 1000) == "56391794"
    assert to_meshcode(37.4948, 139.9298, 500) == "563917941"
    assert to_meshcode(37.4948, 139.9298, 250) == "5639179414"
    assert to_meshcode(37.4948, 139.9298, 125) == "56391794144"


@pytest.mark.parametrize("size", [1000, 500, 250, 125])
def test_mesh_bounds_contain_point_and_round_trip(size):
    for lat, lon in [
        (37.4948, 139.9298),
        (35.6812, 139.7671),
        (34.3455, 134.0527),
        (43.0621, 141.3544),
    ]:
        code = to_meshcode(lat, lon, size)
        south, west, north, east = bounds(code)
        assert south <= lat < north and west <= lon < east
        # the centre of the square maps back to the same code
        assert to_meshcode((south + north) / 2, (west + east) / 2, size) == code


def test_mesh_cell_edge_is_exact():
    # 36.0 N is exactly a 1次 boundary (36 × 1.5 = 54): floating point must not push it below.
    assert to_meshcode(36.0, 140.0, 1000) == "54400000"
    with pytest.raises(ValueError):
        to_meshcode(10.0, 100.0, 250)


def test_age_bands():
    assert [age_band(a, "three") for a in (0, 14, 15, 64, 65, 101)] == [
        "0-14",
        "0-14",
        "15-64",
        "15-64",
        "65+",
        "65+",
    ]
    assert age_band(37, "5y") == "35-39"


def test_address_generalisation():
    assert address_at("会津若松市追手町1-2-3", "chome") == "会津若松市追手町1丁目"
    assert address_at("会津若松市追手町1-2-3", "oaza") == "会津若松市追手町"
    assert address_at("高松市番町五丁目1番16号", "chome") == "高松市番町五丁目"
    assert address_at("高松市番町五丁目1番16号", "oaza") == "高松市番町"
    assert (
        address_at("会津若松市一箕町大字八幡字八幡1234番地", "chome")
        == "会津若松市一箕町大字八幡字八幡"
    )


def test_pipeline_records_every_step():
    table = Table(
        ["氏名", "年齢", "生年月日", "住所"],
        [
            ["山田 太郎", "34", "1990/04/01", "会津若松市追手町1-2-3"],
            ["佐藤 花子", "93", "昭和6年5月2日", "会津若松市栄町2番3号"],
            ["鈴木 一郎", "35", "1989-12-24", "会津若松市追手町1-9-9"],
        ],
    )
    ops = parse_ops(
        json.dumps(
            [
                {"op": "drop_columns", "columns": ["氏名"]},
                {"op": "generalise_date", "column": "生年月日", "to": "year"},
                {"op": "generalise_address", "column": "住所", "level": "chome"},
                {"op": "age_bands", "column": "年齢", "scheme": "5y", "into": "年齢5歳階級"},
                {"op": "top_bottom_code", "column": "年齢", "top": 90},
                {"op": "k_anonymity", "quasi_identifiers": ["住所"], "k": 2},
            ]
        )
    )
    result, record = run(table, ops, source="test")
    assert result.columns == ["年齢", "生年月日", "住所", "年齢5歳階級"]
    assert result.rows == [
        ["34", "1990", "会津若松市追手町1丁目", "30-34"],
        ["35", "1989", "会津若松市追手町1丁目", "35-39"],
    ]
    steps = record.as_dict()["steps"]
    assert [s["operation"] for s in steps] == [o["op"] for o in ops]
    assert steps[-1]["rows_in"] == 3 and steps[-1]["rows_out"] == 2 and steps[-1]["suppressed"] == 1


def test_bad_ops_are_explained():
    with pytest.raises(AnonymiseError, match="行 1"):
        parse_ops("[{")
    with pytest.raises(AnonymiseError, match="unknown"):
        run(Table(["a"], [["1"]]), [{"op": "shuffle"}])
    with pytest.raises(AnonymiseError, match="No such column: b"):
        run(Table(["a"], [["1"]]), [{"op": "drop_columns", "columns": ["b"]}])


def test_small_cells_suppressed_with_secondary_suppression():
    counts = [
        ["m1", "0-14", 1],
        ["m1", "15-64", 10],
        ["m1", "65+", 7],
        ["m2", "0-14", 5],
        ["m2", "15-64", 12],
        ["m2", "65+", 6],
        ["m3", "0-14", 4],
        ["m3", "15-64", 9],
        ["m3", "65+", 8],
    ]
    table = Table(["mesh_code", "band", "count"], counts)
    record = ProcessingRecord()
    out = suppress_small_cells(table, record, row_key="mesh_code", column_key="band", threshold=3)
    assert out.columns == ["mesh_code", "0-14", "15-64", "65+", "合計"]
    grid = {row[0]: row[1:] for row in out.rows}
    assert grid["m1"][0] == "x"
    # No row and no column may hold exactly one hidden cell, or its total would reveal it.
    for row in out.rows:
        assert sum(cell == "x" for cell in row[1:4]) != 1
    for col in range(1, 4):
        assert sum(row[col] == "x" for row in out.rows) != 1
    assert all(row[4] != "x" for row in out.rows)  # totals stay published
    assert grid["m2"] == [5, 12, 6, 23]  # untouched row: 4 hidden cells suffice
    assert record.steps[0]["suppressed"] == 4


def test_demo_pipeline_suppresses_all_small_counts():
    from hiraku.privacy.demo import OPS, synthetic_register

    first, second = synthetic_register(), synthetic_register()
    assert first.rows == second.rows  # fixed seed
    result, record = run(first, OPS, source="synthetic")
    assert result.columns == ["mesh_code", "0-14", "15-64", "65+", "合計"]
    assert all(len(row[0]) == 10 for row in result.rows)  # 250 m codes
    for row in result.rows:
        for cell in row[1:4]:
            assert cell == "x" or cell == 0 or cell >= 3
    total = sum(row[4] for row in result.rows)
    mesh_step = record.steps[1]
    assert total == mesh_step["rows_in"] - mesh_step["suppressed"] == 3000
