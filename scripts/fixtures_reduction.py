"""Writes test/fixtures/reduction.json: forward values (and indices of two-result ops),
grad_fn names and the gradients of (out * w).sum() (w = 1, 2, 3, ... in out's shape) for the
reduction family, from PyTorch.
Run with the bench venv: /work/main/bench/.venv/bin/python scripts/fixtures_reduction.py
Each case names its inputs and a call that test/reduction.test.ts spells the same way in camelCase.
Also writes test/fixtures/prod.json (write_prod below)."""
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

nan, inf = float('nan'), float('inf')
TIES = [2.0, 1.0, 2.0, 1.0, nan, 0.0, -0.0, 0.0, nan, inf, -inf, 2.0]


def grid(seed, shape, lo, hi, dtype=torch.float64, specials=False):
    """Integers in [lo, hi) (many ties); with specials, some -0.0, NaN and +-inf too."""
    g = torch.Generator().manual_seed(seed)
    v = torch.randint(lo, hi, shape, generator=g).to(dtype)
    if specials:
        u = torch.rand(shape, generator=g)
        v[u < 0.05] = nan
        v[(u >= 0.05) & (u < 0.08)] = inf
        v[(u >= 0.08) & (u < 0.1)] = -inf
        v[(v == 0) & (u < 0.5)] = -0.0
    return v


def distinct(seed, shape, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    n = 1
    for d in shape:
        n *= d
    return ((torch.randperm(n, generator=g).to(torch.float64) - n / 2) * 0.25).to(dtype).reshape(shape)


def below_ties(seed, shape):
    """Many ties (0..2) below a distinct top of shape[-1] // 5 values (10, 10.5, ...)."""
    v = grid(seed, shape, 0, 3)
    g = torch.Generator().manual_seed(seed + 1000)
    for r in range(shape[0]):
        cols = torch.randperm(shape[1], generator=g)[: shape[1] // 5]
        v[r, cols] = 10 + 0.5 * torch.randperm(len(cols), generator=g).to(v.dtype)
    return v


def one_nan(seed, shape):
    v = distinct(seed, shape)
    v[:, 7] = nan
    return v


def mixed_rows(seed, shape):
    """Rows of ties (0..2) and distinct rows, alternating in pairs."""
    v = distinct(seed, shape)
    v[0::4] = grid(seed, v[0::4].shape, 0, 3)
    v[1::4] = grid(seed + 1, v[1::4].shape, 0, 3)
    return v


# Sorting and selection with ties, NaN, +-0 and +-inf, compared exactly (values and indices):
# which of equal elements topk and kthvalue pick, and in what order, is what PyTorch's CPU
# kernels do (csrc/cpu/sort_kernels.cpp, Notes [Topk ties] and [Kthvalue ties]). Sorts of
# inputs with ties are stable ones: PyTorch's default order among equal elements is
# unspecified. For 'unsorted' topk cases only the set of (value, index) pairs is compared.
SELECT = {
    'topk ties': (lambda: [t(TIES)], lambda a: a.topk(5)),
    'topk ties smallest': (lambda: [t(TIES)], lambda a: a.topk(5, largest=False)),
    'topk ties k=n': (lambda: [t(TIES)], lambda a: a.topk(12)),
    'topk ties k=n smallest': (lambda: [t(TIES)], lambda a: a.topk(12, largest=False)),
    'topk k=0': (lambda: [x(2, 5)], lambda a: a.topk(0)),
    'topk 0-d k=0': (lambda: [t(3.5)], lambda a: a.topk(0)),
    'topk k=1 ties': (lambda: [t([[1.0, 3.0, 3.0, 2.0], [nan, 1.0, nan, 0.0]])], lambda a: a.topk(1)),
    'topk long k=1': (lambda: [grid(1, (2, 700), 0, 5, specials=True)], lambda a: a.topk(1)),
    'topk long k=5': (lambda: [grid(2, (2, 700), 0, 5, specials=True)], lambda a: a.topk(5)),
    'topk long k=10 smallest': (lambda: [grid(3, (2, 700), 0, 5, specials=True)], lambda a: a.topk(10, largest=False)),
    'topk long k=50': (lambda: [grid(4, (2, 700), 0, 5, specials=True)], lambda a: a.topk(50)),
    'topk long k=50 smallest': (lambda: [grid(5, (2, 700), 0, 5, specials=True)], lambda a: a.topk(50, largest=False)),
    'topk long k=n': (lambda: [grid(6, (2, 700), 0, 5, specials=True)], lambda a: a.topk(700)),
    'topk all equal': (lambda: [torch.ones(3, 100, dtype=torch.float64)], lambda a: a.topk(7)),
    'topk all equal long': (lambda: [torch.ones(2, 1000, dtype=torch.float64)], lambda a: a.topk(5, largest=False)),
    'topk dim0 ties': (lambda: [grid(7, (40, 3), 0, 3)], lambda a: a.topk(4, 0)),
    'topk dim0 ties smallest': (lambda: [grid(8, (40, 3), 0, 3, specials=True)], lambda a: a.topk(6, 0, largest=False)),
    'topk 3-D dim1 long': (lambda: [grid(9, (2, 70, 3), 0, 4, specials=True)], lambda a: a.topk(1, 1)),
    'topk int64 heap': (lambda: [grid(10, (3, 300), -3, 3, torch.int64) * 2 ** 40], lambda a: a.topk(4)),
    'topk int64 nth': (lambda: [grid(11, (3, 300), -3, 3, torch.int64)], lambda a: a.topk(20, largest=False)),
    'topk int32': (lambda: [grid(12, (2, 200), -2, 2, torch.int32)], lambda a: a.topk(3)),
    'topk float32': (lambda: [grid(13, (2, 200), 0, 4, torch.float32, specials=True) * 0.5], lambda a: a.topk(3, largest=False)),
    'topk unsorted nth': (lambda: [grid(14, (3, 100), 0, 6, specials=True)], lambda a: a.topk(10, sorted=False)),
    'topk unsorted heap': (lambda: [grid(15, (2, 700), 0, 6, specials=True)], lambda a: a.topk(5, largest=False, sorted=False)),
    # Rows without deciding ties take the kernels' fast paths (Note [Unique ranks]).
    'topk distinct small k': (lambda: [distinct(34, (3, 640))], lambda a: a.topk(10)),
    'topk distinct small k smallest f32': (lambda: [distinct(35, (3, 640), torch.float32)], lambda a: a.topk(5, largest=False)),
    'topk distinct k=50': (lambda: [distinct(36, (3, 300))], lambda a: a.topk(50)),
    'topk distinct k=50 smallest int64': (lambda: [distinct(37, (3, 300)).mul(4).to(torch.int64)], lambda a: a.topk(50, largest=False)),
    'topk ties below the top': (lambda: [below_ties(38, (4, 300))], lambda a: a.topk(40)),
    'topk ties below the top small k': (lambda: [below_ties(39, (4, 640))], lambda a: a.topk(8)),
    'topk one nan': (lambda: [one_nan(40, (3, 640))], lambda a: a.topk(6)),
    'topk mixed rows': (lambda: [mixed_rows(41, (8, 300))], lambda a: a.topk(30)),
    'kthvalue distinct': (lambda: [distinct(42, (3, 701))], lambda a: a.kthvalue(351)),
    'kthvalue mixed rows': (lambda: [mixed_rows(43, (8, 300))], lambda a: a.kthvalue(280)),
    'sort ties stable': (lambda: [grid(16, (3, 100), -3, 3, specials=True)], lambda a: a.sort(stable=True)),
    'sort ties stable desc': (lambda: [grid(17, (3, 100), -3, 3, specials=True)], lambda a: a.sort(descending=True, stable=True)),
    'sort short ties stable desc': (lambda: [t(TIES)], lambda a: a.sort(descending=True, stable=True)),
    'sort dim0 ties stable': (lambda: [grid(18, (40, 3), 0, 3, specials=True)], lambda a: a.sort(dim=0, stable=True)),
    'sort int64 stable': (lambda: [grid(19, (2, 500), -4, 4, torch.int64) * 2 ** 50], lambda a: a.sort(stable=True)),
    'sort int32 stable desc': (lambda: [grid(20, (2, 300), -4, 4, torch.int32)], lambda a: a.sort(descending=True, stable=True)),
    'sort uint8 stable': (lambda: [grid(21, (2, 100), 0, 255, torch.uint8)], lambda a: a.sort(stable=True)),
    'sort bool stable desc': (lambda: [grid(22, (2, 50), 0, 2, torch.bool)], lambda a: a.sort(descending=True, stable=True)),
    'sort float32 distinct': (lambda: [distinct(23, (2, 300), torch.float32)], lambda a: a.sort()),
    'sort float64 distinct desc': (lambda: [distinct(24, (3, 1000))], lambda a: a.sort(descending=True)),
    'argsort ties stable desc': (lambda: [grid(25, (2, 64), 0, 4, specials=True)], lambda a: a.argsort(descending=True, stable=True)),
    'kthvalue ties': (lambda: [grid(26, (3, 40), 0, 3)], lambda a: a.kthvalue(10)),
    'kthvalue nan': (lambda: [t([[1.0, nan, 1.0, nan, 0.0], [0.0, -0.0, 0.0, -0.0, 0.0]])], lambda a: a.kthvalue(4)),
    'kthvalue long': (lambda: [grid(27, (2, 700), 0, 5, specials=True)], lambda a: a.kthvalue(350)),
    'kthvalue dim0 keepdim': (lambda: [grid(28, (40, 3), 0, 3)], lambda a: a.kthvalue(20, 0, keepdim=True)),
    'kthvalue int64': (lambda: [grid(29, (2, 90), -3, 3, torch.int64)], lambda a: a.kthvalue(31)),
    'median(dim) ties': (lambda: [grid(30, (3, 41), 0, 3)], lambda a: a.median(1)),
    'median(dim) zeros': (lambda: [t([[0.0, -0.0, 0.0, -0.0], [-0.0, 0.0, -0.0, 1.0]])], lambda a: a.median(1)),
    'median(dim) nan long': (lambda: [grid(31, (2, 100), 0, 4, specials=True)], lambda a: a.median(1)),
    'median() ties': (lambda: [grid(32, (5, 9), 0, 3)], lambda a: a.median()),
    'median(dim) int32': (lambda: [grid(33, (3, 20), -2, 2, torch.int32)], lambda a: a.median(0)),
}


def plain(v):
    if v.dtype == torch.bool:
        return v.tolist()
    v = v.detach()
    if v.is_floating_point() and v.dim() == 0:
        e = v.item()
        return None if math.isnan(e) else ('inf' if e > 0 else '-inf') if math.isinf(e) else e
    if v.is_floating_point():
        def fix(e):
            if isinstance(e, list):
                return [fix(i) for i in e]
            return None if math.isnan(e) else ('inf' if e > 0 else '-inf') if math.isinf(e) else e
        return fix(v.tolist())
    return v.tolist()


def desc(i):
    return {'shape': list(i.shape), 'dtype': str(i.dtype).replace('torch.', ''), 'values': plain(i)}


# test/fixtures/prod.json: float32 and float64 products bit for bit as PyTorch forms them on one
# thread (cpu/vec_kernels.inc, Note [Row products]; test/helpers/levels.js checks them at every
# SIMD level). Random inputs come from lcg_values, which the test repeats, so only the outputs
# are stored: near 1 (1 + (u - 1/2) / 50), where the float32 product of thousands still
# neither over- nor underflows and its rounding order shows.
#  rows: [2, n] for lengths n over every position of the 32-float / 16-double lanes and long
#    rows; prod(1) and prod() (2n elements in a row).
#  leading: prod over dim 0 and over dim 1 of [R, K] and of [4, 50, 8] (the middle one strided),
#    and prod(1) of a transposed [300, 64] (strided rows).
#  special: explicit rows (stored) of 70 elements (two full float32 lane blocks and a tail):
#    zeros, negatives, infinities and NaN in the lanes and in the tail, 0 and inf together, and
#    an order that overflows to inf in one lane though the whole product is 1.
PROD_LENGTHS = list(range(1, 71)) + [95, 96, 97, 127, 128, 129, 255, 256, 257, 1000, 1023, 1024, 1025, 4095,
                                     4096, 4097, 4999, 5000]


def lcg_values(count, seed):
    """count float64 values 1 + (u - 1/2) / 50 from a 32-bit LCG (test/reduction.test.ts repeats it)."""
    vals = []
    for _ in range(count):
        seed = (seed * 1664525 + 1013904223) % 2 ** 32
        vals.append(1 + (seed / 2 ** 32 - 0.5) * 0.02)
    return vals


def enc(v):
    if isinstance(v, list):
        return [enc(e) for e in v]
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return 'nan' if math.isnan(v) else ('inf' if v > 0 else '-inf')
    return v


def special_rows():
    inf, nan = float('inf'), float('nan')
    base = [1.5, -0.5, 2.0, 0.75] * 18
    rows = []
    for at, v in [(3, 0.0), (66, 0.0), (5, -2.0), (68, -1.0), (40, inf), (69, -inf), (10, nan), (67, nan)]:
        r = base[:70]
        r[at] = v
        rows.append(r)
    r = base[:70]
    r[2], r[60] = 0.0, inf  # 0 * inf in different lanes: NaN
    rows.append(r)
    r = [1.0] * 70
    r[0], r[32], r[64], r[65] = 1e30, 1e30, 1e-30, 1e-30  # lane 0 overflows in float32 before the tail
    rows.append(r)
    return rows


def write_prod():
    torch.set_num_threads(1)
    out = {'rows': {}, 'leading': {}, 'special': {}}
    for dt, name in [(torch.float32, 'float32'), (torch.float64, 'float64')]:
        rows = []
        for n in PROD_LENGTHS:
            a = torch.tensor(lcg_values(2 * n, n), dtype=dt).reshape(2, n)
            rows.append({'n': n, 'prod1': a.prod(1).tolist(), 'prod': a.prod().item()})
        out['rows'][name] = rows
        lead = []
        for shape, dim, seed in [([1000, 37], 0, 1), ([5000, 3], 0, 2), ([64, 300], 0, 3), ([4, 50, 8], 0, 4),
                                 ([4, 50, 8], 1, 5), ([300, 64], -1, 6)]:
            count = 1
            for s_ in shape:
                count *= s_
            a = torch.tensor(lcg_values(count, seed), dtype=dt).reshape(shape)
            y = a.t().prod(1) if dim == -1 else a.prod(dim)  # -1: prod(1) of the transpose
            lead.append({'shape': shape, 'dim': dim, 'seed': seed, 'out': y.flatten().tolist()})
        out['leading'][name] = lead
        sp = special_rows()
        a = torch.tensor(sp, dtype=dt)
        out['special'][name] = {'inputs': enc(sp), 'prod1': enc(a.prod(1).tolist())}
    out['rows'] = enc(out['rows'])
    out['leading'] = enc(out['leading'])
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'prod.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=None, separators=(',', ':'))
        f.write('\n')
    print('wrote products to', os.path.normpath(path))


def case(inputs, r, grad_fn=None, grads=()):
    """A fixture case: inputs, the result (a tensor or (values, indices)), grad_fn and grads."""
    y, idx = (r[0], r[1]) if isinstance(r, tuple) else (r, None)
    return {
        'inputs': [desc(i) for i in inputs],
        'shape': list(y.shape),
        'dtype': str(y.dtype).replace('torch.', ''),
        'values': plain(y),
        'indices': plain(idx) if idx is not None else None,
        'gradFn': grad_fn,
        'grads': list(grads),
    }


def main():
    write_prod()
    out = {}
    for name, (mk, call) in CASES.items():
        inputs = mk()
        leaves = [i.clone().requires_grad_(True) for i in inputs]
        r = call(*leaves)
        y = r[0] if isinstance(r, tuple) else r
        w = torch.arange(1, y.numel() + 1, dtype=torch.float64).reshape(y.shape)
        (y * w).sum().backward()
        out[name] = case(inputs, r, y.grad_fn.name() if y.grad_fn is not None else None, [plain(l.grad) for l in leaves])
    # PLAIN: compared within tolerance; SELECT (sort/topk/kthvalue picks): bit for bit.
    for table, exact in ((PLAIN, False), (SELECT, True)):
        for name, (mk, call) in table.items():
            inputs = mk()
            out[name] = case(inputs, call(*inputs))
            if exact:
                out[name]['exact'] = True
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'reduction.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=None, separators=(',', ':'))
        f.write('\n')
    print('wrote', len(out), 'cases to', os.path.normpath(path))


if __name__ == '__main__':
    main()
