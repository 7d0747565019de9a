#!/usr/bin/env python3
"""Writes the PyTorch model fixtures CellForge's model tests compare against.

Run from this folder with a Python that has torch, numpy and safetensors:

    python make_model_fixtures.py

For each model it writes <name>.safetensors (the containing module's state_dict in float32,
keys like rnn.weight_ih_l0, rnn.weight_ih_l1, head.weight, head.bias) and <name>.json:
x, h0, c0, targets (float32 values), and under "float32" and "float64" what PyTorch computes
with the module in that dtype: outputs, hT, cT, loss (nn.MSELoss(), mean), and the gradient of
the loss w.r.t. every state_dict tensor (by name), x, h0 and c0. Every array is flat in
PyTorch's row-major order, with its shape under "shapes". Seeds are fixed; the script is
deterministic.
"""
import json

import torch
from safetensors.torch import save_file


class Model(torch.nn.Module):
    def __init__(self, rnn, head, activation):
        super().__init__()
        self.rnn = rnn
        self.head = head
        self.activation = activation

    def forward(self, x, state):
        h, state = self.rnn(x, state)
        y = self.head(h)
        return (torch.tanh(y) if self.activation == "tanh" else y), state


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def run(model, x, h0, c0, targets, dtype):
    m = Model(model.rnn, model.head, model.activation)
    m = m.to(dtype)
    x = x.to(dtype).clone().requires_grad_(True)
    h0 = h0.to(dtype).clone().requires_grad_(True)
    c0 = None if c0 is None else c0.to(dtype).clone().requires_grad_(True)
    m.zero_grad()
    y, state = m(x, h0 if c0 is None else (h0, c0))
    loss = torch.nn.MSELoss()(y, targets.to(dtype))
    loss.backward()
    hT, cT = (state, None) if c0 is None else state
    out = {
        "outputs": flat(y), "hT": flat(hT), "loss": float(loss.detach()),
        "gradients": {name: flat(p.grad) for name, p in m.named_parameters()},
        "dx": flat(x.grad), "dh0": flat(h0.grad),
    }
    if c0 is not None:
        out["cT"] = flat(cT)
        out["dc0"] = flat(c0.grad)
    # Put the module back in float32 for the next run.
    m.to(torch.float32)
    return out


def make(name, rnn, head, activation, N, T, seed):
    torch.manual_seed(seed)
    model = Model(rnn, head, activation)
    layers, H, D = rnn.num_layers, rnn.hidden_size, rnn.input_size
    O = head.out_features
    x = torch.randn(N, T, D)
    h0 = 0.5 * torch.randn(layers, N, H)
    c0 = 0.5 * torch.randn(layers, N, H) if isinstance(rnn, torch.nn.LSTM) else None
    targets = 0.5 * torch.randn(N, T, O)
    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    save_file(state, f"{name}.safetensors")
    doc = {
        "model": name, "cell": type(rnn).__name__.lower(), "layers": layers, "hidden": H, "input": D,
        "output": O, "activation": activation, "N": N, "T": T,
        "shapes": {"x": [N, T, D], "h0": [layers, N, H], "targets": [N, T, O], "outputs": [N, T, O],
                   **{k: list(v.shape) for k, v in state.items()}},
        "parameters": {k: flat(v) for k, v in state.items()},
        "x": flat(x), "h0": flat(h0), "targets": flat(targets),
        "float64": run(model, x, h0, c0, targets, torch.float64),
        "float32": run(model, x, h0, c0, targets, torch.float32),
    }
    if c0 is not None:
        doc["c0"] = flat(c0)
    with open(f"{name}.json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    torch.manual_seed(11)
    make("torch_lstm2_linear",
         torch.nn.LSTM(input_size=3, hidden_size=5, num_layers=2, batch_first=True),
         torch.nn.Linear(5, 2), "identity", N=3, T=6, seed=1101)
    torch.manual_seed(12)
    make("torch_gru_linear_tanh",
         torch.nn.GRU(2, 7, batch_first=True),
         torch.nn.Linear(7, 3), "tanh", N=3, T=5, seed=1102)


if __name__ == "__main__":
    main()
