#!/usr/bin/env python3
"""Writes test/fixtures/conv_modules.json: PyTorch's behaviour of the conv, pooling and
normalization layers, the reference for test/nn_conv_modules.test.ts. Run with PyTorch 2.x:

    /work/main/bench/.venv/bin/python scripts/fixtures_conv_modules.py

It records printed reprs, parameter shapes, buffer names and state-dict keys per layer
configuration, argument and input error texts, forward values and gradients with fixed weights
(float64), BatchNorm / InstanceNorm running statistics over three training steps and the eval
output after them, a small CNN, and the default-init bounds. CI never runs this script; the
JSON is committed.
"""
import json
import math
import os
import warnings

import torch
import torch.nn as nn

warnings.filterwarnings("ignore")
torch.manual_seed(0)


def rnd(*shape, lo=-2.0, hi=2.0):
    return (torch.rand(*shape, dtype=torch.float64) * (hi - lo) + lo).mul(1e4).round().div(1e4)


def sig(x):
    """Values rounded to 10 significant digits (keeps the JSON small; tests use 1e-8)."""
    if isinstance(x, list):
        return [sig(v) for v in x]
    return float(f"{x:.10g}") if isinstance(x, float) else x


# ---------------------------------------------------------------- configurations (name -> module)
# The test builds the same configuration from the same name.
def configs():
    return {
        "Conv1d": nn.Conv1d(4, 6, 3),
        "Conv1d full": nn.Conv1d(4, 6, 5, stride=2, padding=2, dilation=2, groups=2, bias=False, padding_mode="reflect"),
        "Conv1d same": nn.Conv1d(2, 3, 4, padding="same", dilation=2),
        "Conv1d valid": nn.Conv1d(2, 3, 2, padding="valid"),
        "Conv2d": nn.Conv2d(1, 32, 3),
        "Conv2d padded": nn.Conv2d(2, 4, 3, padding=1),
        "Conv2d full": nn.Conv2d(4, 4, (3, 5), stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=4, bias=False,
                                 padding_mode="replicate"),
        "Conv2d same": nn.Conv2d(2, 2, (2, 3), padding="same"),
        "ConvTranspose1d": nn.ConvTranspose1d(4, 6, 3),
        "ConvTranspose1d full": nn.ConvTranspose1d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2, bias=False,
                                                   dilation=2),
        "ConvTranspose2d": nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2)),
        "ConvTranspose2d outpad": nn.ConvTranspose2d(2, 4, 3, stride=2, output_padding=1, groups=2),
        "MaxPool1d": nn.MaxPool1d(3),
        "MaxPool1d full": nn.MaxPool1d(3, stride=2, padding=1, dilation=2, return_indices=True, ceil_mode=True),
        "MaxPool2d": nn.MaxPool2d(2),
        "MaxPool2d tuple": nn.MaxPool2d((3, 2), stride=(2, 1), padding=(1, 0), ceil_mode=True),
        "AvgPool1d": nn.AvgPool1d(3),
        "AvgPool1d full": nn.AvgPool1d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
        "AvgPool2d": nn.AvgPool2d(2),
        "AvgPool2d full": nn.AvgPool2d((2, 3), stride=1, padding=(1, 1), divisor_override=4),
        "AdaptiveAvgPool1d": nn.AdaptiveAvgPool1d(3),
        "AdaptiveAvgPool2d": nn.AdaptiveAvgPool2d((2, None)),
        "AdaptiveAvgPool2d int": nn.AdaptiveAvgPool2d(1),
        "AdaptiveMaxPool1d": nn.AdaptiveMaxPool1d(2),
        "AdaptiveMaxPool2d": nn.AdaptiveMaxPool2d((2, 3)),
        "BatchNorm1d": nn.BatchNorm1d(4),
        "BatchNorm1d options": nn.BatchNorm1d(4, eps=1e-3, momentum=None, affine=False),
        "BatchNorm2d": nn.BatchNorm2d(3),
        "BatchNorm2d untracked": nn.BatchNorm2d(3, momentum=0.3, track_running_stats=False, bias=False),
        "InstanceNorm1d": nn.InstanceNorm1d(3),
        "InstanceNorm2d": nn.InstanceNorm2d(3, affine=True, track_running_stats=True),
        "GroupNorm": nn.GroupNorm(2, 4),
        "GroupNorm options": nn.GroupNorm(3, 6, eps=1e-6, affine=False),
    }


def describe(m):
    return {
        "repr": repr(m),
        "params": [[n, list(p.shape)] for n, p in m.named_parameters()],
        "buffers": [[n, list(b.shape), str(b.dtype).replace("torch.", "")] for n, b in m.named_buffers()],
        "stateKeys": list(m.state_dict().keys()),
    }


layers = {k: describe(m) for k, m in configs().items()}


# ---------------------------------------------------------------- errors
def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return {"type": type(e).__name__, "message": str(e)}
    raise AssertionError("no error")


errors = {
    "groups zero": err(lambda: nn.Conv2d(2, 2, 3, groups=0)),
    "in_channels groups": err(lambda: nn.Conv2d(3, 4, 3, groups=2)),
    "out_channels groups": err(lambda: nn.Conv1d(4, 3, 3, groups=2)),
    "padding string": err(lambda: nn.Conv2d(2, 2, 3, padding="full")),
    "same strided": err(lambda: nn.Conv2d(2, 2, 3, stride=2, padding="same")),
    "padding mode": err(lambda: nn.Conv2d(2, 2, 3, padding_mode="mirror")),
    "transpose padding mode": err(lambda: nn.ConvTranspose2d(2, 2, 3, padding_mode="reflect")),
    "transpose output_size len": err(lambda: nn.ConvTranspose2d(2, 2, 3, stride=2)(torch.zeros(1, 2, 3, 3), output_size=[7])),
    "transpose output_size range": err(lambda: nn.ConvTranspose2d(2, 2, 3, stride=2)(torch.zeros(1, 2, 3, 3), output_size=[9, 7])),
    "BatchNorm1d dim": err(lambda: nn.BatchNorm1d(3)(torch.zeros(2, 3, 4, 4))),
    "BatchNorm2d dim": err(lambda: nn.BatchNorm2d(3)(torch.zeros(2, 3, 4))),
    "InstanceNorm1d dim": err(lambda: nn.InstanceNorm1d(3)(torch.zeros(2, 3, 4, 4))),
    "InstanceNorm2d dim": err(lambda: nn.InstanceNorm2d(3)(torch.zeros(3, 4))),
    "InstanceNorm2d features": err(lambda: nn.InstanceNorm2d(3, affine=True)(torch.zeros(2, 4, 3, 3))),
    "GroupNorm groups": err(lambda: nn.GroupNorm(4, 6)),
}

# ---------------------------------------------------------------- forward / backward (float64)
cases = []


def case(name, module, x, params=None, output_size=None, train=True):
    """A float64 layer `name` (from configs() or built in the test) with params loaded."""
    module = module.double().train(train)
    if params:
        with torch.no_grad():
            for k, v in params.items():
                module.get_parameter(k).copy_(v)
    xg = x.clone().requires_grad_()
    out = module(xg) if output_size is None else module(xg, output_size=output_size)
    if isinstance(out, tuple):
        out, idx = out
    else:
        idx = None
    r = torch.tensor([math.cos(i) + 0.5 for i in range(out.numel())], dtype=out.dtype).reshape(out.shape)
    (out * r).sum().backward()
    c = {
        "name": name,
        "params": {k: v.tolist() for k, v in (params or {}).items()},
        "input": x.tolist(),
        "inputShape": list(x.shape),
        "out": sig(out.detach().tolist()),
        "outShape": list(out.shape),
        "inputGrad": sig(xg.grad.tolist()),
        "paramGrads": {k: sig(p.grad.tolist()) for k, p in module.named_parameters() if p.grad is not None},
        "gradFn": out.grad_fn.name(),
        "training": train,
    }
    if idx is not None:
        c["indices"] = idx.tolist()
    if output_size is not None:
        c["outputSize"] = output_size
    cases.append(c)


cfg = configs()
case("Conv1d", cfg["Conv1d"], rnd(1, 4, 5), {"weight": rnd(6, 4, 3), "bias": rnd(6)})
case("Conv1d full", cfg["Conv1d full"], rnd(1, 4, 7), {"weight": rnd(6, 2, 5)})
case("Conv1d same", cfg["Conv1d same"], rnd(2, 2, 7), {"weight": rnd(3, 2, 4), "bias": rnd(3)})
case("Conv2d padded", cfg["Conv2d padded"], rnd(2, 2, 3, 3), {"weight": rnd(4, 2, 3, 3), "bias": rnd(4)})
case("Conv2d full", cfg["Conv2d full"], rnd(1, 4, 5, 4), {"weight": rnd(4, 1, 3, 5)})
case("Conv2d same", cfg["Conv2d same"], rnd(2, 4, 5), {"weight": rnd(2, 2, 2, 3), "bias": rnd(2)})
case("ConvTranspose1d full", cfg["ConvTranspose1d full"], rnd(2, 4, 4), {"weight": rnd(4, 3, 3)})
case("ConvTranspose2d outpad", cfg["ConvTranspose2d outpad"], rnd(1, 2, 2, 2), {"weight": rnd(2, 2, 3, 3), "bias": rnd(4)})
case("ConvTranspose2d output_size", nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1), rnd(1, 2, 3, 3),
     {"weight": rnd(2, 3, 3, 3), "bias": rnd(3)}, output_size=[1, 3, 6, 5])
case("MaxPool1d full", cfg["MaxPool1d full"], rnd(2, 2, 8))
case("MaxPool2d", cfg["MaxPool2d"], rnd(1, 2, 4, 5))
case("MaxPool2d tuple", cfg["MaxPool2d tuple"], rnd(1, 2, 5, 4))
case("AvgPool1d full", cfg["AvgPool1d full"], rnd(2, 2, 6))
case("AvgPool2d full", cfg["AvgPool2d full"], rnd(1, 1, 3, 4))
case("AdaptiveAvgPool1d", cfg["AdaptiveAvgPool1d"], rnd(2, 2, 7))
case("AdaptiveAvgPool2d", cfg["AdaptiveAvgPool2d"], rnd(1, 2, 5, 3))
case("AdaptiveMaxPool1d", cfg["AdaptiveMaxPool1d"], rnd(2, 2, 5))
case("AdaptiveMaxPool2d", cfg["AdaptiveMaxPool2d"], rnd(1, 1, 5, 7))
case("BatchNorm1d", cfg["BatchNorm1d"], rnd(5, 4), {"weight": rnd(4), "bias": rnd(4)})
case("BatchNorm2d", cfg["BatchNorm2d"], rnd(2, 3, 2, 3), {"weight": rnd(3), "bias": rnd(3)})
case("BatchNorm2d untracked eval", cfg["BatchNorm2d untracked"], rnd(2, 3, 2, 2), {"weight": rnd(3)}, train=False)
case("InstanceNorm1d", cfg["InstanceNorm1d"], rnd(2, 3, 5))
case("InstanceNorm2d unbatched", cfg["InstanceNorm2d"], rnd(3, 3, 4), {"weight": rnd(3), "bias": rnd(3)})
case("GroupNorm", cfg["GroupNorm"], rnd(2, 4, 3), {"weight": rnd(4), "bias": rnd(4)})

# ---------------------------------------------------------------- running statistics
running = []


def running_case(name, module, xs, x_eval, params=None):
    """Three (or more) training forwards on xs, then an eval forward (with grads) on x_eval."""
    module = module.double()
    if params:
        with torch.no_grad():
            for k, v in params.items():
                module.get_parameter(k).copy_(v)
    module.train()
    for x in xs:
        module(x)
    state = {k: (v.tolist() if v.dtype != torch.int64 else int(v)) for k, v in module.state_dict().items()
             if k not in (params or {})}
    module.eval()
    xg = x_eval.clone().requires_grad_()
    out = module(xg)
    out.sum().backward()
    running.append({
        "name": name,
        "params": {k: v.tolist() for k, v in (params or {}).items()},
        "inputs": [x.tolist() for x in xs],
        "state": {k: sig(v) for k, v in state.items()},
        "evalInput": x_eval.tolist(),
        "evalOut": sig(out.detach().tolist()),
        "evalInputGrad": sig(xg.grad.tolist()),
        "evalGradFn": out.grad_fn.name(),
    })


running_case("BatchNorm2d", nn.BatchNorm2d(3), [rnd(2, 3, 2, 2) for _ in range(3)], rnd(2, 3, 2, 2),
             {"weight": rnd(3), "bias": rnd(3)})
running_case("BatchNorm1d cumulative", nn.BatchNorm1d(2, momentum=None), [rnd(3, 2, 3), rnd(4, 2, 2), rnd(2, 2, 3)],
             rnd(2, 2, 3))
running_case("BatchNorm1d 2d input momentum", nn.BatchNorm1d(3, momentum=0.3, affine=False), [rnd(4, 3) for _ in range(3)],
             rnd(2, 3))
running_case("InstanceNorm1d tracked", nn.InstanceNorm1d(2, track_running_stats=True), [rnd(2, 2, 4) for _ in range(3)],
             rnd(1, 2, 4))


# ---------------------------------------------------------------- CNNs
def fashion_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 10),
    )


def small_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(2, 4, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4, 3),
    )


class BnNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(4)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(4, 2)


fashion = fashion_cnn()
cnn = {
    "fashion": {**describe(fashion), "numParams": sum(p.numel() for p in fashion.parameters())},
    "bnnet": describe(BnNet()),
}
small = small_cnn().double()
small_params = {k: rnd(*p.shape) for k, p in small.named_parameters()}
with torch.no_grad():
    for k, v in small_params.items():
        small.get_parameter(k).copy_(v)
x_small = rnd(2, 1, 8, 8)
xs_g = x_small.clone().requires_grad_()
out_small = small(xs_g)
target = torch.tensor([2, 0])
loss = nn.functional.cross_entropy(out_small, target)
loss.backward()
cnn["small"] = {
    **describe(small),
    "params": {k: v.tolist() for k, v in small_params.items()},
    "input": x_small.tolist(),
    "target": target.tolist(),
    "out": sig(out_small.detach().tolist()),
    "loss": loss.item(),
    "inputGrad": sig(xs_g.grad.tolist()),
    "paramGrads": {k: sig(p.grad.tolist()) for k, p in small.named_parameters()},
}

# ---------------------------------------------------------------- default init bounds
init = {}
for name, m in [
    ("Conv2d(16, 32, 3)", nn.Conv2d(16, 32, 3)),
    ("Conv1d(6, 8, 5, groups=2)", nn.Conv1d(6, 8, 5, groups=2)),
    ("ConvTranspose2d(16, 32, 3, groups=2)", nn.ConvTranspose2d(16, 32, 3, groups=2)),
    ("ConvTranspose1d(64, 4, 3)", nn.ConvTranspose1d(64, 4, 3)),
]:
    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(m.weight)
    init[name] = {
        "fanIn": fan_in,
        # kaiming_uniform_(a=sqrt(5)): bound = sqrt(3) * sqrt(2 / (1 + 5)) / sqrt(fan_in)
        "weightBound": math.sqrt(3.0) * math.sqrt(2.0 / 6.0) / math.sqrt(fan_in),
        "biasBound": 1 / math.sqrt(fan_in),
        "weightShape": list(m.weight.shape),
        "torchWeightAbsMax": m.weight.abs().max().item(),
    }

out = {"layers": layers, "errors": errors, "cases": cases, "running": running, "cnn": cnn, "init": init}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "conv_modules.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(path, os.path.getsize(path), "bytes")
