"""PyTorch reference values for test/data.test.ts -> test/fixtures/data.json.

Permutations of seeded generators (torch.randperm), DataLoader batch orders with a seeded
generator over several epochs, random_split index lists, default_collate results, and (when
Debian's dataset-fashion-mnist is installed) a few facts about the Fashion-MNIST files, read
here with gzip/struct so the check is independent of tensorgrad's IDX reader.
"""
import gzip
import json
import os
import struct

import torch
from torch.utils.data import DataLoader, TensorDataset, random_split
from torch.utils.data._utils.collate import default_collate

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'data.json')
FMNIST = '/usr/share/datasets/fashion-mnist'


def enc(x):
    """Tensors as {dtype, shape, values}; lists, tuples and dicts recursively."""
    if isinstance(x, torch.Tensor):
        return {'dtype': str(x.dtype).replace('torch.', ''), 'shape': list(x.shape), 'values': x.tolist()}
    if isinstance(x, (list, tuple)):
        return [enc(v) for v in x]
    if isinstance(x, dict):
        return {k: enc(v) for k, v in x.items()}
    return x


def gen(seed):
    return torch.Generator().manual_seed(seed)


def loader_epochs(n, epochs, **kw):
    dl = DataLoader(TensorDataset(torch.arange(n)), **kw)
    return [[b[0].tolist() for b in dl] for _ in range(epochs)]


def main():
    out = {}
    out['randperm'] = [
        {'seed': str(s), 'n': n, 'perm': torch.randperm(n, generator=gen(s)).tolist()}
        for s in [0, 1, 42, 2 ** 40 + 5, 2 ** 63 + 11]
        for n in [1, 2, 10, 37]
    ]
    g = torch.Generator().manual_seed(123)
    out['randpermSequence'] = {'seed': 123, 'perms': [torch.randperm(6, generator=g).tolist() for _ in range(3)]}
    out['defaultSeed'] = torch.randperm(12, generator=torch.Generator()).tolist()

    out['loader'] = [
        {'n': 10, 'batchSize': 3, 'shuffle': True, 'dropLast': False, 'seed': 7,
         'epochs': loader_epochs(10, 3, batch_size=3, shuffle=True, generator=gen(7))},
        {'n': 10, 'batchSize': 4, 'shuffle': True, 'dropLast': True, 'seed': 0,
         'epochs': loader_epochs(10, 2, batch_size=4, shuffle=True, drop_last=True, generator=gen(0))},
        {'n': 5, 'batchSize': 2, 'shuffle': False, 'dropLast': False, 'seed': 3,
         'epochs': loader_epochs(5, 2, batch_size=2, shuffle=False, generator=gen(3))},
    ]
    # A generator shared by random_split and the loader, as a training script would.
    g = gen(2024)
    train, val = random_split(range(20), [0.75, 0.25], generator=g)
    dl = DataLoader(TensorDataset(torch.tensor(list(train))), batch_size=5, shuffle=True, generator=g)
    out['shared'] = {'seed': 2024, 'n': 20, 'fractions': [0.75, 0.25],
                     'train': list(train.indices), 'val': list(val.indices),
                     'epochs': [[b[0].tolist() for b in dl] for _ in range(2)]}

    out['split'] = []
    for n, lengths, seed in [(10, [3, 7], 42), (11, [0.3, 0.3, 0.4], 1), (5, [0.5, 0.5], 0), (7, [0.1, 0.9], 5)]:
        parts = random_split(range(n), lengths, generator=gen(seed))
        out['split'].append({'n': n, 'lengths': lengths, 'seed': seed, 'indices': [list(p.indices) for p in parts]})

    batch = [
        {'x': torch.tensor([1.0, 2.0]), 'y': 3, 'z': 0.5, 'b': True, 's': 'a', 'pair': (1, 2.5), 'nested': {'m': torch.tensor([[1, 2]])}},
        {'x': torch.tensor([3.0, 4.0]), 'y': 4, 'z': 1.5, 'b': False, 's': 'b', 'pair': (2, 3.5), 'nested': {'m': torch.tensor([[3, 4]])}},
        {'x': torch.tensor([5.0, 6.0]), 'y': -1, 'z': -2.25, 'b': True, 's': 'c', 'pair': (3, 4.0), 'nested': {'m': torch.tensor([[5, 6]])}},
    ]
    out['collate'] = {'result': enc(default_collate(batch))}
    out['collateTuples'] = enc(default_collate([(torch.tensor(1.5), 0), (torch.tensor(2.5), 1)]))

    if os.path.isdir(FMNIST):
        facts = {}
        for split in ['train', 't10k']:
            with gzip.open(os.path.join(FMNIST, f'{split}-labels-idx1-ubyte.gz')) as f:
                raw = f.read()
            n = struct.unpack('>I', raw[4:8])[0]
            labels = list(raw[8:])
            with gzip.open(os.path.join(FMNIST, f'{split}-images-idx3-ubyte.gz')) as f:
                img = f.read()
            dims = struct.unpack('>III', img[4:16])
            first = img[16:16 + 784]
            facts[split] = {'n': n, 'dims': list(dims), 'firstLabels': labels[:20],
                            'classCounts': [labels.count(c) for c in range(10)],
                            'firstImageSum': sum(first), 'firstImageRow14': list(first[14 * 28:15 * 28]),
                            'pixelSum': sum(img[16:])}
        out['fashionMnist'] = facts

    with open(OUT, 'w') as f:
        json.dump(out, f)
        f.write('\n')
    print('wrote', OUT)


if __name__ == '__main__':
    main()
