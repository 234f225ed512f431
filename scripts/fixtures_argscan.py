"""Writes test/fixtures/argscan.json: PyTorch's max/min (values and indices), argmax/argmin
and cumsum/cumprod/cummax/cummin along rows of every length from 1 to 70 and a few long ones,
with ties, NaN first/middle/last/several, +-0 and infinities planted, for
test/helpers/argscan_levels.js (run at each SIMD level by test/reduction.test.ts).
Run with the bench venv: /work/main/bench/.venv/bin/python scripts/fixtures_argscan.py

Inputs are not stored: each is made from (shape, dtype, seed, kind) by the integer hash below,
which the test repeats exactly, and then each of `fills` ([start, stop, step, value]: the flat
elements start, start + step, ... before stop) is written over it in order.
Results (values and int64 indices) are stored bit for bit (every NaN as the default quiet NaN): as base64 of their
little-endian bytes, or beyond 64 elements as an FNV-1a hash of those bytes' 32-bit words."""
import base64
import json
import os
import numpy as np
import torch


def hashes(n, seed):
    i = np.arange(n, dtype=np.uint64)
    h = (i * np.uint64(2654435761) + np.uint64(seed * 40503 + 12345)) % np.uint64(2**32)
    h2 = ((h ^ (h >> np.uint64(15))) * np.uint64(2246822519)) % np.uint64(2**32)
    return h.astype(np.float64), h2


def make(spec):
    n = int(np.prod(spec['shape']))
    h, h2 = hashes(n, spec['seed'])
    u = h / 2.0**32
    kind = spec['kind']
    if kind == 'rand':  # mixed magnitudes, so float and double running sums round differently
        v = (u - 0.5) * np.exp2((h2 >> np.uint64(20)).astype(np.float64) % 12 - 6)
    elif kind == 'near1':  # products that neither vanish nor overflow
        v = 1 + (u - 0.5) / 8
    else:  # 'int': small integers, many ties
        v = np.floor(u * 7) - 3
    dt = getattr(torch, spec['dtype'])
    t = torch.tensor(v.tolist(), dtype=torch.float64).to(dt).reshape(spec['shape'])
    flat = t.view(-1)
    for start, stop, step, s in spec.get('fills', []):
        flat[start:stop:step] = {'nan': float('nan'), 'inf': float('inf'), '-inf': float('-inf'), '-0': -0.0}.get(s, s)
    return t


def bits(t):
    t = t.contiguous().clone()
    if t.is_floating_point():
        t[t.isnan()] = float('nan')
    raw = t.numpy().tobytes()
    if t.numel() <= 64:
        return {'bits': base64.b64encode(raw).decode()}
    h = 2166136261
    for w in np.frombuffer(raw, dtype=np.uint32).tolist():
        h = ((h ^ w) * 16777619) % 2**32
    return {'hash': h}


def at(*pairs):
    """Fills of single elements: at([k, v], ...)."""
    return [[k, k + 1, 1, v] for k, v in pairs]


def row_patterns(L, rows=70):
    """Fills for the rows of a [rows, L] tensor: row r has pattern r % 10 (0 leaves it random),
    moved r // 10 places along the row."""
    def pattern(p, r):
        s = r // 10
        def at_(*pairs):
            return at(*[[(j + s) % L, v] for j, v in pairs])
        return {
            1: at_([L // 3, 999.0], [L // 2, 999.0], [L - 1, 999.0], [L // 4, -999.0], [L - 2, -999.0]),  # ties
            2: [[0, L, 1, 0.0], [s % 2, L, 2, '-0']],                                # zeros, -0 first
            3: [[0, L, 1, '-0'], [s % 2, L, 2, 0.0]],                                # zeros, +0 first
            4: at_([0, 'nan']),                                                      # NaN first
            5: at_([L // 2, 'nan']),                                                 # NaN in the middle
            6: at_([L - 1, 'nan']),                                                  # NaN last
            7: at_([L // 3, 'nan'], [(2 * L) // 3, 'nan'], [L - 1, 'nan']),          # several NaNs
            8: at_([L // 4, '-inf'], [L // 2, 'inf'], [L - 1, 'inf']),              # infinities, tied
            9: [[0, L, 1, 1.5]],                                                     # all equal
        }.get(p, [])
    return [[r * L + a, r * L + b, c, v] for r in range(rows) for a, b, c, v in pattern(r % 10, r) if 0 <= a < L]


def arg_case(name, spec, dim):
    x = make(spec)
    out = {'name': name, 'input': spec, 'dim': dim}
    for op in ('max', 'min'):
        if dim is None:
            i = getattr(torch, 'arg' + op)(x)
            out[op] = {'indices': bits(i)}
        else:
            v, i = getattr(torch, op)(x, dim)
            assert torch.equal(i, getattr(torch, 'arg' + op)(x, dim))
            out[op] = {'values': bits(v), 'indices': bits(i)}
            if spec['dtype'] == 'float32':  # float64 gives the same answer on the same (exact) values
                v64, i64 = getattr(torch, op)(x.double(), dim)
                assert torch.equal(i64, i) and torch.equal(v64.float().isnan(), v.isnan())
    return out


def scan_case(name, spec, dim, ops):
    x = make(spec)
    out = {'name': name, 'input': spec, 'dim': dim}
    for op in ops:
        r = getattr(torch, op)(x, dim)
        if op in ('cummax', 'cummin'):
            out[op] = {'values': bits(r.values), 'indices': bits(r.indices)}
        else:
            out[op] = {'values': bits(r)}
    return out


def main():
    cases = []
    for L in list(range(1, 71)) + [127, 128, 129, 4097, 5000]:
        # 70 rows: as columns (the test transposes), a panel of 64 and a few more at AVX-512.
        spec = {'shape': [70, L], 'dtype': 'float32', 'seed': L, 'kind': 'rand', 'fills': row_patterns(L)}
        cases.append(arg_case(f'arg rows {L}', spec, 1))
    for L in (1, 5, 16, 33, 70, 300):
        cases.append(arg_case(f'arg int64 rows {L}', {'shape': [3, L], 'dtype': 'int64', 'seed': L, 'kind': 'int'}, 1))
        cases.append(arg_case(f'arg int32 rows {L}', {'shape': [3, L], 'dtype': 'int32', 'seed': L, 'kind': 'int'}, 1))
    # Beyond one chunk of the parallel row reduction (65536): ties and NaNs across chunks.
    N = 200003
    cases.append(arg_case('arg flat ties across chunks', {'shape': [N], 'dtype': 'float32', 'seed': 1, 'kind': 'rand',
                                                           'fills': at([10, 99.0], [150000, 99.0], [70000, -99.0], [199999, -99.0])}, None))
    cases.append(arg_case('arg flat NaNs in later chunks', {'shape': [N], 'dtype': 'float32', 'seed': 2, 'kind': 'rand',
                                                             'fills': at([190000, 'nan'], [140000, 'nan'], [5, 99.0])}, None))
    cases.append(arg_case('arg flat -0 then +0', {'shape': [N], 'dtype': 'float32', 'seed': 3, 'kind': 'rand',
                                                   'fills': [[0, 66000, 1, '-0'], [66000, N, 1, 0.0]]}, None))
    cases.append(arg_case('arg long rows', {'shape': [3, 70001], 'dtype': 'float32', 'seed': 4, 'kind': 'rand',
                                            'fills': at([70001 + 69000, 'nan'], [2 * 70001 + 66000, 99.0], [2 * 70001 + 66001, 99.0])}, 1))
    cases.append(arg_case('arg [3,37,21] dim 1', {'shape': [3, 37, 21], 'dtype': 'float32', 'seed': 5, 'kind': 'rand',
                                                   'fills': at([40, 'nan'], [21 * 30 + 40, 'nan'], [700, 99.0], [700 + 21 * 9, 99.0])}, 1))
    cases.append(arg_case('arg [3,37,21] dim 0', {'shape': [3, 37, 21], 'dtype': 'float32', 'seed': 6, 'kind': 'int'}, 0))

    for L in range(1, 71):
        spec = {'shape': [9, L], 'dtype': 'float32', 'seed': 100 + L, 'kind': 'rand',
                'fills': at([L, '-0'], [2 * L + L // 2, 'nan'], [3 * L + L // 3, 'inf'], [4 * L + L - 1, '-inf'])}
        cases.append(scan_case(f'scan rows {L}', spec, 1, ['cumsum'] + (['cummax', 'cummin'] if L in (1, 8, 9, 17, 70) else [])))
    for L in (1, 3, 7, 8, 9, 15, 16, 17, 33, 70):
        spec = {'shape': [19, L], 'dtype': 'float32', 'seed': 200 + L, 'kind': 'near1', 'fills': at([L, 0.0], [2 * L, 'nan'])}
        cases.append(scan_case(f'cumprod rows {L}', spec, 1, ['cumprod', 'cumsum']))
    cases.append(scan_case('scan long rows', {'shape': [9, 5003], 'dtype': 'float32', 'seed': 7, 'kind': 'rand'}, 1, ['cumsum']))
    cases.append(scan_case('cumprod long rows', {'shape': [17, 4100], 'dtype': 'float32', 'seed': 8, 'kind': 'near1'}, 1, ['cumprod']))
    cases.append(scan_case('scan [3,5000] dim 0', {'shape': [3, 5000], 'dtype': 'float32', 'seed': 13, 'kind': 'rand',
                                                   'fills': at([5000 + 4500, 'nan'])}, 0, ['cumsum', 'cummax']))
    cases.append(scan_case('scan [1000,300] dim 0', {'shape': [1000, 300], 'dtype': 'float32', 'seed': 12, 'kind': 'rand'}, 0, ['cumsum']))
    cases.append(scan_case('scan [3,37,21] dim 1', {'shape': [3, 37, 21], 'dtype': 'float32', 'seed': 9, 'kind': 'rand',
                                                    'fills': at([45, 'nan'])}, 1, ['cumsum', 'cumprod', 'cummax', 'cummin']))
    cases.append(scan_case('scan float64 rows', {'shape': [9, 37], 'dtype': 'float64', 'seed': 10, 'kind': 'rand',
                                                 'fills': at([37, '-0'], [80, 'nan'])}, 1, ['cumsum', 'cumprod', 'cummax']))
    cases.append(scan_case('scan int64 rows', {'shape': [9, 37], 'dtype': 'int64', 'seed': 11, 'kind': 'int'}, 1,
                           ['cumsum', 'cumprod', 'cummax', 'cummin']))

    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'argscan.json')
    with open(path, 'w') as f:
        json.dump({'torch': torch.__version__, 'cases': cases}, f, separators=(',', ':'))
        f.write('\n')
    print('wrote', len(cases), 'cases to', os.path.normpath(path), os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
