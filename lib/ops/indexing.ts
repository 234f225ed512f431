/**
 * The indexing ops (op family 'indexing'): gather, scatter, scatterAdd, indexSelect,
 * indexAdd, indexCopy, indexFill, maskedFill, maskedSelect, take (differentiable), nonzero,
 * oneHot, searchsorted, bucketize (integer results), their in-place forms, and advanced
 * indexing with integer/boolean tensors in `x.index(...)`. Native side: csrc/ops/indexing.cpp.
 */
import { ArgumentTypeError, IndexError, RuntimeError } from '../errors';
import { tensor as makeTensor } from '../creation';
import type { Index } from '../tensor';
import { N } from '../native';
import { op, Tensor } from '../tensor';
import { defineOp } from './registry';
import { typeName, int, tensor } from './args';

declare module '../tensor' {
  interface Tensor {
    /** `out[i][j] = this[index[i][j]][j]` (dim 0): values along `dim` picked by an int64 `index` of the same rank. */
    gather(dim: number, index: Tensor): Tensor;
    /** A copy with `src` (a tensor or a number) written at `index` along `dim` (the adjoint of gather). */
    scatter(dim: number, index: Tensor, src: Tensor | number | boolean): Tensor;
    /** In-place `scatter`. */
    scatter_(dim: number, index: Tensor, src: Tensor | number | boolean): this;
    /** A copy with `src` added at `index` along `dim`; repeated indices accumulate. */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /** In-place `scatterAdd`. */
    scatterAdd_(dim: number, index: Tensor, src: Tensor): this;
    /** Reduces `src` into a copy at `index` along `dim`: 'sum', 'prod', 'mean', 'amax' or 'amin' (`includeSelf` defaults to true). */
    scatterReduce(dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, opts?: { includeSelf?: boolean }): Tensor;
    /** In-place `scatterReduce`. */
    scatterReduce_(dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, opts?: { includeSelf?: boolean }): this;
    /** The slices `index` (a 1-D int64 tensor) along `dim`. */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** A copy with `alpha * source` slices added at `index` along `dim`; repeated indices accumulate. */
    indexAdd(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor;
    /** In-place `indexAdd`. */
    indexAdd_(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): this;
    /** A copy with the slices of `source` written at `index` along `dim`. */
    indexCopy(dim: number, index: Tensor, source: Tensor): Tensor;
    /** In-place `indexCopy`. */
    indexCopy_(dim: number, index: Tensor, source: Tensor): this;
    /** A copy with the slices `index` along `dim` filled with `value`. */
    indexFill(dim: number, index: Tensor, value: number | boolean): Tensor;
    /** In-place `indexFill`. */
    indexFill_(dim: number, index: Tensor, value: number | boolean): this;
    /** A copy with `value` where the bool `mask` (broadcast) is true. */
    maskedFill(mask: Tensor, value: number | boolean): Tensor;
    /** In-place `maskedFill` (the mask must broadcast to this tensor's shape). */
    maskedFill_(mask: Tensor, value: number | boolean): this;
    /** A copy with the first elements of `source` written, in order, where the bool `mask` (broadcast) is true. */
    maskedScatter(mask: Tensor, source: Tensor): Tensor;
    /** In-place `maskedScatter`. */
    maskedScatter_(mask: Tensor, source: Tensor): this;
    /** The elements where the bool `mask` (broadcast) is true, as a 1-D tensor. */
    maskedSelect(mask: Tensor): Tensor;
    /** The elements of the flattened tensor at `index` (int64), in `index`'s shape. */
    take(index: Tensor): Tensor;
    /** The int64 [n, ndim] coordinates of the nonzero elements, row-major. */
    nonzero(): Tensor;
    /** The int64 one-hot encoding of this int64 tensor (a new last dim of `numClasses`; -1 infers it). */
    oneHot(numClasses?: number): Tensor;
    /** Where each of `values` would be inserted in this sorted sequence's last dim (int64). */
    searchsorted(values: Tensor, opts?: { right?: boolean }): Tensor;
    /** The bucket of each element among sorted `boundaries` (int64). */
    bucketize(boundaries: Tensor, opts?: { right?: boolean }): Tensor;
  }
}

function scalar(v: unknown, name: string, arg: string): number | boolean {
  if (typeof v !== 'number' && typeof v !== 'boolean') {
    throw new ArgumentTypeError(`${name}(): argument '${arg}' must be a number, not ${typeName(v)}`);
  }
  return v;
}

const diff = { family: 'indexing' as const, differentiable: true, gradgrad: true };
const nondiff = { family: 'indexing' as const, differentiable: false, gradgrad: false };

defineOp({
  name: 'gather', ...diff, doc: 'Values along a dim picked by an index tensor of the same rank.',
  method(this: Tensor, dim: number, index: Tensor) {
    return op((t) => N.gather(t, this._id, int(dim, 'gather', 'dim'), tensor(index, 'gather', 'index')._id));
  },
});
defineOp({
  name: 'scatter', ...diff, doc: 'Writes src (tensor or number) at index along a dim.',
  method(this: Tensor, dim: number, index: Tensor, src: Tensor | number | boolean) {
    const d = int(dim, 'scatter', 'dim');
    const ix = tensor(index, 'scatter', 'index')._id;
    if (src instanceof Tensor) return op((t) => N.scatter(t, this._id, d, ix, src._id, 0));
    return op((t) => N.scatter(t, this._id, d, ix, null, scalar(src, 'scatter', 'value')));
  },
});
defineOp({
  name: 'scatterAdd', ...diff, doc: 'Adds src at index along a dim (duplicates accumulate).',
  method(this: Tensor, dim: number, index: Tensor, src: Tensor) {
    return op((t) => N.scatterAdd(t, this._id, int(dim, 'scatter_add', 'dim'), tensor(index, 'scatter_add', 'index')._id, tensor(src, 'scatter_add', 'src')._id));
  },
});
const SCATTER_REDUCTIONS = ['sum', 'prod', 'mean', 'amax', 'amin'] as const;
/** How `scatterReduce` combines the values landing on one position. */
export type ScatterReduction = (typeof SCATTER_REDUCTIONS)[number];

function scatterReduceCall(self: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, opts?: { includeSelf?: boolean }): Tensor {
  const code = SCATTER_REDUCTIONS.indexOf(reduce);
  if (code < 0) throw new RuntimeError(`reduce argument must be either sum, prod, mean, amax or amin, got ${String(reduce)}`);
  const d = int(dim, 'scatter_reduce', 'dim');
  const ix = tensor(index, 'scatter_reduce', 'index')._id;
  const s = tensor(src, 'scatter_reduce', 'src')._id;
  return op((t) => N.scatterReduce(t, self._id, d, ix, s, code, opts?.includeSelf ?? true));
}
defineOp({
  name: 'scatterReduce', ...diff, doc: 'Reduces src into input at index along a dim (sum, prod, mean, amax, amin).',
  method(this: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, opts?: { includeSelf?: boolean }) {
    return scatterReduceCall(this, dim, index, src, reduce, opts);
  },
});
defineOp({
  name: 'indexSelect', ...diff, doc: 'The slices at a 1-D index along a dim.',
  method(this: Tensor, dim: number, index: Tensor) {
    return op((t) => N.indexSelect(t, this._id, int(dim, 'index_select', 'dim'), tensor(index, 'index_select', 'index')._id));
  },
});
defineOp({
  name: 'indexAdd', ...diff, doc: 'Adds alpha * source slices at a 1-D index along a dim.',
  method(this: Tensor, dim: number, index: Tensor, source: Tensor, opts: { alpha?: number } = {}) {
    const alpha = opts.alpha ?? 1;
    return op((t) => N.indexAdd(t, this._id, int(dim, 'index_add', 'dim'), tensor(index, 'index_add', 'index')._id,
      tensor(source, 'index_add', 'source')._id, scalar(alpha, 'index_add', 'alpha') as number));
  },
});
defineOp({
  name: 'indexCopy', ...diff, doc: 'Writes source slices at a 1-D index along a dim.',
  method(this: Tensor, dim: number, index: Tensor, source: Tensor) {
    return op((t) => N.indexCopy(t, this._id, int(dim, 'index_copy', 'dim'), tensor(index, 'index_copy', 'index')._id, tensor(source, 'index_copy', 'source')._id));
  },
});
defineOp({
  name: 'indexFill', ...diff, doc: 'Fills the slices at a 1-D index along a dim with a value.',
  method(this: Tensor, dim: number, index: Tensor, value: number | boolean) {
    return op((t) => N.indexFill(t, this._id, int(dim, 'index_fill', 'dim'), tensor(index, 'index_fill', 'index')._id, scalar(value, 'index_fill', 'value')));
  },
});
defineOp({
  name: 'maskedFill', ...diff, doc: 'Fills a value where a bool mask is true.',
  method(this: Tensor, mask: Tensor, value: number | boolean) {
    return op((t) => N.maskedFill(t, this._id, tensor(mask, 'masked_fill', 'mask')._id, scalar(value, 'masked_fill', 'value')));
  },
});
defineOp({
  name: 'maskedSelect', ...diff, doc: 'The elements where a bool mask is true, 1-D.',
  method(this: Tensor, mask: Tensor) {
    return op((t) => N.maskedSelect(t, this._id, tensor(mask, 'masked_select', 'mask')._id));
  },
});
defineOp({
  name: 'maskedScatter', ...diff, doc: 'Writes source elements in order where a bool mask is true.',
  method(this: Tensor, mask: Tensor, source: Tensor) {
    return op((t) => N.maskedScatter(t, this._id, tensor(mask, 'masked_scatter', 'mask')._id, tensor(source, 'masked_scatter', 'source')._id));
  },
});
defineOp({
  name: 'take', ...diff, doc: 'Elements of the flattened tensor at an index tensor.',
  method(this: Tensor, index: Tensor) {
    return op((t) => N.take(t, this._id, tensor(index, 'take', 'index')._id));
  },
});
defineOp({
  name: 'nonzero', ...nondiff, doc: 'Coordinates of the nonzero elements (int64 [n, ndim]).',
  method(this: Tensor) {
    return op((t) => N.nonzero(t, this._id));
  },
});
defineOp({
  name: 'oneHot', ...nondiff, doc: 'One-hot encoding of an int64 tensor.',
  method(this: Tensor, numClasses = -1) {
    return op((t) => N.oneHot(t, this._id, int(numClasses, 'one_hot', 'num_classes')));
  },
});
defineOp({
  name: 'bucketize', ...nondiff, doc: 'Bucket indices of values among sorted boundaries.',
  method(this: Tensor, boundaries: Tensor, opts: { right?: boolean } = {}) {
    return op((t) => N.searchsorted(t, tensor(boundaries, 'bucketize', 'boundaries')._id, this._id, !!opts.right));
  },
});
defineOp({
  name: 'searchsorted', ...nondiff, doc: 'Insertion points of values in a sorted sequence.',
  method(this: Tensor, values: Tensor, opts: { right?: boolean } = {}) {
    return op((t) => N.searchsorted(t, this._id, tensor(values, 'searchsorted', 'input')._id, !!opts.right));
  },
});

// In-place forms: the out-of-place op, run on self (or, when the write is recorded, on a
// snapshot holding self's old value and graph position), its result written back into self
// with the op's node as self's grad_fn (ScatterBackward0, IndexAddBackward0, ... as in PyTorch).
function inplace(name: string, outOfPlace: string, doc: string): void {
  defineOp({
    name, family: 'indexing', differentiable: true, gradgrad: true, doc,
    method(this: Tensor, ...args: unknown[]) {
      const f = (Tensor.prototype as unknown as Record<string, (...a: unknown[]) => Tensor>)[outOfPlace];
      const recorded = N.isGradEnabled() && (this.requiresGrad || args.some((a) => a instanceof Tensor && a.requiresGrad));
      const source = recorded ? op((t) => N.inplaceSnapshot(t, this._id)) : this;
      N.assignResult(this._id, f.apply(source, args)._id);
      return this;
    },
  });
}
inplace('scatter_', 'scatter', 'In-place scatter.');
inplace('scatterAdd_', 'scatterAdd', 'In-place scatterAdd.');
inplace('scatterReduce_', 'scatterReduce', 'In-place scatterReduce.');
inplace('indexAdd_', 'indexAdd', 'In-place indexAdd.');
inplace('indexCopy_', 'indexCopy', 'In-place indexCopy.');
inplace('indexFill_', 'indexFill', 'In-place indexFill.');
inplace('maskedFill_', 'maskedFill', 'In-place maskedFill.');
inplace('maskedScatter_', 'maskedScatter', 'In-place maskedScatter.');

// ---------------------------------------------------------------- module-level functions

/** Values of `input` along `dim` picked by `index`. */
export function gather(input: Tensor, dim: number, index: Tensor): Tensor {
  return tensor(input, 'gather', 'input').gather(dim, index);
}
/** A copy of `input` with `src` written at `index` along `dim`. */
export function scatter(input: Tensor, dim: number, index: Tensor, src: Tensor | number | boolean): Tensor {
  return tensor(input, 'scatter', 'input').scatter(dim, index, src);
}
/** A copy of `input` with `src` added at `index` along `dim`. */
export function scatterAdd(input: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return tensor(input, 'scatter_add', 'input').scatterAdd(dim, index, src);
}
/**
 * A copy of `input` where each position that `index` addresses along `dim` becomes the
 * reduction (`'sum' | 'prod' | 'mean' | 'amax' | 'amin'`) of the `src` values landing there,
 * and of its own value unless `includeSelf` is false (ScatterReduceBackward0).
 */
export function scatterReduce(input: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, opts?: { includeSelf?: boolean }): Tensor {
  return tensor(input, 'scatter_reduce', 'input').scatterReduce(dim, index, src, reduce, opts);
}
/** The slices `index` of `input` along `dim`. */
export function indexSelect(input: Tensor, dim: number, index: Tensor): Tensor {
  return tensor(input, 'index_select', 'input').indexSelect(dim, index);
}
/** A copy of `input` with `alpha * source` added at `index` along `dim`. */
export function indexAdd(input: Tensor, dim: number, index: Tensor, source: Tensor, opts: { alpha?: number } = {}): Tensor {
  return tensor(input, 'index_add', 'input').indexAdd(dim, index, source, opts);
}
/** A copy of `input` with `source` slices written at `index` along `dim`. */
export function indexCopy(input: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  return tensor(input, 'index_copy', 'input').indexCopy(dim, index, source);
}
/** A copy of `input` with the slices `index` along `dim` set to `value`. */
export function indexFill(input: Tensor, dim: number, index: Tensor, value: number | boolean): Tensor {
  return tensor(input, 'index_fill', 'input').indexFill(dim, index, value);
}
/** A copy of `input` with `value` where `mask` is true. */
export function maskedFill(input: Tensor, mask: Tensor, value: number | boolean): Tensor {
  return tensor(input, 'masked_fill', 'input').maskedFill(mask, value);
}
/** A copy of `input` with `source`'s elements written, in order, where `mask` is true. */
export function maskedScatter(input: Tensor, mask: Tensor, source: Tensor): Tensor {
  return tensor(input, 'masked_scatter', 'input').maskedScatter(mask, source);
}
/** The elements of `input` where `mask` is true, 1-D. */
export function maskedSelect(input: Tensor, mask: Tensor): Tensor {
  return tensor(input, 'masked_select', 'input').maskedSelect(mask);
}
/** The elements of flattened `input` at `index`. */
export function take(input: Tensor, index: Tensor): Tensor {
  return tensor(input, 'take', 'input').take(index);
}
/** The coordinates of the nonzero elements of `input`. */
export function nonzero(input: Tensor): Tensor {
  return tensor(input, 'nonzero', 'input').nonzero();
}
/** The one-hot encoding of the int64 tensor `input` (numClasses -1 infers max + 1). */
export function oneHot(input: Tensor, numClasses = -1): Tensor {
  return tensor(input, 'one_hot', 'input').oneHot(numClasses);
}
/** Where each of `values` would be inserted in the sorted last dim of `sortedSequence` (int64). */
export function searchsorted(sortedSequence: Tensor, values: Tensor, opts: { right?: boolean } = {}): Tensor {
  return tensor(sortedSequence, 'searchsorted', 'sorted_sequence').searchsorted(values, opts);
}
/** The bucket of each element of `input` among sorted 1-D `boundaries`. */
export function bucketize(input: Tensor, boundaries: Tensor, opts: { right?: boolean } = {}): Tensor {
  return tensor(input, 'bucketize', 'input').bucketize(boundaries, opts);
}

// ---------------------------------------------------------------- advanced indexing

function prod(s: number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

function broadcastShapes(shapes: number[][]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      if (out[j] === 1) out[j] = s[i];
      else if (s[i] !== 1 && s[i] !== out[j]) {
        throw new IndexError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${shapes.map((x) => `[${x.join(', ')}]`).join(', ')}`);
      }
    }
  }
  return out;
}

/**
 * An advanced index: a tensor of positions over `span` consecutive dims of y from `dim` (one
 * dim for an integer tensor; a mask's dims, flattened, for a mask). `inDim` is the first of
 * them in x, for messages; `inRange` marks positions known to lie in range (a mask's).
 */
interface Adv {
  dim: number;
  span: number;
  inDim: number;
  index: Tensor;
  inRange: boolean;
}

/**
 * The advanced indices of `y` (integer ones checked against their dim, negatives wrapped)
 * broadcast together and combined into row numbers over the advanced dims flattened: the row
 * numbers, their broadcast shape, and the advanced dims.
 */
function linearIndex(y: Tensor, adv: Adv[]): [Tensor, number[], number[]] {
  const idx = adv.map(({ dim, inDim: d, index, inRange }) => {
    const size = y.shape[dim];
    if (inRange || index.numel() === 0) return index;
    const lo = index.min().item() as number, hi = index.max().item() as number;
    if (lo < -size || hi >= size) {
      const flat = [index.toArray()].flat(Infinity) as number[];
      const bad = flat.find((v) => v < -size || v >= size);
      throw new IndexError(`index ${bad} is out of bounds for dimension ${d} with size ${size}`);
    }
    return lo < 0 ? index.add(index.lt(0).to('int64').mul(size)) : index;
  });
  const bshape = broadcastShapes(idx.map((t) => t.shape)); // PyTorch's IndexError before the adds' own
  const advDims = adv.flatMap((a) => Array.from({ length: a.span }, (_, j) => a.dim + j));
  // Each index scaled by the sizes of the advanced dims after its own. A mask's positions are
  // ours (from nonzero()), so a scale of 1 may keep them; a caller's index is always copied.
  let after = prod(advDims.map((d) => y.shape[d]));
  const scaled = adv.map((a, k) => {
    after /= prod(y.shape.slice(a.dim, a.dim + a.span));
    return after === 1 && a.inRange ? idx[k] : idx[k].mul(after);
  });
  return [scaled.reduce((lin, term) => lin.add(term)), bshape, advDims];
}

/**
 * `x[...]` with integer (int64/int32) or boolean index tensors among ints, slices, null and
 * '...': PyTorch's rules. Boolean masks stand for their nonzero() coordinates; ints and
 * slices apply first (basic indexing); the advanced indices broadcast together, and their result dims go
 * where the first of them was when they are adjacent, else first. Computed as one
 * gather of rows over the advanced dims flattened, recorded as IndexBackward0 (its backward
 * index_adds, so repeated indices accumulate).
 */
function advancedIndex(x: Tensor, items: Index[], basic: (this: Tensor, ...i: Index[]) => Tensor, put?: Put): Tensor {
  // Count the input dims the items consume, to size '...'.
  let consumed = 0;
  for (const it of items) {
    if (it instanceof Tensor) consumed += it.dtype === 'bool' || it.dtype === 'uint8' ? Math.max(it.dim(), 1) : 1;
    else if (it !== null && it !== '...' && !(typeof it === 'string' && it.trim() === '...')) consumed += 1;
  }
  if (consumed > x.dim()) throw new IndexError(`too many indices for tensor of dimension ${x.dim()}`);
  const spec: Index[] = [];
  const adv: Adv[] = [];
  let inDim = 0;
  let yDim = 0; // y's dim of the next spec entry is spec.length + yDim
  for (const it of items) {
    if (it instanceof Tensor) {
      if (it.dtype === 'bool' || it.dtype === 'uint8') {
        const k = it.dim();
        if (k === 0) throw new IndexError('index(): 0-d boolean masks are not supported');
        for (let j = 0; j < k; j++) {
          if (it.shape[j] !== x.shape[inDim + j]) {
            throw new IndexError(`The shape of the mask [${it.shape.join(', ')}] at index ${j} does not match the shape of the indexed tensor [${x.shape.join(', ')}] at index ${inDim + j}`);
          }
        }
        // One index over the mask's dims flattened: its flat nonzero() positions, in range by
        // construction (no coordinates per dim, bounds checks or multiply-adds).
        adv.push({ dim: spec.length + yDim, span: k, inDim, index: it.reshape([-1]).nonzero().reshape([-1]), inRange: true });
        for (let j = 0; j < k; j++) spec.push(':');
        inDim += k;
      } else if (it.dtype === 'int64' || it.dtype === 'int32') {
        adv.push({ dim: spec.length + yDim, span: 1, inDim, index: it.dtype === 'int64' ? it : it.to('int64'), inRange: false });
        spec.push(':');
        inDim += 1;
      } else {
        throw new IndexError('tensors used as indices must be long, int, byte or bool tensors');
      }
    } else if (typeof it === 'number') {
      spec.push(it);
      inDim += 1;
      yDim -= 1; // an int removes its dim (applied as basic indexing first, as PyTorch does)
    } else if (it === null) {
      spec.push(null);
    } else if (typeof it === 'string' && it.trim() === '...') {
      for (let j = 0; j < x.dim() - consumed; j++) spec.push(':');
      inDim += x.dim() - consumed;
    } else {
      spec.push(it);
      inDim += 1;
    }
  }
  const y = basic.apply(x, spec);
  const [lin, bshape, advDims] = linearIndex(y, adv);
  const advSizes = advDims.map((d) => y.shape[d]);
  const rest = y.shape.map((_, d) => d).filter((d) => !advDims.includes(d));
  const z = y.permute([...advDims, ...rest]).reshape([prod(advSizes), ...rest.map((d) => y.shape[d])]);
  const flatIdx = lin.expand(bshape).reshape([prod(bshape)]);
  const restSizes = rest.map((d) => y.shape[d]);
  const adjacent = advDims.every((d, i) => i === 0 || d === advDims[i - 1] + 1);
  const moved = adjacent && advDims[0] > 0 && bshape.length > 0;
  const src = bshape.map((_, i) => i);
  const dst = src.map((i) => i + advDims[0]);
  if (put) {
    // The result's layout of the value, brought back to [N, ...rest], written into z, and z
    // laid back out as y (a view of x) through copy_.
    const resultShape = [...bshape, ...restSizes];
    if (moved) resultShape.splice(advDims[0], 0, ...resultShape.splice(0, bshape.length));
    let v = put.value instanceof Tensor ? put.value.to(x.dtype) : makeTensor(put.value, { dtype: x.dtype });
    v = v.expand(resultShape);
    if (moved) v = v.movedim(dst, src);
    v = v.reshape([prod(bshape), ...restSizes]);
    const z2 = put.accumulate ? z.indexAdd(0, flatIdx, v) : z.indexCopy(0, flatIdx, v);
    const perm = [...advDims, ...rest];
    const inv = perm.map((_, i) => perm.indexOf(i));
    y.copy_(z2.reshape([...advSizes, ...restSizes]).permute(inv));
    return x;
  }
  // One IndexBackward0 node: rows of z, viewed as [...bshape, ...rest], with the broadcast
  // dims moved to the first advanced dim's place when the advanced dims were adjacent.
  const nb = bshape.length, a0 = advDims[0];
  const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  const perm = moved ? [...range(nb, nb + a0), ...range(0, nb), ...range(nb + a0, nb + restSizes.length)] : range(0, nb + restSizes.length);
  return op((t) => N.indexRows(t, z._id, flatIdx._id, [...bshape, ...restSizes], perm));
}

interface Put {
  value: Tensor | number | boolean;
  accumulate: boolean;
}

const basicIndex = Tensor.prototype.index;
Tensor.prototype.index = function index(this: Tensor, ...indices: Index[]): Tensor {
  if (indices.some((i) => i instanceof Tensor)) return advancedIndex(this, indices, basicIndex);
  return basicIndex.apply(this, indices);
};

const basicIndexPut = Tensor.prototype.indexPut_;
/**
 * `indexPut_(...indices, value, {accumulate})`: with tensor indices, writes (or with
 * accumulate adds, repeated indices summing) the broadcast value at the advanced-indexed
 * positions; without them, the basic form.
 */
Tensor.prototype.indexPut_ = function indexPut_(this: Tensor, ...args: unknown[]) {
  let accumulate = false;
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && !(last instanceof Tensor) && !Array.isArray(last)) {
    accumulate = !!(last as { accumulate?: boolean }).accumulate;
    args = args.slice(0, -1);
  }
  const indices = args.slice(0, -1) as Index[];
  const value = args[args.length - 1];
  if (indices.some((i) => i instanceof Tensor) || accumulate) {
    if (!(value instanceof Tensor) && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ArgumentTypeError(`indexPut_(): value must be a Tensor or number, not ${typeName(value)}`);
    }
    const items = indices.some((i) => i instanceof Tensor) ? indices : [...indices];
    if (!items.some((i) => i instanceof Tensor)) {
      throw new IndexError('indexPut_(): accumulate needs at least one index tensor');
    }
    advancedIndex(this, items, basicIndex, { value, accumulate });
    return this;
  }
  return (basicIndexPut as (...a: unknown[]) => Tensor).apply(this, args);
} as Tensor['indexPut_'];
