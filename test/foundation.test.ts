// The foundation's ops against PyTorch (test/fixtures/foundation.json, written by
// scripts/fixtures_foundation.py): values, shapes, dtypes, grad_fn names, and the gradients
// of (out * w).sum() with w = 1, 2, 3, ... in the output's shape.
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';

interface Case {
  inputs: { data: unknown; shape: number[]; dtype: tg.DType }[];
  out: unknown;
  shape: number[];
  dtype: tg.DType;
  grad_fn: string | null;
  grads?: (unknown | null)[];
}

const fixtures: Record<string, Case> = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'foundation.json'), 'utf8'),
);

// Each fixture's call, spelled in tensorgrad (the Python is in scripts/fixtures_foundation.py).
const calls: Record<string, (...a: Tensor[]) => Tensor> = {
  add: (a, b) => a.add(b),
  'add broadcast': (a, b) => a.add(b),
  'add alpha': (a, b) => tg.add(a, b, { alpha: 2.5 }),
  'add number': (a) => a.add(2.5),
  'sub 0-d': (a, b) => a.sub(b),
  'rsub number': (a) => tg.sub(10, a),
  'mul transposed': (a, b) => a.t().mul(b.t()),
  div: (a, b) => a.div(b),
  'rdiv number': (a) => tg.div(1, a),
  'pow number': (a) => a.pow(3),
  'pow tensor': (a, b) => a.pow(b),
  'pow number base': (a) => tg.pow(2, a),
  maximum: (a, b) => tg.maximum(a, b),
  neg: (a) => a.neg(),
  exp: (a) => a.exp(),
  log: (a) => a.log(),
  sqrt: (a) => a.sqrt(),
  abs: (a) => a.abs(),
  relu: (a) => a.relu(),
  sin: (a) => a.sin(),
  cos: (a) => a.cos(),
  tanh: (a) => a.tanh(),
  sigmoid: (a) => a.sigmoid(),
  clamp: (a) => a.clamp(-0.5, 0.6),
  where: (a, b) => tg.where(a.gt(0), a, b),
  sum: (a) => a.sum(),
  'sum dim': (a) => a.sum(1),
  'sum dims keepdim': (a) => a.sum([0, 2], true),
  mean: (a) => a.mean(),
  'mean dim': (a) => a.mean(-1),
  mm: (a, b) => a.mm(b),
  'matmul batched broadcast': (a, b) => a.matmul(b),
  'matmul vector-matrix': (a, b) => a.matmul(b),
  'matmul matrix-vector': (a, b) => a.matmul(b),
  dot: (a, b) => a.dot(b),
  bmm: (a, b) => a.bmm(b),
  view: (a) => a.view(3, 2),
  'reshape copy': (a) => a.t().reshape(6),
  transpose: (a) => a.transpose(0, 2),
  permute: (a) => a.permute(2, 0, 1),
  expand: (a) => a.expand(2, 3, 4),
  squeeze: (a) => a.squeeze(),
  unsqueeze: (a) => a.unsqueeze(-1),
  'index select': (a) => a.index(1),
  'index slice step': (a) => a.index(':', '1::2'),
  'index newaxis ellipsis': (a) => a.index('...', null, 0),
  'index negative slice': (a) => a.index('-4:-1'),
  'int64 * float32 -> float32': (a, b) => a.mul(b),
  'float32 * float64 -> float64': (a, b) => a.mul(b),
  'int64 + 2.5 -> float32': (a) => a.add(2.5),
  'int64 / int64 -> float32': (a, b) => a.div(b),
  'int64 * float64 0-d -> float64': (a, b) => a.mul(b),
};

function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v as number];
}

function expectClose(got: unknown, want: unknown, tol: number): void {
  const g = flat(got);
  const w = flat(want);
  expect(g.length).toBe(w.length);
  g.forEach((x, i) => {
    if (Number.isNaN(w[i])) expect(Number.isNaN(x)).toBe(true);
    else expect(Math.abs(x - w[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w[i])));
  });
}

test('every fixture has a call and every call a fixture', () => {
  expect(Object.keys(calls).sort()).toEqual(Object.keys(fixtures).sort());
});

describe.each(Object.entries(fixtures))('%s', (name, c) => {
  test('values, shape, dtype, grad_fn and gradients match PyTorch', () => {
    const inputs = c.inputs.map((i) => {
      const t = tg.tensor(i.data as number[], { dtype: i.dtype });
      return i.dtype.startsWith('float') ? t.requiresGrad_() : t;
    });
    const y = calls[name](...inputs);
    const tol = c.dtype === 'float32' ? 1e-6 : 1e-12;
    expect(y.shape).toEqual(c.shape);
    expect(y.dtype).toBe(c.dtype);
    expectClose(y.toArray(), c.out, tol);
    expect(y.gradFn ? y.gradFn.name : null).toBe(c.grad_fn);
    if (c.grads) {
      const w = tg.arange(1, y.numel() + 1, { dtype: y.dtype }).reshape(y.shape);
      y.mul(w).sum().backward();
      c.grads.forEach((g, k) => {
        if (g === null) expect(inputs[k].grad).toBeNull();
        else expectClose(inputs[k].grad!.toArray(), g, tol * 10);
      });
    }
  });
});
