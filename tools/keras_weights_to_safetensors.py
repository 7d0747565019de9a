#!/usr/bin/env python3
"""Converts Keras 3 weights to the safetensors file CellForge's KerasModelWeights reads.

    python tools/keras_weights_to_safetensors.py MODEL.weights.h5 OUT.safetensors
    python tools/keras_weights_to_safetensors.py MODEL.keras OUT.safetensors

Needs numpy, h5py and safetensors (not Keras). Reads the weights Keras 3 writes with
`model.save_weights("m.weights.h5")` (or the model.weights.h5 inside a `model.save("m.keras")`
archive): `layers/<layer>/cell/vars/0, 1, 2` of an LSTM, GRU or SimpleRNN layer and
`layers/<layer>/vars/0, 1` of a Dense layer, and writes them as float32 tensors
`<layer>/kernel`, `<layer>/recurrent_kernel`, `<layer>/bias` and `<layer>/kernel`,
`<layer>/bias`. Any other layer with weights is refused (exit status 1), naming it.

A weights file does not hold the model's architecture. Given a `.keras` archive, the script
also reads its config.json and prints what the import needs: the recurrent layers' names
bottom first (`layers:`), the Dense layer (`head:`) and its activation (`activation:`),
refusing what CellForge does not compute (non-default activations, GRU reset_after=False,
return_sequences=False below the top, layers other than LSTM, GRU, SimpleRNN and one last Dense).
"""
import argparse
import io
import json
import sys
import zipfile

import h5py
import numpy as np
from safetensors.numpy import save_file

RECURRENT = {"LSTM", "GRU", "SimpleRNN"}


class Refusal(Exception):
    pass


def tensors_from_h5(h5):
    """The CellForge-named float32 tensors of an open Keras 3 .weights.h5."""
    tensors = {}
    if "layers" not in h5:
        raise Refusal("no 'layers' group: not a Keras 3 .weights.h5 file")
    for name, layer in h5["layers"].items():
        if "cell" in layer:
            names, group = ["kernel", "recurrent_kernel", "bias"], layer["cell"]["vars"]
        elif "vars" in layer and len(layer["vars"]) > 0:
            names, group = ["kernel", "bias"], layer["vars"]
        else:
            continue  # a layer without weights (InputLayer, Activation, Dropout)
        extra = sorted(set(group.keys()) - {str(k) for k in range(len(names))})
        if extra:
            raise Refusal(f"layer {name!r} has weights {extra} beyond {names}: not an LSTM, GRU, SimpleRNN or Dense layer")
        for index, key in enumerate(names):
            if str(index) in group:
                tensors[f"{name}/{key}"] = np.ascontiguousarray(group[str(index)][()], dtype=np.float32)
        kernel = tensors.get(f"{name}/kernel")
        if kernel is not None and kernel.ndim != 2:
            raise Refusal(f"layer {name!r} has a kernel of shape {list(kernel.shape)}: not an LSTM, GRU, SimpleRNN or Dense layer")
    if not tensors:
        raise Refusal("no layer with weights")
    return tensors


def describe(config):
    """The import arguments for a Sequential's config.json, or a Refusal naming what is unsupported."""
    if config.get("class_name") != "Sequential":
        raise Refusal(f"the model is a {config.get('class_name')}, not a Sequential")
    layers = [l for l in config["config"]["layers"] if l["class_name"] != "InputLayer"]
    recurrent, head, activation = [], None, "identity"
    for i, layer in enumerate(layers):
        cls, c = layer["class_name"], layer["config"]
        what = f"layer {i} {c['name']!r} ({cls})"
        if cls in RECURRENT:
            if head is not None:
                raise Refusal(f"{what} comes after the Dense layer")
            if c.get("activation", "tanh") != "tanh" or c.get("recurrent_activation", "sigmoid") != "sigmoid":
                raise Refusal(f"{what} has activation {c.get('activation')!r} / {c.get('recurrent_activation')!r}: "
                              "CellForge computes tanh with sigmoid gates")
            if cls == "GRU" and not c.get("reset_after", True):
                raise Refusal(f"{what} has reset_after=False, a different cell")
            if c.get("go_backwards") or c.get("stateful"):
                raise Refusal(f"{what} is go_backwards or stateful")
            if not c.get("return_sequences", False) and i + 1 < len(layers):
                raise Refusal(f"{what} has return_sequences=False but layers follow it")
            recurrent.append(c["name"])
        elif cls == "Dense" and head is None and i == len(layers) - 1:
            head, activation = c["name"], {"linear": "identity"}.get(c.get("activation", "linear"), c.get("activation"))
            if activation not in ("identity", "tanh", "sigmoid"):
                raise Refusal(f"{what} has activation {activation!r}: CellForge heads have identity, tanh or sigmoid")
        else:
            raise Refusal(f"{what}: a CellForge model is LSTM, GRU and SimpleRNN layers and at most one last Dense")
    if not recurrent:
        raise Refusal("the model has no LSTM, GRU or SimpleRNN layer")
    return {"layers": recurrent, "head": head, "activation": activation}


def convert(source, output):
    """Writes `output` from `source` (.weights.h5 or .keras); returns describe()'s dict for a .keras, else None."""
    described = None
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            described = describe(json.loads(archive.read("config.json")))
            with h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as h5:
                tensors = tensors_from_h5(h5)
    else:
        with h5py.File(source, "r") as h5:
            tensors = tensors_from_h5(h5)
    save_file(tensors, output)
    return described


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a Keras 3 .weights.h5 file or .keras archive")
    parser.add_argument("output", help="the safetensors file to write")
    args = parser.parse_args()
    try:
        described = convert(args.source, args.output)
    except Refusal as refusal:
        sys.exit(f"error: {args.source}: {refusal}")
    print(f"wrote {args.output}")
    if described:
        print(json.dumps(described))


if __name__ == "__main__":
    main()
