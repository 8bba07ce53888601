"""scan_file over formats (CSV in CP932, the DuckDB path for big files, ZIP) and `hiraku scan`."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from hiraku.privacy.errors import ScanError
from hiraku.privacy.files import scan_file
from tests.privacy.planted import N


def _write_csv(path, columns, rows, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _counts(result):
    return {(f.column, f.kind): (f.count, f.risk) for _, f in result.findings()}


def test_duckdb_path_counts_match_python_path(tmp_path, corpus):
    columns, rows = corpus
    path = _write_csv(tmp_path / "planted.csv", columns, rows)
    small = scan_file(str(path))
    big = scan_file(str(path), big_file_bytes=0, sample_limit=100)  # DuckDB + a small sample
    exact_kinds = {"my_number", "email", "phone", "address", "birth_date"}
    expected = {k: v for k, v in _counts(small).items() if k[1] in exact_kinds}
    got = {k: v for k, v in _counts(big).items() if k[1] in exact_kinds}
    assert got == expected
    assert got[("個人番号", "my_number")] == (N, "high")
    assert big.tables[0].row_count == N and big.tables[0].rows_sampled == 100


def test_cp932_csv_and_zip(tmp_path, corpus):
    columns, rows = corpus
    sjis = _write_csv(tmp_path / "planted_sjis.csv", columns, rows[:50], encoding="cp932")
    result = scan_file(str(sjis))
    assert _counts(result)[("氏名", "person_name")][1] == "high"
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(sjis, "members/planted_sjis.csv")
        zf.writestr("readme.md", "not a table")
    zipped = scan_file(str(archive))
    assert zipped.format == "zip" and [t.name for t in zipped.tables] == [
        "members/planted_sjis.csv"
    ]
    assert zipped.highest_risk == "high"


def test_xlsx_sheet(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名簿"
    sheet.append(["令和6年度 申請者一覧"])  # a title row above the header
    sheet.append(["申請者", "連絡先", "メール"])
    sheet.append(["山田 太郎", "090-1111-2222", "yamada@example.jp"])
    sheet.append(["佐藤 花子", "080-3333-4444", "sato@example.jp"])
    book.save(tmp_path / "applicants.xlsx")
    result = scan_file(str(tmp_path / "applicants.xlsx"))
    assert result.tables[0].columns == ["申請者", "連絡先", "メール"]
    assert result.highest_risk == "high"


def test_unreadable_files_raise_bilingual_errors(tmp_path):
    with pytest.raises(ScanError, match="No such file"):
        scan_file(str(tmp_path / "missing.csv"))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ScanError, match="empty"):
        scan_file(str(empty))
    binary = tmp_path / "fake.csv"
    binary.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(ScanError) as err:
        scan_file(str(binary))
    assert " / " in str(err.value)  # 日本語 / English


def test_cli_json(tmp_path, corpus, capsys):
    columns, rows = corpus
    path = _write_csv(tmp_path / "planted.csv", columns, rows[:40])
    call_command("scan", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert {"column", "kind", "risk", "count", "examples"} <= set(out[0])
    by_column = {(o["column"], o["kind"]): o for o in out}
    assert by_column[("個人番号", "my_number")]["risk"] == "high"
    assert by_column[("個人番号", "my_number")]["count"] == 40


def test_cli_exit_2_on_unreadable(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("scan", str(tmp_path / "missing.csv"))
    assert exit_info.value.code == 2
    assert "No such file" in capsys.readouterr().err


def test_cli_anonymise(tmp_path, capsys):
    source = _write_csv(
        tmp_path / "register.csv",
        ["氏名", "緯度", "経度", "年齢"],
        [["山田 太郎", "37.4948", "139.9298", "70"]] * 4
        + [["佐藤 花子", "37.4948", "139.9298", "8"]],
    )
    ops = tmp_path / "ops.json"
    ops.write_text(
        json.dumps(
            [
                {"op": "age_bands", "column": "年齢", "scheme": "three", "into": "区分"},
                {
                    "op": "mesh_counts",
                    "lat": "緯度",
                    "lon": "経度",
                    "size_m": 250,
                    "group_by": ["区分"],
                },
                {"op": "suppress_small_cells", "row_key": "mesh_code", "column_key": "区分"},
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    call_command("anonymise", str(source), "--ops", str(ops), "--out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "mesh_code,0-14,65+,合計"
    # 1 child is a small cell; the other band is hidden too so the row total (5) reveals neither.
    assert lines[1] == "5639179414,x,x,5"
    record = json.loads((tmp_path / "out.csv.processing.json").read_text(encoding="utf-8"))
    assert [s["operation"] for s in record["steps"]] == [
        "age_bands",
        "mesh_counts",
        "suppress_small_cells",
    ]
    bad_ops = tmp_path / "bad.json"
    bad_ops.write_text("[{", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("anonymise", str(source), "--ops", str(bad_ops), "--out", str(out))
    assert exit_info.value.code == 2
