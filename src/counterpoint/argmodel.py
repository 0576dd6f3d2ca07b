"""The argument-sentence detector: MiniLM embedding + lexical cues → logistic regression.

Trained by ``training/train_argument.py``; weights live in ``models/argument-v1.npz``
as plain numpy arrays (no pickle).
"""
from __future__ import annotations

import json
import re
from importlib import resources
from typing import Callable, Sequence

import numpy as np

from .errors import ModelMissingError

FEATURE_NOTE = "384-d MiniLM embedding + 8 cues: modal, first person, second person, question, quote marks, digits, evaluative, length"

_MODAL = re.compile(r"\b(should|must|ought|need to|needs to|deserve[sd]?|has to|have to|can't|cannot|shouldn't)\b", re.I)
_FIRST = re.compile(r"\b(I|we|my|our|me|us|I'm|I’m)\b")
_SECOND = re.compile(r"\b(you|your)\b", re.I)
_QUOTE = re.compile(r"[“”\"]")
_DIGIT = re.compile(r"\d")
_EVAL = re.compile(r"\b(good|bad|better|worse|best|worst|wrong|right|unfair|fair|important|dangerous|harmful|"
                   r"beneficial|ridiculous|absurd|clearly|obviously|simply|truly|really)\b", re.I)


def cue_features(text: str) -> list[float]:
    n = max(len(text.split()), 1)
    return [
        float(bool(_MODAL.search(text))),
        float(bool(_FIRST.search(text))),
        float(bool(_SECOND.search(text))),
        float(text.rstrip().endswith("?")),
        float(bool(_QUOTE.search(text))),
        min(len(_DIGIT.findall(text)) / n, 1.0),
        float(bool(_EVAL.search(text))),
        min(n / 40.0, 2.0),
    ]


class ArgumentModel:
    def __init__(self, coef: np.ndarray, intercept: float, meta: dict, embed: Callable[[Sequence[str]], np.ndarray]):
        self.coef, self.intercept, self.meta, self.embed = coef, intercept, meta, embed
        self.version = meta.get("version", "argument-v1")

    def probs(self, sentences: Sequence[str]) -> np.ndarray:
        """Probability that each sentence is an argument (an opinion or a reason for one)."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        X = np.hstack([self.embed(list(sentences)), np.array([cue_features(s) for s in sentences], dtype=np.float32)])
        return 1.0 / (1.0 + np.exp(-(X @ self.coef + self.intercept)))


def load_argument_model(embed) -> ArgumentModel:
    try:
        ref = resources.files("counterpoint.models").joinpath("argument-v1.npz")
        with ref.open("rb") as f:
            z = np.load(f, allow_pickle=False)
            return ArgumentModel(z["coef"], float(z["intercept"]), json.loads(str(z["meta"])), embed)
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise ModelMissingError(
            "models/argument-v1.npz is missing; rebuild it with: python training/train_argument.py"
        ) from exc
