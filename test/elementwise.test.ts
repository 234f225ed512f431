/**
 * The elementwise family against PyTorch: forward values, dtypes and shapes (and gradients
 * and grad_fn names where the fixture has them) from test/fixtures/elementwise.json, written
 * by scripts/fixtures_elementwise.py; lerp, addcmul and addcdiv bit for bit at every SIMD level;
 * then behaviour at non-differentiable points (spec Q), double backward, and one bad call per op
 * with PyTorch's message.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tg from '../lib';
import { Tensor } from '../lib';
import { atEveryLevel, errorOf } from './helpers/check';

type Packed = { data: unknown; dtype: string; shape: number[] };
interface Case {
  name: string;
  inputs: Packed[];
  out?: Packed;
  value?: boolean;
  gradFn?: string;
  grads?: (Packed | null)[];
  nanToNum?: unknown; // checked at every SIMD level by test/helpers/levels.js
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'elementwise.json'), 'utf8')) as { cases: Case[] };

function dec(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dec);
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}

function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

function load(p: Packed, requiresGrad: boolean): Tensor {
  const dtype = p.dtype as tg.DType;
  const t = tg.tensor(dec(p.data) as number[], { dtype });
  return requiresGrad && (dtype === 'float64' || dtype === 'float32') ? t.requiresGrad_() : t;
}

function values(t: Tensor): unknown[] {
  return Array.from(t.contiguous().data() as ArrayLike<number | bigint>, (v) => (t.dtype === 'bool' ? v !== 0 : Number(v)));
}

// PyTorch's hardsigmoid backward multiplies by a float32 1/6 even for float64 (1.7e-8 off).
const LOOSE = new Set(['hardsigmoid grad 0']);

function expectClose(actual: Tensor, expected: Packed, what: string): void {
  expect([what, actual.dtype]).toEqual([what, expected.dtype]);
  expect([what, actual.shape]).toEqual([what, expected.shape]);
  const want = flat(dec(expected.data));
  const got = values(actual);
  const tol = expected.dtype === 'float32' || LOOSE.has(what) ? 2e-6 : 1e-11;
  got.forEach((g, i) => {
    const w = want[i];
    if (typeof w === 'number' && typeof g === 'number') {
      if (Number.isNaN(w)) expect([what, i, g]).toEqual([what, i, NaN]);
      else if (!Number.isFinite(w)) expect([what, i, g]).toEqual([what, i, w]);
      else if (Math.abs(g - w) > tol * Math.max(1, Math.abs(w))) expect([what, i, g]).toEqual([what, i, w]);
    } else {
      expect([what, i, g]).toEqual([what, i, w]);
    }
  });
}

type Fn = (...a: Tensor[]) => Tensor | boolean;
const FNS: Record<string, Fn> = {
  exp2: (x) => x.exp2(), expm1: (x) => x.expm1(), log2: (x) => x.log2(), log10: (x) => x.log10(), log1p: (x) => x.log1p(),
  rsqrt: (x) => x.rsqrt(), tan: (x) => x.tan(), asin: (x) => x.asin(), acos: (x) => x.acos(), atan: (x) => x.atan(),
  sinh: (x) => x.sinh(), cosh: (x) => x.cosh(), asinh: (x) => x.asinh(), acosh: (x) => x.acosh(), atanh: (x) => x.atanh(),
  erf: (x) => x.erf(), erfc: (x) => x.erfc(), erfinv: (x) => x.erfinv(), frac: (x) => x.frac(),
  logSigmoid: (x) => tg.logSigmoid(x), relu6: (x) => tg.relu6(x), leakyRelu: (x) => tg.leakyRelu(x),
  'leakyRelu(0.2)': (x) => x.leakyRelu(0.2), elu: (x) => tg.elu(x), 'elu(0.5)': (x) => x.elu(0.5), selu: (x) => tg.selu(x),
  celu: (x) => tg.celu(x), 'celu(2)': (x) => x.celu(2), gelu: (x) => tg.gelu(x), 'gelu(tanh)': (x) => x.gelu({ approximate: 'tanh' }),
  silu: (x) => tg.silu(x), mish: (x) => tg.mish(x), softplus: (x) => tg.softplus(x),
  'softplus(2,1)': (x) => x.softplus({ beta: 2, threshold: 1 }), softsign: (x) => tg.softsign(x), hardtanh: (x) => tg.hardtanh(x),
  'hardtanh(-0.5,2)': (x) => x.hardtanh(-0.5, 2), hardsigmoid: (x) => tg.hardsigmoid(x), hardswish: (x) => tg.hardswish(x),
  'round(2)': (x) => x.round({ decimals: 2 }), 'round(-1)': (x) => tg.round(x, { decimals: -1 }),
  logit: (x) => x.logit(), 'logit(0.2)': (x) => tg.logit(x, 0.2),
  nanToNum: (x) => x.nanToNum(), 'nanToNum(float32)': (x) => tg.nanToNum(x), 'nanToNum(1,2,3)': (x) => x.nanToNum({ nan: 1, posinf: 2, neginf: -3 }),
  'exp2(int64)': (x) => x.exp2(), 'erf(float32)': (x) => x.erf(), 'gelu(float32)': (x) => x.gelu(),
  'clamp(tensor)': (x, lo, hi) => x.clamp(lo, hi), 'clamp(min tensor)': (x, lo) => tg.clamp(x, { min: lo }),
  atan2: (a, b) => a.atan2(b), fmax: (a, b) => a.fmax(b), fmin: (a, b) => tg.fmin(a, b), fmod: (a, b) => a.fmod(b),
  remainder: (a, b) => tg.remainder(a, b), hypot: (a, b) => a.hypot(b), xlogy: (a, b) => a.xlogy(b), copysign: (a, b) => tg.copysign(a, b),
  'div(trunc)': (a, b) => a.div(b, { roundingMode: 'trunc' }), 'div(floor)': (a, b) => tg.div(a, b, { roundingMode: 'floor' }),
  'lerp(0.3)': (a, b) => a.lerp(b, 0.3), 'xlogy(pos)': (a, b) => tg.xlogy(a, b), 'lerp(tensor)': (a, b, w) => tg.lerp(a, b, w),
  addcmul: (a, b, c) => a.addcmul(b, c, { value: 0.5 }), addcdiv: (a, b, c) => tg.addcdiv(a, b, c, { value: -2 }),
  'fmod(number)': (a) => a.fmod(1.5), 'remainder(number)': (a) => a.remainder(-0.7), 'fmax(nan)': (a, b) => tg.fmax(a, b),
  'atan2(int64)': (a, b) => tg.atan2(a, b), 'fmod(int64)': (a, b) => a.fmod(b), 'remainder(int64)': (a, b) => a.remainder(b),
  'div(trunc,int64)': (a, b) => a.div(b, { roundingMode: 'trunc' }), 'div(floor,int64)': (a, b) => a.div(b, { roundingMode: 'floor' }),
  bitwiseAnd: (a, b) => a.bitwiseAnd(b), bitwiseOr: (a, b) => tg.bitwiseOr(a, b), bitwiseXor: (a, b) => a.bitwiseXor(b),
  logicalAnd: (a, b) => a.logicalAnd(b), logicalOr: (a, b) => tg.logicalOr(a, b), logicalXor: (a, b) => a.logicalXor(b),
  'fmax(int64)': (a, b) => a.fmax(b), bitwiseNot: (a) => a.bitwiseNot(), 'bitwiseNot(bool)': (a) => tg.bitwiseNot(a),
  'bitwiseAnd(bool)': (a, b) => a.bitwiseAnd(b), logicalNot: (a) => a.logicalNot(), isnan: (a) => a.isnan(), isinf: (a) => tg.isinf(a),
  isfinite: (a) => a.isfinite(), 'isfinite(int64)': (a) => a.isfinite(), isclose: (a, b) => a.isclose(b),
  'isclose(equalNan)': (a, b) => tg.isclose(a, b, { equalNan: true }), 'isclose(rtol,atol)': (a, b) => a.isclose(b, { rtol: 0.2, atol: 0 }),
  allclose: (a, b) => a.allclose(b), 'allclose(true)': (a, b) => tg.allclose(a, b, { rtol: 0.2, equalNan: true }),
  equal: (a, b) => a.equal(b), 'equal(false)': (a, b) => tg.equal(a, b),
  'where(number)': (c, x) => tg.where(c, x, 0.5), 'where(int, number)': (c, x) => tg.where(c, x, 2),
  'where(float32, number)': (c, x) => tg.where(c, x, 2.5),
  'where(float32)': (c, x, y) => tg.where(c, x, y), 'where(number, float32)': (c, x) => tg.where(c, -1.25, x),
  'clamp(min 0)': (x) => x.clamp({ min: 0 }), 'clamp(-1,1)': (x) => tg.clamp(x, { min: -1, max: 1 }),
  'clamp(max 0.5, float32)': (x) => x.clamp({ max: 0.5 }),
  'clamp(2,1)': (x) => x.clamp(2, 1), 'clamp(2,1, float32)': (x) => tg.clamp(x, { min: 2, max: 1 }),
  'clamp(min nan, float32)': (x) => x.clamp({ min: NaN }), 'clamp(max nan)': (x) => x.clamp({ max: NaN }),
  'clamp(3,-1, int64)': (x) => x.clamp(3, -1),
  'log(float32 wide)': (x) => x.log(), 'sin(float32 wide)': (x) => x.sin(), 'cos(float32 wide)': (x) => tg.cos(x),
  'tan(float32 wide)': (x) => x.tan(), 'atan(float32 wide)': (x) => tg.atan(x), 'asin(float32 wide)': (x) => x.asin(),
  'acos(float32 wide)': (x) => tg.acos(x),
  'erf(float32 wide)': (x) => x.erf(), 'silu(float32)': (x) => tg.silu(x), 'gelu(float32 wide)': (x) => x.gelu(),
  'gelu(tanh, float32)': (x) => tg.gelu(x, { approximate: 'tanh' }),
  'expm1(float32 wide)': (x) => x.expm1(), 'log1p(float32 wide)': (x) => tg.log1p(x),
  'log2(float32 wide)': (x) => x.log2(), 'log10(float32 wide)': (x) => tg.log10(x), 'exp2(float32 wide)': (x) => x.exp2(),
  'logSigmoid float32 wide': (x) => tg.logSigmoid(x), 'leakyRelu(0.2) float32 wide': (x) => x.leakyRelu(0.2),
  'elu(0.5) float32 wide': (x) => x.elu(0.5), 'selu float32 wide': (x) => tg.selu(x), 'celu(2) float32 wide': (x) => x.celu(2),
  'mish float32 wide': (x) => tg.mish(x), 'softplus float32 wide': (x) => tg.softplus(x),
  'softplus(2,1) float32 wide': (x) => x.softplus({ beta: 2, threshold: 1 }),
  'floor float32 wide': (x) => x.floor(), 'ceil float32 wide': (x) => tg.ceil(x), 'round float32 wide': (x) => x.round(),
  'trunc float32 wide': (x) => x.trunc(), 'frac float32 wide': (x) => x.frac(), 'sign float32 wide': (x) => x.sign(),
  'reciprocal float32 wide': (x) => x.reciprocal(), 'rsqrt float32 wide': (x) => tg.rsqrt(x), 'square float32 wide': (x) => x.square(),
  'neg float32 wide': (x) => tg.neg(x), 'hardsigmoid float32 wide': (x) => tg.hardsigmoid(x), 'hardswish float32 wide': (x) => tg.hardswish(x),
  'sinh float32 wide': (x) => x.sinh(), 'cosh float32 wide': (x) => tg.cosh(x), 'atanh float32 wide': (x) => x.atanh(),
  'asinh float32 wide': (x) => tg.asinh(x), 'acosh float32 wide': (x) => x.acosh(),
  'erfc float32 wide': (x) => x.erfc(), 'erfinv float32 wide': (x) => tg.erfinv(x),
  ...Object.fromEntries(
    [1, 2, 3, 0.5, -0.5, -1, -2, 0].flatMap((e) => [
      [`pow(${e})`, (x: Tensor) => x.pow(e)],
      [`pow(${e}, float32)`, (x: Tensor) => tg.pow(x, e)],
    ]),
  ),
};

describe('elementwise ops against PyTorch fixtures', () => {
  test('every fixture case has a function', () => {
    expect(fixture.cases.filter((c) => !FNS[c.name] && !c.nanToNum).map((c) => c.name)).toEqual([]);
  });
  test.each(fixture.cases.filter((c) => !c.nanToNum).map((c) => [c.name, c] as [string, Case]))('%s', (name, c) => {
    const withGrad = c.grads !== undefined;
    const inputs = c.inputs.map((p) => load(p, withGrad));
    const out = FNS[name](...inputs);
    if (c.value !== undefined) {
      expect(out).toBe(c.value);
      return;
    }
    expectClose(out as Tensor, c.out as Packed, `${name} forward`);
    if (!withGrad) return;
    const o = out as Tensor;
    expect(o.gradFn?.name).toBe(c.gradFn);
    o.sum().backward();
    const diff = inputs.filter((t) => t.requiresGrad);
    (c.grads as (Packed | null)[]).forEach((g, i) => {
      if (g === null) expect(diff[i].grad === null || values(diff[i].grad as Tensor).every((v) => v === 0)).toBe(true);
      else expectClose(diff[i].grad as Tensor, g, `${name} grad ${i}`);
    });
  });
});

// The fixture's ternary cases (random operands, contiguous, transposed and broadcast, weights
// and values on every side; csrc/cpu/vec_ternary.inc, Note [Ternary roundings]) in a child
// process per SIMD level this CPU runs, each against PyTorch at the matching capability.
describe('lerp, addcmul and addcdiv equal PyTorch bit for bit', () => {
  const reports = atEveryLevel('ternary');
  test.each(reports.map((r) => [r.isa, r] as const))('%s kernels', (_isa, r) => {
    expect(r.cases).toBeGreaterThanOrEqual(40);
    expect(r.mismatches).toEqual([]);
  });
});

// The fixture's nanToNum cases: NaN, +-inf and custom replacements (NaN and infinities among
// them) in float32 (the vector kernels) and float64, contiguous and transposed.
describe('nanToNum equals PyTorch bit for bit at every SIMD level', () => {
  const reports = atEveryLevel('nanToNum');
  test.each(reports.map((r) => [r.isa, r] as const))('%s kernels', (_isa, r) => {
    expect(r.cases).toBe(16);
    expect(r.mismatches).toEqual([]);
  });
});

describe('special values', () => {
  const signed = (t: Tensor): (number | string)[] =>
    Array.from(t.data() as Float32Array | Float64Array).map((v) => (Object.is(v, -0) ? '-0' : v));
  // torch.relu(torch.tensor([nan, -0., 0., -1., 2.])) -> [nan, -0., 0., 0., 2.]; 37 elements
  // so the vector kernel and its scalar tail both see every value.
  test.each(['float32', 'float64'] as const)('relu keeps NaN and -0.0 (%s), like PyTorch', (dtype) => {
    const v = Array.from({ length: 37 }, (_, i) => [NaN, -0, 0, -1, 2][i % 5]);
    const want = v.map((x) => (Object.is(x, -0) ? '-0' : x < 0 ? 0 : x));
    const x = tg.tensor(v, { dtype });
    expect(signed(x.relu())).toEqual(want);
    const y = x.clone();
    y.relu_();
    expect(signed(y)).toEqual(want);
  });
  // PyTorch: torch.tensor([1., -2., 0.]) * -0.0 -> [-0., 0., -0.]; torch.tensor([-0., 1.]) + -0.0
  // -> [-0., 1.]. A JS -0 is integral, so an int64 tensor stays int64.
  test.each(['float32', 'float64'] as const)('a scalar -0 keeps its sign (%s)', (dtype) => {
    expect(signed(tg.tensor([1, -2, 0], { dtype }).mul(-0))).toEqual(['-0', 0, '-0']);
    expect(signed(tg.tensor([-0, 1], { dtype }).add(-0))).toEqual(['-0', 1]);
    expect(signed(tg.tensor([-0, 1], { dtype }).sub(0))).toEqual(['-0', 1]);
    expect(tg.tensor([3, 4], { dtype: 'int64' }).mul(-0).dtype).toBe('int64');
  });
});

describe('scalar multiply and add (vector kernels and strided runs)', () => {
  test.each([37, 1000])('x * s and x + s match the scalar formula, contiguous and transposed (n=%i)', (n) => {
    const x = tg.randn(n, 3);
    const xs = Array.from(x.data() as Float32Array);
    const f32 = (v: number) => Math.fround(v);
    expect(Array.from(x.mul(0.1).data() as Float32Array)).toEqual(xs.map((v) => f32(v * f32(0.1))));
    expect(Array.from(x.add(0.1).data() as Float32Array)).toEqual(xs.map((v) => f32(v + f32(0.1))));
    const t = x.t();  // strided: 3 x n, row stride 1
    const ts = Array.from(t.contiguous().data() as Float32Array);
    expect(Array.from(t.mul(-2.5).contiguous().data() as Float32Array)).toEqual(ts.map((v) => f32(v * -2.5)));
    expect(Array.from(t.add(-2.5).contiguous().data() as Float32Array)).toEqual(ts.map((v) => f32(v - 2.5)));
  });
});

describe('gradients at non-differentiable points (spec Q)', () => {
  const grad = (f: (x: Tensor) => Tensor, v: number[]): number[] => {
    const x = tg.tensor(v, { dtype: 'float64', requiresGrad: true });
    f(x).sum().backward();
    return Array.from(x.grad!.data() as Float64Array);
  };
  test('hardtanh: 0 at both bounds', () => {
    expect(grad((x) => x.hardtanh(), [-1, 1, 0])).toEqual([0, 0, 1]);
    expect(grad((x) => x.relu6(), [0, 6, 3])).toEqual([0, 0, 1]);
  });
  test('T48 rows: hardtanh @[-1,0,1] -> [0,1,0]; leakyRelu(0.1) @[-1,0,1] -> [0.1,0.1,1]', () => {
    expect(grad((x) => x.hardtanh(), [-1, 0, 1])).toEqual([0, 1, 0]);
    const g = grad((x) => x.leakyRelu(0.1), [-1, 0, 1]);
    [0.1, 0.1, 1].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 12));
  });
  test('clamp with tensor bounds: inclusive for x; a bound gets the gradient where it is the result', () => {
    const x = tg.tensor([0, 1, 0.5, -1, 2], { dtype: 'float64', requiresGrad: true });
    const lo = tg.zeros(5, { dtype: 'float64', requiresGrad: true });
    const hi = tg.ones(5, { dtype: 'float64', requiresGrad: true });
    x.clamp(lo, hi).sum().backward();
    expect(Array.from(x.grad!.data() as Float64Array)).toEqual([1, 1, 1, 0, 0]);
    expect(Array.from(lo.grad!.data() as Float64Array)).toEqual([0, 0, 0, 1, 0]);
    expect(Array.from(hi.grad!.data() as Float64Array)).toEqual([0, 0, 0, 0, 1]);
  });
  test('leakyRelu: the slope at 0', () => {
    expect(grad((x) => x.leakyRelu(0.1), [0])[0]).toBeCloseTo(0.1, 12);
  });
  test('elu: alpha at 0; softplus: linear above the threshold', () => {
    expect(grad((x) => x.elu(0.5), [0])[0]).toBeCloseTo(0.5, 12);
    expect(grad((x) => x.softplus({ threshold: 1 }), [2])[0]).toBe(1);
  });
  test('hardswish/hardsigmoid at +-3', () => {
    expect(grad((x) => x.hardswish(), [-3, 3])).toEqual([0, 1]);
    expect(grad((x) => x.hardsigmoid(), [-3, 3])).toEqual([0, 0]);
  });
  test('fmax: ties go to the first operand; nanToNum: 0 at NaN and inf', () => {
    const a = tg.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const b = tg.tensor([1, NaN], { dtype: 'float64', requiresGrad: true });
    a.fmax(b).sum().backward();
    expect(Array.from(a.grad!.data() as Float64Array)).toEqual([1, 1]);
    expect(Array.from(b.grad!.data() as Float64Array)).toEqual([0, 0]);
    expect(grad((x) => x.nanToNum(), [NaN, Infinity, 2])).toEqual([0, 0, 1]);
  });
  test('integer division by -1 wraps like PyTorch instead of trapping', () => {
    const m = tg.tensor([-(2 ** 31)], { dtype: 'int32' });
    const d = tg.tensor([-1], { dtype: 'int32' });
    expect(Array.from(m.div(d, { roundingMode: 'floor' }).data() as Int32Array)).toEqual([-(2 ** 31)]);
    expect(Array.from(m.fmod(d).data() as Int32Array)).toEqual([0]);
    expect(Array.from(m.remainder(-1).data() as Int32Array)).toEqual([0]);
    expect(Array.from(tg.tensor([7], { dtype: 'int32' }).div(d, { roundingMode: 'trunc' }).data() as Int32Array)).toEqual([-7]);
  });
  test('rounding division and round(decimals) have zero gradient', () => {
    expect(grad((x) => x.div(tg.tensor(2, { dtype: 'float64' }), { roundingMode: 'floor' }), [3.3])).toEqual([0]);
    expect(grad((x) => x.round({ decimals: 1 }), [3.33])).toEqual([0]);
  });
});

describe('grad_fn names (Appendix A)', () => {
  const x = tg.tensor([0.3, 0.6], { dtype: 'float64', requiresGrad: true });
  const y = tg.tensor([0.5, 0.2], { dtype: 'float64', requiresGrad: true });
  test.each([
    ['GeluBackward0', () => x.gelu()], ['GeluBackward0', () => x.gelu({ approximate: 'tanh' })],
    ['LeakyReluBackward0', () => x.leakyRelu()], ['EluBackward0', () => x.elu()], ['EluBackward0', () => x.selu()],
    ['CeluBackward0', () => x.celu()], ['SoftplusBackward0', () => x.softplus()], ['HardtanhBackward0', () => x.hardtanh()],
    ['HardtanhBackward0', () => x.relu6()], ['DivBackward0', () => x.softsign()], ['Atan2Backward0', () => x.atan2(y)],
    ['FmodBackward0', () => x.fmod(0.4)], ['FmodBackward1', () => x.fmod(y)], ['RemainderBackward0', () => x.remainder(0.4)],
    ['LerpBackward0', () => x.lerp(y, 0.5)], ['LerpBackward1', () => x.lerp(y, y)], ['ClampBackward0', () => x.clamp(y, null)],
    ['DivBackward2', () => x.div(y, { roundingMode: 'trunc' })], ['DivBackward2', () => x.div(2, { roundingMode: 'floor' })], ['RoundBackward1', () => x.round({ decimals: 1 })],
    ['NanToNumBackward0', () => x.nanToNum()], ['CopysignBackward1', () => x.copysign(-1.5)], ['XlogyBackward2', () => x.xlogy(2.5)], ['LogitBackward0', () => x.logit(0.1)], ['XlogyBackward0', () => x.xlogy(y)],
  ] as [string, () => Tensor][])('%s', (name, f) => {
    expect(f().gradFn?.name).toBe(name);
  });
});

describe('bad calls raise PyTorch errors', () => {
  const f = tg.tensor([1.5, 2]);
  const i = tg.tensor([1, 0], { dtype: 'int64' });
  test.each([
    ['bitwiseAnd on float', () => f.bitwiseAnd(f), 'NotImplementedError', '"bitwise_and_cpu" not implemented for \'Float\''],
    ['bitwiseOr on float', () => f.bitwiseOr(f), 'NotImplementedError', 'not implemented for \'Float\''],
    ['bitwiseXor on float', () => f.bitwiseXor(1), 'NotImplementedError', 'not implemented for \'Float\''],
    ['bitwiseNot on float', () => f.bitwiseNot(), 'NotImplementedError', '"bitwise_not_cpu" not implemented for \'Float\''],
    ['integer div by zero', () => i.div(i, { roundingMode: 'floor' }), 'RuntimeError', 'ZeroDivisionError'],
    ['integer fmod by zero', () => i.fmod(i), 'RuntimeError', 'ZeroDivisionError'],
    ['integer remainder by zero', () => i.remainder(0), 'RuntimeError', 'ZeroDivisionError'],
    ['bad rounding mode', () => f.div(f, { roundingMode: 'foo' as 'floor' }), 'RuntimeError', "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'foo'"],
    ['hypot on integers', () => i.hypot(i), 'NotImplementedError', '"hypot_cpu" not implemented for \'Long\''],
    ['gelu approximate', () => f.gelu({ approximate: 'foo' as 'tanh' }), 'RuntimeError', 'approximate argument must be either none or tanh.'],
    ['atan2 shape mismatch', () => f.atan2(tg.ones(3)), 'ShapeError', 'must match the size of tensor b'],
    ['fmax with a number', () => f.fmax(2 as unknown as Tensor), 'ArgumentTypeError', "argument 'other' must be Tensor"],
    ['lerp dtype mismatch', () => f.lerp(f.double(), 0.5), 'DTypeError', 'expected dtype Float for `end` but got dtype Double'],
    ['addcdiv on integers', () => i.addcdiv(i, i), 'RuntimeError', 'Integer division with addcdiv is no longer supported'],
    ['addcmul shape mismatch', () => f.addcmul(f, tg.ones(3)), 'ShapeError', 'must match the size'],
    ['clamp with no bounds', () => f.clamp(null as unknown as Tensor, null), 'ValueError', "At least one of 'min' or 'max' must not be None"],
    ['hardtanh bounds', () => f.hardtanh(1, -1), 'ValueError', 'min_val cannot be greater than max_val'],
    ['round decimals on integers', () => i.round({ decimals: 1 }), 'DTypeError', 'decimals is only supported for floating point'],
    ['isclose dtype mismatch', () => f.isclose(f.double()), 'DTypeError', 'expected both inputs to have the same dtype'],
    ['leakyRelu slope type', () => f.leakyRelu('a' as unknown as number), 'ArgumentTypeError', "argument 'negativeSlope' must be a number"],
    ['where condition dtype', () => tg.where(f, f, 0), 'DTypeError', 'where expected condition to be a boolean tensor'],
    ['exp2 of a non-tensor', () => tg.exp2(3 as unknown as Tensor), 'ArgumentTypeError', "argument 'input' must be Tensor"],
  ] as [string, () => unknown, string, string][])('%s', (_name, fn, errName, msg) => {
    const err: Error | undefined = errorOf(fn);
    expect(err?.name).toBe(errName);
    expect(err?.message).toContain(msg);
  });
});

describe('double backward', () => {
  test('gelu second derivative matches the analytic value', () => {
    // d2/dx2 gelu(x) = phi(x) * (2 - x^2); at x = 0.5: 0.3520653 * 1.75
    const x = tg.tensor(0.5, { dtype: 'float64', requiresGrad: true });
    const [g] = tg.autograd.grad([x.gelu()], [x], { createGraph: true });
    const [gg] = tg.autograd.grad([g as Tensor], [x]);
    expect((gg as Tensor).item()).toBeCloseTo((Math.exp(-0.125) / Math.sqrt(2 * Math.PI)) * 1.75, 10);
  });
  // A plain backward runs gelu's fused kernels (BinaryOp::GeluBackward, GeluTanhBackward); with
  // createGraph the same gradient comes from differentiable tensor ops: float64 to rounding,
  // float32 (the vector kernels, Note [gelu] for the erf form, against float32 tensor ops) to a
  // few float32 ulps. Inputs over both tails; a transposed input takes the strided runs, sum()'s
  // expanded gradient the broadcast ones.
  test.each([
    ['none', 'float64', 1e-15], ['none', 'float32', 5e-7], ['tanh', 'float64', 1e-15], ['tanh', 'float32', 5e-7],
  ] as const)('gelu (approximate: %s): the fused gradient equals the formula (%s)', (approximate, dtype, tol) => {
    const v = Array.from({ length: 70 }, (_, i) => -7 + i * 0.2 + 0.013);
    const close = (f: unknown, r: unknown) => {
      const a = Array.from((f as Tensor).contiguous().data() as Float64Array);
      const b = Array.from((r as Tensor).contiguous().data() as Float64Array);
      a.forEach((ai, i) => expect([i, Math.abs(ai - b[i]) <= tol * Math.max(1, Math.abs(b[i]))]).toEqual([i, true]));
    };
    for (const transposed of [false, true]) {
      const x0 = tg.tensor(v, { dtype }).reshape(transposed ? [10, 7] : [7, 10]);
      const x = (transposed ? x0.t() : x0).requiresGrad_();
      const g = tg.tensor(v.map((_, i) => 1 + (i % 5) * 0.25), { dtype }).reshape(7, 10);
      const y = () => x.gelu({ approximate });
      close(tg.autograd.grad([y()], [x], { gradOutputs: [g] })[0], tg.autograd.grad([y()], [x], { gradOutputs: [g], createGraph: true })[0]);
      close(tg.autograd.grad([y().sum()], [x])[0], tg.autograd.grad([y().sum()], [x], { createGraph: true })[0]);
    }
  });
});

describe('every op of the family rejects bad operands', () => {
  const unaryNames = ['exp2', 'expm1', 'log2', 'log10', 'log1p', 'rsqrt', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'asinh',
    'acosh', 'atanh', 'erf', 'erfc', 'erfinv', 'frac', 'logSigmoid', 'relu6', 'leakyRelu', 'elu', 'selu', 'celu', 'gelu', 'silu',
    'mish', 'softplus', 'softsign', 'hardtanh', 'hardsigmoid', 'hardswish', 'nanToNum', 'logit', 'isnan', 'isinf', 'isfinite',
    'logicalNot', 'bitwiseNot'];
  const mod = tg as unknown as Record<string, (...a: unknown[]) => unknown>;
  test.each(unaryNames)('tg.%s(non-tensor) raises ArgumentTypeError', (name) => {
    expect(() => mod[name]([1, 2])).toThrow(expect.objectContaining({ name: 'ArgumentTypeError', message: expect.stringContaining("argument 'input' must be Tensor") }));
  });
  const binaryNames = ['atan2', 'fmax', 'fmin', 'fmod', 'remainder', 'hypot', 'xlogy', 'copysign', 'isclose', 'logicalAnd', 'logicalOr', 'logicalXor'];
  test.each(binaryNames)('tg.%s with unbroadcastable shapes raises ShapeError', (name) => {
    expect(() => mod[name](tg.ones(2), tg.ones(3))).toThrow(expect.objectContaining({ name: 'ShapeError', message: expect.stringContaining('must match the size of tensor b') }));
  });
  test.each(['bitwiseAnd', 'bitwiseOr', 'bitwiseXor'])('tg.%s with unbroadcastable shapes raises ShapeError', (name) => {
    const i = (n: number) => tg.ones(n, { dtype: 'int64' });
    expect(() => mod[name](i(2), i(3))).toThrow(expect.objectContaining({ name: 'ShapeError' }));
  });
  test('lerp/addcmul/addcdiv/allclose/equal with bad shapes or types', () => {
    expect(() => tg.lerp(tg.ones(2), tg.ones(3), 0.5)).toThrow(expect.objectContaining({ name: 'ShapeError' }));
    expect(() => tg.addcdiv(tg.ones(2), tg.ones(3), tg.ones(2))).toThrow(expect.objectContaining({ name: 'ShapeError' }));
    expect(() => tg.allclose(tg.ones(2), tg.ones(3))).toThrow(expect.objectContaining({ name: 'ShapeError' }));
    expect(tg.equal(tg.ones(2), tg.ones(3))).toBe(false);
    expect(() => tg.equal(tg.ones(2), 1 as unknown as Tensor)).toThrow(expect.objectContaining({ name: 'ArgumentTypeError' }));
  });
});
