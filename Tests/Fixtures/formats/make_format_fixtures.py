"""Writes the fixtures of CellForge's whole-model import tests (Tests/Fixtures/formats/).

Run from anywhere (CPU only, deterministic, seeds fixed):

    KERAS_BACKEND=torch RTNEURAL_PYTHON=/path/to/RTNeural/python python make_format_fixtures.py

Needs torch, numpy, safetensors, keras 3 (any backend; torch here) and h5py (this repository's
fixtures were written with torch 2.13 CPU and keras 3.15.1; `--torch-only` writes the PyTorch
ones with torch, numpy and safetensors alone). RTNEURAL_PYTHON
is the `python/` folder of a checkout of https://github.com/jatinchowdhury18/RTNeural: the
RTNeural fixture is written by its own `model_utils.save_model`, which imports
`tensorflow.keras`; Keras 3 stands in for it (`sys.modules["tensorflow"]`).

Each fixture is a weights file and a JSON of inputs `x` [N][T][D] and the framework's own
outputs `outputs` [N][T][O] computed in float64 from the stored (float32) weights, from zero
initial states, so CellForge's Double forward can be compared tightly:

- torch_lstm2_linear: Model(rnn = nn.LSTM(3, 5, num_layers=2, batch_first=True),
  head = nn.Linear(5, 2)), identity head. Keys rnn.weight_ih_l0 … rnn.bias_hh_l1, head.weight, head.bias.
- torch_gru_linear_tanh: nn.GRU(2, 7) + nn.Linear(7, 3), tanh after the Linear.
- torch_rnn2_nested_nobias: Outer(encoder = Inner(rnn = nn.RNN(4, 6, num_layers=2, bias=False))),
  no head: keys encoder.rnn.weight_ih_l0, …, found by scanning.
- torch_lstm_bidirectional: nn.LSTM(2, 3, bidirectional=True) + nn.Linear(6, 1), weights only
  (CellForge must refuse it).
- keras_lstm2_dense_tanh: Sequential(LSTM(5), LSTM(5), Dense(2, tanh)) on D = 3, weights uniform in [-0.6, 0.6];
  its .weights.h5 converted by tools/keras_weights_to_safetensors.py (and its .keras archive too,
  checked to give the same bytes and the layer order and activation the model has).
- keras_gru_rnn_dense: Sequential(GRU(4), SimpleRNN(3), Dense(2)) on D = 2 (mixed kinds: the
  layer order is passed to the importer).
- rtneural_gru_lstm_dense_sigmoid.json: Sequential(GRU(6), LSTM(4), Dense(1, sigmoid)) on D = 1,
  written by RTNeural's model_utils.save_model; outputs in rtneural_gru_lstm_dense_sigmoid.outputs.json.
"""
import json
import os
import sys
import types

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np
import torch
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
N, T = 2, 6


def write_json(name, payload):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(payload, f, indent=None, separators=(",", ":"))
        f.write("\n")


def torch_fixture(name, module, forward, input_size, seed):
    """Saves module's float32 state_dict, then runs its float64 copy on seeded inputs."""
    state = {k: v.detach().to(torch.float32).contiguous() for k, v in module.state_dict().items()}
    save_file(state, os.path.join(HERE, name + ".safetensors"))
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(N, T, input_size, generator=g, dtype=torch.float64) * 2 - 1
    module = module.double()
    with torch.no_grad():
        y = forward(module, x)
    write_json(name + ".json", {"x": x.tolist(), "outputs": y.tolist()})


class Model(torch.nn.Module):
    def __init__(self, rnn, head):
        super().__init__()
        self.rnn, self.head = rnn, head


class Inner(torch.nn.Module):
    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn


class Outer(torch.nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.encoder = inner


def round_to_float32(module):
    """Rounds every parameter to float32 so the saved file and the float64 run agree."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(p.to(torch.float32).to(p.dtype))
    return module


def write_torch_fixtures():
    torch.manual_seed(11)
    m = round_to_float32(Model(torch.nn.LSTM(3, 5, num_layers=2, batch_first=True), torch.nn.Linear(5, 2)))
    torch_fixture("torch_lstm2_linear", m, lambda m, x: m.head(m.rnn(x)[0]), 3, 1)

    torch.manual_seed(12)
    m = round_to_float32(Model(torch.nn.GRU(2, 7, batch_first=True), torch.nn.Linear(7, 3)))
    torch_fixture("torch_gru_linear_tanh", m, lambda m, x: torch.tanh(m.head(m.rnn(x)[0])), 2, 2)

    torch.manual_seed(13)
    m = round_to_float32(Outer(Inner(torch.nn.RNN(4, 6, num_layers=2, bias=False, batch_first=True))))
    torch_fixture("torch_rnn2_nested_nobias", m, lambda m, x: m.encoder.rnn(x)[0], 4, 3)

    torch.manual_seed(14)
    m = Model(torch.nn.LSTM(2, 3, bidirectional=True, batch_first=True), torch.nn.Linear(6, 1))
    save_file({k: v.contiguous() for k, v in m.state_dict().items()}, os.path.join(HERE, "torch_lstm_bidirectional.safetensors"))


def keras_weights_to_safetensors(source, out_path):
    """Keras 3 weights -> safetensors with CellForge's Keras names, by the user-facing converter
    tools/keras_weights_to_safetensors.py; returns what it reads from a .keras archive's config."""
    sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tools"))
    from keras_weights_to_safetensors import convert
    return convert(source, out_path)


def keras_model(layers, input_size):
    import keras
    return keras.Sequential([keras.Input((None, input_size))] + layers)


def keras_outputs(build, weights, x):
    """The float64 outputs of a freshly built float64 copy of the model, given float32 weights."""
    import keras
    keras.config.set_floatx("float64")
    try:
        m = build()
        m.set_weights([w.astype(np.float64) for w in weights])
        return np.asarray(m.predict(x, verbose=0))
    finally:
        keras.config.set_floatx("float32")


def randomize(m, seed):
    """Replaces Keras's initialisation (zero or constant biases) by uniform values in [-0.6, 0.6],
    so that every bias, including the GRU's recurrent row, tests the gate mapping."""
    rng = np.random.default_rng(seed)
    m.set_weights([rng.uniform(-0.6, 0.6, w.shape).astype(np.float32) for w in m.get_weights()])
    return [w.astype(np.float32) for w in m.get_weights()]


def keras_fixture(name, build, input_size, seed, expected_activation):
    import keras
    keras.utils.set_random_seed(seed)
    m = build()
    weights = randomize(m, seed)
    h5, archive = os.path.join(HERE, name + ".weights.h5"), os.path.join(HERE, name + ".keras")
    m.save_weights(h5)
    m.save(archive)
    out = os.path.join(HERE, name + ".safetensors")
    keras_weights_to_safetensors(h5, out)
    with open(out, "rb") as f:
        from_h5 = f.read()
    described = keras_weights_to_safetensors(archive, out)
    with open(out, "rb") as f:
        assert f.read() == from_h5, "the .keras archive converts to the same file as its .weights.h5"
    assert described == {"layers": [l.name for l in m.layers[:-1]], "head": m.layers[-1].name,
                         "activation": expected_activation}, described
    os.remove(h5)
    os.remove(archive)
    x = np.random.default_rng(seed).uniform(-1, 1, (N, T, input_size))
    write_json(name + ".json", {"x": x.tolist(), "outputs": keras_outputs(build, weights, x).tolist(),
                                "layers": [l.name for l in m.layers if l.name.split("_")[0] != "dense"]})
    return m


def write_keras_fixtures():
    import keras
    L = keras.layers
    keras_fixture("keras_lstm2_dense_tanh", lambda: keras_model(
        [L.LSTM(5, return_sequences=True), L.LSTM(5, return_sequences=True), L.Dense(2, activation="tanh")], 3), 3, 21, "tanh")
    keras_fixture("keras_gru_rnn_dense", lambda: keras_model(
        [L.GRU(4, return_sequences=True), L.SimpleRNN(3, return_sequences=True), L.Dense(2)], 2), 2, 22, "identity")


def write_rtneural_fixture():
    import keras
    folder = os.environ.get("RTNEURAL_PYTHON")
    if not folder:
        sys.exit("set RTNEURAL_PYTHON to the python/ folder of an RTNeural checkout (for model_utils.py)")
    sys.modules["tensorflow"] = types.SimpleNamespace(keras=keras)
    sys.path.insert(0, folder)
    import model_utils

    L = keras.layers
    name = "rtneural_gru_lstm_dense_sigmoid"
    build = lambda: keras_model([L.GRU(6, return_sequences=True), L.LSTM(4, return_sequences=True),
                                 L.Dense(1, activation="sigmoid")], 1)
    keras.utils.set_random_seed(31)
    m = build()
    weights = randomize(m, 31)
    model_utils.save_model(m, os.path.join(HERE, name + ".json"))
    x = np.random.default_rng(31).uniform(-1, 1, (N, T, 1))
    write_json(name + ".outputs.json", {"x": x.tolist(), "outputs": keras_outputs(build, weights, x).tolist()})


if __name__ == "__main__":
    torch.use_deterministic_algorithms(True)
    write_torch_fixtures()
    if "--torch-only" not in sys.argv:
        write_keras_fixtures()
        write_rtneural_fixture()
