"""Writes training_fixtures.json: learning-rate schedules as PyTorch's schedulers compute them,
and losses (MSE, ESR, ESR after pre-emphasis, with the first samples masked) with their
gradients as NAM's loss functions and PyTorch's autograd compute them, in float64.

Run with a Python that has torch and neural-amp-modeler (pip install neural-amp-modeler):
    python make_training_fixtures.py
"""

import json
import math

import torch
from nam.models.losses import apply_pre_emphasis_filter, esr

torch.manual_seed(7)
out = {"schedules": [], "losses": []}


def rates(make, epochs=30, metrics=None):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([p], lr=0.01)
    sched = make(opt)
    got = []
    for e in range(epochs):
        got.append(opt.param_groups[0]["lr"])
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
    return got


S = torch.optim.lr_scheduler
out["schedules"].append({"kind": "step", "every": 4, "factor": 0.5, "base": 0.01,
                         "rates": rates(lambda o: S.StepLR(o, step_size=4, gamma=0.5))})
out["schedules"].append({"kind": "exponential", "factor": 0.9, "base": 0.01,
                         "rates": rates(lambda o: S.ExponentialLR(o, gamma=0.9))})
out["schedules"].append({"kind": "cosine", "period": 20, "minimum": 0.001, "base": 0.01,
                         "rates": rates(lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.001), epochs=21)})
metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7999, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7,
           0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
out["schedules"].append({"kind": "plateau", "factor": 0.5, "patience": 2, "threshold": 1e-3, "minimum": 0.002, "base": 0.01,
                         "metrics": metrics,
                         "rates": rates(lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=2, threshold=1e-3,
                                                                      threshold_mode="rel", min_lr=0.002), metrics=metrics)})

B, L, mask = 3, 40, 5
preds = torch.randn(B, L, dtype=torch.float64) * 0.3
targets = torch.randn(B, L, dtype=torch.float64) * 0.4
for name, coef in [("mse", None), ("esr_sequence", None), ("esr_pre_sequence", 0.85), ("esr_batch", None), ("esr_pre_batch", 0.85)]:
    y = preds.clone().requires_grad_(True)
    ym, tm = y[:, mask:], targets[:, mask:]
    if name == "mse":
        loss = torch.nn.functional.mse_loss(ym, tm)
    else:
        if coef is not None:
            ym, tm = apply_pre_emphasis_filter(ym, coef), apply_pre_emphasis_filter(tm, coef)
        # NAM's esr averages each sequence's ratio; the batch ratio sums over the whole batch
        # first (GuitarML's ESRLoss without its epsilon).
        loss = esr(ym, tm) if name.endswith("sequence") else torch.sum(torch.square(ym - tm)) / torch.sum(torch.square(tm))
    loss.backward()
    out["losses"].append({"name": name, "coefficient": coef, "burnIn": mask, "length": L,
                          "outputs": preds.flatten().tolist(), "targets": targets.flatten().tolist(),
                          "loss": loss.item(), "gradient": y.grad.flatten().tolist()})

def splitmix64(state):
    """CellForge's SplitMix64: returns (next state, output)."""
    M = (1 << 64) - 1
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)


def epoch_order(count, seed, epoch):
    """Fisher-Yates with Lemire's multiply-and-reject bounded draws, as EpochOrder documents it,
    written independently of the Swift code."""
    M = (1 << 64) - 1
    state = seed ^ ((epoch * 0xD1B54A32D192ED03) & M)
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        bound = i + 1
        state, r = splitmix64(state)
        product = r * bound
        if (product & M) < bound:
            threshold = ((1 << 64) - bound) % bound
            while (product & M) < threshold:
                state, r = splitmix64(state)
                product = r * bound
        j = product >> 64
        order[i], order[j] = order[j], order[i]
    return order


out["epochOrders"] = [{"count": c, "seed": s, "epoch": e, "order": epoch_order(c, s, e)}
                      for c, s, e in [(10, 0, 0), (10, 0, 1), (10, 42, 0), (37, 12345678901234567, 7), (1, 5, 0)]]

with open("training_fixtures.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
