#!/usr/bin/env python3
"""Writes test/fixtures/poolnorm.json: PyTorch's pooling and normalization results, the
reference for test/poolnorm.test.ts. Run with PyTorch 2.x:

    /work/main/bench/.venv/bin/python scripts/fixtures_poolnorm.py

A case lists its inputs (data, dtype, requiresGrad), the output (and int64 indices where the
op returns them), the upstream weights R (gradients are those of (out * R).sum()), the
gradient of every input requiring grad, and, for batch_norm, the running statistics after
the call (the inputs named running_mean / running_var are updated in place). `errors` maps
a bad call to PyTorch's exception type and first message line. CI never runs this script.
"""
import json
import math
import os
import random
import warnings

import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")
torch.manual_seed(1234)
DT = {"float64": torch.float64, "float32": torch.float32}


def rnd(shape, lo=-2.0, hi=2.0):
    # 4 decimals: exact in JSON; distinct enough that windows have no ties
    return (torch.rand(shape, dtype=torch.float64) * (hi - lo) + lo).mul(1e4).round().div(1e4).tolist()


def x64(shape, **k):
    return (rnd(shape, **k), "float64", True)


def x32(shape, **k):
    return (rnd(shape, **k), "float32", True)


def c64(data):
    return (data, "float64", False)


cases = []


def case(name, fn, inputs, running=None):
    """fn returns a tensor or (values, indices). running: indices of inputs reported after the call."""
    ts = []
    for data, dt, rg in inputs:
        t = torch.tensor(data, dtype=DT[dt])
        if rg:
            t.requires_grad_(True)
        ts.append(t)
    res = fn(*ts)
    out, idx = (res if isinstance(res, tuple) else (res, None))
    n = out.numel()
    r = torch.tensor([math.cos(1.3 * i) + 0.25 for i in range(n)], dtype=out.dtype).reshape(out.shape)
    grads = [None] * len(ts)
    if out.requires_grad:
        (out * r).sum().backward()
        grads = [t.grad.tolist() if t.requires_grad and t.grad is not None else None for t in ts]
    c = {
        "name": name,
        "inputs": [{"data": d, "dtype": dt, "requiresGrad": rg} for d, dt, rg in inputs],
        "out": out.detach().tolist(),
        "shape": list(out.shape),
        "gradFn": out.grad_fn.name() if out.grad_fn is not None else None,
        "R": r.tolist(),
        "grads": grads,
    }
    if idx is not None:
        c["indices"] = idx.tolist()
    if running is not None:
        c["running"] = {str(i): ts[i].tolist() for i in running}
    cases.append(c)


def nan_input():
    d = rnd([1, 2, 4, 4])
    d[0][0][1][1] = float("nan")
    d[0][1][2][3] = float("-inf")
    d[0][1][2][2] = float("-inf")
    d[0][1][3][2] = float("-inf")
    d[0][1][3][3] = float("-inf")
    return (d, "float64", False)


# ---------------------------------------------------------------- max pooling
case("maxPool2d k2", lambda x: F.max_pool2d(x, 2), [x64([2, 2, 4, 5])])
case("maxPool2d k3 s2 p1 ceil indices", lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True, return_indices=True),
     [x64([1, 2, 7, 8])])
case("maxPool2d k[2,3] s[1,2] p1 dilation 2", lambda x: F.max_pool2d(x, (2, 3), (1, 2), 1, dilation=2),
     [x64([2, 2, 7, 8])])
case("maxPool2d unbatched k2 s1 indices", lambda x: F.max_pool2d(x, 2, 1, return_indices=True), [x64([3, 5, 5])])
case("maxPool2d nan and -inf windows", lambda x: F.max_pool2d(x, 2, return_indices=True), [nan_input()])
case("maxPool2d float32 k3 s1 p1", lambda x: F.max_pool2d(x, 3, 1, 1), [x32([2, 2, 5, 6])])
case("maxPool1d k3 s2 p1 indices", lambda x: F.max_pool1d(x, 3, 2, 1, return_indices=True), [x64([2, 3, 9])])
case("maxPool1d unbatched k2 dilation 2 ceil", lambda x: F.max_pool1d(x, 2, 2, dilation=2, ceil_mode=True),
     [x64([3, 10])])

# ---------------------------------------------------------------- average pooling
case("avgPool2d k3 s2 p1", lambda x: F.avg_pool2d(x, 3, 2, 1), [x64([1, 2, 7, 6])])
case("avgPool2d k3 s2 p1 ceil no pad count", lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
     [x64([2, 2, 7, 6])])
case("avgPool2d k3 s2 p1 ceil count pad", lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True), [x64([1, 1, 6, 6])])
case("avgPool2d k[2,3] divisorOverride 5", lambda x: F.avg_pool2d(x, (2, 3), divisor_override=5), [x64([2, 2, 6, 7])])
case("avgPool2d unbatched k2", lambda x: F.avg_pool2d(x, 2), [x64([3, 4, 5])])
case("avgPool2d float32 k2 s1", lambda x: F.avg_pool2d(x, 2, 1), [x32([2, 2, 4, 5])])
case("avgPool1d k3 s2 p1 ceil no pad count", lambda x: F.avg_pool1d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
     [x64([2, 3, 8])])
case("avgPool1d unbatched k4 s3", lambda x: F.avg_pool1d(x, 4, 3), [x64([2, 11])])

# ---------------------------------------------------------------- adaptive pooling
case("adaptiveAvgPool2d [3,4]", lambda x: F.adaptive_avg_pool2d(x, (3, 4)), [x64([1, 2, 7, 9])])
case("adaptiveAvgPool2d 1", lambda x: F.adaptive_avg_pool2d(x, 1), [x64([2, 3, 4, 5])])
case("adaptiveAvgPool2d [null,2]", lambda x: F.adaptive_avg_pool2d(x, (None, 2)), [x64([2, 2, 3, 5])])
case("adaptiveAvgPool2d unbatched 5 upsampling", lambda x: F.adaptive_avg_pool2d(x, 5), [x64([2, 3, 4])])
case("adaptiveAvgPool1d 4", lambda x: F.adaptive_avg_pool1d(x, 4), [x64([2, 3, 10])])
case("adaptiveMaxPool2d [3,2] indices", lambda x: F.adaptive_max_pool2d(x, (3, 2), return_indices=True),
     [x64([2, 2, 7, 5])])
case("adaptiveMaxPool1d 3 indices", lambda x: F.adaptive_max_pool1d(x, 3, return_indices=True), [x64([2, 2, 8])])

# ---------------------------------------------------------------- batch norm
C = 3
case("batchNorm eval [4,3] weight bias",
     lambda x, rm, rv, w, b: F.batch_norm(x, rm, rv, w, b, training=False),
     [x64([4, C]), c64(rnd([C])), c64(rnd([C], lo=0.5, hi=2)), x64([C]), x64([C])], running=[1, 2])
case("batchNorm training [4,3,5] weight bias momentum 0.2",
     lambda x, rm, rv, w, b: F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.2),
     [x64([4, C, 5]), c64(rnd([C])), c64(rnd([C], lo=0.5, hi=2)), x64([C]), x64([C])], running=[1, 2])
case("batchNorm training [2,3,4,4] eps 1e-3",
     lambda x, rm, rv: F.batch_norm(x, rm, rv, training=True, eps=1e-3),
     [x64([2, C, 4, 4]), c64([0.0] * C), c64([1.0] * C)], running=[1, 2])
case("batchNorm eval [2,3,4,4] weight only",
     lambda x, rm, rv, w: F.batch_norm(x, rm, rv, w, training=False),
     [x64([2, C, 4, 4]), c64(rnd([C])), c64(rnd([C], lo=0.5, hi=2)), x64([C])], running=[1, 2])
case("batchNorm training without running stats",
     lambda x, b: F.batch_norm(x, None, None, None, b, training=True),
     [x64([5, C]), x64([C])])
case("batchNorm float32 training [3,3,4]",
     lambda x, rm, rv: F.batch_norm(x, rm, rv, training=True),
     [x32([3, C, 4]), ([0.0] * C, "float32", False), ([1.0] * C, "float32", False)], running=[1, 2])

# running statistics after three training calls, then an eval call with them
seq_inputs = [rnd([4, C, 3]) for _ in range(3)]
seq_eval = rnd([2, C, 3])
rm, rv = torch.zeros(C, dtype=torch.float64), torch.ones(C, dtype=torch.float64)
after = []
for d in seq_inputs:
    F.batch_norm(torch.tensor(d, dtype=torch.float64), rm, rv, training=True, momentum=0.3)
    after.append([rm.tolist(), rv.tolist()])
sequence = {
    "inputs": seq_inputs,
    "momentum": 0.3,
    "running": after,
    "evalInput": seq_eval,
    "evalOut": F.batch_norm(torch.tensor(seq_eval, dtype=torch.float64), rm, rv, training=False).tolist(),
}

# ---------------------------------------------------------------- group norm
case("groupNorm G2 [2,4,3] weight bias", lambda x, w, b: F.group_norm(x, 2, w, b), [x64([2, 4, 3]), x64([4]), x64([4])])
case("groupNorm G1 [2,3,2,2] weight", lambda x, w: F.group_norm(x, 1, w), [x64([2, 3, 2, 2]), x64([3])])
case("groupNorm G=C [2,4,5] eps 1e-3", lambda x: F.group_norm(x, 4, eps=1e-3), [x64([2, 4, 5])])
case("groupNorm 2-D [3,6] G3 weight bias", lambda x, w, b: F.group_norm(x, 3, w, b), [x64([3, 6]), x64([6]), x64([6])])
case("groupNorm float32 [2,4,3] G2", lambda x: F.group_norm(x, 2), [x32([2, 4, 3])])

# ---------------------------------------------------------------- instance norm
case("instanceNorm [2,3,5] weight bias", lambda x, w, b: F.instance_norm(x, weight=w, bias=b), [x64([2, C, 5]), x64([C]), x64([C])])
case("instanceNorm running stats [2,3,4,4] momentum 0.3",
     lambda x, rm, rv: F.instance_norm(x, rm, rv, momentum=0.3),
     [x64([2, C, 4, 4]), c64(rnd([C])), c64(rnd([C], lo=0.5, hi=2))], running=[1, 2])
case("instanceNorm with running stats only",
     lambda x, rm, rv, w: F.instance_norm(x, rm, rv, w, use_input_stats=False),
     [x64([2, C, 4]), c64(rnd([C])), c64(rnd([C], lo=0.5, hi=2)), x64([C])], running=[1, 2])

# ---------------------------------------------------------------- a random sweep of 2-D pooling
# Forward values, indices or PyTorch's error for random kernel / stride / padding / dilation /
# ceil_mode / count_include_pad / divisor_override combinations on one small plane.
sweep = []
rng = random.Random(7)
for _ in range(48):
    kind = rng.choice(["max", "avg", "adaptiveMax", "adaptiveAvg"])
    H, W = rng.randint(1, 7), rng.randint(1, 7)
    x = torch.tensor(rnd([1, 1, H, W]), dtype=torch.float64)
    row = {"kind": kind, "x": x.tolist()}
    try:
        if kind in ("max", "avg"):
            k = [rng.randint(1, 4), rng.randint(1, 4)]
            st = [rng.randint(1, 3), rng.randint(1, 3)]
            d = [rng.randint(1, 3), rng.randint(1, 3)] if kind == "max" else [1, 1]
            p = [rng.randint(0, ((k[i] - 1) * d[i] + 1) // 2) for i in range(2)]
            ceil, cip, div = rng.random() < 0.5, rng.random() < 0.5, rng.choice([None, None, 3])
            row.update(kernel=k, stride=st, padding=p, dilation=d, ceilMode=ceil, countIncludePad=cip, divisorOverride=div)
            if kind == "max":
                y, i = F.max_pool2d(x, k, st, p, d, ceil, return_indices=True)
                row["indices"] = i.tolist()
            else:
                y = F.avg_pool2d(x, k, st, p, ceil, cip, div)
        else:
            o = [rng.randint(1, 8), rng.randint(1, 8)]
            row["outputSize"] = o
            if kind == "adaptiveMax":
                y, i = F.adaptive_max_pool2d(x, o, return_indices=True)
                row["indices"] = i.tolist()
            else:
                y = F.adaptive_avg_pool2d(x, o)
        row["out"] = y.tolist()
    except RuntimeError as e:
        row["error"] = str(e).split("\n")[0]
    sweep.append(row)

# ---------------------------------------------------------------- errors
errors = {}


def err(name, f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        errors[name] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}
        return
    raise SystemExit(f"{name}: expected an error")


x4 = torch.randn(2, 3, 7, 7)
x3 = torch.randn(2, 3, 7)
err("maxPool2d padding too large", lambda: F.max_pool2d(x4, 2, padding=2))
err("maxPool2d dilated padding too large", lambda: F.max_pool2d(x4, 2, padding=2, dilation=2))
err("maxPool2d negative padding", lambda: F.max_pool2d(x4, 2, padding=-1))
err("maxPool2d stride 0", lambda: F.max_pool2d(x4, 2, stride=0))
err("maxPool2d kernel larger than input", lambda: F.max_pool2d(x4, 9))
err("maxPool2d 1-D input", lambda: F.max_pool2d(torch.randn(7), 2))
err("maxPool1d 1-D input", lambda: F.max_pool1d(torch.randn(7), 2))
err("maxPool1d padding too large", lambda: F.max_pool1d(x3.requires_grad_(), 2, padding=2))
err("avgPool2d padding too large", lambda: F.avg_pool2d(x4, 2, padding=2))
err("avgPool2d kernel larger than input", lambda: F.avg_pool2d(x4, 9))
err("avgPool2d divisorOverride 0", lambda: F.avg_pool2d(x4, 2, divisor_override=0))
err("avgPool1d 4-D input", lambda: F.avg_pool1d(x4, 2))
err("adaptiveAvgPool2d 1-D input", lambda: F.adaptive_avg_pool2d(torch.randn(7), 2))
err("adaptiveAvgPool2d negative size", lambda: F.adaptive_avg_pool2d(x4, -1))
err("adaptiveAvgPool1d 4-D input", lambda: F.adaptive_avg_pool1d(x4, 2))
err("batchNorm one value per channel", lambda: F.batch_norm(torch.randn(1, 3), torch.zeros(3), torch.ones(3), training=True))
err("batchNorm running_mean size", lambda: F.batch_norm(torch.randn(4, 3), torch.zeros(4), torch.ones(3)))
err("batchNorm running_var size", lambda: F.batch_norm(torch.randn(4, 3), torch.zeros(3), torch.ones(2)))
err("batchNorm weight size", lambda: F.batch_norm(torch.randn(4, 3), torch.zeros(3), torch.ones(3), torch.ones(4)))
err("batchNorm bias size", lambda: F.batch_norm(torch.randn(4, 3), torch.zeros(3), torch.ones(3), None, torch.ones(2)))
err("groupNorm groups not dividing channels", lambda: F.group_norm(torch.randn(4, 6, 5), 4))
err("groupNorm weight size", lambda: F.group_norm(torch.randn(4, 6, 5), 3, torch.ones(5)))
err("instanceNorm one spatial element", lambda: F.instance_norm(torch.randn(2, 3, 1)))
err("instanceNorm no running stats in eval", lambda: F.instance_norm(torch.randn(2, 3, 4), use_input_stats=False))
err("groupNorm 1-D input", lambda: F.group_norm(torch.randn(4), 2))



def finite_json(v):
    """Non-finite floats as the strings "NaN", "Infinity", "-Infinity" (JSON has no literal)."""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, float):
        return float("%.14g" % v)  # 14 significant digits: far below the tests' tolerances
    if isinstance(v, list):
        return [finite_json(x) for x in v]
    if isinstance(v, dict):
        return {k: finite_json(x) for k, x in v.items()}
    return v


out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "poolnorm.json")
with open(out, "w") as fh:
    json.dump(finite_json({"torch": torch.__version__, "cases": cases, "sequence": sequence, "sweep": sweep,
                          "errors": errors}), fh,
              allow_nan=False)
print(f"wrote {len(cases)} cases, {len(errors)} errors to {os.path.normpath(out)}")
