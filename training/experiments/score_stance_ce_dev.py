"""Score stance cross-encoder artifacts on the selection sets of ``training/train_stance_ce.py``, both readings.

    .venv/bin/python training/experiments/score_stance_ce_dev.py MODEL.safetensors [MODEL2 ...]

ArgKP ``arguments_dev.csv`` (4 topics not in train) and PERSPECTRUM dev, each as written and against its claim
turned round by rule (``negate_claim``, label flipped; claims the rule can only prefix with "It is not true that"
left out) — the four columns the model card's selection table reports. Dev only: nothing here reads a test split.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent / "src"))

from crossenc_common import read_argkp, read_perspectrum, set_up  # noqa: E402
from train_stance_ce import accuracy, negated  # noqa: E402
from counterpoint.pairmodel import load_pair_model  # noqa: E402


def main() -> None:
    set_up(2)
    sets = {"argkp dev": read_argkp("arguments_dev.csv"), "perspectrum dev": read_perspectrum("dev")}
    print("model | " + " | ".join(f"{k} | {k} turned round" for k in sets) + " | mean")
    for path in sys.argv[1:]:
        model = load_pair_model(Path(path), threads=2)
        accs = []
        for pairs in sets.values():
            accs += [accuracy(model, pairs)[0], accuracy(model, negated(pairs))[0]]
        print(f"{Path(path).name} | " + " | ".join(f"{a:.3f}" for a in accs) + f" | {sum(accs) / len(accs):.3f}",
              flush=True)


if __name__ == "__main__":
    main()
