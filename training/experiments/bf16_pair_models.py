"""Experiment: bfloat16 autocast for the two pair models (stance-ce-v1, stance-doc-ce-v1) on CPU.

    HF_HUB_OFFLINE=1 .venv/bin/python training/experiments/bf16_pair_models.py [--n 300]

stance-ce-v1: every ArgKP ``arguments_dev.csv`` argument (topic = claim; dev topics, never test), read in
chunks of 24 per topic as the stance stage reads an article. stance-doc-ce-v1: the first ``--n`` related
pairs of FNC-1 ``train_stances.csv`` (headline, the body's first three sentences), one pair per call as the
stage calls it. Each is run in fp32 and under bfloat16 autocast, twice in alternation; prints seconds,
accuracy (stance-ce) and how far the probabilities move and how many argmax decisions flip. Writes nothing.
The result decided ``pairmodel.native_bf16`` (docs/benchmarks.md).
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
csv.field_size_limit(10**9)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()

    import numpy as np
    import torch

    from counterpoint.pairmodel import STANCE_DOC_CE_PATH, load_pair_model, softmax_probs

    torch.set_num_threads(2)
    print(f"cpu capability {torch.backends.cpu.get_cpu_capability()}; "
          f"native bfloat16 {torch.ops.mkldnn._is_mkldnn_bf16_supported()}")

    with open(args.data / "argkp" / "kpm_data" / "arguments_dev.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_topic: dict[str, list[dict]] = {}
    for r in rows:
        by_topic.setdefault(r["topic"], []).append(r)
    chunks = [(t, rs[k:k + 24]) for t, rs in by_topic.items() for k in range(0, len(rs), 24)]
    gold = np.array([int(r["stance"]) > 0 for _, rs in chunks for r in rs])

    with open(args.data / "fnc1" / "train_bodies.csv", encoding="utf-8") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with open(args.data / "fnc1" / "train_stances.csv", encoding="utf-8") as f:
        pairs = [(r["Headline"], " ".join(re.split(r"(?<=[.!?])\s+", bodies[r["Body ID"]].strip())[:3]))
                 for r in csv.DictReader(f) if r["Stance"] != "unrelated"][: args.n]

    def run(model, calls):
        t = time.perf_counter()
        z = np.concatenate([model.logits(claim, texts) for claim, texts in calls])
        return z, time.perf_counter() - t

    for name, model, calls in (
        ("stance-ce-v1", load_pair_model(), [(t, [r["argument"] for r in rs]) for t, rs in chunks]),
        ("stance-doc-ce-v1", load_pair_model(STANCE_DOC_CE_PATH), [(h, [b]) for h, b in pairs]),
    ):
        fp32, bf16 = replace(model, bf16=False), replace(model, bf16=True)
        for rnd in (1, 2):
            z32, s32 = run(fp32, calls)
            z16, s16 = run(bf16, calls)
            p32, p16 = softmax_probs(z32), softmax_probs(z16)
            line = (f"{name} round {rnd}: {len(z32)} pairs | fp32 {s32:.2f}s | bf16 {s16:.2f}s ({s32 / s16:.2f}x) | "
                    f"mean|dP| {np.abs(p16 - p32).mean():.4f} max {np.abs(p16 - p32).max():.3f} | "
                    f"argmax flips {int((p16.argmax(1) != p32.argmax(1)).sum())}")
            if name == "stance-ce-v1":
                line += f" | acc fp32 {(p32.argmax(1) == gold).mean():.4f} bf16 {(p16.argmax(1) == gold).mean():.4f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
