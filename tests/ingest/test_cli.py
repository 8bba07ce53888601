"""`hiraku ingest FILE --dataset NAME ...` uploads a new version and ingests it synchronously."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hiraku.ingest.models import JobState
from hiraku.ingest.selectors import active_tables, serving_version


def test_cli_ingests_and_prints_tables(catalog, testdata, capsys):
    call_command(
        "ingest",
        str(testdata / "kobe_indoor_shelters_cp932.csv"),
        "--dataset",
        "public-parks",
        "--resource",
        "shelters",
        "--user",
        "kankyo_editor",
    )
    out = capsys.readouterr().out
    assert "done" in out and "338 rows" in out
    assert "緯度: number (latitude)" in out
    resource = catalog.parks.resources.get(name="shelters")
    assert resource.current_version.ingest_jobs.get().state == JobState.DONE
    assert active_tables(resource).get().row_count == 338


def test_cli_second_run_adds_a_version(catalog, tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text("名称,人口\n中央,1\n", encoding="utf-8")
    args = ["ingest", str(path), "--dataset", "public-parks", "--user", "sysadmin"]
    call_command(*args)
    path.write_text("名称,人口\n中央,1\n北,2\n", encoding="utf-8")
    call_command(*args)
    resource = catalog.parks.resources.get(name="a.csv")
    assert serving_version(resource).number == 2
    assert active_tables(resource).get().row_count == 2


def test_cli_failure_exits_1_with_bilingual_reason(catalog, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\x00\x01\x02" * 1000)
    with pytest.raises(CommandError) as raised:
        call_command("ingest", str(path), "--dataset", "public-parks", "--user", "sysadmin")
    assert raised.value.returncode == 1
    assert " / " in str(raised.value) and "bad.csv" in str(raised.value)


def test_cli_refuses_a_user_who_cannot_edit(catalog, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("ingest", str(path), "--dataset", "public-parks", "--user", "joho_editor")


def test_cli_encoding_option(catalog, tmp_path, capsys):
    path = tmp_path / "euc.csv"
    path.write_bytes("名称,人口\n東灘,100\n".encode("euc-jp"))
    call_command(
        "ingest",
        str(path),
        "--dataset",
        "public-parks",
        "--encoding",
        "euc-jp",
        "--user",
        "sysadmin",
    )
    assert "encoding=euc_jp" in capsys.readouterr().out


def test_cli_allow_ragged_option(catalog, tmp_path, capsys):
    path = tmp_path / "ragged.csv"
    path.write_text("名称,人口\n中央,1\n北\n南,3\n", encoding="utf-8")
    args = ["ingest", str(path), "--dataset", "public-parks", "--user", "sysadmin"]
    with pytest.raises(CommandError, match="3行目 1列"):
        call_command(*args)
    call_command(*args, "--allow-ragged")
    assert "] 3 rows ->" in capsys.readouterr().out
