"""PyTorch side of bench/training.js: the training workloads of examples/ in PyTorch.

usage: torch_training.py WORKLOAD THREADS [EPOCHS] [LIMIT]
  WORKLOAD: seed004 (examples/seed004_nn.ts: 500 SGD steps of the two-layer net),
            mlp or cnn (examples/fashion_mnist_{mlp,cnn}.ts on Fashion-MNIST).
Prints one JSON object: per-step / per-epoch times, losses and test accuracies.

Same architecture, initialisation (PyTorch's defaults, which tensorgrad's layers mirror;
standard normal weights for seed004), optimizer (Adam 1e-3 halved after each epoch; SGD for
seed004), batch size (64), input normalisation, evaluation batch (1000) and thread count as
the tensorgrad side.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

ROOT = os.environ.get("TG_DATA", "/usr/share/datasets/fashion-mnist")
MEAN, STD = 0.286, 0.353


def read_idx(name):
    path = os.path.join(ROOT, name)
    opener = gzip.open if os.path.exists(path + ".gz") else open
    with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion_mnist(train, limit=None):
    prefix = "train" if train else "t10k"
    x = torch.from_numpy(read_idx(f"{prefix}-images-idx3-ubyte").copy()).float().div(255).unsqueeze(1)
    y = torch.from_numpy(read_idx(f"{prefix}-labels-idx1-ubyte").copy()).long()
    if limit:
        x, y = x[:limit], y[:limit]
    return (x - MEAN) / STD, y


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def seed004():
    torch.manual_seed(4)
    x, y = torch.randn(64, 1000), torch.randn(64, 10)
    w1, w2 = torch.randn(1000, 100), torch.randn(100, 10)
    model = nn.Sequential(nn.Linear(1000, 100, bias=False), nn.ReLU(), nn.Linear(100, 10, bias=False))
    with torch.no_grad():
        model[0].weight.copy_(w1.t())
        model[2].weight.copy_(w2.t())
    loss_fn = nn.MSELoss(reduction="sum")
    opt = torch.optim.SGD(model.parameters(), lr=1e-6)
    losses = []
    t0 = time.perf_counter()
    for _ in range(500):
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    sec = time.perf_counter() - t0
    return {"steps": 500, "seconds": sec, "msPerStep": sec / 500 * 1000, "firstLoss": losses[0], "finalLoss": losses[-1]}


def fashion(make, epochs, limit):
    xtr, ytr = fashion_mnist(True, limit)
    xte, yte = fashion_mnist(False)
    torch.manual_seed(0)
    model = make()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    loss_fn = nn.CrossEntropyLoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=64, shuffle=True,
                                         generator=torch.Generator().manual_seed(0))
    out = []
    for epoch in range(1, epochs + 1):
        model.train()
        t0 = time.perf_counter()
        total, steps = 0.0, 0
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            steps += 1
        sched.step()
        train_s = time.perf_counter() - t0
        model.eval()
        t1 = time.perf_counter()
        correct = 0
        with torch.no_grad():
            for i in range(0, len(xte), 1000):
                correct += (model(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
        out.append({"epoch": epoch, "trainSeconds": train_s, "msPerStep": train_s / steps * 1000, "trainLoss": total / steps,
                    "testAccuracy": correct / len(xte), "evalSeconds": time.perf_counter() - t1})
    return {"epochs": out}


def main():
    workload = sys.argv[1]
    threads = int(sys.argv[2])
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    limit = int(sys.argv[4]) if len(sys.argv) > 4 and int(sys.argv[4]) > 0 else None
    torch.set_num_threads(threads)
    if workload == "seed004":
        res = seed004()
    elif workload in ("mlp", "cnn"):
        res = fashion(mlp if workload == "mlp" else cnn, epochs, limit)
    else:
        sys.exit(f"unknown workload {workload}")
    res.update({"library": f"torch {torch.__version__}", "threads": torch.get_num_threads()})
    print(json.dumps(res))


if __name__ == "__main__":
    main()
