/**
 * Gradcheck samples of the elementwise family (lib/ops/elementwise.ts): unary math,
 * activations and binary math. Inputs stay inside each op's domain and away from its
 * non-differentiable points (activation kinks, fmod/remainder jumps where a / b is an integer,
 * clamp bounds).
 */
import * as tg from '../../lib';
import { Tensor } from '../../lib';
import { make, mask, nonzero, pos } from '../helpers/make';
import type { OpInfo, Sample } from '../ops_registry';
import { op, s, separatedPair } from '../ops_registry';

type Gen = (shape: number[], o?: { nonContig?: boolean; requiresGrad?: boolean }) => Tensor;


function unarySamples(gen: Gen = (sh, o) => make(sh, o)): Sample[] {
  return [
    s('[2,3]', () => [gen([2, 3])]),
    s('0-d', () => [gen([])]),
    s('empty [0,3]', () => [gen([0, 3])]),
    s('non-contiguous [3,2] (transposed)', () => [gen([3, 2], { nonContig: true })]),
    s('non-contiguous [4] (strided)', () => [gen([4], { nonContig: true })]),
  ];
}

function binarySamples(a: Gen = (sh, o) => make(sh, o), b: Gen = (sh, o) => make(sh, o)): Sample[] {
  return [
    s('same shape [2,3]', () => [a([2, 3]), b([2, 3])]),
    s('broadcast [2,3] with [3]', () => [a([2, 3]), b([3])]),
    s('broadcast [2,1] with [1,3]', () => [a([2, 1]), b([1, 3])]),
    s('0-d with [2,2]', () => [a([]), b([2, 2])]),
    s('non-contiguous [3,2] with [3,2], second constant', () => [a([3, 2], { nonContig: true }), b([3, 2], { nonContig: true, requiresGrad: false })]),
  ];
}

const range = (lo: number, hi: number, extra: Record<string, unknown> = {}): Gen => (sh, o) => make(sh, { lo, hi, ...extra, ...o });
const avoid = (points: number[], lo = -2, hi = 2, margin = 0.15): Gen => (sh, o) => make(sh, { lo, hi, avoid: points, margin, ...o });

/** a and b with a / b at least 0.2 away from every integer (fmod/remainder/rounding division). */
function modPair(shapeA: number[], shapeB: number[], nonContig = false): unknown[] {
  const b = make(shapeB, { lo: 0.6, hi: 1.5, nonContig });
  const signs = tg.noGrad(() => make(shapeB, { avoid: [0], margin: 0.5, requiresGrad: false }).sign());
  const a = tg.noGrad(() => {
    const q = make(shapeA, { lo: -2.5, hi: 2.5, avoidMultiplesOf: 1, margin: 0.2, requiresGrad: false });
    return q.mul(b.detach().mul(signs));
  });
  // b carries the signs so that negative divisors are covered too
  const bs = tg.noGrad(() => b.detach().mul(signs));
  // a non-contiguous leaf with the same values: a transposed copy, transposed back
  const leaf = (t: Tensor): Tensor => (nonContig ? t.t().contiguous().t().detach() : t.detach().clone()).requiresGrad_();
  return [leaf(a), leaf(bs)];
}


const f64 = (v: number | number[] | number[][]): Tensor => tg.tensor(v as number[], { dtype: 'float64', requiresGrad: true });
const BOUNDS = [-1, -0.5, 0, 0.5, 1];
const awayFromBounds = avoid(BOUNDS, -1.8, 1.8, 0.1);

export const ELEMENTWISE_OPS: OpInfo[] = [
  // ---- unary math
  op('exp2', (a) => a.exp2(), unarySamples()),
  op('expm1', (a) => a.expm1(), unarySamples()),
  op('log2', (a) => a.log2(), unarySamples((sh, o) => pos(sh, o))),
  op('log10', (a) => a.log10(), unarySamples((sh, o) => pos(sh, o))),
  op('log1p', (a) => a.log1p(), unarySamples(range(-0.6, 2))),
  op('rsqrt', (a) => a.rsqrt(), unarySamples((sh, o) => pos(sh, o))),
  op('tan', (a) => a.tan(), unarySamples(range(-1.2, 1.2))),
  op('asin', (a) => a.asin(), unarySamples(range(-0.8, 0.8))),
  op('acos', (a) => a.acos(), unarySamples(range(-0.8, 0.8))),
  op('atan', (a) => a.atan(), unarySamples()),
  op('sinh', (a) => a.sinh(), unarySamples()),
  op('cosh', (a) => tg.cosh(a), unarySamples()),
  op('asinh', (a) => a.asinh(), unarySamples()),
  op('acosh', (a) => a.acosh(), unarySamples(range(1.2, 3))),
  op('atanh', (a) => a.atanh(), unarySamples(range(-0.8, 0.8))),
  op('erf', (a) => a.erf(), unarySamples()),
  op('erfc', (a) => tg.erfc(a), unarySamples()),
  op('erfinv', (a) => a.erfinv(), unarySamples(range(-0.8, 0.8))),
  op('frac', (a) => a.frac(), unarySamples((sh, o) => make(sh, { avoidMultiplesOf: 1, margin: 0.1, ...o }))),
  op('round(decimals)', (a) => a.round({ decimals: 1 }), unarySamples((sh, o) => make(sh, { avoidMultiplesOf: 0.05, margin: 0.01, ...o }))),
  op('nanToNum', (a) => a.nanToNum({ nan: 0, posinf: 1 }), unarySamples()),
  op('logit', (a) => a.logit(), unarySamples(range(0.1, 0.9))),
  op('logit(eps)', (a) => a.logit(0.2), unarySamples(avoid([0.2, 0.8], 0.02, 0.98, 0.05))),

  // ---- activations
  op('logSigmoid', (a) => tg.logSigmoid(a), unarySamples(range(-4, 4))),
  op('relu6', (a) => tg.relu6(a), unarySamples(avoid([0, 6], -3, 8))),
  op('leakyRelu', (a) => a.leakyRelu(), unarySamples(avoid([0]))),
  op('leakyRelu(0.2)', (a) => tg.leakyRelu(a, 0.2), unarySamples(avoid([0]))),
  op('elu', (a) => a.elu(), unarySamples(avoid([0]))),
  op('elu(alpha)', (a) => tg.elu(a, 0.7), unarySamples(avoid([0]))),
  op('selu', (a) => a.selu(), unarySamples(avoid([0]))),
  op('celu', (a) => a.celu(), unarySamples(avoid([0]))),
  op('celu(alpha)', (a) => tg.celu(a, 2.5), unarySamples(avoid([0]))),
  op('gelu', (a) => a.gelu(), unarySamples(range(-3, 3))),
  op('gelu(tanh)', (a) => tg.gelu(a, { approximate: 'tanh' }), unarySamples(range(-3, 3))),
  op('silu', (a) => a.silu(), unarySamples(range(-4, 4))),
  op('mish', (a) => tg.mish(a), unarySamples(range(-4, 4))),
  op('softplus', (a) => a.softplus(), unarySamples(range(-4, 4))),
  op('softplus(beta, threshold)', (a) => tg.softplus(a, { beta: 2, threshold: 1 }), unarySamples(avoid([0.5], -2, 2, 0.1))),
  op('softsign', (a) => tg.softsign(a), unarySamples(avoid([0]))),
  op('hardtanh', (a) => a.hardtanh(), unarySamples(avoid([-1, 1], -2, 2, 0.1))),
  op('hardtanh(min, max)', (a) => tg.hardtanh(a, -0.5, 0.8), unarySamples(avoid([-0.5, 0.8], -2, 2, 0.1))),
  op('hardsigmoid', (a) => a.hardsigmoid(), unarySamples(avoid([-3, 3], -5, 5, 0.2))),
  op('hardswish', (a) => tg.hardswish(a), unarySamples(avoid([-3, 3], -5, 5, 0.2))),

  // ---- clamp with tensor bounds
  op('clamp(tensor min, tensor max)', (a, lo, hi) => a.clamp(lo, hi), [
    s('[2,3] with [3] and [2,1]', () => [awayFromBounds([2, 3]), f64([-1, -0.5, 0]), f64([[0.5], [1]])]),
    s('0-d bounds', () => [awayFromBounds([4]), f64(-0.5), f64(0.5)]),
    s('non-contiguous x', () => [awayFromBounds([3, 2], { nonContig: true }), f64([-1, 0]), f64([0.5, 1])]),
  ]),
  op('clamp({min: tensor})', (a, lo) => tg.clamp(a, { min: lo }), [s('[2,3] with [3]', () => [awayFromBounds([2, 3]), f64([-1, -0.5, 0])])]),
  op('clamp(tensor, number)', (a, lo) => a.clamp(lo, 0.5), [s('[2,3] with [3]', () => [awayFromBounds([2, 3]), f64([-1, -0.5, 0])])]),

  // ---- binary math
  op('atan2', (a, b) => a.atan2(b), binarySamples((sh, o) => nonzero(sh, o), (sh, o) => nonzero(sh, o))),
  op('hypot', (a, b) => tg.hypot(a, b), binarySamples((sh, o) => nonzero(sh, o), (sh, o) => nonzero(sh, o))),
  op('fmax', (a, b) => a.fmax(b), [
    s('same shape [2,3]', () => separatedPair([2, 3], [2, 3])),
    s('broadcast [3] vs [2,3]', () => separatedPair([3], [2, 3])),
    s('0-d vs [4]', () => separatedPair([], [4])),
    s('non-contiguous [3,2]', () => separatedPair([3, 2], [3, 2], true)),
  ]),
  op('fmin', (a, b) => tg.fmin(a, b), [
    s('same shape [2,3]', () => separatedPair([2, 3], [2, 3])),
    s('broadcast [3] vs [2,3]', () => separatedPair([3], [2, 3])),
  ]),
  op('fmod', (a, b) => a.fmod(b), [
    s('same shape [2,3]', () => modPair([2, 3], [2, 3])),
    s('broadcast [2,3] with [3]', () => modPair([2, 3], [3])),
    s('non-contiguous [3,2]', () => modPair([3, 2], [3, 2], true)),
  ]),
  op('fmod(number)', (a) => a.fmod(1.5), unarySamples((sh, o) => make(sh, { avoidMultiplesOf: 1.5, margin: 0.2, ...o }))),
  op('remainder', (a, b) => tg.remainder(a, b), [
    s('same shape [2,3]', () => modPair([2, 3], [2, 3])),
    s('broadcast [2,3] with [3]', () => modPair([2, 3], [3])),
  ]),
  op('remainder(number)', (a) => a.remainder(-0.7), unarySamples((sh, o) => make(sh, { avoidMultiplesOf: 0.7, margin: 0.15, ...o }))),
  op('div(roundingMode)', (a, b) => a.div(b, { roundingMode: 'floor' }), [
    s('floor [2,3]', () => modPair([2, 3], [2, 3])),
  ]),
  op('xlogy', (a, b) => a.xlogy(b), binarySamples(undefined, (sh, o) => pos(sh, o))),
  op('xlogy(number)', (a) => a.xlogy(2.5), unarySamples()),
  op('copysign', (a, b) => a.copysign(b), binarySamples((sh, o) => nonzero(sh, o), (sh, o) => nonzero(sh, o))),
  op('lerp(number)', (a, b) => a.lerp(b, 0.3), binarySamples()),
  // The other form of PyTorch's lerp (weights from 0.5 up, csrc/cpu/vec_ternary.inc).
  op('lerp(number 0.8)', (a, b) => a.lerp(b, 0.8), binarySamples()),
  op('lerp(tensor)', (a, b, w) => tg.lerp(a, b, w), [
    s('same shape [2,3]', () => [make([2, 3]), make([2, 3]), make([2, 3])]),
    s('weights on both sides of 0.5 [2,4]', () => [make([2, 4]), make([2, 4]), f64([[-0.7, 0.2, 0.45, 0.55], [0.8, 1, 1.6, 0.3]])]),
    s('broadcast [2,3], [3], [2,1]', () => [make([2, 3]), make([3]), make([2, 1])]),
    s('0-d weight', () => [make([4]), make([4], { nonContig: true }), make([])]),
  ]),
  op('addcmul', (a, t1, t2) => a.addcmul(t1, t2, { value: 0.5 }), [
    s('same shape [2,3]', () => [make([2, 3]), make([2, 3]), make([2, 3])]),
    s('broadcast [3], [2,3], [2,1]', () => [make([3]), make([2, 3]), make([2, 1], { nonContig: false })]),
    s('non-contiguous', () => [make([3, 2], { nonContig: true }), make([3, 2]), make([])]),
  ]),
  op('addcmul(value 1)', (a, t1, t2) => tg.addcmul(a, t1, t2), [s('same shape [2,3]', () => [make([2, 3]), make([2, 3]), make([2, 3])])]),
  op('addcdiv', (a, t1, t2) => tg.addcdiv(a, t1, t2, { value: -2 }), [
    s('same shape [2,3]', () => [make([2, 3]), make([2, 3]), nonzero([2, 3])]),
    s('broadcast [3], [2,3], [2,1]', () => [make([3]), make([2, 3]), nonzero([2, 1])]),
    s('non-contiguous', () => [make([3, 2], { nonContig: true }), make([3, 2]), nonzero([])]),
  ]),
  op('where(number)', (c, a) => tg.where(c, a, 0.5), [s('[2,3]', () => [mask([2, 3]), make([2, 3])])]),
];
