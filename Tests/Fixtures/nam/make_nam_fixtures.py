"""Writes the fixtures of CellForge's NAM (.nam) import and export tests (Tests/Fixtures/nam/).

Run from anywhere (CPU only, deterministic, seeds fixed):

    python make_nam_fixtures.py            # needs torch and neural-amp-modeler (pip install neural-amp-modeler)

Import fixtures, written by NAM's own exporter: for each size (input_size x num_layers x
hidden_size) an `nam.models.LSTM` is built with a fixed torch seed, its weights and learned
initial state drawn uniformly in [-0.5, 0.5] so that every value matters, and exported with
`model.export(...)` to `nam_lstm_<L>x<H>.nam`. The export stores, per layer, the state after
48,000 zero samples (NAM's `_get_initial_state`), which is where the plugin starts. Then the
file is loaded back with `nam.models.init_from_nam` (as the plugin's users do) and run on a
fixed signal in float64 from that stored state: `nam_lstm_<L>x<H>.io.json` holds `x` [T]
and NAM's `outputs` [T].

Export check: `cellforge_export_lstm_2x8.nam` is written by CellForge (the NAMModelTests
write the same bytes from nam_lstm_2x8.nam's parameters); this script loads it with
`init_from_nam` and records NAM's outputs in `cellforge_export_lstm_2x8.io.json`, so the
tests show that NAM's package reads CellForge's file and computes what CellForge computes.
Rerun the script after the test rewrites that file.
"""
import json
import os

import numpy as np
import torch
from nam.models import init_from_nam
from nam.models.recurrent import LSTM

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = [(1, 12), (1, 16), (2, 8), (3, 5)]  # (num_layers, hidden_size)
T = 512
SAMPLE_RATE = 48000.0


def signal():
    """A deterministic guitar-like test signal in [-1, 1]: a decaying chord plus noise."""
    t = np.arange(T) / SAMPLE_RATE
    rng = np.random.default_rng(7)
    chord = sum(np.sin(2 * np.pi * f * t) for f in (110.0, 164.8, 220.0)) / 3
    return (0.9 * np.exp(-t * 40) * chord + 0.05 * rng.standard_normal(T)).astype(np.float32)


def nam_outputs(path, x):
    """Loads a .nam file with NAM's package and runs x through it in float64."""
    with open(path) as f:
        model = init_from_nam(json.load(f)).double().eval()
    with torch.no_grad():
        y = model(torch.from_numpy(x.astype(np.float64))[None, :])
    return y[0].numpy()


def write_io(name, x, y):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump({"x": [float(v) for v in x], "outputs": [float(v) for v in y]}, f, separators=(",", ":"))
        f.write("\n")


def main():
    x = signal()
    for layers, hidden in SIZES:
        name = f"nam_lstm_{layers}x{hidden}"
        torch.manual_seed(1000 * layers + hidden)
        model = LSTM(hidden_size=hidden, num_layers=layers, sample_rate=SAMPLE_RATE)
        with torch.no_grad():
            for p in model.parameters():
                p.uniform_(-0.5, 0.5)
        model.export(HERE, basename=name)
        path = os.path.join(HERE, name + ".nam")
        with open(path) as f:
            payload = json.load(f)
        payload["metadata"] = {}  # no dates: rerunning writes the same bytes
        with open(path, "w") as f:
            json.dump(payload, f)
        write_io(name + ".io.json", x, nam_outputs(path, x))
    export = os.path.join(HERE, "cellforge_export_lstm_2x8.nam")
    if os.path.exists(export):
        write_io("cellforge_export_lstm_2x8.io.json", x, nam_outputs(export, x))


if __name__ == "__main__":
    main()
