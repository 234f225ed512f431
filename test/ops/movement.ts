// Gradcheck samples of the movement ops (lib/ops/movement.ts): views and copies, with 0-d,
// empty and non-contiguous inputs where the op takes them. All formulas are written in
// differentiable ops, so every entry claims double backward.
import * as tg from '../../lib';
import { Tensor } from '../../lib';
import { make } from '../helpers/make';
import type { OpInfo } from '../ops_registry';
import { op, s } from '../ops_registry';



const i64 = (v: number[]): Tensor => tg.tensor(v, { dtype: 'int64' });

export const MOVEMENT_OPS: OpInfo[] = [
  // ---- views
  op('flatten', (a) => a.flatten(), [
    s('[2,3,2]', () => [make([2, 3, 2])]),
    s('0-d', () => [make([])]),
    s('non-contiguous [3,2] (copy)', () => [make([3, 2], { nonContig: true })]),
  ]),
  op('flatten(1, 2)', (a) => tg.flatten(a, 1, 2), [s('[2,3,2]', () => [make([2, 3, 2])]), s('empty [2,0,3]', () => [make([2, 0, 3])])]),
  op('unflatten', (a) => a.unflatten(1, [2, -1]), [
    s('[3,4]', () => [make([3, 4])]),
    s('non-contiguous [2,4]', () => [make([2, 4], { nonContig: true })]),
  ]),
  op('swapaxes', (a) => a.swapaxes(0, -1), [s('[2,3,2]', () => [make([2, 3, 2])])]),
  op('movedim', (a) => a.movedim([0, 1], [2, 0]), [
    s('[2,3,4]', () => [make([2, 3, 4])]),
    s('non-contiguous [2,2,3]', () => [make([2, 2, 3], { nonContig: true })]),
  ]),
  op('mT', (a) => a.mT(), [s('[2,3,2]', () => [make([2, 3, 2])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('broadcastTo', (a) => a.broadcastTo([2, 3, 2]), [s('[3,1]', () => [make([3, 1])]), s('0-d', () => [make([])])]),
  op('narrow', (a) => a.narrow(1, -2, 2), [
    s('[2,3]', () => [make([2, 3])]),
    s('non-contiguous [3,3]', () => [make([3, 3], { nonContig: true })]),
  ]),
  op('diagonal', (a) => a.diagonal(), [s('[3,3]', () => [make([3, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('diagonal(-1, 2, 0)', (a) => a.diagonal(-1, 2, 0), [s('[3,2,4]', () => [make([3, 2, 4])])]),

  // ---- copies
  op('cat', (a, b) => tg.cat([a, b], 1), [
    s('[2,3] and [2,2]', () => [make([2, 3]), make([2, 2])]),
    s('non-contiguous [3,2] and [3,1]', () => [make([3, 2], { nonContig: true }), make([3, 1])]),
    s('with an empty [2,0], second constant', () => [make([2, 0]), make([2, 2], { requiresGrad: false })]),
  ]),
  op('cat (legacy empty [0])', (a, b) => tg.cat([a, b]), [s('[0] and [2,2]', () => [make([0]), make([2, 2])])]),
  op('stack', (a, b) => tg.stack([a, b], -1), [
    s('[2,3] twice', () => [make([2, 3]), make([2, 3])]),
    s('0-d twice', () => [make([]), make([])]),
    s('non-contiguous [3,2] with [3,2]', () => [make([3, 2], { nonContig: true }), make([3, 2])]),
  ]),
  op('hstack', (a, b) => tg.hstack([a, b]), [s('[2] and [3]', () => [make([2]), make([3])]), s('[2,1] and [2,2]', () => [make([2, 1]), make([2, 2])])]),
  op('vstack', (a, b) => tg.vstack([a, b]), [s('[3] and [2,3]', () => [make([3]), make([2, 3])]), s('0-d and 0-d', () => [make([]), make([])])]),
  op('repeat', (a) => a.repeat(2, 1, 3), [
    s('[2,2]', () => [make([2, 2])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
    s('0-d', () => [make([])]),
  ]),
  op('tile', (a) => a.tile(2), [s('[2,3]', () => [make([2, 3])]), s('[3]', () => [make([3])])]),
  op('repeatInterleave', (a) => a.repeatInterleave(2), [s('[2,2]', () => [make([2, 2])]), s('0-d', () => [make([])])]),
  op('repeatInterleave(tensor, dim)', (a) => a.repeatInterleave(i64([2, 0, 3]), 0), [
    s('[3,2]', () => [make([3, 2])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
  ]),
  op('flip', (a) => a.flip(0, -1), [
    s('[2,3]', () => [make([2, 3])]),
    s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })]),
  ]),
  op('flip(0)', (a) => tg.flip(a, 0), [s('0-d', () => [make([])]), s('non-contiguous [4] (strided)', () => [make([4], { nonContig: true })])]),
  op('roll', (a) => a.roll([1, -3], [0, 1]), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('roll (flattened)', (a) => a.roll(4), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('rot90', (a) => a.rot90(), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('rot90(2)', (a) => a.rot90(2, [1, 2]), [s('[2,2,3]', () => [make([2, 2, 3])])]),
  op('rot90(-1)', (a) => a.rot90(-1), [s('[2,3]', () => [make([2, 3])])]),
  op('tril', (a) => a.tril(), [s('[3,3]', () => [make([3, 3])]), s('non-contiguous [2,3,4]', () => [make([2, 3, 4], { nonContig: true })])]),
  op('triu', (a) => a.triu(1), [s('[3,4]', () => [make([3, 4])]), s('non-contiguous [3,2]', () => [make([3, 2], { nonContig: true })])]),
  op('diag', (a) => a.diag(1), [s('[3]', () => [make([3])]), s('[3,4]', () => [make([3, 4])]), s('non-contiguous [3,3]', () => [make([3, 3], { nonContig: true })])]),
  op('diagEmbed', (a) => a.diagEmbed(-1), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [4] (strided)', () => [make([4], { nonContig: true })])]),
  op('diagEmbed(0, 0, 2)', (a) => a.diagEmbed(0, 0, 2), [s('[2,3]', () => [make([2, 3])])]),
  op('trace', (a) => a.trace(), [s('[3,3]', () => [make([3, 3])]), s('non-contiguous [2,3]', () => [make([2, 3], { nonContig: true })])]),
];
