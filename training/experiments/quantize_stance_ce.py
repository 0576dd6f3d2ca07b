"""Experiment: does dynamic int8 quantisation make the committed stance-ce-v1 cross-encoder faster on CPU
without costing accuracy? (Measured once; not adopted.)

    HF_HUB_OFFLINE=1 .venv/bin/python training/experiments/quantize_stance_ce.py [--n 640]

The first ``--n`` ArgKP ``arguments_dev.csv`` arguments (topic = claim; dev topics, never test), read in
chunks of 24 per topic as the stance stage reads an article, first with the fp32 module that ships, then
with ``torch.ao.quantization.quantize_dynamic`` on its Linear layers (qint8). Prints each run's seconds and
accuracy, the mean and largest change in P(for), and how many sides flip. Writes nothing.
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=640)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()

    import numpy as np
    import torch

    from counterpoint.pairmodel import load_pair_model

    with open(args.data / "argkp" / "kpm_data" / "arguments_dev.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[: args.n]
    by_topic: dict[str, list[dict]] = {}
    for r in rows:
        by_topic.setdefault(r["topic"], []).append(r)
    torch.set_num_threads(2)
    model = load_pair_model()

    def read() -> tuple[float, np.ndarray, np.ndarray]:
        t, z, y = time.perf_counter(), [], []
        for topic, rs in by_topic.items():
            for k in range(0, len(rs), 24):
                chunk = rs[k:k + 24]
                z.extend(model.logits(topic, [r["argument"] for r in chunk]).tolist())
                y.extend(int(r["stance"]) for r in chunk)
        return time.perf_counter() - t, np.array(z), np.array(y)

    t32, z32, y = read()
    model.module = torch.ao.quantization.quantize_dynamic(model.module, {torch.nn.Linear}, dtype=torch.qint8)
    t8, z8, _ = read()
    p32 = 1 / (1 + np.exp(-(z32[:, 1] - z32[:, 0])))
    p8 = 1 / (1 + np.exp(-(z8[:, 1] - z8[:, 0])))
    acc = lambda p: float(np.mean((p > 0.5) == (y > 0)))  # noqa: E731
    print(f"fp32 {t32:.2f}s acc {acc(p32):.4f} | int8 {t8:.2f}s acc {acc(p8):.4f} | "
          f"mean|dP| {np.mean(np.abs(p32 - p8)):.4f} max {np.max(np.abs(p32 - p8)):.3f} "
          f"flips {int(np.sum((p32 > 0.5) != (p8 > 0.5)))}/{len(y)}")


if __name__ == "__main__":
    main()
