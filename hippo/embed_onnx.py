"""ONNX Runtime inference for a sentence-transformers model (Transformer → mean or CLS pooling →
optional L2 normalisation), exported locally from the installed weights at first use.

Nothing is downloaded: ``torch.onnx.export`` traces the installed model, onnxruntime's transformer
optimiser fuses attention, layer norms and GELU, and dynamic int8 quantisation (per-channel weights)
shrinks the matrix products — all but the ones int8 hurts most (``float32_nodes``: the fused
self-attention and each feed-forward block's second product). The int8 model is kept only if its
vectors agree with the torch model's on a fixed sample (mean cosine ≥ ``MIN_MEAN_COSINE``, every
text ≥ ``MIN_COSINE``); otherwise the fused float32 model is used. The tokenizer is the model's own
``tokenizer.json``.

The export lives in ``<cache>/<key>/`` where the key hashes the weights' identity, the library
versions and ``EXPORT_VERSION``; it is written to a temporary folder and renamed, so concurrent
first uses never see half a model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hippo.errors import UserError

log = logging.getLogger(__name__)

EXPORT_VERSION = 4
# agreement with torch's vectors over the sample. Every product int8 (per-channel) reaches a mean of
# 0.9942 here and cost musique dense Recall@5 2.0 points against float32 (60.17 vs 62.17, 1,890
# passages, 100 questions); with attention alone left float32, 0.9953 and 1.3 points. With
# float32_nodes left float32, 0.9975 and -0.33 (hotpotqa_train +0.5), within the 0.5 allowed
# (benchmarks/results/embed_int8.md): 0.996 keeps the ones that held recall and refuses the rest
MIN_MEAN_COSINE = 0.996
MIN_COSINE = 0.95  # and for every text of it: no outlier that a mean would hide
SHORT_TOKENS = 32  # texts up to this many tokens (entities, facts) run in float32 batches, longer ones int8 alone
SHORT_BATCH_TOKENS = 1024  # padded tokens per float32 batch: 8192 was 1.3-1.8x slower (cache misses)

# the agreement sample: short phrases (entities), facts and passage-like sentences, as indexing sees them
QUALITY_SAMPLE = (
    "ada lovelace", "st petersburg", "the glass orchard", "1998 fifa world cup", "bergen", "the beatles",
    "Ada Lovelace wrote notes on the Analytical Engine",
    "Maren Tolvik born in Bergen", "Paris capital of France", "Mount Everest height 8848 metres",
    "Who directed the film that won the Palme d'Or in 1994?",
    "When was the composer of the opera Carmen born?",
    "Alan Turing\nAlan Mathison Turing was an English mathematician, computer scientist, logician, "
    "cryptanalyst, philosopher and theoretical biologist. He was highly influential in the development "
    "of theoretical computer science, providing a formalisation of the concepts of algorithm and "
    "computation with the Turing machine, which can be considered a model of a general-purpose computer.",
    "Bergen\nBergen is a city and municipality in Vestland county on the west coast of Norway. It is the "
    "second-largest city in Norway. The municipality covers 465 square kilometres and is on the "
    "peninsula of Bergenshalvøyen.",
    "The Nile is a major north-flowing river in northeastern Africa. It flows into the Mediterranean Sea.",
    "Zürich, Montréal and Kraków are cities; 東京 is the capital of Japan.",
)


@dataclass(frozen=True)
class ModelLayout:
    """What the ONNX graph must reproduce, read from the sentence-transformers folder."""

    path: Path
    pooling: str  # "mean" | "cls"
    normalize: bool
    max_seq_length: int


def model_layout(path: str | Path) -> ModelLayout | None:
    """The layout of a sentence-transformers folder, or None when the ONNX path cannot reproduce it
    (other modules than Transformer/Pooling/Normalize, other pooling modes, no tokenizer.json)."""
    root = Path(path)
    try:
        modules = json.loads((root / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return None
    if modules[0].get("path", "") not in ("", "."):
        return None
    if not (root / "tokenizer.json").is_file():
        return None
    try:
        pooling_cfg = json.loads((root / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
        st_cfg = json.loads((root / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None
    modes = [k for k, v in pooling_cfg.items() if k.startswith("pooling_mode_") and v]
    if modes == ["pooling_mode_mean_tokens"]:
        pooling = "mean"
    elif modes == ["pooling_mode_cls_token"]:
        pooling = "cls"
    else:
        return None
    return ModelLayout(root, pooling, len(kinds) == 3, int(st_cfg.get("max_seq_length") or 512))


def _export_key(layout: ModelLayout) -> str:
    # versions from the package metadata: importing torch and transformers costs a query process
    # seconds at start, and only an export needs them
    from importlib.metadata import version

    weights = sorted(layout.path.glob("*.safetensors")) or sorted(layout.path.glob("*.bin"))
    ident = [str(layout.path.resolve()), layout.pooling, str(layout.normalize), str(layout.max_seq_length),
             version("torch"), version("transformers"), version("onnxruntime"), str(EXPORT_VERSION)]
    ident += [f"{w.name}:{w.stat().st_size}:{int(w.stat().st_mtime)}" for w in weights]
    return hashlib.sha256("\n".join(ident).encode()).hexdigest()[:20]


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hippo" / "onnx"


class _Pooled:
    """The traced graph: transformer, pooling and normalisation in one ONNX model."""

    @staticmethod
    def build(layout: ModelLayout) -> Any:
        import torch
        from transformers import AutoModel

        # eager attention exports as plain MatMul/Softmax, which the optimiser fuses into one op
        model = AutoModel.from_pretrained(str(layout.path), attn_implementation="eager").eval()

        class Pooled(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any, attention_mask: Any) -> Any:
                hidden = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                    token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
                if layout.pooling == "cls":
                    vec = hidden[:, 0]
                else:
                    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                    vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(vec, p=2.0, dim=1) if layout.normalize else vec

        return Pooled().eval()


def quiet_transformers() -> None:
    """Silence transformers' weight-loading progress bar (noise on every command). Called where
    transformers is loaded anyway: importing it only for this costs a query process seconds."""
    import transformers

    transformers.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]


def _export(layout: ModelLayout, folder: Path) -> None:
    """fp32.onnx (fused), int8.onnx (per-channel dynamic quantisation but for float32_nodes) and quality.json in
    ``folder``."""
    import onnx
    import torch

    quiet_transformers()
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    module = _Pooled.build(layout)
    config = module.model.config
    dummy = torch.ones((2, 8), dtype=torch.long)
    raw = folder / "raw.onnx"
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the tracer's notes on shape-dependent Python branches
        torch.onnx.export(
            module, (dummy, dummy), str(raw), input_names=["input_ids", "attention_mask"],
            output_names=["embedding"], opset_version=17, dynamo=False,
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "embedding": {0: "batch"}},
        )
    heads = int(getattr(config, "num_attention_heads", 0) or 0)
    hidden = int(getattr(config, "hidden_size", 0) or 0)
    optimized = optimize_model(str(raw), model_type="bert", num_heads=heads, hidden_size=hidden)
    optimized.save_model_to_file(str(folder / "fp32.onnx"))
    raw.unlink()
    kept = float32_nodes(onnx.load(str(folder / "fp32.onnx")))
    root_logger = logging.getLogger()
    level = root_logger.level
    root_logger.setLevel(logging.ERROR)  # quantize_dynamic's "consider pre-processing" note
    try:
        quantize_dynamic(str(folder / "fp32.onnx"), str(folder / "int8.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True, nodes_to_exclude=kept,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        root_logger.setLevel(level)
    report = quality_check(layout, folder)
    report["float32_nodes"] = len(kept)
    (folder / "quality.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


def float32_nodes(model: Any) -> list[str]:
    """Names of the nodes of the fused float32 graph the int8 model keeps in float32: the fused
    self-attention (its query/key/value products) and each feed-forward block's second product,
    the MatMul fed by the GELU (a wide, skewed input that one dynamic int8 scale per tensor serves
    worst). Measured on the bundled model: with these in float32 a passage's vector keeps a cosine
    of 0.998 to float32's instead of 0.995, at 1.3-2.0x a float32 batch's speed on passages instead
    of 2.4x (1.2-1.3x on an index's mix, whose short texts stay float32)."""
    gelu = {out for node in model.graph.node if node.op_type in ("BiasGelu", "FastGelu", "Gelu")
            for out in node.output}
    return [node.name for node in model.graph.node
            if node.op_type == "Attention" or (node.op_type == "MatMul" and node.input[0] in gelu)]


def quality_check(layout: ModelLayout, folder: Path) -> dict[str, Any]:
    """torch's own sentence-transformers vectors of QUALITY_SAMPLE against each ONNX model in
    ``folder``; "chosen" names the precision long texts are to run in."""
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(layout.path), device="cpu").encode(
        list(QUALITY_SAMPLE), batch_size=32, convert_to_numpy=True, normalize_embeddings=True)
    report: dict[str, Any] = {"sample": len(QUALITY_SAMPLE), "required": {"mean_cosine": MIN_MEAN_COSINE,
                                                                           "min_cosine": MIN_COSINE}}
    for precision in ("int8", "fp32"):
        # every sample text through the model being checked, one at a time as long texts run
        encoder = OnnxEncoder(layout, folder, precision, threads=1)
        vectors = np.stack([encoder._long.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
                            for ids in (np.asarray([e.ids], np.int64)
                                        for e in encoder._tokenizer.encode_batch(list(QUALITY_SAMPLE)))])
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        cos = (vectors * reference).sum(axis=1)
        report[precision] = {"min_cosine": float(cos.min()), "mean_cosine": float(cos.mean())}
    int8 = report["int8"]
    report["chosen"] = "int8" if int8["mean_cosine"] >= MIN_MEAN_COSINE and int8["min_cosine"] >= MIN_COSINE else "fp32"
    return report


def ensure_export(layout: ModelLayout, cache_dir: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """(folder of the exported models, the quality report naming the precision of long texts),
    exporting on first use."""
    root = (cache_dir or default_cache_dir()) / _export_key(layout)
    if not (root / "quality.json").is_file():
        root.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=root.parent))
        start = time.perf_counter()
        log.info("exporting %s to ONNX (first use; kept in %s)", layout.path, root)
        try:
            _export(layout, tmp)
            try:
                tmp.rename(root)
            except OSError:  # another process finished first: its export is as good
                if not (root / "quality.json").is_file():
                    raise
        except Exception as exc:
            raise UserError(f"cannot export embedding model {layout.path} to ONNX ({type(exc).__name__}: {exc}); "
                            "set HIPPO_EMBEDDING_BACKEND=torch") from exc
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        log.info("ONNX export took %.1f s", time.perf_counter() - start)
    report = json.loads((root / "quality.json").read_text(encoding="utf-8"))
    return root, report


class OnnxEncoder:
    """Tokenises with the model's tokenizer.json and runs the texts through ONNX Runtime.

    Texts run in length-sorted float32 batches of at most SHORT_BATCH_TOKENS padded tokens (a
    batch changes a vector only by float rounding, ~1e-7). When the int8 model passed the export's
    check, long texts (passages) instead run through it one at a time, unpadded: dynamic int8
    quantisation scales activations per tensor, so an int8 batch would change every row with its
    neighbours (cosine 0.988 between a passage alone and in a batch, measured), and alone it is
    still 1.3-2x the float32 batches (benchmarks/results/embed_int8.md).
    Thread-safe: onnxruntime's ``run`` may be called concurrently.
    """

    def __init__(self, layout: ModelLayout, folder: Path, chosen: str, threads: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.layout = layout
        self.folder = folder
        self.chosen = chosen
        self.threads = threads
        self._tokenizer = Tokenizer.from_file(str(layout.path / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=layout.max_seq_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # a spinning worker steals the core another process needs; on a busy machine that is
        # slower for everyone, this process included
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")

        def session(name: str) -> Any:
            return ort.InferenceSession(str(folder / f"{name}.onnx"), options, providers=["CPUExecutionProvider"])

        self._short = session("fp32")
        self._long = session("int8") if chosen == "int8" else self._short
        self.dim = int(self._short.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """(len(texts), dim) float32 in input order."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=True)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        order = np.argsort(lengths, kind="stable")
        is_long = lengths[order] > SHORT_TOKENS if self._long is not self._short else np.zeros(len(order), bool)
        short, long = order[~is_long], order[is_long]
        start = 0
        while start < len(short):
            # sorted ascending, so a batch's longest text is its last: grow while the padded size fits
            end = start + 1
            while end < len(short) and (end - start + 1) * lengths[short[end]] <= SHORT_BATCH_TOKENS:
                end += 1
            rows = short[start:end]
            width = int(lengths[rows[-1]])
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, k in enumerate(rows):
                enc = encodings[k].ids
                ids[r, : len(enc)] = enc
                mask[r, : len(enc)] = 1
            out[rows] = self._short.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            if progress is not None:
                progress(len(rows))
            start = end
        for n, k in enumerate(long, start=1):
            ids = np.asarray([encodings[k].ids], dtype=np.int64)
            out[k] = self._long.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
            if progress is not None and (n % 16 == 0 or n == len(long)):
                progress(16 if n % 16 == 0 else n % 16)
        return out
