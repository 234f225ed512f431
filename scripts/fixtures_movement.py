"""Writes test/fixtures/movement.json: forward values, grad_fn names and the gradients of
(out * w).sum() (w = 1, 2, 3, ... in out's shape) for the movement ops, from PyTorch.
Run with the bench venv: /work/main/bench/.venv/bin/python scripts/fixtures_movement.py
Each case names its inputs (float64 values, or int64 for repeats) and a call that
test/movement.test.ts spells the same way in camelCase."""
import json
import os
import torch

torch.set_default_dtype(torch.float64)


def x(*shape, transposed=False):
    n = 1
    for s in shape:
        n *= s
    t = (torch.arange(n, dtype=torch.float64) * 0.5 - 1.0).reshape(shape)
    return t


CASES = {
    # name: (inputs builder, call)
    'flatten': (lambda: [x(2, 3, 2)], lambda a: a.flatten()),
    'flatten(1,2)': (lambda: [x(2, 3, 2)], lambda a: a.flatten(1, 2)),
    'flatten 0-d': (lambda: [x()], lambda a: a.flatten()),
    'flatten transposed': (lambda: [x(3, 2)], lambda a: a.t().flatten()),
    'unflatten': (lambda: [x(3, 4)], lambda a: a.unflatten(1, (2, -1))),
    'swapaxes': (lambda: [x(2, 3, 2)], lambda a: a.swapaxes(0, -1)),
    'movedim': (lambda: [x(2, 3, 4)], lambda a: a.movedim((0, 1), (2, 0))),
    'movedim(-1,0)': (lambda: [x(2, 3, 4)], lambda a: a.movedim(-1, 0)),
    'mT': (lambda: [x(2, 3, 2)], lambda a: a.mT),
    'broadcastTo': (lambda: [x(3, 1)], lambda a: a.broadcast_to((2, 3, 2))),
    'narrow': (lambda: [x(2, 4)], lambda a: a.narrow(1, -3, 2)),
    'diagonal': (lambda: [x(3, 4)], lambda a: a.diagonal()),
    'diagonal(1)': (lambda: [x(3, 4)], lambda a: a.diagonal(1)),
    'diagonal(-1,2,0)': (lambda: [x(3, 2, 4)], lambda a: a.diagonal(-1, 2, 0)),
    'cat': (lambda: [x(2, 3), x(2, 2)], lambda a, b: torch.cat([a, b], 1)),
    'cat dim0': (lambda: [x(1, 3), x(2, 3)], lambda a, b: torch.cat([a, b])),
    'cat legacy empty': (lambda: [x(0), x(2, 2)], lambda a, b: torch.cat([a, b])),
    'stack': (lambda: [x(2, 3), x(2, 3)], lambda a, b: torch.stack([a, b])),
    'stack(-1)': (lambda: [x(2, 3), x(2, 3)], lambda a, b: torch.stack([a, b], -1)),
    'hstack 1-D': (lambda: [x(2), x(3)], lambda a, b: torch.hstack([a, b])),
    'hstack 2-D': (lambda: [x(2, 1), x(2, 2)], lambda a, b: torch.hstack([a, b])),
    'vstack': (lambda: [x(3), x(2, 3)], lambda a, b: torch.vstack([a, b])),
    'repeat': (lambda: [x(2, 2)], lambda a: a.repeat(2, 1, 3)),
    'repeat 0-d': (lambda: [x()], lambda a: a.repeat(3)),
    'tile': (lambda: [x(2, 3)], lambda a: a.tile((2,))),
    'tile(2,1,2)': (lambda: [x(2, 3)], lambda a: a.tile((2, 1, 2))),
    'repeatInterleave': (lambda: [x(2, 2)], lambda a: a.repeat_interleave(2)),
    'repeatInterleave dim': (lambda: [x(2, 3)], lambda a: a.repeat_interleave(2, dim=1)),
    'repeatInterleave tensor': (lambda: [x(3, 2)], lambda a: a.repeat_interleave(torch.tensor([2, 0, 3]), dim=0)),
    'flip': (lambda: [x(2, 3)], lambda a: a.flip(0, 1)),
    'flip(-1)': (lambda: [x(2, 3, 2)], lambda a: a.flip(-1)),
    'roll': (lambda: [x(2, 3)], lambda a: a.roll((1, -4), (0, 1))),
    'roll flat': (lambda: [x(2, 3)], lambda a: a.roll(4)),
    'rot90': (lambda: [x(2, 3)], lambda a: a.rot90()),
    'rot90(2)': (lambda: [x(2, 3)], lambda a: a.rot90(2)),
    'rot90(3,[1,0])': (lambda: [x(2, 3)], lambda a: a.rot90(3, (1, 0))),
    'rot90(0)': (lambda: [x(2, 3)], lambda a: a.rot90(0)),
    'tril': (lambda: [x(3, 4)], lambda a: a.tril()),
    'tril(-1)': (lambda: [x(2, 3, 3)], lambda a: a.tril(-1)),
    'triu': (lambda: [x(3, 4)], lambda a: a.triu()),
    'triu(2)': (lambda: [x(3, 4)], lambda a: a.triu(2)),
    'diag 1-D': (lambda: [x(3)], lambda a: a.diag()),
    'diag(-1) 1-D': (lambda: [x(3)], lambda a: a.diag(-1)),
    'diag 2-D': (lambda: [x(3, 4)], lambda a: a.diag()),
    'diag(1) 2-D': (lambda: [x(3, 4)], lambda a: a.diag(1)),
    'diagEmbed': (lambda: [x(2, 3)], lambda a: a.diag_embed()),
    'diagEmbed(1,0,2)': (lambda: [x(2, 3)], lambda a: a.diag_embed(1, 0, 2)),
    'trace': (lambda: [x(3, 4)], lambda a: a.trace()),
}


def plain(t):
    return t.tolist()


def main():
    out = {}
    for name, (mk, call) in CASES.items():
        inputs = mk()
        leaves = [i.clone().requires_grad_(True) for i in inputs]
        y = call(*leaves)
        w = torch.arange(1, y.numel() + 1, dtype=torch.float64).reshape(y.shape)
        (y * w).sum().backward()
        out[name] = {
            'inputs': [{'shape': list(i.shape), 'values': plain(i)} for i in inputs],
            'shape': list(y.shape),
            'values': plain(y.detach()),
            'gradFn': y.grad_fn.name() if y.grad_fn is not None else None,
            'isView': y._base is not None,
            'grads': [plain(l.grad) for l in leaves],
        }
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'movement.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=None, separators=(',', ':'))
        f.write('\n')
    print('wrote', len(out), 'cases to', os.path.normpath(path))


if __name__ == '__main__':
    main()
