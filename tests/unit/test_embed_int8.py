"""The export's int8 model of the bundled model: the products int8 hurts most stay float32, which
is what lets it pass the quality check (and so serve long texts), while the check still refuses
the int8 model of every product, which cost musique dense Recall@5 2 points."""

import logging
from collections import Counter
from pathlib import Path

import onnx
import pytest

from hippo.embed import bundled_model_path
from hippo.embed_onnx import MIN_MEAN_COSINE, ensure_export, float32_nodes, model_layout, quality_check


@pytest.fixture(scope="module")
def export() -> tuple[object, Path, dict[str, object]]:
    layout = model_layout(bundled_model_path())
    assert layout is not None
    folder, quality = ensure_export(layout)
    return layout, folder, quality


def test_float32_nodes_are_the_attention_and_the_products_fed_by_gelu(export: tuple[object, Path, dict]) -> None:
    _, folder, _ = export
    model = onnx.load(str(folder / "fp32.onnx"))
    kept = float32_nodes(model)
    kinds = Counter(n.op_type for n in model.graph.node if n.name in kept)
    assert kinds == {"Attention": 6, "MatMul": 6}  # six layers
    assert all(name.endswith("/output/dense/MatMul") for name in kept if "MatMul" in name)


def test_bundled_int8_model_keeps_them_and_passes_the_check(export: tuple[object, Path, dict]) -> None:
    _, folder, quality = export
    ops = Counter(n.op_type for n in onnx.load(str(folder / "int8.onnx")).graph.node)
    assert ops["Attention"] == 6 and ops["QAttention"] == 0 and ops["MatMul"] == 6
    assert ops["MatMulInteger"] == 12  # the other products: attention output, feed-forward input
    assert quality["chosen"] == "int8" and quality["float32_nodes"] == 12
    int8 = quality["int8"]
    assert isinstance(int8, dict) and int8["mean_cosine"] >= MIN_MEAN_COSINE


def test_the_check_refuses_int8_in_every_product(export: tuple[object, Path, dict], tmp_path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    layout, folder, _ = export
    (tmp_path / "fp32.onnx").symlink_to(folder / "fp32.onnx")
    logging.getLogger().setLevel(logging.ERROR)
    quantize_dynamic(str(folder / "fp32.onnx"), str(tmp_path / "int8.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    report = quality_check(layout, tmp_path)  # type: ignore[arg-type]
    assert report["chosen"] == "fp32"
    assert report["int8"]["mean_cosine"] < MIN_MEAN_COSINE  # ~0.994 on the sample
