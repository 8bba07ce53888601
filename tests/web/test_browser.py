"""One end-to-end run in a real browser (Debian's chromium via Playwright) against a live server:
search, open a dataset, download a file, sign in, create a dataset, upload with the progress bar."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="apt-get install chromium"),
]


def test_citizen_and_staff_journey(
    live_server, transactional_db, catalog, uploaded, tmp_path, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM checks below are plain
    # synchronous calls made while the browser is open.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    upload_file = tmp_path / "避難所一覧.csv"
    upload_file.write_bytes("名称,住所\n鶴ヶ城体育館,追手町\n".encode() * 2000)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ja-JP", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15000)

        # Search from the home page and open the dataset.
        page.goto(live_server.url + "/")
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        page.get_by_label("データセットを検索").fill("AED")
        page.get_by_role("button", name="検索").click()
        expect(page.locator(".result-count")).to_contain_text("1 件")
        page.get_by_role("link", name="AED設置箇所一覧").click()
        expect(page.locator("h1")).to_contain_text("AED設置箇所一覧")

        # Download the current file.
        with page.expect_download() as info:
            page.locator("a.button", has_text="ダウンロード").first.click()
        download = info.value
        assert download.suggested_filename == "AED一覧.csv"
        assert Path(download.path()).read_bytes().startswith("名称,住所".encode())

        # Sign in as an editor of 情報政策課.
        page.get_by_role("link", name="ログイン").click()
        page.get_by_label("ユーザー名").fill("joho_editor")
        page.get_by_label("パスワード").fill("pw-joho_editor-12345")
        page.get_by_role("button", name="ログイン").click()
        expect(page.get_by_role("link", name="マイページ")).to_be_visible()

        # Create a dataset.
        page.goto(live_server.url + "/dataset/new/")
        page.get_by_label("タイトル", exact=False).first.fill("避難所一覧")
        page.locator("#id_name").fill("shelters")
        page.locator("#id_owner_org").select_option("joho")
        page.locator("#id_tags").fill("防災, 避難所")
        page.get_by_role("button", name="データセットを作成").click()
        expect(page.locator("h1")).to_contain_text("ファイル・リンクを追加")

        # Upload a file through the progress-bar form (XMLHttpRequest).
        xhr_posts = []
        page.on(
            "request",
            lambda r: (
                r.method == "POST"
                and r.headers.get("x-requested-with") == "XMLHttpRequest"
                and xhr_posts.append(r.url)
            ),
        )
        page.locator("#id_upload").set_input_files(str(upload_file))
        page.get_by_role("button", name="追加").click()
        page.wait_for_url("**/resource/*/")
        expect(page.locator("h1")).to_contain_text("避難所一覧.csv")
        expect(page.locator(".data-table")).to_contain_text("v1")
        assert page.locator("progress").count() == 0  # we left the upload page
        assert len(xhr_posts) == 1 and xhr_posts[0].endswith("/dataset/shelters/resource/new/")

        context.close()
        browser.close()

    from hiraku.catalog.models import Dataset

    dataset = Dataset.objects.get(name="shelters")
    resource = dataset.resources.get()
    assert resource.current_version.size == upload_file.stat().st_size
    assert os.path.basename(resource.current_version.original_filename) == "避難所一覧.csv"
