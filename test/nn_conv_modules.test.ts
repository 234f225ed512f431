/**
 * The conv, pooling and normalization layers against PyTorch (test/fixtures/conv_modules.json,
 * made by scripts/fixtures_conv_modules.py): printed forms, parameter shapes, buffers and
 * state-dict keys per configuration, PyTorch's argument and input errors, forward values and
 * gradients with weights loaded from the fixture (float64), BatchNorm / InstanceNorm running
 * statistics after three training steps and the eval output, small CNNs, and the default-init
 * bounds (statistically).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { errorOf, warningsOf } from './helpers/check';
import { closeTo } from './helpers/make';
import nn = tg.nn;

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'conv_modules.json'), 'utf8'));
const TOL = 1e-8;

const f64 = (v: unknown): Tensor => tg.tensor(v as number[], { dtype: 'float64' });

/** The same configurations as the fixture script's `configs()`, by name. */
const CONFIGS: Record<string, () => nn.Module> = {
  Conv1d: () => new nn.Conv1d(4, 6, 3),
  'Conv1d full': () => new nn.Conv1d(4, 6, 5, { stride: 2, padding: 2, dilation: 2, groups: 2, bias: false, paddingMode: 'reflect' }),
  'Conv1d same': () => new nn.Conv1d(2, 3, 4, { padding: 'same', dilation: 2 }),
  'Conv1d valid': () => new nn.Conv1d(2, 3, 2, { padding: 'valid' }),
  Conv2d: () => new nn.Conv2d(1, 32, 3),
  'Conv2d padded': () => new nn.Conv2d(2, 4, 3, { padding: 1 }),
  'Conv2d full': () =>
    new nn.Conv2d(4, 4, [3, 5], { stride: [2, 1], padding: [1, 2], dilation: [2, 1], groups: 4, bias: false, paddingMode: 'replicate' }),
  'Conv2d same': () => new nn.Conv2d(2, 2, [2, 3], { padding: 'same' }),
  ConvTranspose1d: () => new nn.ConvTranspose1d(4, 6, 3),
  'ConvTranspose1d full': () => new nn.ConvTranspose1d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2, bias: false, dilation: 2 }),
  ConvTranspose2d: () => new nn.ConvTranspose2d(16, 33, [3, 5], { stride: [2, 1], padding: [4, 2] }),
  'ConvTranspose2d outpad': () => new nn.ConvTranspose2d(2, 4, 3, { stride: 2, outputPadding: 1, groups: 2 }),
  MaxPool1d: () => new nn.MaxPool1d(3),
  'MaxPool1d full': () => new nn.MaxPool1d(3, { stride: 2, padding: 1, dilation: 2, returnIndices: true, ceilMode: true }),
  MaxPool2d: () => new nn.MaxPool2d(2),
  'MaxPool2d tuple': () => new nn.MaxPool2d([3, 2], { stride: [2, 1], padding: [1, 0], ceilMode: true }),
  AvgPool1d: () => new nn.AvgPool1d(3),
  'AvgPool1d full': () => new nn.AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  AvgPool2d: () => new nn.AvgPool2d(2),
  'AvgPool2d full': () => new nn.AvgPool2d([2, 3], { stride: 1, padding: [1, 1], divisorOverride: 4 }),
  AdaptiveAvgPool1d: () => new nn.AdaptiveAvgPool1d(3),
  AdaptiveAvgPool2d: () => new nn.AdaptiveAvgPool2d([2, null]),
  'AdaptiveAvgPool2d int': () => new nn.AdaptiveAvgPool2d(1),
  AdaptiveMaxPool1d: () => new nn.AdaptiveMaxPool1d(2),
  AdaptiveMaxPool2d: () => new nn.AdaptiveMaxPool2d([2, 3]),
  BatchNorm1d: () => new nn.BatchNorm1d(4),
  'BatchNorm1d options': () => new nn.BatchNorm1d(4, { eps: 1e-3, momentum: null, affine: false }),
  BatchNorm2d: () => new nn.BatchNorm2d(3),
  'BatchNorm2d untracked': () => new nn.BatchNorm2d(3, { momentum: 0.3, trackRunningStats: false, bias: false }),
  InstanceNorm1d: () => new nn.InstanceNorm1d(3),
  InstanceNorm2d: () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }),
  GroupNorm: () => new nn.GroupNorm(2, 4),
  'GroupNorm options': () => new nn.GroupNorm(3, 6, { eps: 1e-6, affine: false }),
};

/** Forward cases built outside `configs()` in the fixture script. */
const EXTRA: Record<string, () => nn.Module> = {
  'ConvTranspose2d output_size': () => new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1 }),
  'BatchNorm2d untracked eval': CONFIGS['BatchNorm2d untracked'],
  'InstanceNorm2d unbatched': CONFIGS.InstanceNorm2d,
};

interface Described {
  repr: string;
  params: [string, number[]][];
  buffers: [string, number[], string][];
  stateKeys: string[];
}

function describeModule(m: nn.Module): Described {
  return {
    repr: m.toString(),
    params: m.namedParameters().map(([n, p]) => [n, p.shape]),
    buffers: m.namedBuffers().map(([n, b]) => [n, b.shape, b.dtype]),
    stateKeys: Object.keys(m.stateDict()),
  };
}

describe('printed form, parameters, buffers and stateDict keys match PyTorch', () => {
  test('every fixture configuration is built here', () => {
    expect(Object.keys(fx.layers).filter((k) => !(k in CONFIGS))).toEqual([]);
  });
  test.each(Object.keys(fx.layers))('%s', (name) => {
    expect(describeModule(CONFIGS[name]())).toEqual(fx.layers[name]);
  });
});

describe("PyTorch's argument and input errors", () => {
  const x = (...shape: number[]): Tensor => tg.zeros(shape);
  const CALLS: Record<string, () => unknown> = {
    'groups zero': () => new nn.Conv2d(2, 2, 3, { groups: 0 }),
    'in_channels groups': () => new nn.Conv2d(3, 4, 3, { groups: 2 }),
    'out_channels groups': () => new nn.Conv1d(4, 3, 3, { groups: 2 }),
    'padding string': () => new nn.Conv2d(2, 2, 3, { padding: 'full' as 'same' }),
    'same strided': () => new nn.Conv2d(2, 2, 3, { stride: 2, padding: 'same' }),
    'padding mode': () => new nn.Conv2d(2, 2, 3, { paddingMode: 'mirror' as 'zeros' }),
    'transpose padding mode': () => new nn.ConvTranspose2d(2, 2, 3, { paddingMode: 'reflect' }),
    'transpose output_size len': () => new nn.ConvTranspose2d(2, 2, 3, { stride: 2 }).call(x(1, 2, 3, 3), [7]),
    'transpose output_size range': () => new nn.ConvTranspose2d(2, 2, 3, { stride: 2 }).call(x(1, 2, 3, 3), [9, 7]),
    'BatchNorm1d dim': () => new nn.BatchNorm1d(3).call(x(2, 3, 4, 4)),
    'BatchNorm2d dim': () => new nn.BatchNorm2d(3).call(x(2, 3, 4)),
    'InstanceNorm1d dim': () => new nn.InstanceNorm1d(3).call(x(2, 3, 4, 4)),
    'InstanceNorm2d dim': () => new nn.InstanceNorm2d(3).call(x(3, 4)),
    'InstanceNorm2d features': () => new nn.InstanceNorm2d(3, { affine: true }).call(x(2, 4, 3, 3)),
    'GroupNorm groups': () => new nn.GroupNorm(4, 6),
  };
  // Python prints a set in hash order, which changes from run to run: compare up to the set.
  const SET_IN_MESSAGE = new Set(['padding string', 'padding mode']);

  test('every fixture error is tried here', () => {
    expect(Object.keys(fx.errors).filter((k) => !(k in CALLS))).toEqual([]);
  });
  test.each(Object.keys(fx.errors))('%s', (name) => {
    const e = errorOf(CALLS[name]);
    const want = fx.errors[name] as { type: string; message: string };
    expect(e.name).toBe(want.type);
    if (SET_IN_MESSAGE.has(name)) {
      const cut = (s: string): string => s.replace(/\{[^}]*\}/, '{...}');
      expect(cut(e.message)).toBe(cut(want.message));
    } else {
      expect(e.message).toBe(want.message);
    }
  });

  test('circular padding is refused as not implemented; bad inputs are named errors', () => {
    expect(errorOf(() => new nn.Conv2d(2, 2, 3, { paddingMode: 'circular' })).name).toBe('NotImplementedError');
    expect(errorOf(() => new nn.Conv2d(3, 4, 3).call(tg.zeros([1, 2, 5, 5]))).name).not.toBe('Error');
    expect(errorOf(() => new nn.MaxPool2d(3).call(tg.zeros([1, 1, 2, 2]))).name).not.toBe('Error');
    expect(errorOf(() => new nn.Conv2d(2, 2, [3, 3, 3])).name).toBe('ValueError');
    const frac = errorOf(() => new nn.Conv2d(2.5, 2, 3));
    expect([frac.name, frac.message]).toEqual(['ArgumentTypeError', 'Conv2d(): in_channels must be a non-negative integer, got 2.5']);
    expect(errorOf(() => new nn.Conv1d(2, -1, 3)).name).toBe('ArgumentTypeError');
    // InstanceNorm without affine only warns about a channel count it does not use, as PyTorch
    expect(warningsOf(() => new nn.InstanceNorm1d(3).call(tg.randn([2, 4, 5])))).toEqual([
      "input's size at dim=1 does not match num_features. You can silence this warning by not passing in num_features, which is not used because affine=False",
    ]);
    // PyTorch's own check of F.batch_norm in training
    expect(errorOf(() => new nn.BatchNorm1d(3).call(tg.zeros([1, 3]))).message).toBe(
      'Expected more than 1 value per channel when training, got input size [1, 3]',
    );
  });
});

interface FwdCase {
  name: string;
  params: Record<string, unknown>;
  input: unknown;
  out: unknown;
  outShape: number[];
  inputGrad: unknown;
  paramGrads: Record<string, unknown>;
  gradFn: string;
  training: boolean;
  indices?: unknown;
  outputSize?: number[];
}

function loadParams(m: nn.Module, params: Record<string, unknown>): void {
  tg.noGrad(() => {
    for (const [k, v] of Object.entries(params)) m.getParameter(k).copy_(f64(v));
  });
}

/** The fixture's loss weights: cos(i) + 0.5 over the flattened output. */
function weightsFor(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tg.tensor(Float64Array.from({ length: n }, (_, i) => Math.cos(i) + 0.5), { dtype: 'float64', shape });
}

describe('forward values and gradients match PyTorch (float64, fixture weights)', () => {
  test.each((fx.cases as FwdCase[]).map((c) => [c.name, c] as const))('%s', (name, c) => {
    const make = EXTRA[name] ?? CONFIGS[name];
    expect(make).toBeDefined();
    const m = make().double().train(c.training);
    loadParams(m, c.params);
    const x = f64(c.input).requiresGrad_();
    const res = c.outputSize ? (m.forward as (a: Tensor, s: number[]) => Tensor)(x, c.outputSize) : (m.call as (a: Tensor) => Tensor | [Tensor, Tensor])(x);
    const [out, idx] = Array.isArray(res) ? res : [res, null];
    expect(out.shape).toEqual(c.outShape);
    closeTo(out.toArray(), c.out, TOL);
    expect(out.gradFn?.name).toBe(c.gradFn);
    if (c.indices !== undefined) expect(idx!.toArray()).toEqual(c.indices);
    out.mul(weightsFor(out.shape)).sum().backward();
    closeTo(x.grad!.toArray(), c.inputGrad, TOL);
    const grads = Object.fromEntries(m.namedParameters().map(([k, p]) => [k, p.grad?.toArray()]));
    expect(Object.keys(grads).sort()).toEqual(Object.keys(c.paramGrads).sort());
    for (const [k, g] of Object.entries(c.paramGrads)) closeTo(grads[k], g, TOL);
  });
});

interface RunningCase {
  name: string;
  params: Record<string, unknown>;
  inputs: unknown[];
  state: Record<string, unknown>;
  evalInput: unknown;
  evalOut: unknown;
  evalInputGrad: unknown;
  evalGradFn: string;
}

const RUNNING: Record<string, () => nn.Module> = {
  BatchNorm2d: () => new nn.BatchNorm2d(3),
  'BatchNorm1d cumulative': () => new nn.BatchNorm1d(2, { momentum: null }),
  'BatchNorm1d 2d input momentum': () => new nn.BatchNorm1d(3, { momentum: 0.3, affine: false }),
  'InstanceNorm1d tracked': () => new nn.InstanceNorm1d(2, { trackRunningStats: true }),
};

describe('running statistics after three training steps, then eval, match PyTorch', () => {
  test.each((fx.running as RunningCase[]).map((c) => [c.name, c] as const))('%s', (name, c) => {
    const m = RUNNING[name]().double();
    loadParams(m, c.params);
    m.train();
    for (const x of c.inputs) m.call(f64(x));
    const sd = m.stateDict();
    for (const [k, v] of Object.entries(c.state)) {
      if (k === 'num_batches_tracked') {
        expect(sd[k].dtype).toBe('int64');
        expect(sd[k].item()).toBe(v);
      } else {
        closeTo(sd[k].toArray(), v, TOL);
      }
    }
    m.eval();
    const x = f64(c.evalInput).requiresGrad_();
    const out = m.call(x) as Tensor;
    closeTo(out.toArray(), c.evalOut, TOL);
    expect(out.gradFn?.name).toBe(c.evalGradFn);
    out.sum().backward();
    closeTo(x.grad!.toArray(), c.evalInputGrad, TOL);
    // eval forwards leave the statistics alone
    const before = sd.running_mean.toArray();
    m.call(f64(c.evalInput));
    expect(m.stateDict().running_mean.toArray()).toEqual(before);
  });

  test('num_batches_tracked counts training forwards only and survives double()', () => {
    const bn = new nn.BatchNorm2d(2);
    const count = (): number => bn.num_batches_tracked!.item() as number;
    expect(count()).toBe(0);
    bn.call(tg.randn([3, 2, 2, 2]));
    bn.call(tg.randn([3, 2, 2, 2]));
    expect(count()).toBe(2);
    bn.eval().call(tg.randn([3, 2, 2, 2]));
    expect(count()).toBe(2);
    bn.double();
    expect(bn.running_mean!.dtype).toBe('float64');
    expect(bn.num_batches_tracked!.dtype).toBe('int64');
    expect(count()).toBe(2);
    bn.resetRunningStats();
    expect(count()).toBe(0);
    expect(bn.running_var!.toArray()).toEqual([1, 1]);
  });

  test('stateDict round-trips through loadStateDict, buffers included', () => {
    const a = new nn.BatchNorm1d(3);
    a.call(tg.randn([4, 3]));
    const b = new nn.BatchNorm1d(3);
    b.loadStateDict(a.stateDict());
    expect(b.running_mean!.toArray()).toEqual(a.running_mean!.toArray());
    expect(b.num_batches_tracked!.item()).toBe(1);
  });
});

class BnNet extends nn.Module {
  conv = new nn.Conv2d(1, 4, 3, { padding: 1, bias: false });
  bn = new nn.BatchNorm2d(4);
  pool = new nn.AdaptiveAvgPool2d(1);
  fc = new nn.Linear(4, 2);
}

const fashionCnn = (): nn.Sequential =>
  new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(64 * 7 * 7, 10),
  );

const smallCnn = (): nn.Sequential =>
  new nn.Sequential(
    new nn.Conv2d(1, 2, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(2, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(4, 3),
  );

describe('CNNs', () => {
  test('the Fashion-MNIST CNN prints, names and sizes its parameters as PyTorch', () => {
    const m = fashionCnn();
    const { numParams, ...want } = fx.cnn.fashion;
    expect(describeModule(m)).toEqual(want);
    expect(m.parameters().reduce((s, p) => s + p.numel(), 0)).toBe(numParams);
    expect(m.call(tg.zeros([2, 1, 28, 28])).shape).toEqual([2, 10]);
  });

  test('a module with a BatchNorm2d child has PyTorch stateDict keys and buffers', () => {
    expect(describeModule(new BnNet())).toEqual(fx.cnn.bnnet);
  });

  test('a small CNN: forward, cross-entropy loss and gradients match PyTorch', () => {
    const c = fx.cnn.small;
    const m = smallCnn().double();
    expect(m.toString()).toBe(c.repr);
    expect(Object.keys(m.stateDict())).toEqual(c.stateKeys);
    loadParams(m, c.params);
    const x = f64(c.input).requiresGrad_();
    const out = m.call(x);
    closeTo(out.toArray(), c.out, TOL);
    const loss = nn.functional.crossEntropy(out, tg.tensor(c.target, { dtype: 'int64' }));
    closeTo(loss.item(), c.loss, 1e-12);
    loss.backward();
    closeTo(x.grad!.toArray(), c.inputGrad, TOL);
    for (const [k, p] of m.namedParameters()) closeTo(p.grad!.toArray(), c.paramGrads[k], TOL);
  });

  test('a small CNN learns: loss drops over SGD steps', () => {
    tg.manualSeed(3);
    const m = smallCnn();
    const x = tg.randn([8, 1, 8, 8]);
    const y = tg.tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: 'int64' });
    const opt = new tg.optim.SGD(m.parameters(), { lr: 0.1 });
    let first = 0, last = 0;
    for (let i = 0; i < 30; i++) {
      opt.zeroGrad();
      const loss = nn.functional.crossEntropy(m.call(x), y);
      loss.backward();
      opt.step();
      if (i === 0) first = loss.item() as number;
      last = loss.item() as number;
    }
    expect(last).toBeLessThan(first * 0.8);
  });
});

describe('default initialisation (kaiming-uniform weight, U(-1/sqrt(fanIn), 1/sqrt(fanIn)) bias)', () => {
  const LAYERS: Record<string, () => nn.ConvNd> = {
    'Conv2d(16, 32, 3)': () => new nn.Conv2d(16, 32, 3),
    'Conv1d(6, 8, 5, groups=2)': () => new nn.Conv1d(6, 8, 5, { groups: 2 }),
    'ConvTranspose2d(16, 32, 3, groups=2)': () => new nn.ConvTranspose2d(16, 32, 3, { groups: 2 }),
    'ConvTranspose1d(64, 4, 3)': () => new nn.ConvTranspose1d(64, 4, 3),
  };
  test.each(Object.keys(fx.init))('%s', (name) => {
    const want = fx.init[name];
    tg.manualSeed(7);
    const m = LAYERS[name]();
    expect(m.weight.shape).toEqual(want.weightShape);
    expect(nn.init.calculateFanInAndFanOut(m.weight)[0]).toBe(want.fanIn);
    const w = m.weight, b = m.bias!;
    const n = w.numel();
    const wMax = w.abs().max().item() as number;
    expect(wMax).toBeLessThanOrEqual(want.weightBound);
    // n uniform draws all stay below (1 - 10/n) of the bound with probability ~e^-10
    expect(wMax).toBeGreaterThan(want.weightBound * (1 - 10 / n));
    expect(want.torchWeightAbsMax).toBeGreaterThan(want.weightBound * (1 - 10 / n));
    // a uniform on [-a, a] has mean 0 and std a / sqrt(3); checked within 5 standard errors
    const sigma = want.weightBound / Math.sqrt(3);
    const std = w.std().item() as number;
    expect(Math.abs(std / sigma - 1)).toBeLessThan(5 * Math.sqrt(0.2 / n));
    expect(Math.abs(w.mean().item() as number)).toBeLessThan((5 * sigma) / Math.sqrt(n));
    expect(b.abs().max().item() as number).toBeLessThanOrEqual(want.biasBound);
    expect(b.min().item() as number).toBeLessThan(0);
    expect(b.max().item() as number).toBeGreaterThan(0);
  });

  test('BatchNorm and GroupNorm start at weight 1, bias 0, running mean 0, var 1', () => {
    const bn = new nn.BatchNorm2d(3);
    expect(bn.weight!.toArray()).toEqual([1, 1, 1]);
    expect(bn.bias!.toArray()).toEqual([0, 0, 0]);
    expect(bn.running_mean!.toArray()).toEqual([0, 0, 0]);
    expect(bn.running_var!.toArray()).toEqual([1, 1, 1]);
    const gn = new nn.GroupNorm(2, 4);
    expect(gn.weight!.toArray()).toEqual([1, 1, 1, 1]);
    expect(gn.bias!.toArray()).toEqual([0, 0, 0, 0]);
  });
});

test('pooling with returnIndices returns [values, int64 indices]', () => {
  const [v, i] = new nn.MaxPool2d(2, { returnIndices: true }).call(tg.arange(16, { dtype: 'float32' }).reshape([1, 1, 4, 4]));
  expect(v.toArray()).toEqual([[[[5, 7], [13, 15]]]]);
  expect(i.dtype).toBe('int64');
  expect(i.toArray()).toEqual([[[[5, 7], [13, 15]]]]);
  const [av, ai] = new nn.AdaptiveMaxPool2d(1, { returnIndices: true }).call(tg.arange(4, { dtype: 'float32' }).reshape([1, 1, 2, 2]));
  expect(av.toArray()).toEqual([[[[3]]]]);
  expect(ai.toArray()).toEqual([[[[3]]]]);
});
