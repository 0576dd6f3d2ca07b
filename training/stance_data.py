"""Load FNC-1 and ArgKP from ../shared/data and cache sentences + embeddings.

Shared by ``training/train_stance.py`` and ``bench/fnc1.py``. Nothing here is
copied into the repository: caches go to ``.bench-cache/`` (gitignored).
Bodies are split with the same spaCy pipeline and paragraph rule as the
language stage, so training, benchmark and pipeline see the same sentences.
"""
from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FNC = DATA / "fnc1"
ARGKP = DATA / "argkp" / "kpm_data"
CACHE = ROOT / ".bench-cache"

sys.path.insert(0, str(ROOT / "src"))


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fnc_bodies(name: str) -> dict[str, str]:
    return {r["Body ID"]: r["articleBody"] for r in read_csv(FNC / name)}


def fnc_pairs() -> dict[str, list[tuple[str, str, str, str]]]:
    """Pairs (headline, body key, stance, source) by split: fit, eval, train.

    Body keys are prefixed with the body file ("t:" official train, "c:"
    competition test) because the two files reuse numeric ids.
    """
    out: dict[str, list] = {"fit": [], "eval": [], "train": []}
    for r in read_csv(FNC / "split.csv"):
        if r["split"] in ("fit", "eval"):
            out[r["split"]].append((r["Headline"], "c:" + r["Body ID"], r["Stance"], r["split"]))
    for r in read_csv(FNC / "train_stances.csv"):
        out["train"].append((r["Headline"], "t:" + r["Body ID"], r["Stance"], "train"))
    return out


def all_bodies() -> dict[str, str]:
    out = {"t:" + k: v for k, v in fnc_bodies("train_bodies.csv").items()}
    out.update({"c:" + k: v for k, v in fnc_bodies("competition_test_bodies.csv").items()})
    return out


def split_sentences(texts: list[str], nlp) -> list[list[str]]:
    from counterpoint.stages.language import to_annotation

    out = []
    for i, doc in enumerate(nlp.pipe(texts, batch_size=32, disable=["ner", "lemmatizer"])):
        ann = to_annotation("x", doc)
        out.append([doc.text[a:b] for a, b in ann.sentences])
        if (i + 1) % 500 == 0:
            print(f"  split {i + 1}/{len(texts)}", file=sys.stderr, flush=True)
    return out


def _key(texts) -> str:
    return hashlib.sha1("\x1e".join(texts).encode()).hexdigest()[:12]


class LazyRes:
    """Loads the embedder only if the cache misses something."""

    def __init__(self):
        self._res = None

    def embed(self, texts):
        if self._res is None:
            from counterpoint.resources import Resources
            self._res = Resources()
        return self._res.embed(texts)


class EmbedCache:
    """Embeddings of every text we meet, kept on disk between runs."""

    def __init__(self, res, path: Path = CACHE / "stance-embeddings.npz"):
        self.res, self.path = res, path
        self.index: dict[str, int] = {}
        self.vecs = np.zeros((0, 384), dtype=np.float32)
        if path.exists():
            z = np.load(path, allow_pickle=False)
            self.index = {t: i for i, t in enumerate(json.loads(str(z["texts"])))}
            self.vecs = z["vecs"]
        self.dirty = False

    def __call__(self, texts) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.index]
        if todo:
            new = []
            for i in range(0, len(todo), 2048):
                new.append(self.res.embed(todo[i:i + 2048]))
                if len(todo) > 256:
                    print(f"  embedded {min(i + 2048, len(todo))}/{len(todo)}", file=sys.stderr, flush=True)
            base = len(self.index)
            for j, t in enumerate(todo):
                self.index[t] = base + j
            self.vecs = np.concatenate([self.vecs, *new]).astype(np.float32)
            self.dirty = True
        if not len(texts):
            return np.zeros((0, 384), dtype=np.float32)
        return self.vecs[[self.index[t] for t in texts]]

    def save(self) -> None:
        if self.dirty:
            texts = [None] * len(self.index)
            for t, i in self.index.items():
                texts[i] = t
            self.path.parent.mkdir(exist_ok=True)
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez(tmp, texts=np.array(json.dumps(texts)), vecs=self.vecs)
            tmp.replace(self.path)
            self.dirty = False


def body_sentences(nlp=None) -> dict[str, list[str]]:
    """Every FNC body (train + competition test) split into sentences, cached."""
    path = CACHE / "fnc-body-sentences.json"
    bodies = all_bodies()
    if path.exists():
        cached = json.loads(path.read_text())
        if cached.get("key") == _key(sorted(bodies)):
            return cached["sents"]
    if nlp is None:
        from counterpoint.resources import load_spacy
        nlp = load_spacy()
    keys = sorted(bodies)
    sents = split_sentences([bodies[k] for k in keys], nlp)
    out = {k: s for k, s in zip(keys, sents)}
    CACHE.mkdir(exist_ok=True)
    path.write_text(json.dumps({"key": _key(sorted(bodies)), "sents": out}))
    return out


def argkp_arguments(split: str) -> list[dict]:
    """ArgKP arguments of ``train`` or ``dev`` (never the test data)."""
    assert split in ("train", "dev")
    return read_csv(ARGKP / f"arguments_{split}.csv")


def doc_inputs(body: str, sents: list[str]):
    """What the stance stage feeds ``document_probs`` for one body: the
    stance-bearing clause of each sentence and a weight per sentence (reported
    speech inside quotation marks counts less). Same helpers as the stage."""
    from counterpoint.stages.stance import REPORTED_WEIGHT, quoted_mask, stance_text, voice_of

    mask = quoted_mask(body, [])
    texts, weights, pos = [], [], 0
    for s in sents:
        a = body.find(s, pos)
        if a < 0:
            a = pos
        b = a + len(s)
        pos = b
        texts.append(stance_text(s))
        weights.append(REPORTED_WEIGHT if voice_of(mask, a, b) == "reported" else 1.0)
    return texts, np.array(weights, dtype=np.float32)


PERSPECTRUM = DATA / "perspectrum"


def perspectrum_pairs(splits=("train", "dev")) -> list[tuple[str, str, int]]:
    """(claim, perspective, 0 = support / 1 = undermine) of the given splits (never test)."""
    assert "test" not in splits
    split = json.loads((PERSPECTRUM / "dataset_split_v1.0.json").read_text())
    pool = {p["pId"]: p["text"] for p in json.loads((PERSPECTRUM / "perspective_pool_v1.0.json").read_text())}
    out = []
    for c in json.loads((PERSPECTRUM / "perspectrum_with_answers_v1.0.json").read_text()):
        if split.get(str(c["cId"])) not in splits:
            continue
        for cl in c["perspectives"]:
            lab = {"SUPPORT": 0, "UNDERMINE": 1}.get(cl["stance_label_3"])
            if lab is None:
                continue
            for pid in cl["pids"]:
                if pid in pool:
                    out.append((c["text"], pool[pid], lab))
    return out


IBM_CS = DATA / "ibm-claim-stance" / "claim_stance_dataset_v1.csv"


def ibm_pseudo_documents(rng, per_doc: int = 4) -> list[tuple[str, list[str], int]]:
    """(topic, claims, 0 = pro / 1 = con) pseudo-documents of ``per_doc`` same-stance
    claims from the IBM claim-stance *train* split (tuning only; never its test)."""
    groups: dict[tuple[str, int], list[str]] = {}
    for r in read_csv(IBM_CS):
        if r["split"] != "train":
            continue
        lab = {"PRO": 0, "CON": 1}.get(r["claims.stance"])
        if lab is not None:
            groups.setdefault((r["topicText"], lab), []).append(r["claims.claimCorrectedText"])
    out = []
    for (topic, lab), claims in sorted(groups.items()):
        claims = [claims[i] for i in rng.permutation(len(claims))]
        for i in range(0, len(claims) - per_doc + 1, per_doc):
            out.append((topic, claims[i:i + per_doc], lab))
    return out


# --- FNC-1 scoring (the official rule, re-implemented) ------------------------

LABELS = ("agree", "disagree", "discuss", "unrelated")


def fnc_score(gold, pred) -> tuple[float, float]:
    """(score, max score) by the official FNC-1 rule."""
    score = best = 0.0
    for g, p in zip(gold, pred):
        if g == "unrelated":
            best += 0.25
            score += 0.25 if p == "unrelated" else 0.0
        else:
            best += 1.0
            if p != "unrelated":
                score += 0.25 + (0.75 if p == g else 0.0)
    return score, best


def confusion(gold, pred, labels=LABELS) -> np.ndarray:
    idx = {l: i for i, l in enumerate(labels)}
    m = np.zeros((len(labels), len(labels)), dtype=int)
    for g, p in zip(gold, pred):
        m[idx[g], idx[p]] += 1
    return m


def per_class_f1(gold, pred, labels=LABELS) -> dict[str, float]:
    m = confusion(gold, pred, labels)
    out = {}
    for i, l in enumerate(labels):
        tp = m[i, i]
        p = tp / m[:, i].sum() if m[:, i].sum() else 0.0
        r = tp / m[i].sum() if m[i].sum() else 0.0
        out[l] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def summary(gold, pred) -> dict:
    s, best = fnc_score(gold, pred)
    f1 = per_class_f1(gold, pred)
    return {"fnc": 100 * s / best, "fnc_raw": s, "fnc_max": best,
            "macro_f1": float(np.mean(list(f1.values()))), "f1": f1}


if __name__ == "__main__":
    import time

    from counterpoint.resources import Resources

    t0 = time.time()
    res = Resources()
    bs = body_sentences(res.nlp)
    print("sentences", sum(len(v) for v in bs.values()), f"{time.time() - t0:.0f}s", file=sys.stderr)
    emb = EmbedCache(res)
    pairs = fnc_pairs()
    heads = sorted({h for v in pairs.values() for h, *_ in v})
    emb(heads)
    args = argkp_arguments("train") + argkp_arguments("dev")
    emb(sorted({a["argument"] for a in args} | {a["topic"] for a in args}))
    emb.save()
    allsent = sorted({s for v in bs.values() for s in v})
    for i in range(0, len(allsent), 8192):
        emb(allsent[i:i + 8192])
        emb.save()
    bodies = all_bodies()
    clauses = sorted({t for k, v in bs.items() for t in doc_inputs(bodies[k], v)[0]} - set(emb.index))
    emb(clauses)
    emb.save()
    print(f"done {time.time() - t0:.0f}s", file=sys.stderr)
