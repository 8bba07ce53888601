"""Who and what the demo city has: departments (部) with their sections (課), categories, users.

Every demo user signs in with DEMO_PASSWORD (documented in README.md and docs/demo.md). The
loader account that owns the demo's writes has no usable password, so it cannot sign in.
"""

from dataclasses import dataclass

DEMO_PASSWORD = "hiraku-demo-2026"
LOADER_USERNAME = "hiraku_demo_loader"


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    title: str
    title_en: str
    parent: str = ""  # name of the department (部) a section (課) belongs to
    description: str = ""


# Departments first, so a section's parent exists when it is created.
ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization("somu", "総務部", "General Affairs Department"),
    DemoOrganization("shimin", "市民部", "Citizens Department"),
    DemoOrganization("kensetsu", "建設部", "Construction Department"),
    DemoOrganization("kanko-shoko", "観光商工部", "Tourism and Commerce Department"),
    DemoOrganization("shobo", "消防本部", "Fire Department Headquarters"),
    DemoOrganization("kenko-fukushi", "健康福祉部", "Health and Welfare Department"),
    DemoOrganization(
        "johoseisaku",
        "情報政策課",
        "IT Policy Division",
        parent="somu",
        description="オープンデータの窓口です。 / The city's open data desk.",
    ),
    DemoOrganization("kikikanri", "危機管理課", "Crisis Management Division", parent="somu"),
    DemoOrganization("zeimu", "税務課", "Taxation Division", parent="somu"),
    DemoOrganization("shiminka", "市民課", "Citizens Division", parent="shimin"),
    DemoOrganization("toshikeikaku", "都市計画課", "City Planning Division", parent="kensetsu"),
    DemoOrganization("kankoka", "観光課", "Tourism Division", parent="kanko-shoko"),
    DemoOrganization("keibo", "警防課", "Fire Prevention Division", parent="shobo"),
    DemoOrganization(
        "kodomo-katei", "こども家庭課", "Children and Families Division", parent="kenko-fukushi"
    ),
)


@dataclass(frozen=True)
class DemoCategory:
    name: str
    title: str
    title_en: str


CATEGORIES: tuple[DemoCategory, ...] = (
    DemoCategory("jinko-setai", "人口・世帯", "Population and households"),
    DemoCategory("bosai", "防災", "Disaster prevention"),
    DemoCategory("kanko", "観光", "Tourism"),
    DemoCategory("kosodate", "子育て", "Child care"),
    DemoCategory("kotsu", "交通", "Transport"),
    DemoCategory("kankyo", "環境", "Environment"),
    DemoCategory("gyozaisei", "行財政", "Administration and finance"),
    DemoCategory("kyoiku", "教育", "Education"),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str  # shown as first_name
    organization: str = ""
    capacity: str = ""  # admin / editor / member of that organization


# One user per role, so every screen can be tried with the right rights.
USERS: tuple[DemoUser, ...] = (
    DemoUser("somu_admin", "総務部 管理者", "somu", "admin"),  # inherits 情報政策課 etc.
    DemoUser("joho_editor", "情報政策課 編集者", "johoseisaku", "editor"),
    DemoUser("joho_member", "情報政策課 閲覧メンバー", "johoseisaku", "member"),
    DemoUser("kanko_editor", "観光課 編集者", "kankoka", "editor"),
    DemoUser("bosai_editor", "警防課 編集者", "keibo", "editor"),
    DemoUser("citizen", "市民 (共有先)"),  # signed in, no membership; one private dataset shared
)
