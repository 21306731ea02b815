"""The demo page in a real headless browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# A real scraped report kept in the repository (the same texture as the seeds).
REPORT = Path(__file__).resolve().parents[2] / "examples" / "report.txt"
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")


def seed_text() -> str:
    return REPORT.read_text(encoding="utf-8")


def test_submit_a_report_and_see_highlights_sections_and_table(live_server, tmp_path):
    from playwright.sync_api import sync_playwright

    text = seed_text()
    ARTEFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        requests_outside = []
        page.on("request", lambda request: requests_outside.append(request.url)
                if not request.url.startswith(live_server.url) else None)
        page.goto(f"{live_server.url}/")
        page.fill("#report", text)
        page.click("#run")
        page.wait_for_selector("#output:not([hidden])", timeout=120_000)

        marks = page.locator("#sections mark")
        assert marks.count() > 0
        labels = set(marks.evaluate_all("nodes => nodes.map(node => node.dataset.label)"))
        assert labels <= {"METRIC", "INSTITUTION", "VALUE", "DATE"}
        for mark in marks.all()[:20]:
            assert mark.inner_text() in text
        assert page.locator("#legend mark").count() == 4
        assert page.locator("#sections .section").count() > 1
        assert page.locator("#sections .badge").count() > 0
        rows = page.locator("#indicators tbody tr")
        status = page.inner_text("#status")
        assert "indicators" in status
        if rows.count() > 1:
            page.click("#indicators th[data-key='metric']")
            assert page.locator("#indicators th.sorted-asc").count() == 1
        with page.expect_download() as download:
            page.click("#download-csv")
        saved = tmp_path / "indicators.csv"
        download.value.save_as(saved)
        assert saved.read_text(encoding="utf-8-sig").startswith("metric,value,number")
        page.screenshot(path=str(ARTEFACTS / "demo-page.png"), full_page=True)
        browser.close()
    assert requests_outside == [], "the page must not load anything from another origin"
    assert (ARTEFACTS / "demo-page.png").stat().st_size > 10_000
