"""The worked example: a synthetic resident register (clearly labelled 合成データ, fixed seed,
points with ages around Aizu-Wakamatsu 37.49N 139.93E) turned into population per 250 m grid
square (JIS X 0410 1/4 mesh) by the three age bands, small cells suppressed.

    dataset = build_mesh_population_demo(actor)   # called by `hiraku demo`

The raw register goes into a private dataset (staff can try /privacy/anonymise/ on it); only the
aggregated, suppressed table is public, with its processing record.
"""

import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from hiraku.catalog import actions
from hiraku.catalog.models import Dataset
from hiraku.catalog.permissions import organizations_for_publishing

from .anonymise import Table, to_csv_bytes
from .anonymise.derived import derived_resource_create

SEED = 20240401
PEOPLE = 3000
COLUMNS = ["住民ID", "緯度", "経度", "年齢"]
# (lat, lon, spread in degrees, share of residents): city centre, station area, two suburbs.
CLUSTERS = [
    (37.4948, 139.9298, 0.0040, 0.40),
    (37.5080, 139.9320, 0.0030, 0.25),
    (37.4850, 139.9150, 0.0035, 0.20),
    (37.5000, 139.9480, 0.0030, 0.15),
]
OPS = [
    {"op": "age_bands", "column": "年齢", "scheme": "three", "into": "年齢3区分"},
    {"op": "mesh_counts", "lat": "緯度", "lon": "経度", "size_m": 250, "group_by": ["年齢3区分"]},
    {
        "op": "suppress_small_cells",
        "row_key": "mesh_code",
        "column_key": "年齢3区分",
        "value": "count",
        "threshold": 3,
        "marker": "x",
    },
]
SOURCE_NAME = "synthetic-resident-register"
PUBLIC_NAME = "synthetic-mesh-population-250m"
NOTICE = (
    "**合成データ (架空) です。実在の住民の情報ではありません。** 乱数 (seed "
    f"{SEED}) で会津若松市中心部 (北緯37.49度・東経139.93度) 周辺に生成した {PEOPLE} 人分の"
    "点と年齢です。\n\n**Synthetic data: no real residents.**"
)


def synthetic_register(seed: int = SEED, people: int = PEOPLE) -> Table:
    rng = random.Random(seed)
    rows = []
    for number in range(1, people + 1):
        lat0, lon0, spread, _ = rng.choices(CLUSTERS, weights=[c[3] for c in CLUSTERS])[0]
        band = rng.random()
        age = (
            rng.randint(0, 14)
            if band < 0.11
            else rng.randint(15, 64)
            if band < 0.68
            else rng.randint(65, 99)
        )
        lat = round(rng.gauss(lat0, spread), 6)
        lon = round(rng.gauss(lon0, spread * 1.25), 6)
        rows.append([f"S{number:05d}", f"{lat:.6f}", f"{lon:.6f}", str(age)])
    return Table(list(COLUMNS), rows)


def _organization(actor):
    org = organizations_for_publishing(actor).order_by("name").first()
    if org is None:
        org = actions.organization_create(
            actor=actor, data={"name": "demo-privacy", "title": "デモ (匿名加工)"}
        )
    return org


def build_mesh_population_demo(actor) -> Dataset:
    """Create (once) and return the public demo dataset of mesh population by age band."""
    existing = Dataset.objects.filter(name=PUBLIC_NAME).exclude(state="deleted").first()
    if existing is not None:
        return existing
    org = _organization(actor)
    register = synthetic_register()
    with transaction.atomic():
        source = actions.dataset_create(
            actor=actor,
            data={
                "name": SOURCE_NAME,
                "title": "【合成データ】住民名簿サンプル (匿名加工の練習用)",
                "title_en": "[Synthetic] Resident register sample (for anonymisation practice)",
                "owner_org": org.name,
                "private": True,
                "notes": NOTICE,
                "tags": ["合成データ", "匿名加工"],
            },
        )
        actions.resource_create(
            actor=actor,
            dataset=source,
            data={"name": "synthetic_resident_register.csv", "description": NOTICE},
            upload=SimpleUploadedFile(
                "synthetic_resident_register.csv", to_csv_bytes(register), content_type="text/csv"
            ),
        )
        public = actions.dataset_create(
            actor=actor,
            data={
                "name": PUBLIC_NAME,
                "title": "【合成データ】250mメッシュ別・年齢3区分別人口 (匿名加工の例)",
                "title_en": "[Synthetic] Population per 250 m grid square by age band (anonymisation example)",
                "owner_org": org.name,
                "notes": NOTICE
                + "\n\n住民の点を JIS X 0410 の 1/4 地域メッシュ (約250m) に集計し、年齢を 0-14 / "
                "15-64 / 65+ の3区分にし、3人未満のセルを x で秘匿 (合計から逆算できないよう二次秘匿も) "
                "しています。/ Points aggregated to 250 m squares by three age bands; counts under 3 "
                "suppressed as x, with secondary suppression.",
                "tags": ["合成データ", "匿名加工", "地域メッシュ"],
            },
        )
        derived_resource_create(
            actor=actor,
            dataset=public,
            table=register,
            ops=OPS,
            name="mesh_population_250m.csv",
            source="synthetic_resident_register.csv (合成 / synthetic)",
        )
    return public


__all__ = ["build_mesh_population_demo", "synthetic_register"]
