"""The licence list offered to publishers, shaped like CKAN's license_list entries.

PDL1.0 (公共データ利用規約 第1.0版) is the government standard terms of use and is compatible
with CC BY 4.0; see ../shared/japan-standards.md §6.1.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class License:
    id: str
    title: str
    title_en: str
    url: str
    od_conformance: str = "approved"
    is_open: bool = True

    def as_ckan(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "title_en": self.title_en,
            "url": self.url,
            "od_conformance": self.od_conformance,
            "osd_conformance": "not reviewed",
            "status": "active",
            "maintainer": "",
            "family": "",
            "domain_content": False,
            "domain_data": True,
            "domain_software": False,
            "is_generic": False,
            "is_okd_compliant": self.is_open,
            "is_osi_compliant": False,
        }


LICENSES: tuple[License, ...] = (
    License(
        "cc-by-4.0",
        "クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)",
        "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "https://creativecommons.org/licenses/by/4.0/deed.ja",
    ),
    License(
        "cc-zero",
        "CC0 1.0 全世界 (パブリック・ドメイン提供)",
        "Creative Commons CCZero 1.0 (CC0)",
        "https://creativecommons.org/publicdomain/zero/1.0/deed.ja",
    ),
    License(
        "pdl-1.0",
        "公共データ利用規約 (第1.0版) (PDL1.0、CC BY 4.0 互換)",
        "Public Data License 1.0 (PDL1.0, compatible with CC BY 4.0)",
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
    ),
    License(
        "gov-standard-terms-2.0",
        "政府標準利用規約 (第2.0版) (CC BY 4.0 互換)",
        "Government of Japan Standard Terms of Use 2.0 (compatible with CC BY 4.0)",
        "https://www.kantei.go.jp/jp/singi/it2/densi/kettei/gl2_betten_1.pdf",
    ),
    License(
        "cc-by-sa-4.0",
        "クリエイティブ・コモンズ 表示-継承 4.0 国際 (CC BY-SA 4.0)",
        "Creative Commons Attribution Share-Alike 4.0 (CC BY-SA 4.0)",
        "https://creativecommons.org/licenses/by-sa/4.0/deed.ja",
    ),
    License(
        "cc-by-2.1-jp",
        "クリエイティブ・コモンズ 表示 2.1 日本 (CC BY 2.1 JP)",
        "Creative Commons Attribution 2.1 Japan (CC BY 2.1 JP)",
        "https://creativecommons.org/licenses/by/2.1/jp/",
    ),
    License(
        "cc-by-3.0-jp",
        "クリエイティブ・コモンズ 表示 3.0 日本 (CC BY 3.0 JP)",
        "Creative Commons Attribution 3.0 Japan (CC BY 3.0 JP)",
        "https://creativecommons.org/licenses/by/3.0/jp/",
    ),
    License(
        "cc-by-sa-3.0",
        "クリエイティブ・コモンズ 表示-継承 3.0 (CC BY-SA 3.0)",
        "Creative Commons Attribution Share-Alike 3.0 (CC BY-SA 3.0)",
        "https://creativecommons.org/licenses/by-sa/3.0/deed.ja",
    ),
    License(
        "not-copyrighted",
        "著作物ではありません (自由に利用可)",
        "Not a copyrighted work (free to use)",
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
    ),
    License(
        "other-closed",
        "その他 (オープンデータではない)",
        "Other (not open)",
        "",
        od_conformance="not reviewed",
        is_open=False,
    ),
)

LICENSES_BY_ID = {lic.id: lic for lic in LICENSES}


def license_get(license_id: str) -> License | None:
    return LICENSES_BY_ID.get(license_id)


def license_choices() -> list[tuple[str, str]]:
    return [(lic.id, lic.title) for lic in LICENSES]
