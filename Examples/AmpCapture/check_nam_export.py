#!/usr/bin/env python3
"""Check a CellForge-exported `.nam` against NAM's own Python implementation.

Purpose
    `cellforge-train --input dry.wav --target wet.wav --export amp.nam
    --predictions pred.wav` writes a NAM model file and CellForge's own output of the
    trained model over the whole input. This script loads the `.nam` file with NAM's
    loader (`nam.models.init_from_nam`, the inverse of NAM's exporter), runs it over
    `dry.wav` in eval mode, and compares the result with CellForge's predictions:
    it prints the maximum absolute difference and the relative RMS difference
    (rms(pred - ref) / rms(ref)), and exits with status 1 if the maximum absolute
    difference exceeds `--threshold` (default 1e-4).

    What is compared: NAM's LSTM loaded from a `.nam` starts from the hidden and cell
    states stored in the file (for NAM's exporter: the state after 48000 zero samples
    from a zero state, `LSTM._get_initial_state`), and runs the whole file as one
    sequence. CellForge's `--predictions` uses the same start state, so the two agree
    up to floating-point rounding. By default NAM's model runs in float64 (the
    weights in the file are decimal numbers, read as float64), which makes the
    reference tighter than CellForge's float32 arithmetic; `--dtype float32` runs it as
    NAM's trainer does.

Install NAM's package (CPU-only PyTorch), e.g. in a virtual environment:
    python3 -m venv .venv-nam
    .venv-nam/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu
    .venv-nam/bin/pip install neural-amp-modeler

Usage
    .venv-nam/bin/python Examples/AmpCapture/check_nam_export.py \
        --nam amp.nam --input dry.wav --predictions pred.wav [--threshold 1e-4]
        [--dtype float64|float32] [--reference-out nam_pred.wav]

Input WAV formats read: PCM 16/24/32-bit and IEEE float 32/64-bit, mono (a
multi-channel file is rejected). Tested with NAM 0.13 (torch 2.13 CPU).
"""

import argparse
import json
import struct
import sys

import numpy as np


def read_wav(path):
    """Return (samples float64 (N,), sample_rate) of a mono PCM/float WAV file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a RIFF/WAVE file")
    pos, fmt, payload = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == 0xFFFE and len(body) >= 26:  # WAVE_FORMAT_EXTENSIBLE
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, rate, bits)
        elif cid == b"data":
            payload = body
        pos += 8 + size + (size & 1)
    if fmt is None or payload is None:
        raise ValueError(f"{path}: missing fmt or data chunk")
    tag, channels, rate, bits = fmt
    if channels != 1:
        raise ValueError(f"{path}: {channels} channels; expected mono")
    if tag == 3 and bits in (32, 64):
        x = np.frombuffer(payload, dtype="<f4" if bits == 32 else "<f8").astype(np.float64)
    elif tag == 1 and bits == 16:
        x = np.frombuffer(payload, dtype="<i2") / 32768.0
    elif tag == 1 and bits == 32:
        x = np.frombuffer(payload, dtype="<i4") / 2147483648.0
    elif tag == 1 and bits == 24:
        b = np.frombuffer(payload[: len(payload) // 3 * 3], dtype=np.uint8).reshape(-1, 3)
        v = b[:, 0].astype(np.int32) | (b[:, 1].astype(np.int32) << 8) | (b[:, 2].astype(np.int32) << 16)
        v = np.where(v >= 1 << 23, v - (1 << 24), v)
        x = v / 8388608.0
    else:
        raise ValueError(f"{path}: unsupported WAV format tag {tag}, {bits} bits")
    return x, rate


def write_wav_float32(path, x, rate):
    """Mono IEEE-float 32-bit WAV."""
    payload = np.asarray(x, dtype="<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(payload)) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt)
        f.write(b"data" + struct.pack("<I", len(payload)) + payload)


def nam_reference(nam_path, x, dtype):
    """Run NAM's own implementation of the model in `nam_path` over x (float64 (N,))."""
    import torch
    from nam.models import init_from_nam

    with open(nam_path) as f:
        config = json.load(f)
    previous = torch.get_default_dtype()
    # NAM's import_weights builds tensors with torch.Tensor(...), i.e. the default
    # dtype: set it so that the weights are read at the requested precision.
    torch.set_default_dtype(dtype)
    try:
        model = init_from_nam(config).to(dtype)
        model.eval()
        with torch.no_grad():
            y = model(torch.as_tensor(x, dtype=dtype))
    finally:
        torch.set_default_dtype(previous)
    return y.detach().cpu().numpy().astype(np.float64), config


def main(argv=None):
    p = argparse.ArgumentParser(description="Compare a .nam model run by NAM with CellForge's predictions.")
    p.add_argument("--nam", required=True, help="the .nam file (e.g. from cellforge-train --export)")
    p.add_argument("--input", required=True, help="the dry WAV the predictions were made from")
    p.add_argument("--predictions", required=True, help="CellForge's --predictions WAV (32-bit float)")
    p.add_argument("--threshold", type=float, default=1e-4, help="max abs difference allowed (default 1e-4)")
    p.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                   help="precision of NAM's reference run (default float64)")
    p.add_argument("--reference-out", help="also write NAM's output as a 32-bit float WAV here")
    args = p.parse_args(argv)

    import torch

    x, rate = read_wav(args.input)
    pred, prate = read_wav(args.predictions)
    if prate != rate:
        print(f"sample rates differ: input {rate} Hz, predictions {prate} Hz", file=sys.stderr)
        return 2
    if len(pred) != len(x):
        print(f"lengths differ: input {len(x)} samples, predictions {len(pred)}", file=sys.stderr)
        return 2
    ref, config = nam_reference(args.nam, x, getattr(torch, args.dtype))
    if args.reference_out:
        write_wav_float32(args.reference_out, ref, rate)

    model_rate = config.get("sample_rate")
    arch = config.get("architecture")
    cfg = config.get("config", {})
    print(f"model: {arch} {json.dumps(cfg)}, sample_rate {model_rate}, {len(config.get('weights', []))} weights")
    if model_rate is not None and float(model_rate) != float(rate):
        print(f"warning: model sample rate {model_rate} != input {rate}")
    diff = pred - ref
    max_abs = float(np.max(np.abs(diff))) if len(diff) else 0.0
    worst = int(np.argmax(np.abs(diff))) if len(diff) else 0
    ref_rms = float(np.sqrt(np.mean(ref**2))) if len(ref) else 0.0
    rel_rms = float(np.sqrt(np.mean(diff**2))) / ref_rms if ref_rms > 0 else float("nan")
    print(f"samples: {len(x)} at {rate} Hz; NAM reference run in {args.dtype}")
    print(f"max |pred - nam|      = {max_abs:.3e}  (at sample {worst})")
    print(f"rms(pred - nam)/rms(nam) = {rel_rms:.3e}")
    ok = max_abs <= args.threshold
    print(f"{'PASS' if ok else 'FAIL'}: max abs difference {'<=' if ok else '>'} {args.threshold:g}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
