#!/usr/bin/env python3
"""Trains the PyTorch model that CellForge's `cellforge-model` example imports and streams.

    python train_torch_lstm20.py      (from this folder; needs torch and safetensors)

Model: nn.LSTM(1, 20, batch_first=True) + nn.Linear(20, 1), trained in float32 with Adam
(lr 0.01, 300 full-batch steps, MSE) to map sine sweeps x of random amplitude and frequency to
the soft clipper y = tanh(3x). Seeds are fixed and one thread is used, so the script is
deterministic. Writes:

- torch_lstm20_softclip.safetensors: the module's state_dict (rnn.weight_ih_l0, …, head.weight,
  head.bias), float32;
- torch_lstm20_softclip.json: a fresh test signal "x" (256 samples, float32 values), the
  model's outputs for it from a zero state computed by PyTorch in float32 ("float32") and,
  with the same float32 weights, in float64 ("float64"), the final training MSE ("train_mse")
  and the MSE of those outputs against tanh(3x) ("test_mse").
"""
import json
import math

import torch
from safetensors.torch import save_file

torch.manual_seed(20)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.LSTM(1, 20, batch_first=True)
        self.head = torch.nn.Linear(20, 1)

    def forward(self, x):
        return self.head(self.rnn(x)[0])


def sweeps(count, length, generator):
    amplitude = 0.2 + 0.8 * torch.rand(count, 1, generator=generator)
    frequency = 0.005 + 0.05 * torch.rand(count, 1, generator=generator)
    phase = 2 * math.pi * torch.rand(count, 1, generator=generator)
    t = torch.arange(length, dtype=torch.float32).unsqueeze(0)
    return (amplitude * torch.sin(2 * math.pi * frequency * t + phase)).unsqueeze(-1)


def main():
    generator = torch.Generator().manual_seed(2020)
    model = Model()
    x = sweeps(16, 256, generator)
    y = torch.tanh(3 * x)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(300):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        train_mse = torch.nn.functional.mse_loss(model(x), y).item()
        test = sweeps(1, 256, generator)
        out32 = model(test)
        out64 = model.double()(test.double())
        test_mse = torch.mean((out32 - torch.tanh(3 * test)) ** 2).item()
        model.float()
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, "torch_lstm20_softclip.safetensors")
    data = {
        "x": [float(v) for v in test.reshape(-1).tolist()],
        "float32": [float(v) for v in out32.reshape(-1).tolist()],
        "float64": [float(v) for v in out64.reshape(-1).tolist()],
        "train_mse": train_mse,
        "test_mse": test_mse,
    }
    with open("torch_lstm20_softclip.json", "w") as f:
        json.dump(data, f)
    print(f"train MSE {train_mse:.3g}, test MSE {test_mse:.3g}")


if __name__ == "__main__":
    main()
