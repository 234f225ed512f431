"""Workload data shared by the PyTorch scripts of bench/ (torch_bench.py, mlp_parts.py), the
twin of bench/workloads.js's mlpData()."""
import math

import torch


def mlp_data():
    """The MLP's data and parameters: batch 256, 784-512-512-10 (weights [in, out], biases)."""
    B, sizes = 256, [784, 512, 512, 10]
    x, y = torch.randn(B, 784), torch.randn(B, 10)
    params = []
    for i in range(3):
        w = (torch.randn(sizes[i], sizes[i + 1]) * math.sqrt(2 / sizes[i])).requires_grad_()
        params += [w, torch.zeros(sizes[i + 1], requires_grad=True)]
    return x, y, params
