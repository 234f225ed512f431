/**
 * tg.optim against PyTorch: parameter trajectories of SGD, Adam, AdamW, RMSprop and Adagrad on
 * a fixed least-squares problem (test/fixtures/optim.json, made by scripts/fixtures_optim.py),
 * state-dict round trips, zeroGrad, param groups, the native update's bookkeeping (versions,
 * no recording, tidy scopes, strided params) and PyTorch's error messages.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { closeTo } from './helpers/make';
import { errorOf } from './helpers/check';
import { N } from '../lib/native';

type DT = 'float32' | 'float64';
interface Snapshot {
  W: number[][];
  b: number[];
}
interface OptimCase {
  name: string;
  optim: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  options: Record<string, unknown>;
  groups: (Record<string, unknown> & { params: ('W' | 'b')[] })[] | null;
  dtype: DT;
  steps: Record<string, Snapshot>;
}
interface Fixture {
  problem: { W: number[][]; b: number[]; X: number[][]; Y: number[][] };
  record: number[];
  optim: OptimCase[];
  errors: Record<string, { type: string; message: string }>;
}

const FIX: Fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'optim.json'), 'utf8'));
const OPTIMS = { SGD: tg.optim.SGD, Adam: tg.optim.Adam, AdamW: tg.optim.AdamW, RMSprop: tg.optim.RMSprop, Adagrad: tg.optim.Adagrad };
// float32 trajectories may drift by rounding differences in the loss gradient over 20 steps.
const TOL: Record<DT, number> = { float32: 2e-6, float64: 1e-12 };

interface Problem {
  W: Tensor;
  b: Tensor;
  loss: () => Tensor;
}

function problem(dtype: DT): Problem {
  const W = tg.tensor(FIX.problem.W, { dtype, requiresGrad: true });
  const b = tg.tensor(FIX.problem.b, { dtype, requiresGrad: true });
  const X = tg.tensor(FIX.problem.X, { dtype });
  const Y = tg.tensor(FIX.problem.Y, { dtype });
  // mean((X @ W^T + b - Y)^2), as the fixture script computes it
  return { W, b, loss: () => X.matmul(W.t()).add(b).sub(Y).square().mean() };
}

function makeOptimizer(c: OptimCase, p: Problem): tg.optim.Optimizer<object> {
  const named = { W: p.W, b: p.b };
  const params = c.groups === null ? [p.W, p.b] : c.groups.map((g) => ({ ...g, params: g.params.map((n) => named[n]) }));
  return new OPTIMS[c.optim](params as never, c.options as never) as unknown as tg.optim.Optimizer<object>;
}

function maxRelErr(a: Tensor, b: Tensor): number {
  const x = a.detach().data() as Float32Array | Float64Array;
  const y = b.data() as Float32Array | Float64Array;
  let worst = 0;
  for (let i = 0; i < y.length; ++i) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
  return worst;
}

function trainStep(opt: tg.optim.Optimizer<object>, p: Problem): void {
  opt.zeroGrad();
  p.loss().backward();
  opt.step();
}

describe('optimizer trajectories match PyTorch (20 steps)', () => {
  test.each(FIX.optim.map((c) => [c.name, c] as [string, OptimCase]))('%s', (_name, c) => {
    const p = problem(c.dtype);
    const opt = makeOptimizer(c, p);
    for (let step = 1; step <= 20; ++step) {
      tg.tidy(() => trainStep(opt, p));
      const want = c.steps[String(step)];
      if (want) {
        closeTo(p.W.toArray(), want.W, TOL[c.dtype], `step ${step} W`);
        closeTo(p.b.toArray(), want.b, TOL[c.dtype], `step ${step} b`);
      }
    }
  });
});

describe('stateDict round trip', () => {
  // 10 steps, save, a fresh optimizer over fresh tensors holding the same values loads the state,
  // 10 more steps: equal to PyTorch's 20 uninterrupted steps.
  const names = ['sgd two groups', 'adam weightDecay amsgrad', 'adamw', 'rmsprop centered momentum weightDecay', 'adagrad lrDecay weightDecay initialAccumulatorValue', 'adam two groups'];
  test.each(names)('%s', (name) => {
    const c = FIX.optim.find((x) => x.name === name)!;
    const p1 = problem(c.dtype);
    const opt1 = makeOptimizer(c, p1);
    for (let i = 0; i < 10; ++i) trainStep(opt1, p1);
    const sd = opt1.stateDict();
    const p2 = problem(c.dtype);
    tg.noGrad(() => {
      p2.W.copy_(p1.W);
      p2.b.copy_(p1.b);
    });
    const opt2 = makeOptimizer({ ...c, options: { ...c.options, lr: 123 } }, p2);
    opt2.loadStateDict(sd);
    expect(opt2.paramGroups.map((g) => g.lr)).toEqual(opt1.paramGroups.map((g) => g.lr));
    // the saved state is a copy: stepping the first optimizer does not change it
    trainStep(opt1, p1);
    for (let i = 0; i < 10; ++i) trainStep(opt2, p2);
    closeTo(p2.W.toArray(), c.steps['20'].W, TOL[c.dtype]);
    closeTo(p2.b.toArray(), c.steps['20'].b, TOL[c.dtype]);
  });

  test('layout: state keyed by parameter index, groups list indices', () => {
    const p = problem('float32');
    const opt = new tg.optim.Adam([{ params: [p.W] }, { params: [p.b], lr: 0.5 }], { lr: 0.1, amsgrad: true });
    trainStep(opt, p);
    trainStep(opt, p);
    const sd = opt.stateDict();
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0], [1]]);
    expect(sd.paramGroups[1]).toMatchObject({ lr: 0.5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false });
    expect(Object.keys(sd.state).sort()).toEqual(['0', '1']);
    expect(Object.keys(sd.state[1]).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq', 'step']);
    expect(sd.state[0].step).toBe(2);
    const live = opt.state.get(p.W)!.expAvg as Tensor;
    const saved = sd.state[0].expAvg as Tensor;
    expect(saved.shape).toEqual([3, 4]);
    expect(saved.toArray()).toEqual(live.toArray());
    saved.fill_(7); // a clone: the live buffer keeps its values
    expect(live.toArray()).not.toEqual(saved.toArray());
  });

  test('mismatched groups raise PyTorch errors', () => {
    const p = problem('float32');
    const one = new tg.optim.SGD([p.W], { lr: 0.1 });
    const two = new tg.optim.SGD([{ params: [p.W] }, { params: [p.b] }], { lr: 0.1 });
    const both = new tg.optim.SGD([p.W, p.b], { lr: 0.1 });
    let e = errorOf(() => one.loadStateDict(two.stateDict()));
    expect([e.name, e.message]).toEqual([FIX.errors['load groups'].type, FIX.errors['load groups'].message]);
    e = errorOf(() => one.loadStateDict(both.stateDict()));
    expect([e.name, e.message]).toEqual([FIX.errors['load group size'].type, FIX.errors['load group size'].message]);
  });
});

describe('Optimizer behaviour', () => {
  test('zeroGrad sets grads to null by default, or zeros them in place', () => {
    const p = problem('float32');
    const opt = new tg.optim.SGD([p.W, p.b], { lr: 0.1 });
    p.loss().backward();
    expect(p.W.grad).not.toBeNull();
    opt.zeroGrad();
    expect(p.W.grad).toBeNull();
    p.loss().backward();
    const g = p.W.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(p.W.grad).toBe(g);
    expect(g.toArray()).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  });

  test('params without grad are skipped and get no state', () => {
    const p = problem('float32');
    const frozen = tg.tensor([1, 2], { requiresGrad: true });
    const opt = new tg.optim.Adam([p.W, p.b, frozen], { lr: 0.1 });
    trainStep(opt, p);
    expect(frozen.toArray()).toEqual([1, 2]);
    expect(opt.state.has(frozen)).toBe(false);
    expect(opt.state.get(p.W)!.step).toBe(1);
  });

  test('step(closure) evaluates the closure with grad enabled and returns its loss', () => {
    const c = FIX.optim.find((x) => x.name === 'sgd momentum')!;
    const p = problem('float32');
    const opt = makeOptimizer(c, p);
    let loss: Tensor | undefined;
    tg.noGrad(() => {
      loss = opt.step(() => {
        opt.zeroGrad();
        const l = p.loss();
        l.backward();
        return l;
      });
    });
    expect(loss!.requiresGrad).toBe(true);
    closeTo(p.W.toArray(), c.steps['1'].W, 1e-6);
  });

  test('the update is in place, bumps versions and records nothing', () => {
    const p = problem('float32');
    const opt = new tg.optim.Adam([p.W, p.b], { lr: 0.1 });
    p.loss().backward();
    const v0 = p.W.version;
    opt.step();
    expect(p.W.version).toBe(v0 + 1);
    expect(p.W.isLeaf).toBe(true);
    expect(p.W.gradFn).toBeNull();
    expect(p.W.requiresGrad).toBe(true);
    // a graph that saved W before the step sees the in-place write
    const y = p.W.square().sum();
    p.loss().backward();
    opt.step();
    expect(errorOf(() => y.backward()).message).toMatch(/modified by an inplace operation/);
  });

  test('state made inside tidy() survives the scope', () => {
    const p = problem('float32');
    const opt = new tg.optim.RMSprop([p.W, p.b], { lr: 0.01, momentum: 0.9, centered: true });
    tg.tidy(() => trainStep(opt, p));
    const st = opt.state.get(p.W)!;
    expect((st.squareAvg as Tensor).isDisposed).toBe(false);
    expect((st.momentumBuffer as Tensor).isDisposed).toBe(false);
    tg.tidy(() => trainStep(opt, p));
    expect(st.step).toBe(2);
  });

  test('a non-contiguous parameter is updated through its view', () => {
    // SGD on W^T (a strided leaf) gives the transpose of SGD on W
    const c = FIX.optim.find((x) => x.name === 'sgd nesterov')!;
    const X = tg.tensor(FIX.problem.X);
    const Y = tg.tensor(FIX.problem.Y);
    const Wt = tg.tensor(FIX.problem.W).t().detach().requiresGrad_();
    const b = tg.tensor(FIX.problem.b, { requiresGrad: true });
    expect(Wt.isContiguous()).toBe(false);
    const opt = new tg.optim.SGD([Wt, b], c.options as Partial<tg.optim.SGDOptions>);
    for (let i = 0; i < 5; ++i) {
      opt.zeroGrad();
      X.matmul(Wt).add(b).sub(Y).square().mean().backward();
      opt.step();
    }
    closeTo(Wt.t().toArray(), c.steps['5'].W, TOL.float32);
    closeTo(b.toArray(), c.steps['5'].b, TOL.float32);
  });

  test.each(['float32', 'float64'] as DT[])('a large %s parameter split across threads and SIMD blocks', (dtype) => {
    // 300001 values: several thread chunks, 512-value blocks and a ragged tail. With a constant
    // grad g the first Adam step is p - lr * g / (|g| + eps) (m = 0.1 g over 1 - 0.9, v = 0.001
    // g^2 over 1 - 0.999), and two SGD momentum steps move p by -lr * g * (1 + 1.9).
    const n = 300001;
    const before = tg.getNumThreads();
    tg.setNumThreads(2);
    try {
      const p0 = tg.linspace(-1, 1, n, { dtype });
      const g = tg.linspace(-2, 3, n, { dtype }).add(0.0001);
      const p = p0.clone().requiresGrad_();
      p.grad = g;
      new tg.optim.Adam([p], { lr: 0.01, eps: 1e-8 }).step();
      const expected = p0.sub(g.div(g.abs().add(1e-8)).mul(0.01));
      expect(maxRelErr(p, expected)).toBeLessThan(dtype === 'float32' ? 1e-6 : 1e-12);
      const q = p0.clone().requiresGrad_();
      q.grad = g;
      const sgd = new tg.optim.SGD([q], { lr: 0.1, momentum: 0.9 });
      sgd.step();
      sgd.step();
      const want = p0.sub(g.mul(0.1 * 2.9));
      expect(maxRelErr(q, want)).toBeLessThan(dtype === 'float32' ? 1e-6 : 1e-12);
    } finally {
      tg.setNumThreads(before);
    }
  });

  test('a grad that aliases its parameter, and an empty parameter', () => {
    // p.grad = p: SGD computes p - lr * p = 0.5 p from the grad's value before the write
    const w = tg.tensor([1, 2, 3], { requiresGrad: true });
    w.grad = w.detach();
    new tg.optim.SGD([w], { lr: 0.5 }).step();
    expect(w.toArray()).toEqual([0.5, 1, 1.5]);
    const e = tg.zeros([0, 3], { requiresGrad: true });
    e.grad = tg.zeros([0, 3]);
    const opt = new tg.optim.Adam([e]);
    opt.step();
    expect(e.shape).toEqual([0, 3]);
    expect(opt.state.get(e)!.step).toBe(1);
  });

  test('addParamGroup fills defaults and paramGroups are mutable', () => {
    const a = tg.tensor([1, 2], { requiresGrad: true });
    const b = tg.tensor([3], { requiresGrad: true });
    const opt = new tg.optim.SGD([a], { lr: 0.1, momentum: 0.9 });
    opt.addParamGroup({ params: b, lr: 0.5 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(opt.paramGroups[1].params).toEqual([b]);
    opt.paramGroups[1].lr = 1;
    b.square().sum().backward(); // d/db b^2 = 2b = 6
    opt.step();
    expect(b.toArray()).toEqual([-3]); // 3 - 1 * 6 (the first momentum step takes the grad)
  });

  test('defaults and AdamW weight decay default', () => {
    const a = tg.tensor([1], { requiresGrad: true });
    expect(new tg.optim.SGD([a]).defaults).toMatchObject({ lr: 1e-3, momentum: 0 });
    expect(new tg.optim.Adam([a]).defaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    expect(new tg.optim.AdamW([a]).defaults).toMatchObject({ lr: 1e-3, weightDecay: 1e-2, decoupledWeightDecay: true });
    expect(new tg.optim.Adam([a]).defaults).toMatchObject({ decoupledWeightDecay: false });
    expect(new tg.optim.RMSprop([a]).defaults).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8 });
    expect(new tg.optim.Adagrad([a]).defaults).toMatchObject({ lr: 1e-2, eps: 1e-10, initialAccumulatorValue: 0 });
  });
});

describe('errors', () => {
  const p = tg.tensor([0, 0], { requiresGrad: true });
  const cases: [string, () => unknown][] = [
    ['nesterov', () => new tg.optim.SGD([p], { lr: 0.1, nesterov: true })],
    ['nesterov dampening', () => new tg.optim.SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })],
    ['sgd lr', () => new tg.optim.SGD([p], { lr: -0.1 })],
    ['sgd momentum', () => new tg.optim.SGD([p], { lr: 0.1, momentum: -0.5 })],
    ['adam beta0', () => new tg.optim.Adam([p], { betas: [1.0, 0.999] })],
    ['adam beta1', () => new tg.optim.Adam([p], { betas: [0.9, -0.5] })],
    ['adam eps', () => new tg.optim.Adam([p], { eps: -0.5 })],
    ['adamw weightDecay', () => new tg.optim.AdamW([p], { weightDecay: -0.5 })],
    ['rmsprop alpha', () => new tg.optim.RMSprop([p], { alpha: -0.5 })],
    ['adagrad lrDecay', () => new tg.optim.Adagrad([p], { lrDecay: -0.5 })],
    ['adagrad initialAccumulatorValue', () => new tg.optim.Adagrad([p], { initialAccumulatorValue: -0.5 })],
    ['empty', () => new tg.optim.SGD([], { lr: 0.1 })],
    ['non-leaf', () => new tg.optim.SGD([p.mul(2)], { lr: 0.1 })],
    ['duplicate across groups', () => new tg.optim.SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 })],
  ];
  test.each(cases)('%s', (name, f) => {
    const e = errorOf(f);
    expect([e.name, e.message]).toEqual([FIX.errors[name].type, FIX.errors[name].message]);
  });

  test('bad params arguments', () => {
    expect(errorOf(() => new tg.optim.SGD(p as never)).message).toMatch(/should be an iterable of Tensors or dicts/);
    expect(errorOf(() => new tg.optim.SGD([1, 2] as never)).message).toBe('optimizer can only optimize Tensors, but one of the params is number');
    expect(errorOf(() => new tg.optim.SGD([{ params: new Set([p]) }] as never)).message).toMatch(/ordered collections/);
  });

  test('the native update rejects mismatched operands before writing anything', () => {
    // Tensor.grad's setter already refuses a grad of another dtype or shape; the native entry
    // point checks again, since it is reachable with any tensors.
    const w = tg.tensor([1, 2, 3]);
    const g = tg.tensor([1, 1, 1]);
    const m = tg.zeros([3]);
    const v = tg.zeros([3]);
    const adam = { kind: 1 as const, lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    let e = errorOf(() => N.optimStep(adam, [w._id], [g._id], [m._id, tg.zeros([1, 3])._id, null], [1]));
    expect(e.name).toBe('ShapeError');
    expect(e.message).toBe('Adam.step(): a state buffer of parameter 0 has shape [1, 3] but the parameter has shape [3]');
    e = errorOf(() => N.optimStep(adam, [w._id], [tg.tensor([1, 2, 3], { dtype: 'float64' })._id], [m._id, v._id, null], [1]));
    expect(e.name).toBe('DTypeError');
    expect(e.message).toBe('Adam.step(): grad of parameter 0 has dtype float64 but the parameter is float32');
    e = errorOf(() => N.optimStep(adam, [w._id], [g._id], [m._id, null, null], [1]));
    expect(e.message).toBe('Adam.step(): state buffer 1 of parameter 0 is missing');
    e = errorOf(() => N.optimStep({ ...adam, kind: 7 as never }, [w._id], [g._id], [m._id, v._id, null], [1]));
    expect(e.message).toBe('optimStep: unknown kind 7');
    e = errorOf(() => N.optimStep(adam, [tg.tensor([1, 2, 3], { dtype: 'int64' })._id], [g._id], [m._id, v._id, null], [1]));
    expect(e.name).toBe('DTypeError');
    expect(w.toArray()).toEqual([1, 2, 3]);
    expect(m.toArray()).toEqual([0, 0, 0]);
  });
});
