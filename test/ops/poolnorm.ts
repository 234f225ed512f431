/**
 * Gradcheck samples of the pooling and normalization ops (lib/nn/poolnorm.ts). Entry names
 * start with the op's name. Max pooling inputs are random and distinct, so no window has a
 * tie within the finite-difference step; batch-norm variances stay well away from 0.
 */
import * as tg from '../../lib';
import { Tensor } from '../../lib';
import { make } from '../helpers/make';
import type { OpInfo } from '../ops_registry';
import { op, s } from '../ops_registry';

const F = tg.nn.functional;
const c = (shape: number[], lo = -2, hi = 2): Tensor => make(shape, { lo, hi, requiresGrad: false });

export const POOLNORM_OPS: OpInfo[] = [
  // ---- max pooling
  op('maxPool2d', (x, k, o) => F.maxPool2d(x, k, o), [
    s('[2,2,4,5] k2', () => [make([2, 2, 4, 5]), 2, {}]),
    s('[1,2,5,5] k3 s2 p1 ceil', () => [make([1, 2, 5, 5]), 3, { stride: 2, padding: 1, ceilMode: true }]),
    s('unbatched [2,5,6] k[2,3] s1 dilation 2', () => [make([2, 5, 6]), [2, 3], { stride: 1, dilation: 2 }]),
    s('non-contiguous [1,1,4,4] k2 s1', () => [make([1, 1, 4, 4], { nonContig: true }), 2, { stride: 1 }]),
  ]),
  op('maxPool2d(indices)', (x) => F.maxPool2d(x, 2, { returnIndices: true })[0], [s('[1,2,4,4]', () => [make([1, 2, 4, 4])])]),
  op('maxPool1d', (x, k, o) => F.maxPool1d(x, k, o), [
    s('[2,2,7] k3 s2 p1', () => [make([2, 2, 7]), 3, { stride: 2, padding: 1 }]),
    s('unbatched non-contiguous [3,6] k2', () => [make([3, 6], { nonContig: true }), 2, {}]),
  ]),
  op('adaptiveMaxPool2d', (x, o) => F.adaptiveMaxPool2d(x, o), [
    s('[1,2,5,7] to [3,4]', () => [make([1, 2, 5, 7]), [3, 4]]),
    s('unbatched [2,4,3] to [null,2]', () => [make([2, 4, 3]), [null, 2]]),
  ]),
  op('adaptiveMaxPool1d', (x, o) => F.adaptiveMaxPool1d(x, o), [s('[2,2,7] to 3', () => [make([2, 2, 7]), 3])]),

  // ---- average pooling
  op('avgPool2d', (x, k, o) => F.avgPool2d(x, k, o), [
    s('[2,2,4,5] k2', () => [make([2, 2, 4, 5]), 2, {}]),
    s('[1,2,5,5] k3 s2 p1 ceil, padding not counted', () => [make([1, 2, 5, 5]), 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }]),
    s('unbatched [2,4,5] k[2,3] divisorOverride 4', () => [make([2, 4, 5]), [2, 3], { stride: 1, divisorOverride: 4 }]),
    s('non-contiguous [1,1,4,4] k3 p1', () => [make([1, 1, 4, 4], { nonContig: true }), 3, { padding: 1 }]),
  ]),
  op('avgPool1d', (x, k, o) => F.avgPool1d(x, k, o), [
    s('[2,2,7] k3 s2 p1', () => [make([2, 2, 7]), 3, { stride: 2, padding: 1 }]),
    s('unbatched non-contiguous [3,6] k2 ceil', () => [make([3, 6], { nonContig: true }), 2, { stride: 3, ceilMode: true }]),
  ]),
  op('adaptiveAvgPool2d', (x, o) => F.adaptiveAvgPool2d(x, o), [
    s('[1,2,5,7] to [3,4]', () => [make([1, 2, 5, 7]), [3, 4]]),
    s('unbatched [2,3,4] to 5 (overlapping windows)', () => [make([2, 3, 4]), 5]),
    s('[2,2,3,3] to 1 (a mean)', () => [make([2, 2, 3, 3]), 1]),
  ]),
  op('adaptiveAvgPool1d', (x, o) => F.adaptiveAvgPool1d(x, o), [s('[2,2,7] to 3', () => [make([2, 2, 7]), 3])]),

  // ---- normalization
  op('batchNorm', (x, rm, rv, o) => F.batchNorm(x, rm, rv, o), [
    s('training [4,3] weight bias', () => [make([4, 3]), c([3]), c([3], 0.5, 2), { weight: make([3]), bias: make([3]), training: true }]),
    s('training [2,3,4] no affine, no running stats', () => [make([2, 3, 4]), null, null, { training: true, eps: 1e-3 }]),
    s('eval [2,3,2,2] weight bias', () => [make([2, 3, 2, 2]), c([3]), c([3], 0.5, 2), { weight: make([3]), bias: make([3]) }]),
    s('training non-contiguous [3,4] weight', () => [make([3, 4], { nonContig: true }), c([4]), c([4], 0.5, 2), { weight: make([4]), training: true }]),
  ]),
  op('groupNorm', (x, g, o) => F.groupNorm(x, g, o), [
    s('[2,4,3] G2 weight bias', () => [make([2, 4, 3]), 2, { weight: make([4]), bias: make([4]) }]),
    s('[2,3,2,2] G1', () => [make([2, 3, 2, 2]), 1, {}]),
    s('non-contiguous [3,4] G2 weight, eps 1e-3', () => [make([3, 4], { nonContig: true }), 2, { weight: make([4]), eps: 1e-3 }]),
  ]),
  op('instanceNorm', (x, o) => F.instanceNorm(x, o), [
    s('[2,3,4] weight bias', () => [make([2, 3, 4]), { weight: make([3]), bias: make([3]) }]),
    s('[2,2,2,3] with running stats updated', () => [make([2, 2, 2, 3]), { runningMean: c([2]), runningVar: c([2], 0.5, 2) }]),
    s('non-contiguous [2,3,4] from running stats', () => [make([2, 3, 4], { nonContig: true }), { runningMean: c([3]), runningVar: c([3], 0.5, 2), useInputStats: false }]),
  ]),
];
