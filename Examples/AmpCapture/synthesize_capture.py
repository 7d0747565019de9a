#!/usr/bin/env python3
"""Synthesize a dry/wet "amp capture" pair for `cellforge-train --input/--target`.

Purpose
    A small, reproducible stand-in for a real reamp session (DI in, amp out), so that
    the amp-capture training mode can be tried and tested without recordings. Standard
    library only (no numpy): it runs wherever Python 3 does.

Usage
    python3 Examples/AmpCapture/synthesize_capture.py [--seconds 30] [--out DIR] [--seed 1]
    cellforge-train --input DIR/dry.wav --target DIR/wet.wav --model lstm:1x16 \
        --epochs 100 --export amp.nam

Output
    DIR/dry.wav and DIR/wet.wav: 48 kHz, mono, 24-bit PCM, `--seconds` long each.
    The same arguments give the same files byte for byte (checked by rerunning; the
    generator is a seeded random.Random using only random(), the arithmetic IEEE
    double). Across platforms only the C library's sin/exp/tanh could differ, in the
    last bit, which would change a 24-bit sample only on a rare rounding tie.

Dry signal x (peak normalized to 0.5)
    A 3 s logarithmic sine sweep 40 Hz -> 12 kHz, then a seeded random sequence of
    events until the end:
      * plucked-string notes (Karplus-Strong: a noise burst through a delay line of
        length sr/f with a two-tap averaging loop whose gain gives a 6-20 dB/s
        decay at any pitch; 10 ms fade-out), single notes and strummed chords,
        E2..E5, at levels from -18 dB to 0 dB, each starting before the previous one
        ends;
      * noise bursts (uniform white noise, 5 ms attack, exponential decay to -20 dB),
        several levels;
      * short log sweeps (0.5-1.5 s, up or down, random range and level);
      * silence gaps (10-40 ms).
    Silences are kept short on purpose: a loss that is an ESR per training segment
    (NAM's `esr`, CellForge's `--loss esr`) divides by the target's energy in the
    segment, so a segment of pure silence gives 0/0 = NaN. There is no lead-in
    silence, notes overlap, and silent stretches last tens of milliseconds (a gap can
    follow a noise burst's own 0-50 ms tail gap): in the default 30 s file the
    quietest loss window (samples 1024-8191 of a 8192-sample segment) has 4e-3 rms
    against a median of 0.05, and no 4096-sample segment is silent.

Wet signal y: a known nonlinear system with memory (sr = 48000)
    1. high-pass, one pole, fc = 120 Hz (input coupling / pre-emphasis):
           a  = exp(-2*pi*120/sr)
           h[n] = a * (h[n-1] + x[n] - x[n-1])
    2. gain and asymmetric tanh waveshaper (G = 8, b = 0.35):
           s[n] = tanh(G*h[n] + b) - tanh(b)
    3. "cabinet": two cascaded one-pole low-passes, fc1 = 3.5 kHz, fc2 = 7 kHz:
           c1[n] = c1[n-1] + k1 * (s[n]  - c1[n-1]),   k1 = 1 - exp(-2*pi*3500/sr)
           c2[n] = c2[n-1] + k2 * (c1[n] - c2[n-1]),   k2 = 1 - exp(-2*pi*7000/sr)
    4. output level: y[n] = 0.3 * c2[n]            (peak about 0.35-0.4)
    All states start at zero. The dry and wet files are sample-aligned (no latency).
    Learnable by a small LSTM: NAM's own trainer (Benchmarks/peers/nam_trainer_bench.py,
    LSTM 1x16 + Linear head, segments 8192, burn-in 1024, batch 16, ESR loss, Adam
    0.008, 9 s held out; plain PyTorch loop, one thread of a shared AMD EPYC, 7 steps
    per epoch) on the default 30 s pair sits near ESR 1 for ~50 epochs, first reaches
    validation ESR <= 0.05 at epoch 138 (0.042, after 205 s) and is at 0.042 at epoch
    150 (back up to 0.07-0.16 at epochs 127-135 on the way, at this learning rate); LSTM 2x8 first
    reaches <= 0.05 at epoch 143 (197 s), 0.020 at 170 and 0.013 at 200 (274 s).
"""

import argparse
import array
import math
import os
import random
import sys
import wave

SAMPLE_RATE = 48_000

# Wet-system constants (see the module docstring).
HP_FC = 120.0
DRIVE = 8.0
BIAS = 0.35
LP1_FC = 3500.0
LP2_FC = 7000.0
OUT_LEVEL = 0.3
DRY_PEAK = 0.5


def log_sweep(n, f0, f1, amp, sr=SAMPLE_RATE):
    """n samples of a log sine sweep f0 -> f1 with 10 ms raised-cosine fades."""
    if n <= 1:
        return [0.0] * n
    dur = n / sr
    k = math.log(f1 / f0)
    c = 2.0 * math.pi * f0 * dur / k
    fade = max(1, min(n // 2, int(0.01 * sr)))
    out = [0.0] * n
    for i in range(n):
        t = i / sr
        v = amp * math.sin(c * (math.exp(t / dur * k) - 1.0))
        if i < fade:
            v *= 0.5 - 0.5 * math.cos(math.pi * i / fade)
        elif i >= n - fade:
            v *= 0.5 - 0.5 * math.cos(math.pi * (n - 1 - i) / fade)
        out[i] = v
    return out


def karplus_strong(n, freq, amp, rng, decay_db_per_s=12.0, sr=SAMPLE_RATE):
    """n samples of a plucked string at freq (Karplus-Strong, two-tap average loop).

    The loop gain is set per period so that the note decays by about decay_db_per_s
    whatever its pitch (plus the averaging filter's own slight loss)."""
    period = max(2, int(round(sr / freq)))
    decay = 10.0 ** (-decay_db_per_s / 20.0 * period / sr)
    buf = [amp * (2.0 * rng.random() - 1.0) for _ in range(period)]
    out = [0.0] * n
    g = 0.5 * decay
    idx = 0
    prev = buf[-1]
    for i in range(n):
        cur = buf[idx]
        out[i] = cur
        buf[idx] = g * (cur + prev)
        prev = cur
        idx += 1
        if idx == period:
            idx = 0
    fade = min(n, int(0.01 * sr))  # 10 ms linear fade-out: no click at the cut
    for i in range(fade):
        out[n - 1 - i] *= i / fade
    return out


def noise_burst(n, amp, rng, sr=SAMPLE_RATE):
    """n samples of white noise, 5 ms linear attack, exponential decay to -20 dB."""
    attack = max(1, int(0.005 * sr))
    tau = n / 2.3  # exp(-2.3) ~ -20 dB at the end
    return [
        amp * (2.0 * rng.random() - 1.0) * min(1.0, i / attack) * math.exp(-i / tau)
        for i in range(n)
    ]


def add_into(dst, src, at):
    end = min(len(dst), at + len(src))
    for i in range(at, end):
        dst[i] += src[i - at]


def make_dry(num_samples, seed, sr=SAMPLE_RATE):
    rng = random.Random(seed)
    x = [0.0] * num_samples
    pos = 0
    sweep = log_sweep(min(3 * sr, max(0, num_samples - pos)), 40.0, 12_000.0, 0.8)
    add_into(x, sweep, pos)
    pos += len(sweep)
    # E2 .. E5 in semitones, referenced to E2 = 82.41 Hz
    db_levels = (-18.0, -12.0, -6.0, -3.0, 0.0)
    while pos < num_samples:
        r = rng.random()
        if r < 0.45:  # single note
            semis = int(rng.random() * 37)
            freq = 82.407 * 2.0 ** (semis / 12.0)
            amp = 10.0 ** (db_levels[int(rng.random() * len(db_levels))] / 20.0)
            length = int((0.4 + 1.2 * rng.random()) * sr)
            decay = 6.0 + 14.0 * rng.random()  # dB/s
            add_into(x, karplus_strong(length, freq, amp, rng, decay), pos)
            pos += min(length, int((0.15 + 0.5 * rng.random()) * sr))
        elif r < 0.65:  # strummed chord: root, fifth, octave (+ third sometimes)
            root = int(rng.random() * 20)
            amp = 10.0 ** (db_levels[int(rng.random() * len(db_levels))] / 20.0) * 0.6
            length = int((0.8 + 1.0 * rng.random()) * sr)
            intervals = (0, 7, 12, 16) if rng.random() < 0.5 else (0, 7, 12)
            for j, iv in enumerate(intervals):
                freq = 82.407 * 2.0 ** ((root + iv) / 12.0)
                add_into(x, karplus_strong(length, freq, amp, rng, 10.0), pos + j * int(0.012 * sr))
            pos += min(length, int((0.5 + 0.6 * rng.random()) * sr))
        elif r < 0.77:  # noise burst
            amp = 10.0 ** (db_levels[int(rng.random() * len(db_levels))] / 20.0) * 0.5
            length = int((0.05 + 0.3 * rng.random()) * sr)
            add_into(x, noise_burst(length, amp, rng), pos)
            pos += length + int(0.05 * sr * rng.random())
        elif r < 0.87:  # short sweep, up or down
            lo = 40.0 * 2.0 ** (4.0 * rng.random())
            hi = lo * 2.0 ** (2.0 + 4.0 * rng.random())
            f0, f1 = (lo, hi) if rng.random() < 0.5 else (hi, lo)
            amp = 10.0 ** (db_levels[int(rng.random() * len(db_levels))] / 20.0) * 0.8
            length = int((0.5 + 1.0 * rng.random()) * sr)
            add_into(x, log_sweep(length, f0, f1, amp), pos)
            pos += length
        else:  # silence gap
            pos += int((0.01 + 0.03 * rng.random()) * sr)
    peak = max(abs(v) for v in x) if num_samples else 0.0
    if peak > 0.0:
        scale = DRY_PEAK / peak
        x = [v * scale for v in x]
    return x


def amp_system(x, sr=SAMPLE_RATE):
    """The wet system of the module docstring, sample by sample from zero state."""
    a = math.exp(-2.0 * math.pi * HP_FC / sr)
    k1 = 1.0 - math.exp(-2.0 * math.pi * LP1_FC / sr)
    k2 = 1.0 - math.exp(-2.0 * math.pi * LP2_FC / sr)
    tb = math.tanh(BIAS)
    tanh = math.tanh
    h = xp = c1 = c2 = 0.0
    y = [0.0] * len(x)
    for i, xi in enumerate(x):
        h = a * (h + xi - xp)
        xp = xi
        s = tanh(DRIVE * h + BIAS) - tb
        c1 += k1 * (s - c1)
        c2 += k2 * (c1 - c2)
        y[i] = OUT_LEVEL * c2
    return y


def write_wav24(path, samples, sr=SAMPLE_RATE):
    """Mono 24-bit little-endian PCM; samples are clipped to [-1, 1)."""
    full = 8_388_607
    ints = array.array("i", (max(-full - 1, min(full, int(round(v * full)))) for v in samples))
    if ints.itemsize != 4:
        raise RuntimeError("array('i') is not 32-bit on this platform")
    if sys.byteorder != "little":
        ints.byteswap()
    b = ints.tobytes()
    out = bytearray(3 * len(ints))
    out[0::3] = b[0::4]
    out[1::3] = b[1::4]
    out[2::3] = b[2::4]
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(3)
        w.setframerate(sr)
        w.writeframes(bytes(out))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=30.0, help="duration (default 30)")
    p.add_argument("--out", default=".", help="output folder (default: current)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = p.parse_args(argv)
    n = int(round(args.seconds * SAMPLE_RATE))
    if n <= 0:
        p.error("--seconds must be positive")
    os.makedirs(args.out, exist_ok=True)
    x = make_dry(n, args.seed)
    y = amp_system(x)
    dry, wet = os.path.join(args.out, "dry.wav"), os.path.join(args.out, "wet.wav")
    write_wav24(dry, x)
    write_wav24(wet, y)
    print(
        f"wrote {dry} and {wet}: {n} samples ({n / SAMPLE_RATE:g} s), 48 kHz mono 24-bit; "
        f"peaks dry {max(abs(v) for v in x):.3f}, wet {max(abs(v) for v in y):.3f}"
    )


if __name__ == "__main__":
    main()
