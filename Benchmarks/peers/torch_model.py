#!/usr/bin/env python3
"""PyTorch peer of `Benchmarks --models`: training throughput of nn.LSTM(1, 8, num_layers=2)
+ nn.Linear(8, 1) on one thread, the same batch shape, MSELoss and Adam as CellForge's model
benchmark. Prints JSON (give it to `Benchmarks --models --compare FILE`).

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sequences", type=int, default=256)
    parser.add_argument("--length", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    N, T = args.sequences, args.length
    model = Model()
    x = torch.rand(N, T, 1) * 2 - 1
    y = (torch.rand(N, T, 1) * 2 - 1) / 2
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
    while time.perf_counter() - start < args.seconds or len(samples) < 7:
        t0 = time.perf_counter()
        step()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    median = samples[len(samples) // 2]
    print(json.dumps({
        "producer": "pytorch-model", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "model": "LSTM(1,8,num_layers=2) + Linear(8,1), MSELoss, Adam", "sequences": N, "length": T,
        "seconds_per_step_median": median, "steps": len(samples),
        "training_sequence_steps_per_second": N * T / median,
    }, indent=1))


if __name__ == "__main__":
    main()
