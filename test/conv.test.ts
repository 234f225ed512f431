/**
 * Convolutions against PyTorch: forward values, gradients, second derivatives and grad_fn
 * names from test/fixtures/conv.json (made by scripts/fixtures_conv.py), PyTorch's error
 * messages, and the kernel's batch split (same numbers on one thread and on several).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo } from './helpers/make';
import { errorOf } from './helpers/check';

const F = tg.nn.functional;

interface FixtureInput { data: unknown; dtype: 'float64' | 'float32'; requiresGrad: boolean }
interface FixtureCase {
  name: string;
  inputs: (FixtureInput | null)[];
  out: unknown;
  shape: number[];
  gradFn: string | null;
  R: unknown;
  grads: (unknown | null)[];
  R2?: unknown;
  double?: (unknown | null)[];
  doubleGradFn?: string;
}
interface SweepRun {
  fn: 'conv1d' | 'conv2d' | 'convTranspose1d' | 'convTranspose2d';
  opts: { stride: number[]; padding: number[]; dilation: number[]; groups: number; output_padding?: number[] };
  x: unknown; w: unknown; b: unknown | null;
  out: unknown; shape: number[];
  gx: unknown; gw: unknown; gb: unknown | null;
}
const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'conv.json'), 'utf8')) as {
  cases: FixtureCase[];
  sweep: SweepRun[];
  errors: Record<string, { type: string; message: string }>;
};

type Fn = (...a: (Tensor | null)[]) => Tensor;
const T = (x: Tensor | null): Tensor => x as Tensor;
const CALLS: Record<string, Fn> = {
  'conv2d bias': (x, w, b) => F.conv2d(T(x), T(w), b),
  'conv2d stride 2 padding 1': (x, w, b) => F.conv2d(T(x), T(w), b, { stride: 2, padding: 1 }),
  'conv2d stride [2,1] padding [1,2] dilation [2,1]': (x, w, b) => F.conv2d(T(x), T(w), b, { stride: [2, 1], padding: [1, 2], dilation: [2, 1] }),
  'conv2d groups 2': (x, w, b) => F.conv2d(T(x), T(w), b, { groups: 2 }),
  'conv2d depthwise groups 3 padding 1': (x, w) => F.conv2d(T(x), T(w), null, { padding: 1, groups: 3 }),
  'conv2d same even kernel': (x, w, b) => F.conv2d(T(x), T(w), b, { padding: 'same' }),
  'conv2d same dilation 2': (x, w) => F.conv2d(T(x), T(w), null, { padding: 'same', dilation: 2 }),
  'conv2d valid': (x, w) => F.conv2d(T(x), T(w), undefined, { padding: 'valid' }),
  'conv2d unbatched': (x, w, b) => F.conv2d(T(x), T(w), b, { padding: 1 }),
  'conv2d 1x1': (x, w, b) => F.conv2d(T(x), T(w), b),
  'conv2d float32 no bias': (x, w) => F.conv2d(T(x), T(w), null, { stride: 2 }),
  'conv2d weight only': (x, w) => F.conv2d(T(x), T(w)),
  'conv1d bias': (x, w, b) => F.conv1d(T(x), T(w), b),
  'conv1d stride 2 padding 2 dilation 2 groups 2': (x, w, b) => F.conv1d(T(x), T(w), b, { stride: 2, padding: 2, dilation: 2, groups: 2 }),
  'conv1d same even kernel': (x, w) => F.conv1d(T(x), T(w), null, { padding: 'same' }),
  'conv1d unbatched': (x, w) => F.conv1d(T(x), T(w)),
  'convTranspose2d bias': (x, w, b) => F.convTranspose2d(T(x), T(w), b),
  'convTranspose2d stride 2 padding 1 outputPadding 1': (x, w, b) => F.convTranspose2d(T(x), T(w), b, { stride: 2, padding: 1, outputPadding: 1 }),
  'convTranspose2d groups 2 dilation 2 stride [2,1]': (x, w) => F.convTranspose2d(T(x), T(w), null, { stride: [2, 1], groups: 2, dilation: 2 }),
  'convTranspose2d unbatched float32': (x, w) => F.convTranspose2d(T(x), T(w), null, { stride: 2 }),
  'convTranspose1d stride 3 outputPadding 2': (x, w, b) => F.convTranspose1d(T(x), T(w), b, { stride: 3, outputPadding: 2, padding: 1 }),
  'convTranspose1d unbatched': (x, w) => F.convTranspose1d(T(x), T(w)),
};

function leaves(c: FixtureCase): (Tensor | null)[] {
  return c.inputs.map((i) => {
    if (i === null) return null;
    const x = tg.tensor(i.data as number[], { dtype: i.dtype });
    return i.requiresGrad ? x.requiresGrad_() : x;
  });
}

describe('forward, gradients and grad_fn against PyTorch (fixtures/conv.json)', () => {
  test('every fixture case has a call', () => {
    expect(fixtures.cases.map((c) => c.name).filter((n) => !(n in CALLS))).toEqual([]);
  });
  test.each(fixtures.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const args = leaves(c);
    const out = CALLS[name](...args);
    const tol = out.dtype === 'float32' ? 2e-5 : 1e-9;
    expect(out.shape).toEqual(c.shape);
    closeTo(out.toArray(), c.out, tol);
    expect(out.gradFn?.name ?? null).toBe(c.gradFn);
    const req = args.filter((a): a is Tensor => a !== null && a.requiresGrad);
    const loss = out.mul(tg.tensor(c.R as number[], { dtype: out.dtype })).sum();
    const grads = tg.autograd.grad(loss, req, { createGraph: c.double !== undefined });
    let k = 0;
    c.grads.forEach((g) => {
      if (g !== null) closeTo(grads[k++]!.toArray(), g, tol);
    });
    if (c.double) {
      const g0 = grads[0]!;
      expect(g0.gradFn?.name).toBe(c.doubleGradFn);
      const second = tg.autograd.grad(g0.mul(tg.tensor(c.R2 as number[], { dtype: g0.dtype })).sum(), req, { allowUnused: true });
      let j = 0;
      c.double.forEach((g, i) => {
        if (args[i] === null || !args[i]!.requiresGrad) return;
        const got = second[j++];
        if (g === null) expect(got).toBeNull();
        else closeTo(got!.toArray(), g, 1e-9);
      });
    }
  });
  test("padding 'same' with an even kernel pads the input first, as PyTorch (ConstantPadNdBackward0)", () => {
    const x = tg.randn([1, 2, 5, 4], { dtype: 'float64' }).requiresGrad_();
    const y = F.conv2d(x, tg.randn([3, 2, 2, 4], { dtype: 'float64' }), null, { padding: 'same' });
    expect(y.shape).toEqual([1, 3, 5, 4]);
    expect(y.gradFn!.nextFunctions[0][0]!.name).toBe('ConstantPadNdBackward0');
  });
});

describe('a seeded sweep of geometries against PyTorch (fixtures/conv.json)', () => {
  test.each(fixtures.sweep.map((r, i) => [i, r.fn, JSON.stringify(r.opts), r] as const))('#%i %s %s', (_i, fn, _o, r) => {
    const leaf = (v: unknown): Tensor => tg.tensor(v as number[], { dtype: 'float64' }).requiresGrad_();
    const x = leaf(r.x), w = leaf(r.w), b = r.b === null ? null : leaf(r.b);
    const { stride, padding, dilation, groups } = r.opts;
    const out = fn === 'conv1d' ? F.conv1d(x, w, b, { stride, padding, dilation, groups })
      : fn === 'conv2d' ? F.conv2d(x, w, b, { stride, padding, dilation, groups })
      : fn === 'convTranspose1d' ? F.convTranspose1d(x, w, b, { stride, padding, dilation, groups, outputPadding: r.opts.output_padding })
      : F.convTranspose2d(x, w, b, { stride, padding, dilation, groups, outputPadding: r.opts.output_padding });
    expect(out.shape).toEqual(r.shape);
    closeTo(out.toArray(), r.out, 1e-9);
    // The script's upstream weights: cos(i + 0.5) + 0.5 over the output, row-major.
    const R = tg.tensor(Array.from({ length: out.numel() }, (_, i) => Math.cos(i + 0.5) + 0.5), { dtype: 'float64' }).reshape(out.shape);
    out.mul(R).sum().backward();
    closeTo(x.grad!.toArray(), r.gx, 1e-9);
    closeTo(w.grad!.toArray(), r.gw, 1e-9);
    if (b !== null) closeTo(b.grad!.toArray(), r.gb, 1e-9);
  });
});

describe('errors like PyTorch', () => {
  const E = fixtures.errors;
  const r = (...shape: number[]): Tensor => tg.randn(shape);
  const r64 = (...shape: number[]): Tensor => tg.randn(shape, { dtype: 'float64' });
  const cases: [string, () => unknown, string][] = [
    ['conv2d rank', () => F.conv2d(r(5, 5), r(6, 3, 3, 3)), 'ShapeError'],
    ['conv2d rank 5', () => F.conv2d(r(1, 1, 2, 5, 5), r(6, 3, 3, 3)), 'ShapeError'],
    ['conv1d rank', () => F.conv1d(r(5), r(2, 1, 3)), 'ShapeError'],
    ['convTranspose1d rank', () => F.convTranspose1d(r(4, 5, 5, 3), r(4, 2, 3)), 'ShapeError'],
    ['conv2d channels', () => F.conv2d(r(2, 4, 5, 5), r(6, 3, 3, 3)), 'ShapeError'],
    ['conv2d channels unbatched', () => F.conv2d(r(4, 5, 5), r(6, 3, 3, 3)), 'ShapeError'],
    ['conv2d kernel too large', () => F.conv2d(r(2, 3, 2, 2), r(6, 3, 3, 3)), 'ShapeError'],
    ['conv1d kernel too large', () => F.conv1d(r(2, 4, 2), r(6, 4, 3)), 'ShapeError'],
    ['conv2d groups divide', () => F.conv2d(r(2, 4, 5, 5), r(6, 2, 3, 3), null, { groups: 4 }), 'ShapeError'],
    ['conv2d bias size', () => F.conv2d(r(2, 4, 5, 5), r(6, 2, 3, 3), r(5), { groups: 2 }), 'ShapeError'],
    ['conv2d dtype', () => F.conv2d(r(2, 4, 5, 5), r64(6, 4, 3, 3)), 'DTypeError'],
    ['conv2d bias dtype', () => F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), r64(6)), 'DTypeError'],
    ['conv2d same strided', () => F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), null, { stride: 2, padding: 'same' }), 'ValueError'],
    ['conv2d padding string', () => F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), null, { padding: 'foo' as 'same' }), 'ValueError'],
    ['conv2d stride 0', () => F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), null, { stride: 0 }), 'ValueError'],
    ['conv2d negative padding', () => F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), null, { padding: -1 }), 'ValueError'],
    ['conv2d dilation 0', () => F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), null, { dilation: 0 }), 'ValueError'],
    ['conv2d groups 0', () => F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), null, { groups: 0 }), 'ValueError'],
    ['conv2d stride list', () => F.conv2d(r(2, 4, 5, 5), r(6, 4, 3, 3), null, { stride: [1, 1, 1] }), 'ValueError'],
    ['conv1d weight rank', () => F.conv1d(r(2, 4, 5), r(6, 4, 3, 3)), 'ShapeError'],
    ['conv2d empty weight', () => F.conv2d(r(2, 4, 5, 5), r(0, 4, 3, 3)), 'ShapeError'],
    ['convTranspose2d channels', () => F.convTranspose2d(r(2, 4, 5, 5), r(3, 2, 3, 3)), 'ShapeError'],
    ['convTranspose2d bias size', () => F.convTranspose2d(r(2, 4, 5, 5), r(4, 2, 3, 3), r(3)), 'ShapeError'],
    ['convTranspose2d outputPadding', () => F.convTranspose2d(r(2, 4, 5, 5), r(4, 2, 3, 3), null, { stride: 2, outputPadding: 2 }), 'ValueError'],
    ['convTranspose2d output too small', () => F.convTranspose2d(r(2, 4, 5, 5), r(4, 2, 3, 3), null, { padding: 5 }), 'ShapeError'],
    ['convTranspose2d groups divide', () => F.convTranspose2d(r(4, 5, 5), r(4, 2, 3, 3), null, { groups: 3 }), 'ShapeError'],
  ];
  test('every fixture error has a call', () => {
    expect(Object.keys(E).filter((k) => !cases.some((c) => c[0] === k))).toEqual([]);
  });
  test.each(cases)('%s', (key, f, name) => {
    const err = errorOf(f);
    expect(err.name).toBe(name);
    expect(err.message).toBe(E[key].message);
  });
  test('integer inputs, non-tensor arguments and string padding of transposed convolutions', () => {
    const li = tg.ones([1, 1, 3, 3], { dtype: 'int64' });
    expect(errorOf(() => F.conv2d(li, li)).name).toBe('NotImplementedError');
    expect(errorOf(() => F.conv2d([1, 2] as unknown as Tensor, r(1, 1, 1, 1))).name).toBe('ArgumentTypeError');
    expect(errorOf(() => F.conv2d(r(1, 1, 3, 3), r(1, 1, 1, 1), null, { stride: 1.5 })).name).toBe('ArgumentTypeError');
    const e = errorOf(() => F.convTranspose2d(r(1, 1, 3, 3), r(1, 1, 1, 1), null, { padding: 'same' as unknown as number }));
    expect(e.message).toBe("conv_transpose2d(): argument 'padding' must be tuple of ints, not str");
  });
});

describe('behaviour', () => {
  test('an empty batch gives an empty output and zero weight gradient', () => {
    const w = tg.randn([3, 2, 3, 3]).requiresGrad_();
    const y = F.conv2d(tg.randn([0, 2, 5, 5]), w);
    expect(y.shape).toEqual([0, 3, 3, 3]);
    y.sum().backward();
    expect(w.grad!.abs().sum().item()).toBe(0);
  });
  test('the batch split over threads gives the same numbers as one thread', () => {
    tg.manualSeed(1);
    // Big enough to be split (csrc/cpu/conv_kernels.cpp kParallelMacs), odd batch.
    const o = { dtype: 'float64' as const };
    const x = tg.randn([7, 8, 12, 12], o), w = tg.randn([16, 8, 3, 3], o), gy = tg.randn([7, 16, 10, 10], o);
    const run = (): unknown[] => {
      const xl = x.detach().requiresGrad_(), wl = w.detach().requiresGrad_();
      const y = F.conv2d(xl, wl, null, {});
      y.backward(gy);
      return [y, xl.grad!, wl.grad!].map((t) => t.toArray());
    };
    const prev = tg.getNumThreads();
    try {
      tg.setNumThreads(1);
      const one = run();
      tg.setNumThreads(Math.max(2, prev));
      const many = run();
      closeTo(many, one, 1e-10);
    } finally {
      tg.setNumThreads(prev);
    }
  });
  test('a training step inside tidy leaves no tensor memory behind (buffers, saved tensors, double backward)', () => {
    const w = tg.randn([4, 2, 3, 3], { dtype: 'float64' }).requiresGrad_(), b = tg.zeros([4], { dtype: 'float64' }).requiresGrad_();
    const x = tg.randn([3, 2, 6, 6], { dtype: 'float64' });
    const step = (): void => {
      tg.tidy(() => {
        const y = F.convTranspose2d(F.conv2d(x, w, b, { padding: 1 }).relu(), w, null, { stride: 2 });
        const [gw] = tg.autograd.grad(y.square().sum(), [w], { createGraph: true });
        gw!.square().sum().backward();
      });
      w.grad!.dispose();
      w.grad = null;
      b.grad?.dispose();
      b.grad = null;
    };
    step();
    const before = tg.memoryStats();
    for (let i = 0; i < 3; i++) step();
    const after = tg.memoryStats();
    expect(after.liveBytes).toBe(before.liveBytes);
    expect(after.liveTensors).toBe(before.liveTensors);
  });
  test('non-contiguous weight and a broadcast gradient', () => {
    const x = tg.randn([2, 3, 4, 4], { dtype: 'float64' });
    const wc = tg.randn([3, 3, 2, 2], { dtype: 'float64' });
    const wt = wc.transpose(0, 1).contiguous().transpose(0, 1); // same values, non-contiguous
    expect(wt.isContiguous()).toBe(false);
    closeTo(F.conv2d(x, wt).toArray(), F.conv2d(x, wc).toArray(), 1e-12);
    const xl = x.detach().requiresGrad_();
    F.conv2d(xl, wc).sum().backward(); // the gradient reaching the node is a stride-0 expand
    const ones = tg.ones([2, 3, 3, 3], { dtype: 'float64' });
    const ref = F.convTranspose2d(ones, wc);
    closeTo(xl.grad!.toArray(), ref.toArray(), 1e-12);
  });
});
