"""Train the key-point encoder ``src/counterpoint/models/kp-encoder-v2.safetensors``.

    .venv/bin/python training/train_kp_encoder.py [--epochs 3] [--threads 2] [--test] [--v1]

The bundled all-MiniLM-L6-v2 (mean pooling, unit vectors) fine-tuned so that an argument lies close
to the key point it makes and to the other arguments making it, and far from the other key points
of its topic. Data: ArgKP-2021 ``kpm_data`` **train** only (arguments, key points, labelled
matches; read from ../shared/data, never copied). Loss: for each argument of a batch that makes a
key point, the other texts of the batch (its batch's key points and arguments) are ranked by
cosine x ``SCALE``; the loss is -log(softmax mass on the ones that share a key point with it),
averaged with the same loss read from each key point (its arguments against the batch's other
arguments). Batches are drawn from one topic at a time and hold the arguments that make none of the
topic's key points too, as negatives only, so the texts an argument must be told apart from are the
other points of the same debate (both stances) and the sentences that make no point, as in one
story. ``--v1`` is kp-encoder-v1's recipe: only the arguments that make a key point, and the loss
read from the arguments alone. The word-embedding table is frozen (the artifact leaves it out and
loads it from the installed package).

Every hyper-parameter is fixed below, before any run; after each epoch ArgKP **dev** (4 topics
not in train) is scored — key point matching mAP (cosine) and the arguments stage's clustering
B-cubed F1 at its best dev threshold — and the epoch with the best mean of the two is kept, with
that threshold written into the artifact. ``--test`` scores the ArgKP test topics once at the end
(evaluation only: nothing is chosen on it). Seed 13, CPU, deterministic for a given thread count.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent / "bench"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from crossenc_common import DATA, SEED, set_up  # noqa: E402
from argkp_kpm import candidate_pairs, kpm_map, load_split  # noqa: E402
from argkp_clusters import GRID, b_cubed, gold_groups  # noqa: E402
from counterpoint.kpencoder import KP_ENCODER_PATH, KPEncoder, build_encoder, save_encoder  # noqa: E402
from counterpoint.pairmodel import WORD_EMBEDDINGS  # noqa: E402

VERSION = "kp-encoder-v2"
VERSION_V1 = "kp-encoder-v1"
BATCH = 32        # arguments per batch (with their key points)
LR = 3e-5
SCALE = 20.0      # cosine x SCALE are the logits
MAX_LEN = 64
EPOCHS = 3
# --with-dev (kp-encoder-v1's recipe on train + dev, not adopted): what the train-only run of kp-encoder-v1 chose
# on dev (model card)
VERSION_WITH_DEV = "kp-encoder-v1-train-dev"
KEEP_WITH_DEV = 1
DISTANCE_WITH_DEV = 0.62


def train_rows(splits: tuple[str, ...] = ("train",), no_match: bool = False
               ) -> tuple[list[tuple[str, str, str]], dict[str, set[str]], dict[str, str]]:
    """[(topic, argument id, argument)], {argument id: key point ids it makes}, {key point id: text}.
    ``no_match``: the arguments that make none of their topic's key points are rows too (negatives only)."""
    rows, makes, kp_text = [], defaultdict(set), {}
    for split in splits:
        args, kps, labels = load_split(DATA, split)
        for (a, k), lab in labels.items():
            if lab == 1:
                makes[a].add(k)
        rows += [(a["topic"], a["arg_id"], a["argument"]) for a in args if no_match or makes.get(a["arg_id"])]
        kp_text.update({k["key_point_id"]: k["key_point"] for k in kps})
    return rows, dict(makes), kp_text


def topic_batches(rows, epoch: int) -> list[list[tuple[str, str, str]]]:
    """Seeded batches of one topic each, in a seeded order."""
    rng = random.Random(SEED + epoch)
    by_topic = defaultdict(list)
    for r in rows:
        by_topic[r[0]].append(r)
    out = []
    for topic in sorted(by_topic):
        items = list(by_topic[topic])
        rng.shuffle(items)
        out += [items[i:i + BATCH] for i in range(0, len(items), BATCH) if len(items[i:i + BATCH]) > 1]
    rng.shuffle(out)
    return out


def batch_loss(model, tok, batch, makes, kp_text, kp_anchor: bool = False) -> torch.Tensor:
    """For each argument that makes a key point: -log of the softmax mass on the texts sharing one with it.
    ``kp_anchor``: averaged with the same loss seen from each key point (its arguments against the batch's other
    arguments, those that make no key point included)."""
    makes = defaultdict(set, makes)
    kp_ids = sorted({k for _, a, _ in batch for k in makes[a]})
    arg_ids = [a for _, a, _ in batch]
    enc_a = tok([t for _, _, t in batch], truncation=True, max_length=MAX_LEN, padding=True, return_tensors="pt")
    enc_k = tok([kp_text[k] for k in kp_ids], truncation=True, max_length=MAX_LEN, padding=True, return_tensors="pt")
    A, K = model(**enc_a), model(**enc_k)
    logits = SCALE * torch.cat([A @ K.T, A @ A.T], dim=1)
    pos = torch.zeros_like(logits, dtype=torch.bool)
    valid = torch.ones_like(logits, dtype=torch.bool)
    for i, a in enumerate(arg_ids):
        for j, k in enumerate(kp_ids):
            pos[i, j] = k in makes[a]
        for j, b in enumerate(arg_ids):
            if i == j:
                valid[i, len(kp_ids) + j] = False
            elif makes[a] & makes[b]:
                pos[i, len(kp_ids) + j] = True
    neg_inf = torch.finfo(logits.dtype).min
    all_ = torch.logsumexp(logits.masked_fill(~valid, neg_inf), dim=1)
    good = torch.logsumexp(logits.masked_fill(~pos, neg_inf), dim=1)
    anchor = pos.any(dim=1)
    loss = (all_ - good)[anchor].mean() if anchor.any() else logits.sum() * 0
    if kp_anchor and kp_ids:
        kl = SCALE * (K @ A.T)
        kpos = pos[:, :len(kp_ids)].T
        loss = (loss + (torch.logsumexp(kl, dim=1) - torch.logsumexp(kl.masked_fill(~kpos, neg_inf), dim=1)).mean()) / 2
    return loss


def evaluate(enc: KPEncoder, split: str, threshold: float | None = None) -> dict:
    """KPM mAP (cosine) and clustering B-cubed (best dev threshold, or the one given)."""
    from counterpoint.stages.arguments import cluster_vectors

    args, kps, labels = load_split(DATA, split)
    pairs = candidate_pairs(args, kps)
    kp_text = {k["key_point_id"]: k["key_point"] for k in kps}
    A = enc.embed([a["argument"] for a in args])
    K = enc.embed(list(kp_text.values()))
    kidx = {k: i for i, k in enumerate(kp_text)}
    scores = {a["arg_id"]: {k: float(A[i] @ K[kidx[k]]) for k in pairs[a["arg_id"]]} for i, a in enumerate(args)}
    strict, relaxed = kpm_map(args, labels, scores)
    groups = gold_groups(args, labels)
    vec = {a["argument"]: A[i] for i, a in enumerate(args)}

    def b3(t):
        P = R = n = 0.0
        for items in groups.values():
            pred = cluster_vectors(np.stack([vec[x] for x, _ in items]), t)
            p, r = b_cubed(pred, [k for _, k in items])
            P, R, n = P + p, R + r, n + len(items)
        P, R = P / n, R / n
        return P, R, 2 * P * R / (P + R)

    grid = [threshold] if threshold is not None else GRID
    best = max(((t, *b3(t)) for t in grid), key=lambda r: (r[3], -r[0]))
    return dict(strict=strict, relaxed=relaxed, threshold=best[0], P=best[1], R=best[2], F1=best[3])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--test", action="store_true", help="score the ArgKP test topics once at the end")
    ap.add_argument("--out", type=Path, default=KP_ENCODER_PATH)
    ap.add_argument("--with-dev", action="store_true",
                    help="train on train + dev with what the train-only run chose on dev (keep epoch "
                         f"{KEEP_WITH_DEV} of the {EPOCHS}-epoch schedule, cluster distance {DISTANCE_WITH_DEV}); "
                         "nothing is scored on dev")
    ap.add_argument("--v1", action="store_true",
                    help="kp-encoder-v1's recipe: no arguments that make no key point, loss read from arguments only")
    a = ap.parse_args()
    v1 = a.v1 or a.with_dev
    path, tok = set_up(a.threads)
    rows, makes, kp_text = train_rows(("train", "dev") if a.with_dev else ("train",), no_match=not v1)
    if a.with_dev:
        assert a.epochs == EPOCHS, "the schedule is the one the train-only run chose on"
        return train_with_dev(a, path, tok, rows, makes, kp_text)
    run = TrainingRun(path, tok, rows, makes, kp_text, a.epochs, kp_anchor=not v1)
    model, steps = run.model, run.steps
    version = VERSION_V1 if v1 else VERSION
    print(f"{version}: {len(rows)} arguments ({sum(1 for r in rows if makes.get(r[1]))} make a key point), "
          f"{len(kp_text)} key points, {steps} steps", flush=True)
    enc = KPEncoder(model, tok, version, MAX_LEN)
    model.eval()
    base = evaluate(enc, "dev")
    print(f"epoch 0 (bundled MiniLM) dev: mAP strict {base['strict']:.3f} relaxed {base['relaxed']:.3f}; "
          f"B3 F1 {base['F1']:.3f} at {base['threshold']}", flush=True)
    best, best_state = None, None
    for ep in range(a.epochs):
        run.epoch(ep)
        d = evaluate(enc, "dev")
        mean = (d["strict"] + d["F1"]) / 2
        print(f"epoch {ep + 1} dev: mAP strict {d['strict']:.3f} relaxed {d['relaxed']:.3f}; B3 P {d['P']:.3f} "
              f"R {d['R']:.3f} F1 {d['F1']:.3f} at {d['threshold']}; mean {mean:.3f}", flush=True)
        if best is None or mean > best[0]:
            best = (mean, ep + 1, d)
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    train_s = time.perf_counter() - run.t0
    model.load_state_dict(best_state)
    model.eval()
    _, epoch, d = best
    meta = dict(version=version, max_len=MAX_LEN, seed=SEED, epochs_run=a.epochs, epoch_kept=epoch, lr=LR,
                batch=BATCH, scale=SCALE, cluster_distance=d["threshold"], train="ArgKP-2021 kpm_data train",
                no_match_negatives=not v1, loss_from_key_points=not v1,
                dev=dict(map_strict=round(d["strict"], 4), map_relaxed=round(d["relaxed"], 4),
                         b3_f1=round(d["F1"], 4)), threads=a.threads, train_seconds=round(train_s))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    save_encoder(model, a.out, meta)
    print(f"kept epoch {epoch}; trained {train_s:.0f}s on {a.threads} threads; wrote {a.out} "
          f"({a.out.stat().st_size / 1e6:.1f} MB)", flush=True)
    if a.test:
        score_test(enc, d["threshold"])


def train_with_dev(a, path, tok, rows, makes, kp_text) -> None:
    """The train-only recipe on train + dev, stopped after the epoch the train-only run kept; dev is training data
    here, so nothing is chosen: the epoch and the cluster distance are the train-only run's."""
    run = TrainingRun(path, tok, rows, makes, kp_text, a.epochs)
    print(f"train + dev: {len(rows)} arguments with a key point, {len(kp_text)} key points, {run.steps} steps "
          f"scheduled, stopping after epoch {KEEP_WITH_DEV}", flush=True)
    for ep in range(KEEP_WITH_DEV):
        run.epoch(ep)
    train_s = time.perf_counter() - run.t0
    meta = dict(version=VERSION_WITH_DEV, max_len=MAX_LEN, seed=SEED, epochs_scheduled=a.epochs,
                epoch_kept=KEEP_WITH_DEV, lr=LR, batch=BATCH, scale=SCALE, cluster_distance=DISTANCE_WITH_DEV,
                train="ArgKP-2021 kpm_data train + dev", threads=a.threads, train_seconds=round(train_s))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    save_encoder(run.model, a.out, meta)
    print(f"trained {train_s:.0f}s on {a.threads} threads; wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB)",
          flush=True)
    if a.test:
        score_test(KPEncoder(run.model, tok, VERSION_WITH_DEV, MAX_LEN), DISTANCE_WITH_DEV)


class TrainingRun:
    """The encoder (word table frozen), AdamW and the linear warm-up schedule over ``epochs`` epochs of ``rows``;
    ``epoch(n)`` trains one epoch and leaves the model in eval mode."""

    def __init__(self, path, tok, rows, makes, kp_text, epochs: int, kp_anchor: bool = False):
        from transformers import get_linear_schedule_with_warmup

        self.tok, self.rows, self.makes, self.kp_text, self.kp_anchor = tok, rows, makes, kp_text, kp_anchor
        self.model = build_encoder(path)
        self.model.enc.embeddings.word_embeddings.weight.requires_grad_(False)
        self.steps = epochs * len(topic_batches(rows, 0))
        self.params = [p for p in self.model.parameters() if p.requires_grad]
        self.opt = torch.optim.AdamW(self.params, lr=LR, weight_decay=0.01)
        self.sched = get_linear_schedule_with_warmup(self.opt, int(0.1 * self.steps), self.steps)
        self.step, self.t0 = 0, None     # t0: when the first epoch starts (the seconds are training's only)

    def epoch(self, ep: int) -> None:
        if self.t0 is None:
            self.t0 = time.perf_counter()
        self.model.train()
        run = 0.0
        for batch in topic_batches(self.rows, ep):
            loss = batch_loss(self.model, self.tok, batch, self.makes, self.kp_text, self.kp_anchor)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.params, 1.0)
            self.opt.step()
            self.sched.step()
            self.opt.zero_grad()
            self.step += 1
            run += loss.item()
            if self.step % 25 == 0:
                print(f"  step {self.step}/{self.steps} loss {run / 25:.3f} {time.perf_counter() - self.t0:.0f}s",
                      flush=True)
                run = 0.0
        self.model.eval()


def score_test(enc: KPEncoder, distance: float) -> None:
    """ArgKP test, scored once at the end (nothing is chosen on it)."""
    t = evaluate(enc, "test", distance)
    print(f"test (scored once): mAP strict {t['strict']:.3f} relaxed {t['relaxed']:.3f}; B3 P {t['P']:.3f} "
          f"R {t['R']:.3f} F1 {t['F1']:.3f} at {t['threshold']}", flush=True)


if __name__ == "__main__":
    main()
