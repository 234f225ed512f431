"""Writes test/fixtures/reduction.json: forward values (and indices of two-result ops),
grad_fn names and the gradients of (out * w).sum() (w = 1, 2, 3, ... in out's shape) for the
reduction family, from PyTorch.
Run with the bench venv: /work/main/bench/.venv/bin/python scripts/fixtures_reduction.py
Each case names its inputs and a call that test/reduction.test.ts spells the same way in camelCase."""
import json
import math
import os
import torch

torch.set_default_dtype(torch.float64)


def x(*shape):
    n = 1
    for s in shape:
        n *= s
    # distinct values, mixed signs, no ties
    return ((torch.arange(n, dtype=torch.float64) * 7) % 11 - 4.5).reshape(shape) * 0.5


def t(v):
    return torch.tensor(v, dtype=torch.float64)


CASES = {
    'prod': (lambda: [x(2, 3)], lambda a: a.prod()),
    'prod(1)': (lambda: [x(2, 3)], lambda a: a.prod(1)),
    'prod(0,keepdim)': (lambda: [x(2, 3)], lambda a: a.prod(0, keepdim=True)),
    'prod one zero': (lambda: [t([[1.5, 0.0, 2.0], [0.0, 0.0, 3.0]])], lambda a: a.prod(1)),
    'prod all one zero': (lambda: [t([1.5, 0.0, 2.0, -1.0])], lambda a: a.prod()),
    'amax': (lambda: [x(2, 3, 2)], lambda a: a.amax((0, 2))),
    'amax ties': (lambda: [t([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])], lambda a: a.amax(1, keepdim=True)),
    'amin': (lambda: [x(2, 3)], lambda a: a.amin()),
    'amin(-1)': (lambda: [t([[1.0, 0.0, 0.0], [2.0, 2.0, 5.0]])], lambda a: a.amin(-1)),
    'var': (lambda: [x(2, 3)], lambda a: a.var()),
    'var(1)': (lambda: [x(2, 3)], lambda a: a.var(1)),
    'var(0,c0,keepdim)': (lambda: [x(3, 2)], lambda a: torch.var(a, 0, correction=0, keepdim=True)),
    'std': (lambda: [x(2, 3)], lambda a: a.std()),
    'std([0,1],c2)': (lambda: [x(2, 3, 2)], lambda a: torch.std(a, (0, 1), correction=2)),
    'logsumexp': (lambda: [x(2, 3)], lambda a: a.logsumexp(1)),
    'logsumexp large': (lambda: [t([[1000.0, 1001.0], [-1000.0, -1002.0]])], lambda a: a.logsumexp(1, keepdim=True)),
    'logsumexp all': (lambda: [x(2, 3)], lambda a: a.logsumexp((0, 1))),
    'norm': (lambda: [x(2, 3)], lambda a: a.norm()),
    'norm(1,1)': (lambda: [x(2, 3)], lambda a: a.norm(1, 1)),
    'norm(inf)': (lambda: [x(2, 3)], lambda a: a.norm(float('inf'))),
    'norm(3,0,keepdim)': (lambda: [x(2, 3)], lambda a: a.norm(3, 0, keepdim=True)),
    'norm fro': (lambda: [x(2, 3)], lambda a: a.norm('fro')),
    'norm zero': (lambda: [t([[0.0, 0.0], [3.0, 4.0]])], lambda a: a.norm(2, 1)),
    'cumsum': (lambda: [x(2, 3)], lambda a: a.cumsum(1)),
    'cumsum(0)': (lambda: [x(3, 2)], lambda a: a.cumsum(0)),
    'cumprod': (lambda: [x(2, 3)], lambda a: a.cumprod(1)),
    'cumprod zeros': (lambda: [t([2.0, 0.0, 3.0, 0.0, 1.5])], lambda a: a.cumprod(0)),
    'cummax': (lambda: [t([[1.0, 3.0, 2.0, 5.0], [4.0, 1.0, 4.0, 0.0]])], lambda a: a.cummax(1)),
    'cummin': (lambda: [t([[1.0, 3.0, 0.5, 5.0], [4.0, 1.0, 4.0, 0.0]])], lambda a: a.cummin(1)),
    'sort': (lambda: [x(2, 4)], lambda a: a.sort()),
    'sort(0,desc)': (lambda: [x(3, 2)], lambda a: a.sort(0, descending=True)),
    'topk': (lambda: [x(2, 5)], lambda a: a.topk(2)),
    'topk smallest dim0': (lambda: [x(4, 2)], lambda a: a.topk(3, 0, largest=False)),
    'kthvalue': (lambda: [x(2, 5)], lambda a: a.kthvalue(2)),
    'kthvalue keepdim': (lambda: [x(4, 2)], lambda a: a.kthvalue(3, 0, keepdim=True)),
    'median': (lambda: [x(2, 3)], lambda a: a.median()),
    'median ties': (lambda: [t([1.0, 2.0, 2.0, 3.0])], lambda a: a.median()),
    'median(1)': (lambda: [x(2, 4)], lambda a: a.median(1)),
    'mode': (lambda: [t([[1.0, 2.0, 2.0, 3.0, 3.0], [0.5, 0.5, 0.25, 0.5, 4.0]])], lambda a: a.mode(1)),
}

# Non-differentiable results: inputs (any dtype), call.
PLAIN = {
    'all': (lambda: [t([[1.0, 0.0], [2.0, 3.0]])], lambda a: a.all()),
    'all(1)': (lambda: [t([[1.0, 0.0], [2.0, 3.0]])], lambda a: a.all(1)),
    'any(0,keepdim)': (lambda: [t([[0.0, 0.0], [2.0, 0.0]])], lambda a: a.any(0, keepdim=True)),
    'any': (lambda: [t([0.0, 0.0])], lambda a: a.any()),
    'countNonzero': (lambda: [t([[0.0, 1.0], [2.0, 0.0], [3.0, 4.0]])], lambda a: torch.count_nonzero(a)),
    'countNonzero(0)': (lambda: [t([[0.0, 1.0], [2.0, 0.0], [3.0, 4.0]])], lambda a: torch.count_nonzero(a, 0)),
    'argsort': (lambda: [x(2, 4)], lambda a: a.argsort()),
    'argsort(0,desc)': (lambda: [x(3, 2)], lambda a: a.argsort(0, descending=True)),
    'sort stable ties': (lambda: [t([2.0, 1.0, 2.0, 1.0, float('nan'), 0.0])], lambda a: a.sort(stable=True)),
    'prod int': (lambda: [torch.tensor([[1, 2, 3], [4, 5, 6]])], lambda a: a.prod(1)),
    'cumsum int': (lambda: [torch.tensor([[1, 2, 3], [4, 5, 6]])], lambda a: a.cumsum(1)),
    'logsumexp int': (lambda: [torch.tensor([1, 2, 3])], lambda a: a.logsumexp(0)),
    'median nan': (lambda: [t([[1.0, float('nan'), 3.0, 0.0], [2.0, 1.0, 5.0, 4.0]])], lambda a: a.median(1)),
    'median() nan': (lambda: [t([1.0, float('nan'), 3.0])], lambda a: a.median()),
    'unique': (lambda: [torch.tensor([3, 1, 2, 3, 1])], lambda a: torch.unique(a)),
    'unique inverse counts': (lambda: [torch.tensor([3, 1, 2, 3, 1])], lambda a: torch.unique(a, return_inverse=True, return_counts=True)[1:]),
    'unique 2-D float inverse': (lambda: [t([[3.0, 1.0], [2.0, 3.0]])], lambda a: torch.unique(a, sorted=False, return_inverse=True)),
    'unique counts': (lambda: [t([[0.5, 0.5], [2.0, 0.5]])], lambda a: torch.unique(a, return_counts=True)),
}


def plain(v):
    if v.dtype == torch.bool:
        return v.tolist()
    v = v.detach()
    if v.is_floating_point() and v.dim() == 0 and math.isnan(v.item()):
        return None
    if v.is_floating_point():
        def fix(e):
            return [fix(i) for i in e] if isinstance(e, list) else (None if math.isnan(e) else e)
        return fix(v.tolist())
    return v.tolist()


def desc(i):
    return {'shape': list(i.shape), 'dtype': str(i.dtype).replace('torch.', ''), 'values': plain(i)}


def main():
    out = {}
    for name, (mk, call) in CASES.items():
        inputs = mk()
        leaves = [i.clone().requires_grad_(True) for i in inputs]
        r = call(*leaves)
        y, idx = (r[0], r[1]) if isinstance(r, tuple) else (r, None)
        w = torch.arange(1, y.numel() + 1, dtype=torch.float64).reshape(y.shape)
        (y * w).sum().backward()
        out[name] = {
            'inputs': [desc(i) for i in inputs],
            'shape': list(y.shape),
            'dtype': str(y.dtype).replace('torch.', ''),
            'values': plain(y),
            'indices': plain(idx) if idx is not None else None,
            'gradFn': y.grad_fn.name() if y.grad_fn is not None else None,
            'grads': [plain(l.grad) for l in leaves],
        }
    for name, (mk, call) in PLAIN.items():
        inputs = mk()
        r = call(*inputs)
        y, idx = (r[0], r[1]) if isinstance(r, tuple) else (r, None)
        out[name] = {
            'inputs': [desc(i) for i in inputs],
            'shape': list(y.shape),
            'dtype': str(y.dtype).replace('torch.', ''),
            'values': plain(y),
            'indices': plain(idx) if idx is not None else None,
            'gradFn': None,
            'grads': [],
        }
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'reduction.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=None, separators=(',', ':'))
        f.write('\n')
    print('wrote', len(out), 'cases to', os.path.normpath(path))


if __name__ == '__main__':
    main()
