#!/usr/bin/env python3
"""Writes the example's weights and expected outputs with PyTorch on the CPU (optional; the
files are committed). Needs torch and safetensors.

    python Weights/make_weights.py          # from Examples/KernelStreaming

For each module: <name>.safetensors, the freshly initialised module's state_dict saved
with safetensors, and <name>.expected.safetensors with the stream it is fed,
x [T, D] (two sine waves and their sum, per input channel), and PyTorch's outputs h [T, H]
from a zero state. kernel-stream compares its own outputs with these.
"""
import math
import os

import torch
from safetensors.torch import save_file

T = 64
MODULES = [("lstm_h20_d1", torch.nn.LSTM, 1, 20, 7), ("gru_h12_d2", torch.nn.GRU, 2, 12, 8)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for name, cls, d, h, seed in MODULES:
        torch.manual_seed(seed)
        module = cls(d, h)
        t = torch.arange(T, dtype=torch.float32).unsqueeze(1)
        x = torch.sin(0.3 * t + torch.arange(d, dtype=torch.float32)) + 0.5 * torch.sin(0.05 * math.pi * t)
        with torch.no_grad():
            out, _ = module(x.unsqueeze(1))          # (T, N=1, D) -> (T, 1, H), zero initial state
        state = {k: v.detach().contiguous() for k, v in module.state_dict().items()}
        save_file(state, os.path.join(here, name + ".safetensors"))
        save_file({"x": x.contiguous(), "h": out[:, 0, :].contiguous()},
                  os.path.join(here, name + ".expected.safetensors"),
                  metadata={"module": f"torch.nn.{cls.__name__}({d}, {h})", "torch_version": torch.__version__})
        print("wrote", name)


if __name__ == "__main__":
    main()
