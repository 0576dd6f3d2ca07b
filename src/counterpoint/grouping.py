"""Sort a heap of articles into stories, and find the copies among them.

Everything here is a pure function of its arguments: the same articles (and
the same map results) give the same stories, whatever engine or how many
workers computed those map results.

- ``find_copies``: near-duplicates and syndicated copies (one wire text under
  two mastheads, or a trimmed version of it) by shingled word n-gram
  containment. The original is the fullest text of a group of copies.
- ``article_signals``: what grouping reads of one article, from the map's
  results: a lead vector (title and first sentences), a body vector (every
  sentence), the names it mentions, its publication date.
- ``group_articles``: average-linkage clustering of those signals, copies
  kept together; a story of one article is allowed.

The thresholds (``GroupingParams``) were tuned on FNC-1 (``bench/grouping_fnc1.py``,
the ``fit`` part) and are reported on the held-out ``eval`` part.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .model import Annotation, Article

# --- copies -------------------------------------------------------------------

SHINGLE = 5                 # words per shingle
COPY_CONTAINMENT = 0.8      # share of the shorter text's shingles found in the longer one
MIN_SHINGLES = 8            # shorter texts are copies only when their words are equal
MAX_POSTINGS = 500          # a shingle in more texts than this is boilerplate, not evidence of copying

_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def text_words(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text)]


def shingle_set(text: str, n: int = SHINGLE) -> frozenset[int]:
    """Hashes of the word n-grams of ``text`` (case and punctuation ignored)."""
    words = text_words(text)
    if len(words) < n:
        return frozenset({zlib.crc32(" ".join(words).encode("utf-8"))}) if words else frozenset()
    return frozenset(zlib.crc32(" ".join(words[i:i + n]).encode("utf-8")) for i in range(len(words) - n + 1))


def containment(small: frozenset[int], big: frozenset[int]) -> float:
    """Share of ``small``'s shingles that are also in ``big``."""
    if not small:
        return 0.0
    return len(small & big) / len(small)


def find_copies(texts: Sequence[str], threshold: float = COPY_CONTAINMENT,
                dates: Sequence[str | None] | None = None) -> dict[int, int]:
    """{index of a copy: index of its original} among ``texts``.

    Two texts are copies when the shingles of the shorter one are at least
    ``threshold`` contained in the longer one. Copies form groups (union-find).
    A group's original is the text that holds most of the others (a trimmed
    copy does not hold the full text; a masthead line added around a wire text
    does not stop either holding the other); among equals the earliest
    published (``dates``, ISO), then the first in input order. Candidate pairs
    come from an inverted index of shingles, so a heap of thousands is not
    compared pair by pair.
    """
    sets = [shingle_set(t) for t in texts]
    postings: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in s:
            postings[h].append(i)
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, s in enumerate(sets):
        if not s:
            continue
        shared: dict[int, int] = defaultdict(int)
        for h in s:
            docs = postings[h]
            if len(docs) > MAX_POSTINGS:
                continue
            for j in docs:
                if j > i:
                    shared[j] += 1
        for j, n in shared.items():
            small, big = (i, j) if len(sets[i]) <= len(sets[j]) else (j, i)
            if len(sets[small]) < MIN_SHINGLES:
                if text_words(texts[small]) != text_words(texts[big]):
                    continue
            elif n / len(sets[small]) < threshold:
                continue
            ri, rj = root(i), root(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(texts)):
        groups[root(i)].append(i)
    out: dict[int, int] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        def holds(k: int) -> int:
            return sum(1 for o in members if o != k and containment(sets[o], sets[k]) >= threshold)

        def rank(k: int):
            date = (dates[k] if dates else None) or "9999"
            return (-holds(k), date, k)

        original = min(members, key=rank)
        out.update({k: original for k in members if k != original})
    return out


def mark_copies(articles: Sequence[Article], threshold: float = COPY_CONTAINMENT) -> tuple[Article, ...]:
    """The articles with ``copy_of`` set to the id of their original (None for originals)."""
    copies = find_copies([a.text for a in articles], threshold, [a.published for a in articles])
    return tuple(
        a.model_copy(update={"copy_of": articles[copies[i]].id if i in copies else None})
        if a.copy_of != (articles[copies[i]].id if i in copies else None) else a
        for i, a in enumerate(articles)
    )


def original_of(articles: Sequence[Article]) -> dict[str, str]:
    """{doc id: the id it counts as} — a copy counts as its original, everything else as itself."""
    ids = {a.id for a in articles}
    return {a.id: (a.copy_of if a.copy_of in ids else a.id) for a in articles}


def count_sources(docs, originals: Mapping[str, str]) -> int:
    """How many distinct sources ``docs`` are, a copy and its original counted once."""
    return len({originals.get(d, d) for d in docs})


# --- signals ------------------------------------------------------------------

LEAD_SENTENCES = 3
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT"})
_NAME_DROP = re.compile(r"^(the|a|an)\s+|['’]s$")


@dataclass(frozen=True)
class Signals:
    """What grouping reads of one article."""
    lead: np.ndarray               # unit vector of the title and first sentences
    body: np.ndarray               # unit vector of every sentence
    names: frozenset[str]          # folded names of its cast (entities)
    published: str | None = None   # ISO date, when known


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n else v.astype(np.float32)


def fold(name: str) -> str:
    s = " ".join(name.replace("’", "'").lower().split())
    return _NAME_DROP.sub("", s).strip()


def find_names(ann: Annotation) -> frozenset[str]:
    """Folded entity names; a person's surname counts too ('Obama' in one, 'Barack Obama' in another)."""
    out: set[str] = set()
    for e in ann.entities:
        if e.label not in NAME_LABELS:
            continue
        key = fold(e.text)
        if len(key) < 2 or not any(c.isalpha() for c in key):
            continue
        out.add(key)
        if e.label == "PERSON" and " " in key:
            out.add(key.rsplit(" ", 1)[1])
    return frozenset(out)


def article_signals(article: Article, ann: Annotation, vectors: Mapping[str, np.ndarray]) -> Signals:
    """Signals from the map's results (``Prepared.annotation`` and ``Prepared.vectors``)."""
    from .stages.language import sentence_texts

    sents = [s for s in sentence_texts(article, ann) if s in vectors]
    dim = next(iter(vectors.values())).shape[0] if vectors else 384
    lead_texts = sents[:LEAD_SENTENCES]
    if article.title and article.title in vectors and article.title not in lead_texts:
        lead_texts = [article.title] + lead_texts
    lead = _unit(np.sum([vectors[s] for s in lead_texts], axis=0)) if lead_texts else np.zeros(dim, np.float32)
    body = _unit(np.sum([vectors[s] for s in sents], axis=0)) if sents else np.zeros(dim, np.float32)
    return Signals(lead=lead, body=body, names=find_names(ann), published=article.published)


# --- grouping -----------------------------------------------------------------

@dataclass(frozen=True)
class GroupingParams:
    """Weights of the pair similarity and the clustering threshold.

    Chosen by ``bench/grouping_fnc1.py --tune`` (a grid search on the FNC-1 ``fit``
    bodies); the date rule has no FNC-1 evidence (its bodies carry no date).
    """
    w_lead: float = 0.2
    w_body: float = 0.5
    w_names: float = 0.3
    threshold: float = 0.54      # average-linkage similarity at which two groups merge
    max_days: int = 14           # articles published further apart are not one story
    date_penalty: float = 1.0    # subtracted from the similarity of such a pair


DEFAULT_PARAMS = GroupingParams()


def name_weights(signals: Sequence[Signals]) -> dict[str, float]:
    """Inverse document frequency of each name across the heap: a rare shared name says more."""
    df: dict[str, int] = defaultdict(int)
    for s in signals:
        for n in s.names:
            df[n] += 1
    total = len(signals)
    return {n: math.log((1 + total) / (1 + c)) + 1.0 for n, c in df.items()}


def name_similarity(signals: Sequence[Signals], weights: Mapping[str, float]) -> np.ndarray:
    """Weighted overlap of the names of each pair: shared weight / the smaller side's weight."""
    vocab = sorted(weights)
    index = {n: i for i, n in enumerate(vocab)}
    m = np.zeros((len(signals), len(vocab)), dtype=np.float64)
    for r, s in enumerate(signals):
        for n in s.names:
            m[r, index[n]] = weights[n]
    if not vocab:
        return np.zeros((len(signals), len(signals)))
    # a name has one weight in every article, so min(w_i, w_j) is w where both hold it: a matrix product
    present = (m > 0).astype(np.float64)
    shared = (present * m.max(axis=0)) @ present.T
    tot = m.sum(axis=1)
    denom = np.minimum(tot[:, None], tot[None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(denom > 0, shared / denom, 0.0)
    return out


def _days(a: str, b: str) -> int | None:
    try:
        return abs((_dt.date.fromisoformat(a[:10]) - _dt.date.fromisoformat(b[:10])).days)
    except ValueError:
        return None


def similarity_parts(signals: Sequence[Signals], max_days: int = DEFAULT_PARAMS.max_days) -> dict[str, np.ndarray]:
    """The (n, n) pieces of the pair similarity: lead cosine, body cosine, name overlap, dates too far apart."""
    lead = np.stack([s.lead for s in signals]).astype(np.float64)
    body = np.stack([s.body for s in signals]).astype(np.float64)
    far = np.zeros((len(signals), len(signals)), dtype=bool)
    dated = [(i, s.published) for i, s in enumerate(signals) if s.published]
    for x, (i, a) in enumerate(dated):
        for j, b in dated[x + 1:]:
            d = _days(a, b)
            if d is not None and d > max_days:
                far[i, j] = far[j, i] = True
    return {"lead": lead @ lead.T, "body": body @ body.T,
            "names": name_similarity(signals, name_weights(signals)), "far": far}


def combine_parts(parts: Mapping[str, np.ndarray], params: GroupingParams = DEFAULT_PARAMS) -> np.ndarray:
    sim = params.w_lead * parts["lead"] + params.w_body * parts["body"] + params.w_names * parts["names"]
    sim = sim - params.date_penalty * parts["far"]
    np.fill_diagonal(sim, 1.0)
    # round away the last bits, so that a float difference far below any threshold cannot reorder merges
    return np.round(sim, 6)


def pair_similarity(signals: Sequence[Signals], params: GroupingParams = DEFAULT_PARAMS) -> np.ndarray:
    """The (n, n) similarity the clustering reads; 1 on the diagonal."""
    return combine_parts(similarity_parts(signals, params.max_days), params)


def cluster_average(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering: merge the most similar pair of groups while
    their mean pairwise similarity is at least ``threshold``. Ties go to the lowest indices."""
    n = sim.shape[0]
    if n == 0:
        return []
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    s = sim.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    alive = np.ones(n, dtype=bool)
    while True:
        idx = np.flatnonzero(alive)
        if len(idx) < 2:
            break
        sub = s[np.ix_(idx, idx)]
        flat = int(np.argmax(sub))
        a, b = divmod(flat, len(idx))
        if sub[a, b] < threshold:
            break
        i, j = sorted((int(idx[a]), int(idx[b])))
        ni, nj = len(members[i]), len(members[j])
        # Lance-Williams update for average linkage
        s[i, :] = (ni * s[i, :] + nj * s[j, :]) / (ni + nj)
        s[:, i] = s[i, :]
        s[i, i] = -np.inf
        alive[j] = False
        s[j, :] = -np.inf
        s[:, j] = -np.inf
        members[i].extend(members.pop(j))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def group_articles(
    signals: Sequence[Signals],
    copies: Mapping[int, int] | None = None,
    params: GroupingParams = DEFAULT_PARAMS,
) -> list[list[int]]:
    """Stories as lists of article indices, each sorted, ordered by their first article.

    ``copies`` ({copy index: original index}, from ``find_copies``) are kept in
    their original's story: only originals are clustered.
    """
    copies = dict(copies or {})
    units = [i for i in range(len(signals)) if i not in copies]
    if not units:
        return []
    sim = pair_similarity([signals[i] for i in units], params)
    groups = cluster_average(sim, params.threshold)
    unit_story = {units[k]: g for g, ks in enumerate(groups) for k in ks}
    stories: list[list[int]] = [[] for _ in groups]
    for i in range(len(signals)):
        stories[unit_story[copies.get(i, i)]].append(i)
    return sorted((sorted(s) for s in stories if s), key=lambda s: s[0])
