"""Experiment: bfloat16 autocast for the sentence encoder (all-MiniLM-L6-v2) on CPU.

    HF_HUB_OFFLINE=1 .venv/bin/python training/experiments/bf16_embedder.py [--n 100]

The first ``--n`` bodies of FNC-1 ``train_bodies.csv``, split into sentences by the bundled spaCy pipeline and
encoded one article per call, as the language stage encodes them; in fp32 and under bfloat16 autocast, twice in
alternation. Prints seconds and the cosine between each sentence's two vectors. Writes nothing. The result decided
``Resources.embed_bf16`` (docs/benchmarks.md).
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
csv.field_size_limit(10**9)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()

    import numpy as np
    import torch

    from counterpoint.resources import Resources

    torch.set_num_threads(2)
    print(f"cpu capability {torch.backends.cpu.get_cpu_capability()}; "
          f"native bfloat16 {torch.ops.mkldnn._is_mkldnn_bf16_supported()}")
    res = Resources()
    with open(args.data / "fnc1" / "train_bodies.csv", encoding="utf-8") as f:
        bodies = [r["articleBody"] for r in csv.DictReader(f)][: args.n]
    arts = [[s.text.strip() for s in d.sents if s.text.strip()] for d in res.nlp.pipe(bodies)]
    print(f"{len(arts)} articles, {sum(map(len, arts))} sentences")

    def run(bf16: bool):
        t = time.perf_counter()
        out = []
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            for sents in arts:
                v = res.embedder.encode(sents, batch_size=64, normalize_embeddings=True, show_progress_bar=False,
                                        convert_to_numpy=True)
                out.append(np.asarray(v, dtype=np.float32))
        return np.concatenate(out), time.perf_counter() - t

    for rnd in (1, 2):
        a, sa = run(False)
        b, sb = run(True)
        cos = (a * b).sum(1) / np.linalg.norm(b, axis=1)
        print(f"round {rnd}: fp32 {sa:.2f}s | bf16 {sb:.2f}s ({sa / sb:.2f}x) | cosine mean {cos.mean():.5f} "
              f"min {cos.min():.5f}", flush=True)


if __name__ == "__main__":
    main()
