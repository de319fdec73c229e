#!/usr/bin/python3
"""Writes the tiny ONNX models the tests run with ONNX Runtime (Debian's python3-onnx; no weights, no download).

Each model has a verdict or an output the tests can compute by hand, so a wrong layout, range, padding, time value
or frame order shows up as a wrong number rather than as a crash:

  safety_red_dark_nchw.onnx  pixels [1,3,32,32] -> probs [1,2] = [mean(red), 1 - mean(red)]
  safety_red_dark_nhwc.onnx  pixels [1,32,32,3] -> the same
      class 1 ("dark red") is what the tests configure as flagged: a frame whose red channel is dark on average
      is flagged. Only the red channel counts, so feeding interleaved pixels to a planar model (or the reverse)
      changes the verdict.
  interp_blend_concat7.onnx  input [1,7,H,W] (img0 RGB, img1 RGB, a plane of t) -> output [1,3,H,W]
      = (1 - t) * img0 + t * img1, after a SpaceToDepth/DepthToSpace round trip of block 32 that fails unless
      H and W are multiples of 32 (the RIFE convention of vs-mlrt's "v2" exports, with a pad multiple).
  interp_blend_nhwc_time.onnx  x0 [1,H,W,3], x1 [1,H,W,3], time [1,1] -> image [1,H,W,3]
      = (1 - time) * x0 + time * x1, through a block-64 round trip (the FILM convention of tf2onnx exports).

Run from anywhere: /usr/bin/python3 tests/Reframe.TestSupport/OnnxModels/make_models.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid("", 13)]


def save(graph, name):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="reframe-tests")
    model.ir_version = 7  # readable by every ONNX Runtime since 1.8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name))


def const(name, values, dtype=np.float32):
    return numpy_helper.from_array(np.array(values, dtype=dtype), name)


def safety(layout):
    shape = [1, 3, 32, 32] if layout == "nchw" else [1, 32, 32, 3]
    channel_axis = 1 if layout == "nchw" else 3
    pixels = helper.make_tensor_value_info("pixels", TensorProto.FLOAT, shape)
    probs = helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 2])
    nodes = [
        # red = pixels[channel 0], then its mean over everything
        helper.make_node("Slice", ["pixels", "start", "end", "axis"], ["red"]),
        helper.make_node("ReduceMean", ["red"], ["mean"], keepdims=0),
        helper.make_node("Reshape", ["mean", "one_by_one"], ["mean11"]),
        helper.make_node("Sub", ["ones", "mean11"], ["dark"]),
        helper.make_node("Concat", ["mean11", "dark"], ["probs"], axis=1),
    ]
    inits = [
        const("start", [0], np.int64), const("end", [1], np.int64), const("axis", [channel_axis], np.int64),
        const("one_by_one", [1, 1], np.int64), const("ones", [[1.0]]),
    ]
    save(helper.make_graph(nodes, "safety_red_dark", [pixels], [probs], inits), f"safety_red_dark_{layout}.onnx")


def blend_concat7():
    x = helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 7, "height", "width"])
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3, "height", "width"])
    nodes = [
        helper.make_node("Split", ["input", "split"], ["img0", "img1", "t"], axis=1),
        helper.make_node("Sub", ["img1", "img0"], ["delta"]),
        helper.make_node("Mul", ["delta", "t"], ["step"]),
        helper.make_node("Add", ["img0", "step"], ["blend"]),
        helper.make_node("SpaceToDepth", ["blend"], ["packed"], blocksize=32),
        helper.make_node("DepthToSpace", ["packed"], ["output"], blocksize=32, mode="DCR"),
    ]
    inits = [const("split", [3, 3, 1], np.int64)]
    save(helper.make_graph(nodes, "blend_concat7", [x], [y], inits), "interp_blend_concat7.onnx")


def blend_nhwc_time():
    x0 = helper.make_tensor_value_info("x0", TensorProto.FLOAT, [1, "height", "width", 3])
    x1 = helper.make_tensor_value_info("x1", TensorProto.FLOAT, [1, "height", "width", 3])
    time = helper.make_tensor_value_info("time", TensorProto.FLOAT, [1, 1])
    y = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, "height", "width", 3])
    nodes = [
        helper.make_node("Reshape", ["time", "t_shape"], ["t"]),
        helper.make_node("Sub", ["x1", "x0"], ["delta"]),
        helper.make_node("Mul", ["delta", "t"], ["step"]),
        helper.make_node("Add", ["x0", "step"], ["blend"]),
        helper.make_node("Transpose", ["blend"], ["planar"], perm=[0, 3, 1, 2]),
        helper.make_node("SpaceToDepth", ["planar"], ["packed"], blocksize=64),
        helper.make_node("DepthToSpace", ["packed"], ["unpacked"], blocksize=64, mode="DCR"),
        helper.make_node("Transpose", ["unpacked"], ["image"], perm=[0, 2, 3, 1]),
    ]
    inits = [const("t_shape", [1, 1, 1, 1], np.int64)]
    save(helper.make_graph(nodes, "blend_nhwc_time", [x0, x1, time], [y], inits), "interp_blend_nhwc_time.onnx")


if __name__ == "__main__":
    safety("nchw")
    safety("nhwc")
    blend_concat7()
    blend_nhwc_time()
    print("wrote", sorted(f for f in os.listdir(HERE) if f.endswith(".onnx")))
