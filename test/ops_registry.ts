/**
 * OpInfo-lite registry (spec §3): one entry per differentiable op of the public API, with a
 * forward function, 2-5 float64 sample input sets (broadcast, 0-d and non-contiguous cases
 * included) and its gradient capabilities. test/gradcheck.test.ts runs gradcheck over every
 * op x sample, and gradgradcheck where `supportsGradGrad` is claimed.
 *
 * Inputs are kept away from non-differentiable points (kinks of abs/relu/clamp/maximum,
 * integers for floor/ceil/trunc, half-integers for round) and inside the domain (log, sqrt).
 */
import * as tg from '../lib';
import { Tensor } from '../lib';
import { make, mask, nonzero, pos } from './helpers/make';

/** One sample: a description and a factory for the op's arguments (fresh tensors per call). */
export interface Sample {
  desc: string;
  make: () => unknown[];
}

export interface OpInfo {
  name: string;
  /** Builds the op from its arguments (tensors that require grad are differentiated). */
  op: (...args: any[]) => Tensor | Tensor[];
  samples: Sample[];
  supportsGrad: boolean;
  supportsGradGrad: boolean;
  /** gradcheck options for this op (e.g. looser eps for float32 outputs). */
  gradcheckOpts?: { eps?: number; atol?: number; rtol?: number };
}

/** A sample: a description and a factory for fresh arguments. */
export const s = (desc: string, f: () => unknown[]): Sample => ({ desc, make: f });

/** An op entry claiming gradients and double backward unless `extra` says otherwise. */
export function op(name: string, fn: OpInfo['op'], samples: Sample[], extra: Partial<OpInfo> = {}): OpInfo {
  return { name, op: fn, samples, supportsGrad: true, supportsGradGrad: true, ...extra };
}

// ---------------------------------------------------------------- sample sets
/** Binary samples: same shape, broadcast both ways, 0-d, non-contiguous, one constant operand. */
function binarySamples(b: (shape: number[], o?: { nonContig?: boolean; requiresGrad?: boolean }) => Tensor = (sh, o) => make(sh, o),
  a: (shape: number[], o?: { nonContig?: boolean; requiresGrad?: boolean }) => Tensor = (sh, o) => make(sh, o)): Sample[] {
  return [
    s('same shape [2,3]', () => [a([2, 3]), b([2, 3])]),
    s('broadcast [2,3] with [3]', () => [a([2, 3]), b([3])]),
    s('broadcast [2,1] with [1,3]', () => [a([2, 1]), b([1, 3])]),
    s('0-d with [2,2]', () => [a([]), b([2, 2])]),
    s('non-contiguous [3,2] with [3,2], second constant', () => [a([3, 2], { nonContig: true }), b([3, 2], { nonContig: true, requiresGrad: false })]),
  ];
}

function unarySamples(gen: (shape: number[], o?: { nonContig?: boolean }) => Tensor = (sh, o) => make(sh, o)): Sample[] {
  return [
    s('[2,3]', () => [gen([2, 3])]),
    s('0-d', () => [gen([])]),
    s('non-contiguous [3,2] (transposed)', () => [gen([3, 2], { nonContig: true })]),
    s('non-contiguous [4] (strided)', () => [gen([4], { nonContig: true })]),
  ];
}

/** The binary samples whose first operand has the broadcast shape (valid for in-place ops). */
const inplaceBinary = (samples: Sample[]): Sample[] => [samples[0], samples[1], samples[4]];

const awayFromZero = (sh: number[], o: { nonContig?: boolean } = {}): Tensor => make(sh, { avoid: [0], margin: 0.2, ...o });

/** Binary samples for maximum/minimum: the operands differ by at least 0.2 everywhere. */
export function separatedPair(shapeA: number[], shapeB: number[], nonContig = false): unknown[] {
  const a = make(shapeA, { nonContig });
  const b = tg.noGrad(() => {
    const off = make(shapeB, { lo: 0.2, hi: 1, requiresGrad: false });
    const sgn = make(shapeB, { avoid: [0], margin: 0.5, requiresGrad: false }).sign();
    return a.detach().expand(shapeB).add(off.mul(sgn));
  });
  return [a, b.detach().clone().requiresGrad_()];
}

// ---------------------------------------------------------------- the registry
export const OPS: OpInfo[] = [
  // ---- arithmetic
  op('add', (a, b) => a.add(b), binarySamples()),
  op('add(number)', (a) => a.add(2.5), unarySamples()),
  op('add(alpha)', (a, b) => a.add(b, { alpha: 2 }), binarySamples()),
  op('add(number, alpha)', (a) => a.add(2, { alpha: -3 }), unarySamples()),
  op('radd tg.add(2, a)', (a) => tg.add(2, a), unarySamples()),
  op('sub', (a, b) => a.sub(b), binarySamples()),
  op('sub(number)', (a) => a.sub(1.5), unarySamples()),
  op('sub(alpha)', (a, b) => a.sub(b, { alpha: 0.5 }), binarySamples()),
  op('rsub tg.sub(10, a)', (a) => tg.sub(10, a), unarySamples()),
  op('rsub(alpha) tg.sub(10, a, {alpha: 2})', (a) => tg.sub(10, a, { alpha: 2 }), unarySamples()),
  op('mul', (a, b) => a.mul(b), binarySamples()),
  op('mul(number)', (a) => a.mul(-1.5), unarySamples()),
  op('rmul tg.mul(3, a)', (a) => tg.mul(3, a), unarySamples()),
  op('mul(self)', (a) => a.mul(a), unarySamples()),
  op('div', (a, b) => a.div(b), binarySamples((sh, o) => nonzero(sh, o))),
  op('div(number)', (a) => a.div(-4), unarySamples()),
  op('rdiv tg.div(1, a)', (a) => tg.div(1, a), unarySamples((sh, o) => nonzero(sh, o))),
  op('rdiv tg.div(3, a)', (a) => tg.div(3, a), unarySamples((sh, o) => nonzero(sh, o))),
  op('neg', (a) => a.neg(), unarySamples()),
  op('tg.neg', (a) => tg.neg(a), [s('[3]', () => [make([3])])]),

  // ---- pow
  op('pow(2)', (a) => a.pow(2), unarySamples()),
  op('pow(3)', (a) => a.pow(3), unarySamples()),
  op('pow(0.5)', (a) => a.pow(0.5), unarySamples((sh, o) => pos(sh, o))),
  op('pow(-1)', (a) => a.pow(-1), unarySamples((sh, o) => nonzero(sh, o))),
  op('pow(-2.5)', (a) => a.pow(-2.5), unarySamples((sh, o) => pos(sh, o))),
  op('pow(0)', (a) => a.pow(0), unarySamples()),
  op('pow(1)', (a) => a.pow(1), unarySamples()),
  op('pow(tensor)', (a, b) => a.pow(b), binarySamples((sh, o) => make(sh, { lo: -1.5, hi: 1.5, ...o }), (sh, o) => pos(sh, o))),
  op('tg.pow(2, x)', (x) => tg.pow(2, x), unarySamples()),
  op('tg.pow(0.5, x)', (x) => tg.pow(0.5, x), unarySamples()),

  // ---- unary math
  op('exp', (a) => a.exp(), unarySamples()),
  op('log', (a) => a.log(), unarySamples((sh, o) => pos(sh, o))),
  op('sqrt', (a) => a.sqrt(), unarySamples((sh, o) => pos(sh, o))),
  op('abs', (a) => a.abs(), unarySamples(awayFromZero)),
  op('relu', (a) => a.relu(), unarySamples(awayFromZero)),
  op('sign', (a) => a.sign(), unarySamples(awayFromZero)),
  op('sin', (a) => a.sin(), unarySamples()),
  op('cos', (a) => a.cos(), unarySamples()),
  op('tanh', (a) => a.tanh(), unarySamples()),
  op('sigmoid', (a) => a.sigmoid(), unarySamples()),
  op('reciprocal', (a) => a.reciprocal(), unarySamples((sh, o) => nonzero(sh, o))),
  op('square', (a) => a.square(), unarySamples()),
  op('floor', (a) => a.floor(), unarySamples((sh, o) => make(sh, { avoidMultiplesOf: 1, margin: 0.1, ...o }))),
  op('ceil', (a) => a.ceil(), unarySamples((sh, o) => make(sh, { avoidMultiplesOf: 1, margin: 0.1, ...o }))),
  op('round', (a) => a.round(), unarySamples((sh, o) => make(sh, { avoidMultiplesOf: 0.5, margin: 0.1, ...o }))),
  op('trunc', (a) => a.trunc(), unarySamples((sh, o) => make(sh, { avoidMultiplesOf: 1, margin: 0.1, ...o }))),

  // ---- clamp / maximum / minimum / where
  op('clamp(min, max)', (a) => a.clamp(-0.5, 0.7), unarySamples((sh, o) => make(sh, { avoid: [-0.5, 0.7], margin: 0.1, ...o }))),
  op('clamp({min})', (a) => a.clamp({ min: 0.3 }), unarySamples((sh, o) => make(sh, { avoid: [0.3], margin: 0.1, ...o }))),
  op('clamp({max})', (a) => a.clamp({ max: -0.2 }), unarySamples((sh, o) => make(sh, { avoid: [-0.2], margin: 0.1, ...o }))),
  op('tg.clamp', (a) => tg.clamp(a, { min: -1, max: 1 }), [s('[5]', () => [make([5], { lo: -3, hi: 3, avoid: [-1, 1], margin: 0.1 })])]),
  op('maximum', (a, b) => a.maximum(b), [
    s('same shape [2,3]', () => separatedPair([2, 3], [2, 3])),
    s('broadcast [3] vs [2,3]', () => separatedPair([3], [2, 3])),
    s('0-d vs [4]', () => separatedPair([], [4])),
    s('non-contiguous [3,2]', () => separatedPair([3, 2], [3, 2], true)),
  ]),
  op('minimum', (a, b) => tg.minimum(a, b), [
    s('same shape [2,3]', () => separatedPair([2, 3], [2, 3])),
    s('broadcast [1,3] vs [2,3]', () => separatedPair([1, 3], [2, 3])),
    s('non-contiguous [3,2]', () => separatedPair([3, 2], [3, 2], true)),
  ]),
  op('where', (cond, a, b) => tg.where(cond, a, b), [
    s('same shape [2,3]', () => [mask([2, 3], 3), make([2, 3]), make([2, 3])]),
    s('broadcast cond [2,3], a [3], b [2,1]', () => [mask([2, 3], 5), make([3]), make([2, 1])]),
    s('0-d b', () => [mask([4], 7), make([4]), make([])]),
    s('non-contiguous a', () => [mask([3, 2], 9), make([3, 2], { nonContig: true }), make([3, 2])]),
  ]),

  // ---- reductions
  op('sum()', (a) => a.sum(), unarySamples()),
  op('sum(dim)', (a) => a.sum(1), [
    s('[2,3]', () => [make([2, 3])]),
    s('[2,3,2]', () => [make([2, 3, 2])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
  ]),
  op('sum(dim, keepdim)', (a) => a.sum(0, true), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('sum(-1)', (a) => a.sum(-1), [s('[2,3]', () => [make([2, 3])]), s('[4]', () => [make([4])])]),
  op('sum([dims])', (a) => a.sum([0, 2]), [s('[2,3,2]', () => [make([2, 3, 2])])]),
  op('sum([dims], keepdim)', (a) => a.sum([0, 2], true), [s('[2,3,2]', () => [make([2, 3, 2])])]),
  op('tg.sum', (a) => tg.sum(a, 1), [s('[2,3]', () => [make([2, 3])])]),
  op('mean()', (a) => a.mean(), unarySamples()),
  op('mean(dim)', (a) => a.mean(1), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('mean(dim, keepdim)', (a) => a.mean(0, true), [s('[2,3]', () => [make([2, 3])]), s('[3,2,2]', () => [make([3, 2, 2])])]),
  op('mean([dims])', (a) => a.mean([0, 1]), [s('[2,3]', () => [make([2, 3])]), s('[2,3,2]', () => [make([2, 3, 2])])]),
  op('mean(-1, keepdim)', (a) => tg.mean(a, -1, true), [s('[2,3]', () => [make([2, 3])])]),
  op('max()', (a) => a.max(), [
    s('[2,3]', () => [make([2, 3])]),
    s('0-d', () => [make([])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
  ]),
  op('min()', (a) => a.min(), [
    s('[2,3]', () => [make([2, 3])]),
    s('non-contiguous [4] (strided)', () => [make([4], { nonContig: true })]),
  ]),
  op('max(dim).values', (a) => a.max(-1).values, [
    s('[2,3]', () => [make([2, 3])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
    s('0-d', () => [make([])]),
  ]),
  op('min(dim, keepdim).values', (a) => tg.min(a, 0, true).values, [s('[3,2,2]', () => [make([3, 2, 2])])]),

  // ---- linear algebra
  op('mm', (a, b) => a.mm(b), [
    s('[2,3]x[3,4]', () => [make([2, 3]), make([3, 4])]),
    s('non-contiguous [3,2]x[2,3]', () => [make([3, 2], { nonContig: true }), make([2, 3], { nonContig: true })]),
    s('[1,3]x[3,1], second constant', () => [make([1, 3]), make([3, 1], { requiresGrad: false })]),
  ]),
  op('tg.mm', (a, b) => tg.mm(a, b), [s('[2,2]x[2,3]', () => [make([2, 2]), make([2, 3])])]),
  op('bmm', (a, b) => a.bmm(b), [
    s('[2,2,3]x[2,3,2]', () => [make([2, 2, 3]), make([2, 3, 2])]),
    s('non-contiguous', () => [make([2, 3, 2], { nonContig: true }), make([2, 2, 3], { nonContig: true })]),
  ]),
  op('mv', (a, v) => a.mv(v), [
    s('[2,3]x[3]', () => [make([2, 3]), make([3])]),
    s('non-contiguous [3,2]x[2]', () => [make([3, 2], { nonContig: true }), make([2], { nonContig: true })]),
  ]),
  op('dot', (a, b) => a.dot(b), [
    s('[3].[3]', () => [make([3]), make([3])]),
    s('non-contiguous [4].[4]', () => [make([4], { nonContig: true }), make([4])]),
  ]),
  op('matmul', (a, b) => a.matmul(b), [
    s('1-D . 1-D', () => [make([3]), make([3])]),
    s('2-D . 1-D', () => [make([2, 3]), make([3])]),
    s('1-D . 2-D', () => [make([3]), make([3, 2])]),
    s('2-D . 2-D', () => [make([2, 3]), make([3, 2])]),
    s('non-contiguous 2-D . 2-D', () => [make([2, 3], { nonContig: true }), make([3, 2], { nonContig: true })]),
  ]),
  op('matmul (batched)', (a, b) => tg.matmul(a, b), [
    s('3-D . 2-D', () => [make([2, 2, 3]), make([3, 2])]),
    s('2-D . 3-D', () => [make([2, 3]), make([2, 3, 2])]),
    s('3-D . 4-D (batch broadcast)', () => [make([2, 2, 3]), make([2, 1, 3, 2])]),
    s('3-D . 1-D', () => [make([2, 2, 3]), make([3])]),
    s('1-D . 3-D', () => [make([3]), make([2, 3, 2])]),
  ]),

  // ---- shape ops and views
  op('t', (a) => a.t(), [s('[2,3]', () => [make([2, 3])]), s('[3]', () => [make([3])]), s('non-contiguous', () => [make([3, 2], { nonContig: true })])]),
  op('transpose', (a) => a.transpose(0, 1), [s('[2,3]', () => [make([2, 3])]), s('[2,3,2]', () => [make([2, 3, 2])])]),
  op('transpose(-1, 0)', (a) => tg.transpose(a, -1, 0), [s('[2,3,2]', () => [make([2, 3, 2])])]),
  op('permute', (a) => a.permute(2, 0, 1), [
    s('[2,3,2]', () => [make([2, 3, 2])]),
    s('non-contiguous [2,2,3]', () => [make([2, 2, 3], { nonContig: true })]),
  ]),
  op('reshape (view)', (a) => a.reshape(3, 2), [s('[2,3]', () => [make([2, 3])]), s('[6]', () => [make([6])])]),
  op('reshape (copy)', (a) => a.reshape(-1), [
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
    s('non-contiguous [4] (strided)', () => [make([4], { nonContig: true })]),
  ]),
  op('reshape 0-d', (a) => a.reshape(1, 1), [s('0-d', () => [make([])])]),
  op('view', (a) => a.view(3, 2), [s('[2,3]', () => [make([2, 3])]), s('[6]', () => [make([6])])]),
  op('view(-1)', (a) => a.view(-1), [s('[2,3]', () => [make([2, 3])]), s('0-d', () => [make([])])]),
  op('squeeze()', (a) => a.squeeze(), [s('[1,3,1]', () => [make([1, 3, 1])]), s('[1,1]', () => [make([1, 1])])]),
  op('squeeze(dim)', (a) => a.squeeze(1), [s('[2,1,3]', () => [make([2, 1, 3])]), s('[2,3] (no-op)', () => [make([2, 3])])]),
  op('unsqueeze', (a) => a.unsqueeze(1), [s('[2,3]', () => [make([2, 3])]), s('[3]', () => [make([3])]), s('non-contiguous', () => [make([3, 2], { nonContig: true })])]),
  op('unsqueeze(-1)', (a) => tg.unsqueeze(a, -1), [s('0-d', () => [make([])]), s('[2,2]', () => [make([2, 2])])]),
  op('expand', (a) => a.expand(2, 3), [
    s('[3] -> [2,3]', () => [make([3])]),
    s('[2,1] -> [2,3]', () => [make([2, 1])]),
    s('0-d -> [2,3]', () => [make([])]),
  ]),
  op('expand(-1)', (a) => a.expand(4, -1, 3), [s('[2,1] -> [4,2,3]', () => [make([2, 1])])]),
  op('expandAs', (a, b) => a.expandAs(b), [s('[1,3] as [2,3]', () => [make([1, 3]), make([2, 3], { requiresGrad: false })])]),
  op('index(int)', (a) => a.index(1), [s('[3,2]', () => [make([3, 2])]), s('[4]', () => [make([4])]), s('non-contiguous', () => [make([3, 2], { nonContig: true })])]),
  op('index(int, -1)', (a) => a.index(0, -1), [s('[2,3]', () => [make([2, 3])])]),
  op('index(slice)', (a) => a.index('1:3'), [s('[4]', () => [make([4])]), s('[4,2]', () => [make([4, 2])])]),
  op('index(":", "1:")', (a) => a.index(':', '1:'), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous', () => [make([2, 3], { nonContig: true })])]),
  op('index("::2")', (a) => a.index('::2'), [s('[5]', () => [make([5])]), s('[4,2]', () => [make([4, 2])])]),
  op('index("1::2", "-2:")', (a) => a.index('1::2', '-2:'), [s('[5,3]', () => [make([5, 3])])]),
  op('index(":-1")', (a) => a.index(':-1'), [s('[4]', () => [make([4])])]),
  op('index(null)', (a) => a.index(null), [s('[3]', () => [make([3])]), s('0-d', () => [make([])])]),
  op('index(":", null, 0)', (a) => a.index(':', null, 0), [s('[2,3]', () => [make([2, 3])])]),
  op('index("...", 1)', (a) => a.index('...', 1), [s('[2,2,3]', () => [make([2, 2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('index(0, "...")', (a) => a.index(0, '...'), [s('[2,2,3]', () => [make([2, 2, 3])])]),
  op('tg.index', (a) => tg.index(a, ':', 1), [s('[2,3]', () => [make([2, 3])])]),
  op('contiguous', (a) => a.contiguous(), [s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]), s('contiguous [2,3]', () => [make([2, 3])])]),
  op('clone', (a) => a.clone(), unarySamples()),
  op("to('float64')", (a) => a.to('float64'), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous', () => [make([3, 2], { nonContig: true })])]),
  op('double', (a) => a.mul(1).double(), [s('[3]', () => [make([3])])]),
  op('float (float32 output)', (a) => a.float(), [s('[3]', () => [make([3])])], { gradcheckOpts: { eps: 1e-2, atol: 1e-4, rtol: 1e-3 } }),
  // multi-output views: every piece is an output (op returns an array)
  op('unbind', (a) => a.unbind(1), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('split', (a) => a.split(2, 0), [s('[5,2]', () => [make([5, 2])])]),
  op('split (sizes)', (a) => a.split([1, 3], 1), [s('[2,4]', () => [make([2, 4])])]),
  op('chunk', (a) => a.chunk(2, -1), [s('[2,5]', () => [make([2, 5])])]),
  op("to('float32') (float32 output)", (a) => a.to('float32'), [s('[3]', () => [make([3])]), s('non-contiguous', () => [make([3, 2], { nonContig: true })])], {
    // float32 outputs: linear op, so a large eps is exact up to float32 rounding
    gradcheckOpts: { eps: 1e-2, atol: 1e-4, rtol: 1e-3 },
  }),
  op('asStrided', (a) => a.asStrided([2, 2], [1, 2], 1), [s('[6]', () => [make([6])]), s('[2,3]', () => [make([2, 3])])]),
  op('asStrided (overlapping)', (a) => a.asStrided([3, 2], [1, 1]), [s('[4]', () => [make([4])])]),

  // ---- in-place ops, run on a non-leaf copy (PyTorch's test_inplace_grad)
  op('add_(tensor)', (a, b) => a.mul(1).add_(b), inplaceBinary(binarySamples())),
  op('add_(number, alpha)', (a) => a.mul(1).add_(2, { alpha: 3 }), unarySamples().slice(0, 2)),
  op('sub_(tensor, alpha)', (a, b) => a.mul(1).sub_(b, { alpha: 2 }), binarySamples().slice(0, 2)),
  op('mul_(tensor)', (a, b) => a.mul(1).mul_(b), inplaceBinary(binarySamples())),
  op('mul_(number)', (a) => a.mul(1).mul_(-2), unarySamples().slice(0, 2)),
  op('div_(tensor)', (a, b) => a.mul(1).div_(b), binarySamples((sh, o) => nonzero(sh, o)).slice(0, 2)),
  op('pow_(number)', (a) => a.mul(1).pow_(3), unarySamples().slice(0, 2)),
  op('neg_', (a) => a.mul(1).neg_(), unarySamples().slice(0, 2)),
  op('exp_', (a) => a.mul(1).exp_(), unarySamples().slice(0, 2)),
  op('log_', (a) => a.mul(1).log_(), unarySamples((sh, o) => pos(sh, o)).slice(0, 2)),
  op('sqrt_', (a) => a.mul(1).sqrt_(), unarySamples((sh, o) => pos(sh, o)).slice(0, 2)),
  op('abs_', (a) => a.mul(1).abs_(), unarySamples(awayFromZero).slice(0, 2)),
  op('relu_', (a) => a.mul(1).relu_(), unarySamples(awayFromZero).slice(0, 2)),
  op('sin_', (a) => a.mul(1).sin_(), unarySamples().slice(0, 2)),
  op('cos_', (a) => a.mul(1).cos_(), unarySamples().slice(0, 2)),
  op('tanh_', (a) => a.mul(1).tanh_(), unarySamples().slice(0, 2)),
  op('sigmoid_', (a) => a.mul(1).sigmoid_(), unarySamples().slice(0, 2)),
  op('clamp_', (a) => a.mul(1).clamp_(-0.5, 0.7), unarySamples((sh, o) => make(sh, { avoid: [-0.5, 0.7], margin: 0.1, ...o })).slice(0, 2)),
  op('zero_', (a) => a.mul(1).zero_().add(a), unarySamples().slice(0, 2)),
  op('fill_', (a) => a.mul(2).fill_(3).mul(a), unarySamples().slice(0, 2)),
  op('copy_', (a, b) => a.mul(1).copy_(b), [
    s('[2,3] <- [2,3]', () => [make([2, 3]), make([2, 3])]),
    s('[2,3] <- [3] (broadcast)', () => [make([2, 3]), make([3])]),
    s('[2,3] <- non-contiguous', () => [make([2, 3]), make([2, 3], { nonContig: true })]),
  ]),
  op('indexPut_(int, tensor) (CopySlices)', (a, v) => a.mul(1).indexPut_(1, v), [
    s('[3,2] <- [2]', () => [make([3, 2]), make([2])]),
    s('[3,2] <- 0-d (broadcast)', () => [make([3, 2]), make([])]),
  ]),
  op('indexPut_(slice, tensor) (CopySlices)', (a, v) => a.mul(1).indexPut_(':', '::2', v), [s('[2,4] <- [2,2]', () => [make([2, 4]), make([2, 2])])]),
  op('indexPut_(slice, number)', (a) => a.mul(1).indexPut_('1:', 5), [s('[4]', () => [make([4])])]),
  op('mul_ on a view of a non-leaf (CopySlices)', (a, b) => {
    const y = a.mul(1);
    y.index('1:').mul_(b);
    return y;
  }, [s('[3] and [2]', () => [make([3]), make([2])]), s('[3,2] and 0-d', () => [make([3, 2]), make([])])]),
  op('sin_ on a transposed view of a non-leaf', (a) => {
    const y = a.mul(1);
    y.t().sin_();
    return y;
  }, [s('[2,3]', () => [make([2, 3])])]),

  // ---- compositions (the chain rule across several ops)
  op('composite: sigmoid(x@W + b).sum(1)', (x, w, b) => x.matmul(w).add(b).sigmoid().sum(1), [
    s('[2,3]@[3,2]+[2]', () => [make([2, 3]), make([3, 2]), make([2])]),
  ]),
  op('composite: (x*y).exp().mean() with shared input', (x) => x.mul(x.t()).exp().mean(), [s('[2,2]', () => [make([2, 2], { lo: -1, hi: 1 })])]),
];
