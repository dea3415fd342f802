"""The two embedding backends: ONNX Runtime (exported locally from the bundled model, int8 for long
texts) agrees with torch, gives a text the same vector whatever shares its batch, keeps its own
cache identity, and a model the ONNX path cannot reproduce is recognised before any export."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from hippo.config import ConfigError, Settings
from hippo.embed import Embedder, bundled_model_path, shared_embedder
from hippo.embed_onnx import SHORT_TOKENS, ensure_export, model_layout
from hippo.errors import UserError

TEXTS = [
    "ada lovelace",
    "Maren Tolvik wrote The Glass Orchard",
    "Bergen\nBergen is a city and municipality in Vestland county on the west coast of Norway. It is the "
    "second-largest city in Norway and was the capital of the country in the thirteenth century.",
    "Carmen is an opera in four acts by the French composer Georges Bizet. " * 40,  # past 256 tokens: truncated
]


@pytest.fixture(scope="module")
def pair() -> tuple[Embedder, Embedder]:
    return (shared_embedder(disk_cache="off", backend="onnx"), shared_embedder(disk_cache="off", backend="torch"))


def test_onnx_vectors_agree_with_torch(pair: tuple[Embedder, Embedder]) -> None:
    onnx, torch = pair
    assert onnx.backend.startswith("onnx-") and torch.backend == "torch" and onnx.dim == torch.dim == 384
    a, b = onnx.embed(TEXTS), torch.embed(TEXTS)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    cosine = (a * b).sum(axis=1)
    assert cosine.min() >= 0.98, cosine
    # and they still tell different texts apart
    assert float(a[0] @ a[2]) < 0.9


def test_a_vector_does_not_depend_on_its_batch(pair: tuple[Embedder, Embedder]) -> None:
    onnx, _ = pair
    together = onnx.embed(TEXTS, persist=False)
    for text, row in zip(TEXTS, together, strict=True):
        alone = onnx._compute([text], None, 1)[0]  # the model itself, no cache in between
        assert np.abs(alone - row).max() < 1e-6


def test_long_texts_take_the_int8_model_when_it_passed_the_check() -> None:
    layout = model_layout(bundled_model_path())
    assert layout is not None and layout.pooling == "mean" and layout.normalize and layout.max_seq_length == 256
    folder, quality = ensure_export(layout)
    assert (folder / "fp32.onnx").is_file() and (folder / "int8.onnx").is_file()
    assert quality["chosen"] in ("int8", "fp32")
    if quality["chosen"] == "int8":
        assert quality["int8"]["mean_cosine"] >= quality["required"]["mean_cosine"]
    # a second call finds the export instead of making another
    assert ensure_export(layout) == (folder, quality)
    assert SHORT_TOKENS < 256


def test_backends_keep_separate_cache_entries(tmp_path: Path) -> None:
    cache = str(tmp_path / "vectors.sqlite")
    onnx = Embedder(disk_cache=cache, backend="onnx")
    torch = Embedder(disk_cache=cache, backend="torch")
    assert onnx.disk is not None and torch.disk is not None and onnx.disk.model != torch.disk.model
    onnx.embed(["a text only onnx has embedded"])
    torch.embed(["a text only onnx has embedded"])
    assert torch.computed == 1  # not served the other backend's vector


def test_unsupported_layouts_are_recognised(tmp_path: Path) -> None:
    source = Path(bundled_model_path())
    folder = tmp_path / "model"
    folder.mkdir()
    for name in ("modules.json", "sentence_bert_config.json", "tokenizer.json"):
        shutil.copy(source / name, folder / name)
    (folder / "1_Pooling").mkdir()
    pooling = json.loads((source / "1_Pooling" / "config.json").read_text())
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert model_layout(folder) is not None
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_max_tokens=True)
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert model_layout(folder) is None  # max pooling: torch only
    assert model_layout(tmp_path / "nowhere") is None


def test_backend_and_threads_are_validated() -> None:
    with pytest.raises(ConfigError, match="embedding_backend"):
        Settings.from_env({"HIPPO_EMBEDDING_BACKEND": "tensorflow"})
    with pytest.raises(ConfigError, match="embedding_threads"):
        Settings.from_env({"HIPPO_EMBEDDING_THREADS": "-1"})
    assert Settings.from_env({"HIPPO_EMBEDDING_BACKEND": "torch"}).embedding_backend == "torch"
    with pytest.raises(UserError, match="backend"):
        Embedder(backend="tensorflow")
