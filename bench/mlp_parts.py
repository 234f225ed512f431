"""PyTorch twin of bench/mlp_parts.js: the MLP step of the suite, timed phase by phase.

Prints one JSON object {phase: microseconds per step}. Usage: mlp_parts.py THREADS STEPS.
"""
import json
import sys
import time

import torch
from torch_workloads import mlp_data

threads, steps = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
x, y, params = mlp_data()
acc, last = {}, [0]


def mark(name):
    t = time.perf_counter_ns()
    acc[name] = acc.get(name, 0) + t - last[0]
    last[0] = t


def step():
    last[0] = time.perf_counter_ns()
    h = x.mm(params[0]); mark("mm1")
    h = h.add(params[1]).relu(); mark("add1, relu1")
    h = h.mm(params[2]); mark("mm2")
    h = h.add(params[3]).relu(); mark("add2, relu2")
    y_pred = h.mm(params[4]).add(params[5]); mark("mm3, add3")
    loss = (y_pred - y).pow(2).mean(); mark("loss")
    loss.backward(); mark("backward")
    with torch.no_grad():
        for p in params:
            g = p.grad * 1e-2; mark("sgd: grad * lr")
            p.sub_(g); mark("sgd: sub_")
            p.grad.zero_(); mark("sgd: zero_")


for _ in range(50):
    step()
acc.clear()
t0 = time.perf_counter_ns()
for _ in range(steps):
    step()
out = {k: v / 1e3 / steps for k, v in acc.items()}
out["step"] = (time.perf_counter_ns() - t0) / 1e3 / steps
print(json.dumps(out))
