"""Argument-sentence detection on data the detector never saw: ArgKP-2021 test arguments and news narration.

    .venv/bin/python bench/argument_detection.py [--data ../shared/data]

The detector (``models/argument-v1.npz``, trained on ArgKP train + dev arguments against sentences of FNC-1
``train_bodies.csv``) is run over:

- **ArgKP-2021 test arguments** (3 topics never used in training; every one is an argument with a stance):
  recall — the share the detector calls an argument — at the two floors the arguments stage uses
  (``MIN_ARG_PROB`` 0.5 in an article that takes no side, ``MIN_ARG_PROB_OPINION`` 0.2 in one that does);
- **news narration**: MEANTIME's 120 Wikinews articles (one sentence a line after the title and dateline) and the
  bodies of FNC-1's claim-disjoint ``eval`` split (``competition_test_bodies.csv``, sentences cut as the training
  script cuts them). The false-argument rate is the share of sentences called arguments at each floor, over all
  sentences and over those with no quotation mark (the author's narration; a quoted sentence is someone else's
  opinion, which the stage leaves out by voice anyway). FNC-1 bodies include some opinion writing, so their rate is
  an upper bound on the false-argument rate.

The side of each argument toward its topic is measured by ``bench/argkp_stance.py``. Nothing is tuned here.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "training"))

csv.field_size_limit(10**9)
QUOTE = re.compile(r"[\"“”]|''|``")


def argkp_test(data: Path) -> list[str]:
    with open(data / "argkp" / "test_data" / "arguments_test.csv", newline="", encoding="utf-8") as f:
        return [r["argument"].strip() for r in csv.DictReader(f)]


def meantime_sentences(data: Path) -> list[str]:
    from timex_meantime import read_doc

    out = []
    for path in sorted((data / "timex" / "meantime-en" / "intra-doc_annotation").glob("corpus_*/*.xml")):
        lines = read_doc(path, "detok").text.split("\n")
        out += [s.strip() for s in lines[1:] if len(s.split()) >= 4]   # past the title; the dateline is short
    return [s for s in out if not re.fullmatch(r"[A-Z][a-z]+ \d\d?, \d{4}", s)]


def fnc_eval_sentences(data: Path) -> list[str]:
    from train_argument import split_sentences

    with open(data / "fnc1" / "split.csv", newline="", encoding="utf-8") as f:
        ids = {r["Body ID"] for r in csv.DictReader(f) if r["split"] == "eval"}
    with open(data / "fnc1" / "competition_test_bodies.csv", newline="", encoding="utf-8") as f:
        bodies = [r["articleBody"] for r in csv.DictReader(f) if r["Body ID"] in ids]
    return [s for b in bodies for s in split_sentences(b)]


def rates(p: np.ndarray, floors: tuple[float, ...]) -> str:
    return ", ".join(f"{(p >= t).mean() * 100:.1f} % at {t}" for t in floors)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    a = ap.parse_args(argv)
    from counterpoint.resources import Resources
    from counterpoint.stages.arguments import MIN_ARG_PROB, MIN_ARG_PROB_OPINION

    floors = (MIN_ARG_PROB, MIN_ARG_PROB_OPINION)
    t0 = time.perf_counter()
    model = Resources().argument_model
    sets = {"ArgKP-2021 test arguments": argkp_test(a.data), "MEANTIME news sentences": meantime_sentences(a.data),
            "FNC-1 eval-split body sentences": fnc_eval_sentences(a.data)}
    print(f"machine: {os.cpu_count()} cores; detector {model.version}; floors {floors[0]} (article taking no side) "
          f"and {floors[1]} (article taking a side)")
    for name, sents in sets.items():
        p = model.probs(sents)
        if name.startswith("ArgKP"):
            print(f"{name}: {len(sents)} sentences; recall {rates(p, floors)}")
            continue
        plain = np.array([not QUOTE.search(s) for s in sents])
        print(f"{name}: {len(sents)} sentences; called arguments {rates(p, floors)}")
        print(f"  without quotation marks ({int(plain.sum())}): {rates(p[plain], floors)}")
        shown: set[str] = set()
        for i in np.argsort(-p):      # the narration sentences it is surest of, each text once
            if plain[i] and sents[i] not in shown and len(shown) < 5:
                shown.add(sents[i])
                print(f"    {p[i]:.2f}  {sents[i][:110]}")
    print(f"runtime {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
