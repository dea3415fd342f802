"""int8 variants of the bundled model's ONNX export against its float32 model (issue 20).

Each variant is a quantisation of the export's fused ``fp32.onnx`` (onnxruntime.quantization):
dynamic (per-tensor or per-channel weights, reduce_range, some nodes left in float32) and static
QDQ calibrated on corpus passages. A variant is run exactly as the backend runs its int8 model
(hippo.embed_onnx.OnnxEncoder: texts of up to SHORT_TOKENS tokens in float32 batches, longer ones
through the int8 model one at a time), unless its name ends in ``-batched`` (every text through it,
in the float32 batches' padded batches: only sound for static quantisation, whose activation
scales do not depend on the batch).

* ``quality`` — dense Recall@5 (gold matched by hippo.bench.gold) on musique and hotpotqa_train:
  passages as indexing embeds them (title + text), questions by the same variant, and by float32
  alone ("fp32 queries"); mean / min cosine of each variant's passage vectors to float32's.
* ``speed`` — a mix like an index's (musique passages, their sentences with the title, entity
  keys and facts of the OpenIE file) embedded by every variant, taking turns round-robin at one
  intra-op thread; ratios to float32 within the run, load averages before and after.

    python -m hippo.bench.runs.embed_int8 quality speed --variants fp32,dyn-pc,...
writes benchmarks/results/embed_int8.json (parts merged) and embed_int8.md. The exports go to
--work (default /tmp/hippo-embed-int8), never to the user's cache.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path.cwd()
RESULTS = ROOT / "benchmarks" / "results"
OUT = RESULTS / "embed_int8.json"
DATASETS = {"musique": Path("/work/shared/data/musique"), "hotpotqa_train": Path("/work/shared/data/hotpotqa_train")}

_LAYERS = range(6)  # all-MiniLM-L6-v2
_FFN_OUT = [f"/model/encoder/layer.{i}/output/dense/MatMul" for i in _LAYERS]
_FFN_IN = [f"/model/encoder/layer.{i}/intermediate/dense/MatMul" for i in _LAYERS]
_ATT_OUT = [f"/model/encoder/layer.{i}/attention/output/dense/MatMul" for i in _LAYERS]
_ATTENTION = [f"Attention_{i}" for i in _LAYERS]

# name -> how it is made from fp32.onnx
VARIANTS: dict[str, dict[str, Any]] = {
    "fp32": {},
    "dyn-pc": {"kind": "dynamic", "per_channel": True},  # the export's int8 model today
    "dyn-pc-rr": {"kind": "dynamic", "per_channel": True, "reduce_range": True},
    "dyn-tensor": {"kind": "dynamic", "per_channel": False},
    "dyn-pc-matmul": {"kind": "dynamic", "per_channel": True, "op_types": ["MatMul"]},  # fused Attention (QKV) float32
    "dyn-pc-no-ffn-out": {"kind": "dynamic", "per_channel": True, "exclude": _FFN_OUT},
    "dyn-pc-no-last": {"kind": "dynamic", "per_channel": True,
                       "exclude": [_FFN_OUT[5], _FFN_IN[5], _ATT_OUT[5], _ATTENTION[5]]},
    "dyn-pc-ffn-in": {"kind": "dynamic", "per_channel": True, "include": _FFN_IN},
    "dyn-pc-ffn-in-att": {"kind": "dynamic", "per_channel": True, "include": _FFN_IN + _ATTENTION},
    "dyn-pc-no-ffn-out-att": {"kind": "dynamic", "per_channel": True, "exclude": _FFN_OUT + _ATTENTION},
    "static-minmax": {"kind": "static", "method": "MinMax"},
    "static-minmax-batched": {},  # static-minmax, every text through it in batches
    # weight-only 8-bit blocks (MatMulNBits); accuracy_level 4 quantises each row's activations per
    # block to int8 for the product, so a row does not depend on its batch
    "nbits8-b128": {"kind": "nbits", "block": 128, "level": 4},
    "nbits8-b128-batched": {},
    "nbits8-b32": {"kind": "nbits", "block": 32, "level": 4},
}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def _layout() -> Any:
    from hippo.embed import bundled_model_path
    from hippo.embed_onnx import model_layout

    layout = model_layout(bundled_model_path())
    assert layout is not None
    return layout


def _calibration_texts(n: int) -> list[str]:
    # musique passages past the first 300 (the speed mix uses the first ones); quality is also
    # checked on hotpotqa_train, which calibration never sees
    corpus = json.loads((DATASETS["musique"] / "corpus.json").read_text(encoding="utf-8"))
    return [f"{d['title']}\n{d['text']}" for d in corpus[300 : 300 + n]]


class _Reader:
    """Calibration batches for quantize_static: one text at a time, unpadded."""

    def __init__(self, tokenizer: Any, texts: list[str]) -> None:
        self._items: Iterator[dict[str, np.ndarray]] = iter(
            {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            for ids in (np.asarray([e.ids], np.int64) for e in tokenizer.encode_batch(texts)))

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._items, None)


def build(name: str, fp32: Path, work: Path, layout: Any, calibration: int) -> Path:
    """A folder with fp32.onnx and the variant as int8.onnx (the layout OnnxEncoder reads)."""
    if name.endswith("-batched"):  # the same model, run otherwise
        return build(name.removesuffix("-batched"), fp32, work, layout, calibration)
    folder = work / name
    if (folder / "int8.onnx").is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "fp32.onnx").exists():
        (folder / "fp32.onnx").symlink_to(fp32)
    spec = VARIANTS[name]
    tmp = folder / "int8.tmp.onnx"
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_dynamic, quantize_static

    logging.getLogger().setLevel(logging.ERROR)
    if not spec:
        shutil.copy(fp32, tmp)
    elif spec["kind"] == "dynamic":
        nodes = None
        if "include" in spec:
            nodes = spec["include"]
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=spec["per_channel"],
                         reduce_range=spec.get("reduce_range", False), op_types_to_quantize=spec.get("op_types"),
                         nodes_to_quantize=nodes, nodes_to_exclude=spec.get("exclude"),
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    elif spec["kind"] == "nbits":
        _to_matmul_nbits(fp32, tmp, spec["block"], spec["level"])
    else:
        from onnxruntime.tools.symbolic_shape_infer import SymbolicShapeInference
        from tokenizers import Tokenizer

        # the fused graph's contrib ops (SkipLayerNormalization, Attention, BiasGelu) have no types
        # for onnx's own shape inference, and the quantiser leaves an untyped activation float32
        # (only the weights would be int8: weight-only, no faster)
        typed = folder / "typed.onnx"
        onnx.save(SymbolicShapeInference.infer_shapes(onnx.load(str(fp32)), auto_merge=True), str(typed))
        tokenizer = Tokenizer.from_file(str(layout.path / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=layout.max_seq_length)
        extra: dict[str, Any] = {"DefaultTensorType": onnx.TensorProto.FLOAT}
        if spec["method"] == "Percentile":
            extra["CalibPercentile"] = 99.99
        quantize_static(str(typed), str(tmp), _Reader(tokenizer, _calibration_texts(calibration)),
                        quant_format=QuantFormat.QDQ, op_types_to_quantize=["MatMul"], per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=getattr(CalibrationMethod, spec["method"]), extra_options=extra)
        typed.unlink()
    tmp.rename(folder / "int8.onnx")
    return folder


def _to_matmul_nbits(src: Path, dst: Path, block: int, level: int) -> None:
    """Every MatMul with a constant right side as com.microsoft MatMulNBits, 8 bits, symmetric
    scales per ``block`` rows of each output column (stored offset by 128, the default zero point)."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(src))
    weights = {i.name: i for i in model.graph.initializer}
    nodes = []
    for node in model.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in weights:
            nodes.append(node)
            continue
        w = numpy_helper.to_array(weights[node.input[1]]).astype(np.float32)  # (K, N)
        k, n = w.shape
        blocks = -(-k // block)
        padded = np.zeros((n, blocks * block), np.float32)
        padded[:, :k] = w.T
        grouped = padded.reshape(n, blocks, block)
        scale = np.abs(grouped).max(axis=2) / 127.0
        scale[scale == 0] = 1.0
        q = (np.clip(np.rint(grouped / scale[:, :, None]), -127, 127) + 128).astype(np.uint8)
        stem = node.name.replace("/", "_")
        packed = numpy_helper.from_array(q, stem + "_q8")
        scales = numpy_helper.from_array(scale.reshape(-1).astype(np.float32), stem + "_scale")
        model.graph.initializer.extend([packed, scales])
        nodes.append(helper.make_node("MatMulNBits", [node.input[0], packed.name, scales.name], list(node.output),
                                      name=node.name, domain="com.microsoft", K=k, N=n, bits=8, block_size=block,
                                      accuracy_level=level))
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    used = {i for node in model.graph.node for i in node.input}
    kept = [i for i in model.graph.initializer if i.name in used]
    del model.graph.initializer[:]
    model.graph.initializer.extend(kept)
    onnx.save(model, str(dst))


def _encoder(name: str, folder: Path, layout: Any) -> Any:
    from hippo.embed_onnx import OnnxEncoder

    if name == "fp32":
        return OnnxEncoder(layout, folder, "fp32", threads=1)
    enc = OnnxEncoder(layout, folder, "int8", threads=1)
    if name.endswith("-batched"):
        enc._short = enc._long  # every text through the int8 model, in the float32 path's batches
    return enc


def _dataset(name: str) -> tuple[list[str], list[str], list[Any], list[str]]:
    from hippo.bench.datasets import load_dataset
    from hippo.bench.gold import GoldIndex

    ds = load_dataset(DATASETS[name])
    gold = GoldIndex(ds.corpus)
    return ([f"{e.title}\n{e.text}" if e.title else e.text for e in ds.corpus], [e.doc_id for e in ds.corpus],
            [gold.target(q) for q in ds.questions], [q.question for q in ds.questions])


def _recall5(passages: np.ndarray, queries: np.ndarray, doc_ids: list[str], targets: list[Any]) -> float:
    from hippo.bench.baselines import dense_search
    from hippo.bench.metrics import dedupe, recall_at_k

    scores = []
    for q, target in zip(queries, targets, strict=True):
        ranked = dedupe([doc_ids[i] for i, _ in dense_search(q, passages, 50)])
        assert target.mode == "passage"
        scores.append(recall_at_k(ranked, target.keys, 5))
    return round(100 * float(np.mean(scores)), 2)


def part_quality(args: argparse.Namespace, folders: dict[str, Path], layout: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "uptime_before": uptime(),
                           "calibration_texts": args.calibration, "sets": {}}
    for set_name in DATASETS:
        passages, doc_ids, targets, questions = _dataset(set_name)
        rows: dict[str, Any] = {}
        ref_p = ref_q = None
        for name in ["fp32"] + [v for v in folders if v != "fp32"]:
            enc = _encoder(name, folders[name], layout)
            t0 = time.perf_counter()
            p = enc.encode(passages)
            seconds = time.perf_counter() - t0
            q = enc.encode(questions)
            if name == "fp32":
                ref_p, ref_q = p, q
            assert ref_p is not None and ref_q is not None
            cos = (p * ref_p).sum(axis=1)
            rows[name] = {"recall@5": _recall5(p, q, doc_ids, targets),
                          "recall@5_fp32_queries": _recall5(p, ref_q, doc_ids, targets),
                          "cosine_mean": round(float(cos.mean()), 5), "cosine_min": round(float(cos.min()), 5),
                          "query_cosine_mean": round(float((q * ref_q).sum(axis=1).mean()), 5),
                          "passages_s": round(seconds, 1)}
            print(set_name, name, rows[name], load(), flush=True)
        out["sets"][set_name] = {"passages": len(passages), "questions": len(questions), "variants": rows}
    out["uptime_after"] = uptime()
    return out


def speed_texts(n_passages: int, total: int) -> dict[str, list[str]]:
    """An index's mix: passages (title + text), their sentences (``title: sentence``), then entity
    keys and facts of the OpenIE file up to ``total`` texts."""
    from hippo.bench.runs.embed_speed import sample_texts
    from hippo.text import split_sentences

    corpus = json.loads((DATASETS["musique"] / "corpus.json").read_text(encoding="utf-8"))[:n_passages]
    passages = [f"{d['title']}\n{d['text']}" for d in corpus]
    sentences = [f"{d['title']}: {s}" for d in corpus for s in split_sentences(d["text"])]
    _, phrases = sample_texts(1, max(0, total - len(passages) - len(sentences)))
    return {"passages": passages, "sentences": sentences, "phrases": phrases}


def part_speed(args: argparse.Namespace, folders: dict[str, Path], layout: Any) -> dict[str, Any]:
    groups = speed_texts(args.speed_passages, args.speed_total)
    mix = [t for g in groups.values() for t in g]
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(layout.path / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=layout.max_seq_length)
    tokens = {g: int(sum(len(e.ids) for e in tok.encode_batch(texts))) for g, texts in groups.items()}
    encoders = {name: _encoder(name, folder, layout) for name, folder in folders.items()}
    for enc in encoders.values():  # warm-up
        enc.encode(mix[:4] + groups["passages"][:4])
    seconds: dict[str, list[float]] = {n: [] for n in encoders}
    long_seconds: dict[str, list[float]] = {n: [] for n in encoders}
    vectors: dict[str, np.ndarray] = {}
    before, loads = uptime(), [load()]
    for _ in range(args.rounds):
        for name, enc in encoders.items():
            t0 = time.perf_counter()
            vectors[name] = enc.encode(mix)
            seconds[name].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            enc.encode(groups["passages"])
            long_seconds[name].append(time.perf_counter() - t0)
        loads.append(load())
        print("round", loads[-1], {n: round(s[-1], 1) for n, s in seconds.items()}, flush=True)
    base, base_long = min(seconds["fp32"]), min(long_seconds["fp32"])
    rows = {}
    for name in encoders:
        cos = (vectors[name] * vectors["fp32"]).sum(axis=1)
        rows[name] = {"mix_s": [round(s, 2) for s in seconds[name]], "passages_s": [round(s, 2) for s in long_seconds[name]],
                      "mix_speedup": round(base / min(seconds[name]), 2),
                      "passages_speedup": round(base_long / min(long_seconds[name]), 2),
                      "mix_cosine_mean": round(float(cos.mean()), 5), "mix_cosine_min": round(float(cos.min()), 5)}
    return {"date": datetime.now(UTC).isoformat(timespec="seconds"), "uptime_before": before, "uptime_after": uptime(),
            "load_during": loads, "rounds": args.rounds, "threads": 1,
            "texts": {g: len(t) for g, t in groups.items()}, "tokens": tokens, "variants": rows}


def part_batching(args: argparse.Namespace, folders: dict[str, Path], layout: Any) -> dict[str, Any]:
    """The float32 batches of short texts (the mix's phrases) at several padded-token budgets
    (hippo.embed_onnx.SHORT_BATCH_TOKENS), taking turns round-robin at one thread."""
    import hippo.embed_onnx as eo

    phrases = speed_texts(args.speed_passages, args.speed_total)["phrases"]
    enc = _encoder("fp32", folders["fp32"], layout)
    enc.encode(phrases[:64])
    default = eo.SHORT_BATCH_TOKENS
    budgets = (256, 512, 1024, 2048, 4096)
    seconds: dict[int, list[float]] = {b: [] for b in budgets}
    before = uptime()
    try:
        for _ in range(args.rounds):
            for b in budgets:
                eo.SHORT_BATCH_TOKENS = b
                t0 = time.perf_counter()
                enc.encode(phrases)
                seconds[b].append(time.perf_counter() - t0)
    finally:
        eo.SHORT_BATCH_TOKENS = default
    base = min(seconds[default])
    return {"date": datetime.now(UTC).isoformat(timespec="seconds"), "uptime_before": before, "uptime_after": uptime(),
            "phrases": len(phrases), "rounds": args.rounds, "default": default,
            "budgets": {str(b): {"seconds": [round(x, 2) for x in s], "speedup_vs_default": round(base / min(s), 2)}
                        for b, s in seconds.items()}}


def write_markdown(data: dict[str, Any]) -> None:
    lines = ["# int8 variants of the ONNX embedding model (issue 20)", "",
             "hippo.bench.runs.embed_int8; all-MiniLM-L6-v2 as bundled. A variant is a quantisation of the export's "
             "fused float32 model, run as the backend runs int8 (texts over 32 tokens through it one at a time, "
             "shorter ones in float32 batches) unless named `-batched` (every text through it in batches). "
             "Ratios within one run, one intra-op thread, on a shared 2-core machine.", ""]
    lines += [*(f"- {n}" for n in data.get("notes", [])), ""] if data.get("notes") else []
    q = data.get("quality")
    if q:
        lines += [f"## Dense Recall@5 — {q['date']}", "", f"uptime before: `{q['uptime_before']}`",
                  f"after: `{q['uptime_after']}`", ""]
        sets = list(q["sets"])
        head = " | ".join(f"{s} R@5 (fp32 queries) | {s} cosine mean / min" for s in sets)
        lines += [f"| variant | {head} |", "|---|" + "---:|---:|" * len(sets)]
        for name in q["sets"][sets[0]]["variants"]:
            cells = []
            for s in sets:
                r = q["sets"][s]["variants"].get(name)
                cells += [f"{r['recall@5']} ({r['recall@5_fp32_queries']})", f"{r['cosine_mean']} / {r['cosine_min']}"] \
                    if r else ["", ""]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    for key, s in data.items():
        if not key.startswith("speed"):
            continue
        lines += [f"## Speed ({key}) — {s['date']}, {s['rounds']} rounds round-robin, {s['threads']} thread", "",
                  f"texts {s['texts']}, tokens {s['tokens']}", "", f"uptime before: `{s['uptime_before']}`",
                  f"after: `{s['uptime_after']}`", "",
                  "| variant | mix × fp32 | passages alone × fp32 | mix cosine to fp32 mean / min |", "|---|---:|---:|---:|"]
        for name, r in s["variants"].items():
            lines.append(f"| {name} | {r['mix_speedup']} | {r['passages_speedup']} | "
                         f"{r['mix_cosine_mean']} / {r['mix_cosine_min']} |")
        lines.append("")
    b = data.get("batching")
    if b:
        lines += [f"## float32 batches of short texts — {b['date']}, {b['phrases']} phrases, {b['rounds']} rounds", "",
                  f"uptime before: `{b['uptime_before']}`", f"after: `{b['uptime_after']}`", "",
                  f"| padded tokens per batch | × {b['default']} (today) |", "|---:|---:|"]
        lines += [f"| {k} | {v['speedup_vs_default']} |" for k, v in b["budgets"].items()]
        lines.append("")
    OUT.with_suffix(".md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="+", choices=["quality", "speed", "batching", "report"])
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--work", default="/tmp/hippo-embed-int8")
    parser.add_argument("--calibration", type=int, default=300, help="musique passages for static calibration")
    parser.add_argument("--speed-passages", type=int, default=110)
    parser.add_argument("--speed-total", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tag", default="", help="suffix of the result part's key (quality-<tag>)")
    args = parser.parse_args()
    from hippo.embed_onnx import ensure_export

    layout = _layout()
    work = Path(args.work)
    export, _ = ensure_export(layout, work / "export")
    names = [n for n in args.variants.split(",") if n]
    if "fp32" not in names:
        names.insert(0, "fp32")
    folders = {n: build(n, export / "fp32.onnx", work, layout, args.calibration) for n in names}
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    for part in args.parts:
        if part == "report":
            write_markdown(data)
            continue
        result = {"quality": part_quality, "speed": part_speed, "batching": part_batching}[part](args, folders, layout)
        data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
        data[part + (f"-{args.tag}" if args.tag else "")] = result
        RESULTS.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(data, indent=2), encoding="utf-8")
        write_markdown(data)
        print(json.dumps({part: result}, indent=2)[:4000])


if __name__ == "__main__":
    main()
