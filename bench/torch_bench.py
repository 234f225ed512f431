#!/usr/bin/env python3
"""PyTorch side of the benchmark suite: the twin of bench/tg_bench.js (same workload ids,
shapes and timing rule; see bench/common.js and bench/README.md). Started by bench/run.js:

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python bench/torch_bench.py --threads 1

Prints one JSON object on stdout: {"meta": ..., "results": {id: {"median": s, ...}}}.
Exits with status 3 (and a message on stderr) when torch cannot be imported.
"""
import argparse
import gc
import json
import os
import statistics
import sys
import time
import warnings

MM_SHAPES = [(64, 64, 64, "mm_64"), (128, 128, 128, "mm_128"), (256, 256, 256, "mm_256"),
             (512, 512, 512, "mm_512"), (1024, 1024, 1024, "mm_1024"), (2048, 2048, 2048, "mm_2048"),
             (64, 1000, 100, "mm_64x1000x100"), (64, 100, 10, "mm_64x100x10")]
EW_SIZES = [(1 << 20, "1M"), (16 << 20, "16M")]
UNARY_N = 1 << 20
UNARY_OPS = ["sqrt", "abs", "log", "sin", "cos", "clamp", "erf", "leakyRelu", "gelu", "silu", "expm1", "log1p", "elu",
             "softplus", "logSigmoid", "mish", "floor", "round", "reciprocal", "hardswish", "exp2", "log2", "log10",
             "tan", "atan", "asin", "acos", "sinh", "cosh", "atanh", "asinh", "acosh", "erfc", "erfinv", "logit"]
OPS = ["gather1", "scatter_add0", "index_select", "cat1", "max1", "argmax1", "cumsum1", "prod1", "topk10", "sort1",
       "nan_to_num", "gelu", "flip1", "roll1", "index_select1", "cummax1", "nonzero", "masked_select", "index_mask",
       "mse_loss", "bce_logits", "tril",
       "layer_norm", "conv2d"]
BINARY_OPS = ["atan2", "hypot", "pow", "powScalar", "rpow", "fmod", "remainder", "xlogy", "divFloor", "maximum", "lerp", "addcmul"]


def unary_range(op):
    """[lo, hi): the inputs a unary op is timed on (bench/common.js's unaryRange)."""
    if op in ("sqrt", "log", "log1p", "log2", "log10"):
        return 0.5, 1.5
    if op in ("asin", "acos", "atanh", "erfinv"):
        return -0.99, 0.99
    if op == "acosh":
        return 1.0, 4.0
    if op == "logit":
        return 0.01, 0.99
    return -3.0, 3.0


RED_SHAPES = [(1024, 1024, "1M"), (4096, 4096, "16M")]
SECTIONS = ["overhead", "backward", "mm", "elementwise", "unary", "binary", "reduce", "ops", "loops", "mlp"]

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--sections", default=",".join(SECTIONS))
ap.add_argument("--quick", action="store_true")
args = ap.parse_args()
THREADS = args.threads
QUICK = args.quick

warnings.filterwarnings("ignore", message=".*NumPy.*")
try:
    import torch
except Exception as e:  # noqa: BLE001
    sys.stderr.write(f"torch_bench: cannot import torch ({e})\n")
    sys.exit(3)
from torch_workloads import mlp_data  # noqa: E402 (needs torch, checked just above)

torch.set_num_threads(THREADS)
torch.manual_seed(0)
results = {}


def bench(fn, big=False, timed=False, ops=1, reps=7):
    """The timing rule of bench/common.js: median seconds per op."""
    min_time = 0.05 if QUICK else (0.4 if big else 0.12)
    max_time = 0.2 if QUICK else (1.0 if big else 0.35)
    reps = 3 if QUICK else reps
    if timed:
        call = fn
    else:
        def call():
            t0 = time.perf_counter()
            fn()
            return time.perf_counter() - t0
    first = call()
    inner = 1
    if first < min_time / reps:
        call()
        total, n = 0.0, 0
        while total < 0.02:
            total += call()
            n += 1
        inner = max(1, int(min_time / reps / (total / n)))
    else:
        reps = max(3, min(reps, int(max_time / first)))
    samples = []
    for _ in range(reps):
        t = 0.0
        for _ in range(inner):
            t += call()
        samples.append(t / inner)
    return {"median": statistics.median(samples) / ops, "min": min(samples) / ops,
            "max": max(samples) / ops, "reps": reps, "inner": inner}


def time_per_call(reset, op):
    def f():
        reset()
        t0 = time.perf_counter()
        op()
        return time.perf_counter() - t0
    return f


def record(key, fn, **kw):
    gc.collect()
    try:
        results[key] = bench(fn, **kw)
    except Exception as e:  # noqa: BLE001
        results[key] = {"na": f"error: {str(e).splitlines()[0][:120]}"}


# ---------------------------------------------------------------- per-op overhead
def sec_overhead():
    x, y = torch.randn(2, 2), torch.randn(2, 2)
    xg, yg = torch.randn(2, 2, requires_grad=True), torch.randn(2, 2, requires_grad=True)
    N = 1000

    def add():
        for _ in range(N):
            x + y

    def addg():
        for _ in range(N):
            xg + yg

    def nograd():
        with torch.no_grad():
            for _ in range(N):
                xg + yg

    record("ovh_add", add, ops=N)
    record("ovh_addg", addg, ops=N)
    record("ovh_nograd", nograd, ops=N)


# ---------------------------------------------------------------- backward over a 100-op chain
def chain(x):
    y = x
    for _ in range(50):
        y = y * 1.001
        y = y + 0.001
    return y.sum()


def sec_backward():
    x = torch.randn(2, 2, requires_grad=True)
    record("fwd_node", lambda: chain(x), ops=101)
    G = 100

    def bwd():
        outs = [chain(x) for _ in range(G)]
        t0 = time.perf_counter()
        for o in outs:
            o.backward()
        return time.perf_counter() - t0

    record("bwd_node", bwd, timed=True, ops=101 * G)


# ---------------------------------------------------------------- mm
def sec_mm():
    for M, K, N, key in MM_SHAPES:
        a, b = torch.randn(M, K), torch.randn(K, N)
        record(key, lambda: torch.mm(a, b), big=M >= 1024)


# ---------------------------------------------------------------- elementwise
UNARY = ["exp", "tanh", "sigmoid"]


def sec_elementwise():
    for n, label in EW_SIZES:
        a, b = torch.rand(n), torch.rand(n)
        src = torch.rand(n) - 0.5
        bm = torch.rand(n) * 0.002 + 0.999
        flush = torch.empty(16 << 20) if n >= 8 << 20 else None
        record(f"ew_add_{label}", lambda: a + b)
        record(f"ew_mul_{label}", lambda: a * b)
        for u in UNARY:
            f = getattr(torch, u)
            record(f"ew_{u}_{label}", lambda f=f: f(a))
        buf = torch.empty(n)

        def reset():
            buf.copy_(src)
            if flush is not None:
                flush.fill_(1)

        record(f"ew_add_ip_{label}", time_per_call(reset, lambda: buf.add_(b)), timed=True)
        record(f"ew_mul_ip_{label}", time_per_call(reset, lambda: buf.mul_(bm)), timed=True)
        for u in UNARY:
            f = getattr(buf, u + "_")
            record(f"ew_{u}_ip_{label}", time_per_call(reset, f), timed=True)
        del a, b, src, bm, buf, flush


# ---------------------------------------------------------------- more unary ops
def sec_unary():
    F = torch.nn.functional
    nn_ops = {"leakyRelu": F.leaky_relu, "gelu": F.gelu, "silu": F.silu, "elu": F.elu, "softplus": F.softplus,
              "logSigmoid": F.logsigmoid, "mish": F.mish, "hardswish": F.hardswish}
    for op in UNARY_OPS:
        lo, hi = unary_range(op)
        x = torch.rand(UNARY_N) * (hi - lo) + lo
        if op == "clamp":
            f = lambda x=x: x.clamp(-1, 1)
        elif op in nn_ops:
            f = lambda op=op, x=x: nn_ops[op](x)
        else:
            f = lambda op=op, x=x: getattr(torch, op)(x)
        record(f"un_{op}_1M", f)


# ---------------------------------------------------------------- binary ops
def sec_binary():
    """bench/common.js's BINARY_OPS on the same inputs as tg_bench.js's secBinary."""
    a = torch.rand(UNARY_N) * 6 - 3
    b = torch.rand(UNARY_N) * 2 + 0.5
    calls = {"atan2": lambda: torch.atan2(a, b), "hypot": lambda: torch.hypot(a, b), "pow": lambda: torch.pow(b, a),
             "powScalar": lambda: b.pow(2.5), "rpow": lambda: torch.pow(2, a), "fmod": lambda: torch.fmod(a, b),
             "remainder": lambda: torch.remainder(a, b), "xlogy": lambda: torch.xlogy(a, b),
             "divFloor": lambda: torch.div(a, b, rounding_mode="floor"), "maximum": lambda: torch.maximum(a, b),
             "lerp": lambda: a.lerp(b, 0.3), "addcmul": lambda: a.addcmul(a, b, value=0.5)}
    for op in BINARY_OPS:
        record(f"bin_{op}_1M", calls[op])


# ---------------------------------------------------------------- reductions and softmax
def sec_reduce():
    for R, C, label in RED_SHAPES:
        x = torch.randn(R, C)
        record(f"sum_all_{label}", lambda: x.sum())
        record(f"sum_rows_{label}", lambda: x.sum(1))
        record(f"softmax_{label}", lambda: torch.softmax(x, 1))
        record(f"logsoftmax_{label}", lambda: torch.log_softmax(x, 1))
        record(f"norm_{label}", lambda: x.norm())

        def composed():
            e = (x - x.amax(1, keepdim=True)).exp()
            return e / e.sum(1, keepdim=True)

        record(f"softmax_composed_{label}", composed)


# ---------------------------------------------------------------- training-path and indexing ops
def sec_ops():
    """bench/common.js's OPS on the same inputs as tg_bench.js's secOps."""
    F = torch.nn.functional
    m, src = torch.randn(1024, 1024), torch.randn(1024, 1024)
    idx = torch.randint(0, 1024, (1024, 1024))
    e, rows = torch.randn(10000, 128), torch.randint(0, 10000, (4096,))
    near1 = torch.rand(1024, 1024) * 0.02 + 0.99
    x = torch.randn(UNARY_N)
    special = x.clone()
    special[0:1000] = float("nan")
    special[1000:2000] = float("inf")
    seq = torch.randn(32, 128, 256, requires_grad=True)
    ln_w, ln_b = torch.ones(256, requires_grad=True), torch.zeros(256, requires_grad=True)
    img = torch.randn(32, 16, 32, 32, requires_grad=True)
    cw, cb = torch.randn(32, 16, 3, 3, requires_grad=True), torch.randn(32, requires_grad=True)
    perm, mask = torch.randn(1024).argsort(), torch.rand(1024, 1024) > 0.5
    xg, y = torch.randn(UNARY_N, requires_grad=True), torch.randn(UNARY_N)
    t01 = (torch.rand(UNARY_N) > 0.5).float()

    def loss_step(f):
        xg.grad = None
        f(xg).backward()
    calls = {
        "gather1": lambda: m.gather(1, idx), "scatter_add0": lambda: m.scatter_add(0, idx, src),
        "index_select": lambda: e.index_select(0, rows), "cat1": lambda: torch.cat([m, m], 1), "max1": lambda: m.max(1),
        "argmax1": lambda: m.argmax(1), "cumsum1": lambda: m.cumsum(1), "prod1": lambda: near1.prod(1),
        "topk10": lambda: m.topk(10, 1), "sort1": lambda: m.sort(1), "nan_to_num": lambda: special.nan_to_num(),
        "gelu": lambda: F.gelu(x),
        "flip1": lambda: m.flip(1), "roll1": lambda: m.roll(3, 1), "index_select1": lambda: m.index_select(1, perm),
        "cummax1": lambda: m.cummax(1), "nonzero": lambda: mask.nonzero(), "masked_select": lambda: m.masked_select(mask),
        "index_mask": lambda: m[mask],
        "mse_loss": lambda: loss_step(lambda v: F.mse_loss(v, y)),
        "bce_logits": lambda: loss_step(lambda v: F.binary_cross_entropy_with_logits(v, t01)),
        "tril": lambda: m.tril(),
        "layer_norm": lambda: F.layer_norm(seq, [256], ln_w, ln_b).sum().backward(),
        "conv2d": lambda: F.conv2d(img, cw, cb, padding=1).sum().backward(),
    }
    for op in OPS:
        record(f"op_{op}", calls[op])


# ---------------------------------------------------------------- seed loops and MLP
def seed003():
    n, d_in, d_h, d_out = 100, 3, 32, 1
    x = torch.randn(n, d_in)
    y = x[:, 0:1] * 0.2 - x[:, 1:2] * 1.3 - x[:, 2:3] * 0.5 + torch.randn(n, 1)
    w1, w2 = torch.randn(d_in, d_h, requires_grad=True), torch.randn(d_h, d_out, requires_grad=True)
    b1, b2 = torch.zeros(1, d_h, requires_grad=True), torch.zeros(1, d_out, requires_grad=True)
    params = [w1, w2, b1, b2]
    lr = 1e-4

    def step():
        y_pred = x.mm(w1).add(b1).clamp(min=0).mm(w2).add(b2)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(p.grad * lr)
                p.grad.zero_()
    return step


def seed004():
    N, D_in, H, D_out = 64, 1000, 100, 10
    x, y = torch.randn(N, D_in), torch.randn(N, D_out)
    w1, w2 = torch.randn(D_in, H, requires_grad=True), torch.randn(H, D_out, requires_grad=True)
    lr = 1e-6

    def step():
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            w1.sub_(w1.grad * lr)
            w2.sub_(w2.grad * lr)
            w1.grad.zero_()
            w2.grad.zero_()
    return step


def mlp():
    x, y, params = mlp_data()
    lr = 1e-2

    def step():
        h = x.mm(params[0]).add(params[1]).relu()
        h = h.mm(params[2]).add(params[3]).relu()
        y_pred = h.mm(params[4]).add(params[5])
        loss = (y_pred - y).pow(2).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(p.grad * lr)
                p.grad.zero_()
    return step


def sec_loops():
    record("loop003", seed003(), big=True)
    record("loop004", seed004(), big=True)


def sec_mlp():
    record("mlp", mlp(), big=True)


t_start = time.perf_counter()
section_s = {}
for s in args.sections.split(","):
    if s:
        ts = time.perf_counter()
        globals()["sec_" + s]()
        section_s[s] = round(time.perf_counter() - ts, 2)
cap = [ln.strip() for ln in torch.__config__.show().splitlines() if "CPU capability" in ln]
blas = [ln.strip() for ln in torch.__config__.show().splitlines() if "Math Kernel Library" in ln or "BLAS_INFO" in ln]
meta = {
    "side": "pytorch",
    "threads": THREADS,
    "torch": torch.__version__,
    "torch_threads": torch.get_num_threads(),
    "python": sys.version.split()[0],
    "executable": sys.executable,
    "cpu_capability": cap[0] if cap else None,
    "blas": "MKL" if torch.backends.mkl.is_available() else (blas[0][:80] if blas else None),
    "openblasCoretype": os.environ.get("OPENBLAS_CORETYPE"),
    "wall_s": time.perf_counter() - t_start,
    "section_s": section_s,
}
print(json.dumps({"meta": meta, "results": results}))
