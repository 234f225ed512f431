/**
 * The movement ops (op family 'shape'): views that rearrange dims (flatten, unflatten,
 * swapaxes, movedim, mT, broadcastTo, narrow, diagonal) and copies that rearrange elements
 * (cat, stack, hstack, vstack, repeat, tile, repeatInterleave, flip, roll, rot90, tril, triu,
 * diag, diagEmbed, trace). Native side: csrc/ops/movement.cpp.
 */
import { ArgumentTypeError } from '../errors';
import { N } from '../native';
import { op, shapeArgs, Tensor } from '../tensor';
import { defineOp } from './registry';
import { typeName, int } from './args';

declare module '../tensor' {
  interface Tensor {
    /** Flattens dims `startDim..endDim` into one (a view when the layout allows; a 0-d tensor becomes [1]). */
    flatten(startDim?: number, endDim?: number): Tensor;
    /** Splits dim `dim` into `sizes` (one entry may be -1). A view. */
    unflatten(dim: number, sizes: number[]): Tensor;
    /** Swaps two dims (same as `transpose`). A view. */
    swapaxes(axis0: number, axis1: number): Tensor;
    /** Moves dims `source` to positions `destination`, the others keeping their order. A view. */
    movedim(source: number | number[], destination: number | number[]): Tensor;
    /** The last two dims swapped (PyTorch's `x.mT`, a method here). A view. */
    mT(): Tensor;
    /** Broadcasts to `shape` (same as `expand`). A view. */
    broadcastTo(...shape: (number | number[])[]): Tensor;
    /** Repeats the tensor along each dim `sizes[i]` times (leading new dims allowed). A copy. */
    repeat(...sizes: (number | number[])[]): Tensor;
    /** Like `repeat`, with missing leading repeats taken as 1. A copy. */
    tile(...dims: (number | number[])[]): Tensor;
    /** Repeats each element (of the flattened tensor, or each slice along `dim`) `repeats` times. */
    repeatInterleave(repeats: number | Tensor, dim?: number | null): Tensor;
    /** Reverses the order of elements along `dims`. A copy. */
    flip(...dims: (number | number[])[]): Tensor;
    /** Rolls elements along `dims` by `shifts` (of the flattened tensor when no dims). A copy. */
    roll(shifts: number | number[], dims?: number | number[]): Tensor;
    /** Rotates by 90 degrees `k` times in the plane of `dims` (from the first towards the second). */
    rot90(k?: number, dims?: number[]): Tensor;
    /** `cat([this, ...tensors], dim)`. */
    cat(tensors: Tensor[], dim?: number): Tensor;
    /** `stack([this, ...tensors], dim)`. */
    stack(tensors: Tensor[], dim?: number): Tensor;
    /** `hstack([this, ...tensors])`. */
    hstack(tensors: Tensor[]): Tensor;
    /** `vstack([this, ...tensors])`. */
    vstack(tensors: Tensor[]): Tensor;
    /** `length` elements of dim `dim` from `start`. A view. */
    narrow(dim: number, start: number, length: number): Tensor;
    /** The lower triangle (elements with col - row <= diagonal) of the last two dims; zeros elsewhere. */
    tril(diagonal?: number): Tensor;
    /** The upper triangle (col - row >= diagonal) of the last two dims; zeros elsewhere. */
    triu(diagonal?: number): Tensor;
    /** 1-D: a square matrix with this on its `diagonal`; 2-D: a copy of that diagonal. */
    diag(diagonal?: number): Tensor;
    /** The diagonal at `offset` of the (dim1, dim2) planes, as the last dim. A view. */
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    /** A tensor whose (dim1, dim2) planes have the last dim of this on their `offset` diagonal. */
    diagEmbed(offset?: number, dim1?: number, dim2?: number): Tensor;
    /** The sum of the main diagonal of a matrix. */
    trace(): Tensor;
  }
}

function ints(v: unknown, name: string, arg: string): number[] {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list)) throw new ArgumentTypeError(`${name}(): argument '${arg}' must be a tuple of ints, not ${typeName(v)}`);
  return list.map((x) => int(x, name, arg));
}

function tensorIds(tensors: unknown, name: string): number[] {
  if (!Array.isArray(tensors)) {
    throw new ArgumentTypeError(`${name}(): argument 'tensors' must be an array of Tensors, not ${typeName(tensors)}`);
  }
  return tensors.map((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new ArgumentTypeError(`${name}(): expected Tensor as element ${i} in argument 'tensors', but got ${typeName(t)}`);
    }
    return t._id;
  });
}

function self(x: unknown, name: string): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentTypeError(`${name}(): argument 'input' must be Tensor, not ${typeName(x)}`);
  return x;
}

const view = { family: 'shape' as const, differentiable: true, gradgrad: true };

defineOp({
  name: 'flatten', ...view, doc: 'Flattens a range of dims into one (a view when possible).',
  method(this: Tensor, startDim = 0, endDim = -1) {
    return op((t) => N.flatten(t, this._id, int(startDim, 'flatten', 'start_dim'), int(endDim, 'flatten', 'end_dim')));
  },
});
defineOp({
  name: 'unflatten', ...view, doc: 'Splits one dim into several (a view).',
  method(this: Tensor, dim: number, sizes: number[]) {
    return op((t) => N.unflatten(t, this._id, int(dim, 'unflatten', 'dim'), ints(sizes, 'unflatten', 'sizes')));
  },
});
defineOp({
  name: 'swapaxes', ...view, doc: 'Swaps two dims (a view; transpose).',
  method(this: Tensor, axis0: number, axis1: number) {
    return this.transpose(int(axis0, 'swapaxes', 'axis0'), int(axis1, 'swapaxes', 'axis1'));
  },
});
defineOp({
  name: 'movedim', ...view, doc: 'Moves dims to new positions (a view).',
  method(this: Tensor, source: number | number[], destination: number | number[]) {
    return op((t) => N.movedim(t, this._id, ints(source, 'movedim', 'source'), ints(destination, 'movedim', 'destination')));
  },
});
defineOp({
  name: 'mT', ...view, doc: 'Swaps the last two dims (a view).',
  method(this: Tensor) {
    return op((t) => N.mT(t, this._id));
  },
});
defineOp({
  name: 'broadcastTo', ...view, doc: 'Broadcasts to a shape (a view; expand).',
  method(this: Tensor, ...shape: (number | number[])[]) {
    return op((t) => N.broadcastTo(t, this._id, shapeArgs(shape, 'broadcast_to')));
  },
});
defineOp({
  name: 'repeat', ...view, doc: 'Repeats the tensor along each dim.',
  method(this: Tensor, ...sizes: (number | number[])[]) {
    return op((t) => N.repeat(t, this._id, shapeArgs(sizes, 'repeat')));
  },
});
defineOp({
  name: 'tile', ...view, doc: 'Repeats the tensor along each dim (missing leading repeats are 1).',
  method(this: Tensor, ...dims: (number | number[])[]) {
    return op((t) => N.tile(t, this._id, shapeArgs(dims, 'tile')));
  },
});
defineOp({
  name: 'repeatInterleave', ...view, doc: 'Repeats each element (or slice along dim) a number of times.',
  method(this: Tensor, repeats: number | Tensor, dim?: number | null) {
    const d = dim === undefined || dim === null ? null : int(dim, 'repeat_interleave', 'dim');
    if (repeats instanceof Tensor) return op((t) => N.repeatInterleave(t, this._id, repeats._id, true, d));
    return op((t) => N.repeatInterleave(t, this._id, int(repeats, 'repeat_interleave', 'repeats'), false, d));
  },
});
defineOp({
  name: 'flip', ...view, doc: 'Reverses the order of elements along dims.',
  method(this: Tensor, ...dims: (number | number[])[]) {
    return op((t) => N.flip(t, this._id, shapeArgs(dims, 'flip')));
  },
});
defineOp({
  name: 'roll', ...view, doc: 'Rolls elements along dims (of the flattened tensor without dims).',
  method(this: Tensor, shifts: number | number[], dims?: number | number[]) {
    const d = dims === undefined || dims === null ? [] : ints(dims, 'roll', 'dims');
    return op((t) => N.roll(t, this._id, ints(shifts, 'roll', 'shifts'), d));
  },
});
defineOp({
  name: 'rot90', ...view, doc: 'Rotates by 90 degrees k times in the plane of two dims.',
  method(this: Tensor, k = 1, dims: number[] = [0, 1]) {
    return op((t) => N.rot90(t, this._id, int(k, 'rot90', 'k'), ints(dims, 'rot90', 'dims')));
  },
});
defineOp({
  name: 'cat', ...view, doc: 'Concatenates tensors along an existing dim.',
  method(this: Tensor, tensors: Tensor[], dim = 0) {
    return cat([this, ...(Array.isArray(tensors) ? tensors : [tensors])], dim);
  },
});
defineOp({
  name: 'stack', ...view, doc: 'Stacks equal-shaped tensors along a new dim.',
  method(this: Tensor, tensors: Tensor[], dim = 0) {
    return stack([this, ...(Array.isArray(tensors) ? tensors : [tensors])], dim);
  },
});
defineOp({
  name: 'hstack', ...view, doc: 'Concatenates along dim 1 (dim 0 for 1-D tensors).',
  method(this: Tensor, tensors: Tensor[]) {
    return hstack([this, ...(Array.isArray(tensors) ? tensors : [tensors])]);
  },
});
defineOp({
  name: 'vstack', ...view, doc: 'Concatenates along dim 0, 1-D tensors as rows.',
  method(this: Tensor, tensors: Tensor[]) {
    return vstack([this, ...(Array.isArray(tensors) ? tensors : [tensors])]);
  },
});
defineOp({
  name: 'narrow', ...view, doc: 'A length of one dim from a start (a view).',
  method(this: Tensor, dim: number, start: number, length: number) {
    return op((t) => N.narrow(t, this._id, int(dim, 'narrow', 'dim'), int(start, 'narrow', 'start'), int(length, 'narrow', 'length')));
  },
});
defineOp({
  name: 'tril', ...view, doc: 'Lower triangle of the last two dims.',
  method(this: Tensor, diagonal = 0) {
    return op((t) => N.tril(t, this._id, int(diagonal, 'tril', 'diagonal')));
  },
});
defineOp({
  name: 'triu', ...view, doc: 'Upper triangle of the last two dims.',
  method(this: Tensor, diagonal = 0) {
    return op((t) => N.triu(t, this._id, int(diagonal, 'triu', 'diagonal')));
  },
});
defineOp({
  name: 'diag', ...view, doc: '1-D: a diagonal matrix; 2-D: a copy of a diagonal.',
  method(this: Tensor, diagonal = 0) {
    return op((t) => N.diag(t, this._id, int(diagonal, 'diag', 'diagonal')));
  },
});
defineOp({
  name: 'diagonal', ...view, doc: 'A diagonal of two dims as the last dim (a view).',
  method(this: Tensor, offset = 0, dim1 = 0, dim2 = 1) {
    return op((t) => N.diagonal(t, this._id, int(offset, 'diagonal', 'offset'), int(dim1, 'diagonal', 'dim1'), int(dim2, 'diagonal', 'dim2')));
  },
});
defineOp({
  name: 'diagEmbed', ...view, doc: 'Puts the last dim on a diagonal of two new dims.',
  method(this: Tensor, offset = 0, dim1 = -2, dim2 = -1) {
    return op((t) => N.diagEmbed(t, this._id, int(offset, 'diag_embed', 'offset'), int(dim1, 'diag_embed', 'dim1'), int(dim2, 'diag_embed', 'dim2')));
  },
});
defineOp({
  name: 'trace', ...view, doc: 'Sum of the main diagonal of a matrix.',
  method(this: Tensor) {
    return op((t) => N.trace(t, this._id));
  },
});

// ---------------------------------------------------------------- module-level functions

/** Flattens dims `startDim..endDim` of `input` into one. */
export function flatten(input: Tensor, startDim = 0, endDim = -1): Tensor {
  return self(input, 'flatten').flatten(startDim, endDim);
}
/** Splits dim `dim` of `input` into `sizes`. */
export function unflatten(input: Tensor, dim: number, sizes: number[]): Tensor {
  return self(input, 'unflatten').unflatten(dim, sizes);
}
/** Swaps two dims of `input`. */
export function swapaxes(input: Tensor, axis0: number, axis1: number): Tensor {
  return self(input, 'swapaxes').swapaxes(axis0, axis1);
}
/** Moves dims `source` of `input` to positions `destination`. */
export function movedim(input: Tensor, source: number | number[], destination: number | number[]): Tensor {
  return self(input, 'movedim').movedim(source, destination);
}
/** `input` with its last two dims swapped. */
export function mT(input: Tensor): Tensor {
  return self(input, 'mT').mT();
}
/** Broadcasts `input` to `shape`. */
export function broadcastTo(input: Tensor, shape: number[]): Tensor {
  return self(input, 'broadcast_to').broadcastTo(shape);
}
/** Repeats `input` along each dim. */
export function repeat(input: Tensor, sizes: number[]): Tensor {
  return self(input, 'repeat').repeat(sizes);
}
/** Repeats `input` along each dim, missing leading repeats taken as 1. */
export function tile(input: Tensor, dims: number[]): Tensor {
  return self(input, 'tile').tile(dims);
}
/** Repeats each element of `input` (or each slice along `dim`) `repeats` times. */
export function repeatInterleave(input: Tensor, repeats: number | Tensor, dim?: number | null): Tensor {
  return self(input, 'repeat_interleave').repeatInterleave(repeats, dim);
}
/** Reverses `input` along `dims`. */
export function flip(input: Tensor, dims: number | number[]): Tensor {
  return self(input, 'flip').flip(dims);
}
/** Rolls `input` along `dims` by `shifts`. */
export function roll(input: Tensor, shifts: number | number[], dims?: number | number[]): Tensor {
  return self(input, 'roll').roll(shifts, dims);
}
/** Rotates `input` by 90 degrees `k` times in the plane of `dims`. */
export function rot90(input: Tensor, k = 1, dims: number[] = [0, 1]): Tensor {
  return self(input, 'rot90').rot90(k, dims);
}
/** Concatenates `tensors` along dim `dim` (dtypes promote; 1-D empty tensors are skipped). */
export function cat(tensors: Tensor[], dim = 0): Tensor {
  const ids = tensorIds(tensors, 'cat');
  return op((t) => N.cat(t, ids, int(dim, 'cat', 'dim')));
}
/** Stacks equal-shaped `tensors` along a new dim `dim`. */
export function stack(tensors: Tensor[], dim = 0): Tensor {
  const ids = tensorIds(tensors, 'stack');
  return op((t) => N.stack(t, ids, int(dim, 'stack', 'dim')));
}
/** Concatenates `tensors` column-wise (along dim 1; dim 0 for 1-D tensors). */
export function hstack(tensors: Tensor[]): Tensor {
  const ids = tensorIds(tensors, 'hstack');
  return op((t) => N.hstack(t, ids));
}
/** Concatenates `tensors` row-wise (along dim 0, 1-D tensors as rows). */
export function vstack(tensors: Tensor[]): Tensor {
  const ids = tensorIds(tensors, 'vstack');
  return op((t) => N.vstack(t, ids));
}
/** `length` elements of dim `dim` of `input` from `start` (a view). */
export function narrow(input: Tensor, dim: number, start: number, length: number): Tensor {
  return self(input, 'narrow').narrow(dim, start, length);
}
/** The lower triangle of `input`'s last two dims. */
export function tril(input: Tensor, diagonal = 0): Tensor {
  return self(input, 'tril').tril(diagonal);
}
/** The upper triangle of `input`'s last two dims. */
export function triu(input: Tensor, diagonal = 0): Tensor {
  return self(input, 'triu').triu(diagonal);
}
/** 1-D `input`: a square matrix with it on `diagonal`; 2-D: a copy of that diagonal. */
export function diag(input: Tensor, diagonal = 0): Tensor {
  return self(input, 'diag').diag(diagonal);
}
/** The `offset` diagonal of `input`'s (dim1, dim2) planes, as the last dim (a view). */
export function diagonal(input: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  return self(input, 'diagonal').diagonal(offset, dim1, dim2);
}
/** A tensor whose (dim1, dim2) planes carry `input`'s last dim on their `offset` diagonal. */
export function diagEmbed(input: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  return self(input, 'diag_embed').diagEmbed(offset, dim1, dim2);
}
/** The sum of the main diagonal of the matrix `input`. */
export function trace(input: Tensor): Tensor {
  return self(input, 'trace').trace();
}
