"""Meta-tests that keep the docs honest: every setting and every API action is documented."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


ENV_READ = re.compile(r"""(?:environ(?:\.get)?\(|environ\[|getenv\()\s*["'](HIRAKU_[A-Z0-9_]+)""")


def _env_vars_read_in(paths) -> set[str]:
    return {name for path in paths for name in ENV_READ.findall(path.read_text(encoding="utf-8"))}


def test_every_hiraku_setting_is_in_the_deploy_guide():
    names = _env_vars_read_in((ROOT / "hiraku").rglob("*.py"))
    assert {"HIRAKU_SECRET_KEY", "HIRAKU_REDIS_URL", "HIRAKU_S3_BUCKET", "HIRAKU_PORT"} <= names
    deploy = (DOCS / "deploy.md").read_text(encoding="utf-8")
    missing = sorted(name for name in names if f"`{name}`" not in deploy)
    assert not missing, f"add these to docs/deploy.md: {missing}"


def test_every_api_action_is_in_the_api_docs():
    from hiraku.api.registry import all_actions

    api_doc = DOCS / "api.md"
    if not api_doc.exists():
        pytest.skip("docs/api.md is not written yet (the API engineer's page)")
    actions = all_actions()
    assert actions, "no API action is registered"
    text = api_doc.read_text(encoding="utf-8")
    missing = sorted(name for name in actions if name not in text)
    assert not missing, f"add these actions to docs/api.md: {missing}"


def test_the_docs_index_links_every_page():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    pages = sorted(
        p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if p.name != "index.md"
    )
    assert len(pages) >= 8
    missing = [page for page in pages if f"({page})" not in index]
    assert not missing, f"link these from docs/index.md: {missing}"


def test_every_link_between_docs_resolves():
    broken = []
    for page in [*DOCS.rglob("*.md"), ROOT / "README.md"]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # http(s), mailto
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, broken
