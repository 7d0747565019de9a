#!/usr/bin/env python3
"""Time NAM's own trainer (neural-amp-modeler, PyTorch) on a dry/wet capture.

Purpose
    Peer timing for `cellforge-train --input dry.wav --target wet.wav --model lstm:LxH`:
    the same model (NAM's `nam.models.recurrent.LSTM`: L stacked LSTM layers of H
    units + Linear(H->1) head), the same data split and the same recipe, trained by

      * "lightning": NAM's trainer -- NAM's `nam.train.lightning_module.LightningModule`
        (Adam from its `configure_optimizers`, its training/validation steps and
        `LossConfig`) driven by `pytorch_lightning.Trainer` on the CPU, with NAM's
        `nam.data.Dataset` and a DataLoader configured as NAM's configs do
        (shuffle, drop_last, num_workers 0), the way `nam.train.full` wires them;
        checkpoints, loggers and progress bars off.
      * "plain": a plain PyTorch loop doing the identical computation (same model
        initialisation, same batches in the same order, same loss, torch.optim.Adam),
        to show how much of the time is Lightning's overhead.

    Per epoch it reports the wall seconds (training + validation) and the validation
    ESR, as a table and as JSON (`--json`), plus the wall time from the start of the
    first epoch until the validation ESR first reaches `--target-esr`.

Recipe (matching CellForge's data mode)
    * Training data: all but the last `--validation-seconds` of the files, cut into
      non-overlapping segments of `--segment` samples (NAM's Dataset with nx = 1,
      ny = segment); batches of `--batch`, shuffled, the last partial batch dropped
      (NAM's `drop_last: true`). For 30 s at 48 kHz with 9 s held out: 123 segments,
      7 batches of 16 per epoch.
    * Loss: ESR per segment averaged over the batch (`nam.models.losses.esr`) over
      all but the first `--burn-in` samples of each segment (`LossConfig.apply_mask`
      with mask_first = burn-in). `--loss mse` uses `nam.models.losses.mse` instead.
      NOTE: in NAM 0.13 `LossConfig.mask_first` is parsed but NAM's built-in loss
      terms (MSE, MRSTFT, ...) never apply it, and ESR is not a built-in *training*
      term at all (only `val_loss: esr`). So the training loss is given to NAM's
      LightningModule as a `custom_losses` entry (weight 1, the only term; MSE off via
      `mse_weight: None`) that applies the mask and then NAM's esr/mse. Validation
      uses `val_loss: esr` (NAM's own `_esr_loss`, unmasked).
    * Adam, learning rate `--learning-rate`, no scheduler (NAM's LSTM config adds
      ExponentialLR(0.995) per epoch; off here, as CellForge's mode has none).
    * Validation ESR: the held-out tail as ONE sequence, model in eval mode, starting
      from NAM's LSTM's initial state. NOTE: NAM's LSTM has *learned* initial hidden
      and cell states (`_initial_hidden`, `_initial_cell`, initialised to zero and
      trained with the rest), used by every training segment and by validation; its
      `.nam` export instead stores the state after 48000 zero samples from a zero
      state (`_get_initial_state`). CellForge starts from the zero state, so the two
      differ in that detail (it matters little once the state has warmed up).
    * Model: NAM's LSTM(hidden_size=H, num_layers=L, input_size=1), float32,
      train_burn_in/train_truncate unset (full backpropagation through the segment,
      as NAM's default LSTM config: its train_burn_in has no effect without
      train_truncate). Initialised by torch.manual_seed(--seed) in NAM's way
      (PyTorch's LSTM init + NAM's forget-gate bias +2 / input-gate bias -2).
    * Threads: torch.set_num_threads(--threads) (0 = all cores); interop threads 1.

Install (CPU torch) and run, from the package root:
    python3 -m venv .venv-nam
    .venv-nam/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu
    .venv-nam/bin/pip install neural-amp-modeler
    python3 Examples/AmpCapture/synthesize_capture.py --seconds 30 --out /tmp/cap
    .venv-nam/bin/python Benchmarks/peers/nam_trainer_bench.py \
        --input /tmp/cap/dry.wav --target /tmp/cap/wet.wav --hidden 16 --layers 1 \
        --segment 8192 --burn-in 1024 --batch 16 --epochs 3 --threads 1 --json nam.json
    Optional: --trainer lightning|plain|both (default both), --target-esr 0.05,
    --export-nam DIR/amp.nam and --predictions pred.wav (after the Lightning run:
    NAM's export and NAM's output over the whole input from the exported start state,
    32-bit float WAV -- the inputs Examples/AmpCapture/check_nam_export.py expects).

Notes
    * Both trainers start from the same initial weights and see the same batches in
      epoch 1 (same losses to the printed digits); from epoch 2 on the batches are
      shuffled differently under Lightning (checked on a toy data set: the same
      seeded DataLoader yields the same first-epoch order under both loops and a
      different second-epoch order under Lightning; cause in Lightning not traced),
      so later epochs' losses differ, by the usual seed-to-seed spread.
    * Timings are wall-clock (time.perf_counter) per epoch: training steps, then the
      validation pass; "cum s" adds them up from the first epoch (set-up, data
      loading and Lightning's start-up excluded; "fit" is the whole fit call).

Measured (2026-12-08; AMD EPYC Zen 5, 2 cores shared with other builds, load 3-8;
torch 2.13.0+cpu, NAM 0.13.0; synthesize_capture.py --seconds 30; 3 epochs, 1 thread;
details in Benchmarks/results/2026-12-08-nam-trainer-peer.md):
    LSTM 1x16: lightning 0.9-1.2 s/epoch, plain 0.9-1.0 s/epoch;
               val ESR 1.585, 0.978, 1.000 (lightning), 1.585, 1.031, 0.993 (plain)
    LSTM 2x8:  lightning 1.3-1.4 s/epoch, plain 1.2-1.3 s/epoch;
               val ESR 2.293, 1.908, 1.111 (lightning), 2.293, 1.331, 1.140 (plain)
    Plain loop, 1 thread, time to first val ESR <= 0.05: 1x16 epoch 138 (204.5 s),
    2x8 epoch 143 (197.4 s; 0.013 at epoch 200).
"""

import argparse
import json
import os
import platform
import struct
import tempfile
import time
import warnings

import numpy as np
import torch

warnings.filterwarnings("ignore")  # Lightning's num_workers / logging hints


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def write_wav_float32(path, x, rate):
    payload = np.asarray(x, dtype="<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(payload)) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt)
        f.write(b"data" + struct.pack("<I", len(payload)) + payload)


def load_data(args):
    """NAM's WAV reader and Dataset: (train dataset, validation dataset, x, rate)."""
    from nam.data import Dataset, wav_to_np

    x, info = wav_to_np(args.input, info=True)
    y = wav_to_np(args.target, require_match=args.input)
    rate = info.rate
    n_val = int(round(args.validation_seconds * rate))
    if not 0 < n_val < len(x):
        raise SystemExit(f"--validation-seconds {args.validation_seconds} does not fit {len(x)} samples")
    xt, yt = [torch.tensor(z, dtype=torch.float32) for z in (x, y)]
    common = dict(nx=1, sample_rate=rate, require_input_pre_silence=None)
    train = Dataset(xt, yt, ny=args.segment, stop_samples=-n_val, **common)
    val = Dataset(xt, yt, ny=None, start_samples=-n_val, **common)
    return train, val, xt, rate


def make_loss(kind, burn_in):
    from nam.models.losses import esr, mse

    f = esr if kind == "esr" else mse

    def masked(preds, targets):
        return f(preds[..., burn_in:], targets[..., burn_in:])

    return masked


def make_model(args):
    from nam.models.recurrent import LSTM

    torch.manual_seed(args.seed)
    return LSTM(hidden_size=args.hidden, num_layers=args.layers, input_size=1)


def make_loader(args, train):
    from torch.utils.data import DataLoader

    g = torch.Generator()
    g.manual_seed(args.seed)
    return DataLoader(train, batch_size=args.batch, shuffle=True, drop_last=True,
                      num_workers=0, pin_memory=False, generator=g)


def validation_esr(net, val):
    from nam.models.losses import esr

    x, y = val[0]
    training = net.training
    net.eval()
    with torch.no_grad():
        p = net(x[None], pad_start=False)
    net.train(training)
    return float(esr(p, y[None]))


def summarize(name, epochs, target_esr, setup_s, total_s):
    reached = next((e["cumulative_s"] for e in epochs if e["val_esr"] <= target_esr), None)
    return {"trainer": name, "setup_s": setup_s, "fit_wall_s": total_s,
            "epochs": epochs, "target_esr": target_esr, "time_to_target_s": reached}


def run_lightning(args, train, val):
    import pytorch_lightning as pl
    from nam.train.lightning_module import LightningModule, LossConfig, ValidationLoss, _CustomLoss
    from torch.utils.data import DataLoader

    t_setup = time.perf_counter()
    net = make_model(args)
    loss_config = LossConfig(
        mse_weight=None,
        mask_first=args.burn_in,
        val_loss=ValidationLoss.ESR,
        custom_losses={f"masked_{args.loss}": _CustomLoss(1.0, make_loss(args.loss, args.burn_in))},
    )
    module = LightningModule(net, optimizer_config={"lr": args.learning_rate},
                             scheduler_config=None, loss_config=loss_config)
    train_loader = make_loader(args, train)
    val_loader = DataLoader(val, batch_size=1, shuffle=False, num_workers=0)

    records = []

    class Timer(pl.Callback):
        def on_train_epoch_start(self, trainer, pl_module):
            self.t0 = time.perf_counter()
            self.losses = []

        def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
            loss = outputs["loss"] if isinstance(outputs, dict) else outputs
            self.losses.append(float(loss))

        def on_validation_start(self, trainer, pl_module):
            self.t1 = time.perf_counter()

        def on_validation_end(self, trainer, pl_module):
            t2 = time.perf_counter()
            records.append({
                "epoch": len(records) + 1,
                "train_s": self.t1 - self.t0,
                "val_s": t2 - self.t1,
                "wall_s": t2 - self.t0,
                "train_loss": sum(self.losses) / max(1, len(self.losses)),
                "val_esr": float(trainer.callback_metrics["ESR"]),
            })

    with tempfile.TemporaryDirectory(prefix="nam_bench_") as root:  # nothing is written there
        trainer = pl.Trainer(
            accelerator="cpu", devices=1, max_epochs=args.epochs, callbacks=[Timer()],
            logger=False, enable_checkpointing=False, enable_progress_bar=False,
            enable_model_summary=False, num_sanity_val_steps=0, default_root_dir=root,
        )
        setup_s = time.perf_counter() - t_setup
        t0 = time.perf_counter()
        trainer.fit(module, train_loader, val_loader)
        total = time.perf_counter() - t0
    cum = 0.0
    for r in records:
        cum += r["wall_s"]
        r["cumulative_s"] = cum
    return summarize("lightning", records, args.target_esr, setup_s, total), net


def run_plain(args, train, val):
    t_setup = time.perf_counter()
    net = make_model(args)
    loss_fn = make_loss(args.loss, args.burn_in)
    opt = torch.optim.Adam(net.parameters(), lr=args.learning_rate)
    loader = make_loader(args, train)
    setup_s = time.perf_counter() - t_setup
    records, cum = [], 0.0
    t_fit = time.perf_counter()
    for epoch in range(args.epochs):
        t0 = time.perf_counter()
        net.train()
        losses = []
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(net(xb, pad_start=False), yb)
            loss.backward()
            opt.step()
            losses.append(float(loss))
        t1 = time.perf_counter()
        v = validation_esr(net, val)
        t2 = time.perf_counter()
        cum += t2 - t0
        records.append({"epoch": epoch + 1, "train_s": t1 - t0, "val_s": t2 - t1,
                        "wall_s": t2 - t0, "cumulative_s": cum,
                        "train_loss": sum(losses) / max(1, len(losses)), "val_esr": v})
    total = time.perf_counter() - t_fit
    return summarize("plain", records, args.target_esr, setup_s, total), net


def print_table(result):
    print(f"\n{result['trainer']}: setup {result['setup_s']:.2f} s, fit {result['fit_wall_s']:.2f} s")
    print(f"{'epoch':>5} {'train s':>8} {'val s':>7} {'wall s':>7} {'cum s':>8} {'train loss':>11} {'val ESR':>9}")
    for e in result["epochs"]:
        print(f"{e['epoch']:>5} {e['train_s']:>8.2f} {e['val_s']:>7.2f} {e['wall_s']:>7.2f} "
              f"{e['cumulative_s']:>8.2f} {e['train_loss']:>11.5f} {e['val_esr']:>9.5f}")
    t = result["time_to_target_s"]
    print(f"time to val ESR <= {result['target_esr']:g}: " + (f"{t:.2f} s" if t is not None else "not reached"))


def export_outputs(args, net, x, rate):
    """NAM's .nam export, and NAM's output over the input from the exported start state."""
    net.eval()
    net.sample_rate = rate
    if args.export_nam:
        outdir, base = os.path.split(os.path.abspath(args.export_nam))
        base = base[:-4] if base.endswith(".nam") else base
        net.export(outdir, basename=base)
        print(f"exported {os.path.join(outdir, base)}.nam")
    if args.predictions:
        with torch.no_grad():
            h, c = net._get_initial_state()  # after 48000 zeros from a zero state
            y = net(x, pad_start=False, initial_state=(h, c))
        write_wav_float32(args.predictions, y.numpy(), rate)
        print(f"wrote {args.predictions}")


def main(argv=None):
    p = argparse.ArgumentParser(description="Time NAM's LSTM trainer on a dry/wet capture.")
    p.add_argument("--input", required=True, help="dry (DI) WAV")
    p.add_argument("--target", required=True, help="wet (amp) WAV")
    p.add_argument("--hidden", type=int, default=16)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--segment", type=int, default=8192, help="samples per training segment (NAM's ny)")
    p.add_argument("--burn-in", type=int, default=1024, help="samples excluded from the loss (mask_first)")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--learning-rate", type=float, default=0.008)
    p.add_argument("--validation-seconds", type=float, default=9.0)
    p.add_argument("--threads", type=int, default=1, help="torch threads (0 = all cores)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--loss", choices=("esr", "mse"), default="esr")
    p.add_argument("--target-esr", type=float, default=0.05)
    p.add_argument("--trainer", choices=("lightning", "plain", "both"), default="both")
    p.add_argument("--json", help="write the results here")
    p.add_argument("--export-nam", help="after the Lightning run (or plain, if alone): write the .nam here")
    p.add_argument("--predictions", help="... and NAM's output over --input as a 32-bit float WAV here")
    args = p.parse_args(argv)
    if not 0 <= args.burn_in < args.segment:
        p.error("--burn-in must be in [0, segment)")

    threads = args.threads if args.threads > 0 else (os.cpu_count() or 1)
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass

    import nam

    train, val, x, rate = load_data(args)
    print(f"NAM {getattr(nam, '__version__', '?')}, torch {torch.__version__}, {threads} thread(s), CPU: {cpu_model()}")
    print(f"LSTM {args.layers}x{args.hidden}; {len(train)} training segments of {args.segment} "
          f"({len(train) // args.batch} batches of {args.batch}), burn-in {args.burn_in}, "
          f"validation {len(val.x)} samples; loss {args.loss}, Adam lr {args.learning_rate}")

    results, nets = [], {}
    for name in (("lightning", "plain") if args.trainer == "both" else (args.trainer,)):
        r, net = (run_lightning if name == "lightning" else run_plain)(args, train, val)
        results.append(r)
        nets[name] = net
        print_table(r)

    if args.export_nam or args.predictions:
        export_outputs(args, nets.get("lightning", next(iter(nets.values()))), x, rate)

    if args.json:
        out = {
            "tool": "nam_trainer_bench",
            "nam_version": getattr(nam, "__version__", None),
            "torch_version": torch.__version__,
            "python": platform.python_version(),
            "cpu": cpu_model(),
            "cpu_count": os.cpu_count(),
            "threads": threads,
            "config": {k: getattr(args, k) for k in (
                "input", "target", "hidden", "layers", "segment", "burn_in", "batch", "epochs",
                "learning_rate", "validation_seconds", "seed", "loss")},
            "sample_rate": rate,
            "train_segments": len(train),
            "batches_per_epoch": len(train) // args.batch,
            "validation_samples": len(val.x),
            "results": results,
        }
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
