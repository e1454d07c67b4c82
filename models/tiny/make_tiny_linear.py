"""Writes tiny-linear.onnx: y = x . W + b with fixed weights, the test model of @baas/inference.

Input  "x": float32 [N, 4] (N is dynamic: the batch).
Output "y": float32 [N, 3].

The weights are small binary fractions, so every expected output in the tests is exact in float32.
Run from the repository root:  python3 models/tiny/make_tiny_linear.py
The output is byte-for-byte reproducible with the same onnx package; record its sha256 in README.md.
Only this folder uses Python: the tests read the committed .onnx file and never need it.
"""

import hashlib
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

W = np.array(
    [
        [1.0, 0.0, 2.0],
        [0.0, 1.0, -1.0],
        [0.5, 0.0, 0.0],
        [0.0, -2.0, 0.25],
    ],
    dtype=np.float32,
)
B = np.array([0.5, -1.0, 0.0], dtype=np.float32)


def build() -> onnx.ModelProto:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])
    gemm = helper.make_node("Gemm", ["x", "W", "b"], ["y"], name="linear")
    graph = helper.make_graph(
        [gemm],
        "tiny_linear",
        [x],
        [y],
        initializer=[numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "b")],
    )
    # IR 8 / opset 13: old enough for any onnxruntime of the last years, new enough for Gemm with a 1-D bias.
    model = helper.make_model(
        graph,
        producer_name="baas models/tiny",
        producer_version="1",
        opset_imports=[helper.make_opsetid("", 13)],
        ir_version=8,
    )
    model.model_version = 1
    helper.set_model_props(model, {"name": "tiny-linear", "version": "1"})
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    out = pathlib.Path(__file__).with_name("tiny-linear.onnx")
    data = build().SerializeToString()
    out.write_bytes(data)
    print(f"{out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
