"""Writes test/fixtures/foundation.json: forward values, dtypes, grad_fn names and the
gradients of (out * w).sum() (w = 1, 2, 3, ... in out's shape) for the foundation's ops
(arithmetic with promotion and broadcasting, unary math, reductions, matrix products,
views and basic indexing), from PyTorch.
Run with the bench venv: /work/main/bench/.venv/bin/python scripts/fixtures_foundation.py
test/foundation.test.ts spells each call the same way in camelCase."""
import json
import os
import torch


def x(*shape, dtype=torch.float64, lo=-1.0, step=0.37):
    n = 1
    for s in shape:
        n *= s
    return (torch.arange(n, dtype=torch.float64) * step + lo).reshape(shape).to(dtype)


def pos(*shape):
    return x(*shape, lo=0.5, step=0.29)


def i64(*shape):
    return x(*shape, lo=-2, step=1, dtype=torch.int64)


CASES = {
    'add': (lambda: [x(2, 3), x(2, 3, lo=0.3)], lambda a, b: a + b),
    'add broadcast': (lambda: [x(2, 3), x(3)], lambda a, b: a + b),
    'add alpha': (lambda: [x(2, 3), x(1, 3)], lambda a, b: torch.add(a, b, alpha=2.5)),
    'add number': (lambda: [x(4)], lambda a: a + 2.5),
    'sub 0-d': (lambda: [x(2, 2), x()], lambda a, b: a - b),
    'rsub number': (lambda: [x(3)], lambda a: 10 - a),
    'mul transposed': (lambda: [x(3, 2), x(3, 2, lo=0.2)], lambda a, b: a.t() * b.t()),
    'div': (lambda: [x(2, 3), pos(2, 3)], lambda a, b: a / b),
    'rdiv number': (lambda: [pos(3)], lambda a: 1 / a),
    'pow number': (lambda: [pos(4)], lambda a: a ** 3),
    'pow tensor': (lambda: [pos(3), x(3)], lambda a, b: a ** b),
    'pow number base': (lambda: [x(3)], lambda a: 2 ** a),
    'maximum': (lambda: [x(4), x(4, lo=-0.5, step=0.2)], lambda a, b: torch.maximum(a, b)),
    'neg': (lambda: [x(3)], lambda a: -a),
    'exp': (lambda: [x(2, 2)], lambda a: a.exp()),
    'log': (lambda: [pos(3)], lambda a: a.log()),
    'sqrt': (lambda: [pos(3)], lambda a: a.sqrt()),
    'abs': (lambda: [x(4)], lambda a: a.abs()),
    'relu': (lambda: [x(5)], lambda a: a.relu()),
    'sin': (lambda: [x(3)], lambda a: a.sin()),
    'cos': (lambda: [x(3)], lambda a: a.cos()),
    'tanh': (lambda: [x(3)], lambda a: a.tanh()),
    'sigmoid': (lambda: [x(3)], lambda a: a.sigmoid()),
    'clamp': (lambda: [x(6)], lambda a: a.clamp(-0.5, 0.6)),
    'where': (lambda: [x(4), x(4, lo=0.1)], lambda a, b: torch.where(a > 0, a, b)),
    'sum': (lambda: [x(2, 3)], lambda a: a.sum()),
    'sum dim': (lambda: [x(2, 3, 2)], lambda a: a.sum(1)),
    'sum dims keepdim': (lambda: [x(2, 3, 2)], lambda a: a.sum((0, 2), keepdim=True)),
    'mean': (lambda: [x(2, 3)], lambda a: a.mean()),
    'mean dim': (lambda: [x(2, 3)], lambda a: a.mean(-1)),
    'mm': (lambda: [x(2, 3), x(3, 4, lo=0.2)], lambda a, b: a.mm(b)),
    'matmul batched broadcast': (lambda: [x(2, 1, 2, 3), x(3, 3, 2, lo=0.1)], lambda a, b: a @ b),
    'matmul vector-matrix': (lambda: [x(3), x(3, 2)], lambda a, b: a @ b),
    'matmul matrix-vector': (lambda: [x(2, 3), x(3)], lambda a, b: a @ b),
    'dot': (lambda: [x(4), x(4, lo=0.3)], lambda a, b: a.dot(b)),
    'bmm': (lambda: [x(2, 2, 3), x(2, 3, 2)], lambda a, b: a.bmm(b)),
    'view': (lambda: [x(2, 3)], lambda a: a.view(3, 2)),
    'reshape copy': (lambda: [x(2, 3)], lambda a: a.t().reshape(6)),
    'transpose': (lambda: [x(2, 3, 2)], lambda a: a.transpose(0, 2)),
    'permute': (lambda: [x(2, 3, 2)], lambda a: a.permute(2, 0, 1)),
    'expand': (lambda: [x(3, 1)], lambda a: a.expand(2, 3, 4)),
    'squeeze': (lambda: [x(1, 3, 1)], lambda a: a.squeeze()),
    'unsqueeze': (lambda: [x(3)], lambda a: a.unsqueeze(-1)),
    'index select': (lambda: [x(3, 4)], lambda a: a[1]),
    'index slice step': (lambda: [x(3, 5)], lambda a: a[:, 1::2]),
    'index newaxis ellipsis': (lambda: [x(2, 3)], lambda a: a[..., None, 0]),
    'index negative slice': (lambda: [x(6)], lambda a: a[-4:-1]),
    'int64 * float32 -> float32': (lambda: [i64(3), x(3, dtype=torch.float32)], lambda a, b: a * b),
    'float32 * float64 -> float64': (lambda: [x(3, dtype=torch.float32), x(3)], lambda a, b: a * b),
    'int64 + 2.5 -> float32': (lambda: [i64(3)], lambda a: a + 2.5),
    'int64 / int64 -> float32': (lambda: [i64(3), i64(3, ) + 5], lambda a, b: a / b),
    'int64 * float64 0-d -> float64': (lambda: [i64(3), x(dtype=torch.float64)], lambda a, b: a * b),
}


def tolist(t):
    return t.detach().tolist()


def main():
    out = {}
    for name, (make, call) in CASES.items():
        inputs = make()
        for t in inputs:
            if t.is_floating_point():
                t.requires_grad_(True)
        y = call(*inputs)
        case = {
            'inputs': [{'data': tolist(t), 'shape': list(t.shape), 'dtype': str(t.dtype).replace('torch.', '')} for t in inputs],
            'out': tolist(y),
            'shape': list(y.shape),
            'dtype': str(y.dtype).replace('torch.', ''),
            'grad_fn': type(y.grad_fn).__name__ if y.grad_fn is not None else None,
        }
        if y.requires_grad:
            w = torch.arange(1, y.numel() + 1, dtype=y.dtype).reshape(y.shape)
            (y * w).sum().backward()
            case['grads'] = [tolist(t.grad) if t.grad is not None else None for t in inputs]
        out[name] = case
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'foundation.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f'wrote {len(out)} cases to {os.path.normpath(path)}')


if __name__ == '__main__':
    main()
