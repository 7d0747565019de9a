#!/usr/bin/env python3
"""Writes the fuzzer's seed corpora: Fuzz/corpus/safetensors/, a few valid safetensors files
(F32 and F64 tensors, metadata, a CellForge LSTM H3 D2 checkpoint) and a few invalid ones;
Fuzz/corpus/model/, a few valid CellForge model files (stacked LSTM with a head, Float; GRU with
a tanh head, Double; RNN without a head; the first also with per-tensor CRC-32C checksums) and
invalid ones (truncated, a checksum mismatch, a tiny file declaring huge layers); and
Fuzz/corpus/model-checkpoint/, model checkpoints (Adam, momentum, none; with and without
checksums) and the same kinds of invalid ones.
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
