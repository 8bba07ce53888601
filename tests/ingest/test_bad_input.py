"""Bad files end as a FAILED job with a bilingual reason; the previous version keeps serving."""

import io
import os
import zipfile

import pytest

from hiraku.ingest.models import DataTable, JobState
from hiraku.ingest.selectors import active_tables, serving_version

GOOD = "名称,人口\n中央,100\n北,200\n".encode()


@pytest.fixture
def served(ingest):
    """A resource whose version 1 is ingested and serving."""
    job = ingest("data.csv", GOOD)
    assert job.state == JobState.DONE, job.message
    return job.version.resource


def _assert_failed_and_v1_serves(job, resource, *words):
    assert job.state == JobState.FAILED
    assert " / " in job.message, "bilingual message"
    for word in words:
        assert word in job.message, job.message
    assert job.report["error"]["message"]
    assert serving_version(resource).number == 1
    tables = list(active_tables(resource))
    assert [t.row_count for t in tables] == [2]
    # no partial Parquet files of the failed version are left behind
    from hiraku.conf import setting

    failed_dir = os.path.join(setting("DATASTORE_DIR"), str(resource.pk), str(job.version_id))
    leftovers = os.listdir(failed_dir) if os.path.isdir(failed_dir) else []
    assert leftovers == []
    assert not DataTable.objects.filter(version=job.version).exists()


def _xlsx_bytes(testdata) -> bytes:
    return (testdata / "takamatsu_city_tax_settlement.xlsx").read_bytes()


def test_truncated_xlsx(ingest, served, testdata):
    data = _xlsx_bytes(testdata)
    job = ingest("data.xlsx", data[: len(data) // 2], resource=served)
    _assert_failed_and_v1_serves(job, served, "data.xlsx")


def test_corrupt_xlsx_member(ingest, served, testdata):
    source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes(testdata)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 3]  # cut the XML in the middle
            target.writestr(info, content)
    job = ingest("data.xlsx", buffer.getvalue(), resource=served)
    _assert_failed_and_v1_serves(job, served)


def test_xlsx_bomb(ingest, served, testdata):
    source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes(testdata)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<sheetData>", b"<sheetData>" + b" " * (200 << 20))
            target.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED)
    job = ingest("data.xlsx", buffer.getvalue(), resource=served)
    _assert_failed_and_v1_serves(job, served)


def test_zip_bomb_of_csv(ingest, served):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", "名称,人口\n" + "x,1\n" * ((40 << 20) // 4))
    job = ingest("data.zip", buffer.getvalue(), resource=served)
    _assert_failed_and_v1_serves(job, served, "ZIP")


def test_binary_named_csv(ingest, served):
    job = ingest("data.csv", os.urandom(4096) + b"\x00" * 512, resource=served)
    _assert_failed_and_v1_serves(job, served, "data.csv")


def test_hundred_megabyte_cell(ingest, served, tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as f:
        f.write('名称,備考\n中央,"'.encode())
        block = b"a" * (1 << 20)
        for _ in range(100):
            f.write(block)
        f.write(b'"\n')
    job = ingest("data.csv", path, resource=served)
    _assert_failed_and_v1_serves(job, served, "data.csv")


def test_ten_thousand_columns(ingest, served):
    header = ",".join(f"c{i}" for i in range(10_000))
    row = ",".join("1" for _ in range(10_000))
    job = ingest("data.csv", f"{header}\n{row}\n".encode(), resource=served)
    _assert_failed_and_v1_serves(job, served, "data.csv")


def test_blank_file(ingest, served):
    job = ingest("data.csv", b"\n\n  \n", resource=served)
    _assert_failed_and_v1_serves(job, served)


def test_empty_file_version(served):
    """The catalog refuses empty uploads; a version that is empty anyway still fails cleanly."""
    from django.core.files.base import ContentFile

    from hiraku.catalog.models import ResourceVersion
    from hiraku.ingest.pipeline import ingest_version

    version = ResourceVersion(resource=served, number=2, original_filename="data.csv", size=0)
    version.file.save("data.csv", ContentFile(b""), save=False)
    version.save()
    job = ingest_version(version.id)
    _assert_failed_and_v1_serves(job, served, "空")


def test_header_only(ingest, served):
    job = ingest("data.csv", "名称,人口\n".encode(), resource=served)
    _assert_failed_and_v1_serves(job, served)


def test_mixed_encodings(ingest, served, tmp_path):
    path = tmp_path / "mixed.csv"
    with open(path, "wb") as f:
        f.write("名称,人口\n".encode())
        line = "中央公園,100\n".encode()
        f.write(line * ((5 << 20) // len(line)))  # beyond the 4 MiB encoding sample
        f.write("北公園,200\n".encode("cp932"))
    job = ingest("data.csv", path, resource=served)
    _assert_failed_and_v1_serves(job, served, "data.csv")


def test_ragged_rows_fail_with_rows_and_field_counts(ingest, served):
    """By default a row with more or fewer fields than the header fails the job, naming them."""
    content = "名称,人口\n中央,100\n北,200,余分,もっと\n西\n南,300\n".encode()
    job = ingest("data.csv", content, resource=served)
    _assert_failed_and_v1_serves(
        job, served, "data.csv", "3行目 4列", "row 4: 1 fields", "(2 fields)"
    )
    assert "allow ragged rows" in job.message
    assert job.report["error"]["row"] == 3


def test_extra_fields_are_kept_when_staff_allow_ragged(ingest, served):
    """With the override nothing is cut: the extra fields become named columns, reported."""
    from ingest_helpers import read_table

    content = "名称,人口\n中央,100\n北,200,余分,もっと\n南,300\n".encode()
    job = ingest("data.csv", content, resource=served, options={"allow_ragged": True})
    assert job.state == JobState.DONE, job.message
    report = job.report["tables"][0]
    assert report["ragged_rows"] == [3]
    assert report["ragged_field_counts"] == [4]
    assert any("3" in w for w in report["warnings"])
    rows = read_table(job.tables.get())
    assert ("北", 200, "余分", "もっと") in rows


def test_short_rows_are_padded_when_staff_allow_ragged(ingest, served):
    content = "名称,人口,備考\n中央,100,a\n北,200\n南,300,c\n".encode()
    failed = ingest("data.csv", content, resource=served)
    _assert_failed_and_v1_serves(failed, served, "3行目 2列", "(3 fields)")
    job = ingest("data.csv", content, resource=served, options={"allow_ragged": True})
    assert job.state == JobState.DONE, job.message
    table = job.tables.get()
    assert table.row_count == 3
    assert job.report["tables"][0]["ragged_rows"] == [3]


def test_crash_in_the_task_is_recorded_and_the_worker_survives(served, upload, monkeypatch):
    from hiraku.ingest import pipeline
    from hiraku.ingest.models import IngestJob
    from hiraku.ingest.tasks import ingest_job_task

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "convert_columns", explode)
    monkeypatch.setattr(pipeline, "write_direct", explode)
    version = upload("data.csv", GOOD, resource=served)
    job = IngestJob.objects.create(version=version)
    result = ingest_job_task(str(job.pk))  # immediate mode: runs here, must not raise
    assert result() == JobState.FAILED if callable(result) else result == JobState.FAILED
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "boom" in job.message and " / " in job.message
    assert serving_version(served).number == 1


def test_ragged_row_past_the_analysed_head_fails_clearly(ingest, served, tmp_path):
    """A file too big to analyse whole: DuckDB finds the ragged row; the message says so."""
    path = tmp_path / "big.csv"
    with open(path, "wb") as f:
        f.write("名称,人口\n".encode())
        line = "中央公園,100\n".encode()
        count = (5 << 20) // len(line)  # beyond the 4 MiB read-whole size
        f.write(line * count)
        f.write("北公園,200,余分\n".encode())
        f.write(line * 10)
    job = ingest("big.csv", path, resource=served)
    _assert_failed_and_v1_serves(job, served, "big.csv", "（3列）", "header has 2")
    assert job.report["error"]["row"] == count + 2  # physical line: header + rows + 1
    allowed = ingest("big.csv", path, resource=served, options={"allow_ragged": True})
    assert allowed.state == JobState.DONE, allowed.message
    assert allowed.tables.get().row_count == count + 11
