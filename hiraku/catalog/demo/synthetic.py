"""Clearly fictional demo files (架空のデータ), generated the same way on every run.

Each generator seeds its own random.Random, so the bytes (and their sha256) never change between
runs or machines. Points scatter around central Aizu-Wakamatsu (37.49N 139.93E); street names
are real 町名 but every address, facility and number is invented.

Output: UTF-8 CSV with CRLF line ends and a header row, e.g.

    全国地方公共団体コード,ID,地方公共団体名,種別,...,緯度,経度,口径,備考
    072028,0720280001,会津若松市,消火栓(地下式),...,37.49412,139.92655,75,
"""

import csv
import datetime as dt
import io
import random

CITY_CODE = "072028"
CITY = "会津若松市"
PREFECTURE = "福島県"
CENTER = (37.4948, 139.9298)
TOWNS = (
    "追手町",
    "栄町",
    "中央一丁目",
    "中央二丁目",
    "大町一丁目",
    "七日町",
    "本町",
    "白虎町",
    "城東町",
    "東栄町",
    "材木町一丁目",
    "宮町",
    "西栄町",
    "行仁町",
    "花春町",
    "米代一丁目",
    "日新町",
    "旭町",
    "山鹿町",
    "一箕町大字八幡",
)


def _csv_bytes(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _point(rng: random.Random, spread: float = 0.025) -> tuple[str, str]:
    lat = CENTER[0] + rng.uniform(-spread, spread)
    lon = CENTER[1] + rng.uniform(-spread * 1.25, spread * 1.25)
    return f"{lat:.6f}", f"{lon:.6f}"


def _address(rng: random.Random) -> tuple[str, str]:
    town = rng.choice(TOWNS)
    number = f"{rng.randint(1, 12)}-{rng.randint(1, 40)}"
    return town, number


def fire_water_supply_csv() -> bytes:
    """消防水利施設一覧 in the current standard layout (hydrants and water tanks)."""
    rng = random.Random(9001)
    header = [
        "全国地方公共団体コード",
        "ID",
        "地方公共団体名",
        "種別",
        "所在地_全国地方公共団体コード",
        "町字ID",
        "所在地_連結表記",
        "所在地_都道府県",
        "所在地_市区町村",
        "所在地_町字",
        "所在地_番地以下",
        "建物名等(方書)",
        "緯度",
        "経度",
        "口径",
        "備考",
    ]
    rows = []
    for n in range(1, 181):
        kind = rng.choices(
            ["消火栓(地下式)", "消火栓(地上式)", "防火水槽", "プール"], weights=[60, 15, 22, 3]
        )[0]
        town, number = _address(rng)
        lat, lon = _point(rng)
        bore = rng.choice(["65", "75", "100"]) if kind.startswith("消火栓") else ""
        note = {"防火水槽": f"容量{rng.choice([40, 60, 100])}立方メートル", "プール": "学校プール"}
        rows.append(
            [
                CITY_CODE,
                f"{CITY_CODE}{n:04d}",
                CITY,
                kind,
                CITY_CODE,
                f"{rng.randint(1, 300):04d}{rng.randint(1, 20):03d}",
                f"{PREFECTURE}{CITY}{town}{number}",
                PREFECTURE,
                CITY,
                town,
                number,
                "",
                lat,
                lon,
                bore,
                note.get(kind, ""),
            ]
        )
    return _csv_bytes(header, rows)


_PARK_NAMES = (
    "さくら",
    "つるがおか",
    "みずべ",
    "ひばり",
    "かえで",
    "あおば",
    "しらかば",
    "いなほ",
    "ゆきわり",
    "こもれび",
    "ほたる",
    "わかば",
    "やまびこ",
    "すずらん",
    "あさひ",
    "みどり",
    "こばと",
    "はなみずき",
)
_EQUIPMENT = (
    ("すべり台", "3-12歳"),
    ("ぶらんこ", "3-12歳"),
    ("砂場", "1-6歳"),
    ("鉄棒", "6-12歳"),
    ("ジャングルジム", "6-12歳"),
    ("シーソー", "3-12歳"),
    ("複合遊具", "3-12歳"),
    ("スプリング遊具", "1-6歳"),
    ("健康遊具", "大人"),
)


def parks_csvs() -> tuple[bytes, bytes]:
    """公園一覧 and 公園遊具一覧, joined by 公園ID."""
    rng = random.Random(9002)
    park_header = [
        "全国地方公共団体コード",
        "公園ID",
        "地方公共団体名",
        "名称",
        "名称_カナ",
        "種別",
        "所在地_連結表記",
        "緯度",
        "経度",
        "面積(㎡)",
        "トイレ",
        "駐車場台数",
        "開設年月日",
        "備考",
    ]
    kana = {"公園": "コウエン"}
    equipment_header = [
        "公園ID",
        "遊具ID",
        "遊具名",
        "対象年齢",
        "設置年",
        "点検日",
        "点検結果",
        "備考",
    ]
    parks, equipment = [], []
    for n, stem in enumerate(_PARK_NAMES, start=1):
        kind = rng.choices(["街区公園", "近隣公園", "地区公園", "総合公園"], [70, 18, 8, 4])[0]
        area = {"街区公園": 2500, "近隣公園": 20000, "地区公園": 40000, "総合公園": 100000}[kind]
        town, number = _address(rng)
        lat, lon = _point(rng)
        park_id = f"P{n:03d}"
        opened = dt.date(rng.randint(1965, 2015), rng.randint(1, 12), rng.randint(1, 28))
        parks.append(
            [
                CITY_CODE,
                park_id,
                CITY,
                f"{stem}公園",
                f"{stem}{kana['公園']}",
                kind,
                f"{PREFECTURE}{CITY}{town}{number}",
                lat,
                lon,
                str(int(area * rng.uniform(0.6, 1.6))),
                rng.choice(["有", "無"]),
                str(rng.choice([0, 0, 10, 25, 60])),
                opened.isoformat(),
                "",
            ]
        )
        for k, (item, ages) in enumerate(rng.sample(_EQUIPMENT, rng.randint(2, 6)), start=1):
            inspected = dt.date(2026, rng.randint(4, 10), rng.randint(1, 28))
            result = rng.choices(["A", "B", "C"], [75, 20, 5])[0]
            equipment.append(
                [
                    park_id,
                    f"{park_id}-{k:02d}",
                    item,
                    ages,
                    str(rng.randint(max(opened.year, 1990), 2025)),
                    inspected.isoformat(),
                    result,
                    "使用禁止(修繕予定)" if result == "C" else "",
                ]
            )
    return _csv_bytes(park_header, parks), _csv_bytes(equipment_header, equipment)


_EVENTS = (
    ("会津まつり", "アイヅマツリ", "Aizu Festival"),
    ("鶴ヶ城さくらまつり", "ツルガジョウサクラマツリ", "Tsuruga Castle Cherry Blossom Festival"),
    ("絵ろうそくまつり", "エロウソクマツリ", "Painted Candle Festival"),
    ("十日市", "トオカイチ", "Tōka-ichi New Year Market"),
    ("歴史講座 戊辰のまち", "レキシコウザボシンノマチ", "History Lecture"),
    ("子ども科学教室", "コドモカガクキョウシツ", "Children's Science Class"),
    ("会津清酒まつり", "アイヅセイシュマツリ", "Aizu Sake Festival"),
    ("市民ウォーキング大会", "シミンウォーキングタイカイ", "Citizens' Walking Event"),
    ("防災フェア", "ボウサイフェア", "Disaster Preparedness Fair"),
    ("オープンデータ勉強会", "オープンデータベンキョウカイ", "Open Data Study Meeting"),
)
_VENUES = (
    ("鶴ヶ城公園", "追手町1-1"),
    ("會津風雅堂", "追手町2-40"),
    ("市文化センター", "城東町4-1"),
    ("七日町通り", "七日町"),
    ("市民体育館", "城東町1-1"),
)


def events_csv(fiscal_year: int) -> bytes:
    """イベント一覧 (legacy 推奨データセット columns) for one fiscal year (April to March)."""
    rng = random.Random(9003 + fiscal_year)
    header = [
        "都道府県コード又は市区町村コード",
        "NO",
        "都道府県名",
        "市区町村名",
        "イベント名",
        "イベント名_カナ",
        "イベント名_英語",
        "開始日",
        "終了日",
        "開始時間",
        "終了時間",
        "開始日時特記事項",
        "説明",
        "料金(基本)",
        "料金(詳細)",
        "連絡先名称",
        "連絡先電話番号",
        "連絡先内線番号",
        "主催者",
        "場所名称",
        "住所",
        "方書",
        "緯度",
        "経度",
        "アクセス方法",
        "駐車場情報",
        "定員",
        "参加申込終了日",
        "参加申込終了時間",
        "参加申込方法",
        "URL",
        "備考",
    ]
    rows = []
    for n in range(1, 31):
        title, kana, english = rng.choice(_EVENTS)
        start = dt.date(fiscal_year, 4, 1) + dt.timedelta(days=rng.randint(0, 360))
        end = start + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2]))
        venue, address = rng.choice(_VENUES)
        lat, lon = _point(rng, spread=0.01)
        free = rng.random() < 0.6
        capacity = rng.choice(["", "30", "50", "100", "300"])
        rows.append(
            [
                CITY_CODE,
                str(n),
                PREFECTURE,
                CITY,
                f"{title} {fiscal_year}",
                kana,
                english,
                start.isoformat(),
                end.isoformat(),
                f"{rng.choice([9, 10, 13, 18])}:00",
                f"{rng.choice([12, 16, 17, 21])}:00",
                "雨天決行" if rng.random() < 0.5 else "",
                "架空のイベントです (synthetic demo event)",
                "無料" if free else f"{rng.choice([300, 500, 1000])}円",
                "" if free else "中学生以下無料",
                "観光課",
                "0242-39-1251",
                str(rng.randint(1000, 1999)),
                f"{CITY}",
                venue,
                f"{PREFECTURE}{CITY}{address}",
                "",
                lat,
                lon,
                "JR会津若松駅からバスで約10分",
                rng.choice(["あり", "なし", "周辺の有料駐車場をご利用ください"]),
                capacity,
                (start - dt.timedelta(days=7)).isoformat() if capacity else "",
                "17:00" if capacity else "",
                "電話またはWebフォーム" if capacity else "",
                "",
                "",
            ]
        )
    return _csv_bytes(header, rows)


def paid_parking_csv() -> bytes:
    """有料駐車場一覧: capacity, fees and hours of public car parks."""
    rng = random.Random(9004)
    header = [
        "全国地方公共団体コード",
        "ID",
        "地方公共団体名",
        "名称",
        "所在地_連結表記",
        "緯度",
        "経度",
        "収容台数",
        "料金(基本)",
        "料金(詳細)",
        "利用開始時間",
        "利用終了時間",
        "大型車対応",
        "障害者用区画数",
        "EV充電器",
        "備考",
    ]
    rows = []
    for n in range(1, 26):
        town, number = _address(rng)
        lat, lon = _point(rng, spread=0.012)
        spaces = rng.choice([12, 20, 35, 50, 80, 120, 200])
        first = rng.choice([100, 150, 200])
        open_all_day = rng.random() < 0.4
        rows.append(
            [
                CITY_CODE,
                f"PK{n:03d}",
                CITY,
                f"{town}市営駐車場",
                f"{PREFECTURE}{CITY}{town}{number}",
                lat,
                lon,
                str(spaces),
                f"最初の1時間{first}円",
                f"以降30分ごと{first // 2}円、1日最大{first * 6}円",
                "0:00" if open_all_day else "7:00",
                "24:00" if open_all_day else "22:00",
                rng.choice(["可", "不可", "不可"]),
                str(max(1, spaces // 40)),
                rng.choice(["有", "無", "無"]),
                "架空のデータ (synthetic)",
            ]
        )
    return _csv_bytes(header, rows)


def citizen_survey_csv() -> bytes:
    """市民意識調査 集計表 (a private, work-in-progress table)."""
    rng = random.Random(9005)
    header = ["設問", "選択肢", "回答数", "割合(%)"]
    rows = []
    questions = {
        "オープンデータを知っていますか": ["知っている", "聞いたことはある", "知らない"],
        "市のWebサイトの使いやすさ": ["満足", "やや満足", "やや不満", "不満"],
    }
    for question, choices in questions.items():
        counts = [rng.randint(40, 400) for _ in choices]
        total = sum(counts)
        for choice, count in zip(choices, counts, strict=True):
            rows.append([question, choice, str(count), f"{100 * count / total:.1f}"])
    return _csv_bytes(header, rows)
