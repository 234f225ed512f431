"""Safetensors interop fixtures for test/io.test.ts (run from the repository root).

1. Writes test/fixtures/torch_written.safetensors with safetensors.torch (tensors of several
   dtypes and shapes, a 0-d one, an empty one, F16/BF16) and torch_written.json with the
   expected values, so the test proves tensorgrad reads what PyTorch writes.
2. Writes test/fixtures/torch_plain.safetensors: the tensorgrad-writable dtypes only, which
   the test re-creates from the JSON and compares byte for byte with its own serialize().
3. If test/fixtures/tg_written.safetensors exists (written by
   `node scripts/fixtures_tg_safetensors.js` from torch_written.json), loads it with
   safetensors.torch, checks every tensor and the nested structure, and checks that
   safetensors writes the very same bytes, proving PyTorch reads what tensorgrad writes.

Usage: python scripts/fixtures_safetensors.py && node scripts/fixtures_tg_safetensors.js &&
       python scripts/fixtures_safetensors.py   (the second run checks tg_written)
"""
import json
import os

import torch
from safetensors.torch import load_file, save, save_file

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')

# torch dtype -> (safetensors name, the tensorgrad dtype it loads as)
DT = {
    torch.float32: ('F32', 'float32'),
    torch.float64: ('F64', 'float64'),
    torch.int64: ('I64', 'int64'),
    torch.int32: ('I32', 'int32'),
    torch.uint8: ('U8', 'uint8'),
    torch.bool: ('BOOL', 'bool'),
    torch.float16: ('F16', 'float32'),
    torch.bfloat16: ('BF16', 'float32'),
}

PLAIN = {
    'fc.weight': torch.tensor([[0.5, -1.25, 3.0], [1e-3, 2.0 ** -20, -7.75]], dtype=torch.float32),
    'fc.bias': torch.tensor([0.1, -0.2], dtype=torch.float32),
    'scale': torch.tensor(2.718281828459045, dtype=torch.float64),
    'steps': torch.tensor([0, -5, 2 ** 40, -(2 ** 50)], dtype=torch.int64),
    'grid': torch.tensor([[1, -2], [2 ** 31 - 1, -(2 ** 31)]], dtype=torch.int32),
    'pixels': torch.tensor([0, 127, 255], dtype=torch.uint8),
    'mask': torch.tensor([[True, False], [False, True]]),
    'empty': torch.zeros(0, 3, dtype=torch.float32),
    'layers.0.w': torch.arange(24, dtype=torch.float64).reshape(2, 3, 4) / 8,
}
HALF = {
    'half': torch.tensor([1.0, -0.5, 65504.0, 2.0 ** -24, 0.0], dtype=torch.float16),
    'brain': torch.tensor([1.0, -3.140625, 1e30], dtype=torch.bfloat16),
}
META = {'source': 'torch', 'note': 'line\nbreak "quoted" \u00e9'}


def describe(t):
    st, tg = DT[t.dtype]
    v = t.tolist() if t.dtype == torch.bool else t.to(torch.float64 if t.is_floating_point() else t.dtype).tolist()
    return {'dtype': st, 'tgDtype': tg, 'shape': list(t.shape), 'values': v}


def checkpoint_parts():
    """The nested checkpoint tensorgrad writes in fixtures_tg_safetensors.js, flattened."""
    flat = {f'model.{k}': v for k, v in PLAIN.items()}
    flat['optimizer.state.0.exp_avg'] = PLAIN['fc.weight'] * 0.5
    flat['optimizer.state.0.step'] = torch.tensor(3.0)
    structure = {
        'model': {k: {'__tensor__': f'model.{k}'} for k in PLAIN},
        'optimizer': {
            'state': {'0': {'step': {'__tensor__': 'optimizer.state.0.step'},
                            'exp_avg': {'__tensor__': 'optimizer.state.0.exp_avg'}}},
            'paramGroups': [{'lr': 0.001, 'betas': [0.9, 0.999], 'amsgrad': False, 'params': [0], 'name': None}],
        },
        'epoch': 3,
        'best': {'__number__': 'Infinity'},
    }
    return flat, structure


def main():
    os.makedirs(OUT, exist_ok=True)
    everything = {**PLAIN, **HALF}
    save_file(everything, os.path.join(OUT, 'torch_written.safetensors'), metadata=META)
    save_file(PLAIN, os.path.join(OUT, 'torch_plain.safetensors'), metadata=META)
    spec = {'metadata': META, 'tensors': {k: describe(v) for k, v in everything.items()}, 'plain': list(PLAIN)}
    with open(os.path.join(OUT, 'torch_written.json'), 'w') as f:
        json.dump(spec, f)
        f.write('\n')
    print('wrote torch_written.safetensors, torch_plain.safetensors, torch_written.json')

    tg_path = os.path.join(OUT, 'tg_written.safetensors')
    if not os.path.exists(tg_path):
        print('no tg_written.safetensors yet: run node scripts/fixtures_tg_safetensors.js, then this again')
        return
    flat, structure = checkpoint_parts()
    loaded = load_file(tg_path)
    assert set(loaded) == set(flat), (sorted(loaded), sorted(flat))
    for k, v in flat.items():
        assert loaded[k].dtype == v.dtype and loaded[k].shape == v.shape, k
        assert torch.equal(loaded[k], v), k
    with open(tg_path, 'rb') as f:
        raw = f.read()
    from safetensors import safe_open
    with safe_open(tg_path, framework='pt') as f:
        meta = f.metadata()
    assert json.loads(meta['tensorgrad.structure']) == structure, meta
    same = save(flat, metadata={'tensorgrad.structure': json.dumps(structure, separators=(',', ':'))})
    assert raw == same, 'tg_written.safetensors differs from the bytes safetensors writes'
    print('tg_written.safetensors: read by safetensors.torch, values and structure match, bytes identical')


if __name__ == '__main__':
    main()
