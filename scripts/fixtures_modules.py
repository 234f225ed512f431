#!/usr/bin/env python3
"""Writes test/fixtures/modules.json: PyTorch's behaviour of nn.Module and the layers, the
reference for test/nn_module.test.ts, test/nn_layers.test.ts and test/nn_init.test.ts.
Run with PyTorch 2.x:

    /work/main/bench/.venv/bin/python scripts/fixtures_modules.py

It records printed reprs, state-dict keys, parameter names and counts, load_state_dict error
texts, layer forward values and gradients with fixed weights (float64), init gains and fans,
and clip_grad_norm_ results. CI never runs this script; the JSON is committed.
"""
import json
import math
import os
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")
torch.manual_seed(0)


def rnd(*shape, lo=-2.0, hi=2.0):
    return (torch.rand(*shape, dtype=torch.float64) * (hi - lo) + lo).mul(1e4).round().div(1e4)


# ---------------------------------------------------------------- models shared with the tests
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(8, 3, bias=False)
        self.register_buffer("steps", torch.zeros(()))
        self.register_buffer("scratch", torch.zeros(2), persistent=False)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 4, padding_idx=0)
        self.body = nn.Sequential(nn.Linear(4, 4), nn.GELU(approximate="tanh"), nn.Dropout(0.1), MLP())
        self.heads = nn.ModuleList([nn.Linear(3, 2), nn.Linear(3, 2), nn.Linear(3, 2), nn.Tanh()])
        self.norm = nn.LayerNorm(3)
        self.extra = nn.ModuleDict({"a": nn.Identity(), "b": nn.Bilinear(2, 3, 4)})


def models():
    return {
        "linear": nn.Linear(4, 3),
        "linear nobias": nn.Linear(4, 3, bias=False),
        "mlp": MLP(),
        "net": Net(),
        "sequential named": nn.Sequential(__import__("collections").OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.Sigmoid())])),
        "empty modulelist": nn.ModuleList(),
    }


reprs = {k: repr(m) for k, m in models().items()}
state_keys = {k: list(m.state_dict().keys()) for k, m in models().items()}
named_params = {k: [[n, list(p.shape)] for n, p in m.named_parameters()] for k, m in models().items()}
named_buffers = {k: [n for n, _ in m.named_buffers()] for k, m in models().items()}
named_modules = {k: [[n, type(mod).__name__] for n, mod in m.named_modules()] for k, m in models().items()}
param_counts = {k: sum(p.numel() for p in m.parameters()) for k, m in models().items()}

# layer reprs, one per layer
layer_reprs = {
    "Identity": repr(nn.Identity()),
    "Bilinear": repr(nn.Bilinear(2, 3, 4, bias=False)),
    "LayerNorm": repr(nn.LayerNorm([2, 3], eps=1e-6, elementwise_affine=False)),
    "LayerNorm default": repr(nn.LayerNorm(5)),
    "Embedding": repr(nn.Embedding(7, 2)),
    "Embedding pad": repr(nn.Embedding(7, 2, padding_idx=-1)),
    "Dropout": repr(nn.Dropout()),
    "AlphaDropout": repr(nn.AlphaDropout(0.25)),
    "Flatten": repr(nn.Flatten()),
    "Unflatten": repr(nn.Unflatten(1, (2, 5))),
    "ReLU": repr(nn.ReLU()),
    "ReLU inplace": repr(nn.ReLU(inplace=True)),
    "ReLU6": repr(nn.ReLU6()),
    "LeakyReLU": repr(nn.LeakyReLU()),
    "LeakyReLU 0.2": repr(nn.LeakyReLU(0.2)),
    "ELU": repr(nn.ELU()),
    "SELU": repr(nn.SELU()),
    "CELU": repr(nn.CELU(0.5)),
    "GELU": repr(nn.GELU()),
    "GELU tanh": repr(nn.GELU(approximate="tanh")),
    "SiLU": repr(nn.SiLU()),
    "Mish": repr(nn.Mish()),
    "Softplus": repr(nn.Softplus()),
    "Softsign": repr(nn.Softsign()),
    "Hardtanh": repr(nn.Hardtanh()),
    "Hardtanh -0.5 6.5": repr(nn.Hardtanh(-0.5, 6.5)),
    "Hardsigmoid": repr(nn.Hardsigmoid()),
    "Hardswish": repr(nn.Hardswish()),
    "Sigmoid": repr(nn.Sigmoid()),
    "Tanh": repr(nn.Tanh()),
    "LogSigmoid": repr(nn.LogSigmoid()),
    "Softmax": repr(nn.Softmax(dim=1)),
    "LogSoftmax": repr(nn.LogSoftmax(dim=-1)),
    "Softmin": repr(nn.Softmin(dim=0)),
    "MSELoss": repr(nn.MSELoss()),
    "CrossEntropyLoss": repr(nn.CrossEntropyLoss()),
    "CosineSimilarity": repr(nn.CosineSimilarity()),
    "PairwiseDistance": repr(nn.PairwiseDistance()),
    "KLDivLoss": repr(nn.KLDivLoss()),
}

# ---------------------------------------------------------------- load_state_dict errors
def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return {"type": type(e).__name__, "message": str(e)}
    raise AssertionError("no error")


def load_errors():
    m = MLP()
    sd = m.state_dict()
    missing = dict(sd)
    del missing["fc1.bias"]
    extra = dict(sd)
    extra["fc3.weight"] = torch.zeros(1)
    extra["fc1.foo"] = torch.zeros(1)
    both = dict(missing)
    both["bogus"] = torch.zeros(1)
    wrong = dict(sd)
    wrong["fc2.weight"] = torch.zeros(3, 7)
    lenient = m.load_state_dict(both, strict=False)
    return {
        "missing": err(lambda: m.load_state_dict(missing)),
        "unexpected": err(lambda: m.load_state_dict(extra)),
        "both": err(lambda: m.load_state_dict(both)),
        "size": err(lambda: m.load_state_dict(wrong)),
        "size lenient": err(lambda: m.load_state_dict(wrong, strict=False)),
        "lenient": {"missingKeys": lenient.missing_keys, "unexpectedKeys": lenient.unexpected_keys},
    }


# ---------------------------------------------------------------- layer forward/backward (float64)
layers = []


def layer_case(name, module, inputs, params=None):
    """module: a float64 module; params: name -> tensor data loaded into it; inputs: tensors."""
    module = module.double()
    if params:
        with torch.no_grad():
            for k, v in params.items():
                module.get_parameter(k).copy_(v)
    xs = [x.clone().requires_grad_(x.is_floating_point()) for x in inputs]
    out = module(*xs)
    r = torch.tensor([math.cos(i) + 0.5 for i in range(out.numel())], dtype=out.dtype).reshape(out.shape)
    (out * r).sum().backward()
    layers.append({
        "name": name,
        "params": {k: v.tolist() for k, v in (params or {}).items()},
        "inputs": [{"data": x.tolist(), "dtype": str(x.dtype).replace("torch.", "")} for x in inputs],
        "out": out.detach().tolist(),
        "R": r.tolist(),
        "inputGrads": [x.grad.tolist() if x.grad is not None else None for x in xs],
        "paramGrads": {k: p.grad.tolist() for k, p in module.named_parameters() if p.grad is not None},
        "gradFn": out.grad_fn.name() if out.grad_fn is not None else None,
    })


layer_case("Linear", nn.Linear(4, 3), [rnd(5, 4)], {"weight": rnd(3, 4), "bias": rnd(3)})
layer_case("Linear batched nobias", nn.Linear(3, 2, bias=False), [rnd(2, 4, 3)], {"weight": rnd(2, 3)})
layer_case("Bilinear", nn.Bilinear(2, 3, 4), [rnd(5, 2), rnd(5, 3)], {"weight": rnd(4, 2, 3), "bias": rnd(4)})
layer_case("LayerNorm", nn.LayerNorm(3), [rnd(4, 3)], {"weight": rnd(3), "bias": rnd(3)})
layer_case("Embedding pad", nn.Embedding(5, 3, padding_idx=1), [torch.tensor([[0, 1, 2], [1, 4, 0]])], {"weight": rnd(5, 3)})
layer_case("Sequential MLP", nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)), [rnd(6, 3)],
           {"0.weight": rnd(4, 3), "0.bias": rnd(4), "2.weight": rnd(2, 4), "2.bias": rnd(2)})
act_input = rnd(2, 5, lo=-4, hi=4)
for nm, mod in [
    ("ReLU", nn.ReLU()), ("ReLU6", nn.ReLU6()), ("LeakyReLU", nn.LeakyReLU(0.2)), ("ELU", nn.ELU(0.7)),
    ("SELU", nn.SELU()), ("CELU", nn.CELU(1.3)), ("GELU", nn.GELU()), ("GELU tanh", nn.GELU(approximate="tanh")),
    ("SiLU", nn.SiLU()), ("Mish", nn.Mish()), ("Softplus", nn.Softplus(beta=2, threshold=5)), ("Softsign", nn.Softsign()),
    ("Hardtanh", nn.Hardtanh(-0.5, 2)), ("Hardsigmoid", nn.Hardsigmoid()), ("Hardswish", nn.Hardswish()),
    ("Sigmoid", nn.Sigmoid()), ("Tanh", nn.Tanh()), ("LogSigmoid", nn.LogSigmoid()), ("Softmax", nn.Softmax(dim=1)),
    ("LogSoftmax", nn.LogSoftmax(dim=0)), ("Softmin", nn.Softmin(dim=-1)), ("Flatten", nn.Flatten(0)),
    ("Unflatten", nn.Unflatten(1, (5, 1))), ("Identity", nn.Identity()),
]:
    layer_case(nm, mod, [act_input])

a, b = rnd(4, 3), rnd(4, 3)
probs, target01 = rnd(4, 3, lo=0.05, hi=0.95), rnd(4, 3, lo=0, hi=1)
cls = torch.tensor([2, 0, 1, 2])
w3 = rnd(3, lo=0.5, hi=2)
for nm, mod, ins in [
    ("MSELoss", nn.MSELoss(), [a, b]), ("L1Loss sum", nn.L1Loss(reduction="sum"), [a, b]),
    ("SmoothL1Loss", nn.SmoothL1Loss(beta=0.5), [a, b]), ("HuberLoss", nn.HuberLoss(delta=0.7), [a, b]),
    ("CrossEntropyLoss", nn.CrossEntropyLoss(weight=w3, label_smoothing=0.1), [a, cls]),
    ("NLLLoss", nn.NLLLoss(ignore_index=0), [F.log_softmax(a, 1), cls]),
    ("BCELoss", nn.BCELoss(), [probs, target01]),
    ("BCEWithLogitsLoss", nn.BCEWithLogitsLoss(pos_weight=w3), [a, target01]),
    ("KLDivLoss", nn.KLDivLoss(reduction="batchmean"), [F.log_softmax(a, 1), F.softmax(b, 1)]),
    ("MarginRankingLoss", nn.MarginRankingLoss(margin=0.3), [a[:, 0], b[:, 0], torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=torch.float64)]),
    ("CosineSimilarity", nn.CosineSimilarity(dim=1), [a, b]),
    ("PairwiseDistance", nn.PairwiseDistance(p=3), [a, b]),
]:
    layer_case(nm, mod, ins)

loss_state_keys = {
    "CrossEntropyLoss weight": list(nn.CrossEntropyLoss(weight=w3).state_dict().keys()),
    "BCEWithLogitsLoss": list(nn.BCEWithLogitsLoss(weight=w3, pos_weight=w3).state_dict().keys()),
    "MSELoss": list(nn.MSELoss().state_dict().keys()),
}

# ---------------------------------------------------------------- init
gains = {
    "linear": nn.init.calculate_gain("linear"),
    "conv2d": nn.init.calculate_gain("conv2d"),
    "sigmoid": nn.init.calculate_gain("sigmoid"),
    "tanh": nn.init.calculate_gain("tanh"),
    "relu": nn.init.calculate_gain("relu"),
    "leaky_relu": nn.init.calculate_gain("leaky_relu"),
    "leaky_relu 0.2": nn.init.calculate_gain("leaky_relu", 0.2),
    "leaky_relu sqrt5": nn.init.calculate_gain("leaky_relu", math.sqrt(5)),
    "selu": nn.init.calculate_gain("selu"),
}
fans = {str(s): list(nn.init._calculate_fan_in_and_fan_out(torch.empty(*s))) for s in [(3, 4), (16, 3, 5, 5), (8, 2, 3), (2, 6, 1, 1, 2)]}
init_errors = {
    "fan 1d": err(lambda: nn.init._calculate_fan_in_and_fan_out(torch.empty(3))),
    "gain": err(lambda: nn.init.calculate_gain("foo")),
    "mode": err(lambda: nn.init.kaiming_uniform_(torch.empty(3, 3), mode="fan_avg")),
}
# expected bounds / stds of the initializers for a [64, 100] weight
wshape = (64, 100)
init_stats = {
    "kaimingUniform default bound": math.sqrt(3) * nn.init.calculate_gain("leaky_relu", 0) / math.sqrt(100),
    "linear weight bound": 1 / math.sqrt(100),
    "xavierUniform bound": math.sqrt(6 / (64 + 100)),
    "xavierNormal std": math.sqrt(2 / (64 + 100)),
    "kaimingNormal fanOut relu std": math.sqrt(2) / math.sqrt(64),
}

# ---------------------------------------------------------------- clip_grad_norm_ / utils
def clip_case(norm_type, max_norm):
    ps = [torch.nn.Parameter(torch.zeros(3, 2, dtype=torch.float64)), torch.nn.Parameter(torch.zeros(4, dtype=torch.float64))]
    gs = [rnd(3, 2), rnd(4)]
    for p, g in zip(ps, gs):
        p.grad = g.clone()
    total = nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
    return {"normType": "inf" if norm_type == math.inf else norm_type, "maxNorm": max_norm,
            "grads": [g.tolist() for g in gs], "total": total.item(), "clipped": [p.grad.tolist() for p in ps]}


clips = [clip_case(2.0, 1.0), clip_case(1.0, 2.5), clip_case(math.inf, 0.5), clip_case(2.0, 100.0), clip_case(3.0, 1.0)]
p_inf = nn.Parameter(torch.ones(2))
p_inf.grad = torch.tensor([float("inf"), 1.0])
nonfinite = err(lambda: nn.utils.clip_grad_norm_([p_inf], 1.0, error_if_nonfinite=True))

out = {
    "torch": torch.__version__,
    "reprs": reprs,
    "layerReprs": layer_reprs,
    "stateKeys": state_keys,
    "namedParams": named_params,
    "namedBuffers": named_buffers,
    "namedModules": named_modules,
    "paramCounts": param_counts,
    "loadErrors": load_errors(),
    "layers": layers,
    "lossStateKeys": loss_state_keys,
    "gains": gains,
    "fans": fans,
    "initErrors": init_errors,
    "initStats": init_stats,
    "clips": clips,
    "clipNonfinite": nonfinite,
    "w3": w3.tolist(),
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "modules.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote", len(layers), "layer cases to", os.path.normpath(path))
for k, v in reprs.items():
    print(k, "->\n" + v)
print(json.dumps(layer_reprs, indent=1))
print(json.dumps(out["loadErrors"], indent=1))
print(init_errors, nonfinite)
