"""Independent check of exported models with the onnx package: checker (with full shape
inference), opset, the interface names and symbolic axes.

Usage: check_onnx.py MODEL CACHE_LAYERS [MODEL CACHE_LAYERS ...] [any]. With "any" (exports of
Hugging Face families) the operator checks that pin the SDK's own GPT (exact GELU, LayerNorm) are
skipped. Prints one OK line per model; exits non-zero with the reason at the first failure."""
import sys

import onnx


def check(path, layers, any_architecture):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    opsets = {o.domain: o.version for o in model.opset_import}
    assert opsets.get("", 0) >= 17, f"default-domain opset {opsets} is below 17"

    def dims(value):
        return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]

    inputs = {i.name: dims(i) for i in model.graph.input}
    outputs = {o.name: dims(o) for o in model.graph.output}
    expected_inputs = ["input_ids", "position_ids", "attention_mask", "logits_to_keep", "restrict_to_code"]
    for i in range(layers):
        expected_inputs += [f"past_key.{i}", f"past_value.{i}"]
    missing = [n for n in expected_inputs if n not in inputs]
    assert not missing, f"missing inputs {missing}; have {sorted(inputs)}"
    assert inputs["input_ids"] == ["batch", "sequence"], inputs["input_ids"]
    assert inputs["past_key.0"][0] == "batch" and inputs["past_key.0"][2] == "past_sequence", inputs["past_key.0"]
    assert outputs["logits"][0] == "batch", outputs["logits"]
    for i in range(layers):
        assert outputs[f"present_key.{i}"][2] == "total_sequence", outputs[f"present_key.{i}"]
    ops = {n.op_type for n in model.graph.node}
    required_ops = ["Softmax", "Gather", "Concat", "Where"]
    if not any_architecture:
        required_ops += ["Erf", "LayerNormalization"]
    for op in required_ops:
        assert op in ops, f"operator {op} is missing from the graph"
    if not any_architecture:
        assert "Tanh" not in ops, "GELU must be exact (Erf), not the tanh approximation"
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta.get("text2code.format") == "text2code-onnx-1", meta
    print("OK", model.ir_version, opsets)


args = sys.argv[1:]
any_arch = bool(args) and args[-1] == "any"
if any_arch:
    args = args[:-1]
for i in range(0, len(args), 2):
    check(args[i], int(args[i + 1]), any_arch)
