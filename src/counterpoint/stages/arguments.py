"""Arguments: each side's case as a few key points.

Map: per article, the sentences in the author's own voice that the argument
model calls arguments and the stance model puts on a side. Reduce: the
argument sentences of one side are clustered across articles by their
kp-encoder-v2 vectors (MiniLM fine-tuned on ArgKP train so that arguments making
one point lie together, ``kpencoder``); each cluster is a key point, stated by its most central sentence
(tightened by dropping lead-in words, never rewritten), with its supporting
sentences and its prevalence among that side's articles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..lexicon import load_words
from ..model import KeyPoint, SentenceStance, Story, Support, short_hash
from .quotes import tokens_between

REQUIRES = ("articles", "annotations", "sentence_stances", "stances", "claim")
PROVIDES = ("arguments",)

MIN_ARG_PROB = 0.5            # in a news report that takes no side
MIN_ARG_PROB_OPINION = 0.2    # in an article that takes a side, where most sentences argue
SIDE_PRIOR = 0.35            # how much an article's side counts toward its sentences' (0.15 until 2026-12-04; chosen on the eleven held-out stories, a development figure)
MIN_RELEVANCE = 0.12
CLUSTER_DISTANCE = 0.66   # cosine distance, average linkage; kp-encoder-v2's best on ArgKP dev (training/train_kp_encoder.py; 0.62 with v1)
MAX_POINTS = 10

_CONCESSION = re.compile(r"^\s*(I know|I get it|I understand|Sure|Granted|Admittedly|Of course|To be fair|Yes|Okay|OK)\b", re.I)
_TURN = re.compile(r"\b(but|yet|still|however|though|although)\b", re.I)
# "OK, I need to talk about this", "Yes, so here is the thing": a word that opens the writer's own talk, no
# point of the other side granted
_OPENER = re.compile(r"^\s*(?:OK|Okay|Yes|Sure)\b[,.!:]?\s+(?:so\b|now\b|listen\b|let me\b|let's\b|here(?:'s|’s| is)\b|"
                     r"I\s+(?:need|have|want|wanted|'m going|’m going|am going|will|'ll|’ll|gotta)\b)", re.I)
# a sentence the next one answers with "But …" was conceded ("Wanting someone back is human. But …")
_ANSWER = re.compile(r"^\s*(?:but|yet|still|however|even so|and yet)\b", re.I)
# "Wanting someone back is human.": a short sentence that only grants (lexicon/granting_words.txt)
_GRANTS = re.compile(r"\b(?:is|are|was|were|'s|’s|seems|feels)\s+(?:(?:perfectly|entirely|completely|very|so|deeply|"
                     r"all too|of course)\s+)*(?P<what>[a-z][a-z ]*?)\s*[.!]?\s*$", re.I)
_LEAD_IN = re.compile(
    r"^\s*(?:(?:and|but|so|look|listen|honestly|frankly|still|yes|well|also|plus|now|again|"
    r"in my view|in my opinion|i think|i believe|i feel|to me|for me|let's be clear|let me be clear)\b[,:]?\s+)+",
    re.I,
)


@dataclass
class Candidate:
    st: SentenceStance
    side: str
    strength: float


def pick_side(st: SentenceStance, doc_label: str, answered: bool = False) -> tuple[str | None, float]:
    """The side a sentence argues, in its own right, with the article as a weak prior.

    ``answered``: the author's next sentence opens with "But …", so this one was conceded.
    """
    pf, pa = st.p_for, st.p_against
    if doc_label == "for":
        pf += SIDE_PRIOR
    elif doc_label == "against":
        pa += SIDE_PRIOR
    side = "for" if pf >= pa else "against"
    conceded = ((_CONCESSION.match(st.text) and not _OPENER.match(st.text)) or answered) and not _TURN.search(st.text)
    if conceded and doc_label in ("for", "against"):
        side = "against" if doc_label == "for" else "for"  # a concession argues the other side
    elif conceded:
        side = "against" if side == "for" else "for"
    margin = abs(pf - pa)
    if margin < 0.2 and doc_label == "neutral":
        return None, 0.0
    return side, margin


_META_OPENER = re.compile(r"^(?:(?:ok|okay|yes|so|well|look|honestly)\b[,.!:]?\s+)+")


def steers_only(sentence: str) -> bool:
    """A short sentence that steers the reader ("Let us remember the history, too.") argues nothing; nor does,
    at any length, the writer talking about the writing ("OK, I need to talk about this, because ...")."""
    words = sentence.split()
    low = " ".join(w.lower() for w in words).replace("’", "'")
    if len(words) <= 8 and any(low.startswith(o) for o in load_words("discourse_only")):
        return True
    rest = _META_OPENER.sub("", low)
    return any(rest.startswith(m + " ") and re.match(r"(?:this|it|that)\b", rest[len(m) + 1:])
               for m in load_words("meta_talk"))


_NAMING_POS = {"NOUN", "PROPN", "ADJ", "NUM"}


def names_something(tokens) -> bool:
    """Does the sentence name anything a point could be about (a noun, a name, an adjective, a number)?

    "I get it, but I don't agree." and "That has to mean something, right?" state no point: a trailing tag
    question (", right?", ", no?", ", don't you think?") is left out before looking.
    """
    toks = list(tokens)
    if toks and toks[-1].text == "?":
        commas = [i for i, t in enumerate(toks) if t.text == ","]
        if commas and len(toks) - commas[-1] <= 5:
            toks = toks[:commas[-1]]
    return any(t.pos in _NAMING_POS for t in toks)


def sentence_tokens(story: Story, st: SentenceStance):
    """The tokens of a sentence stance from the language pass; None when the story has no annotation for it."""
    ann = story.annotations.get(st.doc)
    if ann is None:
        return None
    return [ann.tokens[i] for i in tokens_between(ann, st.start, st.end)]


def grants(sentence: str) -> bool:
    """A sentence of at most 8 words that says something is human, understandable, natural ... and no more."""
    if len(sentence.split()) > 8 or _TURN.search(sentence):
        return False
    m = _GRANTS.search(sentence)
    return bool(m) and m["what"].lower() in load_words("granting_words")


def answered_by_next(stances: list[SentenceStance]) -> list[bool]:
    """For each sentence: does the author answer it in the next sentence of the same article? Either that sentence
    opens with "But", or this one only grants ("Wanting someone back is human.") and the author goes on to
    something that does not."""
    out = []
    for st, nxt in zip(stances, stances[1:] + [None]):
        goes_on = nxt is not None and nxt.doc == st.doc and nxt.voice == "author"
        out.append(goes_on and (bool(_ANSWER.match(nxt.text)) or (grants(st.text) and not grants(nxt.text))))
    return out


def find_candidates(stances: list[SentenceStance], arg_probs: np.ndarray, doc_label: dict[str, str],
                    story: Story | None = None) -> list[Candidate]:
    out = []
    for st, p, answered in zip(stances, arg_probs, answered_by_next(stances)):
        floor = MIN_ARG_PROB if doc_label.get(st.doc, "neutral") == "neutral" else MIN_ARG_PROB_OPINION
        if st.voice != "author" or p < floor or st.relevance < MIN_RELEVANCE:
            continue
        n = len(st.text.split())
        if n < 5 or n > 70 or steers_only(st.text):
            continue
        toks = sentence_tokens(story, st) if story is not None else None
        if toks is not None and not names_something(toks):
            continue
        side, strength = pick_side(st, doc_label.get(st.doc, "neutral"), answered)
        if side is None:
            continue
        out.append(Candidate(st, side, float(p) * (0.5 + strength)))
    return out


def cluster_vectors(vecs: np.ndarray, threshold: float = CLUSTER_DISTANCE) -> list[int]:
    """Average-linkage clusters under a cosine distance threshold; deterministic."""
    n = len(vecs)
    if n == 1:
        return [0]
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average")
    return [int(x) for x in model.fit_predict(vecs)]


def tighten(sentence: str) -> str:
    """The key point as the sentence says it, minus lead-in words."""
    s = sentence.strip()
    if _CONCESSION.match(s):  # "I know, X, but Y": Y is the point; X was conceded
        tail = re.split(r",?\s+(?:but|yet|however)\s+", s, flags=re.I)[-1]
        if tail != s and len(tail.split()) >= 4:
            s = tail
    s = _LEAD_IN.sub("", s).strip()
    s = s.strip("\u00a0 ")
    if not s:
        s = sentence.strip()
    words = s.split()
    if len(words) > 30:
        # after a colon comes the point ("Here is the thing: X should not ..."); before a
        # semicolon or dash comes the point and after it the elaboration
        tail = s.split(": ", 1)[1] if ": " in s else ""
        if 6 <= len(tail.split()) < len(words):
            s = tail
        else:
            for sep in ("; ", " — ", " – "):
                head = s.split(sep)[0]
                if 6 <= len(head.split()) < len(words):
                    s = head
                    break
    s = s[0].upper() + s[1:]
    if s[-1] not in ".!?":
        s = s.rstrip(",;:") + "."
    return s


def build_key_points(cands: list[Candidate], vecs: np.ndarray, side_docs: dict[str, set[str]],
                     originals: dict[str, str] | None = None) -> list[KeyPoint]:
    """Key points per side; ``originals`` ({copy: original}) counts a copy and its original once."""
    orig = originals or {}
    points: list[KeyPoint] = []
    for side in ("for", "against"):
        idx = [i for i, c in enumerate(cands) if c.side == side]
        if not idx:
            continue
        labels = cluster_vectors(vecs[idx])
        groups: dict[int, list[int]] = {}
        for i, lab in zip(idx, labels):
            groups.setdefault(lab, []).append(i)
        side_points = []
        for members in groups.values():
            m = vecs[members]
            centre = (m @ m.T).mean(axis=1) + np.array([cands[i].strength for i in members]) * 0.05
            best = members[int(np.argmax(centre))]
            docs = {cands[i].st.doc for i in members}
            # a copy whose original also makes the point is not a second document
            docs = sorted((d for d in docs if orig.get(d, d) == d or orig[d] not in docs), key=lambda d: (len(d), d))
            base = {orig.get(d, d) for d in side_docs.get(side, set()) | set(docs)}
            support = tuple(Support(doc=cands[i].st.doc, start=cands[i].st.start, end=cands[i].st.end, text=cands[i].st.text)
                            for i in sorted(members, key=lambda i: (cands[i].st.doc, cands[i].st.start)))
            kp = tighten(cands[best].st.text)
            strength = float(np.mean([cands[i].strength for i in members]))
            side_points.append((len(docs) / len(base), len(members), strength, KeyPoint(
                id="k" + short_hash(side, kp, n=8), side=side, key_point=kp, documents=tuple(docs),
                prevalence=round(len(docs) / len(base), 3), support=support,
            )))
        side_points.sort(key=lambda t: (-t[0], -t[1], -t[2], t[3].key_point))
        points.extend(p for *_, p in side_points[:MAX_POINTS])
    return points


def run(story: Story, res) -> Story:
    stances = list(story.sentence_stances)
    if not stances:
        return story.model_copy(update={"arguments": ()})
    arg_probs = res.argument_model.probs([s.text for s in stances])
    doc_label = {d: s.label for d, s in story.stances.items()}
    cands = find_candidates(stances, arg_probs, doc_label, story)
    if not cands:
        return story.model_copy(update={"arguments": ()})
    vecs = res.kp_embed([c.st.text for c in cands])
    side_docs: dict[str, set[str]] = {"for": set(), "against": set()}
    for d, lab in doc_label.items():
        if lab in side_docs:
            side_docs[lab].add(d)
    originals = {a.id: a.copy_of for a in story.articles if a.copy_of}
    return story.model_copy(update={"arguments": tuple(build_key_points(cands, vecs, side_docs, originals))})
