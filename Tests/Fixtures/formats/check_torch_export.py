"""Loads models that CellForge exported as PyTorch state_dicts into PyTorch modules with
load_state_dict(strict=True) and compares PyTorch's outputs with CellForge's.

    python Tests/Fixtures/formats/check_torch_export.py

Needs torch and safetensors. Each cellforge_export_<name>.safetensors is a model trained in
CellForge (a few Adam steps of ModelDriver, written by the test TorchExportTests in
Tests/CellForgeModelTests; regenerate with CELLFORGE_WRITE_FORMAT_FIXTURES=1 swift test
--filter TorchExportTests). The .json beside it holds seeded inputs x [N][T][D], CellForge's
outputs [N][T][O] (its Double kernel model run on the exported Float parameters) and the head's
activation. PyTorch runs the module in float64 (same float32 weights, so only summation order
and libm differ: tolerance 1e-9, see ModelIOTolerance) and in float32 (tolerance 2e-5, as the
float32 fixtures).
Exits non-zero if a load or a comparison fails.
"""
import json
import os
import sys

import torch
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
ACTIVATIONS = {"identity": lambda z: z, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


class Model(torch.nn.Module):
    def __init__(self, rnn, head, activation):
        super().__init__()
        self.rnn, self.head, self.activation = rnn, head, ACTIVATIONS[activation]

    def forward(self, x):
        return self.activation(self.head(self.rnn(x)[0]))


def module_for(state, activation):
    """The module whose state_dict has these keys and shapes: LSTM, GRU or RNN by gate count."""
    layers = sum(1 for k in state if k.startswith("rnn.weight_ih_l"))
    gates_h, hidden = state["rnn.weight_hh_l0"].shape
    input_size = state["rnn.weight_ih_l0"].shape[1]
    cell = {4: torch.nn.LSTM, 3: torch.nn.GRU, 1: torch.nn.RNN}[gates_h // hidden]
    out, _ = state["head.weight"].shape
    return Model(cell(input_size, hidden, num_layers=layers, batch_first=True), torch.nn.Linear(hidden, out), activation)


def main():
    failed = False
    for name in sorted(f[:-12] for f in os.listdir(HERE) if f.startswith("cellforge_export_") and f.endswith(".safetensors")):
        state = load_file(os.path.join(HERE, name + ".safetensors"))
        with open(os.path.join(HERE, name + ".json")) as f:
            data = json.load(f)
        model = module_for(state, data["activation"])
        model.load_state_dict(state, strict=True)
        expected = torch.tensor(data["outputs"], dtype=torch.float64)
        x = torch.tensor(data["x"], dtype=torch.float64)
        with torch.no_grad():
            d32 = (model.float()(x.float()).double() - expected).abs().max().item()
            d64 = (model.double()(x) - expected).abs().max().item()
        ok = d64 <= 1e-9 and d32 <= 2e-5
        failed |= not ok
        print(f"{name}: load_state_dict(strict=True) ok; max |PyTorch - CellForge| float64 {d64:.3g}, float32 {d32:.3g}: "
              + ("ok" if ok else "FAILED"))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
