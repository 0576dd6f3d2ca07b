"""The trained stance model: features and a numpy-only loader for ``models/stance-*.npz``.

Three small heads, all plain matrices in one ``.npz`` (no pickle):

* **sentence head** — (claim, sentence) → [p_for, p_against, p_neutral] from the
  MiniLM vectors ``[c*s, |c-s|, cos]`` plus lexical cues (negation, refuting,
  hedging and supporting words, content-word overlap with the claim);
* **relevance head** — (claim, sentence) → P(the sentence is about the claim's
  story), from cosine and word overlap only;
* **document head** — pooled sentence outputs → FNC-1 labels
  [agree, disagree, discuss, unrelated], temperature-calibrated.

``training/train_stance.py`` builds the artifact with the very functions below,
so training, the FNC-1 benchmark and the pipeline share one featurisation.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .errors import ModelMissingError

MODEL_DIR = Path(__file__).parent / "models"
MODEL_PATH = MODEL_DIR / "stance-v1.npz"
LEXICON_PATH = Path(__file__).parent / "lexicon" / "stance_cues.txt"

FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")
SENT_LABELS = ("for", "against", "neutral")
CUE_KINDS = ("negation", "refute", "hedge", "support", "positive", "negative", "negated_modal")

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NEG_MODAL = re.compile(
    r"\b(?:should|must|will|can|would|could|need to|ought to)\s+(?:not|never)\b|"
    r"\b(?:shouldn't|mustn't|won't|can't|cannot|wouldn't|couldn't|don't|doesn't)\b")

EmbedFn = Callable[[Sequence[str]], np.ndarray]


# --- lexical cues -------------------------------------------------------------

def load_cues(path: Path = LEXICON_PATH) -> dict[str, list[str]]:
    """``[section]`` headed word lists from the lexicon file."""
    from .lexicon import parse_sections

    return {name: [w.lower() for w in words] for name, words in parse_sections(path.read_text(encoding="utf-8")).items()}


def tokenize(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


@dataclass(frozen=True)
class Lexicon:
    cues: dict[str, frozenset[str]]
    stop: frozenset[str]

    @classmethod
    def from_lists(cls, lists: dict[str, list[str]]) -> "Lexicon":
        return cls(
            {k: frozenset(lists.get(k, ())) for k in CUE_KINDS if k != "negated_modal"},
            frozenset(lists.get("stop", ())),
        )

    def profile(self, text: str) -> tuple[np.ndarray, frozenset[str]]:
        """Cue counts (capped) and the content words of one text."""
        toks = tokenize(text)
        counts = np.zeros(len(CUE_KINDS) + 1, dtype=np.float32)
        for i, kind in enumerate(CUE_KINDS):
            if kind == "negated_modal":
                counts[i] = 1.0 if _NEG_MODAL.search(text.lower().replace("\u2019", "'")) else 0.0
                continue
            words = self.cues[kind]
            n = sum(1 for t in toks if t in words or (kind == "negation" and t.endswith("n't")))
            counts[i] = min(n, 3) / 3.0
        counts[-1] = 1.0 if "?" in text else 0.0
        content = frozenset(_stem(t) for t in toks if t not in self.stop and len(t) > 1)
        return counts, content


def _stem(tok: str) -> str:
    # a crude plural/possessive fold is enough for overlap counting
    if tok.endswith("'s"):
        tok = tok[:-2]
    if len(tok) > 4 and tok.endswith("s") and not tok.endswith("ss"):
        tok = tok[:-1]
    return tok


# --- features -----------------------------------------------------------------

_AUX = re.compile(r"\b(should|must|will|can|could|would|is|are|was|were|has|have|had|does|do|did|"
                  r"ought to)\b(?!\s+not\b|n't)", re.I)


def negate_claim(claim: str) -> str:
    """The claim's contrary, by rule: "X should Y" → "X should not Y".

    The cosine of a sentence to the claim minus its cosine to this contrary is
    a polarity signal the plain similarity lacks ("must not ban cars" is as
    close to "should ban cars" as "should ban cars" is).
    """
    c = claim.strip()
    m = _AUX.search(c)
    if m:
        return c[:m.end()] + " not" + c[m.end():]
    return "It is not true that " + c[:1].lower() + c[1:]


N_SENT_LEX = 2 * (len(CUE_KINDS) + 1) + 6
REL_DIM = 6


def sentence_lexical(claim_prof, sent_profs, contrast=None) -> tuple[np.ndarray, np.ndarray]:
    """Lexical sentence features and the claim-word overlap of each sentence.

    ``contrast`` is cos(sentence, claim) - cos(sentence, contrary claim).
    """
    ccounts, ccontent = claim_prof
    n = len(sent_profs)
    lex = np.zeros((n, N_SENT_LEX), dtype=np.float32)
    overlap = np.zeros(n, dtype=np.float32)
    k = len(CUE_KINDS) + 1
    for i, (scounts, scontent) in enumerate(sent_profs):
        ov = len(ccontent & scontent) / max(1, len(ccontent))
        overlap[i] = ov
        lex[i, :k] = scounts
        lex[i, k:2 * k] = scounts * ov
        # negation that the claim lacks (or has and the sentence lacks) flips polarity
        lex[i, 2 * k] = abs(scounts[0] - ccounts[0])
        lex[i, 2 * k + 1] = ov
        lex[i, 2 * k + 2] = min(len(scontent), 40) / 40.0
        lex[i, 2 * k + 3] = ccounts[2]  # the claim itself is hedged ("reportedly ...")
    if contrast is not None and n:
        d = np.clip(np.asarray(contrast, dtype=np.float32) * 10, -3, 3)
        lex[:, 2 * k + 4] = d
        lex[:, 2 * k + 5] = d * overlap
    return lex, overlap


def sentence_matrix(cvec: np.ndarray, svecs: np.ndarray, lex: np.ndarray) -> np.ndarray:
    """Input of the sentence head: [c*s, |c-s|, cos, lexical]."""
    cos = svecs @ cvec
    return np.concatenate(
        [svecs * cvec, np.abs(svecs - cvec), cos[:, None], lex], axis=1
    ).astype(np.float32)


def relevance_matrix(cos: np.ndarray, overlap: np.ndarray) -> np.ndarray:
    c = np.clip(cos, -1, 1)
    return np.stack(
        [c, c * c, np.maximum(c - 0.5, 0), overlap, overlap * c, (overlap > 0).astype(np.float32)], axis=1
    ).astype(np.float32)


def _wmean(x: np.ndarray, w: np.ndarray) -> float:
    s = float(w.sum())
    return float((x * w).sum() / s) if s > 1e-9 else 0.0


def _topk_mean(x: np.ndarray, k: int) -> float:
    if len(x) == 0:
        return 0.0
    return float(np.sort(x)[::-1][:k].mean())


DOC_FEATURES = (
    "max_cos", "top3_cos", "mean_cos", "centroid_cos", "first_cos",
    "max_rel", "top3_rel", "mean_rel", "frac_rel50",
    "body_overlap", "max_overlap", "top3_overlap", "first_overlap",
    "rw_for", "rw_against", "rw_neutral", "max_rel_for", "max_rel_against",
    "top3_for", "top3_against",
    *(f"rw_{k}" for k in CUE_KINDS), *(f"top3_{k}" for k in CUE_KINDS), *(f"frac_{k}" for k in CUE_KINDS),
    *(f"claim_{k}" for k in CUE_KINDS), "claim_question",
    "log_n", "rw_negflip",
    "rw_contrast", "top3_contrast", "min_contrast", "max_contrast", "rw_pos_contrast", "rw_neg_contrast",
)


def document_features(
    cvec: np.ndarray, svecs: np.ndarray, probs: np.ndarray, rel: np.ndarray,
    lex: np.ndarray, overlap: np.ndarray, claim_prof, body_content: frozenset[str],
    weights: np.ndarray | None = None, emb_mode: str = "none",
) -> np.ndarray:
    """Pool one document's sentence outputs into the document head's input.

    ``emb_mode`` appends the mean vector of the three most relevant sentences:
    "raw" their embeddings, "prod" their product with the claim vector.
    """
    n = len(svecs)
    out = np.zeros(len(DOC_FEATURES), dtype=np.float32)
    extra = np.zeros(0 if emb_mode == "none" else svecs.shape[1], dtype=np.float32)
    ccounts, ccontent = claim_prof
    k = len(CUE_KINDS)
    c0 = 20 + 3 * k                      # where the claim's own cue counts start
    out[c0:c0 + k + 1] = ccounts
    if n == 0:
        return np.concatenate([out, extra])
    w = np.ones(n, dtype=np.float32) if weights is None else np.asarray(weights, dtype=np.float32)
    cos = svecs @ cvec
    cen = svecs.mean(0)
    cen = cen / (np.linalg.norm(cen) + 1e-9)
    top = np.argsort(-(rel * w), kind="stable")[:3]
    rw = rel * w
    cue = lex[:, :k]
    out[0:5] = [cos.max(), _topk_mean(cos, 3), cos.mean(), float(cen @ cvec), cos[0]]
    out[5:9] = [rel.max(), _topk_mean(rel, 3), rel.mean(), float((rel > 0.5).mean())]
    out[9:13] = [
        len(ccontent & body_content) / max(1, len(ccontent)), overlap.max(),
        _topk_mean(overlap, 3), overlap[0],
    ]
    out[13:16] = [_wmean(probs[:, j], rw) for j in range(3)]
    out[16:18] = [float((rw * probs[:, 0]).max()), float((rw * probs[:, 1]).max())]
    out[18:20] = [float(probs[top, 0].mean()), float(probs[top, 1].mean())]
    out[20:20 + k] = [_wmean(cue[:, j], rw) for j in range(k)]
    out[20 + k:20 + 2 * k] = cue[top].mean(0)
    out[20 + 2 * k:20 + 3 * k] = (cue > 0).mean(0)
    j = c0 + k + 1
    out[j] = np.log1p(n) / 4.0
    out[j + 1] = _wmean(lex[:, 2 * (k + 1)], rw)
    d = lex[:, 2 * (k + 1) + 4]
    out[j + 2:j + 8] = [_wmean(d, rw), float(d[top].mean()), float(d.min()), float(d.max()),
                        _wmean(np.maximum(d, 0), rw), _wmean(np.minimum(d, 0), rw)]
    if emb_mode == "raw":
        extra = svecs[top].mean(0)
    elif emb_mode == "prod":
        extra = (svecs[top] * cvec).mean(0) * np.sqrt(len(cvec))
    return np.concatenate([out, extra.astype(np.float32)])


def sentence_polarity(probs: np.ndarray, rel: np.ndarray, weights=None) -> float:
    """Relevance-weighted share of p_for in p_for + p_against (0.5 when nothing is relevant)."""
    if len(probs) == 0:
        return 0.5
    w = rel * (1.0 if weights is None else np.asarray(weights, dtype=np.float64))
    f, a = float((w * probs[:, 0]).sum()), float((w * probs[:, 1]).sum())
    return f / (f + a) if f + a > 1e-9 else 0.5


def mix_polarity(p: np.ndarray, q: float, alpha: float) -> np.ndarray:
    """Split the stance-taking mass (agree + disagree) between the document head
    (weight ``alpha``) and the sentences' own polarity ``q``; sums are kept."""
    if alpha >= 1.0:
        return p
    p = np.array(p, dtype=np.float64)
    take = p[..., 0] + p[..., 1]
    head_q = p[..., 0] / np.maximum(take, 1e-12)
    new_q = alpha * head_q + (1 - alpha) * np.asarray(q)
    p[..., 0], p[..., 1] = take * new_q, take * (1 - new_q)
    return p


def mix_related(p: np.ndarray, related_split: np.ndarray, beta: float) -> np.ndarray:
    """Re-split the related mass (agree + disagree + discuss) of FNC probs ``p``:
    ``beta`` x a cross-encoder's [agree, disagree, discuss] + (1 - beta) x the head's own split.
    The unrelated probability is kept."""
    p = np.array(p, dtype=np.float64)
    related = p[:3].sum()
    head = p[:3] / max(related, 1e-12)
    split = beta * np.asarray(related_split, dtype=np.float64) + (1 - beta) * head
    p[:3] = related * split / split.sum()
    return p


# --- the heads ----------------------------------------------------------------

def mlp_forward(layers: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    """Logits of a ReLU MLP (one layer = logistic regression)."""
    h = x
    for i, (W, b) in enumerate(layers):
        h = h @ W + b
        if i < len(layers) - 1:
            h = np.maximum(h, 0)
    return h


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


@dataclass
class Head:
    mu: np.ndarray
    sd: np.ndarray
    layers: list[tuple[np.ndarray, np.ndarray]]
    temperature: float = 1.0

    def logits(self, x: np.ndarray) -> np.ndarray:
        return mlp_forward(self.layers, (x - self.mu) / self.sd) / self.temperature

    def to_arrays(self, name: str) -> dict[str, np.ndarray]:
        out = {f"{name}_mu": self.mu, f"{name}_sd": self.sd,
               f"{name}_T": np.array(self.temperature, dtype=np.float64)}
        for i, (W, b) in enumerate(self.layers):
            out[f"{name}_W{i}"] = W.astype(np.float32)
            out[f"{name}_b{i}"] = b.astype(np.float32)
        return out

    @classmethod
    def from_arrays(cls, z, name: str) -> "Head":
        layers = []
        i = 0
        while f"{name}_W{i}" in z:
            layers.append((z[f"{name}_W{i}"], z[f"{name}_b{i}"]))
            i += 1
        return cls(z[f"{name}_mu"], z[f"{name}_sd"], layers, float(z[f"{name}_T"]))


@dataclass
class StanceModel:
    """Stance of sentences and documents toward one claim."""

    embed: EmbedFn
    sent: Head
    rel: Head
    doc: Head
    lexicon: Lexicon
    version: str = "stance-v1"
    meta: dict = field(default_factory=dict)

    # pure-vector core, shared with training -----------------------------------
    def sentence_outputs(self, claim: str, sentences: Sequence[str], cvec=None, svecs=None,
                         claim_prof=None, sent_profs=None, nvec=None):
        """(probs, relevance, lexical, overlap, svecs) for one claim and its sentences."""
        if cvec is None:
            cvec = self.embed([claim])[0]
        if nvec is None:
            nvec = self.embed([negate_claim(claim)])[0]
        if svecs is None:
            svecs = self.embed(list(sentences)) if sentences else np.zeros((0, 384), np.float32)
        claim_prof = claim_prof or self.lexicon.profile(claim)
        sent_profs = sent_profs if sent_profs is not None else [self.lexicon.profile(s) for s in sentences]
        lex, overlap = sentence_lexical(claim_prof, sent_profs,
                                        svecs @ cvec - svecs @ nvec if len(sentences) else None)
        if len(sentences) == 0:
            z = np.zeros(0, np.float32)
            return np.zeros((0, 3)), z, lex, overlap, svecs
        probs = softmax(self.sent.logits(sentence_matrix(cvec, svecs, lex)))
        rel = sigmoid(self.rel.logits(relevance_matrix(svecs @ cvec, overlap))[:, 0])
        return probs, rel, lex, overlap, svecs

    # public API ------------------------------------------------------------
    def sentence_probs(self, claim: str, sentences: Sequence[str]) -> np.ndarray:
        """(n, 3) columns [p_for, p_against, p_neutral]; rows sum to 1."""
        return self.sentence_outputs(claim, sentences)[0]

    def relevance(self, claim: str, sentences: Sequence[str]) -> np.ndarray:
        """(n,) probability that each sentence is about the claim's story."""
        return self.sentence_outputs(claim, sentences)[1]

    def document_parts(self, claim: str, sentences: Sequence[str], weights=None,
                       cvec=None, svecs=None, claim_prof=None, sent_profs=None, nvec=None):
        """(document head input, sentence polarity q) for one (claim, document) pair.

        q is the relevance-weighted share of "for" in the sentences' for/against mass.
        """
        sentences = list(sentences)
        if cvec is None:
            cvec = self.embed([claim])[0]
        claim_prof = claim_prof or self.lexicon.profile(claim)
        if sent_profs is None:
            sent_profs = [self.lexicon.profile(s) for s in sentences]
        probs, rel, lex, overlap, svecs = self.sentence_outputs(
            claim, sentences, cvec=cvec, svecs=svecs, claim_prof=claim_prof, sent_profs=sent_profs, nvec=nvec)
        body = frozenset().union(*(c for _, c in sent_profs)) if sent_profs else frozenset()
        x = document_features(cvec, svecs, probs, rel, lex, overlap, claim_prof, body, weights,
                              self.meta.get("doc_emb", "none"))
        return x, sentence_polarity(probs, rel, weights)

    def document_vector(self, claim: str, sentences: Sequence[str], weights=None, **kw) -> np.ndarray:
        """The document head's input for one (claim, document) pair."""
        return self.document_parts(claim, sentences, weights, **kw)[0]

    def document_probs(self, claim: str, sentences: Sequence[str], weights=None) -> np.ndarray:
        """(4,) probabilities over [agree, disagree, discuss, unrelated].

        ``weights`` (one per sentence) scale how much each sentence counts,
        e.g. 0.4 for reported speech and 1.0 for the author's own voice.
        """
        x, q = self.document_parts(claim, sentences, weights)
        p = softmax(self.doc.logits(x[None, :]))[0]
        return mix_polarity(p, q, float(self.meta.get("polarity_mix", 1.0)))

    def to_arrays(self) -> dict[str, np.ndarray]:
        out = {}
        for name in ("sent", "rel", "doc"):
            out.update(getattr(self, name).to_arrays(name))
        meta = dict(self.meta, version=self.version,
                    cues={k: sorted(v) for k, v in self.lexicon.cues.items()},
                    stop=sorted(self.lexicon.stop))
        out["meta"] = np.array(json.dumps(meta, sort_keys=True))
        return out


def load_stance_model(embed: EmbedFn, path: Path | str = MODEL_PATH) -> StanceModel:
    """Load the committed artifact (numpy arrays only; no pickle)."""
    path = Path(path)
    if not path.exists():
        raise ModelMissingError(
            f"stance model {path.name} not found in {path.parent}; rebuild it with "
            "`python training/train_stance.py` or reinstall counterpoint"
        )
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        heads = {name: Head.from_arrays(z, name) for name in ("sent", "rel", "doc")}
    lists = dict(meta.get("cues", {}), stop=meta.get("stop", []))
    return StanceModel(embed, heads["sent"], heads["rel"], heads["doc"],
                       Lexicon.from_lists(lists), meta.get("version", "stance-v1"), meta)
