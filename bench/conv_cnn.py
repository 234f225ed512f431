"""PyTorch side of bench/conv_cnn.js: the same layers, shapes and timing."""
import sys
import time

import torch
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
torch.manual_seed(0)
w1 = (torch.randn(32, 1, 3, 3) * 0.3).requires_grad_()
b1 = torch.zeros(32, requires_grad=True)
w2 = (torch.randn(64, 32, 3, 3) * 0.06).requires_grad_()
b2 = torch.zeros(64, requires_grad=True)


def step(x, gy):
    h = F.relu(F.conv2d(F.relu(F.conv2d(x, w1, b1)), w2, b2))
    h.backward(gy)
    for p in (w1, b1, w2, b2):
        p.grad = None


for B in (64, 128):
    x, gy = torch.randn(B, 1, 28, 28), torch.randn(B, 64, 24, 24)
    for _ in range(3):
        step(x, gy)
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        step(x, gy)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    ms, best = times[len(times) // 2], times[0]
    print(f"pytorch {torch.__version__} threads={threads} batch={B}: min {best:.1f} / median {ms:.1f} ms per step fwd+bwd, "
          f"{best * 60000 / B / 1000:.1f} s per 60k images (at the min)")
