"""The web app as a person uses it: the real server, a real headless Chromium (Debian's, via playwright).

Skipped only where /usr/bin/chromium or the playwright package is missing (``./dev test`` installs both).
Each test fails on any console error, page error, dialog, or request that leaves the server's origin.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("COUNTERPOINT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "counterpoint" / "examples" / "story"
# Set to a path (docs/img/dossier.png) to refresh the README's screenshot from the browser test.
SCREENSHOT_ENV = "COUNTERPOINT_SCREENSHOT"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # the dossier comes from a real analysis
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

PAYLOAD_TEXT = (
    "Ferry campaigners rally <script>window.__pwned = 'headline'; document.title = 'pwned'</script>\n"
    "Campaigners gathered at the Harbour Road pier on Saturday to demand that the ferry keep running. "
    "<img src=x onerror=\"window.__pwned = 'img'; alert('img')\"> "
    "\"The ferry is the only way many of us can reach the mainland,\" said organiser Mia Lund. "
    "<svg onload=\"window.__pwned = 'svg'\"></svg> The council will vote on the closure next month.\n"
)
PAYLOAD_FILE = (
    "Letter: keep our boat <script>alert('file')</script>\n"
    "I have taken the ferry to work for twenty years. <a href=\"javascript:window.__pwned='link'\">click</a> "
    "Closing it would cut the island off from the hospital, the schools and the shops. "
    "<iframe src=\"http://example.com/\"></iframe> The council should find the money.\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory, res):
    """The real app over a temp store holding the bundled story, analysed once."""
    from counterpoint.store import Store, read_items
    from counterpoint.web.app import create_app
    from counterpoint.web.server import BackgroundServer

    store = Store(tmp_path_factory.mktemp("web") / "browser.db")
    info = store.ensure_story("harbour-ferry")
    store.add_articles(info.id, read_items([str(p) for p in sorted(EXAMPLES.iterdir())]))
    store.analyze(info.id, res)
    app = create_app(store, load_resources=lambda: res)
    with BackgroundServer(app) as url:
        yield url, app, store
    store.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    url = server[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    trouble: list[str] = []
    page.on("console", lambda m: trouble.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: trouble.append(f"page error: {e}"))

    def on_dialog(d):
        trouble.append(f"dialog: {d.message}")
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: None if r.url.startswith(url) else trouble.append(f"external request: {r.url}"))
    page.trouble = trouble
    yield page
    context.close()
    assert trouble == []


def assert_nothing_ran(page):
    # the whole page parsed first: "#result" can be in the DOM before the scripts at the end of the body are
    page.wait_for_load_state("domcontentloaded")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() != "pwned"
    scripts = page.evaluate("Array.from(document.scripts, s => s.getAttribute('src'))")
    assert scripts == ["/static/report.js", "/static/app.js"]
    assert page.locator("img[src=x], svg[onload], iframe").count() == 0


def test_browser_story_list_then_dossier(page, server, tmp_path):
    url = server[0]
    page.goto(url + "/")
    assert page.locator("h1").inner_text() == "Stories"
    page.get_by_role("link", name="harbour-ferry").or_(page.locator("table.stories a").first).first.click()
    page.wait_for_url(url + "/stories/1")
    for section in ("claim", "stance", "arguments", "timeline", "cast", "quotes", "checks", "documents"):
        assert page.locator(f"section#{section}").count() == 1
    # the report's own script runs under the app's CSP (served as a file)
    expand = page.locator("#cp-expand")
    expand.click()
    assert expand.get_attribute("aria-pressed") == "true"
    assert page.locator("details[open]").count() == page.locator("details").count()
    page.locator("#cp-expand").click()
    page.screenshot(path=str(tmp_path / "dossier.png"))
    if os.environ.get(SCREENSHOT_ENV):
        page.screenshot(path=os.environ[SCREENSHOT_ENV])
    # an article on its own page, with its highlights
    page.locator("article.doc a", has_text="Open this article").first.click()
    page.wait_for_url(url + "/stories/1/articles/d1")
    assert page.locator("article.doc mark").count() > 0
    assert page.locator("#quotes blockquote").count() > 0


def test_browser_upload_with_markup_shows_it_as_text_and_runs_nothing(page, server, tmp_path):
    url, app, store = server
    before = store.story(1).articles
    upload = tmp_path / "letter.txt"
    upload.write_text(PAYLOAD_FILE, encoding="utf-8")
    page.goto(url + "/stories/1/add")
    page.locator("#text").fill(PAYLOAD_TEXT)
    page.locator("#files").set_input_files(str(upload))
    page.locator("#cp-add button[type=submit]").click()
    page.wait_for_selector("#result")
    assert "Added 2 articles" in page.locator("#result").inner_text()
    assert_nothing_ran(page)
    # the progress indicator follows the background analysis to the end
    page.locator("#cp-progress").wait_for()
    page.locator(".cp-progress-done").wait_for(state="visible", timeout=300_000)
    assert page.locator("#cp-progress progress").evaluate("p => p.value === p.max")
    page.locator(".cp-progress-done").click()
    page.wait_for_url(url + "/stories/1")
    assert store.story(1).articles == before + 2 and not store.story(1).stale
    text = page.locator("#documents").inner_text()
    assert "<script>window.__pwned = 'headline'; document.title = 'pwned'</script>" in text
    assert "<img src=x onerror=\"window.__pwned = 'img'; alert('img')\">" in text
    assert "<iframe src=\"http://example.com/\"></iframe>" in text
    assert_nothing_ran(page)
    page.screenshot(path=str(tmp_path / "dossier-after-upload.png"), full_page=False)
    # and on each article's own page (files are added first, then the pasted text)
    page.goto(f"{url}/stories/1/articles/d{before + 1}")
    assert "<a href=\"javascript:window.__pwned='link'\">click</a>" in page.locator("article.doc").inner_text()
    assert page.locator("article.doc a[href^=javascript]").count() == 0
    assert_nothing_ran(page)
    page.goto(f"{url}/stories/1/articles/d{before + 2}")
    assert "<svg onload=" in page.locator("article.doc").inner_text()
    assert "Ferry campaigners rally <script>" in page.locator("h1").inner_text()
    assert page.locator("article.doc mark").count() > 0  # analysed: its sentences are highlighted
    assert_nothing_ran(page)
    page.screenshot(path=str(tmp_path / "article.png"))


def test_browser_bad_upload_names_the_file_and_reason(page, server, tmp_path):
    url = server[0]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    page.goto(url + "/stories/1/add")
    page.locator("#files").set_input_files(str(scan))
    with page.expect_response(lambda r: r.url.endswith("/stories/1/add") and r.request.method == "POST") as resp:
        page.locator("#cp-add button[type=submit]").click()
    assert resp.value.status == 422
    skipped = page.locator("ul.skipped").inner_text()
    assert "scan.pdf" in skipped and "binary" in skipped
    page.trouble[:] = [t for t in page.trouble if "422" not in t]  # the browser logs the 422 status itself
