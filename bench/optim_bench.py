#!/usr/bin/env python3
"""PyTorch side of bench/optim_bench.js: the median time of one optimizer step over the
parameters of a 784-512-512-10 MLP (float32, grads set once), for SGD with momentum and Adam
with foreach=False and foreach=True. Prints one JSON object: {name: microseconds}.

    bench/.venv/bin/python bench/optim_bench.py THREADS
"""
import json
import sys
import time

import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else torch.get_num_threads())
torch.manual_seed(0)
SHAPES = [(512, 784), (512,), (512, 512), (512,), (10, 512), (10,)]


def params():
    ps = [torch.randn(s, requires_grad=True) for s in SHAPES]
    for p in ps:
        p.grad = torch.randn(p.shape)
    return ps


def timeit(step, reps=200):
    for _ in range(10):
        step()
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        step()
        samples.append(time.perf_counter() - t)
    samples.sort()
    return samples[len(samples) // 2] * 1e6


out = {}
for foreach in (False, True):
    tag = "foreach" if foreach else "single"
    out[f"sgd_momentum_{tag}"] = timeit(torch.optim.SGD(params(), lr=1e-3, momentum=0.9, foreach=foreach).step)
    out[f"adam_{tag}"] = timeit(torch.optim.Adam(params(), lr=1e-3, foreach=foreach).step)
print(json.dumps(out))
