"""FNC-1 stance benchmark on the ``eval`` split of ``split.csv``.

    PYTHONPATH=src .venv/bin/python bench/fnc1.py [--no-baseline]

Scores the document stance exactly as the pipeline computes it (the stance stage's
``article_stance``: the stance-v1 document head with stance-doc-ce-v1's agree/disagree/discuss
split of a related body, the stance-ce-v2 cross-encoder's reading of each body's most relevant
sentences, the thesis rule), and the document head alone, next to
the majority-class baseline and a re-implementation of the official FNC-1
baseline's features (word overlap, refuting words, polarity, n-gram
co-occurrence → gradient boosting), trained on the same ``fit`` pairs.
Figures, not a test. Embeddings are cached under ``.bench-cache/``.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
sys.path.insert(0, str(ROOT / "src"))

import stance_data as sd  # noqa: E402
from counterpoint.stancemodel import FNC_LABELS, load_stance_model, negate_claim  # noqa: E402

REFUTING = ("fake", "fraud", "hoax", "false", "deny", "denies", "not", "despite", "nope",
            "doubt", "doubts", "bogus", "debunk", "pranks", "retract")
_TOK = re.compile(r"\w+", re.UNICODE)


# --- the official baseline's feature set, re-implemented ----------------------

def _norm(text):
    return [t.lower() for t in _TOK.findall(text)]


def _grams(seq, n):
    return {tuple(seq[i:i + n]) for i in range(len(seq) - n + 1)}


def _chargrams(text, n):
    t = " ".join(_norm(text))
    return {t[i:i + n] for i in range(len(t) - n + 1)}


def baseline_features(headline: str, body: str, stop: frozenset[str]) -> list[float]:
    h, b = _norm(headline), _norm(body)
    hs, bs = set(h), set(b)
    lead = body[:255]
    ls = set(_norm(lead))
    f = [len(hs & bs) / max(1, len(hs | bs))]
    f += [1.0 if w in hs else 0.0 for w in REFUTING]
    f += [sum(t in REFUTING for t in h) % 2, sum(t in REFUTING for t in b) % 2]
    f += [sum(t in bs for t in h), sum(t in ls for t in h)]
    f += [sum(t in bs for t in h if t not in stop), sum(t in ls for t in h if t not in stop)]
    for n in (2, 4, 8, 16):
        hg = _chargrams(headline, n)
        f += [len(hg & _chargrams(body, n)), len(hg & _chargrams(lead, n))]
    for n in (2, 3, 4, 5, 6):
        hg = _grams(h, n)
        f += [len(hg & _grams(b, n)), len(hg & _grams(_norm(lead), n))]
    return f


def run_baseline(fit_pairs, eval_pairs, bodies, stop):
    from sklearn.ensemble import GradientBoostingClassifier

    Xf = np.array([baseline_features(h, bodies[b], stop) for h, b, _, _ in fit_pairs])
    yf = np.array([FNC_LABELS.index(l) for _, _, l, _ in fit_pairs])
    Xe = np.array([baseline_features(h, bodies[b], stop) for h, b, _, _ in eval_pairs])
    clf = GradientBoostingClassifier(n_estimators=200, random_state=14128)
    clf.fit(Xf, yf)
    return [FNC_LABELS[i] for i in clf.predict(Xe)]


# --- report -------------------------------------------------------------------

def row(name, r):
    f = r["f1"]
    return (f"| {name} | {r['fnc']:.2f} | {r['fnc_raw']:.2f} / {r['fnc_max']:.2f} | {r['macro_f1']:.3f} | "
            f"{f['agree']:.3f} | {f['disagree']:.3f} | {f['discuss']:.3f} | {f['unrelated']:.3f} |")


def matrix(name, gold, pred):
    m = sd.confusion(gold, pred)
    lines = [f"{name} — confusion (rows gold, columns predicted):", "",
             "| gold \\ pred | " + " | ".join(FNC_LABELS) + " |", "|---" * 5 + "|"]
    for lab, r in zip(FNC_LABELS, m):
        lines.append(f"| {lab} | " + " | ".join(str(int(x)) for x in r) + " |")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-baseline", action="store_true", help="skip the official-baseline re-implementation")
    a = ap.parse_args(argv)
    t0 = time.time()
    emb = sd.EmbedCache(sd.LazyRes())
    model = load_stance_model(emb)
    sents = sd.body_sentences()
    raw = sd.all_bodies()
    pairs = sd.fnc_pairs()
    ev = pairs["eval"]
    gold = [l for _, _, l, _ in ev]

    inputs = {b: sd.doc_inputs(raw[b], sents[b]) for b in sorted({b for _, b, _, _ in ev})}
    heads = sorted({h for h, _, _, _ in ev})
    emb(heads + [negate_claim(h) for h in heads] + sorted({t for v in inputs.values() for t in v[0]}))
    probs = np.array([model.document_probs(h, inputs[b][0], inputs[b][1]) for h, b, _, _ in ev])
    emb.save()
    pred = [FNC_LABELS[i] for i in probs.argmax(1)]
    ours = sd.summary(gold, pred)
    t_ours = time.time() - t0

    majority = max(FNC_LABELS, key=lambda l: sum(1 for p in pairs["fit"] if p[2] == l))
    base_major = sd.summary(gold, [majority] * len(gold))

    # Counterpoint's own 3-way reading: agree→for, disagree→against, else neutral
    to3 = {"agree": "for", "disagree": "against", "discuss": "neutral", "unrelated": "neutral"}
    p3 = np.stack([probs[:, 0], probs[:, 1], probs[:, 2] + probs[:, 3]], 1)
    lab3 = ("for", "against", "neutral")
    pred3 = [lab3[i] for i in p3.argmax(1)]
    gold3 = [to3[g] for g in gold]
    f1_3 = sd.per_class_f1(gold3, pred3, lab3)
    conf = p3.max(1)
    correct = np.array([p == g for p, g in zip(pred3, gold3)])
    bins = np.minimum((conf * 10).astype(int), 9)
    ece = sum(abs(conf[bins == k].mean() - correct[bins == k].mean()) * (bins == k).mean()
              for k in range(10) if (bins == k).any())

    # the stage's full decision (``article_stance``): document head, the cross-encoder's reading of
    # the most relevant sentences (agree/disagree split), then an explicit thesis in the author's voice
    from counterpoint.pairmodel import STANCE_DOC_CE_PATH, load_pair_model
    from counterpoint.stages.stance import REPORTED_WEIGHT, article_stance

    t2 = time.time()
    ce = load_pair_model()
    doc_ce = load_pair_model(STANCE_DOC_CE_PATH) if STANCE_DOC_CE_PATH.exists() else None
    pred_stage, conf_stage, probs_stage, changed = [], [], [], 0
    for (h, b, _, _), p in zip(ev, p3):
        voices = ["reported" if w == REPORTED_WEIGHT else "author" for w in inputs[b][1]]
        _, _, d, lab2, c2, _ = article_stance(list(sents[b]), voices, h, model, ce, emb, doc_ce=doc_ce)
        changed += lab2 != lab3[int(p.argmax())]
        probs_stage.append(d)
        pred_stage.append(lab2)
        conf_stage.append(c2)
    t_stage = time.time() - t2
    stage4 = sd.summary(gold, [FNC_LABELS[int(np.argmax(d))] for d in probs_stage])
    f1_stage = sd.per_class_f1(gold3, pred_stage, lab3)
    correct_s = np.array([p == g for p, g in zip(pred_stage, gold3)])
    conf_s = np.array(conf_stage)
    bins_s = np.minimum((conf_s * 10).astype(int), 9)
    ece_s = sum(abs(conf_s[bins_s == k].mean() - correct_s[bins_s == k].mean()) * (bins_s == k).mean()
                for k in range(10) if (bins_s == k).any())
    acc_stage = float(correct_s.mean())
    reliability = [(k / 10, int((bins_s == k).sum()), float(conf_s[bins_s == k].mean()), float(correct_s[bins_s == k].mean()))
                   for k in range(10) if (bins_s == k).any()]

    out = []
    out.append(f"FNC-1 `eval` split of split.csv: {len(ev)} pairs "
               f"({', '.join(f'{l} {gold.count(l)}' for l in FNC_LABELS)}); bodies from competition_test_bodies.csv")
    out.append(f"CPU cores (os.cpu_count()): {os.cpu_count()}; our model: {model.version}")
    out.append("")
    out.append("| system | FNC % | FNC score / max | macro-F1 | F1 agree | F1 disagree | F1 discuss | F1 unrelated |")
    out.append("|---|---|---|---|---|---|---|---|")
    stage_name = " + ".join(m.version for m in (model, ce, doc_ce) if m is not None)
    out.append(row(f"Counterpoint stance stage ({stage_name})", stage4))
    out.append(row("Counterpoint stance-v1 document head alone (document_probs)", ours))
    out.append(row(f"majority class (`{majority}`)", base_major))
    base = None
    if not a.no_baseline:
        t1 = time.time()
        stop = frozenset(model.lexicon.stop)
        base_pred = run_baseline(pairs["fit"], ev, raw, stop)
        base = sd.summary(gold, base_pred)
        out.append(row("official-baseline features + GBDT, trained on `fit` (re-implemented)", base))
        t_base = time.time() - t1
    out.append("")
    out.append(f"Counterpoint 3-way (for/against/neutral) on the same pairs: accuracy {correct.mean():.3f}, "
               f"macro-F1 {np.mean(list(f1_3.values())):.3f} "
               f"(for {f1_3['for']:.3f}, against {f1_3['against']:.3f}, neutral {f1_3['neutral']:.3f}); "
               f"mean confidence {conf.mean():.3f}, ECE (10 bins) {ece:.3f}")
    out.append(f"The stance stage's label (cross-encoder + thesis rule; what the dossier shows): accuracy {acc_stage:.3f}, "
               f"macro-F1 {np.mean(list(f1_stage.values())):.3f} "
               f"(for {f1_stage['for']:.3f}, against {f1_stage['against']:.3f}, neutral {f1_stage['neutral']:.3f}); "
               f"mean confidence {conf_s.mean():.3f}, ECE (10 bins) {ece_s:.3f}; "
               f"labels that differ from the document head's: {changed} of {len(ev)}")
    out.append("Reliability of the stage's confidence (bin from, pairs, mean confidence, accuracy): "
               + "; ".join(f"{lo:.1f}: {n}, {c:.3f}, {acc:.3f}" for lo, n, c, acc in reliability))
    out.append("")
    out.append(matrix("Counterpoint stance stage", gold, [FNC_LABELS[int(np.argmax(d))] for d in probs_stage]))
    out.append("")
    out.append(matrix("Counterpoint stance-v1 document head alone", gold, pred))
    if base is not None:
        out.append("")
        out.append(matrix("official-baseline re-implementation", gold, base_pred))
    out.append("")
    out.append(f"runtime: document head {t_ours:.1f}s (embeddings from .bench-cache when present), "
               f"stage with cross-encoder {t_stage:.1f}s"
               + (f", baseline {t_base:.1f}s" if base is not None else "") + f", total {time.time() - t0:.1f}s")
    print("\n".join(out))


if __name__ == "__main__":
    main()
