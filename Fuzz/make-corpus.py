#!/usr/bin/env python3
"""Writes the fuzzer's seed corpora: Fuzz/corpus/safetensors/, a few valid safetensors files
(F32 and F64 tensors, metadata, a CellForge LSTM H3 D2 checkpoint) and a few invalid ones; and
Fuzz/corpus/model/, a few valid CellForge model files (stacked LSTM with a head, Float; GRU with
a tanh head, Double; RNN without a head) and a truncated one.
Python standard library only; run from anywhere: python3 Fuzz/make-corpus.py"""
import json, os, struct

corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
folder = os.path.join(corpus, "safetensors")
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

def write(name, content, folder=folder):
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

# Model files (ModelFormat.swift): architecture metadata, "cellforge.model": "1", tensors
# layer.k.W [G·H, D], layer.k.U [G·H, H], layer.k.b [G·H], layer.k.b_hn [H] (GRU), head.V [O, H], head.c [O].
models = os.path.join(corpus, "model")
os.makedirs(models, exist_ok=True)
GATES = {"lstm": 4, "gru": 3, "rnn": 1}

def model(scalar, cell, D, hidden, head=None, user=None):
    """head: (O, activation) or None -> model file bytes, values a fixed ramp in (-0.5, 0.5)."""
    dtype = "F32" if scalar == "Float" else "F64"
    meta = {"cellforge.model": "1", "cellforge.scalar": scalar, "cellforge.layer_count": str(len(hidden)), **(user or {})}
    tensors, k = {}, 0
    def ramp(n):
        nonlocal k
        k += n
        return [((k - n + i) % 17) / 17 - 0.5 for i in range(n)]
    for l, H in enumerate(hidden):
        G = GATES[cell]
        meta.update({"cellforge.layer.%d.cell" % l: cell, "cellforge.layer.%d.hidden_size" % l: str(H),
                     "cellforge.layer.%d.input_size" % l: str(D)})
        tensors["layer.%d.W" % l] = (dtype, [G * H, D], ramp(G * H * D))
        tensors["layer.%d.U" % l] = (dtype, [G * H, H], ramp(G * H * H))
        tensors["layer.%d.b" % l] = (dtype, [G * H], ramp(G * H))
        if cell == "gru":
            tensors["layer.%d.b_hn" % l] = (dtype, [H], ramp(H))
        D = H
    if head:
        O, activation = head
        meta.update({"cellforge.head.input_size": str(D), "cellforge.head.output_size": str(O),
                     "cellforge.head.activation": activation})
        tensors["head.V"] = (dtype, [O, D], ramp(O * D))
        tensors["head.c"] = (dtype, [O], ramp(O))
    return safetensors(tensors, meta)

lstm2 = model("Float", "lstm", 2, [3, 3], head=(1, "identity"), user={"name": "seed"})
write("valid-lstm2-head-float.safetensors", lstm2, models)
write("valid-gru-tanh-head-double.safetensors", model("Double", "gru", 1, [2], head=(2, "tanh")), models)
write("valid-rnn-no-head-float.safetensors", model("Float", "rnn", 2, [2]), models)
write("invalid-truncated.safetensors", lstm2[:-5], models)
