"""Real public files: no high-risk flag on any of them (false-positive guard)."""

import pytest

from hiraku.privacy.files import scan_file

FILES = [
    "aizumi_5374_target.csv",
    "aizuwakamatsu_designated_shelters.geojson",
    "kobe_estimated_population_h2708.xls",
    "kobe_facilities_tab_separated_cp932.csv",
    "kobe_garbage_days_by_address_cp932_2row_header.csv",
    "kobe_indoor_shelters_cp932.csv",
    "kobe_school_children_20150501_merged_header.xlsx",
    "localgov_list_utf8.csv",
    "prefectures_utf8bom_cr.csv",
    "takamatsu_aed_locations.xlsx",
    "takamatsu_city_tax_settlement.xlsx",
    "takamatsu_city_tax_settlement_wareki.csv",
    "takamatsu_evacuation_sites_utf8bom.csv",
    "takamatsu_garbage_collection_dates.xlsx",
    "takamatsu_population_by_age_202303.csv",
    "takamatsu_public_toilets.csv",
    "takamatsu_tsunami_evacuation_buildings.csv",
]


def test_every_real_file_is_listed(testdata):
    on_disk = {p.name for p in testdata.iterdir() if p.is_file() and p.suffix != ".md"}
    assert on_disk == set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_no_high_risk_on_real_files(testdata, name):
    result = scan_file(str(testdata / name))
    assert result.tables, name
    highs = [(t, f.column, f.kind) for t, f in result.findings() if f.risk == "high"]
    assert not highs


def test_gtfs_feed_has_no_high_risk(testdata):
    feed = sorted((testdata / "gtfs_jp_donanbus").glob("*.txt"))
    assert len(feed) == 16
    for path in feed:
        result = scan_file(str(path))
        assert result.highest_risk != "high", path.name


def test_gtfs_agency_president_is_public_corporate_info(testdata):
    result = scan_file(str(testdata / "gtfs_jp_donanbus" / "agency_jp.txt"))
    kinds = {f.kind: f.risk for _, f in result.findings()}
    assert kinds.get("person_name") == "low"  # found, but a company president is public


def test_facility_lists_are_found_but_low(testdata):
    result = scan_file(str(testdata / "kobe_indoor_shelters_cp932.csv"))
    kinds = {f.kind: f.risk for _, f in result.findings()}
    assert kinds == {"address": "low", "phone": "low", "postal_code": "low"}


@pytest.mark.parametrize(
    "name",
    [
        "takamatsu_evacuation_sites_utf8bom.csv",
        "kobe_facilities_tab_separated_cp932.csv",
        "prefectures_utf8bom_cr.csv",
        "takamatsu_aed_locations.xlsx",
    ],
)
def test_fallback_reader_agrees(testdata, name, monkeypatch):
    """The small built-in reader (used when hiraku.ingest.parsing is missing) finds the same."""
    from hiraku.privacy import reading

    with_library = scan_file(str(testdata / name))
    monkeypatch.setattr(reading, "_parsing", lambda: None)
    fallback = scan_file(str(testdata / name))
    assert {(f.column, f.kind, f.risk) for _, f in fallback.findings()} == {
        (f.column, f.kind, f.risk) for _, f in with_library.findings()
    }
