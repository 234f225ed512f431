/**
 * tg.optim.lrScheduler against PyTorch: the lr of two parameter groups after construction and
 * after each of 30 steps (test/fixtures/optim.json, scripts/fixtures_optim.py), OneCycleLR's
 * cycled momentum / beta1, ReduceLROnPlateau on fixed metric sequences, state dicts and errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { closeTo } from './helpers/make';
import { errorOf } from './helpers/check';

const S = tg.optim.lrScheduler;

interface SchedCase {
  name: string;
  optim: 'SGD' | 'Adam';
  lrs: number[][];
  metrics?: number[];
  momentum?: number[][];
}
const FIX: { schedulers: SchedCase[]; errors: Record<string, { type: string; message: string }> } = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'optim.json'), 'utf8'),
);

type Opt = tg.optim.Optimizer<object>;
type Sched = { step(metric: number): void; getLastLr(): number[] };

// The fixture script's optimizer: two groups (lr 0.1 and 0.01).
function optimizer(kind: 'SGD' | 'Adam'): Opt {
  const a = tg.zeros([2], { requiresGrad: true });
  const c = tg.zeros([2], { requiresGrad: true });
  const groups = [{ params: [a] }, { params: [c], lr: 0.01 }];
  return (kind === 'SGD' ? new tg.optim.SGD(groups, { lr: 0.1, momentum: 0.9 }) : new tg.optim.Adam(groups, { lr: 0.1 })) as unknown as Opt;
}

const MAKERS: Record<string, (o: Opt) => Sched> = {
  StepLR: (o) => new S.StepLR(o, 7, 0.5),
  MultiStepLR: (o) => new S.MultiStepLR(o, [3, 8, 8, 15], 0.3),
  ExponentialLR: (o) => new S.ExponentialLR(o, 0.9),
  CosineAnnealingLR: (o) => new S.CosineAnnealingLR(o, 10, 0.001),
  'CosineAnnealingLR tMax 30': (o) => new S.CosineAnnealingLR(o, 30),
  'LinearLR warmup': (o) => new S.LinearLR(o, 0.25, 1.0, 8),
  'LinearLR decay': (o) => new S.LinearLR(o, 1.0, 0.1, 10),
  LambdaLR: (o) => new S.LambdaLR(o, (e) => 0.95 ** e),
  'LambdaLR per group': (o) => new S.LambdaLR(o, [(e) => 1.0 / (e + 1), (e) => 0.9 ** e]),
  'OneCycleLR cos': (o) => new S.OneCycleLR(o, [1.0, 0.1], { totalSteps: 30 }),
  'OneCycleLR linear threePhase Adam': (o) =>
    new S.OneCycleLR(o, 0.5, {
      epochs: 5, stepsPerEpoch: 7, annealStrategy: 'linear', threePhase: true, pctStart: 0.25,
      divFactor: 10, finalDivFactor: 100, baseMomentum: 0.8, maxMomentum: 0.9,
    }),
  'ReduceLROnPlateau min rel': (o) =>
    new S.ReduceLROnPlateau(o, { mode: 'min', factor: 0.5, patience: 2, threshold: 0.01, cooldown: 1, minLr: [0.004, 0.001] }),
  'ReduceLROnPlateau max abs': (o) =>
    new S.ReduceLROnPlateau(o, { mode: 'max', factor: 0.2, patience: 1, threshold: 0.05, thresholdMode: 'abs', minLr: 1e-4 }),
};

function momentumOf(o: Opt): number[] {
  return o.paramGroups.map((g) => ('betas' in g ? (g.betas as number[])[0] : (g.momentum as number)));
}

describe('lr sequences match PyTorch (30 steps, two groups)', () => {
  test.each(FIX.schedulers.map((c) => [c.name, c] as [string, SchedCase]))('%s', (name, c) => {
    const o = optimizer(c.optim);
    const s = MAKERS[name](o);
    const lrs = [s.getLastLr()];
    const moms = [momentumOf(o)];
    for (let i = 0; i < 30; ++i) {
      o.step();
      s.step(c.metrics ? c.metrics[i] : (undefined as unknown as number));
      lrs.push(s.getLastLr());
      moms.push(momentumOf(o));
    }
    closeTo(lrs, c.lrs, 1e-12);
    expect(o.paramGroups.map((g) => g.lr)).toEqual(lrs[30]);
    if (c.momentum) closeTo(moms, c.momentum, 1e-12);
  });
});

describe('scheduler state', () => {
  test('lastEpoch counts steps; initialLr is recorded in the groups', () => {
    const o = optimizer('SGD');
    const s = new S.StepLR(o, 7, 0.5);
    expect(s.lastEpoch).toBe(0);
    expect(o.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.01]);
    expect(s.baseLrs).toEqual([0.1, 0.01]);
    for (let i = 0; i < 3; ++i) s.step();
    expect(s.lastEpoch).toBe(3);
  });

  test('stateDict / loadStateDict resume a schedule, with the optimizer state', () => {
    const c = FIX.schedulers.find((x) => x.name === 'CosineAnnealingLR')!;
    const o1 = optimizer('SGD');
    const s1 = new S.CosineAnnealingLR(o1, 10, 0.001);
    for (let i = 0; i < 12; ++i) s1.step();
    const saved = s1.stateDict();
    expect(saved.optimizer).toBeUndefined();
    expect(saved.lastEpoch).toBe(12);
    const optState = o1.stateDict();
    // PyTorch's resume order: build both, then load the optimizer (its groups carry the lr the
    // recursive formula continues from) and the scheduler.
    const o2 = optimizer('SGD');
    const s2 = new S.CosineAnnealingLR(o2, 10, 0.001);
    o2.loadStateDict(optState);
    s2.loadStateDict(saved);
    closeTo(s2.getLastLr(), c.lrs[12], 1e-12);
    const lrs: number[][] = [];
    for (let i = 12; i < 30; ++i) {
      s2.step();
      lrs.push(s2.getLastLr());
    }
    closeTo(lrs, c.lrs.slice(13), 1e-12);
  });

  test('ReduceLROnPlateau state dict round trip', () => {
    const c = FIX.schedulers.find((x) => x.name === 'ReduceLROnPlateau min rel')!;
    const o1 = optimizer('SGD');
    const s1 = MAKERS[c.name](o1) as tg.optim.lrScheduler.ReduceLROnPlateau;
    for (let i = 0; i < 15; ++i) s1.step(c.metrics![i]);
    const o2 = optimizer('SGD');
    o2.loadStateDict(o1.stateDict());
    const s2 = new S.ReduceLROnPlateau(o2);
    s2.loadStateDict(s1.stateDict());
    for (let i = 15; i < 30; ++i) {
      s2.step(c.metrics![i]);
      closeTo(s2.getLastLr(), c.lrs[i + 1], 1e-12);
    }
    expect(s2.lastEpoch).toBe(30);
  });

  test('resuming with lastEpoch needs initialLr in the groups', () => {
    const o = optimizer('SGD');
    const e = errorOf(() => new S.StepLR(o, 3, 0.1, 5));
    expect(e.message).toBe("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer");
  });
});

describe('errors', () => {
  const p = tg.zeros([2], { requiresGrad: true });
  const sgd = (): Opt => new tg.optim.SGD([p], { lr: 0.1 }) as unknown as Opt;
  const cases: [string, () => unknown][] = [
    ['plateau factor', () => new S.ReduceLROnPlateau(sgd(), { factor: 1.0 })],
    ['plateau mode', () => new S.ReduceLROnPlateau(sgd(), { mode: 'avg' as never })],
    ['linear start', () => new S.LinearLR(sgd(), 0)],
    ['onecycle steps', () => new S.OneCycleLR(sgd(), 1.0)],
    ['onecycle anneal', () => new S.OneCycleLR(sgd(), 1.0, { totalSteps: 10, annealStrategy: 'exp' as never })],
    ['lambda count', () => new S.LambdaLR(sgd(), [() => 1, () => 1])],
    [
      'onecycle overrun',
      () => {
        const s = new S.OneCycleLR(new tg.optim.SGD([p], { lr: 0.1, momentum: 0.9 }) as unknown as Opt, 1.0, { totalSteps: 3 });
        for (let i = 0; i < 4; ++i) s.step();
      },
    ],
  ];
  test.each(cases)('%s', (name, f) => {
    const e = errorOf(f);
    expect([e.name, e.message]).toEqual([FIX.errors[name].type, FIX.errors[name].message]);
  });

  test('OneCycleLR cycling momentum needs an optimizer with momentum or betas', () => {
    const e = errorOf(() => new S.OneCycleLR(new tg.optim.Adagrad([p]) as unknown as Opt, 1.0, { totalSteps: 10 }));
    expect(e.message).toBe('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
  });
});
