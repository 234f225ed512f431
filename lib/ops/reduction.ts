/**
 * The reduction family beyond sum/mean/max/min/argmax/argmin (lib/tensor.ts): prod, amax,
 * amin, var, std, logsumexp, norm, cumsum, cumprod, cummax, cummin, all, any, countNonzero,
 * sort, argsort, topk, kthvalue, median, mode, unique. Native side: csrc/ops/reduce_ext.cpp.
 */
import { ArgumentTypeError } from '../errors';
import { N } from '../native';
import { made, op, Tensor, ValuesIndices } from '../tensor';
import { defineOp } from './registry';
import { typeName, int } from './args';

/** Options of `var` / `std`. */
export interface VarOptions {
  /** Dims to reduce (all when omitted or null). */
  dim?: number | number[] | null;
  /** Subtracted from the element count in the divisor (1: Bessel's correction). */
  correction?: number;
  keepdim?: boolean;
}

declare module '../tensor' {
  interface Tensor {
    /** Product of all elements, or along `dim` (ints give int64). Exact gradient with zeros. */
    prod(dim?: number | null, keepdim?: boolean): Tensor;
    /** Largest values over `dim` (a dim or list; all dims when omitted); ties share the gradient. */
    amax(dim?: number | number[], keepdim?: boolean): Tensor;
    /** Smallest values over `dim` (a dim or list; all dims when omitted); ties share the gradient. */
    amin(dim?: number | number[], keepdim?: boolean): Tensor;
    /** Variance over `dim` (all dims by default) with `correction` (default 1). */
    var(dimOrOptions?: number | number[] | null | VarOptions, options?: VarOptions): Tensor;
    /** Standard deviation over `dim` (all dims by default) with `correction` (default 1). */
    std(dimOrOptions?: number | number[] | null | VarOptions, options?: VarOptions): Tensor;
    /** `log(sum(exp(x)))` over `dim`, computed stably. */
    logsumexp(dim: number | number[], keepdim?: boolean): Tensor;
    /** Vector p-norm (p = 1, 2, Infinity, -Infinity, 'fro', any p > 0) over `dim` (all dims by default). */
    norm(p?: number | 'fro', dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** Running sum along `dim` (ints give int64). */
    cumsum(dim: number): Tensor;
    /** Running product along `dim` (ints give int64). */
    cumprod(dim: number): Tensor;
    /** Running maximum along `dim` and its index, as `[values, indices]`. */
    cummax(dim: number): ValuesIndices;
    /** Running minimum along `dim` and its index, as `[values, indices]`. */
    cummin(dim: number): ValuesIndices;
    /** Whether every element is nonzero (over `dim` when given); bool. */
    all(dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** Whether any element is nonzero (over `dim` when given); bool. */
    any(dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** Number of nonzero elements (over `dim` when given); int64. */
    countNonzero(dim?: number | number[] | null): Tensor;
    /**
     * Sorted values along `dim` and their source indices, as `[values, indices]` (NaN sorts last,
     * -0 equals 0). Always stable, descending too: equal elements keep their input order (PyTorch
     * leaves that order unspecified unless `stable` is set).
     */
    sort(dim?: number, descending?: boolean, stable?: boolean): ValuesIndices;
    /** The indices that sort along `dim`. */
    argsort(dim?: number, descending?: boolean, stable?: boolean): Tensor;
    /**
     * The `k` largest (or smallest) values along `dim` and their indices (NaN above every number).
     * Among equal values, the same indices as PyTorch's CPU topk. With `sorted = false` the order is
     * unspecified: sorted, or PyTorch's selection order when `k * 64 > size(dim)`.
     */
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): ValuesIndices;
    /** The `k`-th smallest value along `dim` and its index. */
    kthvalue(k: number, dim?: number, keepdim?: boolean): ValuesIndices;
    /** `median()`: the lower median of all elements (ties share the gradient); `median(dim)`: values and indices. */
    median(): Tensor;
    median(dim: number, keepdim?: boolean): ValuesIndices;
    /** The most frequent value along `dim` (smallest among equally frequent) and an index of it. */
    mode(dim?: number, keepdim?: boolean): ValuesIndices;
    /**
     * The sorted distinct values of the flattened tensor; with `returnInverse` / `returnCounts`,
     * `[values, inverse?, counts?]` as in PyTorch (inverse has this tensor's shape). No gradient.
     */
    unique(sorted?: boolean, returnInverse?: boolean, returnCounts?: boolean): Tensor | Tensor[];
  }
}

/** A dim or list of dims; undefined/null -> [] (all dims). */
function dimList(v: unknown, name: string): number[] {
  if (v === undefined || v === null) return [];
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list)) throw new ArgumentTypeError(`${name}(): argument 'dim' must be a tuple of ints, not ${typeName(v)}`);
  return list.map((x) => int(x, name, 'dim'));
}

function bool(v: unknown, name: string, arg: string): boolean {
  if (typeof v !== 'boolean') throw new ArgumentTypeError(`${name}(): argument '${arg}' must be bool, not ${typeName(v)}`);
  return v;
}

function pair(f: (v: Tensor, i: Tensor) => [unknown, unknown]): ValuesIndices {
  const v = new Tensor();
  const i = new Tensor();
  const [rv, ri] = f(v, i) as [Parameters<typeof made>[1], Parameters<typeof made>[1]];
  const values = made(v, rv);
  const indices = made(i, ri);
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

function self(x: unknown, name: string): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentTypeError(`${name}(): argument 'input' must be Tensor, not ${typeName(x)}`);
  return x;
}

const diff = { family: 'reduction' as const, differentiable: true, gradgrad: true };
const nondiff = { family: 'reduction' as const, differentiable: false, gradgrad: false };

defineOp({
  name: 'prod', ...diff, doc: 'Product of all elements or along a dim (exact gradient with zeros).',
  method(this: Tensor, dim: number | null = null, keepdim = false) {
    const d = dim === null || dim === undefined ? null : int(dim, 'prod', 'dim');
    return op((t) => N.prod(t, this._id, d, bool(keepdim, 'prod', 'keepdim')));
  },
});
for (const [name, isMax] of [['amax', true], ['amin', false]] as const) {
  defineOp({
    name, ...diff, doc: `${isMax ? 'Largest' : 'Smallest'} values over dims (ties share the gradient).`,
    method(this: Tensor, dim?: number | number[], keepdim = false) {
      return op((t) => N.amax(t, this._id, dimList(dim, name), bool(keepdim, name, 'keepdim'), isMax));
    },
  });
}
for (const [name, isStd] of [['var', false], ['std', true]] as const) {
  defineOp({
    name, ...diff, doc: isStd ? 'Standard deviation over dims with a correction.' : 'Variance over dims with a correction.',
    method(this: Tensor, dimOrOptions?: number | number[] | null | VarOptions, options: VarOptions = {}) {
      let opts: VarOptions = options;
      if (dimOrOptions !== undefined && dimOrOptions !== null && typeof dimOrOptions === 'object' && !Array.isArray(dimOrOptions)) {
        opts = dimOrOptions;
      } else if (dimOrOptions !== undefined) {
        opts = { ...options, dim: dimOrOptions };
      }
      const correction = opts.correction ?? 1;
      if (typeof correction !== 'number') throw new ArgumentTypeError(`${name}(): argument 'correction' must be a number, not ${typeName(correction)}`);
      return op((t) => N.varStd(t, this._id, dimList(opts.dim, name), correction, bool(opts.keepdim ?? false, name, 'keepdim'), isStd));
    },
  });
}
defineOp({
  name: 'logsumexp', ...diff, doc: 'log(sum(exp(x))) over dims, computed stably.',
  method(this: Tensor, dim: number | number[], keepdim = false) {
    if (dim === undefined) throw new ArgumentTypeError("logsumexp(): missing required argument 'dim'");
    return op((t) => N.logsumexp(t, this._id, dimList(dim, 'logsumexp'), bool(keepdim, 'logsumexp', 'keepdim')));
  },
});
defineOp({
  name: 'norm', ...diff, doc: "Vector p-norm (1, 2, Infinity, 'fro', ...) over dims; gradient 0 at the zero vector.",
  method(this: Tensor, p: number | 'fro' = 2, dim: number | number[] | null = null, keepdim = false) {
    const pv = p === 'fro' ? 2 : p;
    if (typeof pv !== 'number' || Number.isNaN(pv)) throw new ArgumentTypeError(`norm(): argument 'p' must be a number or 'fro', not ${typeName(p)}`);
    return op((t) => N.vectorNorm(t, this._id, pv, dimList(dim, 'norm'), bool(keepdim, 'norm', 'keepdim')));
  },
});
for (const [name, isProd] of [['cumsum', false], ['cumprod', true]] as const) {
  defineOp({
    name, ...diff, doc: isProd ? 'Running product along a dim.' : 'Running sum along a dim.',
    method(this: Tensor, dim: number) {
      return op((t) => N.cumulative(t, this._id, int(dim, name, 'dim'), isProd));
    },
  });
}
for (const [name, isMax] of [['cummax', true], ['cummin', false]] as const) {
  defineOp({
    name, ...diff, doc: `Running ${isMax ? 'maximum' : 'minimum'} along a dim, with indices.`,
    method(this: Tensor, dim: number) {
      return pair((v, i) => N.cumExtreme(v, i, this._id, int(dim, name, 'dim'), isMax));
    },
  });
}
for (const [name, isAll] of [['all', true], ['any', false]] as const) {
  defineOp({
    name, ...nondiff, doc: isAll ? 'Whether all elements are nonzero (bool).' : 'Whether any element is nonzero (bool).',
    method(this: Tensor, dim: number | number[] | null = null, keepdim = false) {
      return op((t) => N.allAny(t, this._id, dimList(dim, name), bool(keepdim, name, 'keepdim'), isAll));
    },
  });
}
defineOp({
  name: 'countNonzero', ...nondiff, doc: 'Number of nonzero elements over dims (int64).',
  method(this: Tensor, dim: number | number[] | null = null) {
    return op((t) => N.countNonzero(t, this._id, dimList(dim, 'count_nonzero')));
  },
});
defineOp({
  name: 'sort', ...diff, doc: 'Sorted values and indices along a dim (stable; NaN last).',
  method(this: Tensor, dim = -1, descending = false, stable = false) {
    return pair((v, i) => N.sort(v, i, this._id, int(dim, 'sort', 'dim'), bool(descending, 'sort', 'descending'), bool(stable, 'sort', 'stable')));
  },
});
defineOp({
  name: 'argsort', ...nondiff, doc: 'Indices that sort along a dim.',
  method(this: Tensor, dim = -1, descending = false, stable = false) {
    return op((t) => N.argsort(t, this._id, int(dim, 'argsort', 'dim'), bool(descending, 'argsort', 'descending'), bool(stable, 'argsort', 'stable')));
  },
});
defineOp({
  name: 'topk', ...diff, doc: 'The k largest (or smallest) values along a dim, with indices.',
  method(this: Tensor, k: number, dim = -1, largest = true, sorted = true) {
    return pair((v, i) => N.topk(v, i, this._id, int(k, 'topk', 'k'), int(dim, 'topk', 'dim'), bool(largest, 'topk', 'largest'), bool(sorted, 'topk', 'sorted')));
  },
});
defineOp({
  name: 'kthvalue', ...diff, doc: 'The k-th smallest value along a dim, with its index.',
  method(this: Tensor, k: number, dim = -1, keepdim = false) {
    return pair((v, i) => N.kthvalue(v, i, this._id, int(k, 'kthvalue', 'k'), int(dim, 'kthvalue', 'dim'), bool(keepdim, 'kthvalue', 'keepdim')));
  },
});
defineOp({
  name: 'median', ...diff, doc: 'Lower median of all elements (ties share the gradient) or along a dim with indices.',
  method(this: Tensor, dim?: number, keepdim = false) {
    if (dim === undefined || dim === null) return op((t) => N.median(t, this._id));
    return pair((v, i) => N.medianDim(v, i, this._id, int(dim, 'median', 'dim'), bool(keepdim, 'median', 'keepdim'), false));
  },
});
defineOp({
  name: 'mode', ...diff, doc: 'Most frequent value along a dim, with an index.',
  method(this: Tensor, dim = -1, keepdim = false) {
    return pair((v, i) => N.medianDim(v, i, this._id, int(dim, 'mode', 'dim'), bool(keepdim, 'mode', 'keepdim'), true));
  },
});

defineOp({
  name: 'unique', ...nondiff, doc: 'Sorted distinct values, with inverse indices and counts on request.',
  method(this: Tensor, sorted = true, returnInverse = false, returnCounts = false) {
    bool(sorted, 'unique', 'sorted');
    bool(returnInverse, 'unique', 'return_inverse');
    bool(returnCounts, 'unique', 'return_counts');
    const v = new Tensor();
    const inv = new Tensor();
    const cnt = new Tensor();
    const [rv, ri, rc] = N.unique(v, inv, cnt, this._id);
    const values = made(v, rv);
    const inverse = made(inv, ri);
    const counts = made(cnt, rc);
    if (!returnInverse && !returnCounts) return values;
    const out = [values];
    if (returnInverse) out.push(inverse);
    if (returnCounts) out.push(counts);
    return out;
  },
});

/** Product of the elements of `input` (over `dim` when given). */
export function prod(input: Tensor, dim: number | null = null, keepdim = false): Tensor {
  return self(input, 'prod').prod(dim, keepdim);
}
/** Largest values of `input` over `dim` (all dims when omitted). */
export function amax(input: Tensor, dim?: number | number[], keepdim = false): Tensor {
  return self(input, 'amax').amax(dim, keepdim);
}
/** Smallest values of `input` over `dim` (all dims when omitted). */
export function amin(input: Tensor, dim?: number | number[], keepdim = false): Tensor {
  return self(input, 'amin').amin(dim, keepdim);
}
/** Variance of `input` (`torch.var`; exported as `var`). */
function var_(input: Tensor, dimOrOptions?: number | number[] | null | VarOptions, options?: VarOptions): Tensor {
  return self(input, 'var').var(dimOrOptions, options);
}
export { var_ as var };
/** Standard deviation of `input`. */
export function std(input: Tensor, dimOrOptions?: number | number[] | null | VarOptions, options?: VarOptions): Tensor {
  return self(input, 'std').std(dimOrOptions, options);
}
/** `log(sum(exp(input)))` over `dim`, computed stably. */
export function logsumexp(input: Tensor, dim: number | number[], keepdim = false): Tensor {
  return self(input, 'logsumexp').logsumexp(dim, keepdim);
}
/** Vector p-norm of `input` over `dim` (all dims by default). */
export function norm(input: Tensor, p: number | 'fro' = 2, dim: number | number[] | null = null, keepdim = false): Tensor {
  return self(input, 'norm').norm(p, dim, keepdim);
}
/** Running sum of `input` along `dim`. */
export function cumsum(input: Tensor, dim: number): Tensor {
  return self(input, 'cumsum').cumsum(dim);
}
/** Running product of `input` along `dim`. */
export function cumprod(input: Tensor, dim: number): Tensor {
  return self(input, 'cumprod').cumprod(dim);
}
/** Running maximum of `input` along `dim`, with indices. */
export function cummax(input: Tensor, dim: number): ValuesIndices {
  return self(input, 'cummax').cummax(dim);
}
/** Running minimum of `input` along `dim`, with indices. */
export function cummin(input: Tensor, dim: number): ValuesIndices {
  return self(input, 'cummin').cummin(dim);
}
/** Whether all elements of `input` are nonzero (over `dim` when given). */
export function all(input: Tensor, dim: number | number[] | null = null, keepdim = false): Tensor {
  return self(input, 'all').all(dim, keepdim);
}
/** Whether any element of `input` is nonzero (over `dim` when given). */
export function any(input: Tensor, dim: number | number[] | null = null, keepdim = false): Tensor {
  return self(input, 'any').any(dim, keepdim);
}
/** Number of nonzero elements of `input` (over `dim` when given). */
export function countNonzero(input: Tensor, dim: number | number[] | null = null): Tensor {
  return self(input, 'count_nonzero').countNonzero(dim);
}
/** Sorted values and indices of `input` along `dim`. */
export function sort(input: Tensor, dim = -1, descending = false, stable = false): ValuesIndices {
  return self(input, 'sort').sort(dim, descending, stable);
}
/** Indices that sort `input` along `dim`. */
export function argsort(input: Tensor, dim = -1, descending = false, stable = false): Tensor {
  return self(input, 'argsort').argsort(dim, descending, stable);
}
/** The `k` largest (or smallest) values of `input` along `dim`, with indices. */
export function topk(input: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices {
  return self(input, 'topk').topk(k, dim, largest, sorted);
}
/** The `k`-th smallest value of `input` along `dim`, with its index. */
export function kthvalue(input: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  return self(input, 'kthvalue').kthvalue(k, dim, keepdim);
}
/** `median(input)` (lower median of all elements) or `median(input, dim, keepdim)`. */
export function median(input: Tensor): Tensor;
export function median(input: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(input: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  const x = self(input, 'median');
  return dim === undefined ? x.median() : x.median(dim, keepdim);
}
/** Most frequent value of `input` along `dim`, with an index. */
export function mode(input: Tensor, dim = -1, keepdim = false): ValuesIndices {
  return self(input, 'mode').mode(dim, keepdim);
}
/** The sorted distinct values of `input` (with inverse indices and counts on request). */
export function unique(input: Tensor, sorted = true, returnInverse = false, returnCounts = false): Tensor | Tensor[] {
  return self(input, 'unique').unique(sorted, returnInverse, returnCounts);
}
