"""The web app through its HTTP interface: pages, the JSON API, one error shape, limits and headers.

Most tests need no models: articles go into a real store with ``analyze=false`` and a hand-made dossier
(the renderer tests' own) is saved beside them. The one test that runs an analysis is marked slow.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from counterpoint.pipeline import text_key
from counterpoint.store import Store
from counterpoint.web.app import CSP, PAGE_TEMPLATES, create_app

from .conftest import assert_killed_story_intact, kill_at_hang_point
from .test_render import TEXT_1, TEXT_2, make_dossier

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "counterpoint" / "examples" / "story"
PAYLOAD = ('Harbour ferry row <script>window.__pwned = 1</script>\n'
           'The council met on Tuesday. <img src=x onerror="window.__pwned = 2"> Riders said the ferry matters.\n')


def no_models():
    raise AssertionError("this test must not load the models")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "web.db")
    yield s
    s.close()


@pytest.fixture
def app(store):
    return create_app(store, load_resources=no_models)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def analysed(store):
    """Story 1 with two articles and the renderer tests' dossier saved as its analysis."""
    info = store.ensure_story("ferry")
    from counterpoint.model import Article

    arts = [Article(id="x", source="a/news.txt", text=TEXT_1, title="Council to end ferry"),
            Article(id="x", source="a/oped.txt", text=TEXT_2, title="Keep the ferry")]
    store.add_articles(info.id, arts)
    store.save_dossier(info.id, make_dossier(), [text_key(TEXT_1), text_key(TEXT_2)])
    return store.story(info.id)


def assert_error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str) and body["error"]
    return body


# --- headers and the error shape ----------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", "/docs"), ("GET", "/openapi.json"), ("GET", "/static/report.js"),
    ("GET", "/static/app.css"), ("GET", "/api/stories"), ("GET", "/stories/1"), ("GET", "/no/such/page"),
    ("DELETE", "/api/stories"), ("GET", "/api/stories/1/dossier"),
])
def test_web_security_headers_on_every_response(client, analysed, method, path):
    r = client.request(method, path)
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    csp = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert "'unsafe-inline'" not in csp["script-src"] and "http" not in CSP
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"


def test_web_error_shape_404_405_422(client, app):
    assert_error(client.get("/api/stories/7"), 404)
    assert_error(client.get("/api/stories/nobody/dossier"), 404)
    assert_error(client.get("/api/no-such-endpoint"), 404)
    body = assert_error(client.delete("/api/stories"), 405)
    assert body["error"] == "Method Not Allowed"
    assert_error(client.post("/api/stories", json={}), 422)
    assert_error(client.post("/api/stories", json={"name": "bad\nname"}), 422)

    @app.get("/api/test-typed/{n}")
    def typed(n: int):  # FastAPI's own validation error goes through the same builder
        return {"n": n}

    body = assert_error(client.get("/api/test-typed/abc"), 422)
    assert "n" in body["error"]


def test_web_error_shape_500_keeps_headers(store):
    class Broken:
        def stories(self):
            raise RuntimeError("boom")

    with TestClient(create_app(Broken(), load_resources=no_models), raise_server_exceptions=False) as c:
        r = c.get("/api/stories")
    body = assert_error(r, 500)
    assert "boom" not in body["error"]  # the traceback is for the server log only
    assert r.headers["content-security-policy"] == CSP


def test_web_html_pages_get_an_html_error_page(client):
    r = client.get("/stories/42", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no story with id 42" in r.text


# --- the JSON API -----------------------------------------------------------------

def test_web_api_stories_and_dossier_contract(client, analysed, validate):
    stories = client.get("/api/stories").json()["stories"]
    assert [(s["id"], s["name"], s["articles"], s["stale"]) for s in stories] == [(1, "ferry", 2, False)]
    assert stories[0]["links"]["dossier"] == "/api/stories/1/dossier"
    r = client.get("/api/stories/1/dossier")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    validate(r.json())
    assert client.get("/api/stories/ferry/dossier").json() == r.json()  # a story by name, too


def test_web_api_add_files_and_text(client, store):
    client.post("/api/stories", json={"name": "library"})
    files = [("files", ("news.txt", (EXAMPLES / "01-news-report.txt").read_bytes(), "text/plain")),
             ("files", ("against.html", (EXAMPLES / "03-oped-against.html").read_bytes(), "text/html"))]
    r = client.post("/api/stories/1/articles", files=files,
                    data={"text": "Keep the library open\nThe branch should stay open for the town's children.",
                          "analyze": "false"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert [a["source"] for a in body["added"]] == ["news.txt", "against.html", "pasted.txt"]
    assert [a["id"] for a in body["added"]] == ["d1", "d2", "d3"]
    assert body["analysis"] is None and body["story"]["stale"] is True
    assert [a.source for a in store.articles(1)] == ["news.txt", "against.html", "pasted.txt"]
    # the same text again is a duplicate, not a second article, and not an error
    r = client.post("/api/stories/1/articles", files=files[:1], data={"analyze": "false"})
    assert r.status_code == 200 and r.json()["duplicates"] == [{"source": "news.txt", "duplicate_of": "news.txt"}]
    listed = client.get("/api/stories/1/articles").json()["articles"]
    assert [a["id"] for a in listed] == ["d1", "d2", "d3"]


@pytest.mark.parametrize("name, data, code", [
    ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00", "binary"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n  ", "empty"),
    ("latin.txt", "Caf\u00e9 society returns\nThe caf\u00e9 reopened on Monday after the fire.".encode("cp1252") + b"\x81\x8d",
     "bad-encoding"),
    ("big.txt", b"word " * 1_100_000, "too-large"),
    ("lines.jsonl", b"not json\n[1, 2]\n", "malformed-jsonl"),
])
def test_web_bad_upload_is_4xx_naming_file_and_code(client, store, name, data, code):
    client.post("/api/stories", json={"name": "s"})
    r = client.post("/api/stories/1/articles", files=[("files", (name, data, "application/octet-stream"))])
    body = assert_error(r, 422)
    assert name in body["error"] and f"[{code}]" in body["error"]
    assert {s["code"] for s in body["skipped"]} == {code}
    assert store.articles(1) == []


def test_web_bad_file_beside_good_ones_is_reported_not_fatal(client):
    client.post("/api/stories", json={"name": "s"})
    r = client.post("/api/stories/1/articles", data={"analyze": "false"}, files=[
        ("files", ("good.txt", (EXAMPLES / "02-oped-for.txt").read_bytes(), "text/plain")),
        ("files", ("scan.pdf", b"%PDF-1.4\x00\x01\x02", "application/pdf"))])
    assert r.status_code == 201
    assert r.json()["skipped"][0]["source"] == "scan.pdf" and r.json()["skipped"][0]["code"] == "binary"


def test_web_upload_without_articles_is_400(client):
    client.post("/api/stories", json={"name": "s"})
    body = assert_error(client.post("/api/stories/1/articles", data={"text": "   "}), 400)
    assert "files" in body["error"] and "text" in body["error"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_web_upload_over_the_limit_is_413(store, chunked):
    store.ensure_story("s")
    app = create_app(store, load_resources=no_models, max_upload_bytes=50_000)
    big = b"The ferry sails at dawn. " * 4000  # 100 kB
    with TestClient(app) as c:
        if chunked:
            boundary = "cpboundary"
            head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
                    "Content-Type: text/plain\r\n\r\n").encode()

            def body():
                yield head
                for i in range(0, len(big), 8192):
                    yield big[i:i + 8192]
                yield f"\r\n--{boundary}--\r\n".encode()

            r = c.post("/api/stories/1/articles", content=body(),
                       headers={"content-type": f"multipart/form-data; boundary={boundary}"})
        else:
            r = c.post("/api/stories/1/articles", files=[("files", ("big.txt", big, "text/plain"))])
    body = assert_error(r, 413)
    assert "0.05 MB" in body["error"]
    assert r.headers["content-security-policy"] == CSP
    assert store.articles(1) == []


def test_web_cross_site_posts_and_foreign_hosts_are_refused(store):
    store.ensure_story("s")
    app = create_app(store, load_resources=no_models, allowed_hosts=("127.0.0.1", "localhost"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/stories").status_code == 200
        body = assert_error(c.post("/api/stories/1/articles", data={"text": "Hello there\nA short article."},
                                   headers={"origin": "http://evil.example"}), 403)
        assert "cross-site" in body["error"]
        assert_error(c.post("/api/stories", json={"name": "x"}, headers={"sec-fetch-site": "cross-site"}), 403)
        ok = c.post("/api/stories", json={"name": "x"}, headers={"origin": "http://127.0.0.1:8000"})
        assert ok.status_code == 201
        assert_error(c.get("/api/stories", headers={"host": "rebound.example:8000"}), 400)


# --- pages ------------------------------------------------------------------------

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_web_pages_render_without_inline_script_or_external_references(client, analysed):
    for path in ("/", "/stories/1", "/stories/1/add", "/stories/1/articles/d1", "/docs"):
        r = client.get(path)
        assert r.status_code == 200, path
        html = r.text
        assert not EXTERNAL.search(html), path
        assert "@import" not in html and "url(" not in html, path
        scripts = re.findall(r"<script\b[^>]*>", html, re.I)
        assert scripts and all('src="/static/' in s for s in scripts), (path, scripts)
        assert not re.search(r"\son[a-z]+\s*=", html, re.I), path  # no inline event handlers


def test_web_dossier_page_is_the_report(client, analysed):
    html = client.get("/stories/1").text
    for section in ("claim", "stance", "arguments", "timeline", "cast", "quotes", "checks", "documents"):
        assert f'id="{section}"' in html
    assert "The Harbour Road ferry should keep running." in html
    assert 'href="/stories/1/articles/d2"' in html
    assert 'href="/stories/1/add"' in html


def test_web_article_page_highlights_quotes_evidence_and_key_points(client, analysed):
    html = client.get("/stories/1/articles/d2").text
    assert '<mark class="ev ev-for">Closing the ferry is a mistake.</mark>' in html
    assert re.search(r'<mark class="[^"]*\bkp\b[^"]*">Islanders who cannot drive depend on it.</mark>', html)
    assert '<mark class="q">It is our only bus,</mark>' in html
    assert "People without cars rely on the ferry." in html
    assert_error(client.get("/stories/1/articles/d9", headers={"accept": "application/json"}), 404)


def test_web_article_text_is_escaped(client, store):
    client.post("/api/stories", json={"name": "s"})
    r = client.post("/api/stories/1/articles", data={"text": PAYLOAD, "analyze": "false"})
    assert r.status_code == 201, r.text
    for path in ("/stories/1/articles/d1", "/stories/1", "/stories/1/add"):
        html = client.get(path).text
        assert "<script>window" not in html and "<img src=x" not in html, path
    html = client.get("/stories/1/articles/d1").text
    assert "&lt;img src=x onerror=&#34;window.__pwned = 2&#34;&gt;" in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html


def test_web_templates_never_mark_text_safe():
    for path in PAGE_TEMPLATES.glob("*.j2"):
        assert "|safe" not in path.read_text(encoding="utf-8").replace(" ", ""), path.name


def test_web_add_form_posts_and_shows_the_result(client, store):
    client.post("/stories", data={"name": "form story"}, follow_redirects=False)
    r = client.post("/stories/1/add", data={"text": "Ferry news\nThe ferry runs again on Monday.", "analyze": "false"},
                    files=[("files", ("scan.pdf", b"%PDF-1.4\x00\x01", "application/pdf"))])
    assert r.status_code == 200 and "Added 1 article" in r.text and "scan.pdf" in r.text and "binary" in r.text
    bad = client.post("/stories/1/add", files=[("files", ("scan.pdf", b"%PDF-1.4\x00\x01", "application/pdf"))])
    assert bad.status_code == 422 and "text/html" in bad.headers["content-type"] and "Not added" in bad.text


def test_web_new_story_form_redirects_to_add(client):
    r = client.post("/stories", data={"name": "new one"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/stories/1/add"
    assert "new one" in client.get("/").text


def test_web_docs_page_lists_every_api_endpoint_from_openapi(client):
    spec = client.get("/openapi.json").json()
    html = client.get("/docs").text
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in html
    assert "/api/stories/{ref}/articles" in spec["paths"]
    body = spec["paths"]["/api/stories/{ref}/articles"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert set(body["schema"]["properties"]) == {"files", "text", "analyze"}
    assert "swagger" not in html.lower() and "cdn" not in html.lower()


def test_web_static_report_script_is_the_reports_own():
    from counterpoint.render.html import TEMPLATES

    app = create_app(None, load_resources=no_models)
    with TestClient(app) as c:
        js = c.get("/static/report.js")
    assert js.headers["content-type"].startswith("text/javascript")
    assert js.text.strip() == (TEMPLATES / "script.js.j2").read_text(encoding="utf-8").strip()


def test_web_standalone_report_still_inlines_its_script():
    from counterpoint.render import render_html

    html = render_html(make_dossier())
    assert html.lower().count("<script>") == 1 and 'src="/static' not in html
    assert "<style>" in html and "/static/" not in html


def test_web_background_analysis_replaces_cached_pages_and_json(store, analysed):
    """A re-analysis within the same second (analysed_at has whole seconds) still shows the new dossier."""
    class QuickStore(Store):
        def analyze(self, story_id, res, *, claim=None, title=None, on_stage=None):
            for stage in ("cast", "quotes"):
                on_stage(stage)
            d = make_dossier()
            d["story"]["title"] = "A second look at the ferry"
            self.save_dossier(story_id, d, [text_key(TEXT_1), text_key(TEXT_2)])
            return d

    quick = QuickStore(store.path)
    app = create_app(quick, load_resources=lambda: None)
    with TestClient(app) as c:
        assert c.get("/api/stories/1/dossier").json()["story"]["title"] == "The Harbour Road ferry"
        assert "The Harbour Road ferry" in c.get("/stories/1").text
        assert c.post("/api/stories/1/analyze").status_code == 202
        job = app.state.analyses.wait(1, timeout=60)
        assert job.state == "done" and job.step == job.steps
        assert c.get("/api/stories/1/dossier").json()["story"]["title"] == "A second look at the ferry"
        assert "A second look at the ferry" in c.get("/stories/1").text
    quick.close()


def test_web_failed_analysis_is_reported_in_the_status(client, store):
    client.post("/api/stories", json={"name": "s"})
    assert_error(client.post("/api/stories/1/analyze"), 409)  # no articles yet
    client.post("/api/stories/1/articles", data={"text": "Ferry news\nThe ferry runs again on Monday."})
    job = client.app.state.analyses.wait(1, timeout=60)
    assert job.state == "failed"  # no_models raised: an internal error, said so without the traceback
    status = client.get("/api/stories/1/status").json()
    assert status["state"] == "failed" and "server log" in status["error"]
    assert "The last analysis failed" in client.get("/stories/1/add").text


# --- a real analysis ----------------------------------------------------------------

@pytest.mark.slow
def test_web_upload_runs_the_analysis_in_the_background(store, res, validate):
    app = create_app(store, load_resources=lambda: res)
    with TestClient(app) as c:
        c.post("/api/stories", json={"name": "demo"})
        files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in sorted(EXAMPLES.iterdir())]
        r = c.post("/api/stories/demo/articles", files=files)
        assert r.status_code == 201, r.text
        assert r.json()["analysis"]["state"] in ("queued", "running")
        job = app.state.analyses.wait(1, timeout=600)
        assert job.state == "done", job.error
        status = c.get("/api/stories/1/status").json()
        assert status["state"] == "done" and status["step"] == status["steps"] and status["stale"] is False
        dossier = validate(c.get("/api/stories/1/dossier").json())
        assert len(dossier["documents"]) == len(r.json()["added"])
        page = c.get("/stories/1").text
        assert dossier["story"]["claim"]["text"] in page.replace("&#39;", "'").replace("&#34;", '"')
        assert json.loads(json.dumps(dossier)) == store.dossier(1)


# --- the command ----------------------------------------------------------------------

def test_web_serve_refuses_a_bad_port(capsys):
    from counterpoint import cli

    assert cli.main(["serve", "--port", "70000"]) == 2
    assert "--port 70000" in capsys.readouterr().err


def test_web_serve_command_answers_on_loopback(tmp_path):
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "served.db"
    proc = subprocess.Popen([sys.executable, "-m", "counterpoint", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else "timeout"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json() == {"ok": True, "stories": []}
        assert r.headers["content-security-policy"] == CSP
        foreign = httpx.get(f"http://127.0.0.1:{port}/", headers={"host": "attacker.example"}, timeout=5)
        assert foreign.status_code == 400  # on loopback only loopback host names are answered
        assert db.exists()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert f"http://127.0.0.1:{port}/" in proc.stderr.read()


@pytest.mark.slow
def test_web_server_killed_mid_analysis_keeps_articles_and_the_last_dossier(tmp_path, res):
    """SIGKILL the server while its background analysis is inside the dossier's transaction: on restart the
    story has every added article and its last complete dossier, and nothing half-written."""
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    from counterpoint import cli
    from counterpoint.store import HANG_ENV

    files = sorted(str(p) for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
    db = str(tmp_path / "served.db")
    assert cli.main(["add", *files[:4], "--story", "castillo", "--db", db, "--quiet"]) == 0
    assert cli.main(["analyze", "--story", "castillo", "--db", db, "--quiet"]) == 0
    with Store(db) as s:
        old = s.dossier(1)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    marker = tmp_path / "hanging"
    env = {**os.environ, HANG_ENV: f"commit:{marker}"}
    proc = subprocess.Popen([sys.executable, "-m", "counterpoint", "serve", "--db", db, "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(base + "/api/stories", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        last = Path(files[4])
        r = httpx.post(base + "/api/stories/castillo/articles", timeout=60,
                       files={"files": (last.name, last.read_bytes())})
        assert r.status_code == 201, r.text
        kill_at_hang_point(proc, marker)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()
    assert_killed_story_intact(db, old)
