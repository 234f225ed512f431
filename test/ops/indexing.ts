// Gradcheck samples of the indexing ops (lib/ops/indexing.ts) and the linalg compositions
// (lib/ops/linalg.ts). Index tensors are constants captured by each op; inputs cover 0-d,
// empty, broadcast and non-contiguous cases. Every formula is written in differentiable
// ops, so every entry claims double backward.
import * as tg from '../../lib';
import { Tensor } from '../../lib';
import { make } from '../helpers/make';
import type { OpInfo } from '../ops_registry';
import { op, s } from '../ops_registry';



const L = (v: unknown[]): Tensor => tg.tensor(v as number[], { dtype: 'int64' });
const M = (): Tensor => tg.tensor([[true, false, true], [false, false, true]]);
const nc = { nonContig: true };

export const INDEXING_OPS: OpInfo[] = [
  op('gather', (a) => a.gather(0, L([[0, 1, 0], [2, 0, 2]])), [
    s('[3,3] (duplicates)', () => [make([3, 3])]),
    s('non-contiguous [3,3]', () => [make([3, 3], nc)]),
  ]),
  op('gather 0-d', (a) => tg.gather(a, 0, L(0 as unknown as unknown[])), [s('0-d', () => [make([])])]),
  op('scatter', (a, b) => a.scatter(1, L([[2, 0], [1, 2]]), b), [
    s('[2,3] and src [2,2]', () => [make([2, 3]), make([2, 2])]),
    s('non-contiguous self, larger src', () => [make([2, 3], nc), make([3, 3])]),
  ]),
  op('scatter(value)', (a) => a.scatter(0, L([[1, 0, 1]]), 2), [s('[2,3]', () => [make([2, 3])])]),
  op('scatterAdd', (a, b) => a.scatterAdd(0, L([[0, 1, 0], [0, 0, 1]]), b), [
    s('[2,3]', () => [make([2, 3]), make([2, 3])]),
    s('non-contiguous', () => [make([2, 3], nc), make([2, 3], nc)]),
  ]),
  op('scatterReduce (sum)', (a, b) => a.scatterReduce(0, L([[0, 1, 0], [0, 0, 1]]), b, 'sum'), [s('[2,3]', () => [make([2, 3]), make([2, 3])])]),
  op('scatterReduce (prod)', (a, b) => a.scatterReduce(0, L([[0, 1, 0], [0, 0, 1]]), b, 'prod'), [s('[2,3]', () => [make([2, 3]), make([2, 3])])]),
  op('scatterReduce (prod, exclude self)', (a, b) => a.scatterReduce(0, L([[0, 1, 0], [0, 0, 1]]), b, 'prod', { includeSelf: false }), [s('[2,3]', () => [make([2, 3]), make([2, 3])])]),
  op('scatterReduce (mean, src larger than index)', (a, b) => tg.scatterReduce(a, 1, L([[0, 0], [2, 1]]), b, 'mean'), [s('[2,3] and [3,4]', () => [make([2, 3]), make([3, 4])])]),
  op('scatterReduce (amax, exclude self)', (a, b) => a.scatterReduce(0, L([[0, 1, 0], [0, 0, 1]]), b, 'amax', { includeSelf: false }), [s('[2,3]', () => [make([2, 3]), make([2, 3])])]),
  op('scatterReduce (amin)', (a, b) => a.scatterReduce(0, L([[0, 1, 0], [0, 0, 1]]), b, 'amin'), [s('non-contiguous [2,3]', () => [make([2, 3], nc), make([2, 3], nc)])]),
  op('indexSelect', (a) => a.indexSelect(1, L([2, 0, 2])), [
    s('[2,3]', () => [make([2, 3])]),
    s('non-contiguous [2,3]', () => [make([2, 3], nc)]),
    s('empty [0,3]', () => [make([0, 3])]),
  ]),
  op('indexAdd', (a, b) => a.indexAdd(0, L([1, 1, 0]), b, { alpha: -2 }), [
    s('[2,3] and [3,3]', () => [make([2, 3]), make([3, 3])]),
    s('non-contiguous', () => [make([2, 3], nc), make([3, 3], nc)]),
  ]),
  op('indexCopy', (a, b) => a.indexCopy(1, L([2, 0]), b), [s('[2,3] and [2,2]', () => [make([2, 3]), make([2, 2])])]),
  op('indexFill', (a) => a.indexFill(0, L([1]), 4), [s('[3,2]', () => [make([3, 2])]), s('non-contiguous', () => [make([3, 2], nc)])]),
  op('maskedFill', (a) => a.maskedFill(M(), -1), [
    s('[2,3]', () => [make([2, 3])]),
    s('broadcast [3] by the [2,3] mask', () => [make([3])]),
    s('non-contiguous [2,3]', () => [make([2, 3], nc)]),
  ]),
  op('maskedSelect', (a) => a.maskedSelect(M()), [s('[2,3]', () => [make([2, 3])]), s('broadcast [1,3]', () => [make([1, 3])])]),
  op('maskedScatter', (a, b) => a.maskedScatter(M(), b), [
    s('[2,3] and source [5]', () => [make([2, 3]), make([5])]),
    s('broadcast [3], source [2,4]', () => [make([3]), make([2, 4])]),
  ]),
  op('maskedScatter_', (a, b) => a.mul(1).maskedScatter_(M(), b), [s('[2,3] and source [3]', () => [make([2, 3]), make([3])])]),
  op('take', (a) => a.take(L([[5, 0], [-1, 5]])), [s('[2,3]', () => [make([2, 3])]), s('non-contiguous [3,2]', () => [make([3, 2], nc)])]),
  op('index (advanced)', (a) => a.index(':', L([0, 2, 0]), L([1])), [s('[2,3,2]', () => [make([2, 3, 2])]), s('non-contiguous', () => [make([2, 3, 2], nc)])]),
  op('index (mask)', (a) => a.index(M()), [s('[2,3]', () => [make([2, 3])])]),
  op('index (separated)', (a) => a.index(L([1, 0]), ':', L([1, 1])), [s('[2,3,2]', () => [make([2, 3, 2])])]),
  // In-place forms on a fresh non-leaf.
  op('scatter_', (a, b) => a.mul(1).scatter_(0, L([[1, 0]]), b), [s('[2,2]', () => [make([2, 2]), make([1, 2])])]),
  op('scatterAdd_', (a, b) => a.mul(1).scatterAdd_(0, L([[1, 1]]), b), [s('[2,2]', () => [make([2, 2]), make([1, 2])])]),
  op('scatterReduce_', (a, b) => a.mul(1).scatterReduce_(0, L([[1, 1]]), b, 'mean'), [s('[2,2]', () => [make([2, 2]), make([1, 2])])]),
  op('indexAdd_', (a, b) => a.mul(1).indexAdd_(0, L([1, 1]), b), [s('[2,2]', () => [make([2, 2]), make([2, 2])])]),
  op('indexCopy_', (a, b) => a.mul(1).indexCopy_(0, L([1]), b), [s('[2,2]', () => [make([2, 2]), make([1, 2])])]),
  op('indexFill_', (a) => a.mul(1).indexFill_(1, L([0]), 3), [s('[2,2]', () => [make([2, 2])])]),
  op('maskedFill_', (a) => a.mul(1).maskedFill_(M(), 3), [s('[2,3]', () => [make([2, 3])])]),

  op('indexPut_ (tensor indices, accumulate)', (a, v) => a.mul(1).indexPut_(L([0, 0, 2]), v, { accumulate: true }), [
    s('[4] and value [3]', () => [make([4]), make([3])]),
    s('[4,2] and broadcast value [2]', () => [make([4, 2]), make([2])]),
  ]),
  op('indexPut_ (mask)', (a, v) => a.mul(1).indexPut_(M(), v), [s('[2,3] and value [3]', () => [make([2, 3]), make([3])])]),

  // ---- linalg compositions
  op('addmm', (c, a, b) => tg.addmm(c, a, b, { beta: 0.5, alpha: 2 }), [
    s('[2,2] + [2,3]@[3,2]', () => [make([2, 2]), make([2, 3]), make([3, 2])]),
    s('broadcast [2] bias, non-contiguous', () => [make([2]), make([2, 3], nc), make([3, 2], nc)]),
  ]),
  op('addmv', (c, a, b) => c.addmv(a, b), [s('[2] + [2,3]@[3]', () => [make([2]), make([2, 3]), make([3])]), s('0-d bias', () => [make([]), make([2, 3]), make([3])])]),
  op('baddbmm', (c, a, b) => c.baddbmm(a, b, { alpha: 0.5 }), [s('[2,2,2]', () => [make([2, 2, 2]), make([2, 2, 3]), make([2, 3, 2])])]),
  op('outer', (a, b) => a.outer(b), [s('[3] x [2]', () => [make([3]), make([2])]), s('non-contiguous', () => [make([3], nc), make([2])])]),
  op('kron', (a, b) => a.kron(b), [s('[2,2] x [2,3]', () => [make([2, 2]), make([2, 3])]), s('[2] x [2,2]', () => [make([2]), make([2, 2])])]),
  op('cross', (a, b) => a.cross(b), [s('[2,3]', () => [make([2, 3]), make([2, 3])]), s('broadcast [3] and [2,3]', () => [make([3]), make([2, 3])])]),
  op('vectorNorm', (a) => tg.linalg.vectorNorm(a), [s('[2,3]', () => [make([2, 3])]), s('0-d', () => [make([])]), s('non-contiguous', () => [make([3, 2], nc)])]),
  op('vectorNorm(1, dim)', (a) => a.vectorNorm(1, 1), [s('[2,3]', () => [make([2, 3])])], { supportsGradGrad: true }),
  op('vectorNorm(inf)', (a) => a.vectorNorm(Infinity, [0], true), [s('[3,2]', () => [make([3, 2])])]),
  op('vectorNorm(3)', (a) => a.vectorNorm(3, -1), [s('[2,3]', () => [make([2, 3])])]),
  op('norm', (a) => a.norm(2, 0), [s('[3,2]', () => [make([3, 2])]), s('non-contiguous', () => [make([3, 2], nc)])]),
  op('matrixNorm', (a) => a.matrixNorm(), [s('[2,2,3]', () => [make([2, 2, 3])])]),
  op('matrixNorm(1)', (a) => tg.linalg.matrixNorm(a, 1), [s('[3,3]', () => [make([3, 3])])]),
  // Singular values: first derivatives only (a second one raises), as declared in the op table.
  op('svdvals', (a) => tg.linalg.svdvals(a), [s('[3,2]', () => [make([3, 2])]), s('batched [2,2,3]', () => [make([2, 2, 3])]), s('non-contiguous', () => [make([3, 3], nc)])], { supportsGradGrad: false }),
  op('matrixNorm(2)', (a) => a.matrixNorm(2), [s('[3,2]', () => [make([3, 2])])], { supportsGradGrad: false }),
  op('matrixNorm(-2, dims, keepdim)', (a) => tg.linalg.matrixNorm(a, -2, [0, 2], true), [s('[3,2,2]', () => [make([3, 2, 2])])], { supportsGradGrad: false }),
  op('matrixNorm(nuc)', (a) => tg.linalg.norm(a, 'nuc'), [s('[2,3]', () => [make([2, 3])])], { supportsGradGrad: false }),
  op('einsum', (a, b) => tg.einsum('bij,bjk->bik', a, b), [s('[2,2,3] and [2,3,2]', () => [make([2, 2, 3]), make([2, 3, 2])])]),
  op('einsum (diagonal, ellipsis)', (a, b) => tg.einsum('...ii,...i->...', a, b), [s('[2,3,3] and [3]', () => [make([2, 3, 3]), make([3])])]),
];
