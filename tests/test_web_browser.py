"""The web app in a real browser: Playwright driving Debian's chromium, headless.

Set ``OIT_SCREENSHOT_DIR`` to keep the screenshots (the README's comes from here).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from intake.web import create_app
from pdf_factory import make_text_pdf
from test_web import WAITING, make_home, row_of

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed (make test installs it: apt-get install chromium)",
)


@pytest.fixture
def served(tmp_path):
    home, waiting, filed = make_home(tmp_path)
    server = make_server("127.0.0.1", 0, create_app(home), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", home, waiting, filed
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OIT_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_review_search_and_report_in_a_browser(served, browser, tmp_path):
    from playwright.sync_api import expect

    base, home, waiting, filed = served
    shots = _screenshots(tmp_path)
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="th-TH")

    # The queue opens on the first waiting document, its page image drawn.
    page.goto(f"{base}/review")
    expect(page.get_by_test_id("document-name")).to_have_text(WAITING[0][0])
    expect(page.get_by_test_id("proposed-item")).to_have_text("O23")
    expect(page.get_by_test_id("waiting-count")).to_have_text("3")
    expect(page.get_by_text("ประจำเดือนตุลาคม 2564").first).to_be_visible()
    image = page.locator(".preview img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(shots / "review.png"))

    # Accept: the document is filed as proposed and the next one follows.
    page.get_by_test_id("accept").click()
    expect(page.get_by_role("status").first).to_contain_text("บันทึกแล้ว")
    expect(page.get_by_test_id("document-name")).to_have_text(WAITING[1][0])
    expect(page.get_by_test_id("waiting-count")).to_have_text("2")
    row = row_of(home, waiting[0])
    assert (row["status"], row["item"], row["fiscal_year"], row["confirmed"]) == ("filed", "O23", 2565, 1)
    assert (home.root / row["archived_as"]).is_file()

    # Relabel: choose another item and year by hand.
    page.get_by_text("เลือกข้อและปีงบประมาณเอง").click()
    page.get_by_test_id("choose-item").select_option("O35")
    page.get_by_test_id("choose-year").fill("2566")
    page.get_by_test_id("choose-save").click()
    expect(page.get_by_test_id("document-name")).to_have_text(WAITING[2][0])
    row = row_of(home, waiting[1])
    assert (row["status"], row["item"], row["fiscal_year"]) == ("filed", "O35", 2566)
    assert row["archived_as"].startswith("archive/2566/O35/")

    # Pick a candidate for the last one; then the queue is empty.
    page.get_by_test_id("candidate-O13").click()
    expect(page.get_by_role("heading", name="ไม่มีเอกสารรอตรวจทาน")).to_be_visible()
    assert row_of(home, waiting[2])["item"] == "O13"

    # Search, with the match marked in the snippet.
    page.get_by_role("link", name="ค้นหา", exact=True).click()
    page.get_by_test_id("search-query").fill("จัดซื้อ")
    page.get_by_test_id("search-query").press("Enter")
    hits = page.get_by_test_id("hit")
    expect(hits).to_have_count(1)
    expect(hits.first.locator("mark").first).to_have_text("จัดซื้อ")
    hits.first.get_by_role("link").click()
    expect(page.get_by_test_id("document-status")).to_have_text("จัดเก็บแล้ว")
    expect(page.get_by_test_id("events")).to_contain_text("ผู้ตรวจตัดสิน")

    # The coverage report of the chosen year.
    page.goto(f"{base}/report?year=2565")
    report = page.frame_locator("iframe.report")
    expect(report.locator("body")).to_contain_text("2565")
    expect(report.locator("body")).to_contain_text("O23")

    # Upload through the form: the file lands in the inbox.
    page.goto(f"{base}/upload")
    pdf = make_text_pdf(tmp_path / "ประกาศใหม่.pdf", ["ประกาศ"])
    page.get_by_test_id("upload-input").set_input_files(str(pdf))
    page.get_by_role("button", name="ส่งเข้ากล่องรับเข้า").click()
    expect(page.get_by_role("status").first).to_contain_text("ประกาศใหม่.pdf")
    assert (home.inbox / "ประกาศใหม่.pdf").read_bytes() == pdf.read_bytes()

    # Dropping a file anywhere on a page sends it too.
    page.goto(f"{base}/search")
    page.evaluate("""() => {
        const data = new DataTransfer();
        data.items.add(new File(["%PDF-1.7 dropped"], "ลากมาวาง.pdf", {type: "application/pdf"}));
        const init = {dataTransfer: data, bubbles: true, cancelable: true};
        document.body.dispatchEvent(new DragEvent("dragenter", init));
        document.body.dispatchEvent(new DragEvent("drop", init));
    }""")
    expect(page.locator("#upload-status")).to_contain_text("ลากมาวาง.pdf")
    assert (home.inbox / "ลากมาวาง.pdf").read_bytes() == b"%PDF-1.7 dropped"


def test_pages_fit_a_phone(served, browser, tmp_path):
    base, home, waiting, filed = served
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                            is_mobile=True, has_touch=True)
    for path in ("/review", "/search?q=องค์การ", "/report?year=2565", f"/documents/{filed}", "/upload"):
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a phone screen"
    page.goto(f"{base}/review")
    page.screenshot(path=str(_screenshots(tmp_path) / "review-phone.png"), full_page=False)


def test_a_page_pdfium_cannot_draw_says_so(served, browser):
    from playwright.sync_api import expect

    base, home, waiting, filed = served
    (home.root / row_of(home, waiting[0])["archived_as"]).write_bytes(b"%PDF-1.7 broken")
    page = browser.new_page()
    page.goto(f"{base}/review/{waiting[0]}")
    expect(page.locator(".no-preview")).to_be_visible()
    expect(page.get_by_test_id("accept")).to_be_visible()
