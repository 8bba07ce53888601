"""Web test helpers: a dataset with an uploaded file in two versions, and HTML parsing."""

from html.parser import HTMLParser

import pytest

from tests.conftest import make_upload


@pytest.fixture(autouse=True)
def _no_release_gates(monkeypatch):
    """Web tests control release gates themselves (the privacy app's gate holds every version
    whose scan has not run, and scans run after commit, which these tests never reach)."""
    from hiraku.catalog import gates

    monkeypatch.setattr(gates, "_gates", [])


@pytest.fixture
def uploaded(catalog):
    """public-aed gets an uploaded CSV resource with two versions (v1 older, v2 current)."""
    from hiraku.catalog import actions

    resource = actions.resource_create(
        actor=catalog.sysadmin,
        dataset=catalog.aed,
        data={"description": "AED list"},
        upload=make_upload("AED一覧.csv", "名称,住所\n市役所,東栄町\n".encode()),
    )
    actions.resource_update(
        actor=catalog.sysadmin,
        resource=resource,
        data={},
        upload=make_upload("AED一覧.csv", "名称,住所\n市役所,東栄町\n図書館,栄町\n".encode()),
    )
    resource.refresh_from_db()
    return resource


class PageParser(HTMLParser):
    """Collects what the accessibility checks need: tags with attributes, label targets, h1s."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.label_for: set[str] = set()
        self.h1_count = 0
        self._label_depth = 0
        self.wrapped_inputs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = {k: (v or "") for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        if tag in ("input", "select", "textarea") and self._label_depth:
            self.wrapped_inputs.add(attributes.get("id", "") or attributes.get("name", ""))
        if tag == "h1":
            self.h1_count += 1

    def handle_endtag(self, tag):
        if tag == "label" and self._label_depth:
            self._label_depth -= 1


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser
