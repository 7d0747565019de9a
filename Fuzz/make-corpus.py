#!/usr/bin/env python3
"""Writes the fuzzer's seed corpora: Fuzz/corpus/safetensors/, a few valid safetensors files
(F32 and F64 tensors, metadata, a CellForge LSTM H3 D2 checkpoint) and a few invalid ones;
Fuzz/corpus/model/, a few valid CellForge model files (stacked LSTM with a head, Float; GRU with
a tanh head, Double; RNN without a head; the first also with per-tensor CRC-32C checksums) and
invalid ones (truncated, a checksum mismatch, a tiny file declaring huge layers);
Fuzz/corpus/model-checkpoint/, model checkpoints (Adam, momentum, none; with and without
checksums) and the same kinds of invalid ones; Fuzz/corpus/rtneural/, RTNeural JSON models
(valid ones and the JSON and size errors the strict parser refuses); and Fuzz/corpus/keras/,
Keras weights as safetensors (valid, .weights.h5 paths, ambiguous names).
Files named found-* are inputs the fuzzer found crashing, kept beside these as seeds (this script
neither writes nor removes them).
Python standard library only; run from anywhere: python3 Fuzz/make-corpus.py"""
import json, math, os, struct

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

def crc32c(data):
    """CRC-32C (Castagnoli), as TensorChecksums stores it."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF
assert crc32c(b"123456789") == 0xE3069283

def with_checksums(tensors, meta):
    """meta plus a "cellforge.crc32c.NAME" entry per tensor (TensorChecksums.swift)."""
    sums = {}
    for name, (dtype, shape, values) in tensors.items():
        raw = struct.pack("<%d%s" % (len(values), "f" if dtype == "F32" else "d"), *values)
        sums["cellforge.crc32c." + name] = "%08x" % crc32c(raw)
    return {**meta, **sums}

def model(scalar, cell, D, hidden, head=None, user=None, checksums=False):
    """head: (O, activation) or None -> model file bytes, values a fixed ramp in (-0.5, 0.5)."""
    meta, tensors = model_parts(scalar, cell, D, hidden, head, {"cellforge.model": "1"}, user=user)
    return safetensors(tensors, with_checksums(tensors, meta) if checksums else meta)

def model_parts(scalar, cell, D, hidden, head, meta, user=None, prefixes=("",), nonnegative=()):
    """meta with the architecture and user entries added, and the tensors of a model under each
    prefix (values of prefixes in nonnegative made >= 0, as Adam's second moment must be)."""
    dtype = "F32" if scalar == "Float" else "F64"
    meta = {**meta, "cellforge.scalar": scalar, "cellforge.layer_count": str(len(hidden)), **(user or {})}
    tensors, k = {}, 0
    def ramp(n):
        nonlocal k
        k += n
        return [((k - n + i) % 17) / 17 - 0.5 for i in range(n)]
    names = {}
    for l, H in enumerate(hidden):
        G = GATES[cell]
        meta.update({"cellforge.layer.%d.cell" % l: cell, "cellforge.layer.%d.hidden_size" % l: str(H),
                     "cellforge.layer.%d.input_size" % l: str(D)})
        names["layer.%d.W" % l] = [G * H, D]
        names["layer.%d.U" % l] = [G * H, H]
        names["layer.%d.b" % l] = [G * H]
        if cell == "gru":
            names["layer.%d.b_hn" % l] = [H]
        D = H
    if head:
        O, activation = head
        meta.update({"cellforge.head.input_size": str(D), "cellforge.head.output_size": str(O),
                     "cellforge.head.activation": activation})
        names["head.V"] = [O, D]
        names["head.c"] = [O]
    for prefix in prefixes:
        for name, shape in names.items():
            values = ramp(math.prod(shape))
            tensors[prefix + name] = (dtype, shape, [abs(v) for v in values] if prefix in nonnegative else values)
    return meta, tensors

lstm2 = model("Float", "lstm", 2, [3, 3], head=(1, "identity"), user={"name": "seed"})
write("valid-lstm2-head-float.safetensors", lstm2, models)
write("valid-gru-tanh-head-double.safetensors", model("Double", "gru", 1, [2], head=(2, "tanh")), models)
write("valid-rnn-no-head-float.safetensors", model("Float", "rnn", 2, [2]), models)
write("invalid-truncated.safetensors", lstm2[:-5], models)
write("valid-lstm2-head-float-checksummed.safetensors",
      model("Float", "lstm", 2, [3, 3], head=(1, "identity"), user={"name": "seed"}, checksums=True), models)

def flip_last_data_byte(content):
    return content[:-1] + bytes([content[-1] ^ 0x01])

def huge_declaration(tag):
    """A file with no tensors whose metadata declares 8 LSTM layers of H = D = 4096."""
    meta = {**tag, "cellforge.scalar": "Float", "cellforge.layer_count": "8"}
    for l in range(8):
        meta.update({"cellforge.layer.%d.cell" % l: "lstm", "cellforge.layer.%d.hidden_size" % l: "4096",
                     "cellforge.layer.%d.input_size" % l: "4096"})
    return safetensors({}, meta)

write("invalid-checksum-mismatch.safetensors",
      flip_last_data_byte(model("Float", "rnn", 2, [2], head=(1, "tanh"), checksums=True)), models)
write("invalid-huge-declared-layers.safetensors", huge_declaration({"cellforge.model": "1"}), models)

# Model checkpoints (ModelCheckpoint+File.swift): a model file's architecture and tensors, the
# tag "cellforge.model_checkpoint": "1", "cellforge.optimizer" and (Adam) "cellforge.adam.step_count",
# the optimizer's tensors under "momentum.velocity." or "adam.m." and "adam.v.".
checkpoints = os.path.join(corpus, "model-checkpoint")
os.makedirs(checkpoints, exist_ok=True)

def model_checkpoint(scalar, cell, D, hidden, head=None, optimizer="none", step=None, checksums=True):
    prefixes = {"none": ("",), "momentum": ("", "momentum.velocity."), "adam": ("", "adam.m.", "adam.v.")}[optimizer]
    tag = {"cellforge.model_checkpoint": "1", "cellforge.optimizer": optimizer}
    if step is not None:
        tag["cellforge.adam.step_count"] = str(step)
    meta, tensors = model_parts(scalar, cell, D, hidden, head, tag, prefixes=prefixes, nonnegative=("adam.v.",))
    return safetensors(tensors, with_checksums(tensors, meta) if checksums else meta)

adam = model_checkpoint("Float", "lstm", 2, [3], head=(1, "identity"), optimizer="adam", step=4)
write("valid-lstm-head-adam-float.safetensors", adam, checkpoints)
write("valid-gru-momentum-double.safetensors", model_checkpoint("Double", "gru", 1, [2, 2], optimizer="momentum"), checkpoints)
write("valid-rnn-none-float-no-checksums.safetensors", model_checkpoint("Float", "rnn", 2, [2], checksums=False), checkpoints)
write("invalid-checksum-mismatch.safetensors", flip_last_data_byte(adam), checkpoints)
write("invalid-huge-declared-layers.safetensors",
      huge_declaration({"cellforge.model_checkpoint": "1", "cellforge.optimizer": "adam", "cellforge.adam.step_count": "1"}),
      checkpoints)
write("invalid-truncated.safetensors", adam[:-5], checkpoints)

# RTNeural JSON models (RTNeuralModel.swift): in_shape, then lstm/gru layers with Keras's
# arrays [kernel [D, G·H], recurrent_kernel [H, G·H], bias [G·H] or [2, G·H] (GRU)] and a dense head.
rtneural = os.path.join(corpus, "rtneural")
os.makedirs(rtneural, exist_ok=True)

def rt_layer(kind, D, H, value=0.25):
    G = GATES[kind]
    rows = lambda n, m: [[round(value * ((i * m + j) % 7 - 3) / 3, 6) for j in range(m)] for i in range(n)]
    bias = rows(2, G * H) if kind == "gru" else rows(1, G * H)[0]
    return {"type": kind, "activation": "tanh", "shape": [None, None, H], "weights": [rows(D, G * H), rows(H, G * H), bias]}

def rt_model(layers, D=1, head=(1, "")):
    items, size = [], D
    for kind, H in layers:
        items.append(rt_layer(kind, size, H))
        size = H
    if head:
        O, activation = head
        items.append({"type": "dense", "activation": activation, "shape": [None, None, O],
                      "weights": [[[0.5] * O] * size, [0.125] * O]})
    return json.dumps({"in_shape": [None, None, D], "layers": items}).encode()

valid_rt = rt_model([("gru", 3), ("lstm", 2)], head=(1, "sigmoid"))
write("valid-gru-lstm-dense.json", valid_rt, rtneural)
write("valid-lstm-no-head.json", rt_model([("lstm", 2)], D=2, head=None), rtneural)
write("invalid-truncated.json", valid_rt[:-7], rtneural)
write("invalid-nan.json", valid_rt.replace(b"0.125", b"NaN", 1), rtneural)
write("invalid-1e400.json", valid_rt.replace(b"0.125", b"1e400", 1), rtneural)
write("invalid-float-range.json", valid_rt.replace(b"0.125", b"1e39", 1), rtneural)
write("invalid-deep.json", b"[" * 600 + b"]" * 600, rtneural)
write("invalid-trailing-comma.json", valid_rt[:-2] + b",]}", rtneural)
write("invalid-utf8.json", valid_rt.replace(b'"lstm"', b'"ls\xff"', 1), rtneural)
write("invalid-layer-count.json", json.dumps({"in_shape": [None, None, 1], "layers": [{"type": "lstm"}] * 1100}).encode(), rtneural)

# Keras weights (KerasModelWeights.swift) as safetensors: <layer>/kernel [D, G·H],
# <layer>/recurrent_kernel [H, G·H], <layer>/bias, dense/kernel [H, O], dense/bias [O].
keras = os.path.join(corpus, "keras")
os.makedirs(keras, exist_ok=True)

def keras_layer(name, kind, D, H):
    G = GATES[kind]
    ramp = lambda n: [((i % 11) - 5) / 20 for i in range(n)]
    return {name + "/kernel": ("F32", [D, G * H], ramp(D * G * H)),
            name + "/recurrent_kernel": ("F32", [H, G * H], ramp(H * G * H)),
            name + "/bias": ("F32", [2, G * H] if kind == "gru" else [G * H], ramp((2 if kind == "gru" else 1) * G * H))}

stack = {**keras_layer("lstm", "lstm", 2, 3), **keras_layer("lstm_1", "lstm", 3, 3),
         "dense/kernel": ("F32", [3, 1], [0.5, -0.25, 0.125]), "dense/bias": ("F32", [1], [0.1])}
write("valid-lstm2-dense.safetensors", safetensors(stack), keras)
write("valid-gru.safetensors", safetensors(keras_layer("gru", "gru", 1, 2)), keras)
h5 = {}
for name, value in stack.items():
    layer, weight = name.split("/")
    index = {"kernel": 0, "recurrent_kernel": 1, "bias": 2}[weight] if layer != "dense" else {"kernel": 0, "bias": 1}[weight]
    h5["layers/%s/%svars/%d" % (layer, "" if layer == "dense" else "cell/", index)] = value
write("valid-weights-h5-paths.safetensors", safetensors(h5), keras)
write("invalid-same-number.safetensors", safetensors({**keras_layer("lstm", "lstm", 2, 3), **keras_layer("lstm_0", "lstm", 3, 3)}), keras)
write("invalid-h5-and-plain.safetensors", safetensors({**stack, "layers/lstm/cell/vars/0": stack["lstm/kernel"]}), keras)
write("invalid-plus-zero.safetensors", safetensors({**h5, "layers/lstm/cell/vars/+0": h5["layers/lstm/cell/vars/0"]}), keras)
write("invalid-float-range.safetensors", safetensors({**stack, "dense/bias": ("F64", [1], [1e39])}), keras)
