"""The preview in a real browser (Debian's chromium): sort, page and search without a reload."""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="apt-get install chromium"),
]


def test_preview_pages_sorts_and_searches_in_place(
    live_server, transactional_db, served, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    url = f"{live_server.url}/dataset/public-aed/resource/{served.resource.pk}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="ja-JP")
        page.set_default_timeout(15000)
        page.goto(url)
        preview = page.locator("[data-datastore-preview]")
        expect(preview.locator(".datastore-preview__count")).to_contain_text("130 件中 1–50")
        page.evaluate("window.__marker = 1")  # survives only if the page is not reloaded

        preview.get_by_role("link", name="次へ / Next →").click()
        expect(page.locator(".datastore-preview__count")).to_contain_text("51–100")
        assert "dt_page=2" in page.url

        page.get_by_role("link", name="定員 降順 / descending").click()
        expect(page.locator(".datastore-preview__table tbody tr").first).to_contain_text(
            "鶴ヶ城公園"
        )

        page.get_by_label("絞り込み / Search").fill("図書館")
        page.get_by_role("button", name="検索 / Search").click()
        expect(page.locator(".datastore-preview__count")).to_contain_text("1 件中 1–1")
        expect(page.locator(".datastore-preview__table tbody")).to_contain_text("会津図書館")
        assert page.evaluate("window.__marker") == 1
        browser.close()
