#!/usr/bin/env python3
"""Writes test/fixtures/optim.json: parameter trajectories of torch.optim optimizers and lr
sequences of torch.optim.lr_scheduler, the reference for test/optim.test.ts and
test/lr_scheduler.test.ts. Run with PyTorch 2.x:

    /work/main/bench/.venv/bin/python scripts/fixtures_optim.py

The problem: loss = mean((X @ W.T + b - Y) ** 2) with fixed W [3, 4], b [3], X [8, 4],
Y [8, 3]; each optimizer case runs 20 steps (zero_grad, backward, step) and records W and b
after steps 1, 2, 5, 10 and 20. Options are written with tensorgrad's camelCase names.
CI never runs this script; the JSON is committed.
"""
import json
import math
import os
import re

import torch

torch.manual_seed(0)


def rnd(shape, lo=-1.0, hi=1.0):
    return (torch.rand(shape, dtype=torch.float64) * (hi - lo) + lo).mul(1e4).round().div(1e4).tolist()


PROBLEM = {"W": rnd((3, 4)), "b": rnd((3,)), "X": rnd((8, 4), -2, 2), "Y": rnd((8, 3), -2, 2)}
RECORD = [1, 2, 5, 10, 20]
STEPS = 20


def snake(name):
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def to_torch_opts(opts):
    out = {}
    for k, v in opts.items():
        out[snake(k)] = tuple(v) if k == "betas" else v
    return out


OPTIMS = {
    "SGD": torch.optim.SGD,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "RMSprop": torch.optim.RMSprop,
    "Adagrad": torch.optim.Adagrad,
}


def run(optim, opts, groups=None, dtype="float32"):
    dt = torch.float32 if dtype == "float32" else torch.float64
    W = torch.tensor(PROBLEM["W"], dtype=dt, requires_grad=True)
    b = torch.tensor(PROBLEM["b"], dtype=dt, requires_grad=True)
    X = torch.tensor(PROBLEM["X"], dtype=dt)
    Y = torch.tensor(PROBLEM["Y"], dtype=dt)
    named = {"W": W, "b": b}
    if groups is None:
        params = [W, b]
    else:
        params = [dict(to_torch_opts({k: v for k, v in g.items() if k != "params"}), params=[named[n] for n in g["params"]]) for g in groups]
    opt = OPTIMS[optim](params, **to_torch_opts(opts), foreach=False)
    record = {}
    for step in range(1, STEPS + 1):
        opt.zero_grad()
        loss = ((X @ W.T + b - Y) ** 2).mean()
        loss.backward()
        opt.step()
        if step in RECORD:
            record[str(step)] = {"W": W.detach().tolist(), "b": b.detach().tolist()}
    return record


optim_cases = []


def case(name, optim, opts, groups=None, dtype="float32"):
    optim_cases.append({"name": name, "optim": optim, "options": opts, "groups": groups, "dtype": dtype,
                        "steps": run(optim, opts, groups, dtype)})


case("sgd", "SGD", {"lr": 0.05})
case("sgd momentum", "SGD", {"lr": 0.05, "momentum": 0.9})
case("sgd dampening weightDecay", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weightDecay": 0.01})
case("sgd nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True})
case("sgd nesterov float64", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.01}, dtype="float64")
case("sgd maximize", "SGD", {"lr": 0.01, "momentum": 0.5, "maximize": True})
case("sgd two groups", "SGD", {"lr": 0.05, "momentum": 0.9},
     groups=[{"params": ["W"], "lr": 0.1}, {"params": ["b"], "momentum": 0.5, "nesterov": False}])
case("adam", "Adam", {"lr": 0.05})
case("adam weightDecay amsgrad", "Adam", {"lr": 0.05, "weightDecay": 0.1, "amsgrad": True})
case("adam maximize betas", "Adam", {"lr": 0.01, "maximize": True, "betas": [0.8, 0.99]})
case("adam float64", "Adam", {"lr": 0.05, "weightDecay": 0.05}, dtype="float64")
case("adam two groups", "Adam", {"lr": 0.05},
     groups=[{"params": ["W"]}, {"params": ["b"], "lr": 0.01, "betas": [0.5, 0.9]}])
case("adam decoupledWeightDecay", "Adam", {"lr": 0.05, "weightDecay": 0.1, "decoupledWeightDecay": True})
case("adamw", "AdamW", {"lr": 0.05})
case("adamw amsgrad weightDecay", "AdamW", {"lr": 0.05, "weightDecay": 0.1, "amsgrad": True})
case("adamw maximize", "AdamW", {"lr": 0.02, "maximize": True})
case("rmsprop", "RMSprop", {"lr": 0.01})
case("rmsprop momentum", "RMSprop", {"lr": 0.01, "momentum": 0.5})
case("rmsprop centered momentum weightDecay", "RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True, "weightDecay": 0.01})
case("rmsprop centered", "RMSprop", {"lr": 0.01, "centered": True, "alpha": 0.9})
case("rmsprop maximize", "RMSprop", {"lr": 0.005, "alpha": 0.9, "maximize": True})
case("rmsprop float64", "RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True}, dtype="float64")
case("adagrad", "Adagrad", {"lr": 0.1})
case("adagrad lrDecay weightDecay initialAccumulatorValue", "Adagrad",
     {"lr": 0.1, "lrDecay": 0.01, "weightDecay": 0.05, "initialAccumulatorValue": 0.1})
case("adagrad maximize", "Adagrad", {"lr": 0.05, "maximize": True, "eps": 1e-6})
case("adagrad two groups", "Adagrad", {"lr": 0.1}, groups=[{"params": ["W"]}, {"params": ["b"], "lr": 0.3, "lrDecay": 0.1}])

# ---- schedulers: lr of each group after construction and after each of 30 steps
SCHED_STEPS = 30
sched_cases = []


def sched_optimizer(kind="SGD"):
    a = torch.zeros(2, requires_grad=True)
    c = torch.zeros(2, requires_grad=True)
    if kind == "SGD":
        return torch.optim.SGD([{"params": [a]}, {"params": [c], "lr": 0.01}], lr=0.1, momentum=0.9)
    return torch.optim.Adam([{"params": [a]}, {"params": [c], "lr": 0.01}], lr=0.1)


def sched_case(name, make, kind="SGD", metrics=None, track=None):
    opt = sched_optimizer(kind)
    s = make(opt)
    lrs = [s.get_last_lr()]
    extra = []
    if track:
        extra.append([track(g) for g in opt.param_groups])
    for i in range(SCHED_STEPS):
        opt.step()
        if metrics is not None:
            s.step(metrics[i])
        else:
            s.step()
        lrs.append(s.get_last_lr())
        if track:
            extra.append([track(g) for g in opt.param_groups])
    entry = {"name": name, "optim": kind, "lrs": lrs}
    if metrics is not None:
        entry["metrics"] = metrics
    if track:
        entry["momentum"] = extra
    sched_cases.append(entry)


S = torch.optim.lr_scheduler
sched_case("StepLR", lambda o: S.StepLR(o, step_size=7, gamma=0.5))
sched_case("MultiStepLR", lambda o: S.MultiStepLR(o, milestones=[3, 8, 8, 15], gamma=0.3))
sched_case("ExponentialLR", lambda o: S.ExponentialLR(o, gamma=0.9))
sched_case("CosineAnnealingLR", lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001))
sched_case("CosineAnnealingLR tMax 30", lambda o: S.CosineAnnealingLR(o, T_max=30))
sched_case("LinearLR warmup", lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=8))
sched_case("LinearLR decay", lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=10))
sched_case("LambdaLR", lambda o: S.LambdaLR(o, lr_lambda=lambda e: 0.95 ** e))
sched_case("LambdaLR per group", lambda o: S.LambdaLR(o, lr_lambda=[lambda e: 1.0 / (e + 1), lambda e: 0.9 ** e]))
sched_case("OneCycleLR cos", lambda o: S.OneCycleLR(o, max_lr=[1.0, 0.1], total_steps=30),
           track=lambda g: g["momentum"])
sched_case("OneCycleLR linear threePhase Adam", lambda o: S.OneCycleLR(
    o, max_lr=0.5, epochs=5, steps_per_epoch=7, anneal_strategy="linear", three_phase=True, pct_start=0.25,
    div_factor=10.0, final_div_factor=100.0, base_momentum=0.8, max_momentum=0.9), kind="Adam",
    track=lambda g: g["betas"][0])
plateau_metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.89, 0.891, 0.8, 0.85, 0.86, 0.87, 0.88, 0.7, 0.7, 0.7,
                   0.7, 0.7, 0.69995, 0.7, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
sched_case("ReduceLROnPlateau min rel", lambda o: S.ReduceLROnPlateau(
    o, mode="min", factor=0.5, patience=2, threshold=0.01, cooldown=1, min_lr=[0.004, 0.001]), metrics=plateau_metrics)
sched_case("ReduceLROnPlateau max abs", lambda o: S.ReduceLROnPlateau(
    o, mode="max", factor=0.2, patience=1, threshold=0.05, threshold_mode="abs", min_lr=1e-4),
    metrics=[0.1 * math.sin(i / 3.0) + 0.01 * i for i in range(30)])


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return {"type": type(e).__name__, "message": str(e)}
    raise AssertionError("expected an error")


p = torch.zeros(2, requires_grad=True)
errors = {
    "nesterov": err(lambda: torch.optim.SGD([p], lr=0.1, nesterov=True)),
    "nesterov dampening": err(lambda: torch.optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)),
    "sgd lr": err(lambda: torch.optim.SGD([p], lr=-0.1)),
    "sgd momentum": err(lambda: torch.optim.SGD([p], lr=0.1, momentum=-0.5)),
    "adam beta0": err(lambda: torch.optim.Adam([p], betas=(1.0, 0.999))),
    "adam beta1": err(lambda: torch.optim.Adam([p], betas=(0.9, -0.5))),
    "adam eps": err(lambda: torch.optim.Adam([p], eps=-0.5)),
    "adamw weightDecay": err(lambda: torch.optim.AdamW([p], weight_decay=-0.5)),
    "rmsprop alpha": err(lambda: torch.optim.RMSprop([p], alpha=-0.5)),
    "adagrad lrDecay": err(lambda: torch.optim.Adagrad([p], lr_decay=-0.5)),
    "adagrad initialAccumulatorValue": err(lambda: torch.optim.Adagrad([p], initial_accumulator_value=-0.5)),
    "empty": err(lambda: torch.optim.SGD([], lr=0.1)),
    "non-leaf": err(lambda: torch.optim.SGD([p * 2], lr=0.1)),
    "duplicate across groups": err(lambda: torch.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)),
    "load groups": err(lambda: torch.optim.SGD([p], lr=0.1).load_state_dict(
        torch.optim.SGD([{"params": [p]}, {"params": [torch.zeros(1, requires_grad=True)]}], lr=0.1).state_dict())),
    "load group size": err(lambda: torch.optim.SGD([p], lr=0.1).load_state_dict(
        torch.optim.SGD([p, torch.zeros(1, requires_grad=True)], lr=0.1).state_dict())),
    "plateau factor": err(lambda: S.ReduceLROnPlateau(torch.optim.SGD([p], lr=0.1), factor=1.0)),
    "plateau mode": err(lambda: S.ReduceLROnPlateau(torch.optim.SGD([p], lr=0.1), mode="avg")),
    "linear start": err(lambda: S.LinearLR(torch.optim.SGD([p], lr=0.1), start_factor=0)),
    "onecycle steps": err(lambda: S.OneCycleLR(torch.optim.SGD([p], lr=0.1), max_lr=1.0)),
    "onecycle anneal": err(lambda: S.OneCycleLR(torch.optim.SGD([p], lr=0.1), max_lr=1.0, total_steps=10,
                                                anneal_strategy="exp")),
    "lambda count": err(lambda: S.LambdaLR(torch.optim.SGD([p], lr=0.1), lr_lambda=[lambda e: 1.0, lambda e: 1.0])),
}


def onecycle_overrun():
    s = S.OneCycleLR(torch.optim.SGD([p], lr=0.1, momentum=0.9), max_lr=1.0, total_steps=3)
    for _ in range(4):
        s.step()


errors["onecycle overrun"] = err(onecycle_overrun)

out = {"torch": torch.__version__, "problem": PROBLEM, "record": RECORD, "optim": optim_cases,
       "schedulers": sched_cases, "errors": errors}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "optim.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote", len(optim_cases), "optimizer cases,", len(sched_cases), "scheduler cases and", len(errors),
      "errors to", os.path.normpath(path))
for k, v in errors.items():
    print(k, "->", v)
