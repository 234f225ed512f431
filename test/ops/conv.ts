/**
 * Gradcheck samples of the convolutions (lib/nn/conv.ts). Tiny shapes, so the float64
 * gradcheck / gradgradcheck sweep stays fast; every op claims double backward (its backward
 * is built from the same convolution ops, Note [Convolution adjoints] in csrc/ops/conv.cpp).
 */
import * as tg from '../../lib';
import { make } from '../helpers/make';
import type { OpInfo } from '../ops_registry';
import { op, s } from '../ops_registry';

const F = tg.nn.functional;
const fixed = (shape: number[]) => make(shape, { requiresGrad: false });

export const CONV_OPS: OpInfo[] = [
  op('conv2d', (x, w, b, o) => F.conv2d(x, w, b, o), [
    s('[1,2,4,4] k3 with bias', () => [make([1, 2, 4, 4]), make([2, 2, 3, 3]), make([2]), {}]),
    s('stride 2 padding 1 dilation [1,2], no bias', () => [make([2, 1, 5, 4]), make([2, 1, 2, 2]), null, { stride: 2, padding: 1, dilation: [1, 2] }]),
    s('groups 2, padding same with even kernel', () => [make([1, 4, 3, 3]), make([2, 2, 2, 2]), make([2]), { groups: 2, padding: 'same' }]),
    s('unbatched [2,3,3], stride [1,2]', () => [make([2, 3, 3]), make([2, 2, 2, 2]), make([2]), { stride: [1, 2] }]),
    s('non-contiguous input [1,2,3,4], constant weight', () => [make([1, 2, 3, 4], { nonContig: true }), fixed([3, 2, 2, 2]), make([3]), { padding: [0, 1] }]),
  ]),
  op('conv1d', (x, w, b, o) => F.conv1d(x, w, b, o), [
    s('[2,2,5] k3 with bias', () => [make([2, 2, 5]), make([3, 2, 3]), make([3]), {}]),
    s('stride 2 padding 1 dilation 2 groups 2', () => [make([1, 4, 7]), make([2, 2, 2]), make([2]), { stride: 2, padding: 1, dilation: 2, groups: 2 }]),
    s('padding same with even kernel, no bias', () => [make([1, 2, 5]), make([2, 2, 4]), null, { padding: 'same' }]),
    s('unbatched non-contiguous [3,4]', () => [make([3, 4], { nonContig: true }), make([2, 3, 2]), null, {}]),
  ]),
  op('convTranspose2d', (x, w, b, o) => F.convTranspose2d(x, w, b, o), [
    s('[1,2,3,3] k2 with bias', () => [make([1, 2, 3, 3]), make([2, 3, 2, 2]), make([3]), {}]),
    s('stride 2 padding 1 outputPadding 1, no bias', () => [make([1, 2, 2, 3]), make([2, 1, 3, 3]), null, { stride: 2, padding: 1, outputPadding: 1 }]),
    s('groups 2 dilation 2 stride [2,1]', () => [make([1, 2, 2, 2]), make([2, 2, 2, 2]), make([4]), { groups: 2, dilation: 2, stride: [2, 1] }]),
    s('unbatched non-contiguous [2,3,2]', () => [make([2, 3, 2], { nonContig: true }), make([2, 2, 2, 2]), null, { stride: 2 }]),
  ]),
  op('convTranspose1d', (x, w, b, o) => F.convTranspose1d(x, w, b, o), [
    s('[2,2,3] stride 3 padding 1 outputPadding 2', () => [make([2, 2, 3]), make([2, 3, 3]), make([3]), { stride: 3, padding: 1, outputPadding: 2 }]),
    s('unbatched [2,4] groups 2', () => [make([2, 4]), make([2, 1, 2]), null, { groups: 2 }]),
  ]),
];
