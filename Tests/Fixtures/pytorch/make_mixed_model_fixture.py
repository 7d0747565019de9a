#!/usr/bin/env python3
"""Writes the mixed-model PyTorch fixtures in Tests/Fixtures/pytorch/ (needs torch and safetensors).

    python Tests/Fixtures/pytorch/make_mixed_model_fixture.py [--output Tests/Fixtures/pytorch]

Each model is a `Sequential` below: a `torch.nn.ModuleList` named `layers`, run in order on
x [N, T, D] (batch_first), every module acting on each step's feature vector. Recurrent
modules start from zero states and pass on their output sequence. Layer i's tensors are named
`layers.<i>.<tensor>` as `state_dict()` names them; activation modules keep their index
but have no tensors (PReLU excepted):

- Linear:  layers.<i>.weight [O, I], layers.<i>.bias [O]               (y = W x + b)
- LSTM/GRU/RNN (one layer, tanh or relu): layers.<i>.weight_ih_l0 [G·H, D], layers.<i>.weight_hh_l0
  [G·H, H], layers.<i>.bias_ih_l0 [G·H], layers.<i>.bias_hh_l0 [G·H]; G = 4 (i, f, g, o),
  3 (r, z, n), 1. The `type` in `layers` is "lstm", "gru", "rnn" (tanh) or "rnn_relu", since
  the state_dict does not say an RNN's nonlinearity.
- PReLU(num_parameters=C): layers.<i>.weight [C], one slope per feature. torch's PReLU takes
  dim 1 as the channel, which for [N, T, C] is time, so it is applied to x.reshape(-1, C).
- Softmax(dim=-1): over the features of one step.

torch_mixed_dense_lstm (D = 3, O = 2):
    0 Linear(3, 8)   1 Tanh   2 LSTM(8, 6)   3 Linear(6, 5)   4 Sigmoid   5 Linear(5, 2)
torch_mixed_gru_rnn (D = 3, O = 3):
    0 Linear(3, 6)   1 LeakyReLU(0.2)   2 GRU(6, 5)   3 PReLU(5)   4 RNN(5, 4, tanh)
    5 ELU(1.0)   6 Linear(4, 4)   7 ReLU   8 Linear(4, 3)   9 Softmax(dim=-1)
torch_mixed_rnn_relu (D = 3, O = 2):
    0 Linear(3, 5)   1 RNN(5, 6, relu)   2 Tanh   3 RNN(6, 4, relu)   4 Linear(4, 2)

Modules are initialised by torch in float32 from the seed (PReLU slopes then drawn uniformly
from [-0.5, 0.5], so that each feature has its own and some are negative) and converted to
float64, so every parameter is exactly a float32 value; everything is then computed in float64.
The loss is L = sum over n, t, o of w[n, t, o] * y[n, t, o]^2, with fixed weights w drawn from
N(0, 1) (`loss_weights`). Written per model:

- <name>.safetensors: the state_dict, float64.
- <name>.json: `layers` (index, module, type and sizes of each layer in order), N, T, D, O,
  `shapes` (of every state_dict tensor and of x, outputs, loss_weights), and flat arrays in
  PyTorch's row-major order: `parameters` (by state_dict name), `x` [N, T, D], `outputs`
  [N, T, O], `layer_outputs` (layer i's output [N, T, size], one per layer),
  `layer_output_gradients` (dL/d of layer i's output, same shapes), `loss_weights`, `loss`,
  `gradients` (dL/d of every state_dict tensor, by name) and `dx` (dL/dx).

Seeds are fixed and torch runs single-threaded and deterministic: the same torch version on
the CPU writes the same bytes. Not part of `swift test`.
"""
import argparse
import json
import os

import torch
from safetensors.torch import save_file

N, T = 3, 5
RECURRENT = (torch.nn.LSTM, torch.nn.GRU, torch.nn.RNN)


class Sequential(torch.nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = torch.nn.ModuleList(layers)

    def forward(self, x):
        outputs = []
        for m in self.layers:
            if isinstance(m, RECURRENT):
                x = m(x)[0]
            elif isinstance(m, torch.nn.PReLU):
                x = m(x.reshape(-1, x.shape[-1])).reshape(x.shape)
            else:
                x = m(x)
            outputs.append(x)
        return x, outputs


def describe(m, size):
    """One layer's entry in `layers`; `size` is the width of its input."""
    if isinstance(m, torch.nn.Linear):
        return {"type": "dense", "input": m.in_features, "output": m.out_features}
    if isinstance(m, RECURRENT):
        kind = "rnn_relu" if isinstance(m, torch.nn.RNN) and m.nonlinearity == "relu" else type(m).__name__.lower()
        return {"type": kind, "input": m.input_size, "hidden": m.hidden_size}
    kinds = {torch.nn.Tanh: "tanh", torch.nn.Sigmoid: "sigmoid", torch.nn.ReLU: "relu", torch.nn.Softmax: "softmax",
             torch.nn.LeakyReLU: "leaky_relu", torch.nn.ELU: "elu", torch.nn.PReLU: "prelu"}
    entry = {"type": "activation", "kind": kinds[type(m)], "size": size}
    if isinstance(m, torch.nn.LeakyReLU):
        entry["slope"] = m.negative_slope
    if isinstance(m, torch.nn.ELU):
        entry["alpha"] = m.alpha
    return entry


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def write_fixture(folder, name, make_layers, D, seed):
    torch.manual_seed(seed)
    model = Sequential(make_layers())
    with torch.no_grad():
        for m in model.layers:
            if isinstance(m, torch.nn.PReLU):
                m.weight.uniform_(-0.5, 0.5)
    model = model.double()
    x = torch.randn(N, T, D, dtype=torch.float64).requires_grad_(True)
    y, outputs = model(x)
    for o in outputs:
        o.retain_grad()
    O = y.shape[-1]
    w = torch.randn(N, T, O, dtype=torch.float64)
    loss = (w * y * y).sum()
    model.zero_grad()
    loss.backward()

    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(folder, name + ".safetensors"))
    layers, size = [], D
    for i, m in enumerate(model.layers):
        layers.append({"index": i, "module": repr(m), **describe(m, size)})
        size = outputs[i].shape[-1]
    doc = {
        "model": name, "torch_version": torch.__version__, "dtype": "float64", "seed": seed,
        "weights": name + ".safetensors",
        "layers": layers, "N": N, "T": T, "D": D, "O": O,
        "shapes": {"x": [N, T, D], "outputs": [N, T, O], "loss_weights": [N, T, O],
                   **{k: list(v.shape) for k, v in state.items()}},
        "parameters": {k: flat(v) for k, v in state.items()},
        "x": flat(x), "outputs": flat(y), "layer_outputs": [flat(o) for o in outputs],
        "layer_output_gradients": [flat(o.grad) for o in outputs],
        "loss_weights": flat(w), "loss": float(loss.detach()),
        "gradients": {k: flat(p.grad) for k, p in model.named_parameters()},
        "dx": flat(x.grad),
    }
    assert set(doc["gradients"]) == set(state), "every state_dict tensor is a parameter with a gradient"
    # Autograd checked against central differences (torch.autograd.gradcheck, float64).
    assert torch.autograd.gradcheck(lambda x: (w * model(x)[0] ** 2).sum(), (x.detach().requires_grad_(True),))
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


FIXTURES = [
    ("torch_mixed_dense_lstm", lambda: [
        torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.LSTM(8, 6, batch_first=True),
        torch.nn.Linear(6, 5), torch.nn.Sigmoid(), torch.nn.Linear(5, 2)], 3, 2501),
    ("torch_mixed_gru_rnn", lambda: [
        torch.nn.Linear(3, 6), torch.nn.LeakyReLU(0.2), torch.nn.GRU(6, 5, batch_first=True),
        torch.nn.PReLU(num_parameters=5), torch.nn.RNN(5, 4, nonlinearity="tanh", batch_first=True),
        torch.nn.ELU(alpha=1.0), torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3),
        torch.nn.Softmax(dim=-1)], 3, 2502),
    ("torch_mixed_rnn_relu", lambda: [
        torch.nn.Linear(3, 5), torch.nn.RNN(5, 6, nonlinearity="relu", batch_first=True), torch.nn.Tanh(),
        torch.nn.RNN(6, 4, nonlinearity="relu", batch_first=True), torch.nn.Linear(4, 2)], 3, 2509),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    os.makedirs(args.output, exist_ok=True)
    for fixture in FIXTURES:
        write_fixture(args.output, *fixture)
        print("wrote", os.path.join(args.output, fixture[0]) + ".{json,safetensors}")


if __name__ == "__main__":
    main()
