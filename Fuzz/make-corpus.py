#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus (Fuzz/corpus/safetensors/): a few valid safetensors files
(F32 and F64 tensors, metadata, a CellForge LSTM H3 D2 checkpoint) and a few invalid ones.
Python standard library only; run from anywhere: python3 Fuzz/make-corpus.py"""
import json, os, struct

folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "safetensors")
os.makedirs(folder, exist_ok=True)

def safetensors(tensors, metadata=None):
    """tensors: {name: (dtype, shape, values)} -> file bytes, laid out as the reference writer does."""
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, values) in sorted(tensors.items()):
        raw = struct.pack("<%d%s" % (len(values), "f" if dtype == "F32" else "d"), *values)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data

def write(name, content):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(content)

write("valid-f32.safetensors", safetensors({"w": ("F32", [2, 3], [0.5, -1, 2, 3.25, 0, 1e-3])}))
write("valid-f64-metadata.safetensors",
      safetensors({"a": ("F64", [3], [1, 2, 3]), "s": ("F32", [], [7]), "e": ("F32", [0, 4], [])},
                  {"run": "sine", "epoch": "3"}))
H, D, G = 3, 2, 4
def lstm(prefix, value):
    return {prefix + "W": ("F32", [G * H, D], [value] * (G * H * D)),
            prefix + "U": ("F32", [G * H, H], [value] * (G * H * H)),
            prefix + "b": ("F32", [G * H], [value] * (G * H))}
checkpoint = {**lstm("", 0.1), **lstm("adam.m.", 0.01), **lstm("adam.v.", 0.001)}
write("checkpoint-lstm-h3-d2.safetensors", safetensors(checkpoint, {
    "cellforge.checkpoint": "1", "cellforge.cell": "lstm", "cellforge.hidden_size": "3", "cellforge.input_size": "2",
    "cellforge.scalar": "Float", "cellforge.optimizer": "adam", "cellforge.adam.step_count": "7"}))
valid = safetensors({"w": ("F32", [2], [1, 2])})
write("invalid-truncated.safetensors", valid[:-3])
write("invalid-header-length.safetensors", struct.pack("<Q", 1 << 40) + valid[8:])
write("invalid-overlap.safetensors", safetensors({"a": ("F32", [1], [1]), "b": ("F32", [1], [2])})
      .replace(b'"data_offsets":[4,8]', b'"data_offsets":[0,4]'))
write("invalid-dtype.safetensors", valid.replace(b'"F32"', b'"I64"'))
write("invalid-json.safetensors", struct.pack("<Q", 8) + b'{"w":{"d')
