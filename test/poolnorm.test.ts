/**
 * Pooling and normalization in tg.nn.functional against PyTorch: forward values, int64
 * indices, gradients of (out * R).sum(), grad_fn names and running statistics from
 * test/fixtures/poolnorm.json (made by scripts/fixtures_poolnorm.py), PyTorch's error
 * messages, and the autograd behaviour around batchNorm's running buffers.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo } from './helpers/make';
import { errorOf } from './helpers/check';

const F = tg.nn.functional;
const f64 = (data: unknown): Tensor => tg.tensor(data as number[], { dtype: 'float64' });

interface FixtureCase {
  name: string;
  inputs: { data: unknown; dtype: 'float64' | 'float32'; requiresGrad: boolean }[];
  out: unknown;
  shape: number[];
  gradFn: string | null;
  R: unknown;
  grads: (unknown | null)[];
  indices?: unknown;
  running?: Record<string, unknown>;
}

interface SweepRow {
  kind: 'max' | 'avg' | 'adaptiveMax' | 'adaptiveAvg';
  x: unknown;
  kernel?: number[];
  stride?: number[];
  padding?: number[];
  dilation?: number[];
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
  outputSize?: number[];
  out?: unknown;
  indices?: unknown;
  error?: string;
}

// The fixture writes non-finite numbers as strings (JSON has no literal for them).
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'poolnorm.json'), 'utf8'), (_k, v) =>
  typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v,
) as {
  cases: FixtureCase[];
  sequence: { inputs: number[][][][]; momentum: number; running: number[][][]; evalInput: unknown; evalOut: unknown };
  sweep: SweepRow[];
  errors: Record<string, { type: string; message: string }>;
};

type Result = Tensor | [Tensor, Tensor];
type Fn = (...a: Tensor[]) => Result;
const CALLS: Record<string, Fn> = {
  'maxPool2d k2': (x) => F.maxPool2d(x, 2),
  'maxPool2d k3 s2 p1 ceil indices': (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, returnIndices: true }),
  'maxPool2d k[2,3] s[1,2] p1 dilation 2': (x) => F.maxPool2d(x, [2, 3], { stride: [1, 2], padding: 1, dilation: 2 }),
  'maxPool2d unbatched k2 s1 indices': (x) => F.maxPool2d(x, 2, { stride: 1, returnIndices: true }),
  'maxPool2d nan and -inf windows': (x) => F.maxPool2d(x, 2, { returnIndices: true }),
  'maxPool2d float32 k3 s1 p1': (x) => F.maxPool2d(x, 3, { stride: 1, padding: 1 }),
  'maxPool1d k3 s2 p1 indices': (x) => F.maxPool1d(x, 3, { stride: 2, padding: 1, returnIndices: true }),
  'maxPool1d unbatched k2 dilation 2 ceil': (x) => F.maxPool1d(x, 2, { stride: 2, dilation: 2, ceilMode: true }),
  'avgPool2d k3 s2 p1': (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1 }),
  'avgPool2d k3 s2 p1 ceil no pad count': (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  'avgPool2d k3 s2 p1 ceil count pad': (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
  'avgPool2d k[2,3] divisorOverride 5': (x) => F.avgPool2d(x, [2, 3], { divisorOverride: 5 }),
  'avgPool2d unbatched k2': (x) => F.avgPool2d(x, 2),
  'avgPool2d float32 k2 s1': (x) => F.avgPool2d(x, 2, { stride: 1 }),
  'avgPool1d k3 s2 p1 ceil no pad count': (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  'avgPool1d unbatched k4 s3': (x) => F.avgPool1d(x, 4, { stride: 3 }),
  'adaptiveAvgPool2d [3,4]': (x) => F.adaptiveAvgPool2d(x, [3, 4]),
  'adaptiveAvgPool2d 1': (x) => F.adaptiveAvgPool2d(x, 1),
  'adaptiveAvgPool2d [null,2]': (x) => F.adaptiveAvgPool2d(x, [null, 2]),
  'adaptiveAvgPool2d unbatched 5 upsampling': (x) => F.adaptiveAvgPool2d(x, 5),
  'adaptiveAvgPool1d 4': (x) => F.adaptiveAvgPool1d(x, 4),
  'adaptiveMaxPool2d [3,2] indices': (x) => F.adaptiveMaxPool2d(x, [3, 2], { returnIndices: true }),
  'adaptiveMaxPool1d 3 indices': (x) => F.adaptiveMaxPool1d(x, 3, { returnIndices: true }),
  'batchNorm eval [4,3] weight bias': (x, rm, rv, w, b) => F.batchNorm(x, rm, rv, { weight: w, bias: b }),
  'batchNorm training [4,3,5] weight bias momentum 0.2': (x, rm, rv, w, b) =>
    F.batchNorm(x, rm, rv, { weight: w, bias: b, training: true, momentum: 0.2 }),
  'batchNorm training [2,3,4,4] eps 1e-3': (x, rm, rv) => F.batchNorm(x, rm, rv, { training: true, eps: 1e-3 }),
  'batchNorm eval [2,3,4,4] weight only': (x, rm, rv, w) => F.batchNorm(x, rm, rv, { weight: w, training: false }),
  'batchNorm training without running stats': (x, b) => F.batchNorm(x, null, null, { bias: b, training: true }),
  'batchNorm float32 training [3,3,4]': (x, rm, rv) => F.batchNorm(x, rm, rv, { training: true }),
  'groupNorm G2 [2,4,3] weight bias': (x, w, b) => F.groupNorm(x, 2, { weight: w, bias: b }),
  'groupNorm G1 [2,3,2,2] weight': (x, w) => F.groupNorm(x, 1, { weight: w }),
  'groupNorm G=C [2,4,5] eps 1e-3': (x) => F.groupNorm(x, 4, { eps: 1e-3 }),
  'groupNorm 2-D [3,6] G3 weight bias': (x, w, b) => F.groupNorm(x, 3, { weight: w, bias: b }),
  'groupNorm float32 [2,4,3] G2': (x) => F.groupNorm(x, 2),
  'instanceNorm [2,3,5] weight bias': (x, w, b) => F.instanceNorm(x, { weight: w, bias: b }),
  'instanceNorm running stats [2,3,4,4] momentum 0.3': (x, rm, rv) => F.instanceNorm(x, { runningMean: rm, runningVar: rv, momentum: 0.3 }),
  'instanceNorm with running stats only': (x, rm, rv, w) =>
    F.instanceNorm(x, { runningMean: rm, runningVar: rv, weight: w, useInputStats: false }),
};

describe('forward, indices, gradients and running stats against PyTorch (fixtures/poolnorm.json)', () => {
  test('every fixture case has a call', () => {
    expect(fixtures.cases.map((c) => c.name).filter((n) => !(n in CALLS))).toEqual([]);
  });
  test.each(fixtures.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const args = c.inputs.map((i) => {
      const x = tg.tensor(i.data as number[], { dtype: i.dtype });
      return i.requiresGrad ? x.requiresGrad_() : x;
    });
    const res = CALLS[name](...args);
    const out = Array.isArray(res) ? res[0] : res;
    expect(Array.isArray(res)).toBe(c.indices !== undefined);
    const tol = out.dtype === 'float32' ? 2e-5 : 1e-10;
    expect(out.shape).toEqual(c.shape);
    closeTo(out.toArray(), c.out, tol);
    if (Array.isArray(res)) {
      expect(res[1].dtype).toBe('int64');
      expect(res[1].toArray()).toEqual(c.indices);
    }
    expect(out.gradFn?.name ?? null).toBe(c.gradFn);
    for (const [i, after] of Object.entries(c.running ?? {})) closeTo(args[Number(i)].toArray(), after, tol);
    if (c.grads.some((g) => g !== null)) {
      out.mul(tg.tensor(c.R as number[], { dtype: out.dtype })).sum().backward();
      c.grads.forEach((g, i) => {
        if (g !== null) closeTo(args[i].grad!.toArray(), g, tol);
      });
    }
  });
});

describe('a random sweep of 2-D pooling parameters (fixtures/poolnorm.json sweep)', () => {
  const run = (r: SweepRow): Result => {
    const x = f64(r.x);
    const o = { stride: r.stride, padding: r.padding, ceilMode: r.ceilMode };
    if (r.kind === 'max') return F.maxPool2d(x, r.kernel!, { ...o, dilation: r.dilation, returnIndices: true });
    if (r.kind === 'avg') return F.avgPool2d(x, r.kernel!, { ...o, countIncludePad: r.countIncludePad, divisorOverride: r.divisorOverride });
    if (r.kind === 'adaptiveMax') return F.adaptiveMaxPool2d(x, r.outputSize!, { returnIndices: true });
    return F.adaptiveAvgPool2d(x, r.outputSize!);
  };
  test.each(fixtures.sweep.map((r, i) => [i, r.kind, r] as const))('#%i %s', (_i, _k, r) => {
    if (r.error !== undefined) {
      expect(errorOf(() => run(r)).message).toContain(r.error);
      return;
    }
    const res = run(r);
    closeTo((Array.isArray(res) ? res[0] : res).toArray(), r.out, 1e-12);
    if (Array.isArray(res)) expect(res[1].toArray()).toEqual(r.indices);
  });
});

describe('batchNorm running statistics', () => {
  test('three training calls blend the running stats as PyTorch, then eval uses them', () => {
    const S = fixtures.sequence;
    const rm = tg.zeros([3], { dtype: 'float64' });
    const rv = tg.ones([3], { dtype: 'float64' });
    S.inputs.forEach((d, k) => {
      F.batchNorm(f64(d), rm, rv, { training: true, momentum: S.momentum });
      closeTo(rm.toArray(), S.running[k][0], 1e-12);
      closeTo(rv.toArray(), S.running[k][1], 1e-12);
    });
    closeTo(F.batchNorm(f64(S.evalInput), rm, rv).toArray(), S.evalOut, 1e-12);
  });
  test('the update is in place, outside the graph, and bumps the buffers version', () => {
    const rm = tg.zeros([2], { dtype: 'float64' });
    const rv = tg.ones([2], { dtype: 'float64' });
    const x = f64([[1, 2], [3, 5]]).requiresGrad_();
    const v0 = rm.version;
    const y = F.batchNorm(x, rm, rv, { training: true });
    expect(rm.version).toBeGreaterThan(v0);
    expect(rm.requiresGrad).toBe(false);
    expect(rm.gradFn).toBeNull();
    // mean [2, 3.5] with momentum 0.1; unbiased var [2, 4.5]: 0.9 + 0.1 * var
    closeTo(rm.toArray(), [0.2, 0.35], 1e-15);
    closeTo(rv.toArray(), [1.1, 1.35], 1e-15);
    expect(y.gradFn!.nextFunctions.length).toBe(3);
  });
  test('eval mode leaves the running stats alone and differentiates through them as constants', () => {
    const rm = f64([0.5, -1]);
    const rv = f64([4, 0.25]);
    const x = f64([[1, 2], [3, 5]]).requiresGrad_();
    const y = F.batchNorm(x, rm, rv, { eps: 0 });
    // (x - rm) / sqrt(rv)
    closeTo(y.toArray(), [[0.25, 6], [1.25, 12]], 1e-15);
    y.sum().backward();
    closeTo(x.grad!.toArray(), [[0.5, 2], [0.5, 2]], 1e-15);
    closeTo(rm.toArray(), [0.5, -1], 0);
  });
});

describe('double backward through the pooling adjoints and norms', () => {
  test('maxPool2d: grad of grad is a gather at the argmax (d/dg of the backward)', () => {
    const x = f64([[[[1, 5, 2, 0], [3, 4, 8, 6]]]]).requiresGrad_();
    const y = F.maxPool2d(x, 2);
    const g = f64([[[[2, 3]]]]).requiresGrad_();
    const gx = tg.autograd.grad([y], x, { gradOutputs: [g], createGraph: true });
    closeTo(gx.toArray(), [[[[0, 2, 0, 0], [0, 0, 3, 0]]]], 0);
    expect(gx.gradFn!.name).toBe('MaxPool2DWithIndicesBackwardBackward0');
    const gg = tg.autograd.grad([gx.mul(f64([[[[1, 10, 100, 1000], [1e4, 1e5, 1e6, 1e7]]]])).sum()], g);
    closeTo(gg.toArray(), [[[[10, 1e6]]]], 0);
  });
  test('avgPool2d: the adjoint of the adjoint is the pooling again', () => {
    const x = f64([[[[1, 2], [3, 4]]]]).requiresGrad_();
    const y = F.avgPool2d(x, 2);
    const g = f64([[[[4]]]]).requiresGrad_();
    const gx = tg.autograd.grad([y], x, { gradOutputs: [g], createGraph: true });
    closeTo(gx.toArray(), [[[[1, 1], [1, 1]]]], 0);
    expect(gx.gradFn!.name).toBe('AvgPool2DBackwardBackward0');
    const gg = tg.autograd.grad([gx.mul(f64([[[[1, 2], [3, 6]]]])).sum()], g);
    closeTo(gg.toArray(), [[[[3]]]], 1e-15);
  });
});

describe('max pooling windows that miss the input', () => {
  test('a dilated window entirely in the padding gives -inf, PyTorch\'s index and no gradient', () => {
    // PyTorch 2.x: F.max_pool2d(x [2,2,2,6], [2,3], [3,2], [1,0], [3,1]) -> every row window
    // reads rows -1 and 2 only: values -inf, indices [[12, 14]] (outside the 12-element plane).
    // PyTorch then scatters those gradients into neighbouring planes; ours are dropped.
    const x = tg.randn([2, 2, 2, 6], { dtype: 'float64' }).requiresGrad_();
    const [y, i] = F.maxPool2d(x, [2, 3], { stride: [3, 2], padding: [1, 0], dilation: [3, 1], returnIndices: true });
    expect(y.toArray()).toEqual([[[[-Infinity, -Infinity]], [[-Infinity, -Infinity]]], [[[-Infinity, -Infinity]], [[-Infinity, -Infinity]]]]);
    expect((i.toArray() as number[][][][])[0][0]).toEqual([[12, 14]]);
    y.sum().backward();
    expect(x.grad!.abs().sum().item()).toBe(0);
  });
});

describe('arguments', () => {
  test('returnIndices false gives one tensor; per-dim arrays of one entry repeat', () => {
    const x = tg.randn(1, 1, 4, 4);
    expect(F.maxPool2d(x, [2]).shape).toEqual([1, 1, 2, 2]);
    expect(F.avgPool2d(x, 2, { stride: [1] }).shape).toEqual([1, 1, 3, 3]);
    expect(F.adaptiveMaxPool2d(x, [null, 1]).shape).toEqual([1, 1, 4, 1]);
  });
  test('bad argument types name the op and the argument', () => {
    const x = tg.randn(1, 1, 4, 4);
    expect(errorOf(() => F.maxPool2d(x, 1.5)).message).toMatch(/max_pool2d\(\): argument 'kernel_size'/);
    expect(errorOf(() => F.avgPool2d(x, [1, 2, 3])).message).toMatch(/avg_pool2d\(\): kernel_size must either be a single int, or a tuple of 2 ints/);
    expect(errorOf(() => F.groupNorm(x, 0.5)).name).toBe('ArgumentTypeError');
    expect(errorOf(() => F.batchNorm([1, 2] as unknown as Tensor, null, null, { training: true })).name).toBe('ArgumentTypeError');
  });
  test('integer inputs are refused by name', () => {
    const x = tg.ones([1, 1, 2, 2], { dtype: 'int64' });
    expect(errorOf(() => F.avgPool2d(x, 2)).name).toBe('NotImplementedError');
    expect(errorOf(() => F.batchNorm(x, null, null, { training: true })).name).toBe('NotImplementedError');
  });
});

describe('errors like PyTorch', () => {
  const E = fixtures.errors;
  const x4 = tg.randn(2, 3, 7, 7);
  const x3 = tg.randn(2, 3, 7);
  const cases: [string, () => unknown, string][] = [
    ['maxPool2d padding too large', () => F.maxPool2d(x4, 2, { padding: 2 }), 'RuntimeError'],
    ['maxPool2d dilated padding too large', () => F.maxPool2d(x4, 2, { padding: 2, dilation: 2 }), 'RuntimeError'],
    ['maxPool2d negative padding', () => F.maxPool2d(x4, 2, { padding: -1 }), 'RuntimeError'],
    ['maxPool2d stride 0', () => F.maxPool2d(x4, 2, { stride: 0 }), 'RuntimeError'],
    ['maxPool2d kernel larger than input', () => F.maxPool2d(x4, 9), 'RuntimeError'],
    ['maxPool2d 1-D input', () => F.maxPool2d(tg.randn(7), 2), 'ShapeError'],
    ['maxPool1d 1-D input', () => F.maxPool1d(tg.randn(7), 2), 'ShapeError'],
    ['maxPool1d padding too large', () => F.maxPool1d(x3, 2, { padding: 2 }), 'RuntimeError'],
    ['avgPool2d padding too large', () => F.avgPool2d(x4, 2, { padding: 2 }), 'RuntimeError'],
    ['avgPool2d kernel larger than input', () => F.avgPool2d(x4, 9), 'RuntimeError'],
    ['avgPool2d divisorOverride 0', () => F.avgPool2d(x4, 2, { divisorOverride: 0 }), 'RuntimeError'],
    ['avgPool1d 4-D input', () => F.avgPool1d(x4, 2), 'ShapeError'],
    ['adaptiveAvgPool2d 1-D input', () => F.adaptiveAvgPool2d(tg.randn(7), 2), 'ShapeError'],
    ['adaptiveAvgPool2d negative size', () => F.adaptiveAvgPool2d(x4, -1), 'RuntimeError'],
    ['adaptiveAvgPool1d 4-D input', () => F.adaptiveAvgPool1d(x4, 2), 'ShapeError'],
    ['batchNorm one value per channel', () => F.batchNorm(tg.randn(1, 3), tg.zeros([3]), tg.ones([3]), { training: true }), 'ValueError'],
    ['batchNorm running_mean size', () => F.batchNorm(tg.randn(4, 3), tg.zeros([4]), tg.ones([3])), 'RuntimeError'],
    ['batchNorm running_var size', () => F.batchNorm(tg.randn(4, 3), tg.zeros([3]), tg.ones([2])), 'RuntimeError'],
    ['batchNorm weight size', () => F.batchNorm(tg.randn(4, 3), tg.zeros([3]), tg.ones([3]), { weight: tg.ones([4]) }), 'RuntimeError'],
    ['batchNorm bias size', () => F.batchNorm(tg.randn(4, 3), tg.zeros([3]), tg.ones([3]), { bias: tg.ones([2]) }), 'RuntimeError'],
    ['groupNorm groups not dividing channels', () => F.groupNorm(tg.randn(4, 6, 5), 4), 'RuntimeError'],
    ['groupNorm weight size', () => F.groupNorm(tg.randn(4, 6, 5), 3, { weight: tg.ones([5]) }), 'RuntimeError'],
    ['groupNorm 1-D input', () => F.groupNorm(tg.randn(4), 2), 'ShapeError'],
    ['instanceNorm one spatial element', () => F.instanceNorm(tg.randn(2, 3, 1)), 'ValueError'],
    ['instanceNorm no running stats in eval', () => F.instanceNorm(tg.randn(2, 3, 4), { useInputStats: false }), 'RuntimeError'],
  ];
  test('every fixture error is tried', () => {
    expect(Object.keys(E).filter((k) => !cases.some((c) => c[0] === k))).toEqual([]);
  });
  test.each(cases)('%s', (key, f, name) => {
    const err = errorOf(f);
    expect(err.name).toBe(name);
    // PyTorch prints a shape as torch.Size([1, 3]); ours as [1, 3]
    expect(err.message).toContain(E[key].message.replace(/torch\.Size\((\[[^\]]*\])\)/, '$1'));
  });
  test('our own checks: group bias size, rank of batchNorm, eval without running stats', () => {
    expect(errorOf(() => F.groupNorm(tg.randn(4, 6, 5), 3, { bias: tg.ones([5]) })).message).toContain(
      'Expected bias to be a vector of size equal to the number of channels in input, but got bias of shape [5]',
    );
    expect(errorOf(() => F.batchNorm(tg.randn(4), tg.zeros([4]), tg.ones([4]))).name).toBe('ShapeError');
    expect(errorOf(() => F.batchNorm(tg.randn(4, 3), null, null)).message).toMatch(/running_mean and running_var must be defined/);
    expect(errorOf(() => F.groupNorm(tg.randn(4, 6), -2)).name).toBe('ValueError');
  });
});

describe('batchNorm backward: the fused kernel and the differentiable formula agree', () => {
  // A plain backward runs the fused two-pass kernel; createGraph runs the formula in tensor
  // ops (so it can be differentiated again). Both must give the same gradients.
  test.each([
    ['training, affine', true, true],
    ['training, no weight', true, false],
    ['eval, affine', false, true],
  ])('%s', (_name, training, affine) => {
    tg.manualSeed(3);
    const x = tg.randn([4, 3, 5, 2], { dtype: 'float64' }).mul(2).add(0.5).requiresGrad_();
    const w = affine ? tg.randn([3], { dtype: 'float64' }).requiresGrad_() : null;
    const b = affine ? tg.randn([3], { dtype: 'float64' }).requiresGrad_() : null;
    const rm = tg.randn([3], { dtype: 'float64' });
    const rv = tg.rand([3], { dtype: 'float64' }).add(0.5);
    const upstream = tg.randn([4, 3, 5, 2], { dtype: 'float64' });
    const inputs = [x, ...(w && b ? [w, b] : [])];
    const grads = (createGraph: boolean) => {
      const y = F.batchNorm(x, rm.clone(), rv.clone(), { weight: w, bias: b, training });
      return tg.autograd.grad([y], inputs, { gradOutputs: [upstream], createGraph });
    };
    const fused = grads(false);
    const formula = grads(true);
    fused.forEach((g, i) => closeTo(g!.toArray(), formula[i]!.detach().toArray(), 1e-12));
  });
});
