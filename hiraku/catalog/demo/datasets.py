"""The demo catalog's datasets: metadata plus where each resource's file(s) come from.

Real files live in files/ (origin and licence in files/SOURCES.md) and are uploaded as they came,
byte for byte. Synthetic files come from synthetic.py and say 「架空のデータ (synthetic)」 in the
title and notes. A resource with two files gets two versions (last year's, then this year's).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import synthetic

FILES_DIR = Path(__file__).resolve().parent / "files"
SYNTHETIC_NOTE = (
    "\n\n**架空のデータ (synthetic)**: Hiraku のデモ用に生成した架空のデータです。"
    "実在の施設・住所・数値ではありません。 / Generated for the Hiraku demo; not real facilities."
)
TAKAMATSU = "372013"  # 全国地方公共団体コード of 高松市
KOBE = "281000"
AIZU = "072028"


@dataclass(frozen=True)
class DemoFile:
    filename: str
    content: Callable[[], bytes]
    note: str = ""


def real(filename: str, note: str = "") -> DemoFile:
    return DemoFile(filename, lambda: (FILES_DIR / filename).read_bytes(), note)


def made(filename: str, content: Callable[[], bytes], note: str = "") -> DemoFile:
    return DemoFile(filename, content, note)


@dataclass(frozen=True)
class DemoResource:
    name: str
    description: str
    versions: tuple[DemoFile, ...]  # oldest first; the last one is the current version


@dataclass(frozen=True)
class DemoDataset:
    name: str
    title: str
    title_en: str
    organization: str
    notes: str
    license_id: str
    source_note: str
    resources: tuple[DemoResource, ...]
    groups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    spatial: str = ""
    update_frequency: str = ""
    url: str = ""
    private: bool = False
    shared_with: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


SYNTHETIC_SOURCE = "架空のデータ (synthetic)。Hiraku デモ用に生成 / generated for the Hiraku demo."

DATASETS: tuple[DemoDataset, ...] = (
    DemoDataset(
        name="aed-locations-takamatsu",
        title="AED設置箇所一覧 (高松市)",
        title_en="AED locations (Takamatsu City)",
        organization="keibo",
        notes="市内の AED (自動体外式除細動器) の設置場所、利用可能時間、緯度経度。"
        "高松市が公開している Excel ファイルをそのまま掲載しています。",
        license_id="cc-by-4.0",
        source_note="出典: 高松市オープンデータ「AED設置箇所一覧」(CC BY 4.0) "
        "takamatsu-city/opendata data/aed_location/data.xlsx",
        url="https://github.com/takamatsu-city/opendata",
        groups=("bosai",),
        tags=("AED", "救急", "防災"),
        spatial=TAKAMATSU,
        update_frequency="irregular",
        resources=(
            DemoResource(
                "AED設置箇所一覧.xlsx",
                "Excel (xlsx) as published",
                (real("takamatsu_aed_locations.xlsx"),),
            ),
        ),
    ),
    DemoDataset(
        name="fire-water-supply",
        title="消防水利施設一覧 (架空のデータ (synthetic))",
        title_en="Fire hydrants and water tanks (synthetic)",
        organization="keibo",
        notes="消火栓・防火水槽などの消防水利の位置と口径 (自治体標準オープンデータセットの項目)。"
        + SYNTHETIC_NOTE,
        license_id="cc-by-4.0",
        source_note=SYNTHETIC_SOURCE,
        groups=("bosai",),
        tags=("消火栓", "防火水槽", "消防"),
        spatial=AIZU,
        update_frequency="yearly",
        resources=(
            DemoResource(
                "消防水利施設一覧.csv",
                "消防水利施設 standard columns",
                (made("fire_water_supply.csv", synthetic.fire_water_supply_csv),),
            ),
        ),
    ),
    DemoDataset(
        name="parks-and-play-equipment",
        title="公園と遊具の一覧 (架空のデータ (synthetic))",
        title_en="Parks and their play equipment (synthetic)",
        organization="toshikeikaku",
        notes="市内の公園 (種別、面積、トイレ、駐車場) と、各公園の遊具 (対象年齢、点検結果)。"
        "2つの表は「公園ID」でつながります。" + SYNTHETIC_NOTE,
        license_id="cc-by-4.0",
        source_note=SYNTHETIC_SOURCE,
        groups=("kosodate", "kankyo"),
        tags=("公園", "遊具"),
        spatial=AIZU,
        update_frequency="yearly",
        resources=(
            DemoResource(
                "公園一覧.csv",
                "公園 (parks)",
                (made("parks.csv", lambda: synthetic.parks_csvs()[0]),),
            ),
            DemoResource(
                "公園遊具一覧.csv",
                "遊具 (play equipment), joined to parks by 公園ID",
                (made("play_equipment.csv", lambda: synthetic.parks_csvs()[1]),),
            ),
        ),
    ),
    DemoDataset(
        name="population-by-age-takamatsu",
        title="町丁別・年齢 (5歳階級) 別人口 2023年3月 (高松市)",
        title_en="Population by district and 5-year age band, March 2023 (Takamatsu City)",
        organization="shiminka",
        notes="住民基本台帳による町丁別・5歳階級別の人口 (集計値)。"
        "ファイル冒頭に #LINK, #license などのメタデータ行があります。",
        license_id="cc-by-3.0-jp",
        source_note="出典: 高松市オープンデータ「人口」(CC BY 3.0 JP) "
        "takamatsu-city/opendata old_data/0066_202303.csv",
        url="https://opendata.smartcity-takamatsu.jp/ckan/dataset/population",
        groups=("jinko-setai",),
        tags=("人口", "年齢別"),
        spatial=TAKAMATSU,
        update_frequency="monthly",
        resources=(
            DemoResource(
                "町丁別年齢別人口_202303.csv",
                "UTF-8 (BOM) CSV",
                (real("takamatsu_population_by_age_202303.csv"),),
            ),
        ),
    ),
    DemoDataset(
        name="events",
        title="イベント一覧 (架空のデータ (synthetic))",
        title_en="Events (synthetic)",
        organization="kankoka",
        notes="市内で開かれる催し (推奨データセット「イベント一覧」の項目)。"
        "版 1 は2025年度、版 2 は2026年度のファイルです。" + SYNTHETIC_NOTE,
        license_id="cc-by-4.0",
        source_note=SYNTHETIC_SOURCE,
        groups=("kanko",),
        tags=("イベント", "観光"),
        spatial=AIZU,
        update_frequency="yearly",
        resources=(
            DemoResource(
                "イベント一覧.csv",
                "毎年度差し替え / replaced every fiscal year",
                (
                    made("events_2025.csv", lambda: synthetic.events_csv(2025), "2025年度"),
                    made("events_2026.csv", lambda: synthetic.events_csv(2026), "2026年度"),
                ),
            ),
        ),
    ),
    DemoDataset(
        name="paid-parking",
        title="有料駐車場一覧 (架空のデータ (synthetic))",
        title_en="Paid car parks (synthetic)",
        organization="toshikeikaku",
        notes="市営の有料駐車場の収容台数・料金・利用時間。" + SYNTHETIC_NOTE,
        license_id="cc-by-4.0",
        source_note=SYNTHETIC_SOURCE,
        groups=("kotsu",),
        tags=("駐車場", "交通"),
        spatial=AIZU,
        update_frequency="irregular",
        resources=(
            DemoResource(
                "有料駐車場一覧.csv",
                "",
                (made("paid_parking.csv", synthetic.paid_parking_csv),),
            ),
        ),
    ),
    DemoDataset(
        name="designated-shelters-aizuwakamatsu",
        title="指定緊急避難場所・指定避難所 (会津若松市)",
        title_en="Designated emergency evacuation sites and shelters (Aizu-Wakamatsu City)",
        organization="kikikanri",
        notes="会津若松市の指定緊急避難場所・指定避難所 (GeoJSON、102地点)。"
        "災害種別ごとの受入対象を含みます。",
        license_id="gov-standard-terms-2.0",
        source_note="出典: 国土地理院「指定緊急避難場所・指定避難所データ」(会津若松市分、"
        "国土地理院コンテンツ利用規約、出典の明示が必要) motohasystem/jp-shelter-api "
        "docs/api/v0/evacuation/072028.json",
        url="https://www.gsi.go.jp/bousaichiri/hinanbasho.html",
        groups=("bosai",),
        tags=("避難所", "防災", "GeoJSON"),
        spatial=AIZU,
        update_frequency="irregular",
        resources=(
            DemoResource(
                "指定緊急避難場所.geojson",
                "GeoJSON FeatureCollection (Point)",
                (real("aizuwakamatsu_designated_shelters.geojson"),),
            ),
        ),
    ),
    DemoDataset(
        name="indoor-shelters-kobe",
        title="屋内避難所一覧 (神戸市、Shift_JIS)",
        title_en="Indoor evacuation shelters (Kobe City, Shift_JIS CSV)",
        organization="kikikanri",
        notes="神戸市が公開した屋内避難所の一覧。Shift_JIS (CP932) の CSV を公開されたまま掲載し、"
        "取り込み時に UTF-8 へ変換しています。",
        license_id="cc-by-2.1-jp",
        source_note="出典: 神戸市オープンデータ「屋内避難所」(神戸市の利用規約、出典の明示) "
        "hkwi/kobe-opendata import/catalog/okunaihinanjyo.csv",
        groups=("bosai",),
        tags=("避難所", "防災", "Shift_JIS"),
        spatial=KOBE,
        update_frequency="irregular",
        resources=(
            DemoResource(
                "屋内避難所.csv",
                "CP932 CSV as published",
                (real("kobe_indoor_shelters_cp932.csv"),),
            ),
        ),
    ),
    DemoDataset(
        name="public-toilets-takamatsu",
        title="公衆トイレ一覧 (高松市)",
        title_en="Public toilets (Takamatsu City)",
        organization="kankoka",
        notes="公衆トイレの場所、便器の数、多機能トイレ・オストメイト対応の有無。",
        license_id="cc-by-4.0",
        source_note="出典: 高松市オープンデータ「公衆トイレ一覧」(CC BY 4.0) "
        "takamatsu-city/opendata data/public_toilet/data.csv",
        url="https://github.com/takamatsu-city/opendata",
        groups=("kanko", "kankyo"),
        tags=("トイレ", "バリアフリー"),
        spatial=TAKAMATSU,
        update_frequency="irregular",
        resources=(
            DemoResource("公衆トイレ一覧.csv", "", (real("takamatsu_public_toilets.csv"),)),
        ),
    ),
    DemoDataset(
        name="city-tax-settlement-takamatsu",
        title="市税決算状況 令和2年度 (高松市)",
        title_en="City tax settlement, FY2020 (Takamatsu City)",
        organization="zeimu",
        notes="税目別の調定額・収入額・収納率。年度は和暦 (令和2年度) で書かれています。",
        license_id="cc-by-4.0",
        source_note="出典: 高松市オープンデータ「市税決算状況」(CSV: CC BY 3.0 JP、Excel: CC BY 4.0) "
        "takamatsu-city/opendata old_data/0097.csv, data/city_tax_settlement_status_r2/0097.xlsx",
        url="https://opendata.smartcity-takamatsu.jp/ckan/dataset/city_tax_settlement_status_r2",
        groups=("gyozaisei",),
        tags=("市税", "決算", "和暦"),
        spatial=TAKAMATSU,
        update_frequency="yearly",
        resources=(
            DemoResource(
                "市税決算状況.csv",
                "和暦の年度列",
                (real("takamatsu_city_tax_settlement_wareki.csv"),),
            ),
            DemoResource(
                "市税決算状況.xlsx", "Excel", (real("takamatsu_city_tax_settlement.xlsx"),)
            ),
        ),
    ),
    DemoDataset(
        name="school-children-kobe",
        title="児童・生徒数 平成27年5月1日 (神戸市)",
        title_en="Pupils per school, 1 May 2015 (Kobe City)",
        organization="kodomo-katei",
        notes="学校別・学年別の児童・生徒数。見出しが結合セルで2段になった Excel (7シート) です。",
        license_id="cc-by-2.1-jp",
        source_note="出典: 神戸市「児童・生徒数」(神戸市オープンデータの利用規約、出典の明示) "
        "hkwi/kobe-opendata import/www.city.kobe.lg.jp/child/education/children/img/20150501.xlsx",
        groups=("kosodate", "kyoiku"),
        tags=("学校", "児童数"),
        spatial=KOBE,
        update_frequency="yearly",
        resources=(
            DemoResource(
                "児童生徒数_20150501.xlsx",
                "merged two-row headers",
                (real("kobe_school_children_20150501_merged_header.xlsx"),),
            ),
        ),
    ),
    DemoDataset(
        name="local-governments-japan",
        title="全国地方公共団体一覧",
        title_en="Local governments of Japan",
        organization="johoseisaku",
        notes="全国の都道府県・市区町村の名称、よみ、代表点の緯度経度、Webサイト。",
        license_id="cc-zero",
        source_note="出典: Code for FUKUI localgovjp (CC0) 20200104/localgovjp-utf8.csv "
        "(国土地理院・J-LIS のデータから作成)",
        url="https://github.com/code4fukui/localgovjp",
        groups=("gyozaisei",),
        tags=("自治体", "コード"),
        update_frequency="irregular",
        resources=(DemoResource("localgovjp.csv", "", (real("localgov_list_utf8.csv"),)),),
    ),
    DemoDataset(
        name="citizen-survey-draft",
        title="市民意識調査 集計 (非公開・架空のデータ (synthetic))",
        title_en="Citizen survey tables (private, synthetic)",
        organization="johoseisaku",
        notes="公開前の集計表。組織のメンバーと共有先 (citizen) だけが見られます。"
        + SYNTHETIC_NOTE,
        license_id="cc-by-4.0",
        source_note=SYNTHETIC_SOURCE,
        groups=("gyozaisei",),
        tags=("調査",),
        spatial=AIZU,
        private=True,
        shared_with=("citizen",),
        resources=(
            DemoResource(
                "市民意識調査集計.csv",
                "",
                (made("citizen_survey.csv", synthetic.citizen_survey_csv),),
            ),
        ),
    ),
)
