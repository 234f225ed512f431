#!/usr/bin/env python3
"""Writes test/fixtures/nn.json: forward values and gradients of torch.nn.functional ops,
the reference for test/nn_functional.test.ts. Run with PyTorch 2.x:

    /work/main/bench/.venv/bin/python scripts/fixtures_nn.py

Each case lists its inputs (data, dtype, requires_grad), the output, the upstream weights R
(the gradient is that of (out * R).sum()) and the gradient of every input requiring grad.
CI never runs this script; the JSON is committed.
"""
import json
import math
import os
import warnings

import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")
torch.manual_seed(0)
DT = {"float64": torch.float64, "float32": torch.float32, "int64": torch.int64}


def rnd(shape, lo=-2.0, hi=2.0):
    return (torch.rand(shape, dtype=torch.float64) * (hi - lo) + lo).mul(1e4).round().div(1e4).tolist()


cases = []


def case(name, fn, inputs):
    """inputs: list of (data, dtype, requires_grad)."""
    ts = []
    for data, dt, rg in inputs:
        t = torch.tensor(data, dtype=DT[dt])
        if rg:
            t.requires_grad_(True)
        ts.append(t)
    out = fn(*ts)
    n = out.numel()
    r = torch.tensor([math.cos(i) + 0.5 for i in range(n)], dtype=out.dtype).reshape(out.shape)
    grads = [None] * len(ts)
    if any(t.requires_grad for t in ts):
        (out * r).sum().backward()
        grads = [t.grad.tolist() if t.requires_grad and t.grad is not None else None for t in ts]
    cases.append({
        "name": name,
        "inputs": [{"data": d, "dtype": dt, "requiresGrad": rg} for d, dt, rg in inputs],
        "out": out.detach().tolist(),
        "shape": list(out.shape),
        "gradFn": out.grad_fn.name() if out.grad_fn is not None else None,
        "R": r.tolist(),
        "grads": grads,
    })


f64 = lambda shape, **k: (rnd(shape, **k), "float64", True)
c64 = lambda shape, **k: (rnd(shape, **k), "float64", False)
i64 = lambda data: (data, "int64", False)

case("softmax dim 1", lambda x: F.softmax(x, 1), [f64([2, 3])])
case("softmax dim 1 of [2,3,2]", lambda x: F.softmax(x, 1), [f64([2, 3, 2])])
case("softmax large values float32", lambda x: F.softmax(x, 0), [([1000.0, 1001.0, 1002.0], "float32", True)])
case("logSoftmax dim 0", lambda x: F.log_softmax(x, 0), [f64([3, 2])])
case("logSoftmax large values", lambda x: F.log_softmax(x, -1), [([[-1000.0, 0.0, 1000.0]], "float64", True)])
case("softmin dim -1", lambda x: F.softmin(x, -1), [f64([2, 3])])
case("crossEntropy weight ignoreIndex mean", lambda x, t, w: F.cross_entropy(x, t, weight=w, ignore_index=1),
     [f64([4, 3]), i64([2, 1, 0, 2]), c64([3], lo=0.5, hi=2)])
case("crossEntropy labelSmoothing", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.3), [f64([3, 4]), i64([3, 0, 1])])
case("crossEntropy labelSmoothing weight sum", lambda x, t, w: F.cross_entropy(x, t, weight=w, label_smoothing=0.2, reduction="sum"),
     [f64([3, 4]), i64([3, 0, 1]), c64([4], lo=0.5, hi=2)])
case("crossEntropy probabilities", lambda x, t: F.cross_entropy(x, t), [f64([2, 3]), c64([2, 3], lo=0, hi=1)])
case("crossEntropy K-dim none", lambda x, t: F.cross_entropy(x, t, reduction="none"), [f64([2, 3, 2]), i64([[0, 2], [1, 1]])])
case("crossEntropy float32", lambda x, t: F.cross_entropy(x, t), [(rnd([2, 3]), "float32", True), i64([0, 2])])
case("nllLoss weight mean", lambda x, t, w: F.nll_loss(x, t, weight=w), [f64([3, 4]), i64([1, 0, 3]), c64([4], lo=0.5, hi=2)])
case("nllLoss none", lambda x, t: F.nll_loss(x, t, reduction="none"), [f64([3, 4]), i64([1, 0, 3])])
case("mseLoss sum", lambda x, y: F.mse_loss(x, y, reduction="sum"), [f64([2, 3]), f64([2, 3])])
case("mseLoss none", lambda x, y: F.mse_loss(x, y, reduction="none"), [f64([2, 3]), f64([2, 3])])
case("l1Loss mean", lambda x, y: F.l1_loss(x, y), [f64([2, 3]), f64([2, 3])])
case("smoothL1Loss beta 0.5", lambda x, y: F.smooth_l1_loss(x, y, beta=0.5), [f64([2, 4]), f64([2, 4])])
case("huberLoss delta 0.7 none", lambda x, y: F.huber_loss(x, y, delta=0.7, reduction="none"), [f64([2, 4]), f64([2, 4])])
case("binaryCrossEntropy weight", lambda x, y, w: F.binary_cross_entropy(x, y, weight=w),
     [f64([2, 3], lo=0.05, hi=0.95), f64([2, 3], lo=0, hi=1), c64([3], lo=0.5, hi=2)])
case("binaryCrossEntropyWithLogits posWeight", lambda x, y, pw: F.binary_cross_entropy_with_logits(x, y, pos_weight=pw),
     [f64([2, 3]), f64([2, 3], lo=0, hi=1), c64([3], lo=0.5, hi=2)])
case("klDiv batchmean", lambda x, y: F.kl_div(x, y, reduction="batchmean"), [f64([2, 3]), f64([2, 3], lo=0.1, hi=1)])
case("klDiv logTarget none", lambda x, y: F.kl_div(x, y, reduction="none", log_target=True), [f64([2, 3]), f64([2, 3])])
case("marginRankingLoss", lambda a, b, y: F.margin_ranking_loss(a, b, y, margin=0.2), [f64([4]), f64([4]), ([1.0, -1.0, 1.0, -1.0], "float64", False)])
case("cosineSimilarity dim 1", lambda a, b: F.cosine_similarity(a, b), [f64([2, 3]), f64([2, 3])])
case("pairwiseDistance", lambda a, b: F.pairwise_distance(a, b), [f64([2, 3]), f64([2, 3])])
case("normalize p 2 dim 1", lambda x: F.normalize(x), [f64([2, 3])])
case("layerNorm weight bias", lambda x, w, b: F.layer_norm(x, [4], w, b), [f64([2, 4]), f64([4]), f64([4])])
case("layerNorm over [2,3]", lambda x: F.layer_norm(x, [2, 3], eps=1e-3), [f64([2, 2, 3])])
case("embedding paddingIdx", lambda i, w: F.embedding(i, w, padding_idx=1), [i64([[0, 1, 3], [3, 3, 1]]), f64([4, 2])])
case("linear with bias", lambda x, w, b: F.linear(x, w, b), [f64([3, 4]), f64([2, 4]), f64([2])])
case("linear batched without bias", lambda x, w: F.linear(x, w), [f64([2, 2, 3]), f64([4, 3])])
case("bilinear", lambda a, b, w, bias: F.bilinear(a, b, w, bias), [f64([2, 3]), f64([2, 2]), f64([4, 3, 2]), f64([4])])
case("pad constant", lambda x: F.pad(x, [1, 2, -1, 1], value=0.5), [f64([3, 3])])
case("pad reflect", lambda x: F.pad(x, [2, 1], mode="reflect"), [f64([2, 4])])
case("pad replicate 2-D", lambda x: F.pad(x, [1, 2, 2, 1], mode="replicate"), [f64([1, 2, 3])])


def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return {"type": type(e).__name__, "message": str(e).split("\n")[0]}
    return None


x = torch.randn(3, 4)
errors = {
    "crossEntropy batch": err(lambda: F.cross_entropy(x, torch.tensor([1, 2]))),
    "crossEntropy target bounds": err(lambda: F.cross_entropy(x, torch.tensor([1, 2, 5]))),
    "nllLoss negative target": err(lambda: F.nll_loss(x, torch.tensor([1, 2, -3]))),
    "nllLoss float target": err(lambda: F.nll_loss(x, torch.tensor([1.0, 2.0, 3.0]))),
    "nllLoss weight size": err(lambda: F.nll_loss(x, torch.tensor([1, 2, 1]), weight=torch.ones(3))),
    "softmax dim": err(lambda: F.softmax(x, 2)),
    "logSoftmax dim": err(lambda: F.log_softmax(x, -3)),
    "softmax int": err(lambda: F.softmax(torch.tensor([1, 2]), 0)),
    "mseLoss sizes": err(lambda: F.mse_loss(x, torch.randn(2, 4))),
    "linear shapes": err(lambda: F.linear(x, torch.randn(5, 3))),
    "layerNorm shape": err(lambda: F.layer_norm(x, [3])),
    "embedding range": err(lambda: F.embedding(torch.tensor([0, 7]), torch.randn(5, 3))),
    "embedding dtype": err(lambda: F.embedding(torch.tensor([0.0, 1.0]), torch.randn(5, 3))),
    "pad odd": err(lambda: F.pad(x, [1, 2, 3])),
    "pad reflect size": err(lambda: F.pad(x, [5, 5], mode="reflect")),
    "dropout p": err(lambda: F.dropout(x, 1.5)),
    "bce range": err(lambda: F.binary_cross_entropy(torch.tensor([1.5]), torch.rand(1))),
    "bceWithLogits sizes": err(lambda: F.binary_cross_entropy_with_logits(torch.rand(3), torch.rand(4))),
    "reduction": err(lambda: F.cross_entropy(x, torch.tensor([1, 2, 1]), reduction="foo")),
    "smoothL1 beta": err(lambda: F.smooth_l1_loss(torch.rand(3), torch.rand(3), beta=-1)),
    "bilinear size": err(lambda: F.bilinear(torch.rand(2, 3), torch.rand(2, 4), torch.rand(5, 3, 3))),
    "cosineSimilarity dim": err(lambda: F.cosine_similarity(torch.rand(3, 2), torch.rand(3, 2), dim=3)),
    "nllLoss K-dim target": err(lambda: F.nll_loss(torch.randn(2, 3, 4), torch.tensor([[1, 2, 1, 0]]))),
    "labelSmoothing range": err(lambda: F.cross_entropy(x, torch.tensor([1, 2, 1]), label_smoothing=1.5)),
    "huber delta": err(lambda: F.huber_loss(torch.rand(3), torch.rand(3), delta=0)),
}

out = {"torch": torch.__version__, "cases": cases, "errors": errors}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "nn.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote", len(cases), "cases and", len(errors), "errors to", os.path.normpath(path))
for k, v in errors.items():
    print(k, "->", v)
