#!/usr/bin/env python3
"""CellForge's `cellforge-train` against NAM's own trainer, side by side in one run.

Same data (a capture from Examples/AmpCapture/synthesize_capture.py, or your own pair), same
model (LSTM L×H with a Linear head), same segments, burn-in, batch size (last partial batch
dropped, as NAM's loader does), learning rate (Adam, constant), validation on the last 9 s,
the same number of epochs. For each model and thread count it runs `cellforge-train`, then
`nam_trainer_bench.py` (NAM's Lightning trainer and the plain PyTorch loop), and prints the
median seconds per epoch (training + validation), the ratio, and the validation ESR after the
last epoch. With `--target-esr`, it also runs each trainer (one core) until that validation
ESR or `--time-limit` seconds and reports the wall time to reach it.

    python3 Benchmarks/peers/compare_nam_training.py --cellforge .build/release/cellforge-train \\
        --nam-python .venv-nam/bin/python --capture /tmp/cap [--epochs 5] [--target-esr 0.05]

Build cellforge-train in release with the README's flags (-target-cpu native -DCELLFORGE_FMA);
see nam_trainer_bench.py for installing NAM's package. Writes a JSON summary with --json.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = re.compile(r"^epoch +(\d+)/\d+ .*?val \S+ ([0-9.e+-]+) .*? ([0-9.]+) s/epoch .*? ([0-9.]+) s \(ETA")


def cellforge(args, model, workers, epochs, extra=()):
    cmd = [args.cellforge, "--input", os.path.join(args.capture, "dry.wav"), "--target", os.path.join(args.capture, "wet.wav"),
           "--model", model, "--segment", str(args.segment), "--burn-in", str(args.burn_in), "--batch", str(args.batch),
           "--drop-last", "--learning-rate", str(args.learning_rate), "--schedule", "constant", "--validation-seconds", "9",
           "--epochs", str(epochs), "--workers", str(workers), "--no-checkpoint", "--quiet", *extra]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [{"epoch": int(m[1]), "val_esr": float(m[2]), "wall_s": float(m[3]), "cumulative_s": float(m[4])}
            for m in map(EPOCH.match, out.splitlines()) if m]


def nam(args, hidden, layers, threads, epochs, trainer="both", target_esr=None):
    path = os.path.join(args.capture, f"nam-{layers}x{hidden}-{threads}.json")
    cmd = [args.nam_python, os.path.join(HERE, "nam_trainer_bench.py"), "--input", os.path.join(args.capture, "dry.wav"),
           "--target", os.path.join(args.capture, "wet.wav"), "--hidden", str(hidden), "--layers", str(layers),
           "--segment", str(args.segment), "--burn-in", str(args.burn_in), "--batch", str(args.batch),
           "--epochs", str(epochs), "--learning-rate", str(args.learning_rate), "--validation-seconds", "9",
           "--threads", str(threads), "--trainer", trainer, "--json", path]
    if target_esr is not None:
        cmd += ["--target-esr", str(target_esr)]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    with open(path) as f:
        return {r["trainer"]: r["epochs"] for r in json.load(f)["results"]}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cellforge", required=True)
    p.add_argument("--nam-python", required=True)
    p.add_argument("--capture", required=True, help="folder with dry.wav and wet.wav")
    p.add_argument("--models", default="1x16,2x8")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--segment", type=int, default=8192)
    p.add_argument("--burn-in", type=int, default=1024)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--learning-rate", type=float, default=0.008)
    p.add_argument("--target-esr", type=float)
    p.add_argument("--time-limit", type=float, default=300)
    p.add_argument("--json")
    args = p.parse_args()
    cores = os.cpu_count()
    rows, summary = [], {"config": vars(args), "cpu_count": cores, "per_epoch": [], "to_target": []}
    print(f"| model | threads | CellForge s/epoch | NAM Lightning s/epoch | NAM plain s/epoch | ratio (Lightning) | ratio (plain) "
          f"| val ESR after {args.epochs}: CellForge / Lightning / plain |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for model in args.models.split(","):
        layers, hidden = map(int, model.split("x"))
        for threads in sorted({1, cores}):
            ours = cellforge(args, f"lstm:{model}", threads, args.epochs)
            theirs = nam(args, hidden, layers, 0 if threads == cores and cores > 1 else threads, args.epochs)
            med = lambda e: statistics.median(x["wall_s"] for x in e)
            a, l, pl = med(ours), med(theirs["lightning"]), med(theirs["plain"])
            row = {"model": model, "threads": threads, "cellforge_s": a, "lightning_s": l, "plain_s": pl,
                   "esr": [ours[-1]["val_esr"], theirs["lightning"][-1]["val_esr"], theirs["plain"][-1]["val_esr"]]}
            summary["per_epoch"].append(row)
            print(f"| LSTM {model} | {threads} | {a:.3f} | {l:.3f} | {pl:.3f} | {l / a:.1f}× | {pl / a:.1f}× | "
                  + " / ".join(f"{x:.3f}" for x in row["esr"]) + " |", flush=True)
        if args.target_esr is not None:
            epochs = 10_000
            ours = cellforge(args, f"lstm:{model}", 1, epochs, ["--max-seconds", str(args.time_limit)])
            first = next((e for e in ours if e["val_esr"] <= args.target_esr), None)
            nam_epochs = max(1, int(args.time_limit / (med(theirs["plain"]))))
            theirs = nam(args, hidden, layers, 1, nam_epochs, trainer="plain", target_esr=args.target_esr)["plain"]
            nfirst = next((e for e in theirs if e["val_esr"] <= args.target_esr), None)
            result = {"model": model, "target_esr": args.target_esr,
                      "cellforge": first and {"epoch": first["epoch"], "seconds": first["cumulative_s"]},
                      "nam_plain": nfirst and {"epoch": nfirst["epoch"], "seconds": nfirst["cumulative_s"]},
                      "cellforge_best": min(e["val_esr"] for e in ours), "nam_best": min(e["val_esr"] for e in theirs)}
            summary["to_target"].append(result)
            print(f"time to validation ESR ≤ {args.target_esr} (1 thread, LSTM {model}): CellForge "
                  + (f"{first['cumulative_s']:.1f} s (epoch {first['epoch']})" if first else f"not within {args.time_limit} s")
                  + ", NAM plain loop "
                  + (f"{nfirst['cumulative_s']:.1f} s (epoch {nfirst['epoch']})" if nfirst else f"not within {nam_epochs} epochs"),
                  flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
