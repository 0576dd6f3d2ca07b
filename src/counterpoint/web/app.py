"""The local web app: the story library in a browser, and a small JSON API.

    create_app(store) -> FastAPI

Pages are rendered on the server with the report's own Jinja2 templates
(``render/templates``; the pages here extend ``base.html.j2`` and
``report.html.j2``), autoescape on. Article text is untrusted: it reaches a
page only through autoescape or ``render.html.highlight`` (which escapes every
slice). Nothing on a page is fetched from another origin, and every response
carries a Content-Security-Policy that forbids inline scripts and event
handlers; the report's script is served as ``/static/report.js``.

Analyses run in one background thread, one at a time (the models are loaded
once per process and the work is CPU-bound); a story's queued request absorbs
later ones. Pages poll ``/api/stories/{id}/status``.

Every JSON error is built by ``error_response``: ``{"ok": false, "error":
message, "status": code}``. HTML pages get the same message on an HTML page.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from .. import __version__
from ..errors import ConfigError, CounterpointError, NoDossier, StoreError, StoryNotFound
from ..render.html import build_view, highlighted_document, make_environment

log = logging.getLogger("counterpoint.web")

HERE = Path(__file__).parent
PAGE_TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

MAX_UPLOAD_BYTES = 20_000_000   # one request; ingest still refuses any one article over 5 MB (`too-large`)
MAX_UPLOAD_FILES = 50
MAX_TEXT_FIELD_BYTES = 5_000_000  # pasted text: the same limit as one article file
CACHE_SIZE = 64  # rendered dossier pages and serialised dossiers, a few per story
PASTED = "pasted.txt"  # pasted text is read as a .txt file: first line the headline, never sniffed as HTML

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",             # no 'unsafe-inline': inline scripts and on* handlers never run
    "style-src 'self' 'unsafe-inline'",  # the report's <style> and its bar widths
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


# --- errors ------------------------------------------------------------------

def error_response(status: int, message: str, headers: dict | None = None, **extra: Any) -> JSONResponse:
    """Every JSON error the app sends: ``{"ok": false, "error": message, "status": status}``."""
    return JSONResponse({"ok": False, "error": message, "status": status, **extra},
                        status_code=status, headers=headers)


class UploadRejected(HTTPException):
    """Nothing in an upload could be added; ``skipped`` says which file and why (reason codes)."""

    def __init__(self, skipped: list[dict]):
        self.skipped = skipped
        lines = "; ".join(f"{s['source']}: {s['detail']} [{s['code']}]" for s in skipped)
        super().__init__(422, f"nothing was added: {lines}")


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"the upload is over the {limit / 1e6:g} MB limit for one request; "
                              "send fewer or smaller files")


def wants_html(request: Request) -> bool:
    """Browsers on pages get an HTML error page; the API and scripts get JSON."""
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json") or path.startswith("/static/"):
        return False
    return "text/html" in request.headers.get("accept", "")


# --- background analyses -----------------------------------------------------

class Cache:
    """A small thread-safe map that forgets its oldest entry when full."""

    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._items: dict[tuple, Any] = {}

    def get(self, key: tuple) -> Any:
        with self._lock:
            return self._items.get(key)

    def put(self, key: tuple, value: Any) -> None:
        with self._lock:
            if key not in self._items and len(self._items) >= self.size:
                self._items.pop(next(iter(self._items)))
            self._items[key] = value


@dataclass
class Job:
    story: int
    state: str = "queued"        # queued | running | done | failed
    stage: str | None = None
    step: int = 0
    steps: int = 0
    error: str | None = None
    queued_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None

    def as_json(self) -> dict:
        return asdict(self)


class Analyses:
    """One worker thread runs analyses in order; a queued request for a story absorbs later ones."""

    def __init__(self, store, load_resources: Callable[[], Any], steps: int):
        self.store = store
        self.load_resources = load_resources
        self.steps = steps
        self._lock = threading.Lock()
        self._jobs: dict[int, Job] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counterpoint-analysis")
        self._options: dict[int, dict] = {}
        self.generation = 0  # bumped when an analysis ends: part of every cache key

    def request(self, story_id: int, **options) -> Job:
        with self._lock:
            if options:
                self._options[story_id] = options
            job = self._jobs.get(story_id)
            if job is not None and job.state == "queued":
                return job
            job = Job(story=story_id, steps=self.steps, queued_at=time.time())
            self._jobs[story_id] = job
        self._pool.submit(self._run, job)
        return job

    def status(self, story_id: int) -> Job | None:
        with self._lock:
            return self._jobs.get(story_id)

    def busy(self) -> bool:
        with self._lock:
            return any(j.state in ("queued", "running") for j in self._jobs.values())

    def wait(self, story_id: int, timeout: float = 300.0) -> Job | None:
        """Block until the story's latest analysis has finished (tests, scripts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.status(story_id)
            if job is None or job.state in ("done", "failed"):
                return job
            time.sleep(0.05)
        raise TimeoutError(f"the analysis of story {story_id} did not finish in {timeout:g} s")

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job) -> None:
        with self._lock:
            job.state, job.started_at = "running", time.time()
            options = self._options.pop(job.story, {})

        def on_stage(name: str) -> None:
            job.stage, job.step = name, min(job.step + 1, job.steps)

        try:
            job.stage = "loading models"
            res = self.load_resources()
            self.store.analyze(job.story, res, on_stage=on_stage, **options)
        except CounterpointError as e:
            job.error, job.state = str(e), "failed"
        except Exception:  # a bug: the page says so, the log has the traceback
            log.exception("analysis of story %s failed", job.story)
            job.error, job.state = "internal error during the analysis; the server log has the details", "failed"
        else:
            job.stage, job.step, job.state = None, job.steps, "done"
        finally:
            job.finished_at = time.time()
            with self._lock:
                self.generation += 1


# --- ASGI middleware ---------------------------------------------------------

class SecurityHeaders:
    """Adds the security headers to every response, and turns an unhandled error into a JSON 500.

    It sits outside Starlette's own error middleware's reach on purpose: a 500
    must carry the same headers and the same error shape as everything else.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for k, v in SECURITY_HEADERS.items():
                    headers[k] = v
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            resp = error_response(500, "internal error; the server log has the details")
            await resp(scope, receive, send_with_headers)


class RequestGuard:
    """Upload size limit (413), and no cross-site form posts or foreign Host names.

    The app has no login: it trusts whoever can reach it. A page on another
    site must not be able to post articles to it (Origin / Sec-Fetch-Site), and
    a DNS name rebound to 127.0.0.1 must not be able to read it (Host).
    """

    def __init__(self, app, limit: int, allowed_hosts: tuple[str, ...] | None):
        self.app = app
        self.limit = limit
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        refusal = self.refuse(request)
        if refusal:
            status, message = refusal
            return await make_error(request, status, message)(scope, receive, send)
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited_receive, send)

    def refuse(self, request: Request) -> tuple[int, str] | None:
        host = request.headers.get("host") or ""
        host = host[: host.find("]") + 1] if host.startswith("[") else host.split(":")[0]
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return 400, f"unexpected Host {host!r}; open the app at http://127.0.0.1 instead"
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if request.headers.get("sec-fetch-site") == "cross-site" or (
                    origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host")):
                return 403, "cross-site requests are refused; use the app's own pages"
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.limit:
            return 413, BodyTooLarge(self.limit).detail
        return None


def make_error(request: Request, status: int, message: str, headers: dict | None = None, **extra) -> Response:
    if wants_html(request):
        page = render_page("error.html.j2", status=status, message=message, story=None)
        return HTMLResponse(page, status_code=status, headers=headers)
    return error_response(status, message, headers, **extra)


# --- templates ---------------------------------------------------------------

def environment():
    env = make_environment(str(PAGE_TEMPLATES))
    env.globals.setdefault("version", __version__)
    return env


def render_page(name: str, **context) -> str:
    return environment().get_template(name).render(**context)


def static_files() -> dict[str, tuple[bytes, str]]:
    """name -> (content, media type): the app's own files, and the report's script as a file."""
    files = {p.name: (p.read_bytes(), STATIC_TYPES[p.suffix]) for p in STATIC.iterdir() if p.suffix in STATIC_TYPES}
    script = environment().get_template("script.js.j2").render()
    files["report.js"] = (script.encode("utf-8"), STATIC_TYPES[".js"])
    return files


# --- the store, as the app sees it -------------------------------------------

def story_json(info) -> dict:
    out = asdict(info)
    out["links"] = {"page": f"/stories/{info.id}", "dossier": f"/api/stories/{info.id}/dossier",
                    "status": f"/api/stories/{info.id}/status", "articles": f"/api/stories/{info.id}/articles"}
    return out


def article_json(a) -> dict:
    return {"id": a.id, "source": a.source, "title": a.title, "author": a.author, "published": a.published}


def story_ref(ref: str) -> int | str:
    return int(ref) if ref.isdigit() else ref


def source_name(filename: str | None, n: int) -> str:
    """The file's own name, without any folder a browser may send."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name.strip()
    return name[:200] or f"upload-{n}"


async def read_articles(request: Request) -> tuple[list, list[str], bool]:
    """The multipart (or urlencoded) body: ``files`` (any number), ``text`` and ``analyze``.

    Returns (articles and skipped inputs, the sources read, whether to re-analyse).
    """
    from ..store import parse_upload  # ingest's reading of a file of that name: same limits and reason codes

    try:
        form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=20, max_part_size=MAX_TEXT_FIELD_BYTES)
    except MultiPartException as e:
        raise HTTPException(400, f"the upload could not be read: {e.message}") from None
    items, sources = [], []
    try:
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        for n, f in enumerate(uploads, 1):
            name = source_name(f.filename, n)
            data = await f.read()
            if not name.startswith("upload-") or data:  # an empty file input sends one nameless empty part
                sources.append(name)
                items.extend(await run_in_threadpool(parse_upload, name, data))
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            sources.append(PASTED)
            items.extend(await run_in_threadpool(parse_upload, PASTED, text.encode("utf-8")))
        analyse = str(form.get("analyze", "true")).strip().lower() not in ("false", "0", "no", "off")
    finally:
        await form.close()
    if not sources:
        raise HTTPException(400, "nothing to add: send files in the `files` field or article text in the `text` field")
    return items, sources, analyse


def add_result_json(result) -> dict:
    return {
        "added": [article_json(a) for a in result.added],
        "duplicates": [{"source": s, "duplicate_of": d} for s, d in result.duplicates],
        "skipped": [{"source": s.source, "code": s.code, "detail": s.detail} for s in result.skipped],
    }


# --- the app -----------------------------------------------------------------

def create_app(store, *, load_resources: Callable[[], Any] | None = None,
               max_upload_bytes: int = MAX_UPLOAD_BYTES, allowed_hosts: tuple[str, ...] | None = None) -> FastAPI:
    """The web app over ``store`` (a ``counterpoint.store.Store``).

    ``load_resources`` gives the models for an analysis (default: the shared,
    once-per-process ``Resources``). ``allowed_hosts``: the Host names the app
    answers (``counterpoint serve`` passes the loopback names); None for any.
    """
    from ..pipeline import STAGES

    if load_resources is None:
        from ..resources import shared as load_resources

    app = FastAPI(title="Counterpoint", version=__version__,
                  description="The story library: stories, dossiers (the JSON contract) and article uploads.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")  # /docs is our own page: no CDN
    analyses = Analyses(store, load_resources, steps=len(STAGES))
    app.state.store, app.state.analyses = store, analyses
    statics = static_files()
    cache = Cache(CACHE_SIZE)

    app.add_middleware(RequestGuard, limit=max_upload_bytes, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)  # added last = outermost: it sees every response
    app.router.add_event_handler("shutdown", analyses.shutdown)

    # -- error handlers: one shape for every JSON error
    @app.exception_handler(HTTPException)
    async def on_http_error(request: Request, exc: HTTPException):
        extra = {"skipped": exc.skipped} if isinstance(exc, UploadRejected) else {}
        return make_error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None), **extra)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError):
        parts = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()]
        return make_error(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(CounterpointError)
    async def on_counterpoint_error(request: Request, exc: CounterpointError):
        if isinstance(exc, (StoryNotFound, NoDossier)):
            status = 404
        elif isinstance(exc, ConfigError):  # a bad story name
            status = 422
        elif isinstance(exc, StoreError) and "busy" in str(exc):
            status = 503
        else:
            status = 400
        return make_error(request, status, str(exc))

    # -- helpers over the store (sync: FastAPI runs plain-def endpoints in its thread pool)
    def find_story(ref: str):
        return store.story(story_ref(ref))

    def job_json(info) -> dict:
        job = analyses.status(info.id)
        out = job.as_json() if job else {"story": info.id, "state": "idle", "stage": None, "step": 0,
                                          "steps": analyses.steps, "error": None}
        out.update(stale=info.stale, articles=info.articles, analysed_at=info.analysed_at)
        return out

    def cache_key(kind: str, info, job: Job | None = None) -> tuple:
        # analysed_at has whole seconds: the generation tells apart two analyses in one second in this process.
        # A page shows the analysis state (its stage is kept fresh by app.js polling the status endpoint).
        return (kind, info.id, info.analysed_at, info.stale, info.articles, analyses.generation,
                job.state if job else None)

    def dossier_page(info) -> str:
        job = analyses.status(info.id)
        key = cache_key("html", info, job)
        page = cache.get(key)
        if page is not None:
            return page
        dossier = store.dossier(info.id)
        if dossier is None:
            return render_page("pending.html.j2", story=info, job=job,
                               articles=store.articles(info.id))
        page = render_page("dossier.html.j2", view=build_view(dossier), story=info, job=job)
        cache.put(key, page)
        return page

    async def add_articles(request: Request, ref: str) -> tuple[Any, dict, Job | None, int]:
        info = await run_in_threadpool(find_story, ref)
        items, _, analyse = await read_articles(request)
        result = await run_in_threadpool(store.add_articles, info.id, items)
        out = add_result_json(result)
        if not result.added and result.skipped and not result.duplicates:
            raise UploadRejected(out["skipped"])
        job = analyses.request(info.id) if result.added and analyse else None
        return info, out, job, 201 if result.added else 200

    # -- JSON API
    @app.get("/api/stories", summary="List the stories in the library")
    def api_stories():
        return {"ok": True, "stories": [story_json(s) for s in store.stories()]}

    @app.post("/api/stories", status_code=201, summary="Create a story (or return the one with that name)")
    async def api_create_story(request: Request):
        name = await story_name(request)
        info = await run_in_threadpool(store.ensure_story, name)
        return {"ok": True, "story": story_json(info)}

    @app.get("/api/stories/{ref}", summary="One story: its name, article count and analysis state")
    def api_story(ref: str):
        return {"ok": True, "story": story_json(find_story(ref))}

    @app.get("/api/stories/{ref}/dossier", summary="The story's last dossier (the JSON contract, schema version 1)")
    def api_dossier(ref: str):
        info = find_story(ref)
        key = cache_key("json", info)
        body = cache.get(key)
        if body is None:
            dossier = store.dossier(info.id)
            if dossier is None:
                raise HTTPException(404, f"story {info.id} ({info.name}) has not been analysed yet; "
                                         f"POST /api/stories/{info.id}/analyze")
            body = json.dumps(dossier, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            cache.put(key, body)
        return Response(body, media_type="application/json")

    @app.get("/api/stories/{ref}/articles", summary="The story's stored articles (without their text)")
    def api_articles(ref: str):
        info = find_story(ref)
        return {"ok": True, "story": info.id, "articles": [article_json(a) for a in store.articles(info.id)]}

    @app.post("/api/stories/{ref}/articles", summary="Add articles: multipart `files` and/or a `text` field",
              openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                  "type": "object", "properties": {
                      "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                                "description": ".txt/.md, .html/.htm or .jsonl files, as the CLI reads them"},
                      "text": {"type": "string", "description": "pasted article text (first line: the headline)"},
                      "analyze": {"type": "string", "enum": ["true", "false"],
                                  "description": "re-run the analysis in the background (default true)"}}}}}}},
              responses={201: {"description": "articles added; `analysis` is the queued job"},
                         413: {"description": "over the upload size limit"},
                         422: {"description": "nothing could be added; `skipped` names each file and its reason code"}})
    async def api_add_articles(request: Request, ref: str):
        info, out, job, status = await add_articles(request, ref)
        info = await run_in_threadpool(store.story, info.id)
        return JSONResponse({"ok": True, "story": story_json(info), **out,
                             "analysis": job_json(info) if job else None}, status_code=status)

    @app.post("/api/stories/{ref}/analyze", status_code=202, summary="Re-run the story's analysis in the background")
    def api_analyze(ref: str):
        info = find_story(ref)
        if not info.articles:
            raise HTTPException(409, f"story {info.id} ({info.name}) has no articles; add some first")
        analyses.request(info.id)
        return {"ok": True, "analysis": job_json(info)}

    @app.get("/api/stories/{ref}/status", summary="The story's analysis: queued, running (stage, step of steps), done or failed")
    def api_status(ref: str):
        return job_json(find_story(ref))

    # -- pages
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_stories():
        infos = store.stories()
        return render_page("stories.html.j2", stories=infos, story=None,
                           jobs={s.id: analyses.status(s.id) for s in infos})

    @app.post("/stories", include_in_schema=False)
    async def page_create_story(request: Request):
        name = await story_name(request)
        info = await run_in_threadpool(store.ensure_story, name)
        return RedirectResponse(f"/stories/{info.id}/add", status_code=303)

    @app.get("/stories/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def page_story(ref: str):
        return dossier_page(find_story(ref))

    @app.get("/stories/{ref}/add", response_class=HTMLResponse, include_in_schema=False)
    def page_add(ref: str):
        info = find_story(ref)
        return render_page("add.html.j2", story=info, job=analyses.status(info.id), result=None,
                           max_bytes=max_upload_bytes)

    @app.post("/stories/{ref}/add", response_class=HTMLResponse, include_in_schema=False)
    async def page_add_post(request: Request, ref: str):
        try:
            info, out, job, _ = await add_articles(request, ref)
            status = 200
        except UploadRejected as e:
            info = await run_in_threadpool(find_story, ref)
            out, job, status = {"added": [], "duplicates": [], "skipped": e.skipped}, None, 422
        info = await run_in_threadpool(store.story, info.id)
        page = render_page("add.html.j2", story=info, job=job or analyses.status(info.id), result=out,
                           max_bytes=max_upload_bytes)
        return HTMLResponse(page, status_code=status)

    @app.post("/stories/{ref}/analyze", include_in_schema=False)
    def page_analyze(ref: str):
        info = find_story(ref)
        if not info.articles:
            raise HTTPException(409, f"story {info.id} ({info.name}) has no articles; add some first")
        analyses.request(info.id)
        return RedirectResponse(f"/stories/{info.id}/add", status_code=303)

    @app.get("/stories/{ref}/articles/{doc}", response_class=HTMLResponse, include_in_schema=False)
    def page_article(ref: str, doc: str):
        info = find_story(ref)
        dossier = store.dossier(info.id) or {}
        found = next((d for d in dossier.get("documents") or [] if str(d.get("id")) == doc), None)
        if found is not None:
            text = highlighted_document(found, dossier.get("quotes") or [], dossier.get("timeline") or [],
                                        dossier.get("arguments") or [], support_class="kp")
            view = build_view({**dossier, "documents": [found]})
            return render_page("article.html.j2", story=info, doc=found, text=text, view=view,
                               quotes=[q for q in dossier.get("quotes") or [] if str(q.get("doc")) == doc],
                               points=[a for a in dossier.get("arguments") or []
                                       if any(str(s.get("doc")) == doc for s in a.get("support") or [])],
                               analysed=True, job=analyses.status(info.id))
        stored = next((a for a in store.articles(info.id) if a.id == doc), None)
        if stored is None:
            raise HTTPException(404, f"story {info.id} has no article {doc!r}")
        plain = {"id": stored.id, "title": stored.title, "source": stored.source, "text": stored.text,
                 "site": stored.site, "author": stored.author, "published": stored.published, "url": stored.url}
        return render_page("article.html.j2", story=info, doc=plain, text=highlighted_document(plain, []),
                           view=None, quotes=[], points=[], analysed=False, job=analyses.status(info.id))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def page_docs():
        spec = app.openapi()
        endpoints = [{"method": m.upper(), "path": p, "summary": op.get("summary") or "",
                      "responses": sorted((op.get("responses") or {}).keys())}
                     for p, ops in spec.get("paths", {}).items() for m, op in ops.items()]
        return render_page("docs.html.j2", endpoints=endpoints, story=None)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str):
        if name not in statics:
            raise HTTPException(404, f"no static file {name!r}")
        content, media = statics[name]
        return Response(content, media_type=media, headers={"cache-control": "no-cache"})

    return app


async def story_name(request: Request) -> str:
    """A story's name from a JSON body ``{"name": ...}`` or a form field ``name``."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            raise HTTPException(400, "the body is not valid JSON; send {\"name\": \"...\"}") from None
        name = body.get("name") if isinstance(body, dict) else None
    else:
        name = (await request.form()).get("name")
    if not isinstance(name, str) or not name.strip():
        raise HTTPException(422, "a story needs a name: send `name`")
    if len(name) > 200:
        raise HTTPException(422, "a story's name is at most 200 characters")
    return name.strip()
