#!/usr/bin/env python3
"""Writes the PyTorch fixtures in Tests/Fixtures/torch/ (optional; needs torch and safetensors).

    python Tests/Fixtures/make_torch_fixtures.py [--output Tests/Fixtures/torch]

For each fixture: a freshly initialised float32 module (batch_first=True) on the CPU, its
state_dict saved with safetensors (<name>.safetensors), and <name>.json holding the module's
constructor call, the inputs x [N][T][D], the initial states h0 [N][H] (and c0 for the LSTM)
and what PyTorch computed: outputs [N][T][H] (h_t for every step), hT [N][H] (and cT).
Everything is drawn from torch.manual_seed(seed) in a fixed order (module, x, h0, c0), so
the same torch version on the CPU writes the same bytes. Not part of `swift test`.
"""
import argparse
import json
import os

import torch
from safetensors.torch import save_file

# (name, module class, D, H, N, T, seed): the modules, sizes and sequence counts the tests use.
FIXTURES = [
    ("torch_lstm_D5_H8", "LSTM", 5, 8, 2, 6, 1),
    ("torch_lstm_D1_H16", "LSTM", 1, 16, 2, 9, 2),
    ("torch_rnn_tanh_D4_H8", "RNN", 4, 8, 2, 6, 3),
    ("torch_gru_D3_H8", "GRU", 3, 8, 2, 6, 4),
]


def write_fixture(folder, name, cls, d, h, n, t, seed):
    torch.manual_seed(seed)
    module = getattr(torch.nn, cls)(input_size=d, hidden_size=h, batch_first=True)
    x = torch.randn(n, t, d)
    h0 = torch.randn(1, n, h)
    record = {
        "module": f"torch.nn.{cls}(input_size={d}, hidden_size={h}, batch_first=True)",
        "torch_version": torch.__version__,
        "dtype": "float32",
        "seed": seed,
        "weights": name + ".safetensors",
        "x": x.tolist(),
        "h0": h0[0].tolist(),
    }
    with torch.no_grad():
        if cls == "LSTM":
            c0 = torch.randn(1, n, h)
            outputs, (hT, cT) = module(x, (h0, c0))
            record["c0"] = c0[0].tolist()
            record["cT"] = cT[0].tolist()
        else:
            outputs, hT = module(x, h0)
    record["outputs"] = outputs.tolist()
    record["hT"] = hT[0].tolist()
    state = {k: v.detach().contiguous() for k, v in module.state_dict().items()}
    save_file(state, os.path.join(folder, name + ".safetensors"))
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump(record, f)
        f.write("\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=os.path.join(here, "torch"))
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    for fixture in FIXTURES:
        write_fixture(args.output, *fixture)
        print("wrote", os.path.join(args.output, fixture[0]) + ".{json,safetensors}")


if __name__ == "__main__":
    main()
