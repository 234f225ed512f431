#!/usr/bin/env python3
"""Writes test/fixtures/conv.json: forward values, gradients and grad_fn names of
torch.nn.functional convolutions, second derivatives for a few cases, and PyTorch's error
messages; the reference for test/conv.test.ts. Run with PyTorch 2.x:

    /work/main/bench/.venv/bin/python scripts/fixtures_conv.py

Each case lists its inputs (data, dtype, requires_grad), the output, the upstream weights R
(the gradient is that of (out * R).sum()) and the gradient of every input requiring grad.
With "double", also the gradient of sum(grads[0] * R2) (R2 shaped as the first input) with
respect to every input requiring grad. CI never runs this script; the JSON is committed.
"""
import json
import math
import os
import warnings

import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")
torch.manual_seed(0)
torch.backends.mkldnn.enabled = False  # the reference (slow) kernels; same math
DT = {"float64": torch.float64, "float32": torch.float32}


def rnd(shape, lo=-2.0, hi=2.0):
    return (torch.rand(shape, dtype=torch.float64) * (hi - lo) + lo).mul(1e4).round().div(1e4).tolist()


def weights(shape, dtype, phase):
    n = math.prod(shape)
    return torch.tensor([math.cos(i + phase) + 0.5 for i in range(n)], dtype=dtype).reshape(shape)


cases = []


def case(name, fn, inputs, double=False):
    """inputs: list of (data, dtype, requires_grad); None for an absent (null) argument."""
    ts = []
    for inp in inputs:
        if inp is None:
            ts.append(None)
            continue
        data, dt, rg = inp
        t = torch.tensor(data, dtype=DT[dt])
        if rg:
            t.requires_grad_(True)
        ts.append(t)
    out = fn(*ts)
    r = weights(out.shape, out.dtype, 0.0)
    req = [t for t in ts if t is not None and t.requires_grad]
    gs = torch.autograd.grad((out * r).sum(), req, create_graph=double)
    it = iter(gs)
    grads = [next(it).detach().tolist() if t is not None and t.requires_grad else None for t in ts]
    entry = {
        "name": name,
        "inputs": [None if i is None else {"data": i[0], "dtype": i[1], "requiresGrad": i[2]} for i in inputs],
        "out": out.detach().tolist(),
        "shape": list(out.shape),
        "gradFn": out.grad_fn.name() if out.grad_fn is not None else None,
        "R": r.tolist(),
        "grads": grads,
    }
    if double:
        r2 = weights(gs[0].shape, gs[0].dtype, 1.0)
        gg = torch.autograd.grad((gs[0] * r2).sum(), req, allow_unused=True)
        it = iter(gg)
        entry["R2"] = r2.tolist()
        entry["double"] = [None if t is None or not t.requires_grad else (lambda v: None if v is None else v.tolist())(next(it))
                           for t in ts]
        entry["doubleGradFn"] = gs[0].grad_fn.name()
    cases.append(entry)


f64 = lambda shape, **k: (rnd(shape, **k), "float64", True)
f32 = lambda shape, **k: (rnd(shape, **k), "float32", True)

case("conv2d bias", lambda x, w, b: F.conv2d(x, w, b), [f64([2, 3, 5, 5]), f64([4, 3, 3, 3]), f64([4])], double=True)
case("conv2d stride 2 padding 1", lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1), [f64([2, 2, 6, 5]), f64([3, 2, 3, 3]), f64([3])])
case("conv2d stride [2,1] padding [1,2] dilation [2,1]", lambda x, w, b: F.conv2d(x, w, b, stride=[2, 1], padding=[1, 2], dilation=[2, 1]),
     [f64([1, 2, 7, 6]), f64([3, 2, 3, 2]), f64([3])])
case("conv2d groups 2", lambda x, w, b: F.conv2d(x, w, b, groups=2), [f64([2, 4, 4, 4]), f64([6, 2, 2, 3]), f64([6])], double=True)
case("conv2d depthwise groups 3 padding 1", lambda x, w: F.conv2d(x, w, None, padding=1, groups=3), [f64([1, 3, 4, 4]), f64([3, 1, 3, 3])])
case("conv2d same even kernel", lambda x, w, b: F.conv2d(x, w, b, padding="same"), [f64([1, 2, 5, 4]), f64([3, 2, 2, 4]), f64([3])])
case("conv2d same dilation 2", lambda x, w: F.conv2d(x, w, None, padding="same", dilation=2), [f64([1, 2, 5, 5]), f64([2, 2, 3, 2])])
case("conv2d valid", lambda x, w: F.conv2d(x, w, padding="valid"), [f64([1, 2, 4, 4]), f64([2, 2, 3, 3])])
case("conv2d unbatched", lambda x, w, b: F.conv2d(x, w, b, padding=1), [f64([2, 4, 3]), f64([3, 2, 3, 3]), f64([3])])
case("conv2d 1x1", lambda x, w, b: F.conv2d(x, w, b), [f64([2, 3, 3, 4]), f64([5, 3, 1, 1]), f64([5])])
case("conv2d float32 no bias", lambda x, w: F.conv2d(x, w, stride=2), [f32([2, 3, 7, 7]), f32([4, 3, 3, 3])])
case("conv2d weight only", lambda x, w: F.conv2d(x, w), [(rnd([1, 2, 4, 4]), "float64", False), f64([2, 2, 2, 2])])
case("conv1d bias", lambda x, w, b: F.conv1d(x, w, b), [f64([2, 3, 7]), f64([4, 3, 3]), f64([4])], double=True)
case("conv1d stride 2 padding 2 dilation 2 groups 2", lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=2, dilation=2, groups=2),
     [f64([2, 4, 9]), f64([4, 2, 3]), f64([4])])
case("conv1d same even kernel", lambda x, w: F.conv1d(x, w, None, padding="same"), [f64([1, 2, 6]), f64([3, 2, 4])])
case("conv1d unbatched", lambda x, w: F.conv1d(x, w), [f64([2, 5]), f64([3, 2, 2])])
case("convTranspose2d bias", lambda x, w, b: F.conv_transpose2d(x, w, b), [f64([2, 3, 3, 4]), f64([3, 2, 3, 3]), f64([2])], double=True)
case("convTranspose2d stride 2 padding 1 outputPadding 1", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1),
     [f64([1, 2, 3, 3]), f64([2, 3, 3, 3]), f64([3])])
case("convTranspose2d groups 2 dilation 2 stride [2,1]", lambda x, w: F.conv_transpose2d(x, w, None, stride=[2, 1], groups=2, dilation=2),
     [f64([1, 4, 3, 3]), f64([4, 1, 2, 3])])
case("convTranspose2d unbatched float32", lambda x, w: F.conv_transpose2d(x, w, stride=2), [f32([2, 3, 3]), f32([2, 3, 2, 2])])
case("convTranspose1d stride 3 outputPadding 2", lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, output_padding=2, padding=1),
     [f64([2, 2, 4]), f64([2, 3, 3]), f64([3])])
case("convTranspose1d unbatched", lambda x, w: F.conv_transpose1d(x, w), [f64([2, 4]), f64([2, 2, 3])])


# A seeded sweep of geometries (strides past the kernel, padding past the kernel, large
# dilation, groups, odd sizes), each run forward and backward; test/conv.test.ts maps the
# options to camelCase and replays every one. The upstream weights are R of the cases with
# phase 0.5 (cos(i + 0.5) + 0.5), recomputed by the test rather than stored.
sweep = []
gen = torch.Generator().manual_seed(5)


def ri(lo, hi):
    return int(torch.randint(lo, hi + 1, (1,), generator=gen))


for i in range(20):
    spatial = 1 + (i % 2)
    transposed = i % 4 >= 2
    groups = [1, 1, 2, 3][ri(0, 3)]
    cin, cout = groups * ri(1, 2), groups * ri(1, 2)
    k = [ri(1, 3) for _ in range(spatial)]
    stride = [ri(1, 3) for _ in range(spatial)]
    dilation = [ri(1, 2) for _ in range(spatial)]
    padding = [ri(0, 3) for _ in range(spatial)]
    size = [ri(1, 4) + dilation[d] * (k[d] - 1) for d in range(spatial)]
    opts = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    if transposed:
        opts["output_padding"] = [ri(0, max(stride[d], dilation[d]) - 1) for d in range(spatial)]
        wshape = [cin, cout // groups] + k
        padding = [min(padding[d], (size[d] - 1) * stride[d] // 2) for d in range(spatial)]
        opts["padding"] = padding
    else:
        wshape = [cout, cin // groups] + k
    batch = [ri(1, 2)] if i % 3 else []
    x = torch.tensor(rnd(batch + [cin] + size), dtype=torch.float64, requires_grad=True)
    w = torch.tensor(rnd(wshape), dtype=torch.float64, requires_grad=True)
    nb = cout if not transposed else (cout // groups) * groups
    b = torch.tensor(rnd([nb]), dtype=torch.float64, requires_grad=True) if i % 5 else None
    fn = getattr(F, f"conv_transpose{spatial}d" if transposed else f"conv{spatial}d")
    out = fn(x, w, b, **opts)
    r = weights(out.shape, out.dtype, 0.5)
    (out * r).sum().backward()
    sweep.append({
        "fn": f"convTranspose{spatial}d" if transposed else f"conv{spatial}d",
        "opts": opts,
        "x": x.tolist(), "w": w.tolist(), "b": None if b is None else b.tolist(),
        "out": out.detach().tolist(), "shape": list(out.shape),
        "gx": x.grad.tolist(), "gw": w.grad.tolist(), "gb": None if b is None else b.grad.tolist(),
    })


def err(name, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        errors[name] = {"type": type(e).__name__, "message": str(e)}
        return
    raise AssertionError(name + " did not raise")


errors = {}
r = torch.randn
torch.backends.mkldnn.enabled = True  # the messages users see with PyTorch's defaults
err("conv2d rank", lambda: F.conv2d(r(5, 5), r(6, 3, 3, 3)))
err("conv2d rank 5", lambda: F.conv2d(r(1, 1, 2, 5, 5), r(6, 3, 3, 3)))
err("conv1d rank", lambda: F.conv1d(r(5), r(2, 1, 3)))
err("convTranspose1d rank", lambda: F.conv_transpose1d(r(4, 5, 5, 3), r(4, 2, 3)))
err("conv2d channels", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 3, 3, 3)))
err("conv2d channels unbatched", lambda: F.conv2d(r(4, 5, 5), r(6, 3, 3, 3)))
err("conv2d kernel too large", lambda: F.conv2d(r(2, 3, 2, 2), r(6, 3, 3, 3)))
err("conv1d kernel too large", lambda: F.conv1d(r(2, 4, 2), r(6, 4, 3)))
err("conv2d groups divide", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 2, 3, 3), groups=4))
err("conv2d bias size", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 2, 3, 3), groups=2, bias=r(5)))
err("conv2d dtype", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3, dtype=torch.float64)))
err("conv2d bias dtype", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), bias=r(6, dtype=torch.float64)))
err("conv2d same strided", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), stride=2, padding="same"))
err("conv2d padding string", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), padding="foo"))
err("conv2d stride 0", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), stride=0))
err("conv2d negative padding", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), padding=-1))
err("conv2d dilation 0", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), dilation=0))
err("conv2d groups 0", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), groups=0))
err("conv2d stride list", lambda: F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), stride=[1, 1, 1]))
err("conv1d weight rank", lambda: F.conv1d(r(2, 4, 5), r(6, 4, 3, 3)))
err("conv2d empty weight", lambda: F.conv2d(r(2, 4, 5, 5), r(0, 4, 3, 3)))
err("convTranspose2d channels", lambda: F.conv_transpose2d(r(2, 4, 5, 5), r(3, 2, 3, 3)))
err("convTranspose2d bias size", lambda: F.conv_transpose2d(r(2, 4, 5, 5), r(4, 2, 3, 3), bias=r(3)))
err("convTranspose2d outputPadding", lambda: F.conv_transpose2d(r(2, 4, 5, 5), r(4, 2, 3, 3), stride=2, output_padding=2))
torch.backends.mkldnn.enabled = False  # oneDNN's own message here is not PyTorch's check
err("convTranspose2d output too small", lambda: F.conv_transpose2d(r(2, 4, 5, 5), r(4, 2, 3, 3), padding=5))
torch.backends.mkldnn.enabled = True
err("convTranspose2d groups divide", lambda: F.conv_transpose2d(r(4, 5, 5), r(4, 2, 3, 3), groups=3))



def short(v):
    """12 significant digits keep the file small; the tests compare to 1e-9."""
    if isinstance(v, float):
        return float("%.12g" % v)
    if isinstance(v, list):
        return [short(e) for e in v]
    if isinstance(v, dict):
        return {k: short(e) for k, e in v.items()}
    return v


path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "conv.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": short(cases), "sweep": short(sweep), "errors": errors}, f, separators=(",", ":"))
print("wrote", len(cases), "cases,", len(sweep), "sweep runs and", len(errors), "errors to", os.path.normpath(path))
