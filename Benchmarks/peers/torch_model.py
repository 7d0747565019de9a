#!/usr/bin/env python3
"""PyTorch peer of `Benchmarks --models`: training throughput on one thread, the same batch
shape, MSELoss and Adam as CellForge's model benchmark, of nn.LSTM(1, 8, num_layers=2) +
nn.Linear(8, 1), and of the mixed model Linear(1, 8) → tanh → LSTM(8, 8) → Linear(8, 8) →
sigmoid → Linear(8, 1). Prints JSON (give it to `Benchmarks --models --compare FILE`).

    python Benchmarks/peers/torch_model.py [--sequences 256] [--length 64] > torch-model.json
"""
import argparse
import json
import time

import torch


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.LSTM(1, 8, num_layers=2, batch_first=True)
        self.head = torch.nn.Linear(8, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.head(h)


class Mixed(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = torch.nn.Linear(1, 8)
        self.rnn = torch.nn.LSTM(8, 8, batch_first=True)
        self.mid = torch.nn.Linear(8, 8)
        self.out = torch.nn.Linear(8, 1)

    def forward(self, x):
        h, _ = self.rnn(torch.tanh(self.inp(x)))
        return self.out(torch.sigmoid(self.mid(h)))


def time_training(model, x, y, seconds):
    """Median seconds per training step (zero_grad, forward, MSE, backward, Adam step)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    loss_fn = torch.nn.MSELoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(3):
        step()
    samples = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(samples) < 7:
        t0 = time.perf_counter()
        step()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return samples[len(samples) // 2], len(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sequences", type=int, default=256)
    parser.add_argument("--length", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    N, T = args.sequences, args.length
    x = torch.rand(N, T, 1) * 2 - 1
    y = (torch.rand(N, T, 1) * 2 - 1) / 2
    median, steps = time_training(Model(), x, y, args.seconds)
    mixed, mixed_steps = time_training(Mixed(), x, y, args.seconds)
    print(json.dumps({
        "producer": "pytorch-model", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "model": "LSTM(1,8,num_layers=2) + Linear(8,1), MSELoss, Adam", "sequences": N, "length": T,
        "seconds_per_step_median": median, "steps": steps,
        "training_sequence_steps_per_second": N * T / median,
        "mixed_model": "Linear(1,8) tanh LSTM(8,8) Linear(8,8) sigmoid Linear(8,1), MSELoss, Adam",
        "mixed_seconds_per_step_median": mixed, "mixed_steps": mixed_steps,
        "mixed_training_sequence_steps_per_second": N * T / mixed,
    }, indent=1))


if __name__ == "__main__":
    main()
