/**
 * nn.init and nn.utils against PyTorch (test/fixtures/modules.json, made by
 * scripts/fixtures_modules.py): exact gains and fans, statistics (bounds, mean, std) of the
 * random initializers over large tensors, orthogonality, error texts, and clipGradNorm_ /
 * clipGradValue_ / parametersToVector / vectorToParameters.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { errorOf, warningsOf } from './helpers/check';
import { closeTo } from './helpers/make';
import nn = tg.nn;

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'modules.json'), 'utf8'));
const init = nn.init;

const stats = (t: Tensor): { mean: number; std: number; min: number; max: number } => ({
  mean: t.mean().item() as number,
  std: t.std().item() as number,
  min: t.min().item() as number,
  max: t.max().item() as number,
});

describe('gains and fans as PyTorch', () => {
  test('calculateGain', () => {
    const g = fx.gains;
    closeTo(init.calculateGain('linear'), g.linear, 1e-15);
    closeTo(init.calculateGain('conv2d'), g.conv2d, 1e-15);
    closeTo(init.calculateGain('sigmoid'), g.sigmoid, 1e-15);
    closeTo(init.calculateGain('tanh'), g.tanh, 1e-15);
    closeTo(init.calculateGain('relu'), g.relu, 1e-15);
    closeTo(init.calculateGain('leaky_relu'), g.leaky_relu, 1e-15);
    closeTo(init.calculateGain('leakyRelu', 0.2), g['leaky_relu 0.2'], 1e-15);
    closeTo(init.calculateGain('leaky_relu', Math.sqrt(5)), g['leaky_relu sqrt5'], 1e-15);
    closeTo(init.calculateGain('selu'), g.selu, 1e-15);
    expect(errorOf(() => init.calculateGain('foo')).message).toBe(fx.initErrors.gain.message);
  });

  test('calculateFanInAndFanOut, conv weights included', () => {
    for (const [k, v] of Object.entries(fx.fans as Record<string, number[]>)) {
      const shape = k.replace(/[()]/g, '').split(',').filter((s) => s.trim() !== '').map(Number);
      expect(init.calculateFanInAndFanOut(tg.empty(shape))).toEqual(v);
    }
    const e = errorOf(() => init.calculateFanInAndFanOut(tg.empty(3)));
    expect(e.name).toBe(fx.initErrors['fan 1d'].type);
    expect(e.message).toBe(fx.initErrors['fan 1d'].message);
    expect(errorOf(() => init.kaimingUniform_(tg.empty(3, 3), { mode: 'fan_avg' as never })).message).toBe(fx.initErrors.mode.message);
  });
});

describe('random initializers: statistics over large tensors', () => {
  const N = [256, 400]; // fanIn 400, fanOut 256
  beforeEach(() => tg.manualSeed(1234));

  test('uniform_ and normal_ fill in place, without recording, returning the tensor', () => {
    const p = new nn.Parameter(tg.empty(N));
    const v0 = p.version;
    expect(init.uniform_(p, -2, 3)).toBe(p);
    expect(p.version).toBeGreaterThan(v0);
    expect(p.gradFn).toBeNull();
    const s = stats(p);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(s.std - 5 / Math.sqrt(12))).toBeLessThan(0.02);
    init.normal_(p, 1, 0.5);
    const n = stats(p);
    expect(Math.abs(n.mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(n.std - 0.5)).toBeLessThan(0.01);
    const d = tg.empty(N, { dtype: 'float64' });
    init.normal_(d);
    expect(d.dtype).toBe('float64');
    expect(Math.abs(stats(d).std - 1)).toBeLessThan(0.01);
  });

  test('constant_, zeros_, ones_, eye_', () => {
    const t = tg.empty(2, 3);
    expect(init.constant_(t, 0.5).toArray()).toEqual([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]);
    expect(init.zeros_(t).sum().item()).toBe(0);
    expect(init.ones_(t).sum().item()).toBe(6);
    expect(init.eye_(t).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  test('xavierUniform_ / xavierNormal_', () => {
    const t = tg.empty(64, 100);
    init.xavierUniform_(t);
    const b = fx.initStats['xavierUniform bound'];
    const s = stats(t);
    expect(s.max).toBeLessThanOrEqual(b);
    expect(s.min).toBeGreaterThanOrEqual(-b);
    expect(s.max).toBeGreaterThan(0.98 * b);
    expect(Math.abs(s.std - b / Math.sqrt(3))).toBeLessThan(0.03 * b);
    init.xavierNormal_(t, 2);
    expect(Math.abs(stats(t).std - 2 * fx.initStats['xavierNormal std'])).toBeLessThan(0.03 * 2 * fx.initStats['xavierNormal std']);
  });

  test('kaimingUniform_ / kaimingNormal_ (a, mode, nonlinearity)', () => {
    const t = tg.empty(64, 100);
    init.kaimingUniform_(t);
    const b = fx.initStats['kaimingUniform default bound'];
    const s = stats(t);
    expect(s.max).toBeLessThanOrEqual(b);
    expect(s.min).toBeGreaterThanOrEqual(-b);
    expect(s.max).toBeGreaterThan(0.98 * b);
    init.kaimingNormal_(t, { mode: 'fanOut', nonlinearity: 'relu' });
    const std = fx.initStats['kaimingNormal fanOut relu std'];
    expect(Math.abs(stats(t).std - std)).toBeLessThan(0.03 * std);
    expect(Math.abs(stats(t).mean)).toBeLessThan(0.03 * std);
    const z = tg.empty(0, 3);
    expect(warningsOf(() => init.kaimingUniform_(z))).toEqual(['Initializing zero-element tensors is a no-op']);
  });

  test('truncNormal_ stays in [a, b] with the truncated distribution\'s moments', () => {
    const t = tg.empty(N, { dtype: 'float64' });
    init.truncNormal_(t, 0.5, 2, -1, 2);
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-1);
    expect(s.max).toBeLessThanOrEqual(2);
    // moments of N(0.5, 2^2) truncated to [-1, 2]: alpha = beta = 0.75 (symmetric), so the mean
    // is 0.5 and var = 4 * (1 - 2 * 0.75 * phi(0.75) / (2 * Phi(0.75) - 1))
    const phi = Math.exp(-0.75 * 0.75 / 2) / Math.sqrt(2 * Math.PI);
    const Z = 2 * 0.7733726476231317 - 1; // 2 * Phi(0.75) - 1
    const sd = Math.sqrt(4 * (1 - (2 * 0.75 * phi) / Z));
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(s.std - sd)).toBeLessThan(0.01);
    const u = tg.empty(N);
    init.truncNormal_(u);
    expect(stats(u).min).toBeGreaterThanOrEqual(-2);
    expect(stats(u).max).toBeLessThanOrEqual(2);
  });

  test('orthogonal_: tall, wide and conv-shaped weights are (semi-)orthogonal', () => {
    const tall = tg.empty(50, 20, { dtype: 'float64' });
    init.orthogonal_(tall);
    closeTo(tall.t().matmul(tall).toArray(), tg.eye(20, { dtype: 'float64' }).toArray(), 1e-12);
    const wide = tg.empty(8, 30, { dtype: 'float64' });
    init.orthogonal_(wide, 2);
    closeTo(wide.matmul(wide.t()).toArray(), tg.eye(8, { dtype: 'float64' }).mul(4).toArray(), 1e-12);
    const conv = tg.empty(6, 2, 3, 3);
    init.orthogonal_(conv);
    const flat = conv.reshape(6, 18).double();
    closeTo(flat.matmul(flat.t()).toArray(), tg.eye(6, { dtype: 'float64' }).toArray(), 1e-6);
    expect(errorOf(() => init.orthogonal_(tg.empty(3))).message).toBe('Only tensors with 2 or more dimensions are supported');
  });

  test('initializers reject non-tensors', () => {
    expect(errorOf(() => init.uniform_([1, 2] as never)).name).toBe('ArgumentTypeError');
  });
});

describe('nn.utils', () => {
  interface Clip { normType: number | 'inf'; maxNorm: number; grads: number[][]; total: number; clipped: unknown[] }
  test.each((fx.clips as Clip[]).map((c) => [`p=${c.normType} max=${c.maxNorm}`, c]))('clipGradNorm_ %s', (_n, c) => {
    const ps = [new nn.Parameter(tg.zeros([3, 2], { dtype: 'float64' })), new nn.Parameter(tg.zeros([4], { dtype: 'float64' }))];
    ps.forEach((p, i) => (p.grad = tg.tensor(c.grads[i] as never, { dtype: 'float64' })));
    const total = nn.utils.clipGradNorm_(ps, c.maxNorm, c.normType === 'inf' ? Infinity : c.normType);
    closeTo(total.item(), c.total, 1e-12);
    ps.forEach((p, i) => closeTo(p.grad!.toArray(), c.clipped[i], 1e-12));
  });

  test('clipGradNorm_: no grads gives 0; non-finite total with errorIfNonfinite throws PyTorch text', () => {
    expect(nn.utils.clipGradNorm_([new nn.Parameter(tg.ones(2))], 1).item()).toBe(0);
    const p = new nn.Parameter(tg.ones(2));
    p.grad = tg.tensor([Infinity, 1]);
    const e = errorOf(() => nn.utils.clipGradNorm_([p], 1, 2, { errorIfNonfinite: true }));
    expect(e.name).toBe(fx.clipNonfinite.type);
    expect(e.message).toBe(fx.clipNonfinite.message);
  });

  test('clipGradValue_ clamps every grad in place', () => {
    const p = new nn.Parameter(tg.ones(3));
    p.grad = tg.tensor([-3, 0.5, 2]);
    const g = p.grad;
    nn.utils.clipGradValue_([p], 1);
    expect(p.grad).toBe(g);
    expect(g!.toArray()).toEqual([-1, 0.5, 1]);
  });

  test('parametersToVector / vectorToParameters round-trip in registration order', () => {
    const lin = new nn.Linear(3, 2);
    const v = nn.utils.parametersToVector(lin.parameters());
    expect(v.shape).toEqual([8]);
    expect(v.index('0:6').toArray()).toEqual((lin.weight.toArray() as number[][]).flat());
    expect(v.requiresGrad).toBe(true);
    const w = lin.weight;
    nn.utils.vectorToParameters(tg.arange(8), lin.parameters());
    expect(lin.weight).toBe(w);
    expect(lin.weight.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(lin.bias!.toArray()).toEqual([6, 7]);
    expect(errorOf(() => nn.utils.vectorToParameters(tg.arange(7), lin.parameters())).name).toBe('RuntimeError');
  });
});
