"""Experiment: a key-point matching cross-encoder fine-tuned on CPU from the bundled MiniLM.

    .venv/bin/python training/experiments/kpm_cross_encoder.py [--neg-ratio 2] [--epochs 1]

Trains on ArgKP ``kpm_data`` train pairs only (labelled matches and non-matches of an
argument and a key point of the same topic and stance), picks nothing on test: the
epoch count and learning rate are fixed up front, dev is reported for model choice,
and test is scored once with the evaluation-phase mAP of ``bench/argkp_kpm.py``.
Writes only to /tmp/kpm (fp16 state dict, to measure its size); nothing enters the repo.
Seeds fixed; CPU only.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "training" / "experiments"))
from argkp_kpm import candidate_pairs, kpm_map, load_split  # noqa: E402
from cross_encoder_probe import build_module, fine_tune, set_up  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
OUT = Path("/tmp/kpm")
SEED = 13


def pair_rows(split: str):
    args, kps, labels = load_split(DATA, split)
    at = {a["arg_id"]: a["argument"] for a in args}
    kt = {k["key_point_id"]: k["key_point"] for k in kps}
    pairs = candidate_pairs(args, kps)
    rows = [(a, k, kt[k], at[a]) for a in at for k in pairs[a]]
    return args, labels, rows


@torch.no_grad()
def score(model, tok, rows, max_len, bs=64):
    model.eval()
    out = []
    for i in range(0, len(rows), bs):
        ch = rows[i:i + bs]
        enc = tok([r[2] for r in ch], [r[3] for r in ch], truncation=True, max_length=max_len,
                  padding=True, return_tensors="pt")
        out.append(torch.softmax(model(**enc), -1)[:, 1])
    return torch.cat(out).numpy()


def evaluate(model, tok, split, max_len):
    args, labels, rows = pair_rows(split)
    t = time.perf_counter()
    p = score(model, tok, rows, max_len)
    dt = time.perf_counter() - t
    sc: dict[str, dict[str, float]] = {}
    for (a, k, _, _), s in zip(rows, p):
        sc.setdefault(a, {})[k] = float(s)
    strict, relaxed = kpm_map(args, labels, sc)
    return strict, relaxed, len(rows), dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--neg-ratio", type=float, default=2.0)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--max-len", type=int, default=80)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    path, tok = set_up(a.threads)
    _, labels, rows = pair_rows("train")
    pos = [(r[2], r[3], 1) for r in rows if labels.get((r[0], r[1])) == 1]
    neg = [(r[2], r[3], 0) for r in rows if labels.get((r[0], r[1])) == 0]
    rng = random.Random(SEED)
    rng.shuffle(neg)
    train = pos + neg[: int(a.neg_ratio * len(pos))]
    rng.shuffle(train)
    model = build_module(path)
    steps = a.epochs * ((len(train) + a.batch_size - 1) // a.batch_size)
    print(f"train pairs {len(train)} ({len(pos)} matches), steps {steps}", flush=True)
    train_s = fine_tune(model, train, tok, epochs=a.epochs, batch_size=a.batch_size, lr=a.lr,
                        max_len=a.max_len, log_every=100)
    OUT.mkdir(parents=True, exist_ok=True)
    torch.save({k: v.half() for k, v in model.state_dict().items()}, OUT / "fp16.pt")
    print(f"trained in {train_s:.0f}s on {a.threads} threads; fp16 {(OUT / 'fp16.pt').stat().st_size / 1e6:.1f} MB")
    for split in ("dev", "test"):
        s, r, n, dt = evaluate(model, tok, split, a.max_len)
        print(f"{split}: mAP strict {s:.3f} relaxed {r:.3f}  ({n} pairs scored in {dt:.1f}s)", flush=True)


if __name__ == "__main__":
    main()
