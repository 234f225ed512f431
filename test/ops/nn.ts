/**
 * Gradcheck samples of the nn.functional family (lib/nn/functional.ts). Entry names start
 * with the op's name. Inputs stay away from kinks: |input - target| away from beta/delta for
 * smooth L1 / Huber, probabilities inside (0, 1) for BCE, margins away from 0 for ranking.
 */
import * as tg from '../../lib';
import { Tensor } from '../../lib';
import { make, nonzero, pos } from '../helpers/make';
import type { OpInfo } from '../ops_registry';
import { op, s } from '../ops_registry';

const F = tg.nn.functional;
const long = (data: unknown[]): Tensor => tg.tensor(data as number[], { dtype: 'int64' });
const c64 = (data: unknown[]): Tensor => tg.tensor(data as number[], { dtype: 'float64' });

/** A target at distance in [0.3, 0.7] or [1.4, 2] from x (elementwise), never near 1. */
function offsetTarget(x: Tensor, seed: number): Tensor {
  return tg.noGrad(() => {
    const u = make(x.shape, { lo: 0, hi: 1, requiresGrad: false, seed });
    const sgn = make(x.shape, { avoid: [0], margin: 0.3, requiresGrad: false, seed: seed + 1 }).sign();
    const small = u.mul(0.4).add(0.3);
    const big = u.mul(0.6).add(1.4);
    const d = tg.where(u.gt(0.5), big, small).mul(sgn);
    return x.detach().add(d);
  });
}

const probs = (shape: number[], o: { nonContig?: boolean; requiresGrad?: boolean } = {}): Tensor => make(shape, { lo: 0.1, hi: 0.9, ...o });

export const OPS: OpInfo[] = [
  // ---- softmax family
  op('softmax', (x, d) => F.softmax(x, d), [
    s('[2,3] dim 1', () => [make([2, 3]), 1]),
    s('[2,3,4] dim 1 (inner stride)', () => [make([2, 3, 4]), 1]),
    s('0-d', () => [make([]), 0]),
    s('non-contiguous [3,4] dim -1', () => [make([3, 4], { nonContig: true }), -1]),
  ]),
  op('softmax(method)', (x) => x.softmax(0), [s('[4]', () => [make([4])])]),
  op('logSoftmax', (x, d) => F.logSoftmax(x, d), [
    s('[2,3] dim 1', () => [make([2, 3]), 1]),
    s('[2,3,4] dim 0', () => [make([2, 3, 4]), 0]),
    s('non-contiguous [3,4] dim 1', () => [make([3, 4], { nonContig: true }), 1]),
  ]),
  op('softmin', (x) => F.softmin(x, -1), [s('[2,3]', () => [make([2, 3])])]),

  // ---- linear
  op('linear', (x, w, b) => F.linear(x, w, b), [
    s('[2,3] with bias', () => [make([2, 3]), make([4, 3]), make([4])]),
    s('[2,3] without bias', () => [make([2, 3]), make([4, 3]), null]),
    s('batched [2,2,3] with bias', () => [make([2, 2, 3]), make([4, 3]), make([4])]),
    s('1-D [3] with bias', () => [make([3]), make([2, 3]), make([2])]),
    s('non-contiguous [3,2] with bias', () => [make([3, 2], { nonContig: true }), make([4, 2], { nonContig: true }), make([4])]),
  ]),
  op('bilinear', (a, b, w, bias) => F.bilinear(a, b, w, bias), [
    s('[2,3] x [2,4] -> [2,5]', () => [make([2, 3]), make([2, 4]), make([5, 3, 4]), make([5])]),
    s('no bias, batched [2,2,2]', () => [make([2, 2, 2]), make([2, 2, 3]), make([2, 2, 3]), null]),
  ]),

  // ---- dropout (reseeded inside, so every evaluation draws the same mask)
  op('dropout', (x) => { tg.manualSeed(3); return F.dropout(x, { p: 0.4 }); }, [
    s('[3,4]', () => [make([3, 4])]),
    s('non-contiguous [3,4]', () => [make([3, 4], { nonContig: true })]),
  ]),
  op('alphaDropout', (x) => { tg.manualSeed(5); return F.alphaDropout(x, { p: 0.3 }); }, [s('[3,4]', () => [make([3, 4])])]),

  // ---- classification losses
  op('crossEntropy', (x, t, o) => F.crossEntropy(x, t, o), [
    s('[3,4] class indices, mean', () => [make([3, 4]), long([1, 0, 3]), {}]),
    s('weight, ignoreIndex, sum', () => [make([4, 3]), long([2, -100, 0, 2]), { weight: pos([3], { requiresGrad: false }), reduction: 'sum' }]),
    s('labelSmoothing 0.2 with weight, mean', () => [make([3, 4]), long([1, 0, 3]), { weight: pos([4], { requiresGrad: false }), labelSmoothing: 0.2 }]),
    s('[2,3,2] K-dim targets, none, non-contiguous', () => [make([2, 3, 2], { nonContig: true }), long([[0, 2], [1, 1]]), { reduction: 'none' }]),
    s('probability targets with smoothing', () => [make([2, 3]), make([2, 3], { lo: 0, hi: 1 }), { labelSmoothing: 0.1 }]),
  ]),
  op('nllLoss', (x, t, o) => F.nllLoss(x, t, o), [
    s('[3,4] mean', () => [make([3, 4]), long([1, 0, 3]), {}]),
    s('weight and ignoreIndex 1, mean', () => [make([3, 4]), long([1, 0, 3]), { weight: pos([4], { requiresGrad: false }), ignoreIndex: 1 }]),
    s('[4] single sample', () => [make([4]), long(2 as unknown as unknown[]), {}]),
    s('[2,3,2] none, non-contiguous', () => [make([2, 3, 2], { nonContig: true }), long([[0, 2], [1, 1]]), { reduction: 'none' }]),
  ]),

  // ---- regression losses
  op('mseLoss', (x, y, o) => F.mseLoss(x, y, o), [
    s('[2,3] mean', () => [make([2, 3]), make([2, 3]), {}]),
    s('[2,3] sum, target constant', () => [make([2, 3]), make([2, 3], { requiresGrad: false }), { reduction: 'sum' }]),
    s('none, non-contiguous', () => [make([3, 2], { nonContig: true }), make([3, 2]), { reduction: 'none' }]),
  ]),
  op('l1Loss', (x, y, o) => F.l1Loss(x, y, o), [
    s('[2,3] mean', () => { const x = make([2, 3]); return [x, offsetTarget(x, 11).requiresGrad_(), {}]; }),
  ]),
  op('smoothL1Loss', (x, y, o) => F.smoothL1Loss(x, y, o), [
    s('beta 1, mean', () => { const x = make([2, 3]); return [x, offsetTarget(x, 21).requiresGrad_(), {}]; }),
    s('beta 1, none, non-contiguous', () => { const x = make([3, 2], { nonContig: true }); return [x, offsetTarget(x, 31), { beta: 1.0, reduction: 'none' }]; }),
  ]),
  op('huberLoss', (x, y, o) => F.huberLoss(x, y, o), [
    s('delta 1, mean', () => { const x = make([2, 3]); return [x, offsetTarget(x, 41).requiresGrad_(), {}]; }),
    s('delta 1, sum', () => { const x = make([4]); return [x, offsetTarget(x, 51), { reduction: 'sum' }]; }),
  ]),
  op('binaryCrossEntropy', (x, y, o) => F.binaryCrossEntropy(x, y, o), [
    s('[2,3] mean', () => [probs([2, 3]), probs([2, 3]), {}]),
    s('weight, sum, non-contiguous', () => [probs([3, 2], { nonContig: true }), probs([3, 2], { requiresGrad: false }), { weight: pos([2], { requiresGrad: false }), reduction: 'sum' }]),
  ]),
  op('binaryCrossEntropyWithLogits', (x, y, o) => F.binaryCrossEntropyWithLogits(x, y, o), [
    s('[2,3] mean', () => [make([2, 3]), probs([2, 3]), {}]),
    s('weight and posWeight, none', () => [make([2, 3]), probs([2, 3]), { weight: pos([3], { requiresGrad: false }), posWeight: pos([3], { requiresGrad: false }), reduction: 'none' }]),
    s('posWeight, non-contiguous', () => [make([3, 2], { nonContig: true }), probs([3, 2], { requiresGrad: false }), { posWeight: pos([2], { requiresGrad: false }) }]),
  ]),
  op('klDiv', (x, y, o) => F.klDiv(x, y, o), [
    s('batchmean', () => [make([2, 3]), pos([2, 3]), { reduction: 'batchmean' }]),
    s('logTarget, sum', () => [make([2, 3]), make([2, 3]), { reduction: 'sum', logTarget: true }]),
  ]),
  op('marginRankingLoss', (a, b, y, o) => F.marginRankingLoss(a, b, y, o), [
    s('margin 0.1', () => {
      const a = make([4]);
      const b = tg.noGrad(() => offsetTarget(a, 61)).requiresGrad_();
      return [a, b, c64([1, -1, 1, -1]), { margin: 0.1 }];
    }),
  ]),

  // ---- distances and normalization
  op('cosineSimilarity', (a, b, o) => F.cosineSimilarity(a, b, o), [
    s('[2,3] dim 1', () => [nonzero([2, 3]), nonzero([2, 3]), {}]),
    s('broadcast [2,3] with [3], dim -1', () => [nonzero([2, 3]), nonzero([3]), { dim: -1 }]),
    s('non-contiguous [3,2] dim 0', () => [nonzero([3, 2], { nonContig: true }), nonzero([3, 2]), { dim: 0 }]),
  ]),
  op('pairwiseDistance', (a, b, o) => F.pairwiseDistance(a, b, o), [
    s('[2,3] p 2', () => [make([2, 3]), make([2, 3]), {}]),
    s('[2,3] p 3, keepdim', () => [make([2, 3]), make([2, 3]), { p: 3, keepdim: true }]),
  ]),
  op('normalize', (x, o) => F.normalize(x, o), [
    s('[2,3] p 2 dim 1', () => [nonzero([2, 3]), {}]),
    s('[2,3] p 1 dim 0', () => [nonzero([2, 3]), { p: 1, dim: 0 }]),
    s('non-contiguous [3,2]', () => [nonzero([3, 2], { nonContig: true }), {}]),
  ]),
  op('layerNorm', (x, shape, w, b) => F.layerNorm(x, shape, w, b), [
    s('[2,4] with weight and bias', () => [make([2, 4]), [4], make([4]), make([4])]),
    s('[2,2,3] over [2,3], no affine', () => [make([2, 2, 3]), [2, 3], null, null]),
    s('non-contiguous [3,4] weight only', () => [make([3, 4], { nonContig: true }), [4], make([4]), null]),
  ]),
  op('embedding', (idx, w, o) => F.embedding(idx, w, o), [
    s('[2,3] indices with repeats', () => [long([[0, 2, 2], [4, 0, 1]]), make([5, 3]), {}]),
    s('non-contiguous weight, paddingIdx not used', () => [long([1, 2, 2, 3]), make([4, 2], { nonContig: true }), { paddingIdx: 0 }]),
  ]),
  op('pad', (x, p, o) => F.pad(x, p, o), [
    s('constant [1,2] value 0.5', () => [make([2, 3]), [1, 2], { value: 0.5 }]),
    s('constant with negative pads (crop) over 2 dims', () => [make([3, 4]), [-1, 1, 1, -1], {}]),
    s('reflect [2,1] on [2,4]', () => [make([2, 4]), [2, 1], { mode: 'reflect' }]),
    s('replicate 2-D on [1,3,3]', () => [make([1, 3, 3]), [1, 2, 2, 1], { mode: 'replicate' }]),
    s('reflect 2-D, non-contiguous', () => [make([3, 4], { nonContig: true }), [1, 1, 2, 1], { mode: 'reflect' }]),
  ]),
];
